"""Everything a council's staff member can read of who the grants reach, set side by side: on the
demo, and on random returns over two years, two funds and their quarters.

What is read: the reach report for every year, quarter and fund, its download's rows, the
equality information report of each year, each return's figures as the council sees them, and
the delivered reach of plans over quarters, years and spans across them; on random returns,
once before and once after a later return comes in. Two things must hold:

- every figure is the sum of the published (rounded) figures of the returns it covers, never of
  their counts as entered;
- no figure less another whose returns it includes leaves the true count of the returns between
  them when that count is from 1 to 4: no total less the tables that make it up gives a count
  away.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equality_plans.selectors import council_plans
from grants import selectors as grant_selectors
from grants.models import (
    Agreement,
    BeneficiaryFigures,
    Fund,
    PerformanceIndicator,
    QuarterlyReturn,
)
from oversight.equality_report import equality_report
from oversight.reach import choose, export_rows, reach_report
from sla_monitor.equality import BY_CODE, CHARACTERISTICS
from sla_monitor.models import Organisation, User
from sla_monitor.periods import quarter_dates
from tests.factories import (
    AgreementFactory,
    BeneficiaryFiguresFactory,
    CouncilFactory,
    FundFactory,
    PerformanceIndicatorFactory,
    PopulationProfileFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PEOPLE = ("people",)
REPORTED = ("submitted", "approved")


# The returns as stored, and what each set of them adds up to ----------------------------------


@dataclass(frozen=True)
class Stored:
    """A return's figures as entered and as published, with what places it in a view."""

    pk: int
    agreement_id: int
    fund_id: int | None
    year: int
    quarter: int
    reported: bool
    true: dict[tuple, int]
    published: dict[tuple, int]


def _figures_of(people: int, counts: dict, not_collected: set[str]) -> dict[tuple, int]:
    """One return's figures by key: the people reached; each characteristic's categories,
    groups and total; and the people of a characteristic it did not collect."""
    found = {PEOPLE: people}
    for characteristic in CHARACTERISTICS:
        code = characteristic.code
        cells = {c: counts.get((code, c), 0) for c in characteristic.codes}
        found.update({(code, c): n for c, n in cells.items()})
        for group in characteristic.groups:
            found[(code, group.code)] = sum(cells[m] for m in group.members)
        found[(code, "total")] = sum(cells.values())
        found[(code, "not collected")] = people if code in not_collected else 0
    return found


def stored_returns(council) -> dict[int, Stored]:
    stored = {}
    for figures in BeneficiaryFigures.objects.filter(
        quarterly_return__agreement__funder=council
    ).select_related("quarterly_return__agreement", "quarterly_return__period"):
        qr = figures.quarterly_return
        counts = list(figures.counts.all())
        not_collected = set(figures.not_collected.values_list("characteristic", flat=True))
        stored[qr.pk] = Stored(
            qr.pk,
            qr.agreement_id,
            qr.agreement.fund_id,
            qr.period.financial_year,
            qr.period.quarter,
            qr.status in REPORTED,
            _figures_of(
                figures.people_reached,
                {(c.characteristic, c.category): c.count for c in counts},
                not_collected,
            ),
            _figures_of(
                figures.people_reached_published,
                {(c.characteristic, c.category): c.published for c in counts},
                not_collected,
            ),
        )
    return stored


def added_up(stored: dict[int, Stored], returns: frozenset[int], which: str) -> dict[tuple, int]:
    total: dict[tuple, int] = {}
    for pk in returns:
        for key, value in getattr(stored[pk], which).items():
            total[key] = total.get(key, 0) + value
    return total


# What a reader reads -----------------------------------------------------------------------------


@dataclass
class View:
    """A page, download or report a reader reads: the returns it covers and its figures."""

    name: str
    returns: frozenset[int]
    figures: dict[tuple, int] = field(default_factory=dict)


