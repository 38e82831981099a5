"""Every write to the grants domain goes through a function here.

A return's lifecycle: draft -> submitted -> (changes_requested -> submitted ...) -> approved.
Each step locks the return's row, checks the state it leaves and the user's right to take it,
raises the return's version, records the transition and sends its e-mail after the commit.
"""

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch, Sum
from django.utils import timezone

from grants import periods, selectors, tasks
from grants.evidence import check_evidence_file
from grants.models import (
    Agreement,
    EvidenceFile,
    IndicatorAnswer,
    InstalmentTransition,
    MonitoringMeeting,
    PaymentInstalment,
    PerformanceIndicator,
    QuarterlyReturn,
    Reminder,
    ReportingPeriod,
    RequirementAnswer,
    ReturnSubmission,
    ReturnTransition,
)
from grants.money import split_allocation
from sla_monitor import access

Status = QuarterlyReturn.Status


class StaleReturnError(ValidationError):
    """The return changed since the page was loaded; nothing was saved."""


class ReturnStateError(ValidationError):
    """The return is no longer in a state that allows this step; nothing was changed."""


def ensure_reporting_periods(*, first_year: int, last_year: int) -> list[ReportingPeriod]:
    """Create the quarters of financial years first_year … last_year that do not exist yet."""
    result = []
    for year in range(first_year, last_year + 1):
        for quarter in range(1, 5):
            start, end = periods.quarter_dates(year, quarter)
            period, _ = ReportingPeriod.objects.get_or_create(
                financial_year=year,
                quarter=quarter,
                defaults={
                    "start_date": start,
                    "end_date": end,
                    "due_date": periods.return_due_date(year, quarter),
                },
            )
            result.append(period)
    return result


def set_up_agreement(*, agreement: Agreement) -> None:
    """Make the reporting quarters an agreement's returns need, and its payment schedule."""
    first_year = periods.financial_year_of(agreement.start_date)
    ensure_reporting_periods(
        first_year=first_year, last_year=periods.financial_year_of(agreement.end_date)
    )
    create_instalment_schedule(agreement=agreement)


@transaction.atomic
def create_instalment_schedule(*, agreement: Agreement) -> list[PaymentInstalment]:
    """Schedule the agreement's allocation as two payments a year, in advance.

    The first instalment of each year is due on the agreement's anniversary and the second six
    months later; the second one waits for that year's first-quarter return to be approved.
    An existing schedule is left alone, so calling this again changes nothing.
    """
    existing = list(agreement.instalments.order_by("sequence"))
    if existing:
        return existing
    first_year = periods.financial_year_of(agreement.start_date)
    ensure_reporting_periods(first_year=first_year, last_year=first_year + agreement.years - 1)
    amounts = split_allocation(agreement.total_allocation, years=agreement.years)
    instalments = []
    for index, amount in enumerate(amounts):
        year_index, half = divmod(index, 2)
        year_start = _add_months(agreement.start_date, 12 * year_index)
        depends_on = None
        if half == 1:
            depends_on = ReportingPeriod.objects.get(
                financial_year=periods.financial_year_of(year_start), quarter=1
            )
        instalments.append(
            PaymentInstalment(
                agreement=agreement,
                sequence=index + 1,
                financial_year=periods.financial_year_of(year_start),
                amount=amount,
                due_date=_add_months(year_start, 6 * half),
                depends_on_period=depends_on,
            )
        )
    return PaymentInstalment.objects.bulk_create(instalments)


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# Returns ---------------------------------------------------------------------------------


def start_return(*, agreement: Agreement, period: ReportingPeriod, by) -> QuarterlyReturn:
    """The provider's return for a quarter, created as a draft the first time it is opened."""
    if not access.can_start_return(by, agreement):
        raise PermissionDenied("Only the provider of the agreement can start its returns.")
    if period.start_date < agreement.start_date or period.end_date > agreement.end_date:
        raise ValidationError(f"{period} is outside the agreement's period.")
    try:
        with transaction.atomic():
            quarterly_return, _ = QuarterlyReturn.objects.get_or_create(
                agreement=agreement, period=period
            )
    except IntegrityError:
        # Someone else started it at the same moment; theirs is the one.
        quarterly_return = QuarterlyReturn.objects.get(agreement=agreement, period=period)
    return quarterly_return


