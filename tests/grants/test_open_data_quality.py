"""Open data that passes the 360Giving Data Quality Tool's checks: identifiers from the right
register, where the recipient is, where the data comes from, what the grant is about, when it last
changed; and the Transparency Code register of every grant to a VCSE organisation.

The tool's own library (ThreeSixtyGiving/dataquality's lib360dataquality) is not on PyPI, so
`quality_notices` below applies the rules of its checks that the issue names, as its code and
documentation state them, to the demo's published data."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import publishing, services
from grants.models import Agreement, FundTheme
from sla_monitor.models import Organisation
from sla_monitor.periods import financial_year_of
from tests.demo_db import demo_module_fixture
from tests.factories import (
    AgreementFactory,
    CouncilFactory,
    FundFactory,
    PaymentInstalmentFactory,
    ProviderFactory,
    UserFactory,
)

# What each UK register's part of an identifier looks like (org-id.guide; the tool checks
# GB-CHC and GB-COH, and reads a charity number with a 2-letter prefix as its digits).
REGISTER_SHAPES = {
    "GB-CHC": r"[0-9]{6,7}",
    "GB-SC": r"SC[0-9]{6}",
    "GB-NIC": r"[0-9]{6}",
    "GB-COH": r"\w{8}",
}


def quality_notices(package: dict) -> list[str]:
    """The notices the tool's checks would give the package: one line per grant and check."""
    notices = []
    for grant in package["grants"]:
        gid = grant["id"]
        for org in grant["recipientOrganization"] + grant["fundingOrganization"]:
            prefix = next((p for p in REGISTER_SHAPES if org["id"].startswith(f"{p}-")), None)
            if prefix and not re.fullmatch(REGISTER_SHAPES[prefix], org["id"][len(prefix) + 1 :]):
                notices.append(f"{gid}: identifier {org['id']} is not valid for {prefix}")
        for org in grant["recipientOrganization"]:
            numbered = org.get("charityNumber") or org.get("companyNumber")
            if org["id"].lower().startswith("360g") and numbered:
                notices.append(f"{gid}: 360G- identifier for a recipient with a number")
            if "companyNumber" in org and not re.fullmatch(r"\w{8}", org["companyNumber"]):
                notices.append(f"{gid}: company number {org['companyNumber']} is not 8 characters")
            if not org.get("postalCode") and not any(
                place.get("geoCode") for place in org.get("location", [])
            ):
                notices.append(f"{gid}: no recipient location")
        if not grant.get("beneficiaryLocation"):
            notices.append(f"{gid}: no beneficiary location")
        if not grant.get("dataSource"):
            notices.append(f"{gid}: no data source")
        if not grant.get("classifications"):
            notices.append(f"{gid}: no classification")
        if not grant.get("dateModified"):
            notices.append(f"{gid}: no last modified")
        for payment in grant.get("disbursementTransaction", []):
            if grant["dateModified"][:10] < payment["transactionDate"]:
                notices.append(f"{gid}: last modified before a disbursement")
    return notices


def _prepare():
    council = Organisation.objects.get(short_code="KBC")
    # A grant to a charity the council did not choose for 360Giving, with no department.
    unticked = AgreementFactory(
        reference="KBC-UNTICKED-01",
        title="Advice sessions",
        funder=council,
        provider=ProviderFactory(charity_number="SC012345"),
        purpose="Advice sessions for new arrivals.",
        award_date=dt.date(2025, 3, 1),
        department="",
    )
    return {"council": council, "unticked": unticked}


demo_module = demo_module_fixture(_prepare)


def test_the_demos_published_json_draws_none_of_the_tools_notices(demo_module, db, client):
    package = client.get(reverse("grants:threesixtygiving_json", args=["KBC"])).json()

    notices = quality_notices(package)

    print("Data quality notices on the demo's 360Giving JSON:", notices or "none")
    assert notices == []
    lunch_club = package["grants"][2]["recipientOrganization"][0]
    # An unregistered group has no number: the council's own prefix is the right identifier.
    assert lunch_club["id"].startswith("360G-demo-KBC-")
    assert "charityNumber" not in lunch_club and "companyNumber" not in lunch_club