def _from_reach_report(report) -> dict[tuple, int]:
    figures = {PEOPLE: report.people}
    for section in report.sections:
        code = section.characteristic.code
        for row in (*section.reach.rows, *section.reach.unanswered):
            figures[(code, row.code)] = row.reached
        figures[(code, "total")] = section.reach.total
        figures[(code, "not collected")] = section.not_collected_people or 0
    return figures


def _from_download(report) -> dict[tuple, int]:
    by_name = {c.name: c for c in CHARACTERISTICS}
    figures = {}
    for name, label, kind, people, *_ in export_rows(report):
        if name == "All":
            figures[PEOPLE] = people
            continue
        characteristic = by_name[name]
        if kind == "Total":
            figures[(characteristic.code, "total")] = people
            continue
        code = next(
            item.code
            for item in (*characteristic.categories, *characteristic.groups)
            if item.label == label
        )
        figures[(characteristic.code, code)] = people
    return figures


def _reach_views(user, council, stored, funds) -> list[View]:
    views = []
    years = sorted({s.year for s in stored.values()}) or [2025]
    for year in years:
        for quarter in (None, 1, 2, 3, 4):
            for fund in (None, *funds):
                asked = {"year": str(year), "quarter": str(quarter or ""), "fund": ""}
                if fund is not None:
                    asked["fund"] = str(fund.pk)
                choice = choose(user, asked, timezone.localdate())
                covered = frozenset(
                    s.pk
                    for s in stored.values()
                    if s.reported
                    and s.year == choice.year
                    and (choice.quarter is None or s.quarter == choice.quarter)
                    and (choice.fund is None or s.fund_id == choice.fund.pk)
                )
                report = reach_report(user, choice)
                views.append(View(f"reach {choice.slug}", covered, _from_reach_report(report)))
                views.append(View(f"download {choice.slug}", covered, _from_download(report)))
    return views


def _equality_report_views(user, council, stored) -> list[View]:
    views = []
    plans = council_plans(council.pk)
    for year in sorted({s.year for s in stored.values()}):
        report = equality_report(user, council, plans, year, timezone.localdate())
        figures = {PEOPLE: report.people_reached}
        for comparison in report.comparisons:
            code = comparison.table.characteristic.code
            for row in (*comparison.rows, *comparison.unanswered):
                figures[(code, row.code)] = row.reached
            figures[(code, "total")] = comparison.table.total
        covered = frozenset(s.pk for s in stored.values() if s.reported and s.year == year)
        views.append(View(f"equality report {year}", covered, figures))
    return views


def _return_views(stored) -> list[View]:
    """Each return's figures as its page, its PDF and the administration show them."""
    views = []
    for pk in stored:
        section = grant_selectors.beneficiary_section(QuarterlyReturn.objects.get(pk=pk))
        shown = section.shown(as_entered=False)
        figures = {PEOPLE: shown.people_reached}
        for characteristic in shown.characteristics:
            code = characteristic.characteristic.code
            for category, row in zip(
                characteristic.characteristic.categories, characteristic.rows, strict=False
            ):
                figures[(code, category.code)] = row.count
        views.append(View(f"return {pk}", frozenset({pk}), figures))
    return views


def _spans(years: list[int]) -> list[tuple[dt.date, dt.date]]:
    quarters = [quarter_dates(y, q) for y in years for q in (1, 2, 3, 4)]
    spans = [*quarters, (quarters[0][0], quarters[-1][1])]
    spans += [(quarter_dates(y, 1)[0], quarter_dates(y, 4)[1]) for y in years]
    spans += [(quarter_dates(y, 2)[0], quarter_dates(y, 3)[1]) for y in years]
    return spans