def _lock(quarterly_return: QuarterlyReturn, expected_version: int | None) -> QuarterlyReturn:
    locked = (
        QuarterlyReturn.objects.select_for_update(of=("self",))
        .select_related("agreement", "period")
        .get(pk=quarterly_return.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleReturnError(
            "This return has changed since you opened the page, so nothing was saved. "
            "Check the latest answers below, then make your change again.",
            code="stale",
        )
    return locked


def _require_editable(locked: QuarterlyReturn, by) -> None:
    if not access.can_edit_return(by, locked):
        if locked.agreement.provider_id == getattr(by, "organisation_id", None):
            raise ReturnStateError(
                f"This return is {locked.get_status_display().lower()} and can no longer be "
                "changed.",
                code="state",
            )
        raise PermissionDenied("Only the provider can change this return.")


def _bump(locked: QuarterlyReturn, **fields) -> None:
    fields["version"] = F("version") + 1
    fields["updated_at"] = timezone.now()
    QuarterlyReturn.objects.filter(pk=locked.pk).update(**fields)
    locked.refresh_from_db(fields=["version", "status", "updated_at", "submitted_at", "decided_at"])


@transaction.atomic
def save_indicator_answer(
    *,
    quarterly_return: QuarterlyReturn,
    indicator: PerformanceIndicator,
    by,
    expected_version: int | None,
    actual_value: Decimal | None = None,
    achieved: bool | None = None,
    narrative: str = "",
    evidence: Sequence[UploadedFile] = (),
) -> IndicatorAnswer:
    """Save one indicator's answer as a draft: incomplete is fine, invalid is not."""
    locked = _lock(quarterly_return, expected_version)
    _require_editable(locked, by)
    if indicator.agreement_id != locked.agreement_id:
        raise PermissionDenied("That indicator belongs to another agreement.")
    checked = [(upload, check_evidence_file(upload)) for upload in evidence]
    answer, _ = IndicatorAnswer.objects.get_or_create(quarterly_return=locked, indicator=indicator)
    answer.actual_value = actual_value if indicator.needs_value else None
    answer.achieved = achieved if indicator.measure_type == "milestone" else None
    answer.narrative = narrative.strip()
    answer.save(update_fields=["actual_value", "achieved", "narrative"])
    _store_evidence(locked, checked, by, indicator_answer=answer)
    _bump(locked)
    quarterly_return.version = locked.version
    return answer


@transaction.atomic
def save_requirement_answers(
    *,
    quarterly_return: QuarterlyReturn,
    by,
    expected_version: int | None,
    answers: dict[int, tuple[bool | None, str]],
) -> None:
    """Save the minimum requirements' answers: {requirement id: (met, narrative)}."""
    locked = _lock(quarterly_return, expected_version)
    _require_editable(locked, by)
    requirements = {r.pk: r for r in locked.agreement.requirements.all()}
    for requirement_id, (met, narrative) in answers.items():
        if requirement_id not in requirements:
            raise PermissionDenied("That requirement belongs to another agreement.")
        answer, _ = RequirementAnswer.objects.get_or_create(
            quarterly_return=locked, requirement=requirements[requirement_id]
        )
        answer.met = met
        answer.narrative = narrative.strip()
        answer.save(update_fields=["met", "narrative"])
    _bump(locked)
    quarterly_return.version = locked.version


def _store_evidence(locked, checked, by, *, indicator_answer=None) -> None:
    for upload, details in checked:
        evidence = EvidenceFile(
            quarterly_return=locked,
            indicator_answer=indicator_answer,
            original_name=details.name,
            content_type=details.content_type,
            size=details.size,
            uploaded_by=by,
        )
        evidence.file.save(details.name, upload, save=False)
        evidence.save()


@transaction.atomic
def remove_evidence(*, evidence: EvidenceFile, by, expected_version: int | None) -> None:
    locked = _lock(evidence.quarterly_return, expected_version)
    _require_editable(locked, by)
    stored = evidence.file
    evidence.delete()
    _bump(locked)
    transaction.on_commit(lambda: stored.storage.delete(stored.name))


@dataclass(frozen=True)
class Problem:
    """An answer a submission still needs, and where to give it."""

    key: str
    label: str
    message: str
    indicator_id: int | None  # None for the minimum requirements section
    field_id: str


def missing_answers(quarterly_return: QuarterlyReturn) -> list[Problem]:
    """Every required answer not yet given, in the order the return asks them."""
    detail = selectors.return_detail(quarterly_return)
    problems = []
    for row in detail.indicator_rows:
        indicator, answer = row.indicator, row.answer
        label = f"Indicator {indicator.code}"
        if indicator.needs_value and answer.actual_value is None:
            problems.append(
                Problem(
                    row.key,
                    label,
                    f"Enter the actual for indicator {indicator.code}",
                    indicator.pk,
                    "id_actual_value",
                )
            )
        elif indicator.measure_type == "milestone" and answer.achieved is None:
            problems.append(
                Problem(
                    row.key,
                    label,
                    f"Say whether indicator {indicator.code} has been achieved",
                    indicator.pk,
                    "id_achieved_0",
                )
            )
        elif indicator.measure_type == "narrative" and not answer.narrative:
            problems.append(
                Problem(
                    row.key,
                    label,
                    f"Describe the work for indicator {indicator.code}",
                    indicator.pk,
                    "id_narrative",
                )
            )
    for row in detail.requirement_rows:
        requirement, answer = row.requirement, row.answer
        field = f"id_met_{requirement.pk}"
        if answer.met is None:
            problems.append(
                Problem(
                    row.key,
                    f"Requirement {requirement.number}",
                    f"Say whether minimum requirement {requirement.number} was met",
                    None,
                    f"{field}_0",
                )
            )
        elif answer.met is False and not answer.narrative:
            problems.append(
                Problem(
                    row.key,
                    f"Requirement {requirement.number}",
                    f"Explain why minimum requirement {requirement.number} was not met",
                    None,
                    f"id_narrative_{requirement.pk}",
                )
            )
    return problems


class IncompleteReturnError(ValidationError):
    def __init__(self, problems: list[Problem]):
        super().__init__([p.message for p in problems], code="incomplete")
        self.problems = problems


def _record(locked, *, from_status, to_status, by, comment="", flagged=()) -> ReturnTransition:
    return ReturnTransition.objects.create(
        quarterly_return=locked,
        from_status=from_status,
        to_status=to_status,
        by=by,
        comment=comment,
        flagged_answers=list(flagged),
    )


@transaction.atomic
def submit_return(
    *, quarterly_return: QuarterlyReturn, by, expected_version: int | None = None
) -> QuarterlyReturn:
    locked = _lock(quarterly_return, expected_version)
    _require_editable(locked, by)
    problems = missing_answers(locked)
    if problems:
        raise IncompleteReturnError(problems)
    previous = locked.status
    snapshot = selectors.answers_snapshot(locked)
    number = locked.submissions.count() + 1
    ReturnSubmission.objects.create(
        quarterly_return=locked, number=number, submitted_by=by, answers=snapshot
    )
    locked.indicator_answers.exclude(change_comment="").update(change_comment="")
    locked.requirement_answers.exclude(change_comment="").update(change_comment="")
    _bump(locked, status=Status.SUBMITTED, submitted_at=timezone.now())
    _record(locked, from_status=previous, to_status=Status.SUBMITTED, by=by)
    transaction.on_commit(lambda: tasks.email_return_submitted.enqueue(locked.pk, by.pk))
    return locked


def _require_reviewable(locked: QuarterlyReturn, by) -> None:
    if access.can_review_return(by, locked):
        return
    if access.is_lead_officer(by) and locked.agreement.funder_id == by.organisation_id:
        last = locked.transitions.select_related("by").order_by("-at", "-pk").first()
        who = f" by {last.by.get_full_name() or last.by.username}" if last else ""
        raise ReturnStateError(
            f"This return is {locked.get_status_display().lower()}{who}, so it cannot be "
            "decided now. Nothing was changed.",
            code="state",
        )
    raise PermissionDenied("Only a lead officer of the funding council can decide this return.")


@transaction.atomic
def approve_return(
    *, quarterly_return: QuarterlyReturn, by, comment: str = "", expected_version: int | None = None
) -> QuarterlyReturn:
    locked = _lock(quarterly_return, expected_version)
    _require_reviewable(locked, by)
    _bump(locked, status=Status.APPROVED, decided_at=timezone.now())
    _record(
        locked,
        from_status=Status.SUBMITTED,
        to_status=Status.APPROVED,
        by=by,
        comment=comment.strip(),
    )
    transaction.on_commit(lambda: tasks.email_return_decided.enqueue(locked.pk, by.pk))
    return locked


@transaction.atomic
def request_changes(
    *,
    quarterly_return: QuarterlyReturn,
    by,
    comment: str,
    flags: dict[str, str] | None = None,
    expected_version: int | None = None,
) -> QuarterlyReturn:
    """Send the return back. `flags` maps answer keys ("indicator:<id>", "requirement:<id>")
    to what needs changing in that answer; the other answers stay as they were."""
    if not comment.strip():
        raise ValidationError(
            "Say what needs to change before sending the return back.", code="comment"
        )
    locked = _lock(quarterly_return, expected_version)
    _require_reviewable(locked, by)
    flagged = _flag_answers(locked, {k: v.strip() for k, v in (flags or {}).items() if v.strip()})
    _bump(locked, status=Status.CHANGES_REQUESTED, decided_at=timezone.now())
    _record(
        locked,
        from_status=Status.SUBMITTED,
        to_status=Status.CHANGES_REQUESTED,
        by=by,
        comment=comment.strip(),
        flagged=flagged,
    )
    transaction.on_commit(lambda: tasks.email_return_decided.enqueue(locked.pk, by.pk))
    return locked


def _flag_answers(locked: QuarterlyReturn, flags: dict[str, str]) -> list[dict[str, str]]:
    flagged = []
    indicator_answers = {
        f"indicator:{a.indicator_id}": a
        for a in locked.indicator_answers.select_related("indicator")
    }
    requirement_answers = {
        f"requirement:{a.requirement_id}": a
        for a in locked.requirement_answers.select_related("requirement")
    }
    for key, text in flags.items():
        if key in indicator_answers:
            answer = indicator_answers[key]
            label = f"Indicator {answer.indicator.code}"
        elif key in requirement_answers:
            answer = requirement_answers[key]
            label = f"Requirement {answer.requirement.number}"
        else:
            raise ValidationError("A flagged answer is not part of this return.", code="flag")
        answer.change_comment = text
        answer.save(update_fields=["change_comment"])
        flagged.append({"key": key, "label": label, "comment": text})
    return flagged


# Payments ------------------------------------------------------------------------------------


def _lock_instalment(instalment: PaymentInstalment, by) -> PaymentInstalment:
    locked = (
        PaymentInstalment.objects.select_for_update(of=("self",))
        .select_related("agreement", "depends_on_period")
        .get(pk=instalment.pk)
    )
    if not access.can_decide_instalment(by, locked):
        raise PermissionDenied("Only a lead officer of the funding council releases payments.")
    return locked


def _record_instalment(locked, *, to_status, by, reason) -> None:
    InstalmentTransition.objects.create(
        instalment=locked, from_status=locked.status, to_status=to_status, by=by, reason=reason
    )
    locked.status = to_status
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])


