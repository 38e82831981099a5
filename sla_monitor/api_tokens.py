"""Making, using and revoking the read API's tokens (`ApiToken`).

A token reads as the person who made it, through the same scoping every page uses, narrowed to
its scopes: it stops working when it expires, is revoked, or its maker is no longer an
administrator of its organisation.
"""

import datetime as dt
import secrets
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sla_monitor import once as once_only
from sla_monitor import roles
from sla_monitor.models import TOKEN_PREFIX, ApiScope, ApiToken, token_digest
from sla_monitor.text import has_words

# The longest a token may live: a year, so that every token is looked at again.
LONGEST = dt.timedelta(days=366)
# Its last use is written at most this often, so that a busy token does not write on every call.
LAST_USE_EVERY = dt.timedelta(minutes=1)


def makes_tokens(user) -> bool:
    """A council's administrator, or a provider's, makes its organisation's tokens."""
    return roles.is_council_admin(user) or roles.is_provider_admin(user)


def scopes_for(user) -> list[str]:
    """The scopes the user's organisation's tokens may hold: a provider's read only its own
    agreements and returns."""
    if roles.is_provider_admin(user):
        return [ApiScope.GRANTS]
    return list(ApiScope.values)


def tokens_of(user):
    """The tokens of the user's organisation, for its administrators; none for anyone else."""
    if not makes_tokens(user):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(organisation_id=user.organisation_id).select_related(
        "created_by", "revoked_by"
    )


@transaction.atomic
def create_token(
    *, by, name: str, scopes: list[str], expires_on: dt.date, once: uuid.UUID | None = None
) -> tuple[ApiToken, str]:
    """A new token of the maker's organisation, and its secret, which is shown once and never
    kept. A form's `once` token makes one token however often the form is sent."""
    if not makes_tokens(by):
        raise PermissionDenied(_("Only an organisation's administrators make its API tokens."))
    problems = {}
    today = timezone.localdate()
    if not has_words(name or ""):
        problems["name"] = _("Give the token a name that says what uses it.")
    allowed = scopes_for(by)
    if not scopes:
        problems["scopes"] = _("Choose what the token may read.")
    elif any(scope not in allowed for scope in scopes):
        problems["scopes"] = _("Choose among what your organisation's tokens may read.")
    if expires_on is None:
        problems["expires_on"] = _("Enter the date the token expires.")
    elif expires_on <= today:
        problems["expires_on"] = _("The token must expire after today.")
    elif expires_on > today + LONGEST:
        problems["expires_on"] = _("A token lives a year at most: choose an earlier date.")
    if problems:
        raise ValidationError(problems)
    if once is not None:
        once_only.claim(once, already=_("the token was made once."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        organisation_id=by.organisation_id,
        name=name.strip(),
        scopes=[scope for scope in ApiScope.values if scope in scopes],
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(secret),
        created_by=by,
        expires_on=expires_on,
    )
    try:
        with transaction.atomic():
            token.save()
    except IntegrityError:
        raise ValidationError(
            {"name": _("Your organisation has a live token of that name: choose another.")}
        ) from None
    return token, secret


@transaction.atomic
def revoke_token(*, token: ApiToken, by) -> ApiToken:
    """Revoked, a token reads nothing more; revoking it twice changes nothing."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not (makes_tokens(by) and roles.belongs_to(by, locked.organisation_id)):
        raise PermissionDenied(_("Only an organisation's administrators revoke its API tokens."))
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


class Refused(Exception):
    """Why a token does not open the API, worded for the caller."""


def authenticate(secret: str) -> ApiToken:
    """The live token with this secret, its maker still its organisation's administrator, its
    last use recorded; else `Refused`, saying why."""
    token = (
        ApiToken.objects.select_related("created_by__organisation", "organisation")
        .filter(digest=token_digest(secret))
        .first()
    )
    if token is None:
        raise Refused(_("The token is not known. Check it, or ask for a new one."))
    now = timezone.now()
    if token.revoked_at is not None:
        raise Refused(_("The token was revoked."))
    if token.expires_on < timezone.localdate(now):
        raise Refused(_("The token expired on %(date)s.") % {"date": token.expires_on})
    maker = token.created_by
    if not (
        maker.is_active and makes_tokens(maker) and roles.belongs_to(maker, token.organisation_id)
    ):
        raise Refused(
            _("The person who made the token is no longer an administrator of its organisation.")
        )
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
