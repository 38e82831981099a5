"""Signing in: who may, how wrong attempts are counted, and who must use a second factor.

django-allauth does the work (sign-in by username or e-mail, password reset and change, TOTP
and recovery codes); these adapters say what is particular to SLA Monitor."""

import time
from functools import wraps
from types import SimpleNamespace

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import get_reauthentication_flows
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ReauthenticationRequired
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.stages import AuthenticateStage
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    validate_totp_code,
)
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sla_monitor import roles
from sla_monitor.languages import language_of
from sla_monitor.models import User
from sla_monitor.proxies import client_address

# The demo's council staff share this published secret, so that anyone trying the demo can add it
# to an authenticator app (or run `manage.py demo_code <username>`). Never used outside the demo.
DEMO_TOTP_SECRET = "SLAMONITORDEMOTWOFACTORSECRETKEY"  # nosec B105


SERVICE_NAME = _("SLA Monitor")


# Whether the password was wrong, or right for an account that was deactivated, the answer is
# the same: telling the two apart would confirm a guessed password. The last sentence is the next
# step for a person whose account was closed.
NO_SIGN_IN = _(
    "The username or e-mail address and password do not match an account that can sign in. "
    "Check them and try again, or reset your password. If you are sure they are right, write to "
    "%(support)s to ask whether your account is still open."
)

# For someone who reached allauth's "account inactive" step: their account is known to them, so
# the answer says who can open it again.
ACCOUNT_DEACTIVATED = _(
    "Your account has been deactivated. Ask your organisation's administrator (or for council "
    "staff, your council's administrator) to reactivate it."
)
REAUTHENTICATION_WORDS = {
    "reauthenticate": _("Use your password instead"),
    "mfa_reauthenticate": _("Use a code from your authenticator app instead"),
}
CODE_ALREADY_USED = _(
    "That code has already been used. Wait for your authenticator app to show a new code, then "
    "enter it."
)


class AccountAdapter(DefaultAccountAdapter):
    # allauth's refusals, each saying what to do next.
    error_messages = DefaultAccountAdapter.error_messages | {
        "account_inactive": ACCOUNT_DEACTIVATED,
        "enter_current_password": _(
            "Enter your current password. If you have forgotten it, sign out and reset it."
        ),
        "incorrect_password": _(
            "The password is not right. Enter the password you sign in with, or sign out and "
            "reset it."
        ),
        "invalid_password_reset": _(
            "This link to reset your password does not work: it has been used already or has "
            "expired. Ask for a new link."
        ),
        "too_many_login_attempts": _(
            "There have been too many failed attempts to sign in. Wait 5 minutes, then try again."
        ),
        "rate_limited": _("You have tried too many times. Wait a few minutes, then try again."),
    }

    def is_open_for_signup(self, request) -> bool:
        """Nobody signs up: accounts come from invitations and administrators."""
        return False

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with its two-factor step skipped after the council's own sign-in."""
        return [
            "sla_monitor.accounts.SecondFactorUnlessCouncilSignIn"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]

    def pre_authenticate(self, request, **credentials) -> None:
        """Wrong passwords are counted by django-axes, per account and address, so that an
        attacker elsewhere cannot lock a person out; allauth's own count is per login only."""

    def authenticate(self, request, **credentials):
        """Nobody, for a deactivated account's right password: allauth would hand the account
        back to show it an "account inactive" page, which tells whoever typed the password that
        it was right. Django has already counted the attempt as a failure (django-axes, the
        audit log)."""
        user = super().authenticate(request, **credentials)
        return user if user is not None and user.is_active else None

    def validation_error(self, code: str, *args) -> ValidationError:
        if code in {"username_password_mismatch", "email_password_mismatch"}:
            support = {"support": settings.SUPPORT_EMAIL}
            return ValidationError(NO_SIGN_IN, code=code, params=support)
        return super().validation_error(code, *args)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails greet and sign off as the site, which without django.contrib.sites
        is the address the request came to ("Hello from 127.0.0.1:8101!"): they come from
        SLA Monitor, at the address their links lead to. Each is written in the language its
        reader chose, whoever's request sends it."""
        request = self.request
        site = SimpleNamespace(name=SERVICE_NAME, domain=request.get_host() if request else "")
        with translation.override(_recipient_language(email, context)):
            super().send_mail(template_prefix, email, {"current_site": site, **context})

    def get_reauthentication_methods(self, user) -> list[dict]:
        """The other ways of confirming who one is, in the app's words."""
        methods = super().get_reauthentication_methods(user)
        for method in methods:
            method["description"] = REAUTHENTICATION_WORDS.get(method["id"], method["description"])
        return methods

    def get_client_ip(self, request) -> str:
        address = client_address(request)
        if not address:
            raise PermissionDenied(_("Unable to determine the client's address."))
        return address


def _recipient_language(email: str, context: dict) -> str:
    """The language of the person an e-mail is for: their own choice when they have an account,
    else the language of the request sending it."""
    person = context.get("user") or account_named(email)
    if isinstance(person, User):
        return language_of(person)
    return translation.get_language() or settings.LANGUAGE_CODE