def test_the_register_lists_every_vcse_grant_awarded_in_the_year(demo_module, db, client):
    unticked = demo_module["unticked"]
    year = financial_year_of(unticked.award_date)

    response = client.get(reverse("grants:transparency_register", args=["KBC", year]))

    rows = [
        dict(zip(publishing.TRANSPARENCY_HEADERS, r, strict=True))
        for r in list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    ]
    names = [r["Beneficiary"] for r in rows]
    assert unticked.provider.name in names
    assert "Kettering Community Cohesion Network" in names
    assert all(r["Department"] for r in rows)
    advice = rows[names.index(unticked.provider.name)]
    assert advice["Department"] == "Kettering Borough Council"
    assert advice["Charity number"] == "SC012345"
    assert advice["Register of the charity number"] == "Scottish Charity Regulator (OSCR)"
    volunteers = rows[names.index("Kettering Volunteer Centre")]
    assert volunteers["Register of the charity number"] == (
        "Charity Commission for England and Wales"
    )
    assert volunteers["Company number"] == "09190002"
    assert volunteers["Register of the company number"] == "Companies House"
    assert {r["Licence"] for r in rows} == {"Open Government Licence v3.0"}
    assert {r["Licence address"] for r in rows} == {publishing.OGL[1]}


def test_the_council_open_data_page_states_the_licence_and_where_dei_is(demo_module, db, client):
    page = client.get(reverse("grants:council_open_data", args=["KBC"])).content.decode()

    assert "Open Government Licence v3.0" in page
    assert "DEI Extension) is in the JSON and Excel files" in page


def test_public_pages_link_to_the_open_data(demo_module, db, client):
    open_data = reverse("grants:open_data")

    for url in (
        reverse("equality_plans:public_assessments", args=["KBC"]),
        reverse("accessibility"),
    ):
        assert f'href="{open_data}"' in client.get(url).content.decode()


# Identifiers from the right register --------------------------------------------------------


@pytest.fixture
def council(db):
    return CouncilFactory(
        org_id="GB-LAE-TST", threesixtygiving_prefix="360G-test", short_code="TST"
    )


def _published(council, provider, **extra) -> dict:
    AgreementFactory(
        funder=council,
        provider=provider,
        purpose="Youth club sessions.",
        award_date=dt.date(2025, 3, 1),
        published=True,
        **extra,
    )
    package = publishing.threesixtygiving_package(
        council,
        publishing.published_grants(council),
        "https://example.org/data.json",
        source="https://example.org/open-data/TST/",
    )
    return package["grants"][-1]


@pytest.mark.parametrize(
    ("numbers", "identifier", "charity", "company"),
    [
        ({"charity_number": "1101234"}, "GB-CHC-1101234", "1101234", None),
        (
            {"charity_number": "SC054321", "charity_register": "scotland"},
            "GB-SC-SC054321",
            "SC054321",
            None,
        ),
        (
            {"charity_number": "100001", "charity_register": "northern_ireland"},
            "GB-NIC-100001",
            "100001",
            None,
        ),
        (
            {"charity_number": "", "company_number": "1234567"},
            "GB-COH-01234567",
            None,
            "01234567",
        ),
        ({"charity_number": "", "company_number": "SC123456"}, "GB-COH-SC123456", None, "SC123456"),
    ],
)
def test_a_recipient_is_identified_on_the_register_its_number_is_on(
    council, numbers, identifier, charity, company
):
    recipient = _published(council, ProviderFactory(**numbers))["recipientOrganization"][0]

    assert recipient["id"] == identifier
    assert recipient.get("charityNumber") == charity
    assert recipient.get("companyNumber") == company


