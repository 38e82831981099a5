"""The audit log's account events: sign-ins, failed sign-ins, sign-outs, passwords and second
factors changed.

Django and django-allauth announce each of these by a signal and offer no other hook, so the
receivers below only write the record; they decide nothing."""

from functools import reduce
from operator import or_

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import signals as auth_signals
from django.db.models import Q

from sla_monitor import audit, roles
from sla_monitor.accounts import account_named
from sla_monitor.models import AccountEvent, User
from sla_monitor.proxies import client_address

KIND = "account"
Kind = AccountEvent.Kind


def record(*, kind: str, request, user=None, login: str = "") -> AccountEvent:
    address = client_address(request) if request is not None else None
    return AccountEvent.objects.create(
        user=user,
        login=(login or getattr(user, "username", "") or "")[:254],
        kind=kind,
        address=address or None,
    )


def signed_in(sender, request, user, **kwargs):
    record(kind=Kind.SIGNED_IN, request=request, user=user)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    tried = str(credentials.get("username") or credentials.get("email") or "").strip()
    person = account_named(tried) if tried else None
    record(kind=Kind.SIGN_IN_FAILED, request=request, user=person, login=tried)


def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(kind=Kind.SIGNED_OUT, request=request, user=user)


def password_changed(sender, request, user, **kwargs):
    record(kind=Kind.PASSWORD_CHANGED, request=request, user=user)


def password_reset(sender, request, user, **kwargs):
    record(kind=Kind.PASSWORD_RESET, request=request, user=user)


def password_set(sender, request, user, **kwargs):
    record(kind=Kind.PASSWORD_SET, request=request, user=user)


def authenticator_added(sender, request, user, authenticator, **kwargs):
    if authenticator.type != Authenticator.Type.RECOVERY_CODES:
        record(kind=Kind.TWO_FACTOR_ADDED, request=request, user=user)


def authenticator_removed(sender, request, user, authenticator, **kwargs):
    if authenticator.type != Authenticator.Type.RECOVERY_CODES:
        record(kind=Kind.TWO_FACTOR_REMOVED, request=request, user=user)


def authenticator_reset(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        record(kind=Kind.RECOVERY_CODES_GENERATED, request=request, user=user)


def authenticator_used(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        record(kind=Kind.RECOVERY_CODE_USED, request=request, user=user)


def two_factor_failed(sender, request, user, **kwargs):
    record(kind=Kind.TWO_FACTOR_FAILED, request=request, user=user)


def connect() -> None:
    for signal, receiver in [
        (auth_signals.user_logged_in, signed_in),
        (auth_signals.user_login_failed, sign_in_failed),
        (auth_signals.user_logged_out, signed_out),
        (account_signals.password_changed, password_changed),
        (account_signals.password_reset, password_reset),
        (account_signals.password_set, password_set),
        (mfa_signals.authenticator_added, authenticator_added),
        (mfa_signals.authenticator_removed, authenticator_removed),
        (mfa_signals.authenticator_reset, authenticator_reset),
        (mfa_signals.authenticator_used, authenticator_used),
        (mfa_signals.authentication_failed, two_factor_failed),
    ]:
        signal.connect(receiver, dispatch_uid=f"sla_monitor.account_events.{receiver.__name__}")


def people_in_view(user) -> Q:
    """The people whose account events a user may read: those whose changes they may read."""
    return reduce(
        or_,
        (Q(user__in=visible(user).values("pk")) for visible in audit.TRACKED.get(User, [])),
        Q(pk__in=[]),
    )


def account_events(user, filters: audit.Filters, limit: int) -> list[audit.Event]:
    """Account events of the people the user may see; a failed sign-in that named nobody known,
    and any event whose person was deleted, only to a superuser."""
    events = AccountEvent.objects.select_related("user")
    if not roles.is_superuser(user):
        events = events.filter(people_in_view(user))
    return [
        audit.Event(
            event.at,
            KIND,
            event.user,
            event.get_kind_display()
            + (f" as “{event.login}”" if event.kind == Kind.SIGN_IN_FAILED else ""),
            where=event.address or "",
        )
        for event in audit.latest(events, actor="user", at="at", filters=filters, limit=limit)
    ]
