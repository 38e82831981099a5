import datetime as dt
from decimal import Decimal

import pytest

from grants.models import PaymentInstalment
from grants.services import create_instalment_schedule
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
