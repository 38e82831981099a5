"""E-mails about returns. Called after the transaction commits, never inside it."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from sla_monitor.models import User


def _link(path: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{path}"


def return_submitted(quarterly_return, *, by) -> None:
    officer = quarterly_return.agreement.lead_officer
    if officer is None or not officer.email:
        return
    agreement = quarterly_return.agreement
    send_mail(
        subject=f"Return submitted: {agreement.reference} {quarterly_return.period}",
        message=(
            f"{agreement.provider.name} submitted its {quarterly_return.period} return for "
            f"{agreement.title} ({agreement.reference}).\n\n"
            f"Review it: {_link(reverse('grants:return_detail', args=[quarterly_return.pk]))}\n"
        ),
        from_email=None,
        recipient_list=[officer.email],
    )


def return_decided(quarterly_return, *, by) -> None:
    agreement = quarterly_return.agreement
    recipients = list(
        User.objects.filter(
            organisation_id=agreement.provider_id, role=User.Role.PROVIDER, is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    transition = quarterly_return.transitions.order_by("-at", "-pk").first()
    approved = quarterly_return.status == quarterly_return.Status.APPROVED
    outcome = "approved" if approved else "sent back for changes"
    comment = (
        f"\nComment from {by.get_full_name() or by.username}:\n{transition.comment}\n"
        if transition.comment
        else ""
    )
    send_mail(
        subject=f"Return {outcome}: {agreement.reference} {quarterly_return.period}",
        message=(
            f"Your {quarterly_return.period} return for {agreement.title} "
            f"({agreement.reference}) was {outcome}.\n{comment}\n"
            f"Open it: {_link(reverse('grants:return_detail', args=[quarterly_return.pk]))}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


REMINDER_TEXT = {
    "due_soon": (
        "Return due soon: {ref} {period}",
        "Your {period} return for {title} ({ref}) is due on {due}.",
    ),
    "overdue": (
        "Return overdue: {ref} {period}",
        "Your {period} return for {title} ({ref}) was due on {due} and has not been submitted.",
    ),
    "escalation": (
        "Overdue return: {provider}, {ref} {period}",
        "{provider}'s {period} return for {title} ({ref}) was due on {due} and has not been "
        "submitted.",
    ),
    "awaiting_review": (
        "Return waiting for review: {ref} {period}",
        "{provider}'s {period} return for {title} ({ref}) has waited for your review since it "
        "was submitted.",
    ),
}


def reminder(agreement, period, kind: str, recipients: list[str]) -> None:
    subject, body = REMINDER_TEXT[kind]
    values = {
        "ref": agreement.reference,
        "title": agreement.title,
        "period": period,
        "due": f"{period.due_date:%d %B %Y}",
        "provider": agreement.provider.name,
    }
    link = _link(reverse("grants:agreement_detail", args=[agreement.pk]))
    send_mail(
        subject=subject.format(**values),
        message=body.format(**values) + f"\n\nOpen SLA Monitor: {link}\n",
        from_email=None,
        recipient_list=recipients,
    )
