"""The domain rules written once on the querysets: overdue, complete, year to date."""

import datetime as dt
from decimal import Decimal

import pytest

from grants import selectors, services
from grants.lifecycle import ReturnStatus
from grants.models import IndicatorAnswer, QuarterlyReturn, ReportingPeriod, overdue_on
from tests.factories import QuarterlyReturnFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db

# Q1 2025/26 is due on 31 July 2025.
DUE = dt.date(2025, 7, 31)


@pytest.mark.parametrize(
    ("status", "today", "overdue"),
    [
        (ReturnStatus.DRAFT, DUE, False),
        (ReturnStatus.DRAFT, DUE + dt.timedelta(days=1), True),
        # Submitted once, then sent back: the days the officer held it are not lateness.
        (ReturnStatus.CHANGES_REQUESTED, DUE + dt.timedelta(days=1), False),
        (ReturnStatus.SUBMITTED, DUE + dt.timedelta(days=1), False),
        (ReturnStatus.APPROVED, DUE + dt.timedelta(days=1), False),
    ],
)
def test_a_return_is_overdue_after_its_due_date_until_it_is_first_submitted(status, today, overdue):
    period = ReportingPeriodFactory(financial_year=2025, quarter=1)
    QuarterlyReturnFactory(period=period, status=status)
    returns = QuarterlyReturn.objects.all()

    assert overdue_on(today, due_date=period.due_date, status=status) is overdue
    assert returns.overdue(today).exists() is overdue
    assert returns.not_overdue(today).exists() is not overdue


def test_a_quarter_not_started_is_overdue_only_after_its_due_date():
    assert not overdue_on(DUE, due_date=DUE, status=None)
    assert overdue_on(DUE + dt.timedelta(days=1), due_date=DUE, status=None)


def test_the_provider_dashboard_says_overdue_only_once_the_due_date_has_passed(funded):
    draft = funded.start(quarter=1)

    def row_on(today):
        overview = selectors.provider_overview(funded.provider_user, today)[0]
        return next(r for r in overview.rows if r.quarterly_return == draft)

    assert not row_on(DUE).overdue
    assert row_on(DUE).status_key == "draft"
    assert row_on(DUE + dt.timedelta(days=1)).overdue


@pytest.mark.parametrize(
    ("key", "incomplete", "complete"),
    [
        ("per_quarter", {}, {"actual_value": Decimal("0")}),
        ("percentage", {"narrative": "Working on it."}, {"actual_value": Decimal("75")}),
        ("milestone", {"narrative": "Not yet."}, {"achieved": False}),
        ("narrative", {}, {"narrative": "Casework for the quarter."}),
    ],
)
def test_an_answer_is_complete_when_it_gives_what_its_measure_asks(
    funded, key, incomplete, complete
):
    draft = funded.start()
    indicator = funded.indicators[key]

    def save(values):
        services.save_indicator_answer(
            quarterly_return=draft,
            indicator=indicator,
            by=funded.provider_user,
            expected_version=None,
            **values,
        )
        answers = IndicatorAnswer.objects.filter(indicator=indicator)
        answer = answers.with_completeness().get()
        return answers.complete().exists(), answer.is_complete, answer.missing

    in_sql, annotated, missing = save(incomplete)
    assert (in_sql, annotated) == (False, False)
    assert missing[1].startswith(("Enter", "Say whether", "Describe"))
    assert save(complete) == (True, True, None)


@pytest.mark.history_by_hand
def test_year_to_date_adds_the_answer_to_what_was_reported_before_it_this_year(funded):
    per_year = funded.indicators["per_year"]
    first = funded.submitted(quarter=1)  # reports 1
    services.approve_return(quarterly_return=first, by=funded.officer)
    second = funded.complete(funded.start(quarter=2), per_year={"actual_value": Decimal("2")})
    third = funded.start(quarter=3)  # a draft: what it holds is not reported yet
    services.save_indicator_answer(
        quarterly_return=third,
        indicator=per_year,
        by=funded.provider_user,
        expected_version=None,
        actual_value=Decimal("4"),
    )
    ReportingPeriodFactory(financial_year=2026, quarter=1)
    next_year = QuarterlyReturnFactory(
        agreement=funded.agreement,
        period=ReportingPeriod.objects.get(financial_year=2026, quarter=1),
    )
    IndicatorAnswer.objects.create(
        quarterly_return=next_year, indicator=per_year, actual_value=Decimal("7")
    )

    ytd = {
        a.quarterly_return_id: a.year_to_date
        for a in IndicatorAnswer.objects.filter(indicator=per_year).with_year_to_date()
    }

    # Q2 is a draft too: Q3 counts Q1 only, as reported, and its own 4.
    assert ytd == {
        first.pk: Decimal("1"),
        second.pk: Decimal("3"),
        third.pk: Decimal("5"),
        next_year.pk: Decimal("7"),
    }


def test_a_quarter_not_yet_answered_shows_what_was_reported_before_it(funded):
    first = funded.submitted(quarter=1)
    services.approve_return(quarterly_return=first, by=funded.officer)

    rows = {r.indicator.code: r for r in selectors.return_detail(funded.start(2)).indicator_rows}

    assert rows["b"].answer.pk is None
    assert rows["b"].year_to_date == Decimal("1")
