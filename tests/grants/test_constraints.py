"""The database itself refuses what must never happen, whatever code writes to it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    CouncilFactory,
    FundFactory,
    MinimumRequirementFactory,
    PaymentInstalmentFactory,
    PerformanceIndicatorFactory,
    ProgressUpdateFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
)

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_return_per_agreement_and_period():
    first = QuarterlyReturnFactory()
    refused(lambda: QuarterlyReturnFactory(agreement=first.agreement, period=first.period))


def test_the_same_period_may_have_returns_for_different_agreements():
    first = QuarterlyReturnFactory()
    QuarterlyReturnFactory(period=first.period)


def test_indicator_codes_are_unique_within_an_agreement():
    indicator = PerformanceIndicatorFactory(code="a")
    refused(lambda: PerformanceIndicatorFactory(agreement=indicator.agreement, code="a"))


def test_two_agreements_may_both_have_an_indicator_a():
    PerformanceIndicatorFactory(code="a")
    PerformanceIndicatorFactory(code="a")


def test_requirement_numbers_are_unique_within_an_agreement():
    requirement = MinimumRequirementFactory(number=1)
    refused(lambda: MinimumRequirementFactory(agreement=requirement.agreement, number=1))


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: AgreementFactory(total_allocation=Decimal("-0.01")), id="allocation"),
        pytest.param(lambda: FundFactory(budget=Decimal("-1")), id="fund-budget"),
        pytest.param(lambda: FundFactory(maximum_award=Decimal("-1")), id="maximum-award"),
        pytest.param(lambda: PerformanceIndicatorFactory(target=Decimal("-1")), id="target"),
        pytest.param(lambda: PaymentInstalmentFactory(amount=Decimal("-5")), id="instalment"),
    ],
)
def test_amounts_and_targets_are_not_negative(make):
    refused(make)


def test_a_zero_allocation_is_allowed():
    AgreementFactory(total_allocation=Decimal("0.00"))


def test_a_percentage_target_is_at_most_100():
    refused(lambda: PerformanceIndicatorFactory(measure_type="percentage", target=Decimal("100.5")))


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda: AgreementFactory(start_date=dt.date(2025, 4, 1), end_date=dt.date(2025, 4, 1)),
            id="agreement-same-day",
        ),
        pytest.param(
            lambda: AgreementFactory(start_date=dt.date(2025, 4, 1), end_date=dt.date(2024, 3, 31)),
            id="agreement-before",
        ),
        pytest.param(
            lambda: FundFactory(start_date=dt.date(2005, 3, 31), end_date=dt.date(2004, 4, 1)),
            id="fund",
        ),
        pytest.param(
            lambda: ActionPlanFactory(
                start_date=dt.date(2016, 3, 31), end_date=dt.date(2015, 4, 1)
            ),
            id="plan",
        ),
        pytest.param(
            lambda: ReportingPeriodFactory(
                financial_year=2030,
                start_date=dt.date(2030, 6, 30),
                end_date=dt.date(2030, 4, 1),
                due_date=dt.date(2030, 7, 31),
            ),
            id="period",
        ),
    ],
)
def test_an_end_date_comes_after_its_start_date(make):
    refused(make)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: QuarterlyReturnFactory(status="lost"), id="return-status"),
        pytest.param(lambda: AgreementFactory(status="paused"), id="agreement-status"),
        pytest.param(lambda: PaymentInstalmentFactory(status="maybe"), id="instalment-status"),
        pytest.param(lambda: PerformanceIndicatorFactory(measure_type="ratio"), id="measure"),
        pytest.param(
            lambda: ReportingPeriodFactory(
                financial_year=2031,
                quarter=5,
                start_date=dt.date(2031, 4, 1),
                end_date=dt.date(2031, 6, 30),
                due_date=dt.date(2031, 7, 31),
            ),
            id="quarter",
        ),
        pytest.param(lambda: ProgressUpdateFactory(rag_status="purple"), id="rag"),
    ],
)
def test_choices_are_enforced_by_the_database(make):
    refused(make)


def test_a_year_end_report_has_no_quarter():
    refused(lambda: ProgressUpdateFactory(is_year_end=True, quarter=4))


def test_council_short_codes_are_unique():
    CouncilFactory(short_code="HBBC")
    refused(lambda: CouncilFactory(short_code="HBBC"))
