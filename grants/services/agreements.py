"""Setting an agreement up: its reporting quarters and its payment schedule."""

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from grants import permissions
from grants.models import (
    AddedValue,
    Agreement,
    AgreementObjective,
    IndicatorTarget,
    InKindContribution,
    MinimumRequirement,
    PaymentInstalment,
    PerformanceIndicator,
    ReportingPeriod,
    instalment_label,
)
from grants.money import split_evenly
from sla_monitor import audit, periods


def ensure_reporting_periods(*, first_year: int, last_year: int) -> list[ReportingPeriod]:
    """Create the quarters of financial years first_year … last_year that do not exist yet."""
    return list(reporting_periods(years=range(first_year, last_year + 1)).values())


def reporting_periods(*, years: Iterable[int]) -> dict[tuple[int, int], ReportingPeriod]:
    """The quarters of the financial years by (year, quarter), those that do not exist yet
    made, in a fixed number of queries however many years."""
    years = sorted(set(years))
    found = {
        (p.financial_year, p.quarter): p
        for p in ReportingPeriod.objects.filter(financial_year__in=years)
    }
    missing = []
    for year in years:
        for quarter in range(1, 5):
            if (year, quarter) not in found:
                start, end = periods.quarter_dates(year, quarter)
                due = periods.return_due_date(year, quarter)
                missing.append(
                    ReportingPeriod(
                        financial_year=year,
                        quarter=quarter,
                        start_date=start,
                        end_date=end,
                        due_date=due,
                    )
                )
    if missing:
        found.update({(p.financial_year, p.quarter): p for p in _create_periods(missing)})
    return dict(sorted(found.items()))


def _create_periods(missing: list[ReportingPeriod]) -> list[ReportingPeriod]:
    try:
        with transaction.atomic():
            created = ReportingPeriod.objects.bulk_create(missing)
    except IntegrityError:
        # Another request made some of them at the same moment: theirs stand.
        return [
            ReportingPeriod.objects.get_or_create(
                financial_year=p.financial_year,
                quarter=p.quarter,
                defaults={
                    "start_date": p.start_date,
                    "end_date": p.end_date,
                    "due_date": p.due_date,
                },
            )[0]
            for p in missing
        ]
    audit.record_bulk_writes(created=created)
    return created


def set_up_agreement(*, agreement: Agreement) -> None:
    """Make the reporting quarters an agreement's returns need, and its payment schedule."""
    years = periods.financial_years(agreement.start_date, agreement.end_date)
    ensure_reporting_periods(first_year=years[0], last_year=years[-1])
    create_instalment_schedule(agreement=agreement)


def set_up_agreements(*, agreements: list[Agreement]) -> list[PaymentInstalment]:
    """`set_up_agreement` for agreements that have no payment schedule yet, such as those an
    import has just made, in a fixed number of queries however many: their instalments, each
    agreement's in order."""
    plans = [
        (
            agreement,
            planned_instalments(
                start=agreement.start_date,
                end=agreement.end_date,
                total=agreement.total_allocation,
            ),
        )
        for agreement in agreements
    ]
    quarters = reporting_periods(
        years=[
            year
            for agreement in agreements
            for year in periods.financial_years(agreement.start_date, agreement.end_date)
        ]
    )
    return PaymentInstalment.objects.bulk_create(
        PaymentInstalment(
            agreement=agreement,
            sequence=i.sequence,
            financial_year=i.financial_year,
            amount=i.amount,
            due_date=i.due_date,
            depends_on_period=quarters.get(i.waits_for),
        )
        for agreement, plan in plans
        for i in plan
    )


@dataclass(frozen=True)
class PlannedInstalment:
    sequence: int
    financial_year: int
    amount: Decimal
    due_date: dt.date
    waits_for: tuple[int, int] | None  # (financial year, quarter) whose return it waits for
    year_ordinal: int = 1  # its place among the instalments of its financial year

    @property
    def label(self) -> str:
        return instalment_label(self.financial_year, self.year_ordinal)

    @property
    def waits_for_label(self) -> str:
        """The quarter whose return it waits for, "Q1 2026/27"; empty when it waits for none."""
        if self.waits_for is None:
            return ""
        year, quarter = self.waits_for
        return f"Q{quarter} {periods.financial_year_label(year)}"


