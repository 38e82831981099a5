"""The year to date read in one grouped query agrees with the rule on the queryset."""

from decimal import Decimal

import pytest

from grants.models import IndicatorAnswer, QuarterlyReturn, add_year_to_date
from tests.factories import (
    AgreementFactory,
    PerformanceIndicatorFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
)

pytestmark = pytest.mark.django_db

Status = QuarterlyReturn.Status
# (financial year, quarter, status, actual) for one per-year indicator: a draft's actual and an
# earlier year's never count; a quarter with no actual adds nothing but still has a year to date.
HISTORY = [
    (2024, 4, Status.APPROVED, "9"),
    (2025, 1, Status.APPROVED, "2"),
    (2025, 2, Status.SUBMITTED, None),
    (2025, 3, Status.CHANGES_REQUESTED, "5"),
    (2025, 4, Status.SUBMITTED, "1.5"),
    (2026, 1, Status.DRAFT, "7"),
    (2026, 2, Status.SUBMITTED, None),
]


def _answers():
    agreement = AgreementFactory()
    indicators = [
        PerformanceIndicatorFactory(agreement=agreement, target_period="year"),
        PerformanceIndicatorFactory(agreement=agreement),
    ]
    for year, quarter, status, actual in HISTORY:
        qr = QuarterlyReturnFactory(
            agreement=agreement,
            period=ReportingPeriodFactory(financial_year=year, quarter=quarter),
            status=status,
        )
        for indicator in indicators:
            IndicatorAnswer.objects.create(
                quarterly_return=qr,
                indicator=indicator,
                actual_value=Decimal(actual) if actual else None,
            )
    return IndicatorAnswer.objects.select_related("quarterly_return__period")


def test_the_grouped_year_to_date_is_the_querysets_for_every_answer():
    answers = _answers()
    expected = {a.pk: a.year_to_date for a in answers.with_year_to_date()}

    got = {a.pk: a.year_to_date for a in add_year_to_date(list(answers))}

    assert got == expected
    by_quarter = {
        (a.quarterly_return.period.financial_year, a.quarterly_return.period.quarter): a
        for a in add_year_to_date(list(answers.filter(indicator__target_period="year")))
    }
    # Q2 2025 gave nothing but has Q1's 2; Q4 adds 1.5 to 2 (Q3 was sent back, not reported).
    assert by_quarter[(2025, 2)].year_to_date == Decimal("2")
    assert by_quarter[(2025, 4)].year_to_date == Decimal("3.5")
    assert by_quarter[(2026, 2)].year_to_date is None


def test_the_grouped_year_to_date_is_one_query_however_many_answers(same_queries):
    answers = list(_answers())

    def four_more_agreements():
        for _ in range(4):
            answers[:] = _answers()  # every agreement's answers so far

    counted = same_queries(lambda: add_year_to_date(answers), grow=four_more_agreements)

    assert counted.queries == 1
    assert len(answers) == 5 * len(HISTORY) * 2
