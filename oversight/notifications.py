"""Telling people about invitations: the invitation itself, e-mailed after the transaction
commits to someone who has no account yet; and, to people who have one, through their inboxes
(`sla_monitor.inbox`), an invitation waiting for their approval or one they asked for declined."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sla_monitor import inbox
from sla_monitor.models import Invitation, Notification, User


def invitation(invitation: Invitation, token: str) -> None:
    """The invitation's link, which carries the token; nothing else ever holds it."""
    by = invitation.invited_by
    link = settings.SITE_URL.rstrip("/") + reverse("oversight:invitation_link", args=[token])
    expires = date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT")
    send_mail(
        subject=_("You are invited to SLA Monitor for %(organisation)s")
        % {"organisation": invitation.organisation.name},
        message=_(
            "Dear %(name)s,\n\n"
            "%(by)s has invited you to SLA Monitor, where %(organisation)s works with the council "
            "on its funded agreements.\n\n"
            "Choose your password and start here:\n%(link)s\n\n"
            "The link works once, until %(expires)s. If you were not expecting this, you can "
            "ignore it.\n"
        )
        % {
            "name": invitation.first_name,
            "by": by.get_full_name() or by.username,
            "organisation": invitation.organisation.name,
            "link": link,
            "expires": expires,
        },
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_asked(invitation: Invitation) -> None:
    """The provider's administrators are asked to let someone in; where it has none yet (another
    council funds it too), the service's administrators. Called inside the transaction that
    asks."""
    administrators = list(
        User.objects.filter(
            organisation_id=invitation.organisation_id,
            role=User.Role.PROVIDER_ADMIN,
            is_active=True,
        )
    ) or list(User.objects.filter(is_superuser=True, is_active=True))
    by = invitation.invited_by
    inbox.notify(
        recipients=administrators,
        kind=Notification.Kind.INVITATION_ASKED,
        link=reverse("oversight:invitations"),
        params={
            "asker": by.get_full_name() or by.username,
            "council": by.organisation.name if by.organisation else "",
            "person": f"{invitation.first_name} {invitation.last_name}",
            "email": invitation.email,
            "organisation": invitation.organisation.name,
        },
    )


def _invitation_asked_email(notification: Notification) -> inbox.Email:
    return inbox.Email(
        subject=inbox.subject(notification),
        body=_(
            "%(asker)s of %(council)s asks to invite %(person)s (%(email)s) to SLA Monitor as "
            "one of the people of %(organisation)s.\n\n"
            "Nothing has been sent to them. Approve the invitation to send it, or decline it, "
            "here:\n%(link)s\n"
        )
        % {**inbox.values(notification), "link": inbox.site_link(notification.link)},
    )


def invitation_declined(invitation: Invitation) -> None:
    """Whoever asked is told that the provider declined. Called inside the transaction that
    declines."""
    inbox.notify(
        recipients=[invitation.invited_by],
        kind=Notification.Kind.INVITATION_DECLINED,
        link=reverse("oversight:invitations"),
        params={
            "person": f"{invitation.first_name} {invitation.last_name}",
            "email": invitation.email,
            "organisation": invitation.organisation.name,
        },
    )


def _invitation_declined_email(notification: Notification) -> inbox.Email:
    return inbox.Email(
        subject=inbox.subject(notification),
        body=_(
            "%(organisation)s declined your invitation to %(person)s (%(email)s): nothing was "
            "sent to them. Ask %(organisation)s who should work with you in SLA Monitor; its "
            "administrators invite their own people.\n"
        )
        % inbox.values(notification),
    )


def register() -> None:
    """How the e-mails about invitations asked for and declined are written
    (`OversightConfig.ready`)."""
    inbox.register_email(Notification.Kind.INVITATION_ASKED, _invitation_asked_email)
    inbox.register_email(Notification.Kind.INVITATION_DECLINED, _invitation_declined_email)