def planned_instalments(*, start: dt.date, end: dt.date, total: Decimal) -> list[PlannedInstalment]:
    """The allocation as two payments a year, in advance, for as long as the agreement runs: the
    first of each of its years on the agreement's anniversary, the second six months later once
    the return of that year's first quarter is approved. Only payments due within the agreement
    are made, so a part year has one or two; they are equal and add up to the total to the
    penny."""
    due_dates = []
    while (due := _add_months(start, 6 * len(due_dates))) <= end:
        due_dates.append(due)
    quarters = agreement_quarters(start, end)
    planned = []
    in_year: Counter[int] = Counter()
    for index, amount in enumerate(split_evenly(total, parts=len(due_dates))):
        year_index, half = divmod(index, 2)
        year_start = _add_months(start, 12 * year_index)
        year = periods.financial_year_of(year_start)
        in_year[year] += 1
        first_quarter = next((q for q in quarters if q[2] >= year_start), None)
        planned.append(
            PlannedInstalment(
                sequence=index + 1,
                financial_year=year,
                amount=amount,
                due_date=due_dates[index],
                waits_for=first_quarter[:2] if half == 1 and first_quarter else None,
                year_ordinal=in_year[year],
            )
        )
    return planned


def agreement_quarters(start: dt.date, end: dt.date) -> list[tuple[int, int, dt.date, dt.date]]:
    """(financial year, quarter, first day, last day) of each quarter an agreement's returns
    cover: the financial-year quarters wholly within it."""
    return [
        (year, quarter, first, last)
        for year in periods.financial_years(start, end)
        for quarter in range(1, 5)
        for first, last in [periods.quarter_dates(year, quarter)]
        if periods.reports_on(start, end, first, last)
    ]


def quarters_between(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """(quarter, last day, returns due) for each quarter an agreement's returns cover."""
    return [
        (
            f"Q{quarter} {periods.financial_year_label(year)}",
            last,
            periods.return_due_date(year, quarter),
        )
        for year, quarter, _, last in agreement_quarters(start, end)
    ]


@transaction.atomic
def create_instalment_schedule(*, agreement: Agreement) -> list[PaymentInstalment]:
    """Schedule the agreement's allocation (`planned_instalments`). An existing schedule is left
    alone, so calling this again changes nothing."""
    existing = list(agreement.instalments.order_by("sequence"))
    if existing:
        return existing
    return set_up_agreements(agreements=[agreement])


@transaction.atomic
def create_agreement(
    *,
    by,
    details: dict,
    outcome: str = "",
    payment_terms: str = "",
    objectives: list[str],
    requirements: list[str],
    in_kind: list[str | tuple[str, str]],
    added_values: list[str],
    indicators: list[dict],
) -> Agreement:
    """An agreement with its parts, quarters and payment schedule, all or nothing, checked by the
    model's own rules (the lead officer of the funder, the award within the fund). Each in-kind
    contribution is its description, or a (description, condition) pair."""
    funder = details["funder"]
    if not permissions.can_set_up_agreement_for(by, funder):
        raise PermissionDenied("Only a lead officer of the funding council sets up its agreements.")
    agreement = Agreement(**details, outcome=outcome, payment_terms=payment_terms)
    agreement.full_clean()
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError:
        # Set up at the same moment from another tab or a double click: theirs stands.
        raise ValidationError(
            {"reference": f"Another agreement already has the reference {agreement.reference}."}
        ) from None
    AgreementObjective.objects.bulk_create(
        AgreementObjective(agreement=agreement, order=n, text=text)
        for n, text in enumerate(objectives, start=1)
    )
    MinimumRequirement.objects.bulk_create(
        MinimumRequirement(agreement=agreement, number=n, text=text)
        for n, text in enumerate(requirements, start=1)
    )
    InKindContribution.objects.bulk_create(
        InKindContribution(agreement=agreement, order=n, description=text, condition=condition)
        for n, (text, condition) in enumerate(
            ((item, "") if isinstance(item, str) else item for item in in_kind), start=1
        )
    )
    AddedValue.objects.bulk_create(
        AddedValue(agreement=agreement, order=n, text=text)
        for n, text in enumerate(added_values, start=1)
    )
    for order, values in enumerate(indicators, start=1):
        values = dict(values)
        targets = values.pop("targets", [])
        indicator = PerformanceIndicator(agreement=agreement, order=order, **values)
        indicator.full_clean()
        indicator.save()
        for target in targets:
            row = IndicatorTarget(indicator=indicator, **target)
            row.full_clean()
            row.save()
    set_up_agreement(agreement=agreement)
    return agreement


def period_after(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period that follows an agreement's, as long as it: as many months from the day after
    it ends, or, for a period not of whole months, as many days."""
    following = end + dt.timedelta(days=1)
    months = (following.year - start.year) * 12 + following.month - start.month
    if months > 0 and _add_months(start, months) == following:
        return following, _add_months(following, months) - dt.timedelta(days=1)
    return following, following + (end - start)


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
