"""Changes to people and their invitations: invite, approve or decline, re-send, revoke,
accept; deactivate, reactivate, change a role. Each is permission-checked here, runs in one
transaction and is kept in the audit log (django-auditlog tracks both models); e-mail goes
after commit."""

import datetime as dt
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oversight import notifications, permissions
from sla_monitor import audit
from sla_monitor.models import (
    Invitation,
    Organisation,
    User,
    normalise_email,
    token_digest,
    validate_plain_email,
)

ALREADY_HAS_ACCOUNT = gettext_lazy("This address already has an account. They can sign in with it.")
ALREADY_INVITED = gettext_lazy(
    "This address already has an invitation. Re-send it or revoke it from the invitations list."
)
# A re-sent link goes no sooner than this after the last: a second click, or many at once,
# sends one e-mail.
RESEND_INTERVAL = dt.timedelta(minutes=2)


def account_exists(email: str) -> bool:
    email = normalise_email(email)
    return User.objects.filter(email__iexact=email).exists() or (
        User.objects.filter(username__iexact=email).exists()
    )


def _sender_language() -> str:
    """The language an invitation is written in: that of the request sending it, since the
    person invited has not chosen one yet."""
    return translation.get_language() or settings.LANGUAGE_CODE


def _expiry(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=settings.INVITATION_DAYS)


def invite_person(
    *,
    by: User,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    role: str,
) -> Invitation:
    """Invite someone into `organisation`. Into a provider that has people (or an invitation
    open) already, anyone but its administrators asks them: the invitation waits for their
    approval and nothing is sent yet. The first person a council invites into a provider
    becomes its administrator."""
    if not permissions.can_invite(by, organisation, role):
        raise PermissionDenied
    try:
        validate_plain_email(email)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from error
    email = normalise_email(email)
    with transaction.atomic():
        # Deciding who is first takes the organisation's row, so two councils inviting at once
        # cannot both invite a first person.
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if account_exists(email):
            raise ValidationError({"email": ALREADY_HAS_ACCOUNT})
        if Invitation.objects.open().filter(email__iexact=email).exists():
            raise ValidationError({"email": ALREADY_INVITED})
        asks = permissions.needs_approval(by, organisation)
        if (
            not asks
            and organisation.kind == Organisation.Kind.PROVIDER
            and not permissions.administers_organisation(by, organisation.pk)
        ):
            role = User.Role.PROVIDER_ADMIN
        now = timezone.now()
        invitation = Invitation(
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            organisation=organisation,
            role=role,
            invited_by=by,
            created=now,
            needs_approval=asks,
            last_sent_at=None if asks else now,
            expires_at=_expiry(now),
        )
        token = invitation.new_token()
        invitation.save()
        if asks:
            notifications.invitation_asked(invitation)
        else:
            transaction.on_commit(
                partial(notifications.invitation, invitation, token, language=_sender_language())
            )
    return invitation


def approve_invitation(*, invitation: Invitation, by: User) -> Invitation:
    """The organisation's administrator lets the person in: the invitation is sent now."""
    with transaction.atomic():
        invitation = _locked(invitation, by)
        if not permissions.can_approve(by, invitation):
            raise PermissionDenied
        if invitation.state() != Invitation.State.AWAITING_APPROVAL:
            raise ValidationError(_("Only an invitation waiting for approval is approved."))
        if account_exists(invitation.email):
            raise ValidationError(ALREADY_HAS_ACCOUNT)
        if not User.objects.filter(
            organisation_id=invitation.organisation_id, is_active=True
        ).exists():
            # The service's administrators letting in a provider's first person: its
            # administrator, as a council's first invitation would have made them.
            invitation.role = User.Role.PROVIDER_ADMIN
        now = timezone.now()
        invitation.approved_by = by
        invitation.approved_at = now
        invitation.last_sent_at = now
        invitation.expires_at = _expiry(now)
        token = invitation.new_token()
        invitation.save(
            update_fields=[
                "role",
                "approved_by",
                "approved_at",
                "last_sent_at",
                "expires_at",
                "token_hash",
            ]
        )
        transaction.on_commit(
            partial(notifications.invitation, invitation, token, language=_sender_language())
        )
    return invitation


def decline_invitation(*, invitation: Invitation, by: User) -> Invitation:
    """The organisation's administrator does not let the person in; whoever asked is told."""
    with transaction.atomic():
        invitation = _locked(invitation, by)
        if not permissions.can_approve(by, invitation):
            raise PermissionDenied
        if invitation.state() != Invitation.State.AWAITING_APPROVAL:
            raise ValidationError(_("Only an invitation waiting for approval is declined."))
        invitation.declined_by = by
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_by", "declined_at"])
        notifications.invitation_declined(invitation)
    return invitation


def _locked(invitation: Invitation, by: User) -> Invitation:
    if not permissions.manages_people(by):
        raise PermissionDenied
    return permissions.visible_invitations(by).select_for_update(of=("self",)).get(pk=invitation.pk)


