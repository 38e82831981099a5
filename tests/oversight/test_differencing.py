"""The review's routes to a count of 1 to 4 that the council should not read, tried against the
pages a council's staff can open: the year less its quarters, every fund less one, a quarter's
total less the single returns in it, figures read before and after a later return came in, and
the under-reached flag read against population shares set between two neighbouring percentages.
Each figure is read as the reader reads it: from the reach page's CSV download, a return's page
and the equality information report.

And on the demo, with a realistic population profile, the reach page and its downloads open for
every one of the council's staff."""

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from grants import services
from grants.models import Agreement, BeneficiaryCount, QuarterlyReturn
from sla_monitor import roles
from sla_monitor.models import Organisation, User
from tests.factories import (
    AgreementFactory,
    CouncilFactory,
    FundFactory,
    PopulationProfileFactory,
    ProviderFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
    UserFactory,
)
from tests.grants.beneficiary_data import figures

pytestmark = pytest.mark.django_db

YEAR = 2025
AGE = ("Age", "65 to 74")
INDIAN = ("Race", "Asian, Asian British or Asian Welsh: Indian")


@dataclass
class Kettering:
    council: Organisation
    officer: User
    cohesion: Agreement  # in the cohesion fund
    volunteering: Agreement  # in the volunteering fund


@pytest.fixture
def kettering():
    council = CouncilFactory(name="Kettering Borough Council", short_code="KBC")
    officer = UserFactory(lead_officer=True, organisation=council)
    agreements = [
        AgreementFactory(
            funder=council,
            provider=ProviderFactory(),
            fund=FundFactory(council=council, name=name),
            lead_officer=officer,
            requires_beneficiary_figures=True,
        )
        for name in ("Community Cohesion Fund", "Volunteering Fund")
    ]
    return Kettering(council, officer, *agreements)


def _provider(agreement):
    return User.objects.filter(organisation=agreement.provider).first() or UserFactory(
        organisation=agreement.provider
    )


def _save(quarterly_return, people, **counts):
    """The provider saves the return's figures: every characteristic "Not known" but those given."""
    services.save_beneficiary_figures(
        quarterly_return=quarterly_return,
        by=_provider(quarterly_return.agreement),
        expected_version=None,
        **figures(people, **counts),
    )


def _reported(agreement, quarter, people, **counts) -> QuarterlyReturn:
    """A return with its figures, submitted."""
    quarterly_return = QuarterlyReturnFactory(
        agreement=agreement, period=ReportingPeriodFactory(financial_year=YEAR, quarter=quarter)
    )
    _save(quarterly_return, people, **counts)
    QuarterlyReturn.objects.filter(pk=quarterly_return.pk).update(status="submitted")
    return quarterly_return


def _download(client, **query) -> dict[tuple[str, str], list[str]]:
    """The reach page's CSV download, its rows by characteristic and row label."""
    response = client.get(reverse("oversight:reach_export", args=["csv"]), {"year": YEAR, **query})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {(row[0], row[1]): row for row in rows[1:]}


def _number(text: str) -> int | None:
    """A figure as the reader can use it in a sum: a number, or None for words in its place."""
    return int(text) if re.fullmatch(r"\d+", text) else None


def _people(client, row=AGE, **query) -> int | None:
    return _number(_download(client, **query)[row][3])


def _worked_out(figures_: list[int | None]) -> set[int]:
    """What a reader gets from these figures and every difference of two of them."""
    shown = [f for f in figures_ if f is not None]
    return {*shown, *(a - b for a in shown for b in shown)}


def test_the_year_less_a_quarter_gives_no_count_away(kettering, client):
    """Age 65 to 74: 3 in the first quarter, 5 in the second, 8 in the year."""
    _reported(kettering.cohesion, 1, 20, age={"25-34": 17, "65-74": 3})
    _reported(kettering.cohesion, 2, 20, age={"25-34": 15, "65-74": 5})
    client.force_login(kettering.officer)

    year, first, second = (_people(client, **q) for q in ({}, {"quarter": 1}, {"quarter": 2}))

    assert 3 not in _worked_out([year, first, second])
    assert None not in (year, first, second)
    assert year == first + second


def test_every_fund_less_one_gives_no_count_away(kettering, client):
    _reported(kettering.cohesion, 1, 20, age={"25-34": 17, "65-74": 3})
    _reported(kettering.volunteering, 1, 20, age={"25-34": 14, "65-74": 6})
    client.force_login(kettering.officer)

    every, cohesion, volunteering = (
        _people(client, quarter=1, **fund)
        for fund in (
            {},
            {"fund": kettering.cohesion.fund_id},
            {"fund": kettering.volunteering.fund_id},
        )
    )

    assert 3 not in _worked_out([every, cohesion, volunteering])
    assert None not in (every, cohesion, volunteering)
    assert every == cohesion + volunteering


def _on_the_return_page(client, quarterly_return, label="65 to 74") -> int | None:
    html = client.get(reverse("grants:return_detail", args=[quarterly_return.pk])).content.decode()
    start = html.index(">Age</h3>")
    table = html[start : html.index("</table>", start)]
    cell = re.search(rf'<th scope="row" class="fw-normal">{label}</th><td[^>]*>([^<]*)</td>', table)
    return _number(cell.group(1))


def test_a_quarters_total_less_the_single_returns_the_lead_officer_reads_gives_no_count_away(
    kettering, client
):
    small = _reported(kettering.cohesion, 1, 20, age={"25-34": 17, "65-74": 3})
    other = _reported(kettering.volunteering, 1, 20, age={"25-34": 13, "65-74": 7})
    client.force_login(kettering.officer)

    total = _people(client, quarter=1)
    singles = [_on_the_return_page(client, r) for r in (small, other)]

    assert 3 not in _worked_out([total, *singles])
    assert None not in (total, *singles)
    assert total == sum(singles)