def release_blocker(instalment: PaymentInstalment) -> str | None:
    """Why the instalment cannot be released yet, or None when it can."""
    if instalment.status == PaymentInstalment.Status.RELEASED:
        return f"Instalment {instalment.sequence} has already been released."
    period = instalment.depends_on_period
    if period is None:
        return None
    needed = QuarterlyReturn.objects.filter(agreement_id=instalment.agreement_id, period=period)
    quarterly_return = needed.first()
    if quarterly_return is None:
        return (
            f"Instalment {instalment.sequence} needs the {period} return approved first; "
            "it has not been started."
        )
    if quarterly_return.status != QuarterlyReturn.Status.APPROVED:
        return (
            f"Instalment {instalment.sequence} needs the {period} return approved first; "
            f"it is {quarterly_return.get_status_display().lower()}."
        )
    return None


@transaction.atomic
def release_instalment(*, instalment: PaymentInstalment, by, reason: str = "") -> PaymentInstalment:
    locked = _lock_instalment(instalment, by)
    blocker = release_blocker(locked)
    if blocker:
        raise ValidationError(blocker, code="blocked")
    _record_instalment(locked, to_status=PaymentInstalment.Status.RELEASED, by=by, reason=reason)
    return locked


@transaction.atomic
def withhold_instalment(*, instalment: PaymentInstalment, by, reason: str) -> PaymentInstalment:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the instalment is withheld."})
    locked = _lock_instalment(instalment, by)
    if locked.status != PaymentInstalment.Status.SCHEDULED:
        raise ValidationError(
            f"Instalment {locked.sequence} is {locked.get_status_display().lower()}; only a "
            "scheduled instalment can be withheld.",
            code="state",
        )
    _record_instalment(
        locked, to_status=PaymentInstalment.Status.WITHHELD, by=by, reason=reason.strip()
    )
    return locked


