"""A recipient's own diversity in the council's 360Giving data: the DEI Extension's fields on its
grants, declared as the standard asks, valid against the standard's schema with the extension's,
and nothing for a recipient that did not answer."""

import copy
import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grants import diversity, publishing, services
from grants.models import Agreement, OrganisationDiversity
from sla_monitor.periods import financial_year_of
from tests.factories import (
    AgreementFactory,
    CouncilFactory,
    ProviderFactory,
    QuarterlyReturnFactory,
    UserFactory,
)
from tests.grants.test_publishing import (
    DEI_GRANT_SCHEMA,
    DEI_TITLES,
    GRANT_SCHEMA,
    package_errors,
    validate_package,
)

pytestmark = pytest.mark.django_db

AWARDED = dt.date(2025, 3, 1)  # in 2024/25


@pytest.fixture
def council():
    return CouncilFactory(
        org_id="GB-LAE-TST", threesixtygiving_prefix="360G-test", short_code="TST"
    )


def _grant(council, provider=None, awarded=AWARDED, reported=True):
    """A published grant; unless told otherwise, its recipient has sent the council a return,
    and so shares its answers about itself with it."""
    agreement = AgreementFactory(
        funder=council,
        provider=provider or ProviderFactory(),
        purpose="Advice sessions.",
        award_date=awarded,
        published=True,
    )
    if reported:
        QuarterlyReturnFactory(agreement=agreement, submitted=True)
    return agreement


def _answers(provider, year, **values):
    """Answers as a provider gave them in an earlier year (the service takes this year's only)."""
    defaults = {
        "leadership_reply": "RS200",
        "leadership_codes": ["DEI010000", "DEI020330"],
        "leadership_geography": "Corby and Kettering",
        "mission_reply": "RS201",
        "may_publish": True,
        "updated_by": UserFactory(organisation=provider),
    }
    return OrganisationDiversity.objects.create(
        organisation=provider, financial_year=year, **{**defaults, **values}
    )


def _package(council):
    return publishing.threesixtygiving_package(
        council, publishing.published_grants(council), "https://example.org/360giving.json"
    )


def test_a_grant_carries_its_recipients_answers_and_the_package_declares_the_extension(council):
    grant = _grant(council)
    _answers(grant.provider, 2024)

    package = _package(council)

    validate_package(package)
    assert package["extensions"] == ["dei"]
    details = package["grants"][0]["deiDetails"]
    assert details["leadership"] == {
        "askedStatus": "AS201",
        "replyStatus": "RS200",
        "availableOptions": ["AO100", "AO101", "AO102", "AO200", "AO201", "AO300", "AO301"],
        "additionalDetails": (
            "Asked of the recipient organisation once a year: its answer about its leadership "
            "for the financial year 2024/25."
        ),
        "response": {
            "taxonomyCodes": ["DEI010000", "DEI020330"],
            "geography": "Corby and Kettering",
        },
    }
    assert details["mission"]["replyStatus"] == "RS201"
    assert "response" not in details["mission"]
    assert details["project"] == {"askedStatus": "AS100"}
    assert details["purposes"] == diversity.PURPOSES


def test_a_council_publishes_nothing_a_recipient_said_of_itself_before_it_reported_to_it(
    council,
):
    """Naming a provider in an agreement and publishing it must not publish what the provider
    said of itself to the councils it reports to."""
    provider = _grant(CouncilFactory(), reported=True).provider
    _answers(provider, 2024, leadership_geography="Only for the councils I report to")
    _grant(council, provider=provider, reported=False)

    package = _package(council)

    assert "deiDetails" not in package["grants"][0]
    assert "Only for the councils I report to" not in str(package)


def test_a_recipient_that_did_not_answer_has_nothing_published_and_nothing_is_declared(council):
    _grant(council)

    package = _package(council)

    validate_package(package)
    assert "deiDetails" not in package["grants"][0]
    assert "extensions" not in package


def test_only_the_recipients_that_answered_carry_answers(council):
    answered, silent = _grant(council), _grant(council)
    _answers(answered.provider, 2024)

    package = _package(council)

    validate_package(package)
    carried = {g["recipientOrganization"][0]["name"]: "deiDetails" in g for g in package["grants"]}
    assert carried == {answered.provider.name: True, silent.provider.name: False}


def test_declining_is_published_as_the_extension_says_and_nothing_more(council):
    grant = _grant(council)
    _answers(
        grant.provider,
        2024,
        leadership_reply="RS202",
        leadership_codes=[],
        leadership_geography="",
        mission_reply="RS202",
    )

    details = _package(council)["grants"][0]["deiDetails"]

    assert [details[a]["replyStatus"] for a in ("leadership", "mission")] == ["RS202", "RS202"]
    assert "response" not in details["leadership"] and "response" not in details["mission"]


def test_answers_not_to_be_published_say_only_that_a_reply_was_got(council):
    grant = _grant(council)
    _answers(grant.provider, 2024, may_publish=False, leadership_lived_experience="Care leavers")

    package = _package(council)
    text = str(package)

    validate_package(package)
    details = package["grants"][0]["deiDetails"]
    assert [details[a]["replyStatus"] for a in ("leadership", "mission")] == ["RS203", "RS203"]
    assert "DEI020330" not in text and "Corby" not in text and "Care leavers" not in text


