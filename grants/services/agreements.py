"""Setting an agreement up: its reporting quarters and its payment schedule."""

import calendar
import datetime as dt

from django.db import transaction

from grants.models import Agreement, PaymentInstalment, ReportingPeriod
from grants.money import split_allocation
from sla_monitor import periods


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
    years = periods.financial_years(agreement.start_date, agreement.end_date)
    ensure_reporting_periods(first_year=years[0], last_year=years[-1])
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
