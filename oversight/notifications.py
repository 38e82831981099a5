"""E-mails to people about their accounts. Called after the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sla_monitor.models import Invitation, User


def invitation(invitation: Invitation, token: str) -> None:
    """The invitation's link, which carries the token; nothing else ever holds it."""
    by = invitation.invited_by
    link = settings.SITE_URL.rstrip("/") + reverse("oversight:invitation_link", args=[token])
    expires = date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT")
    send_mail(
        subject=f"You are invited to SLA Monitor for {invitation.organisation.name}",
        message=(
            f"Dear {invitation.first_name},\n\n"
            f"{by.get_full_name() or by.username} has invited you to SLA Monitor, where "
            f"{invitation.organisation.name} works with the council on its funded agreements.\n\n"
            f"Choose your password and start here:\n{link}\n\n"
            f"The link works once, until {expires}. If you were not expecting this, you can "
            "ignore it.\n"
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )


def _people_page_link() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("oversight:invitations")


def invitation_asked(invitation: Invitation) -> None:
    """The provider's administrators are asked to let someone in; where it has none yet (another
    council funds it too), the service's administrators."""
    administrators = list(
        User.objects.filter(
            organisation_id=invitation.organisation_id,
            role=User.Role.PROVIDER_ADMIN,
            is_active=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
    ) or list(
        User.objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not administrators:
        return
    by = invitation.invited_by
    values = {
        "asker": by.get_full_name() or by.username,
        "council": by.organisation.name if by.organisation else "",
        "person": f"{invitation.first_name} {invitation.last_name}",
        "email": invitation.email,
        "organisation": invitation.organisation.name,
        "link": _people_page_link(),
    }
    send_mail(
        subject=_("%(council)s asks to invite someone to %(organisation)s") % values,
        message=_(
            "%(asker)s of %(council)s asks to invite %(person)s (%(email)s) to SLA Monitor as "
            "one of the people of %(organisation)s.\n\n"
            "Nothing has been sent to them. Approve the invitation to send it, or decline it, "
            "here:\n%(link)s\n"
        )
        % values,
        from_email=None,
        recipient_list=administrators,
    )


def invitation_declined(invitation: Invitation) -> None:
    """Whoever asked is told that the provider declined."""
    by = invitation.invited_by
    if not by.email:
        return
    values = {
        "person": f"{invitation.first_name} {invitation.last_name}",
        "email": invitation.email,
        "organisation": invitation.organisation.name,
    }
    send_mail(
        subject=_("%(organisation)s declined your invitation") % values,
        message=_(
            "%(organisation)s declined your invitation to %(person)s (%(email)s): nothing was "
            "sent to them. Ask %(organisation)s who should work with you in SLA Monitor; its "
            "administrators invite their own people.\n"
        )
        % values,
        from_email=None,
        recipient_list=[by.email],
    )