def test_a_grant_carries_the_answers_for_its_award_year_before_any_later(council):
    grant = _grant(council)
    _answers(grant.provider, 2023, leadership_codes=["DEI090000"])
    _answers(grant.provider, 2025, leadership_codes=["DEI060000"])
    _answers(grant.provider, 2024, leadership_codes=["DEI070000"])

    details = _package(council)["grants"][0]["deiDetails"]

    assert details["leadership"]["response"]["taxonomyCodes"] == ["DEI070000"]
    assert "2024/25" in details["leadership"]["additionalDetails"]


def test_without_answers_for_its_award_year_a_grant_carries_the_first_given_after(council):
    grant = _grant(council)
    _answers(grant.provider, 2023, leadership_codes=["DEI090000"])
    _answers(grant.provider, 2027, leadership_codes=["DEI060000"])
    _answers(grant.provider, 2026, leadership_codes=["DEI050000"])
    later_grant = _grant(council, grant.provider, awarded=dt.date(2028, 6, 1))

    grants = {g["id"]: g for g in _package(council)["grants"]}

    leadership = grants[publishing.grant_id(grant)]["deiDetails"]["leadership"]
    assert leadership["response"]["taxonomyCodes"] == ["DEI050000"]
    assert "deiDetails" not in grants[publishing.grant_id(later_grant)]


def test_the_schema_with_the_extension_refuses_what_the_extension_does_not_allow(council):
    """The tests' schema does check the extension: a code outside its closed lists, or an area
    left out, is an error there though the standard alone lets any extra field through."""
    grant = _grant(council)
    _answers(grant.provider, 2024)
    package = _package(council)
    bad_code = copy.deepcopy(package)
    bad_code["grants"][0]["deiDetails"]["leadership"]["response"]["taxonomyCodes"] = ["DEI999"]
    bad_reply = copy.deepcopy(package)
    bad_reply["grants"][0]["deiDetails"]["mission"]["replyStatus"] = "RS999"
    no_project = copy.deepcopy(package)
    del no_project["grants"][0]["deiDetails"]["project"]

    for bad in (bad_code, bad_reply, no_project):
        assert package_errors(bad, GRANT_SCHEMA) == []
        assert package_errors(bad, DEI_GRANT_SCHEMA) != []
    assert package_errors(package, DEI_GRANT_SCHEMA) == []


def test_every_answer_a_provider_may_give_publishes_as_valid_data(council):
    """Each population group's every code, each reply and the words, through the service."""
    grant = _grant(council, awarded=timezone.localdate())
    person = UserFactory(organisation=grant.provider)
    year = financial_year_of(timezone.localdate())
    for group in diversity.POPULATION_GROUPS:
        for option in group.options:
            services.record_diversity(
                organisation=grant.provider,
                by=person,
                financial_year=year,
                leadership=diversity.AreaAnswer("RS200", (option.code,), "Lived", "Place"),
                mission=diversity.AreaAnswer("RS200", (option.code,)),
                may_publish=True,
            )
            validate_package(_package(council))


# The demo and the spreadsheet ---------------------------------------------------------------------


@pytest.fixture
def demo(demo_data):
    return Agreement.objects.get(reference="KBC-CCE-01")


def test_the_demo_publishes_the_cohesion_networks_answers(demo, client):
    package = client.get(reverse("grants:threesixtygiving_json", args=["KBC"])).json()

    validate_package(package)
    assert package["extensions"] == ["dei"]
    cohesion, volunteering, lunch_club = package["grants"]
    assert cohesion["deiDetails"]["mission"]["response"]["taxonomyCodes"] == [
        "DEI010000",
        "DEI050000",
    ]
    assert "deiDetails" not in volunteering
    assert "deiDetails" not in lunch_club


def test_the_workbook_has_the_extensions_columns_and_declares_it_and_the_csv_leaves_them(
    demo, client
):
    workbook = load_workbook(
        io.BytesIO(
            client.get(reverse("grants:threesixtygiving_table", args=["KBC", "xlsx"])).content
        )
    )
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("grants:threesixtygiving_table", args=["KBC", "csv"])
                ).content.decode("utf-8-sig")
            )
        )
    )

    grants = [[("" if c is None else c) for c in r] for r in workbook["grants"].values]
    headers = grants[0]
    # A CSV file has no Meta sheet to declare the extension in: it leaves DEI to the workbook.
    assert csv_rows[0] == headers[:-16]
    assert not any(h.startswith("DEI Details:") for h in csv_rows[0])
    dei = [h for h in headers if h.startswith("DEI Details:")]
    assert dei == sorted(dei, key=DEI_TITLES.index) and len(dei) == 16
    row = dict(zip(headers, grants[1], strict=True))
    assert row["DEI Details:Mission:DEI Response:Taxonomy Codes"] == "DEI010000;DEI050000"
    assert row["DEI Details:Leadership:Available Options"] == ";".join(diversity.OFFERED)
    assert row["DEI Details:Project:Asked Status"] == "AS100"
    assert dict(zip(headers, grants[2], strict=True))["DEI Details:Leadership:Asked Status"] == ""
    meta = {r[0]: r[1] for r in workbook["Meta"].values}
    assert meta["Version"] == "1.4"
    assert meta["Extensions"] == "dei"
    assert meta["Download URL"].endswith("/open-data/KBC/360giving.xlsx")
    assert workbook.sheetnames == ["grants", "Meta"]
