"""An indicator's targets by year: the one in force judges each quarter, shown and exported as
it judges; its direction and its quarterly profile read in words."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grants import figures, reports, selectors
from grants.models import IndicatorTarget, PerformanceIndicator
from grants.rag import Rag
from tests.factories import PerformanceIndicatorFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db

D = Decimal


def _period(quarter, year=2025):
    return ReportingPeriodFactory(financial_year=year, quarter=quarter)


def test_a_year_without_a_row_keeps_the_indicators_own_target(funded):
    indicator = funded.indicators["per_year"]
    assert indicator.measure_for(_period(2)).target == D("3")


def test_a_years_row_and_its_profile_judge_its_quarters(funded):
    indicator = funded.indicators["per_year"]
    IndicatorTarget.objects.create(
        indicator=indicator, financial_year=2026, target=D("4"), q1=1, q2=2, q3=0, q4=1
    )
    assert indicator.measure_for(_period(2, 2025)).target == D("3")
    measure = indicator.measure_for(_period(2, 2026))
    assert (measure.target, measure.profile) == (D("4"), (1, 2, 0, 1))
    assert figures.expected_by(measure, 3) == D("3")


def test_a_later_change_leaves_the_earlier_quarters_judged_by_the_earlier_row(funded):
    indicator = funded.indicators["per_quarter"]
    IndicatorTarget.objects.create(indicator=indicator, financial_year=2025, target=D("5"))
    IndicatorTarget.objects.create(
        indicator=indicator, financial_year=2025, target=D("2"), takes_effect_from=_period(3)
    )
    targets = [indicator.measure_for(_period(q)).target for q in (1, 2, 3, 4)]
    assert targets == [D("5"), D("5"), D("2"), D("2")]


def test_measure_for_reads_prefetched_targets_without_a_query(funded, django_assert_num_queries):
    IndicatorTarget.objects.create(
        indicator=funded.indicators["per_year"], financial_year=2025, target=D("6")
    )
    periods = [_period(q) for q in (1, 2, 3, 4)]
    indicators = list(
        PerformanceIndicator.objects.filter(agreement=funded.agreement).with_targets()
    )
    with django_assert_num_queries(0):
        for indicator in indicators:
            for period in periods:
                indicator.measure_for(period)


def test_the_agreement_year_judges_and_shows_the_years_target(funded):
    indicator = funded.indicators["per_year"]
    IndicatorTarget.objects.create(
        indicator=indicator, financial_year=2025, target=D("4"), q1=1, q2=2, q3=0, q4=1
    )
    funded.submitted(1)  # one event in Q1: the profile expects 1
    year = reports.agreement_year(funded.agreement, 2025, charts=False)
    row = next(r for r in year.indicators if r.indicator.pk == indicator.pk)
    assert [q.expected for q in row.quarters] == [1, 3, 3, 4]
    assert row.quarters[0].rag == Rag.GREEN
    assert row.target_wording == "4 in 2025/26, profiled 1, 2, 0, 1"


def test_a_return_row_reads_the_target_in_force_in_its_quarter(funded):
    indicator = funded.indicators["per_year"]
    IndicatorTarget.objects.create(indicator=indicator, financial_year=2025, target=D("8"))
    detail = selectors.return_detail(funded.submitted(1))
    row = next(r for r in detail.indicator_rows if r.indicator.pk == indicator.pk)
    assert row.expected_to_date == D("2")
    assert row.target_wording == "8 in 2025/26; 2 expected by the end of Q1"
    assert row.rag == Rag.RED  # one event of 2


@pytest.mark.parametrize(
    ("changes", "quarter", "wording"),
    [
        (
            {"direction": "lower", "target": D("2"), "unit": "complaints"},
            None,
            "no more than 2 complaints per quarter",
        ),
        (
            {"direction": "lower", "target": D("8"), "target_period": "year", "unit": "incidents"},
            2,
            "no more than 8 incidents in the year; no more than 4 by the end of Q2",
        ),
        (
            {
                "direction": "range",
                "measure_type": "percentage",
                "target": D("60"),
                "upper_bound": D("80"),
            },
            None,
            "between 60% and 80% per quarter",
        ),
    ],
)
def test_the_target_reads_with_its_direction(changes, quarter, wording):
    indicator = PerformanceIndicatorFactory.build(**changes)
    assert figures.target_wording(indicator, quarter) == wording


def _saved(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        PerformanceIndicatorFactory(**fields)


def test_the_database_refuses_a_range_without_an_upper_bound_or_below_its_target():
    _saved(direction="range")
    _saved(direction="range", target=D("5"), upper_bound=D("4"))
    _saved(direction="lower", upper_bound=D("9"))
    _saved(direction="sideways")


def test_the_database_refuses_half_a_profile_and_two_rows_from_the_years_start(funded):
    indicator = funded.indicators["per_quarter"]
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorTarget.objects.create(indicator=indicator, financial_year=2025, target=4, q1=1)
    IndicatorTarget.objects.create(indicator=indicator, financial_year=2025, target=D("4"))
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorTarget.objects.create(indicator=indicator, financial_year=2025, target=D("5"))


def test_a_per_year_counts_profile_adds_up_to_the_years_target(funded):
    row = IndicatorTarget(
        indicator=funded.indicators["per_year"],
        financial_year=2025,
        target=D("4"),
        q1=1,
        q2=1,
        q3=1,
        q4=0,
    )
    with pytest.raises(ValidationError, match="add up"):
        row.full_clean()


def test_a_range_needs_its_upper_bound_said_beside_it():
    indicator = PerformanceIndicatorFactory.build(direction="range", target=D("4"))
    with pytest.raises(ValidationError) as raised:
        indicator.full_clean(exclude=["agreement"])
    assert "upper_bound" in raised.value.message_dict
