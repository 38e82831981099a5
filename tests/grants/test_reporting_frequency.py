"""How often an agreement reports: the quarters its returns are made in, what each covers, when
it is due, and everything that follows it (owed returns, reminders, RAG, instalments)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants import services
from grants.models import Agreement, PaymentInstalment, ReportingPeriod
from grants.rag import Rag, rag_status
from grants.services.agreements import planned_instalments, quarters_between
from grants.worklists import owed_returns
from tests.factories import AgreementFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db

Frequency = Agreement.ReportingFrequency


def reported(agreement) -> list[str]:
    return [str(p) for p in ReportingPeriod.objects.reported_by(agreement).order_by("start_date")]


def made_in(agreement) -> list[str]:
    """The same, by the agreement's own rule, to show the query and the method agree."""
    return [
        str(p) for p in ReportingPeriod.objects.order_by("start_date") if agreement.reports_in(p)
    ]


@pytest.fixture
def quarters(db):
    return services.ensure_reporting_periods(first_year=2025, last_year=2027)


@pytest.mark.parametrize(
    ("frequency", "end", "expected"),
    [
        (
            Frequency.QUARTERLY,
            dt.date(2026, 9, 30),
            ["Q1 2025/26", "Q2 2025/26", "Q3 2025/26", "Q4 2025/26", "Q1 2026/27", "Q2 2026/27"],
        ),
        (
            Frequency.SIX_MONTHLY,
            dt.date(2027, 3, 31),
            ["Q2 2025/26", "Q4 2025/26", "Q2 2026/27", "Q4 2026/27"],
        ),
        (Frequency.ANNUAL, dt.date(2027, 3, 31), ["Q4 2025/26", "Q4 2026/27"]),
        # Ending mid-block: the block is cut short and its return made in the last quarter.
        (
            Frequency.SIX_MONTHLY,
            dt.date(2026, 12, 31),
            ["Q2 2025/26", "Q4 2025/26", "Q2 2026/27", "Q3 2026/27"],
        ),
        (Frequency.ANNUAL, dt.date(2026, 9, 30), ["Q4 2025/26", "Q2 2026/27"]),
        # Ending inside a quarter: that quarter is not reported on; the one before closes.
        (Frequency.ANNUAL, dt.date(2026, 11, 15), ["Q4 2025/26", "Q2 2026/27"]),
    ],
)
def test_an_agreement_reports_in_the_quarter_that_closes_each_block_of_its_frequency(
    quarters, frequency, end, expected
):
    agreement = AgreementFactory(
        start_date=dt.date(2025, 4, 1), end_date=end, reporting_frequency=frequency
    )

    assert reported(agreement) == expected
    assert made_in(agreement) == expected
    for period in ReportingPeriod.objects.all():
        in_query = Agreement.objects.reporting_in(period).filter(pk=agreement.pk).exists()
        assert in_query is agreement.reports_in(period), period


def test_a_return_covers_its_block_and_is_named_by_its_months_across_the_year_boundary(quarters):
    six = AgreementFactory(
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2027, 3, 31),
        reporting_frequency=Frequency.SIX_MONTHLY,
    )
    annual = AgreementFactory(
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2027, 3, 31),
        reporting_frequency=Frequency.ANNUAL,
    )
    q2 = ReportingPeriod.objects.get(financial_year=2025, quarter=2)
    q4 = ReportingPeriod.objects.get(financial_year=2025, quarter=4)

    assert six.covered_by(q2) == (dt.date(2025, 4, 1), dt.date(2025, 9, 30))
    assert six.return_period_label(q2) == "April to September 2025"
    assert six.return_period_label(q4) == "October 2025 to March 2026"
    assert annual.covered_by(q4) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert annual.return_period_label(q4) == "April 2025 to March 2026"
    # Due on the due date of the block's last quarter, the end of the month after it.
    assert q4.due_date == dt.date(2026, 4, 30)
    assert q2.due_date == dt.date(2025, 10, 31)


