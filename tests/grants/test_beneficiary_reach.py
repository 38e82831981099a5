"""Summing the published beneficiary figures of many returns: counted by hand, in three
queries."""

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
    _figures(one, 1, QuarterlyReturn.Status.APPROVED, 10, {"female": 5, "male": 5})
    _figures(two, 1, QuarterlyReturn.Status.SUBMITTED, 15, {"female": 5, "male": 10})
    _figures(one, 2, QuarterlyReturn.Status.DRAFT, 100, {"female": 100})
    _figures(two, 2, QuarterlyReturn.Status.APPROVED, 10, {}, not_collected=["sex"])

    reach = beneficiary_reach(QuarterlyReturn.objects.all())

    assert (reach.returns, reach.people_reached) == (3, 35)
    assert reach.counts["sex"] == {"female": 10, "male": 15}
    assert reach.not_collected == {"sex": 1}
    assert reach.people_counted("sex") == 25
    assert reach.people_counted("age") == 35


def test_reach_adds_up_the_published_figures_never_the_counts_as_entered(db):
    agreement = AgreementFactory()
    kept = [
        _figures(agreement, 1, QuarterlyReturn.Status.APPROVED, 7, {"female": 3, "male": 4}),
        _figures(agreement, 2, QuarterlyReturn.Status.APPROVED, 9, {}, not_collected=["sex"]),
    ]

    reach = beneficiary_reach(QuarterlyReturn.objects.all())

    published = {c.category: c.published for c in kept[0].counts.all()}
    assert reach.people_reached == sum(f.people_reached_published for f in kept)
    assert reach.counts["sex"] == published
    assert sum(published.values()) == kept[0].people_reached_published
    assert reach.not_collected_people == {"sex": kept[1].people_reached_published}
    assert reach.people_counted("sex") == kept[0].people_reached_published


def _a_year_of_figures() -> None:
    agreement = AgreementFactory()
    for quarter in (1, 2, 3, 4):
        _figures(agreement, quarter, QuarterlyReturn.Status.APPROVED, 5, {"female": 5})


def test_reach_runs_three_queries_for_few_returns_and_many(db, same_queries):
    _a_year_of_figures()

    def five_more_agreements():
        for _ in range(5):
            _a_year_of_figures()

    counted = same_queries(
        lambda: beneficiary_reach(QuarterlyReturn.objects.all()), grow=five_more_agreements
    )

    assert counted.queries == 3
    assert (counted.result.returns, counted.result.people_reached) == (24, 120)
