"""Grants published as open data: valid 360Giving, the Transparency Code's register, stable public
addresses, and nothing published that a council has not chosen or that is about a person."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from openpyxl import load_workbook
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from grants import diversity, publishing, services
from grants.models import Agreement, OrganisationDiversity
from sla_monitor.models import Organisation, User
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

FIXTURES = Path(__file__).parent.parent / "fixtures" / "threesixtygiving"
GRANT_SCHEMA = json.loads((FIXTURES / "360-giving-schema.json").read_text())
PACKAGE_SCHEMA = json.loads((FIXTURES / "360-giving-package-schema.json").read_text())
STANDARD_TITLES = (FIXTURES / "grants-sheet-titles.txt").read_text().split("\n")
DEI_TITLES = (FIXTURES / "dei-sheet-titles.txt").read_text().splitlines()
DEI = Path(diversity.FILES)


def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch, the way the 360Giving extensions registry says an extension's
    schema applies to the standard's."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def with_closed_codelists(node, codelists: dict[str, list[str]]):
    """Each field that draws from one of `codelists` and says it is closed, limited to its
    codes: what the standard's tooling compiles from `codelist` and `openCodelist`."""
    if isinstance(node, list):
        return [with_closed_codelists(item, codelists) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: with_closed_codelists(value, codelists) for key, value in node.items()}
    if node.get("codelist") in codelists and node.get("openCodelist") is False:
        node["enum"] = codelists[node["codelist"]]
    return node