class PasswordResetTokens(PasswordResetTokenGenerator):
    """The password reset's links, made and checked without writing anything.

    allauth's own (EmailAwarePasswordResetTokenGenerator) records the person's address as an
    unchecked address of theirs (an EmailAddress row, verified=False) each time it makes or checks
    a link. Anyone may ask for a reset for any address, so a stranger's request would leave that
    row behind: allauth.mfa then refuses to set up an authenticator app until the address is
    confirmed, which this service never asks anyone to do, and council staff, who set one up
    before anything else, would be stuck. The row would also outlive an administrator's change of
    the address, and a reset asked for at the old address would still be mailed there.

    A person's address here is the one field on their account, set by their invitation (whose
    link proved it) or by an administrator; nobody adds or changes one themselves. So no address
    is recorded beside it, and allauth's refusal of two-factor sign-in for an unchecked address
    (MFA_ALLOW_UNVERIFIED_EMAIL) stays as it is. The value signed is allauth's, so a link already
    sent keeps working, and a link stops working once the address changes."""

    def _make_hash_value(self, user, timestamp) -> str:
        addresses = {user.email} if user.email else set()
        addresses.update(
            EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True)
        )
        return super()._make_hash_value(user, timestamp) + "|".join(sorted(addresses))


class TwoFactorAdapter(DefaultMFAAdapter):
    error_messages = DefaultMFAAdapter.error_messages | {
        "incorrect_code": _(
            "That code is not right. Enter the 6-digit code your authenticator app shows now."
        ),
        "code_already_used": CODE_ALREADY_USED,
        "cannot_delete_authenticator": _(
            "Council staff and administrators sign in with a second factor, so you cannot switch "
            "off your authenticator app."
        ),
        "cannot_generate_recovery_codes": _(
            "Set up an authenticator app first: recovery codes stand in for it when you do not "
            "have your phone."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Whoever must use a second factor cannot switch it off."""
        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            return True
        return not two_factor_required(authenticator.user)


def attempted_login(request, credentials: dict | None) -> str | None:
    """Whom a sign-in attempt was for, for django-axes to count wrong passwords by: the username
    of the account the login names, by username or e-mail address in any capitals, so that guesses
    at one person count together however they are typed; the login as typed, in small letters,
    when it names nobody."""
    given = None
    if credentials:
        given = credentials.get("username") or credentials.get("email")
    if not given and request is not None:
        given = request.POST.get("login")
    given = str(given or "").strip()
    if not given:
        return None
    account = account_named(given)
    return account.username if account is not None else given.lower()


def account_named(login: str) -> User | None:
    """The one account whose username or e-mail address, in any capitals, is `login`."""
    accounts = list(User.objects.filter(Q(username__iexact=login) | Q(email__iexact=login))[:2])
    return accounts[0] if len(accounts) == 1 else None


def two_factor_required(user) -> bool:
    """Council staff, administrators and superusers must sign in with a second factor."""
    return settings.MFA_REQUIRED_FOR_STAFF and (
        roles.is_council_staff(user) or roles.is_superuser(user)
    )


def has_two_factor(user) -> bool:
    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def needs_two_factor_setup(user) -> bool:
    return two_factor_required(user) and not has_two_factor(user)


def keep_code_used(authenticator: Authenticator, code: str) -> None:
    """After an authenticator app's code signed someone in: refuse it for as long as it would be
    accepted. allauth accepts a code MFA_TOTP_TOLERANCE steps either side of its own, but
    remembers it as used for one step only, so a code seen over someone's shoulder would sign in
    again a step later."""
    accepted_for = (2 * mfa_settings.TOTP_TOLERANCE + 1) * mfa_settings.TOTP_PERIOD
    cache.touch(TOTP(authenticator)._get_used_cache_key(code), timeout=accepted_for)


def code_already_used(user, code: str) -> bool:
    """Whether `code` is one the person's authenticator app would accept now but which has
    already signed them in: allauth refuses it as simply incorrect."""
    authenticator = Authenticator.objects.filter(
        user_id=user.pk, type=Authenticator.Type.TOTP
    ).first()
    if authenticator is None:
        return False
    secret = get_mfa_adapter().decrypt(authenticator.data["secret"])
    used = TOTP(authenticator)._get_used_cache_key(code)
    return validate_totp_code(secret, code) and cache.get(used) is not None


def signed_in_recently(request) -> bool:
    """Whether the person signed in, or confirmed who they are, within the last
    ACCOUNT_REAUTHENTICATION_TIMEOUT seconds. Someone with no password and no second factor (who
    signs in only through the council's single sign-on) has nothing to confirm it with here, and
    counts as recent, as allauth counts them."""
    if not get_reauthentication_flows(request.user):
        return True
    steps = get_authentication_records(request, request.user)
    latest = max((step["at"] for step in steps), default=None)
    return latest is not None and time.time() - latest < account_settings.REAUTHENTICATION_TIMEOUT


def recent_sign_in_required(view):
    """A page of someone's sign-in that a borrowed or left-open session must not reach: a person
    who signed in longer ago than ACCOUNT_REAUTHENTICATION_TIMEOUT first confirms who they are
    (allauth's middleware sends them to do so, and back)."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.user.is_authenticated and not signed_in_recently(request):
            raise ReauthenticationRequired()
        return view(request, *args, **kwargs)

    return checked


def give_recovery_codes(user) -> Authenticator:
    return RecoveryCodes.activate(user).instance


def give_totp(user, secret: str = DEMO_TOTP_SECRET) -> Authenticator:
    """An authenticator app set up with `secret`, as if the person had scanned its QR code."""
    return TOTP.activate(user, secret).instance


def current_code(user) -> str:
    """The code the user's authenticator app shows now."""
    authenticator = Authenticator.objects.get(user_id=user.pk, type=Authenticator.Type.TOTP)
    secret = get_mfa_adapter().decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


class SecondFactorUnlessCouncilSignIn(AuthenticateStage):
    """The two-factor step of signing in, except after single sign-on: the council's own
    sign-in (with its own second factor) vouched for the person (sla_monitor.sso)."""

    def _should_handle(self, request) -> bool:
        if getattr(request, "signed_in_by_council", False):
            return False
        return super()._should_handle(request)