def test_a_wrong_identifier_kept_for_a_recipient_gives_way_to_its_number(council):
    scottish = ProviderFactory(charity_number="SC098765", org_id="GB-CHC-SC098765")

    recipient = _published(council, scottish)["recipientOrganization"][0]

    assert recipient["id"] == "GB-SC-SC098765"


def test_only_a_group_with_no_number_has_the_councils_prefix(council):
    group = ProviderFactory(charity_number="", organisation_type=Organisation.Type.COMMUNITY_GROUP)
    mutual = ProviderFactory(charity_number="", org_id="GB-MPR-12345")

    assert _published(council, group)["recipientOrganization"][0]["id"] == (
        f"360G-test-ORG-{group.pk}"
    )
    assert _published(council, mutual)["recipientOrganization"][0]["id"] == "GB-MPR-12345"


# Location, source, classifications, last modified -------------------------------------------


def test_a_grant_says_where_its_recipient_is_and_where_the_data_comes_from(council):
    provider = ProviderFactory(postcode="NN16 0AA", area_code="E07000153")
    fund = FundFactory(council=council)
    FundTheme.objects.create(fund=fund, order=1, name="Community cohesion")
    FundTheme.objects.create(fund=fund, order=2, name="Volunteering")

    grant = _published(council, provider, fund=fund)

    recipient = grant["recipientOrganization"][0]
    assert recipient["postalCode"] == "NN16 0AA"
    assert recipient["location"] == [
        {"countryCode": "GB", "geoCode": "E07000153", "geoCodeType": "NMD"}
    ]
    assert grant["dataSource"] == "https://example.org/open-data/TST/"
    assert [(c["code"], c["title"]) for c in grant["classifications"]] == [
        ("1", "Community cohesion"),
        ("2", "Volunteering"),
    ]
    assert {c["vocabulary"] for c in grant["classifications"]} == {
        f"360G-test-FUND-{fund.pk}-THEMES"
    }


def test_releasing_a_payment_moves_the_grants_last_modified(council):
    officer = UserFactory(lead_officer=True, organisation=council)
    agreement = AgreementFactory(
        funder=council, purpose="Youth club.", award_date=dt.date(2025, 3, 1), published=True
    )
    instalment = PaymentInstalmentFactory(agreement=agreement, due_date=dt.date(2025, 4, 1))
    long_ago = timezone.now() - dt.timedelta(days=30)
    Agreement.objects.filter(pk=agreement.pk).update(modified_at=long_ago)
    (before,) = publishing.published_grants(council)

    services.release_instalment(instalment=instalment, by=officer)

    (after,) = publishing.published_grants(council)
    record = publishing.grant_record(after)
    assert before.last_changed == long_ago
    assert after.last_changed > long_ago
    assert record["dateModified"] >= record["disbursementTransaction"][0]["transactionDate"]
    package = publishing.threesixtygiving_package(council, [after], "https://example.org/d.json")
    assert package["modified"] == after.last_changed.isoformat()


def test_a_council_names_its_own_licence(council):
    council.open_data_licence = "Our Licence 1.0"
    council.open_data_licence_url = "https://example.org/licence"
    council.save()
    AgreementFactory(funder=council, award_date=dt.date(2025, 3, 1), department="")

    (row,) = publishing.transparency_rows(council, publishing.transparency_grants(council))

    named = dict(zip(publishing.TRANSPARENCY_HEADERS, row, strict=True))
    assert (named["Licence"], named["Licence address"]) == (
        "Our Licence 1.0",
        "https://example.org/licence",
    )
    assert named["Department"] == council.name


def test_a_grant_to_an_organisation_that_is_not_vcse_is_not_on_the_register(council):
    AgreementFactory(
        funder=council,
        award_date=dt.date(2025, 3, 1),
        provider=ProviderFactory(
            charity_number="", company_number="01234567", organisation_type="other"
        ),
    )

    assert not publishing.transparency_grants(council).exists()
