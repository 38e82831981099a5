"""E-mails to people about their accounts. Called after the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from sla_monitor.models import Invitation


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