def _delivered_views(user, stored, agreements) -> list[View]:
    """Who the grants delivering a plan reached, for plans over the spans of quarters, years and
    stretches across them."""
    views = []
    years = sorted({s.year for s in stored.values()}) or [2025]
    linked = PerformanceIndicator.objects.filter(agreement__in=agreements).values("pk")
    ids = {a.pk for a in agreements}
    for start, end in _spans(years):
        delivered = grant_selectors.delivered_reach(user, [linked], start=start, end=end)
        in_reach = [s for s in stored.values() if s.reported and s.agreement_id in ids]
        if delivered.in_span:
            covered = [
                s
                for s in in_reach
                if quarter_dates(s.year, s.quarter)[0] <= end
                and quarter_dates(s.year, s.quarter)[1] >= start
            ]
        else:
            covered = [s for s in in_reach if s.year == delivered.financial_year]
        reach = delivered.reach
        figures = {PEOPLE: reach.people_reached}
        for characteristic in CHARACTERISTICS:
            code = characteristic.code
            for category in characteristic.codes:
                figures[(code, category)] = reach.counts.get(code, {}).get(category, 0)
            figures[(code, "not collected")] = reach.not_collected_people.get(code, 0)
        views.append(View(f"delivered {start}-{end}", frozenset(s.pk for s in covered), figures))
    return views


def views_a_reader_sees(user, council, funds, agreements) -> tuple[dict[int, Stored], list[View]]:
    stored = stored_returns(council)
    views = [
        *_reach_views(user, council, stored, funds),
        *_equality_report_views(user, council, stored),
        *_return_views(stored),
        *_delivered_views(user, stored, agreements),
    ]
    return stored, views


# The two checks -----------------------------------------------------------------------------


def assert_every_figure_adds_up_the_published_figures(stored, views: list[View]) -> None:
    for view in views:
        expected = added_up(stored, view.returns, "published")
        for key, value in view.figures.items():
            assert value == expected.get(key, 0), (view.name, key, value, expected.get(key))
            assert value % 5 == 0, (view.name, key, value)


def assert_no_difference_gives_a_count_away(stored, views: list[View]) -> None:
    for outer in views:
        for inner in views:
            between = outer.returns - inner.returns
            if not between or not inner.returns <= outer.returns:
                continue
            true = added_up(stored, frozenset(between), "true")
            for key, value in outer.figures.items():
                if key in inner.figures and 1 <= true.get(key, 0) <= 4:
                    worked_out = value - inner.figures[key]
                    assert worked_out != true[key], (outer.name, inner.name, key, worked_out)


def assert_nothing_is_given_away(reader, council, funds, agreements) -> None:
    stored, views = views_a_reader_sees(reader, council, funds, agreements)
    assert_every_figure_adds_up_the_published_figures(stored, views)
    assert_no_difference_gives_a_count_away(stored, views)


# On the demo --------------------------------------------------------------------------------


def test_on_the_demo_no_figure_a_council_reads_gives_a_count_away(demo_data, client):
    council = Organisation.objects.get(short_code="KBC")
    officer = User.objects.get(username="officer")
    funds = list(Fund.objects.filter(council=council))
    agreements = list(Agreement.objects.filter(funder=council))
    stored = stored_returns(council)
    assert any(1 <= n <= 4 for s in stored.values() for n in s.true.values())

    latest = max((s for s in stored.values() if s.reported), key=lambda s: (s.year, s.quarter))
    QuarterlyReturn.objects.filter(pk=latest.pk).update(status="draft")
    before = views_a_reader_sees(officer, council, funds, agreements)[1]
    QuarterlyReturn.objects.filter(pk=latest.pk).update(status="submitted")
    stored, after = views_a_reader_sees(officer, council, funds, agreements)

    assert_every_figure_adds_up_the_published_figures(stored, [*before, *after])
    assert_no_difference_gives_a_count_away(stored, [*before, *after])


# On random returns ------------------------------------------------------------------------------

PERIODS = [(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2)]
ASKED = ("sex", "age", "race")
NOT_ASKED = [c.code for c in CHARACTERISTICS if c.code not in ASKED]
STATUSES = ("draft", "submitted", "approved")