def resend_invitation(*, invitation: Invitation, by: User) -> Invitation:
    """A new link, valid for another INVITATION_DAYS; the old link stops working."""
    with transaction.atomic():
        invitation = _locked(invitation, by)
        if invitation.state() not in (Invitation.State.PENDING, Invitation.State.EXPIRED):
            raise ValidationError(
                _("Only a sent invitation nobody has accepted or revoked is re-sent.")
            )
        if account_exists(invitation.email):
            raise ValidationError(ALREADY_HAS_ACCOUNT)
        now = timezone.now()
        # The row is locked: of many re-sends at once, the first sends and the others find it
        # just sent.
        sent = invitation.last_sent_at
        if sent is not None and now - sent < RESEND_INTERVAL:
            raise ValidationError(
                _(
                    "The invitation to %(email)s was sent a moment ago. Give it a few minutes "
                    "to arrive before sending it again."
                )
                % {"email": invitation.email}
            )
        invitation.last_sent_at = now
        invitation.expires_at = _expiry(now)
        token = invitation.new_token()
        invitation.save(update_fields=["last_sent_at", "expires_at", "token_hash"])
        transaction.on_commit(
            partial(notifications.invitation, invitation, token, language=_sender_language())
        )
    return invitation


def revoke_invitation(*, invitation: Invitation, by: User) -> Invitation:
    with transaction.atomic():
        invitation = _locked(invitation, by)
        if invitation.state() not in (
            Invitation.State.PENDING,
            Invitation.State.EXPIRED,
            Invitation.State.AWAITING_APPROVAL,
        ):
            raise ValidationError(
                _("Only an invitation nobody has accepted or revoked is revoked.")
            )
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


class InvitationUnusable(Exception):
    """The link opens nothing: forged, used, revoked or expired. `reason` says which, in words
    fit for the person holding it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def usable_invitation(token: str) -> Invitation:
    """The invitation a link's token opens, or InvitationUnusable."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=token_digest(token or ""))
        .first()
    )
    _check_usable(invitation, token)
    return invitation


def _check_usable(invitation: Invitation | None, token: str) -> None:
    if invitation is None or not invitation.matches(token):
        raise InvitationUnusable(_("This link is not a working invitation link."))
    state = invitation.state()
    if state == Invitation.State.ACCEPTED:
        raise InvitationUnusable(_("This invitation has already been used to make an account."))
    if state in (Invitation.State.REVOKED, Invitation.State.DECLINED):
        raise InvitationUnusable(_("This invitation was withdrawn."))
    if state == Invitation.State.AWAITING_APPROVAL:
        raise InvitationUnusable(_("This invitation has not been sent yet."))
    if state == Invitation.State.EXPIRED:
        raise InvitationUnusable(_("This invitation has expired."))
    if account_exists(invitation.email):
        raise InvitationUnusable(_("This address already has an account."))


def accept_invitation(*, token: str, password: str) -> User:
    """Make the invited person's account with their own password, once."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation")
            .filter(token_hash=token_digest(token or ""))
            .first()
        )
        _check_usable(invitation, token)
        user = User(
            username=invitation.email.lower(),
            email=invitation.email,
            first_name=invitation.first_name,
            last_name=invitation.last_name,
            organisation=invitation.organisation,
            role=invitation.role,
        )
        user.set_password(password)
        with audit.acting_as(user):
            user.save()
            invitation.accepted_at = timezone.now()
            invitation.user = user
            invitation.save(update_fields=["accepted_at", "user"])
    return user


LAST_ADMINISTRATOR = gettext_lazy(
    "%(name)s is the only administrator of %(organisation)s: make someone else its "
    "administrator first, so that somebody can still let its people in."
)


def _keeps_an_administrator(person: User, by: User) -> None:
    """A provider keeps an active administrator, or nobody could approve its invitations; a
    superuser may still leave it without one."""
    if (
        by.is_superuser
        or person.role != User.Role.PROVIDER_ADMIN
        or not person.is_active
        or User.objects.filter(
            organisation_id=person.organisation_id,
            role=User.Role.PROVIDER_ADMIN,
            is_active=True,
        )
        .exclude(pk=person.pk)
        .exists()
    ):
        return
    raise ValidationError(
        LAST_ADMINISTRATOR
        % {"name": person.get_full_name() or person.username, "organisation": person.organisation}
    )


def deactivate_person(*, person: User, by: User) -> User:
    """The person can no longer sign in, and every session they have open ends."""
    with transaction.atomic():
        person = _locked_person(person, by)
        if not person.is_active:
            return person
        _keeps_an_administrator(person, by)
        person.is_active = False
        person.session_version += 1
        person.save(update_fields=["is_active", "session_version"])
    return person


def reactivate_person(*, person: User, by: User) -> User:
    with transaction.atomic():
        person = _locked_person(person, by)
        if not person.is_active:
            person.is_active = True
            person.save(update_fields=["is_active"])
    return person


def change_role(*, person: User, by: User, role: str) -> User:
    if not permissions.can_change_role(by, person):
        raise PermissionDenied
    with transaction.atomic():
        person = (
            User.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=person.pk)
        )
        if role not in permissions.roles_for(by, person.organisation):
            raise ValidationError({"role": _("Choose one of the roles offered.")})
        if person.role != role:
            _keeps_an_administrator(person, by)
            person.role = role
            person.save(update_fields=["role"])
    return person


def _locked_person(person: User, by: User) -> User:
    if not permissions.can_manage(by, person):
        raise PermissionDenied
    return User.objects.select_for_update().get(pk=person.pk)