def test_the_year_read_before_and_after_a_later_return_gives_no_count_away(kettering, client):
    _reported(kettering.cohesion, 1, 20, age={"25-34": 14, "65-74": 6})
    client.force_login(kettering.officer)
    before = _people(client)

    later = _reported(kettering.volunteering, 2, 20, age={"25-34": 17, "65-74": 3})
    after = _people(client)

    assert 3 not in _worked_out([before, after])
    published = BeneficiaryCount.objects.get(
        figures__quarterly_return=later, characteristic="age", category="65-74"
    ).published
    assert after - before == published


# The under-reached flag -----------------------------------------------------------------------


def _race_in_the_report(html: str) -> tuple[tuple, tuple]:
    """What the equality information report shows of the race table: its counts, and what it
    says of under-reach (the words beside each row, and the list of groups under-reached)."""
    start = html.index("<caption>Race: people reached")
    table = html[start : html.index("</table>", start)]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    cells = [(label, re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)) for label, body in rows]
    counts = tuple((label, found[0]) for label, found in cells)
    flags = tuple((label, found[-1]) for label, found in cells)
    gaps = html[html.index("Groups the funded services under-reached") :]
    return counts, (flags, gaps[: gaps.index("</section>")])


def _race_in_the_download(client) -> tuple[tuple, tuple]:
    """What the reach page's download holds of race: each row's count, and its under-reach."""
    rows = [(key, row) for key, row in _download(client).items() if key[0] == "Race"]
    return tuple((key, row[3]) for key, row in rows), tuple((key, row[7]) for key, row in rows)


def _under_reach_read_for_one_to_four_indian_people(kettering, client, read) -> dict:
    """The review's attack: with no tolerance, set the area's share of Indian people between the
    shares two and three people would give (8% and 12% of 25), and read the page for a return
    of 1, 2, 3 and then 4 Indian people. What `read` finds (the counts, what is said of
    under-reach) for each, grouped by the counts."""
    PopulationProfileFactory(
        council=kettering.council,
        under_reach_tolerance=Decimal("0"),
        shares={"race": {"asian-indian": "10"}},
    )
    quarterly_return = QuarterlyReturnFactory(
        agreement=kettering.cohesion, period=ReportingPeriodFactory(financial_year=YEAR, quarter=1)
    )
    client.force_login(kettering.officer)
    found: dict[tuple, dict[int, tuple]] = {}
    for indian in (1, 2, 3, 4):
        QuarterlyReturn.objects.filter(pk=quarterly_return.pk).update(status="draft")
        _save(quarterly_return, 25, race={"asian-indian": indian, "white-british": 25 - indian})
        QuarterlyReturn.objects.filter(pk=quarterly_return.pk).update(status="submitted")
        counts, flags = read(client)
        found.setdefault(counts, {})[indian] = flags
    return found


def _the_same_flags_for_the_same_counts(found: dict) -> None:
    for by_count in found.values():
        assert len(set(by_count.values())) == 1, sorted(by_count)
    # One start rounds at least two of the four counts alike: the comparison is not empty.
    assert max(len(by_count) for by_count in found.values()) > 1


def test_the_equality_reports_under_reach_says_nothing_the_published_counts_do_not(
    kettering, client
):
    report = reverse("oversight:equality_report", args=[kettering.council.pk])

    found = _under_reach_read_for_one_to_four_indian_people(
        kettering,
        client,
        lambda c: _race_in_the_report(c.get(report, {"year": YEAR}).content.decode()),
    )

    _the_same_flags_for_the_same_counts(found)
    assert "Not judged: too few people" in str(found)


def test_the_reach_downloads_under_reach_says_nothing_the_published_counts_do_not(
    kettering, client
):
    found = _under_reach_read_for_one_to_four_indian_people(
        kettering, client, _race_in_the_download
    )

    _the_same_flags_for_the_same_counts(found)
    assert _download(client)[INDIAN][7] == "Not judged: too few people"


def test_a_realistic_population_profile_opens_the_reach_page_and_downloads_for_all_staff(
    demo_data, client
):
    """Kettering records its population with a tolerance of 1 point and a category of 3%: the
    one whose count over the year, before rounding, is a handful of people."""
    council = Organisation.objects.get(short_code="KBC")
    returns = QuarterlyReturn.objects.filter(agreement__funder=council).reported()
    year = max(returns.values_list("period__financial_year", flat=True))
    in_year = (
        BeneficiaryCount.objects.filter(
            figures__quarterly_return__in=returns.filter(period__financial_year=year),
            characteristic="race",
        )
        .values("category")
        .annotate(people=Sum("count"))
    )
    few = next(row["category"] for row in in_year if 1 <= row["people"] <= 4)
    PopulationProfileFactory(
        council=council,
        area="Kettering",
        under_reach_tolerance=Decimal("1"),
        shares={
            "sex": {"female": "50.9", "male": "49.1"},
            "race": {"white-british": "88.5", few: "3"},
        },
    )
    staff = [u for u in User.objects.filter(organisation=council) if roles.is_council_staff(u)]
    assert staff

    for user in staff:
        client.force_login(user)
        for url in (
            reverse("oversight:reach"),
            reverse("oversight:reach_export", args=["csv"]),
            reverse("oversight:reach_export", args=["xlsx"]),
        ):
            assert client.get(url, {"year": year}).status_code == 200, (user.username, url)
