"""Who the grants reach: the page's figures against counts made by hand, the population beside
them, rounding, filters, another council's figures, and a fixed number of queries.

The hand-counted returns give multiples of 5, which are published as they are; a count that is
not is published rounded, and the page adds up what each return published."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grants.models import QuarterlyReturn
from sla_monitor.models import User
from tests.factories import (
    AgreementFactory,
    BeneficiaryFiguresFactory,
    CouncilFactory,
    FundFactory,
    PopulationProfileFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

APPROVED = QuarterlyReturn.Status.APPROVED
SUBMITTED = QuarterlyReturn.Status.SUBMITTED
DRAFT = QuarterlyReturn.Status.DRAFT
REACH = reverse("oversight:reach")


def figures(agreement, year, quarter, status, people, counts, not_collected=()):
    quarterly_return = QuarterlyReturnFactory(
        agreement=agreement,
        period=ReportingPeriodFactory(financial_year=year, quarter=quarter),
        status=status,
    )
    return BeneficiaryFiguresFactory(
        quarterly_return=quarterly_return,
        people_reached=people,
        counts=counts,
        not_collected=not_collected,
    )


@pytest.fixture
def council():
    """Two agreements of one council, one of them in a fund, with figures counted by hand:

    | return          | status    | people | sex (F, M, prefer not to say) | race                  |
    | funded, Q1 2025 | approved  | 30     | 20, 5, 5                      | WB 20, Indian 5, NK 5 |
    | other, Q1 2025  | submitted | 20     | 10, 10, 0                     | not collected         |
    | funded, Q2 2025 | approved  | 10     | 5, 5, 0                       | WB 10                 |
    | other, Q2 2025  | draft     | 100    | 100 female: a draft, left out |                       |
    | funded, Q4 2024 | approved  | 10     | 10 female: another year       |                       |

    2025: 3 returns, 60 people; sex F 35, M 20, prefer not to say 5 (shares of the 55 who
    answered: 63.6%, 36.4%); race counted for 40 (WB 30, Indian 5, not known 5), one return of
    20 people not collecting it.
    """
    kettering = CouncilFactory(name="Kettering Borough Council", short_code="KBC")
    fund = FundFactory(council=kettering, name="Community Cohesion Fund")
    funded = AgreementFactory(funder=kettering, fund=fund)
    other = AgreementFactory(funder=kettering)
    figures(
        funded,
        2025,
        1,
        APPROVED,
        30,
        {
            "sex": {"female": 20, "male": 5, "prefer-not-to-say": 5},
            "race": {"white-british": 20, "asian-indian": 5, "not-known": 5},
        },
    )
    figures(other, 2025, 1, SUBMITTED, 20, {"sex": {"female": 10, "male": 10}}, ["race"])
    figures(
        funded,
        2025,
        2,
        APPROVED,
        10,
        {"sex": {"female": 5, "male": 5}, "race": {"white-british": 10}},
    )
    figures(other, 2025, 2, DRAFT, 100, {"sex": {"female": 100}})
    figures(funded, 2024, 4, APPROVED, 10, {"sex": {"female": 10}})
    officer = UserFactory(lead_officer=True, organisation=kettering)
    return kettering, fund, officer


def section(report, code):
    return next(s for s in report.sections if s.characteristic.code == code)


def rows(report, code):
    found = section(report, code).reach
    return {r.code: r for r in (*found.rows, *found.unanswered)}


def test_the_page_sums_the_years_submitted_and_approved_returns(council, client):
    _, _, officer = council
    client.force_login(officer)

    report = client.get(REACH, {"year": "2025"}).context["report"]

    assert (report.returns, report.people) == (3, 60)
    sex = rows(report, "sex")
    assert (sex["female"].reached, sex["male"].reached) == (35, 20)
    assert sex["prefer-not-to-say"].reached == 5
    assert (sex["female"].share, sex["male"].share) == (Decimal("63.6"), Decimal("36.4"))


def test_a_count_is_shown_as_its_returns_published_it_rounded_and_added_up(council, client):
    kettering, _, officer = council
    later = figures(
        AgreementFactory(funder=kettering),
        2025,
        3,
        APPROVED,
        13,
        {"race": {"white-british": 9, "asian-indian": 3, "not-known": 1}},
        ["sex"],
    )
    published = {c.category: c.published for c in later.counts.all()}
    client.force_login(officer)

    response = client.get(REACH, {"year": "2025"})
    race = rows(response.context["report"], "race")

    assert race["white-british"].reached == 30 + published["white-british"]
    assert race["asian-indian"].reached == 5 + published["asian-indian"]
    assert race["not-known"].reached == 5 + published["not-known"]
    assert race["ethnic-minority"].reached == race["asian-indian"].reached
    assert published["asian-indian"] in (0, 5) and published["not-known"] in (0, 5)
    html = response.content.decode()
    assert "every count is rounded to a multiple of 5 for each return" in html
    assert "fewer than 5" not in html and ">hidden<" not in section_html(html, "race")


def section_html(html: str, code: str) -> str:
    start = html.index(f'id="reach-{code}"')
    return html[start : html.index("</section>", start)]


def test_a_characteristic_not_collected_says_how_many_returns_and_leaves_their_people_out(
    council, client
):
    _, _, officer = council
    client.force_login(officer)

    response = client.get(REACH, {"year": "2025"})
    race = section(response.context["report"], "race")

    assert race.reach.total == 40
    assert race.reach.not_collected_returns == 1
    assert race.not_collected_people == 20
    assert (
        "1 return did not collect this: the people it reached (20) are not counted here."
        in response.content.decode()
    )


def test_the_latest_year_with_figures_is_shown_unless_another_is_chosen(council, client):
    _, _, officer = council
    client.force_login(officer)

    assert client.get(REACH).context["choice"].year == 2025
    earlier = client.get(REACH, {"year": "2024"}).context["report"]
    assert (earlier.returns, earlier.people) == (1, 10)


def test_a_quarter_and_a_fund_narrow_the_figures(council, client):
    _, fund, officer = council
    client.force_login(officer)

    second = client.get(REACH, {"year": "2025", "quarter": "2"}).context["report"]
    funded = client.get(REACH, {"year": "2025", "fund": fund.pk}).context["report"]

    assert (second.returns, second.people) == (1, 10)
    assert (funded.returns, funded.people) == (2, 40)
    assert rows(funded, "sex")["male"].reached == 10


def test_a_value_not_offered_is_ignored(council, client):
    _, _, officer = council
    other_fund = FundFactory()
    client.force_login(officer)

    response = client.get(REACH, {"year": "1999", "quarter": "7", "fund": other_fund.pk})

    choice = response.context["choice"]
    assert (choice.year, choice.quarter, choice.fund) == (2025, None, None)


def test_the_population_is_set_beside_the_figures_and_a_group_under_reached_is_marked(
    council, client
):
    kettering, _, officer = council
    PopulationProfileFactory(
        council=kettering,
        area="Kettering Borough",
        shares={"sex": {"female": "51", "male": "49"}, "race": {"ethnic-minority": "7.6"}},
    )
    client.force_login(officer)

    response = client.get(REACH, {"year": "2025"})
    sex = rows(response.context["report"], "sex")

    assert (sex["male"].population, sex["male"].difference) == (Decimal("49"), Decimal("-12.6"))
    assert sex["male"].under_reached and not sex["female"].under_reached
    html = response.content.decode()
    assert "Under-reached by 12.6 points" in html
    assert "Sex: Male</a>, under-reached by 12.6 percentage points" in html
    assert "Kettering Borough, 2021. Source: 2021 Census, Office for National Statistics." in html
    # Five people from ethnic minorities may be anything from one to nine: not judged.
    minority = rows(response.context["report"], "race")["ethnic-minority"]
    assert (minority.reached, minority.too_few, minority.under_reached) == (5, True, False)
    assert "Not judged: too few people" in section_html(html, "race")
    assert "fewer than 10 people counted is not judged" in html


def test_a_difference_within_the_councils_tolerance_is_not_marked(council, client):
    kettering, _, officer = council
    PopulationProfileFactory(
        council=kettering,
        under_reach_tolerance=Decimal("13"),
        shares={"sex": {"female": "51", "male": "49"}},
    )
    client.force_login(officer)

    response = client.get(REACH, {"year": "2025"})

    assert not rows(response.context["report"], "sex")["male"].under_reached
    assert "No category or group is under-reached by more than 13" in response.content.decode()


def test_without_a_population_profile_the_page_says_so_and_who_records_one(council, client):
    kettering, _, officer = council
    administrator = UserFactory(role=User.Role.ADMIN, organisation=kettering)

    client.force_login(officer)
    html = client.get(REACH).content.decode()
    assert "No population profile is recorded for Kettering Borough Council" in html
    assert "Your council's administrator records it" in html

    client.force_login(administrator)
    html = client.get(REACH).content.decode()
    assert reverse("equality_plans:population_profile", args=[kettering.pk]) in html


def test_a_council_with_no_figures_shows_an_empty_page(client):
    cohesion = UserFactory(action_owner=True)
    client.force_login(cohesion)

    response = client.get(REACH)

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.returns, report.people) == (0, 0)
    assert "No return in this year carries beneficiary figures yet" in response.content.decode()


def test_another_councils_figures_never_appear(council, client):
    kettering, _, officer = council
    leicester = CouncilFactory(name="Leicester City Council")
    figures(AgreementFactory(funder=leicester), 2025, 1, APPROVED, 995, {"sex": {"female": 995}})
    client.force_login(officer)

    page = client.get(REACH, {"year": "2025", "council": leicester.pk})
    download = client.get(
        reverse("oversight:reach_export", args=["csv"]), {"year": "2025", "council": leicester.pk}
    )

    assert page.context["choice"].council == kettering
    assert page.context["report"].people == 60
    assert "995" not in page.content.decode()
    assert "995" not in download.content.decode()


def test_a_superuser_chooses_the_council(council, client):
    leicester = CouncilFactory(name="Leicester City Council")
    figures(AgreementFactory(funder=leicester), 2025, 1, APPROVED, 995, {"sex": {"female": 995}})
    client.force_login(UserFactory(superuser=True))

    report = client.get(REACH, {"council": leicester.pk}).context["report"]

    assert report.choice.council == leicester
    assert report.people == 995


def test_providers_are_refused(council, client):
    client.force_login(UserFactory())

    assert client.get(REACH).status_code == 403
    assert client.get(reverse("oversight:reach_export", args=["csv"])).status_code == 403


def _export(client, fmt, **query):
    return client.get(reverse("oversight:reach_export", args=[fmt]), query)


def test_the_csv_holds_the_tables_as_the_page_shows_them(council, client):
    kettering, _, officer = council
    PopulationProfileFactory(
        council=kettering,
        shares={"sex": {"female": "51", "male": "49"}, "race": {"ethnic-minority": "7.6"}},
    )
    client.force_login(officer)

    response = _export(client, "csv", year="2025")

    assert response["Content-Disposition"] == 'attachment; filename="reach-KBC-2025.csv"'
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_label = {(row[0], row[1]): row for row in table[1:]}
    assert table[0][:4] == ["Characteristic", "Category or group", "Row", "People reached"]
    assert by_label[("All", "People reached")][3] == "60"
    assert by_label[("Sex", "Male")][3:] == [
        "20",
        "36.4%",
        "49%",
        "-12.6",
        "Under-reached by 12.6 points",
    ]
    assert by_label[("Race", "Not known")][2:4] == ["Not answered", "5"]
    assert by_label[("Race", "Asian, Asian British or Asian Welsh: Indian")][3:5] == ["5", "14.3%"]
    assert by_label[("Race", "Ethnic minorities (every group but White British)")][2:] == [
        "Group",
        "5",
        "14.3%",
        "7.6%",
        "6.7",
        "Not judged: too few people",
    ]


def test_the_excel_download_holds_the_same_rows(council, client):
    _, _, officer = council
    client.force_login(officer)

    csv_rows = list(
        csv.reader(io.StringIO(_export(client, "csv", year="2025").content.decode("utf-8-sig")))
    )
    workbook = load_workbook(io.BytesIO(_export(client, "xlsx", year="2025").content))
    sheet = workbook["Who the grants reach"]

    assert sheet.max_row == len(csv_rows)
    assert [c.value for c in sheet[1]] == csv_rows[0]
    people = [row for row in sheet.iter_rows(values_only=True) if row[1] == "People reached"]
    assert people[0][3] == 60


def _many(council, count):
    kettering, fund, _ = council
    for number in range(count):
        agreement = AgreementFactory(funder=kettering, fund=fund if number % 2 else None)
        for quarter in (1, 2, 3, 4):
            figures(
                agreement,
                2025,
                quarter,
                APPROVED,
                10,
                {"sex": {"female": 5, "male": 5}, "age": {"25-34": 10}},
                ["race"],
            )


@pytest.mark.parametrize(
    "url",
    [REACH, *(reverse("oversight:reach_export", args=[fmt]) for fmt in ("xlsx", "csv"))],
    ids=["page", "xlsx", "csv"],
)
def test_the_same_number_of_queries_for_few_returns_and_many(council, client, url, same_queries):
    kettering, fund, officer = council
    PopulationProfileFactory(council=kettering, shares={"sex": {"female": "51", "male": "49"}})
    client.force_login(officer)
    query = {"year": "2025", "fund": fund.pk}

    same_queries(lambda: client.get(url, query), grow=lambda: _many(council, 12))

    report = client.get(REACH, {"year": "2025"}).context["report"]
    assert (report.returns, report.people) == (3 + 12 * 4, 60 + 12 * 4 * 10)
    assert rows(report, "sex")["female"].reached == 35 + 12 * 4 * 5
