"""Reminders about returns, each sent once per return and kind: to the inboxes of the people it
is for, and by e-mail as each of them chose."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from grants import notifications
from grants.models import Agreement, QuarterlyReturn, Reminder, ReportingPeriod, overdue_on
from sla_monitor.models import User


def send_reminders(*, today: dt.date, days: int = 14, review_days: int = 14) -> list[Reminder]:
    """Remind people of what is due within `days`, what is overdue, and what has waited for
    review over `review_days`; each reminder once per return and kind, so running this hourly
    repeats none."""
    sent = []
    agreements = list(
        Agreement.objects.filter(status=Agreement.Status.ACTIVE)
        .select_related("provider", "lead_officer")
        .prefetch_related(
            Prefetch("returns", queryset=QuarterlyReturn.objects.select_related("period")),
            Prefetch(
                "reminders", queryset=Reminder.objects.only("agreement_id", "period_id", "kind")
            ),
        )
    )
    if not agreements:
        return sent
    periods = list(
        ReportingPeriod.objects.within_any(agreements).filter(
            due_date__lte=today + dt.timedelta(days=days)
        )
    )
    provider_people = _provider_people({a.provider_id for a in agreements})
    for agreement in agreements:
        done = {(r.period_id, r.kind) for r in agreement.reminders.all()}
        returns = {r.period_id: r for r in agreement.returns.all()}
        for period in periods:
            if not agreement.reports_in(period):
                continue
            for kind, recipients in _reminders_due(
                agreement, period, returns.get(period.pk), today, days, review_days, provider_people
            ):
                if (period.pk, kind) in done or not recipients:
                    continue
                reminder = _send_reminder(agreement, period, kind, recipients)
                if reminder:
                    sent.append(reminder)
    return sent


def _provider_people(organisation_ids) -> dict[int, list[User]]:
    people: dict[int, list[User]] = {}
    for person in User.objects.reporting_for_providers().filter(
        organisation_id__in=organisation_ids
    ):
        people.setdefault(person.organisation_id, []).append(person)
    return people


def _reminders_due(agreement, period, quarterly_return, today, days, review_days, people):
    providers = people.get(agreement.provider_id, [])
    lead_officer = agreement.lead_officer
    officer = [lead_officer] if lead_officer and lead_officer.is_active else []
    Kind = Reminder.Kind
    status = quarterly_return.status if quarterly_return else None
    outstanding = quarterly_return is None or quarterly_return.awaits_submission
    if outstanding and today <= period.due_date <= today + dt.timedelta(days=days):
        yield Kind.DUE_SOON, providers
    if overdue_on(today, due_date=period.due_date, status=status):
        yield Kind.OVERDUE, providers
        yield Kind.ESCALATION, officer
    if (
        quarterly_return is not None
        and quarterly_return.status == QuarterlyReturn.Status.SUBMITTED
        and quarterly_return.submitted_at
        and timezone.localdate(quarterly_return.submitted_at)
        <= today - dt.timedelta(days=review_days)
    ):
        yield Kind.AWAITING_REVIEW, officer


def _send_reminder(agreement, period, kind, recipients: list[User]) -> Reminder | None:
    """Record the reminder, with the addresses of the people it is for, and tell them."""
    addresses = ", ".join(person.email for person in recipients if person.email)
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                agreement=agreement, period=period, kind=kind, recipients=addresses
            )
            notifications.reminder(reminder, recipients)
    except IntegrityError:
        # Another run sent this one a moment ago.
        return None
    return reminder