def validate_award(agreement: Agreement) -> None:
    """An award may not exceed its fund's maximum award, nor what is left of its budget."""
    fund = agreement.fund
    if fund is None or agreement.total_allocation is None:
        return
    if fund.maximum_award is not None and agreement.total_allocation > fund.maximum_award:
        raise ValidationError(
            {
                "total_allocation": (
                    f"£{agreement.total_allocation:,.2f} is more than the {fund.name} maximum "
                    f"award of £{fund.maximum_award:,.2f}."
                )
            }
        )
    others = (
        Agreement.objects.filter(fund=fund)
        .exclude(pk=agreement.pk)
        .aggregate(total=Sum("total_allocation"))["total"]
        or 0
    )
    remaining = fund.budget - others
    if agreement.total_allocation > remaining:
        raise ValidationError(
            {
                "total_allocation": (
                    f"£{agreement.total_allocation:,.2f} is more than the £{remaining:,.2f} left "
                    f"in the {fund.name} budget of £{fund.budget:,.2f}."
                )
            }
        )


# Monitoring meetings ---------------------------------------------------------------------------


@transaction.atomic
def record_meeting(
    *,
    agreement: Agreement,
    by,
    held_on: dt.date,
    period: ReportingPeriod | None,
    attendees: str,
    notes: str = "",
    follow_up_actions: str = "",
) -> MonitoringMeeting:
    if not access.can_record_meeting(by, agreement):
        raise PermissionDenied("Only a lead officer of the funding council records meetings.")
    return MonitoringMeeting.objects.create(
        agreement=agreement,
        period=period,
        held_on=held_on,
        attendees=attendees.strip(),
        notes=notes.strip(),
        follow_up_actions=follow_up_actions.strip(),
        recorded_by=by,
    )


