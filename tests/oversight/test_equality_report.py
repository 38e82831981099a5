"""The annual equality information report, counted by hand on one council's 2025/26.

Its objectives: its own plan for 2025/26 (four actions) and a plan it is a partner in (one
action); a plan it has no part in, and its own plan of 2015/16, are left out. Its funded services:
three reported returns of two agreements with two providers (a draft, another year's return and
another council's return left out), against a population with a 3-point tolerance. Their counts
are multiples of 5, which are published as they are: the report's figures can be counted by hand.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from equality_plans.demo import load_strands
from equality_plans.models import PopulationProfile, PopulationShare
from equality_plans.selectors import council_plans
from grants.models import BeneficiaryFigures, QuarterlyReturn
from oversight.equality_report import equality_report, report_years
from sla_monitor.periods import financial_year_of
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgreementFactory,
    BeneficiaryFiguresFactory,
    CouncilFactory,
    PerformanceIndicatorFactory,
    ProgressUpdateFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
    SectionFactory,
    UserFactory,
)
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db

YEAR = 2025
APPROVED, SUBMITTED, DRAFT = (
    QuarterlyReturn.Status.APPROVED,
    QuarterlyReturn.Status.SUBMITTED,
    QuarterlyReturn.Status.DRAFT,
)


def _action(plan, strands, codes, *updates):
    action = ActionFactory(section=SectionFactory(plan=plan), plan=plan)
    action.strands.set(strands[c] for c in codes)
    for year, quarter, rag in updates:
        ProgressUpdateFactory(
            action=action,
            financial_year=year,
            quarter=quarter,
            is_year_end=quarter is None,
            rag_status=rag,
        )
    return action


def _figures(agreement, year, quarter, counts, status=APPROVED, not_collected=()):
    return BeneficiaryFiguresFactory(
        quarterly_return=QuarterlyReturnFactory(
            agreement=agreement,
            period=ReportingPeriodFactory(financial_year=year, quarter=quarter),
            status=status,
        ),
        people_reached=sum(counts["sex"].values()),
        counts=counts,
        not_collected=not_collected,
    )


@pytest.fixture
def council(db):
    return CouncilFactory(name="Kettering Borough Council", short_code="KBC")


@pytest.fixture
def objectives(council):
    strands = load_strands()
    own = ActionPlanFactory(
        owner=council,
        title="Equality objectives 2025-26",
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2026, 3, 31),
    )
    _action(own, strands, ["D"], (2025, 1, "amber"), (2025, 3, "green"))
    _action(own, strands, ["R", "ALL"], (2024, 4, "red"))
    _action(own, strands, ["ALL"], (2026, 1, "completed"))
    _action(own, strands, ["S"], (2025, 2, "amber"), (2025, None, "completed"))
    shared = ActionPlanFactory(
        title="County equality scheme",
        start_date=dt.date(2024, 4, 1),
        end_date=dt.date(2027, 3, 31),
    )
    shared.partner_councils.add(council)
    _action(shared, strands, ["A"], (2025, 2, "amber"))
    elsewhere = ActionPlanFactory(start_date=dt.date(2025, 4, 1), end_date=dt.date(2026, 3, 31))
    _action(elsewhere, strands, ["SO"])
    ActionPlanFactory(owner=council, title="Equality scheme 2015-16")
    return own, shared


@pytest.fixture
def funded(council):
    first = AgreementFactory(funder=council, reference="KBC-CCE-01")
    second = AgreementFactory(funder=council, reference="KBC-VOL-01")
    _figures(
        first,
        YEAR,
        1,
        {
            "sex": {"female": 35, "male": 15},
            "race": {"white-british": 45, "asian-indian": 5},
            "age": {"16-24": 20, "25-34": 30},
        },
    )
    _figures(
        first,
        YEAR,
        2,
        {
            "sex": {"female": 10, "male": 15},
            "race": {"white-british": 20, "asian-indian": 5},
            "age": {"16-24": 10, "65-74": 15},
        },
        status=SUBMITTED,
    )
    _figures(
        second,
        YEAR,
        1,
        {
            "sex": {"female": 10, "male": 10, "prefer-not-to-say": 5},
            "race": {"white-british": 15, "black-african": 5, "not-known": 5},
        },
        not_collected=["age"],
    )
    # Left out: a draft, another year's return, another council's return.
    _figures(second, YEAR, 2, {"sex": {"female": 100}}, status=DRAFT)
    _figures(first, YEAR - 1, 4, {"sex": {"male": 100}})
    _figures(AgreementFactory(), YEAR, 1, {"sex": {"male": 100}})
    profile = PopulationProfile.objects.create(
        council=council,
        area="Kettering",
        source="2021 Census",
        year=2021,
        under_reach_tolerance=Decimal("3.0"),
    )
    for characteristic, category, share in [
        ("sex", "female", "51.0"),
        ("sex", "male", "49.0"),
        ("race", "ethnic-minority", "12.5"),
        ("age", "65-over", "30.0"),
    ]:
        PopulationShare.objects.create(
            profile=profile, characteristic=characteristic, category=category, share=share
        )
    return first, second


def _report(council):
    reader = UserFactory(action_owner=True, organisation=council)
    return equality_report(reader, council, council_plans(council.pk), YEAR, timezone.localdate())


def _row(report, characteristic, code):
    table = next(
        c.table for c in report.comparisons if c.table.characteristic.code == characteristic
    )
    return next(r for r in (*table.rows, *table.unanswered) if r.code == code)


def test_the_objectives_are_the_plans_the_council_keeps_or_shares_that_run_in_the_year(
    council, objectives
):
    report = _report(council)

    assert [(p.plan.title, p.partner) for p in report.objectives] == [
        ("County equality scheme", True),
        ("Equality objectives 2025-26", False),
    ]


def test_other_councils_plans_its_grants_deliver_are_named_apart_from_its_objectives(
    council, objectives, funded
):
    first, _ = funded
    county = ActionPlanFactory(title="Leicestershire scheme", owner=CouncilFactory(name="HBBC"))
    action = ActionFactory(section=SectionFactory(plan=county), plan=county)
    action.performance_indicators.add(PerformanceIndicatorFactory(agreement=first))
    _, shared = objectives
    ActionFactory(section=SectionFactory(plan=shared), plan=shared).performance_indicators.add(
        PerformanceIndicatorFactory(agreement=first)
    )

    report = _report(council)

    assert [p.title for p in report.delivered_plans] == ["Leicestershire scheme"]
    assert "County equality scheme" in [p.plan.title for p in report.objectives]


def test_each_actions_rag_is_its_latest_update_up_to_the_years_end_counted_by_characteristic(
    council, objectives
):
    own = _report(council).objectives[1]

    # Green (Q3 over Q1), red (last year's), no update (its only one is next year's), completed
    # (the year-end report over Q2).
    assert own.summary.cells == [1, 0, 1, 1, 1]
    assert own.updated_in_year == 2
    rows = {row.coverage.label: row for row in own.by_characteristic}
    assert rows["Disability"].rag.cells == [0, 0, 1, 0, 0]
    assert rows["Race"].rag.cells == [1, 0, 0, 0, 0]
    assert rows["Sex"].rag.cells == [0, 0, 0, 1, 0]
    assert rows["Age"].rag.total == 0 and rows["Age"].coverage.through_all == 2
    assert rows["Race"].coverage.through_all == 1


def test_the_gaps_are_the_characteristics_no_objective_names(council, objectives):
    gaps = _report(council).unaddressed

    assert [(g.name, g.through_all) for g in gaps] == [
        ("Gender reassignment", 2),
        ("Marriage and civil partnership", 2),
        ("Pregnancy and maternity", 2),
        ("Religion or belief", 2),
        ("Sexual orientation", 2),
    ]


def test_the_reach_adds_up_the_years_reported_returns_against_the_population(council, funded):
    report = _report(council)

    assert (report.reach.reach.returns, report.reach.organisations, report.reach.agreements) == (
        3,
        2,
        2,
    )
    assert report.people_reached == 100
    # 95 answered: 55 women, 40 men; 5 preferred not to say.
    female, male = _row(report, "sex", "female"), _row(report, "sex", "male")
    assert (female.reached, female.share) == (55, Decimal("57.9"))
    assert (male.reached, male.share, male.difference) == (40, Decimal("42.1"), Decimal("-6.9"))
    assert male.under_reached and not female.under_reached
    # Ethnic minorities: 10 Indian and 5 African of the 95 who answered, 15.8% against 12.5%.
    minority = _row(report, "race", "ethnic-minority")
    assert (minority.reached, minority.share, minority.under_reached) == (
        15,
        Decimal("15.8"),
        False,
    )
    # Age was not collected in one return: 75 counted, 15 of them 65 and over (20%, not 30%).
    older = _row(report, "age", "65-over")
    assert (older.reached, older.share, older.under_reached) == (15, Decimal("20.0"), True)
    age = next(c.table for c in report.comparisons if c.table.characteristic.code == "age")
    assert (age.total, age.not_collected_returns) == (75, 1)
    assert [(g.characteristic, g.row.label) for g in report.under_reached] == [
        ("Age", "65 and over"),
        ("Sex", "Male"),
    ]


def test_the_page_shows_the_hand_counted_figures_and_sources(council, objectives, funded, client):
    client.force_login(UserFactory(action_owner=True, organisation=council))

    response = client.get(
        reverse("oversight:equality_report", args=[council.pk]), {"year": str(YEAR)}
    )

    html = response.content.decode()
    assert "<h1>Equality information report 2025/26</h1>" in html
    assert "People reached: <strong>100</strong>" in html
    assert "3 quarterly returns of 2 agreements with 2 funded organisations" in html
    assert "Beneficiary figures in the returns submitted by 2 funded organisations" in html
    assert "2021 Census, 2021, for Kettering." in html
    assert "<strong>Sex: Male</strong>, 42.1% of the people reached against 49.0%" in html
    assert "Kept by Kettering Borough Council, with" not in html
    assert "Kept by Council" not in html
    assert "<strong>Religion or belief</strong>: reached only through 2 actions for all" in html


def test_without_a_population_profile_or_figures_the_report_says_so(council, objectives, client):
    client.force_login(UserFactory(action_owner=True, organisation=council))

    html = client.get(reverse("oversight:equality_report", args=[council.pk])).content.decode()

    assert "No service funded by Kettering Borough Council reported beneficiary figures" in html
    assert "None recorded." in html
    assert "under-reach cannot be judged" in html


def test_a_group_of_fewer_than_10_people_is_not_judged_however_far_below_the_population(
    council, client
):
    _figures(AgreementFactory(funder=council), YEAR, 1, {"sex": {"female": 40, "male": 3}})
    profile = PopulationProfile.objects.create(
        council=council, area="Kettering", source="2021 Census", year=2021
    )
    PopulationShare.objects.create(profile=profile, characteristic="sex", category="male", share=49)
    client.force_login(UserFactory(lead_officer=True, organisation=council))

    html = client.get(
        reverse("oversight:equality_report", args=[council.pk]), {"year": str(YEAR)}
    ).content.decode()

    assert "<strong>Sex: Male</strong>" not in html
    assert "Not judged: too few people" in html
    assert "with at least 10 people counted" in html


def test_the_year_chooser_offers_the_years_of_the_objectives_and_figures_up_to_now(
    council, objectives, funded
):
    today = timezone.localdate()
    current = financial_year_of(today)

    reader = UserFactory(action_owner=True, organisation=council)
    years = report_years(reader, council, council_plans(council.pk), today)

    assert years == sorted(y for y in {2015, 2024, 2025, 2026, current} if y <= current)


@pytest.mark.parametrize("asked", ["1999", "²", "2025.0", "9" * 40, "-1"])
def test_a_year_not_offered_shows_the_latest_and_says_so(council, objectives, client, asked):
    client.force_login(UserFactory(action_owner=True, organisation=council))

    html = client.get(
        reverse("oversight:equality_report", args=[council.pk]), {"year": asked}
    ).content.decode()

    assert "There is no report for the year asked for" in html


def test_the_pdf_reads_back_with_the_figures_and_gaps(council, objectives, funded, client):
    client.force_login(UserFactory(lead_officer=True, organisation=council))

    reader, text = response_pdf(
        client.get(reverse("oversight:equality_report_pdf", args=[council.pk, YEAR]))
    )

    assert reader.metadata.title == "Kettering Borough Council: equality information report 2025/26"
    assert "People reached: 100, added up over 3 quarterly returns" in text
    assert "Equality objectives 2025-26" in text and "County equality scheme" in text
    assert "Sex: Male, 42.1% of the people reached against 49.0% of the population" in text
    assert "Gender reassignment: reached only through 2 actions for all strands" in text
    assert "Source" in text and "2021 Census, 2021, for Kettering." in text
    assert "every count is rounded to a multiple of 5 for each return" in text


NOTE_NUMBERS = r"A 0 may stand for up to 4\s+people and a 5 for anything\s+from 1 to 9"


def _people_figures_in(text: str) -> list[str]:
    """Standalone whole numbers from 1 to 4 in the text, leaving out dates, times, page numbers
    and the note on rounding (which are not counts of people)."""
    text = re.sub(NOTE_NUMBERS, "", text)
    text = re.sub(r"\d{1,2} [A-Z][a-z]+ \d{4}( at \d{2}:\d{2})?", "", text)
    text = re.sub(r"Page \d+ of \d+", "", text)
    return re.findall(r"(?<![\d.,/+\-\u2212])[1-4](?![\d.,/%:])", text)


def test_no_count_under_five_appears_in_the_pdf(council, client):
    """Five small services, each with a few people: every count is rounded to a multiple of 5,
    and the total is the sum of the rounded people reached."""
    for sex, race in [
        ({"female": 3}, {"white-british": 3}),
        ({"female": 2, "male": 1}, {"white-british": 2, "asian-indian": 1}),
        ({"female": 3}, {"white-british": 3}),
        ({"female": 3}, {"white-british": 2, "not-known": 1}),
        ({"male": 2, "not-known": 1}, {"white-british": 3}),
    ]:
        _figures(AgreementFactory(funder=council), YEAR, 1, {"sex": sex, "race": race})
    PopulationProfile.objects.create(
        council=council, area="Kettering", source="2021 Census", year=2021
    )
    client.force_login(UserFactory(lead_officer=True, organisation=council))

    _, text = response_pdf(
        client.get(reverse("oversight:equality_report_pdf", args=[council.pk, YEAR]))
    )

    published = sum(BeneficiaryFigures.objects.values_list("people_reached_published", flat=True))
    assert f"People reached: {published}," in text
    assert "rounded to a multiple of 5" in text
    assert _people_figures_in(text) == []


def _more(council, strands, n):
    """n more plans of the council, each with actions and updates, and n more agreements with
    reported figures."""
    for i in range(n):
        plan = ActionPlanFactory(
            owner=council, start_date=dt.date(2025, 4, 1), end_date=dt.date(2026, 3, 31)
        )
        for codes in (["D"], ["R", "ALL"], ["SO"]):
            _action(plan, strands, codes, (2025, 1, "red"), (2025, 2, "green"))
        partner = ActionPlanFactory(start_date=dt.date(2025, 4, 1), end_date=dt.date(2026, 3, 31))
        partner.partner_councils.add(council)
        _action(partner, strands, ["A"], (2025, 3, "amber"))
        agreement = AgreementFactory(funder=council)
        for quarter in (1, 2):
            _figures(agreement, YEAR, quarter, {"sex": {"female": 6 + i, "male": 7}})


@pytest.mark.parametrize("url_name", ["oversight:equality_report", "oversight:equality_report_pdf"])
def test_the_report_runs_the_same_queries_for_few_plans_actions_and_returns_and_many(
    council, objectives, funded, client, url_name, same_queries
):
    client.force_login(UserFactory(action_owner=True, organisation=council))
    args = [council.pk] if url_name == "oversight:equality_report" else [council.pk, YEAR]
    url = reverse(url_name, args=args)
    query = {"year": str(YEAR)} if url_name == "oversight:equality_report" else {}

    same_queries(lambda: client.get(url, query), grow=lambda: _more(council, load_strands(), 6))


def test_the_choice_of_council_runs_the_same_queries_for_few_councils_and_many(
    client, same_queries
):
    client.force_login(UserFactory(superuser=True))
    CouncilFactory.create_batch(2)

    counted = same_queries(
        lambda: client.get(reverse("oversight:equality_reports")),
        grow=lambda: CouncilFactory.create_batch(20),
    )

    assert len(counted.result.context["councils"]) == 22


def test_staff_of_another_council_get_a_404_and_providers_a_403(council, client):
    client.force_login(UserFactory(action_owner=True))
    assert client.get(reverse("oversight:equality_report", args=[council.pk])).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("oversight:equality_report", args=[council.pk])).status_code == 403


def test_council_staff_are_taken_to_their_councils_report_and_a_superuser_chooses(council, client):
    client.force_login(UserFactory(action_owner=True, organisation=council))
    response = client.get(reverse("oversight:equality_reports"))
    assert response.url == reverse("oversight:equality_report", args=[council.pk])

    client.force_login(UserFactory(superuser=True))
    html = client.get(reverse("oversight:equality_reports")).content.decode()
    assert "Kettering Borough Council" in html
