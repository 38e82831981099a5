"""A plan's strand coverage beside who the grants delivering it reached: hand-counted figures,
as published (rounded to multiples of 5 in each return), scoped to the reader's council, in a
fixed number of queries."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from equality_plans import selectors
from equality_plans.models import Indicator
from grants.models import BeneficiaryCount, QuarterlyReturn
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgreementFactory,
    BeneficiaryFiguresFactory,
    PerformanceIndicatorFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

APPROVED, DRAFT = QuarterlyReturn.Status.APPROVED, QuarterlyReturn.Status.DRAFT


def _figures(agreement, year, quarter, counts, status=APPROVED):
    people = sum(counts["sex"].values())
    return BeneficiaryFiguresFactory(
        quarterly_return=QuarterlyReturnFactory(
            agreement=agreement,
            period=ReportingPeriodFactory(financial_year=year, quarter=quarter),
            status=status,
        ),
        people_reached=people,
        counts=counts,
    )


@pytest.fixture
def funded_plan(plan, strands):
    """The plan runs through 2025/26; one agreement delivers an action, another an indicator of
    one of its sections."""
    plan.start_date, plan.end_date = dt.date(2025, 4, 1), dt.date(2026, 3, 31)
    plan.save()
    section = SectionFactory(plan=plan)
    action = ActionFactory(section=section)
    action.strands.set([strands["S"]])
    through_action = AgreementFactory(funder=plan.owner, reference="KBC-ACT-01")
    action.performance_indicators.add(PerformanceIndicatorFactory(agreement=through_action))
    through_indicator = AgreementFactory(funder=plan.owner, reference="KBC-IND-01")
    indicator = Indicator.objects.create(code="NI 1", title="People get on well together")
    indicator.sections.add(section)
    indicator.performance_indicators.add(PerformanceIndicatorFactory(agreement=through_indicator))
    return plan, through_action, through_indicator


@pytest.fixture
def reader(plan):
    return UserFactory(action_owner=True, organisation=plan.owner)


def _coverage(client, user, plan):
    client.force_login(user)
    response = client.get(reverse("equality_plans:strand_coverage", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_people_reached_by_the_grants_delivering_the_plan_are_added_up_by_characteristic(
    funded_plan, reader
):
    plan, through_action, through_indicator = funded_plan
    _figures(through_action, 2025, 1, {"sex": {"female": 20, "male": 10}})
    _figures(through_action, 2025, 2, {"sex": {"female": 5, "male": 10, "not-known": 5}})
    _figures(through_indicator, 2025, 3, {"sex": {"female": 15, "male": 5}})
    # Not counted: a draft, and a return outside the plan's period.
    _figures(through_indicator, 2025, 4, {"sex": {"female": 100}}, status=DRAFT)
    _figures(through_indicator, 2026, 1, {"sex": {"female": 50}})

    coverage, delivered = selectors.coverage_with_reach(plan, reader)

    assert [a.reference for a in delivered.agreements] == ["KBC-ACT-01", "KBC-IND-01"]
    assert delivered.in_span
    sex = next(row for row in coverage.characteristics if row.characteristic == "sex")
    assert sex.reach.total == 70
    # Shares are of the 65 who answered: 40 women, 25 men.
    assert [(r.label, r.reached, str(r.share)) for r in sex.breakdown] == [
        ("Female", 40, "61.5"),
        ("Male", 25, "38.5"),
        ("Not known", 5, "None"),
    ]
    age = next(row for row in coverage.characteristics if row.characteristic == "age")
    assert not age.reach.counted


def test_the_page_lists_the_grants_and_says_which_period_the_figures_are_of(
    funded_plan, reader, client
):
    plan, through_action, _ = funded_plan
    _figures(through_action, 2025, 1, {"sex": {"female": 20, "male": 10}})

    html = _coverage(client, reader, plan)

    assert "KBC-ACT-01" in html and "KBC-IND-01" in html
    assert "within the plan's period, 1 April 2025 to 31 March 2026" in html
    assert "<strong>30</strong> counted" in html
    assert "Female: 20 (66.7%)" in html


def test_without_figures_in_the_plans_period_the_latest_year_with_figures_is_shown_and_named(
    funded_plan, reader, client
):
    plan, through_action, _ = funded_plan
    _figures(through_action, 2027, 1, {"sex": {"female": 8, "male": 12}})
    _figures(through_action, 2028, 2, {"sex": {"female": 30, "male": 40}})

    html = _coverage(client, reader, plan)

    assert "People counted in their returns for 2028/29, the latest financial year" in html
    assert "<strong>70</strong> counted" in html
    assert "Female: 30 (42.9%)" in html


def test_the_coverage_page_shows_the_counts_as_their_return_published_them(
    funded_plan, reader, client
):
    plan, through_action, _ = funded_plan
    figures = _figures(through_action, 2025, 1, {"sex": {"female": 3, "male": 40, "not-known": 7}})
    published = {c.category: c.published for c in figures.counts.all()}

    html = _coverage(client, reader, plan)

    assert f"<strong>{figures.people_reached_published}</strong> counted" in html
    assert "Male: 40" in html
    assert published["female"] in (0, 5) and published["not-known"] in (5, 10)
    assert "Female: 3" not in html and "Not known: 7" not in html
    if published["female"]:
        assert "Female: 5" in html
    else:
        assert "Female:" not in html
    assert "every count is rounded to a multiple of 5 for each return" in html


def test_with_no_grant_linked_the_page_says_so(plan, strands, reader, client):
    SectionFactory(plan=plan)

    html = _coverage(client, reader, plan)

    assert "No funded grant of your council is linked to this plan" in html
    assert "People reached by the linked grants" not in html


def test_another_councils_grants_are_not_summed_for_the_reader(funded_plan, reader, client):
    plan, _, _ = funded_plan
    elsewhere = AgreementFactory(reference="OTH-01")
    ActionFactory(section=SectionFactory(plan=plan)).performance_indicators.add(
        PerformanceIndicatorFactory(agreement=elsewhere)
    )
    _figures(elsewhere, 2025, 1, {"sex": {"female": 20, "male": 10}})

    html = _coverage(client, reader, plan)

    assert "OTH-01" not in html
    assert "None of their submitted or approved returns has beneficiary figures yet" in html


def test_the_coverage_page_with_reach_runs_the_same_queries_for_few_links_and_many(
    funded_plan, reader, client, strands, same_queries
):
    plan, through_action, _ = funded_plan
    _figures(through_action, 2025, 1, {"sex": {"female": 20, "male": 10}})
    client.force_login(reader)

    def more_links():
        section = SectionFactory(plan=plan)
        for n in range(12):
            agreement = AgreementFactory(funder=plan.owner)
            action = ActionFactory(section=section)
            action.strands.set([strands["R"], strands["ALL"]])
            action.performance_indicators.add(PerformanceIndicatorFactory(agreement=agreement))
            _figures(agreement, 2025, 1 + n % 4, {"sex": {"female": 5 + n, "male": 6}})
            indicator = Indicator.objects.create(code=f"L{n}", title="A local indicator")
            indicator.sections.add(section)
            indicator.performance_indicators.add(PerformanceIndicatorFactory(agreement=agreement))

    counted = same_queries(
        lambda: client.get(reverse("equality_plans:strand_coverage", args=[plan.pk])),
        grow=more_links,
    )

    assert counted.result.content.decode().count("AGR-") == 12


def _age_65_to_74(html: str) -> int | None:
    found = re.search(r"<li>65 to 74: (\d+)[ <]", html)
    return int(found.group(1)) if found else None


def test_two_plans_spans_set_side_by_side_give_no_count_away(funded_plan, reader, client):
    """The grant delivers the year's plan and a plan for its second quarter only: the year's
    figures less the quarter's would be the first quarter's, a 3 among them."""
    plan, through_action, _ = funded_plan
    summer = ActionPlanFactory(
        owner=plan.owner, start_date=dt.date(2025, 7, 1), end_date=dt.date(2025, 9, 30)
    )
    ActionFactory(section=SectionFactory(plan=summer)).performance_indicators.add(
        PerformanceIndicatorFactory(agreement=through_action)
    )
    for quarter, older in ((1, 3), (2, 6)):
        BeneficiaryFiguresFactory(
            quarterly_return=QuarterlyReturnFactory(
                agreement=through_action,
                period=ReportingPeriodFactory(financial_year=2025, quarter=quarter),
                status=APPROVED,
            ),
            people_reached=20,
            counts={"sex": {"not-known": 20}, "age": {"25-34": 20 - older, "65-74": older}},
        )

    year, second = (_age_65_to_74(_coverage(client, reader, p)) for p in (plan, summer))

    assert 3 not in {year, second, (year or 0) - (second or 0)}
    assert None not in (year, second)
    published = BeneficiaryCount.objects.filter(category="65-74").order_by(
        "figures__quarterly_return__period__quarter"
    )
    assert (year, second) == (sum(c.published for c in published), published[1].published)
