"""Checking unsaved records without a query each says what `full_clean` says."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants.models import Agreement, BeneficiaryCount, PerformanceIndicator, ReportingPeriod
from sla_monitor import validation
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

Measure = PerformanceIndicator.MeasureType
Per = PerformanceIndicator.TargetPeriod


def indicator(**values) -> PerformanceIndicator:
    fields = {
        "code": "a",
        "wording": "Groups supported.",
        "measure_type": Measure.COUNT,
        "target": Decimal("4"),
        "target_period": Per.QUARTER,
    }
    return PerformanceIndicator(**{**fields, **values})


def period(**values) -> ReportingPeriod:
    fields = {
        "financial_year": 2030,
        "quarter": 1,
        "start_date": dt.date(2030, 4, 1),
        "end_date": dt.date(2030, 6, 30),
        "due_date": dt.date(2030, 7, 31),
    }
    return ReportingPeriod(**{**fields, **values})


def said_by_full_clean(instance, exclude) -> dict:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        return error.message_dict
    return {}


@pytest.mark.parametrize(
    "build",
    [
        lambda: indicator(),
        lambda: indicator(amber_tolerance=Decimal("150")),
        lambda: indicator(target=Decimal("-1")),
        lambda: indicator(measure_type=Measure.PERCENTAGE, target=Decimal("120")),
        lambda: indicator(measure_type=Measure.NARRATIVE, target=None, target_period=Per.NONE),
        lambda: indicator(measure_type="bogus", target_period="never"),
        lambda: period(quarter=5),
        lambda: period(due_date=dt.date(2030, 6, 1), end_date=dt.date(2030, 3, 1)),
    ],
)
def test_a_record_is_said_to_break_the_rules_full_clean_says_it_breaks_without_a_query(
    build, django_assert_num_queries
):
    exclude = ["agreement"]
    expected = said_by_full_clean(build(), exclude)

    with django_assert_num_queries(0):
        said = validation.errors(build(), exclude=exclude)

    assert said == expected


def test_an_agreement_with_its_related_records_at_hand_is_checked_without_a_query(
    django_assert_num_queries,
):
    stored = AgreementFactory()
    agreement = Agreement.objects.select_related("funder", "provider").get(pk=stored.pk)
    agreement.total_allocation = Decimal("-5")
    agreement.status = "bogus"

    with django_assert_num_queries(0):
        said = validation.errors(agreement)

    assert said == said_by_full_clean(agreement, [])
    assert said["__all__"] == ["The total allocation cannot be negative."]


def test_a_rule_that_is_more_than_comparisons_is_asked_of_the_database():
    count = BeneficiaryCount(characteristic="age", category="Under 18", count=7, published=7)

    said = validation.errors(count, exclude=["figures"])

    assert said == said_by_full_clean(count, ["figures"])
    assert said["__all__"] == ["A published count must be a multiple of 5, not below 0."]
