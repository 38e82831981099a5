"""Who may come in through single sign-on: the holder of an existing account, and only them.

A person signing in through their council's OpenID Connect provider is matched to the one active
account whose e-mail address the provider says it has verified. Nobody is created here, so
nobody gets a role an administrator or an invitation did not give them.
"""

import logging

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from sla_monitor.accounts import ACCOUNT_DEACTIVATED
from sla_monitor.models import User

logger = logging.getLogger(__name__)

# The backend that loads a signed-in user on each request (it fetches their organisation too).
SESSION_BACKEND = "sla_monitor.backends.ModelBackend"


class SingleSignOnAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        linked = sociallogin.is_existing
        user = sociallogin.user if linked else _matching_user(request, sociallogin)
        _refuse_unless_allowed(request, user)
        if not linked:
            sociallogin.connect(request, user)
            logger.info("Single sign-on linked to user %s", user.pk)
        user.backend = SESSION_BACKEND
        # The council's sign-in stands for the second factor (sla_monitor.middleware).
        request.signed_in_by_council = True


def verified_email(claims: dict) -> str:
    """The e-mail address the provider vouches for, or "" when it does not.

    OpenID Connect says so with `email_verified`; Microsoft Entra ID, which never sends it,
    says so with the optional claim `xms_edov` (the address's domain is verified by its owner).
    """
    email = str(claims.get("email") or "").strip()
    vouched = any(claims.get(claim) in (True, "true") for claim in ("email_verified", "xms_edov"))
    return email if email and vouched else ""


def _claims(sociallogin: SocialLogin) -> dict:
    data = sociallogin.account.extra_data
    id_token = data.get("id_token") or {}
    return id_token if id_token.get("email") else data.get("userinfo") or {}


def _matching_user(request: HttpRequest, sociallogin: SocialLogin) -> User:
    email = verified_email(_claims(sociallogin))
    if not email:
        _refuse(
            request,
            _("Your council's sign-in did not confirm your e-mail address"),
            _(
                "Ask your council's IT service to confirm the e-mail address of your account, "
                "then sign in again."
            ),
        )
    # A person invited but not yet signed up will be matched here too, once invitations
    # exist (issue 15); until then only existing accounts are.
    users = list(User.objects.filter(email__iexact=email).select_related("organisation")[:2])
    if not users:
        _refuse(
            request,
            _("No account for this address"),
            _(
                "There is no SLA Monitor account for %(email)s: ask your council's administrator "
                "for an invitation."
            )
            % {"email": email},
        )
    if len(users) > 1:
        _refuse(
            request,
            _("More than one account has this address"),
            _(
                "More than one SLA Monitor account has the address %(email)s, so we cannot tell "
                "which is yours: ask your council's administrator to sort it out."
            )
            % {"email": email},
        )
    user = users[0]
    provider = sociallogin.account.provider
    if SocialAccount.objects.filter(user=user, provider=provider).exists():
        _refuse(
            request,
            _("This account is linked to another sign-in"),
            _(
                "The account for %(email)s is already linked to a different account at your "
                "council's sign-in: ask your council's administrator."
            )
            % {"email": email},
        )
    return user


def _refuse_unless_allowed(request: HttpRequest, user: User) -> None:
    if not user.is_active:
        _refuse(
            request,
            _("Your account has been deactivated"),
            ACCOUNT_DEACTIVATED,
        )
    organisation = settings.SSO_ORGANISATION
    if organisation and (
        user.organisation is None or user.organisation.short_code.lower() != organisation.lower()
    ):
        _refuse(
            request,
            _("Sign in with your password"),
            _(
                "This sign-in is for the staff of one council only. Sign in with your username "
                "and password instead."
            ),
        )


def _refuse(request: HttpRequest, title: str, explanation: str):
    logger.warning("Single sign-on refused: %s", title)
    raise ImmediateHttpResponse(
        render(
            request,
            "registration/sso_refused.html",
            {"title": title, "explanation": explanation},
            status=403,
        )
    )