# Reminders -------------------------------------------------------------------------------------


def send_reminders(*, today: dt.date, days: int = 14, review_days: int = 14) -> list[Reminder]:
    """E-mail what is due within `days`, what is overdue, and what has waited for review over
    `review_days`; each reminder once per return and kind, so running this hourly repeats none."""
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
        ReportingPeriod.objects.filter(
            due_date__lte=today + dt.timedelta(days=days),
            start_date__gte=min(a.start_date for a in agreements),
        )
    )
    provider_emails = _provider_emails({a.provider_id for a in agreements})
    for agreement in agreements:
        done = {(r.period_id, r.kind) for r in agreement.reminders.all()}
        returns = {r.period_id: r for r in agreement.returns.all()}
        for period in periods:
            if period.end_date > agreement.end_date or period.start_date < agreement.start_date:
                continue
            for kind, recipients in _reminders_due(
                agreement, period, returns.get(period.pk), today, days, review_days, provider_emails
            ):
                if (period.pk, kind) in done or not recipients:
                    continue
                reminder = _send_reminder(agreement, period, kind, recipients)
                if reminder:
                    sent.append(reminder)
    return sent


def _provider_emails(organisation_ids) -> dict[int, list[str]]:
    from sla_monitor.models import User

    emails: dict[int, list[str]] = {}
    for organisation_id, email in (
        User.objects.filter(
            organisation_id__in=organisation_ids, role=User.Role.PROVIDER, is_active=True
        )
        .exclude(email="")
        .values_list("organisation_id", "email")
    ):
        emails.setdefault(organisation_id, []).append(email)
    return emails


def _reminders_due(agreement, period, quarterly_return, today, days, review_days, emails):
    providers = emails.get(agreement.provider_id, [])
    officer = (
        [agreement.lead_officer.email]
        if agreement.lead_officer and agreement.lead_officer.email
        else []
    )
    Kind = Reminder.Kind
    outstanding = quarterly_return is None or quarterly_return.is_editable
    if outstanding and today <= period.due_date <= today + dt.timedelta(days=days):
        yield Kind.DUE_SOON, providers
    if outstanding and period.due_date < today:
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


def _send_reminder(agreement, period, kind, recipients) -> Reminder | None:
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                agreement=agreement, period=period, kind=kind, recipients=", ".join(recipients)
            )
            transaction.on_commit(lambda: tasks.email_reminder.enqueue(reminder.pk))
    except IntegrityError:
        # Another run sent this one a moment ago.
        return None
    return reminder