def test_a_block_begun_before_the_agreement_covers_only_the_quarters_within_it(quarters):
    agreement = AgreementFactory(
        start_date=dt.date(2025, 7, 1),
        end_date=dt.date(2026, 12, 31),
        reporting_frequency=Frequency.ANNUAL,
    )
    q4 = ReportingPeriod.objects.get(financial_year=2025, quarter=4)
    q3_next = ReportingPeriod.objects.get(financial_year=2026, quarter=3)

    assert reported(agreement) == ["Q4 2025/26", "Q3 2026/27"]
    assert agreement.return_period_label(q4) == "July 2025 to March 2026"
    assert agreement.return_period_label(q3_next) == "April to December 2026"


def test_the_setup_schedule_lists_the_returns_of_the_frequency_with_their_due_dates():
    rows = quarters_between(dt.date(2025, 4, 1), dt.date(2027, 3, 31), Frequency.SIX_MONTHLY)

    assert [(label, due) for label, _, due in rows] == [
        ("Q2 2025/26", dt.date(2025, 10, 31)),
        ("Q4 2025/26", dt.date(2026, 4, 30)),
        ("Q2 2026/27", dt.date(2026, 10, 31)),
        ("Q4 2026/27", dt.date(2027, 4, 30)),
    ]


def test_the_second_instalment_of_a_year_waits_for_a_return_the_agreement_makes():
    plan = planned_instalments(
        start=dt.date(2025, 4, 1),
        end=dt.date(2026, 3, 31),
        total=Decimal("3000"),
        frequency=Frequency.ANNUAL,
    )

    assert [i.waits_for for i in plan] == [None, (2025, 4)]


def test_an_instalment_cannot_wait_for_a_quarter_the_agreement_makes_no_return_in(quarters):
    agreement = AgreementFactory(reporting_frequency=Frequency.SIX_MONTHLY)
    q1 = ReportingPeriod.objects.get(financial_year=2025, quarter=1)
    q2 = ReportingPeriod.objects.get(financial_year=2025, quarter=2)
    instalment = PaymentInstalment(
        agreement=agreement,
        sequence=1,
        financial_year=2025,
        amount=Decimal("100"),
        due_date=dt.date(2025, 10, 1),
        depends_on_period=q1,
    )

    with pytest.raises(ValidationError, match="sends no return in Q1 2025/26"):
        instalment.clean()
    instalment.depends_on_period = q2
    instalment.clean()


def test_a_provider_cannot_start_a_return_for_a_quarter_its_agreement_does_not_report_in(funded):
    Agreement.objects.filter(pk=funded.agreement.pk).update(
        reporting_frequency=Frequency.SIX_MONTHLY
    )
    funded.agreement.refresh_from_db()
    q1 = ReportingPeriodFactory(financial_year=2025, quarter=1)

    with pytest.raises(ValidationError, match="sends no return in Q1 2025/26"):
        services.start_return(agreement=funded.agreement, period=q1, by=funded.provider_user)


def test_only_the_returns_of_the_frequency_are_owed_and_overdue(funded):
    Agreement.objects.filter(pk=funded.agreement.pk).update(
        reporting_frequency=Frequency.SIX_MONTHLY
    )
    today = dt.date(2026, 2, 1)  # a quarterly agreement would owe Q1 to Q3 overdue, and Q4

    owed = owed_returns(funded.provider_user, today)

    assert [(str(o.period), o.overdue) for o in owed] == [
        ("Q2 2025/26", True),
        ("Q4 2025/26", False),
    ]


def test_rag_of_a_six_monthly_return_sums_the_quarters_of_a_per_quarter_count(funded):
    measure = funded.indicators["per_quarter"].measure  # 4 a quarter, 25% tolerance

    assert rag_status(measure, quarter=2, first_quarter=1, actual=Decimal("8")) == Rag.GREEN
    assert rag_status(measure, quarter=2, first_quarter=1, actual=Decimal("6")) == Rag.AMBER
    assert rag_status(measure, quarter=2, first_quarter=1, actual=Decimal("5")) == Rag.RED
    # A quarterly return of the same indicator: 4 is the target.
    assert rag_status(measure, quarter=2, actual=Decimal("4")) == Rag.GREEN