def _codes(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as file:
        return [r["Code"] for r in csv.DictReader(file, skipinitialspace=True) if r["Code"]]


def dei_grant_schema() -> dict:
    """The standard's grant schema with the DEI Extension's patch applied and its closed code
    lists compiled in. The patch names JSON Schema draft 04, which the extensions registry asks
    extension schemas to be written in; what it uses means the same in the standard's dialect,
    which the grant schema keeps."""
    patch = json.loads((DEI / "schema" / "360-giving-schema.json").read_text())
    patch = {k: v for k, v in patch.items() if k not in ("$schema", "$id")}
    codelists = {p.name: _codes(p) for p in (DEI / "codelists").glob("*.csv")}
    return with_closed_codelists(merge_patch(GRANT_SCHEMA, patch), codelists)


DEI_GRANT_SCHEMA = dei_grant_schema()


def package_errors(package: dict, grant_schema: dict) -> list[str]:
    # The standard names its dialect by an http address the library does not know: say it.
    grant = DRAFT202012.create_resource(grant_schema)
    registry = Registry().with_resources(
        [
            (PACKAGE_SCHEMA["properties"]["grants"]["items"]["$ref"], grant),
            (GRANT_SCHEMA["$id"], grant),
        ]
    )
    validator = Draft202012Validator(
        PACKAGE_SCHEMA, registry=registry, format_checker=FormatChecker()
    )
    errors = sorted(validator.iter_errors(package), key=lambda e: list(e.path))
    return [f"{list(e.path)}: {e.message}" for e in errors]


def validate_package(package: dict) -> None:
    """Against the standard's own schemas, the grant schema found by the address the package
    schema names it by; and, for a package that declares the DEI Extension, against the
    standard's grant schema with the extension's."""
    assert not package_errors(package, GRANT_SCHEMA), package_errors(package, GRANT_SCHEMA)
    if diversity.EXTENSION in package.get("extensions", []):
        errors = package_errors(package, DEI_GRANT_SCHEMA)
        assert not errors, errors


def _prepare():
    council = Organisation.objects.get(short_code="KBC")
    unpublished = AgreementFactory(
        reference="KBC-SECRET-01",
        title="An agreement not yet published",
        funder=council,
        purpose="Not for publication.",
        award_date=dt.date(2025, 3, 1),
    )
    return {"council": council, "unpublished": unpublished}


demo_module = demo_module_fixture(_prepare)


# 360Giving --------------------------------------------------------------------------------------


def test_the_demo_councils_360giving_package_is_valid(demo_module, db, client):
    response = client.get(reverse("grants:threesixtygiving_json", args=["KBC"]))

    package = response.json()
    assert response.status_code == 200
    validate_package(package)
    assert [g["id"] for g in package["grants"]] == [
        "360G-demo-KBC-KBC-CCE-01",
        "360G-demo-KBC-KBC-VOL-01",
        "360G-demo-KBC-KBC-LUN-01",
    ]
    grant = package["grants"][0]
    assert grant["fundingOrganization"][0] == {
        "id": "GB-LAE-KET",
        "name": "Kettering Borough Council",
        "department": "Community Development",
    }
    assert grant["beneficiaryLocation"][0]["geoCode"] == "E07000153"
    assert grant["beneficiaryLocation"][0]["geoCodeType"] == "NMD"
    assert grant["grantProgramme"][0]["title"].startswith("Voluntary and Community Sector")
    released = Agreement.objects.get(reference="KBC-CCE-01").instalments.filter(status="released")
    assert [t["value"] for t in grant["disbursementTransaction"]] == [
        int(i.amount) for i in released.order_by("decided_at", "sequence")
    ]
    assert grant["amountDisbursed"] == int(sum(i.amount for i in released))


@pytest.mark.django_db
def test_a_recipient_with_no_registration_and_a_grant_with_nothing_paid_are_valid():
    council = CouncilFactory(
        org_id="GB-LAE-TST", threesixtygiving_prefix="360G-test", short_code="TST"
    )
    unregistered = ProviderFactory(charity_number="", company_number="")
    agreement = AgreementFactory(
        funder=council,
        provider=unregistered,
        purpose="Youth club sessions.",
        award_date=dt.date(2025, 3, 1),
        published=True,
        total_allocation=Decimal("1234.56"),
    )

    package = publishing.threesixtygiving_package(
        council, publishing.published_grants(council), "https://example.org/data.json"
    )

    validate_package(package)
    (grant,) = package["grants"]
    assert grant["recipientOrganization"][0]["id"] == f"360G-test-ORG-{unregistered.pk}"
    assert "charityNumber" not in grant["recipientOrganization"][0]
    assert grant["amountDisbursed"] == 0
    assert grant["amountAwarded"] == 1234.56
    assert "disbursementTransaction" not in grant
    assert agreement.provider.org_id == ""


@pytest.mark.django_db
def test_an_organisation_is_identified_by_its_registration():
    charity = ProviderFactory(charity_number="1101234", company_number="")
    company = ProviderFactory(charity_number="", company_number="oc123456")

    assert (charity.org_id, company.org_id) == ("GB-CHC-1101234", "GB-COH-OC123456")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_360giving_spreadsheet_uses_the_standards_titles_in_its_order(
    demo_module, db, client, fmt
):
    response = client.get(reverse("grants:threesixtygiving_table", args=["KBC", fmt]))

    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        rows = [
            [("" if c is None else c) for c in r]
            for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        ]
    headers = rows[0]
    standard = [h for h in headers if not h.startswith("DEI Details:")]
    # The standard's fields its template's grants sheet lacks, in flattentool's titles (a list's
    # items numbered), beside the template's own.
    beyond_template = [
        "Recipient Org:Location:Geographic Code",
        "Recipient Org:Location:Geographic Code Type",
        *(
            f"Classifications:{n}:{field}"
            for n in range(3)
            for field in ("Vocabulary", "Code", "Title")
        ),
    ]
    assert [h for h in standard if h in beyond_template] == beyond_template
    standard = [h for h in standard if h not in beyond_template]
    assert set(standard) <= set(STANDARD_TITLES)
    assert standard == sorted(standard, key=STANDARD_TITLES.index)
    dei = [h for h in headers if h.startswith("DEI Details:")]
    assert bool(dei) == (fmt == "xlsx")  # a CSV cannot declare the extension
    assert set(dei) <= set(DEI_TITLES)
    assert dei == sorted(dei, key=DEI_TITLES.index)
    assert [r[0] for r in rows[1:]] == [
        "360G-demo-KBC-KBC-CCE-01",
        "360G-demo-KBC-KBC-VOL-01",
        "360G-demo-KBC-KBC-LUN-01",
    ]


# Transparency Code ------------------------------------------------------------------------------


def test_the_transparency_register_lists_the_years_grants(demo_module, db, client):
    cohesion = Agreement.objects.get(reference="KBC-CCE-01")
    year = financial_year_of(cohesion.award_date)

    response = client.get(reverse("grants:transparency_register", args=["KBC", year]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == publishing.TRANSPARENCY_HEADERS
    # Every grant to a VCSE organisation awarded in the year, the one not chosen for 360Giving too.
    unpublished = demo_module["unpublished"]
    assert [r[4] for r in rows[1:]] == [
        unpublished.provider.name,
        "Kettering Community Cohesion Network",
        "Kettering Volunteer Centre",
    ]
    first = dict(zip(rows[0], rows[2], strict=True))
    assert first["Date awarded"] == cohesion.award_date.isoformat()
    assert first["Department"] == "Community Development"
    assert first["Amount (£)"] == "100000.00"


# Public, stable, and nothing more than chosen -------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("grants:open_data"),
        reverse("grants:council_open_data", args=["KBC"]),
        reverse("grants:threesixtygiving_json", args=["KBC"]),
        reverse("grants:threesixtygiving_table", args=["KBC", "csv"]),
        reverse("grants:threesixtygiving_table", args=["KBC", "xlsx"]),
        "the Transparency Code register of the demo's year of award",
    ],
)
def test_published_data_needs_no_sign_in_and_leaks_nothing(demo_module, db, client, url):
    if not url.startswith("/"):
        year = financial_year_of(Agreement.objects.get(reference="KBC-CCE-01").award_date)
        url = reverse("grants:transparency_register", args=["KBC", year])
    response = client.get(url)

    assert response.status_code == 200
    body = response.content
    if url.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(body))
        body = "\n".join(
            str(c) for row in book.active.iter_rows(values_only=True) for c in row if c
        ).encode()
    text = body.decode("utf-8", "replace")
    assert "KBC-SECRET-01" not in text
    if "grants-to-vcse" not in url:  # the register lists every VCSE grant, chosen or not
        assert "not yet published" not in text and "Not for publication" not in text
    for person in User.objects.all():
        assert person.email not in text
        if person.last_name:
            assert person.get_full_name() not in text
    assert "Thank you, a clear return." not in text  # a decision's comment
    assert (
        "casework" not in text.lower()
        or "casework" in Agreement.objects.get(reference="KBC-CCE-01").purpose.lower()
    )


