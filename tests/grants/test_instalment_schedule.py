import datetime as dt
from decimal import Decimal

import pytest

from grants.models import PaymentInstalment, ReportingPeriod
from grants.services import create_instalment_schedule, ensure_reporting_periods, set_up_agreement
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db


def test_schedule_pays_two_equal_instalments_a_year_in_advance():
    agreement = AgreementFactory(
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2029, 3, 31),
        total_allocation=Decimal("100000.00"),
    )

    instalments = create_instalment_schedule(agreement=agreement)

    assert [i.amount for i in instalments] == [Decimal("12500.00")] * 8
    assert [i.due_date for i in instalments[:4]] == [
        dt.date(2025, 4, 1),
        dt.date(2025, 10, 1),
        dt.date(2026, 4, 1),
        dt.date(2026, 10, 1),
    ]
    assert [i.financial_year for i in instalments[::2]] == [2025, 2026, 2027, 2028]


def test_second_instalment_of_each_year_waits_for_that_years_first_quarter():
    agreement = AgreementFactory(start_date=dt.date(2025, 4, 1), end_date=dt.date(2027, 3, 31))

    instalments = create_instalment_schedule(agreement=agreement)

    assert [i.depends_on_period and str(i.depends_on_period) for i in instalments] == [
        None,
        "Q1 2025/26",
        None,
        "Q1 2026/27",
    ]


def test_scheduling_twice_changes_nothing():
    agreement = AgreementFactory(total_allocation=Decimal("100000.01"))

    create_instalment_schedule(agreement=agreement)
    create_instalment_schedule(agreement=agreement)

    amounts = PaymentInstalment.objects.filter(agreement=agreement).values_list("amount", flat=True)
    assert len(amounts) == 8
    assert sum(amounts) == Decimal("100000.01")


def test_an_agreement_starting_in_january_is_paid_on_its_anniversaries():
    agreement = AgreementFactory(
        start_date=dt.date(2025, 1, 15),
        end_date=dt.date(2030, 1, 14),
        total_allocation=Decimal("50000.00"),
    )

    instalments = create_instalment_schedule(agreement=agreement)

    assert [i.due_date for i in instalments] == [
        dt.date(year, month, 15) for year in range(2025, 2030) for month in (1, 7)
    ]
    assert [i.financial_year for i in instalments[::2]] == [2024, 2025, 2026, 2027, 2028]


def test_setting_up_an_agreement_makes_the_quarters_of_every_year_it_touches():
    agreement = AgreementFactory(start_date=dt.date(2025, 10, 1), end_date=dt.date(2026, 9, 30))

    set_up_agreement(agreement=agreement)

    years = sorted(set(ReportingPeriod.objects.values_list("financial_year", flat=True)))
    assert years == [2025, 2026]
    assert ReportingPeriod.objects.count() == 8


def test_making_quarters_returns_them_and_makes_no_more_than_asked():
    periods = ensure_reporting_periods(first_year=2025, last_year=2026)

    assert [str(p) for p in periods] == [
        f"Q{q} {y}" for y in ("2025/26", "2026/27") for q in (1, 2, 3, 4)
    ]
    assert ReportingPeriod.objects.count() == 8


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        pytest.param(dt.date(2026, 4, 1), dt.date(2027, 3, 31), 2, id="one year"),
        pytest.param(dt.date(2027, 4, 1), dt.date(2030, 3, 31), 6, id="three years"),
        pytest.param(dt.date(2028, 4, 1), dt.date(2033, 3, 31), 10, id="five years, past 2028/29"),
        pytest.param(dt.date(2026, 10, 1), dt.date(2027, 3, 31), 1, id="six months"),
        pytest.param(dt.date(2026, 4, 1), dt.date(2027, 9, 30), 3, id="eighteen months"),
        pytest.param(dt.date(2026, 4, 1), dt.date(2028, 9, 30), 5, id="thirty months"),
        pytest.param(dt.date(2026, 7, 15), dt.date(2029, 7, 14), 6, id="from mid-July"),
        pytest.param(dt.date(2025, 1, 15), dt.date(2030, 1, 14), 10, id="from January"),
    ],
)
def test_every_instalment_falls_within_the_agreement_and_waits_only_for_its_own_returns(
    start, end, count
):
    agreement = AgreementFactory(
        start_date=start, end_date=end, total_allocation=Decimal("100000.01")
    )

    set_up_agreement(agreement=agreement)

    instalments = list(agreement.instalments.select_related("depends_on_period"))
    assert len(instalments) == count
    assert sum(i.amount for i in instalments) == Decimal("100000.01")
    assert max(i.amount for i in instalments) - min(i.amount for i in instalments) <= Decimal(
        "0.01"
    )
    for instalment in instalments:
        instalment.full_clean()  # due within the agreement, waiting for a quarter within it
    waiting = [i.depends_on_period for i in instalments if i.depends_on_period]
    assert len(waiting) == count // 2
    assert all(start <= p.start_date and p.end_date <= end for p in waiting)


def test_an_agreement_starting_mid_year_waits_for_the_first_quarter_of_each_of_its_years():
    agreement = AgreementFactory(start_date=dt.date(2026, 7, 15), end_date=dt.date(2028, 7, 14))

    instalments = create_instalment_schedule(agreement=agreement)

    assert [i.due_date for i in instalments] == [
        dt.date(2026, 7, 15),
        dt.date(2027, 1, 15),
        dt.date(2027, 7, 15),
        dt.date(2028, 1, 15),
    ]
    assert [i.depends_on_period and str(i.depends_on_period) for i in instalments] == [
        None,
        "Q3 2026/27",
        None,
        "Q3 2027/28",
    ]
