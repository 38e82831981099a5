"""E-mails about returns and payments. Called after the transaction commits, never inside it."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import date_format

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


def _provider_recipients(agreement) -> list[str]:
    """The e-mail addresses of the agreement's provider's active people."""
    return list(
        User.objects.reporting_for_providers()
        .filter(organisation_id=agreement.provider_id)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def return_decided(quarterly_return, *, by) -> None:
    agreement = quarterly_return.agreement
    recipients = _provider_recipients(agreement)
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
    flagged = _flagged_answers(agreement, transition.flagged_answers)
    send_mail(
        subject=f"Return {outcome}: {agreement.reference} {quarterly_return.period}",
        message=(
            f"Your {quarterly_return.period} return for {agreement.title} "
            f"({agreement.reference}) was {outcome}.\n{comment}{flagged}\n"
            f"Open it: {_link(reverse('grants:return_detail', args=[quarterly_return.pk]))}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


def _flagged_answers(agreement, flagged: list[dict]) -> str:
    """Each answer the officer flagged, by its code and wording, with what needs changing."""
    if not flagged:
        return ""
    ids: dict[str, set[int]] = {"indicator": set(), "requirement": set()}
    for flag in flagged:
        kind, _, pk = flag.get("key", "").partition(":")
        if kind in ids and pk.isdigit():
            ids[kind].add(int(pk))
    wording = {
        f"indicator:{pk}": text
        for pk, text in agreement.indicators.filter(pk__in=ids["indicator"]).values_list(
            "pk", "wording"
        )
    } | {
        f"requirement:{pk}": text
        for pk, text in agreement.requirements.filter(pk__in=ids["requirement"]).values_list(
            "pk", "text"
        )
    }
    lines = [f"\n{len(flagged)} answer{'s' if len(flagged) != 1 else ''} to change:"]
    for flag in flagged:
        text = wording.get(flag.get("key", ""))
        lines.append(f"\n{flag['label']}" + (f": {text}" if text else ""))
        lines.append(f"  What needs changing: {flag['comment']}")
    return "\n".join(lines) + "\n"


def instalment_decided(transition) -> None:
    """Tell the provider an instalment was released or withheld, and why."""
    instalment = transition.instalment
    agreement = instalment.agreement
    recipients = _provider_recipients(agreement)
    if not recipients:
        return
    released = transition.to_status == instalment.Status.RELEASED
    outcome = "released" if released else "withheld"
    by = transition.by.get_full_name() or transition.by.username
    why = ""
    if transition.reason:
        why = f"\n{'Note' if released else 'Reason'} from {by}:\n{transition.reason}\n"
    officer = agreement.lead_officer
    contact = ""
    if not released and officer is not None and officer.email:
        name = officer.get_full_name() or officer.username
        contact = f"\nTo talk it through, contact your lead officer, {name}: {officer.email}\n"
    link = reverse("grants:agreement_detail", args=[agreement.pk])
    send_mail(
        subject=f"Payment {outcome}: {agreement.reference} {instalment.label}",
        message=(
            f"The {instalment.label} of £{instalment.amount:,.2f} for {agreement.title} "
            f"({agreement.reference}) was {outcome} by {by} on "
            f"{dateformat.format(timezone.localtime(transition.at), 'j F Y')}.\n{why}{contact}\n"
            f"See the agreement's payments: "
            f"{_link(f'{link}?year={instalment.financial_year}#payments-heading')}\n"
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
        "due": date_format(period.due_date),
        "provider": agreement.provider.name,
    }
    link = _link(reverse("grants:agreement_detail", args=[agreement.pk]))
    send_mail(
        subject=subject.format(**values),
        message=body.format(**values) + f"\n\nOpen SLA Monitor: {link}\n",
        from_email=None,
        recipient_list=recipients,
    )
