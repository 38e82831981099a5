"""Summing the beneficiary figures of many returns: counted by hand, in three queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import QuarterlyReturn
from grants.selectors import beneficiary_reach
from tests.factories import (
    AgreementFactory,
    BeneficiaryFiguresFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
)


def _figures(agreement, quarter, status, people, sex, not_collected=()):
    qr = QuarterlyReturnFactory(
        agreement=agreement,
        period=ReportingPeriodFactory(financial_year=2025, quarter=quarter),
        status=status,
    )
    return BeneficiaryFiguresFactory(
        quarterly_return=qr, people_reached=people, counts={"sex": sex}, not_collected=not_collected
    )


def test_reach_sums_submitted_and_approved_returns_and_leaves_drafts_out(db):
    one, two = AgreementFactory(), AgreementFactory()
    _figures(one, 1, QuarterlyReturn.Status.APPROVED, 10, {"female": 6, "male": 4})
    _figures(two, 1, QuarterlyReturn.Status.SUBMITTED, 7, {"female": 2, "male": 5})
    _figures(one, 2, QuarterlyReturn.Status.DRAFT, 100, {"female": 100})
    _figures(two, 2, QuarterlyReturn.Status.APPROVED, 9, {}, not_collected=["sex"])

    reach = beneficiary_reach(QuarterlyReturn.objects.all())

    assert (reach.returns, reach.people_reached) == (3, 26)
    assert reach.counts["sex"] == {"female": 8, "male": 9}
    assert reach.not_collected == {"sex": 1}
    assert reach.people_counted("sex") == 17
    assert reach.people_counted("age") == 26


def test_reach_runs_three_queries_for_few_returns_and_many(db):
    agreement = AgreementFactory()
    for quarter in (1, 2, 3, 4):
        _figures(agreement, quarter, QuarterlyReturn.Status.APPROVED, 5, {"female": 5})
    with CaptureQueriesContext(connection) as queries:
        beneficiary_reach(QuarterlyReturn.objects.all())
    assert len(queries) == 3