@pytest.mark.django_db
def test_a_council_that_publishes_nothing_has_no_page(client):
    CouncilFactory(short_code="NONE")

    assert client.get(reverse("grants:council_open_data", args=["NONE"])).status_code == 404
    assert client.get(reverse("grants:threesixtygiving_json", args=["NONE"])).status_code == 404


# Choosing what to publish ---------------------------------------------------------------------


@pytest.fixture
def council_officer(db):
    council = CouncilFactory(org_id="GB-LAE-TST", threesixtygiving_prefix="360G-test")
    return council, UserFactory(lead_officer=True, organisation=council)


def test_an_agreement_is_published_only_with_what_publication_needs(council_officer):
    council, officer = council_officer
    agreement = AgreementFactory(funder=council, purpose="", award_date=None)

    with pytest.raises(ValidationError, match="until it has the award date and its purpose"):
        services.set_published(agreement=agreement, by=officer, published=True)
    Agreement.objects.filter(pk=agreement.pk).update(
        purpose="Advice sessions.", award_date=dt.date(2025, 3, 1)
    )
    services.set_published(agreement=agreement, by=officer, published=True)

    agreement.refresh_from_db()
    assert agreement.published


def test_only_the_funders_lead_officer_publishes(council_officer):
    council, _ = council_officer
    agreement = AgreementFactory(funder=council, purpose="Advice.", award_date=dt.date(2025, 3, 1))

    for other in (UserFactory(), UserFactory(lead_officer=True)):
        with pytest.raises(PermissionDenied):
            services.set_published(agreement=agreement, by=other, published=True)