@dataclass
class Council:
    council: Organisation
    reader: User
    funds: list
    agreements: list  # one in each fund and one in none


@pytest.fixture
def kettering(db) -> Council:
    council = CouncilFactory(name="Kettering Borough Council", short_code="KBC")
    funds = [FundFactory(council=council) for _ in range(2)]
    agreements = [AgreementFactory(funder=council, fund=fund) for fund in (*funds, None)]
    for agreement in agreements:
        PerformanceIndicatorFactory(agreement=agreement)
    for year, quarter in PERIODS:
        ReportingPeriodFactory(financial_year=year, quarter=quarter)
    return Council(council, UserFactory(lead_officer=True, organisation=council), funds, agreements)


@st.composite
def a_return(draw):
    """A return of a few people, each put in one category of each characteristic asked, some of
    them not collected; for one of the agreements, in one of the quarters."""
    people = draw(st.integers(min_value=0, max_value=12))
    counts, not_collected = {}, list(NOT_ASKED)
    for code in ASKED:
        if code != "sex" and draw(st.integers(min_value=0, max_value=4)) == 0:
            not_collected.append(code)
            continue
        placed = draw(
            st.lists(st.sampled_from(BY_CODE[code].codes), min_size=people, max_size=people)
        )
        counts[code] = {c: placed.count(c) for c in set(placed)}
    return {
        "agreement": draw(st.integers(min_value=0, max_value=2)),
        "period": draw(st.sampled_from(PERIODS)),
        "status": draw(st.sampled_from(STATUSES)),
        "people": people,
        "counts": counts,
        "not_collected": not_collected,
    }


populations = st.fixed_dictionaries(
    {
        "tolerance": st.sampled_from(["0", "1", "5"]),
        "shares": st.dictionaries(
            st.sampled_from(BY_CODE["race"].comparable),
            st.decimals(min_value=0, max_value=10, places=1).map(str),
            max_size=4,
        ),
    }
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    returns=st.lists(
        a_return(), min_size=1, max_size=7, unique_by=lambda r: (r["agreement"], r["period"])
    ),
    population=populations,
    late=st.integers(min_value=0),
)
def test_on_random_returns_no_figure_a_council_reads_gives_a_count_away(
    kettering, client, returns, population, late
):
    with transaction.atomic():
        created = []
        for given_ in returns:
            year, quarter = given_["period"]
            figures = BeneficiaryFiguresFactory(
                quarterly_return=QuarterlyReturnFactory(
                    agreement=kettering.agreements[given_["agreement"]],
                    period=ReportingPeriodFactory(financial_year=year, quarter=quarter),
                    status=given_["status"],
                ),
                people_reached=given_["people"],
                counts=given_["counts"],
                not_collected=given_["not_collected"],
            )
            created.append(figures.quarterly_return)
        PopulationProfileFactory(
            council=kettering.council,
            under_reach_tolerance=population["tolerance"],
            shares={"race": population["shares"]},
        )
        reader = kettering.reader
        everything = (reader, kettering.council, kettering.funds, kettering.agreements)

        # A later return comes in: it is read as a draft first, then submitted.
        later = created[late % len(created)]
        status = later.status
        QuarterlyReturn.objects.filter(pk=later.pk).update(status="draft")
        _, before = views_a_reader_sees(*everything)
        QuarterlyReturn.objects.filter(pk=later.pk).update(status=status)
        stored, after = views_a_reader_sees(*everything)

        assert_every_figure_adds_up_the_published_figures(stored, [*before, *after])
        assert_no_difference_gives_a_count_away(stored, [*before, *after])
        client.force_login(reader)
        for url in (
            reverse("oversight:reach"),
            reverse("oversight:reach_export", args=["csv"]),
            reverse("oversight:reach_export", args=["xlsx"]),
            reverse("oversight:equality_report", args=[kettering.council.pk]),
        ):
            assert client.get(url).status_code == 200, url
        transaction.set_rollback(True)