def test_the_open_data_page_publishes_and_takes_down(council_officer, client):
    council, officer = council_officer
    agreement = AgreementFactory(funder=council, purpose="Advice.", award_date=dt.date(2025, 3, 1))
    missing = AgreementFactory(funder=council, purpose="", award_date=None)
    client.force_login(officer)
    url = reverse("grants:publish_agreement", args=[agreement.pk])

    page = client.get(reverse("grants:publication")).content.decode()
    published = client.post(url, {"published": "1"}, follow=True).content.decode()
    taken_down = client.post(url, {"published": "0"}, follow=True).content.decode()

    assert f"{missing.reference}" in page and "Needs the award date and its purpose" in page
    assert f"{agreement.reference} is now published as open data." in published
    assert f"{agreement.reference} is no longer published." in taken_down
    assert not Agreement.objects.get(pk=agreement.pk).published


def test_the_open_data_page_says_where_what_a_grant_lacks_is_given(council_officer, client):
    council, officer = council_officer
    lacking = AgreementFactory(funder=council, purpose="", award_date=None)
    client.force_login(officer)

    page = client.get(reverse("grants:publication")).content.decode()

    assert f'href="{reverse("grants:edit_agreement", args=[lacking.pk])}"' in page
    assert "award date, department and purpose" in page


# Queries -----------------------------------------------------------------------------------------


def _grants(council, count: int) -> None:
    """`count` more published grants of the council, each from a fund of its own to a provider
    that has answered the diversity questions, with an instalment released; and one grant that
    lacks what publication needs."""
    for _ in range(count):
        agreement = AgreementFactory(
            funder=council,
            fund=FundFactory(council=council),
            purpose="Advice sessions.",
            award_date=dt.date(2025, 5, 1),
            published=True,
        )
        PaymentInstalmentFactory(
            agreement=agreement,
            status="released",
            decided_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
        )
        OrganisationDiversity.objects.create(
            organisation=agreement.provider,
            financial_year=2025,
            leadership_reply="RS200",
            leadership_codes=["DEI010000"],
            mission_reply="RS202",
            may_publish=True,
            updated_by=UserFactory(organisation=agreement.provider),
        )
    AgreementFactory(funder=council, purpose="", award_date=None)


def _grants_in(response) -> int:
    """How many grants a page or a download of the open data holds."""
    kind = response["Content-Type"]
    if kind.startswith("text/html"):
        return len(response.context["grants"])
    if kind.startswith("application/json"):
        return len(response.json()["grants"])
    if kind.startswith("text/csv"):
        return len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) - 1
    return load_workbook(io.BytesIO(response.content))["grants"].max_row - 1


@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("grants:council_open_data", []),
        ("grants:threesixtygiving_json", []),
        ("grants:threesixtygiving_table", ["csv"]),
        ("grants:threesixtygiving_table", ["xlsx"]),
        ("grants:transparency_register", [2025]),
    ],
    ids=["page", "360giving-json", "360giving-csv", "360giving-xlsx", "transparency-register"],
)
def test_the_open_data_runs_the_same_queries_for_few_grants_and_many(
    council_officer, client, same_queries, url_name, args
):
    council, _ = council_officer
    _grants(council, 2)
    url = reverse(url_name, args=[council.short_code, *args])

    counted = same_queries(lambda: client.get(url), grow=lambda: _grants(council, 20))

    assert _grants_in(counted.result) == 22


def test_the_list_of_councils_publishing_runs_the_same_queries_for_few_and_many(
    db, client, same_queries
):
    made = []

    def councils(count: int) -> None:
        for _ in range(count):
            council = CouncilFactory(org_id="GB-LAE-TST", threesixtygiving_prefix="360G-test")
            _grants(council, 1)
            made.append(council)

    councils(2)

    counted = same_queries(
        lambda: client.get(reverse("grants:open_data")), grow=lambda: councils(20)
    )

    # The demo's councils may be there too, when the module's demo data was loaded before.
    assert set(made) <= set(counted.result.context["councils"])


def test_the_page_choosing_what_to_publish_runs_the_same_queries_for_few_agreements_and_many(
    council_officer, client, same_queries
):
    council, officer = council_officer
    client.force_login(officer)
    _grants(council, 2)

    counted = same_queries(
        lambda: client.get(reverse("grants:publication")), grow=lambda: _grants(council, 20)
    )

    assert len(counted.result.context["rows"]) == 24
