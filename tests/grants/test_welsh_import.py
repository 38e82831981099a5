"""The agreements workbook takes what a council writes in both languages: the English in its own
columns and the Welsh in the "(Welsh)" ones, whatever language the lead officer reads in; the
council's export gives both back, so that it imports with nothing to change."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from grants.importing import sample_workbook
from grants.models import Agreement, MinimumRequirement, PerformanceIndicator
from tests.factories import (
    AgreementFactory,
    CouncilFactory,
    FundFactory,
    MinimumRequirementFactory,
    PerformanceIndicatorFactory,
    UserFactory,
)
from tests.grants.test_agreement_import import check, import_book, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh(db):
    council = CouncilFactory(name="Kettering Borough Council", short_code="KBC", welsh_offer=True)
    officer = UserFactory(lead_officer=True, organisation=council, username="officer")
    fund = FundFactory(council=council, name_cy="Cronfa'r Sector Gwirfoddol")
    agreement = AgreementFactory(
        funder=council,
        fund=fund,
        lead_officer=officer,
        reference="KBC-CCE-01",
        title_en_gb="Community cohesion",
        title_cy="Cydlyniant cymunedol",
        purpose_en_gb="A cohesion service.",
        purpose_cy="Gwasanaeth cydlyniant.",
    )
    PerformanceIndicatorFactory(
        agreement=agreement, code="a", wording_en_gb="Events held.", wording_cy="Digwyddiadau."
    )
    MinimumRequirementFactory(
        agreement=agreement, number=1, text_en_gb="Keep a register.", text_cy="Cadw cofrestr."
    )
    return council, officer, agreement


def _texts(agreement: Agreement) -> tuple:
    agreement.refresh_from_db()
    indicator = PerformanceIndicator.objects.get(agreement=agreement, code="a")
    requirement = MinimumRequirement.objects.get(agreement=agreement, number=1)
    return (
        agreement.title_en_gb,
        agreement.title_cy,
        agreement.purpose_en_gb,
        agreement.purpose_cy,
        indicator.wording_en_gb,
        indicator.wording_cy,
        requirement.text_en_gb,
        requirement.text_cy,
    )


CHANGED = {
    "Agreements": [
        ["Reference", "Title", "Title (Welsh)", "Purpose (Welsh)"],
        ["KBC-CCE-01", "Cohesion", "Cydlyniant", "Gwasanaeth cydlyniant cymunedol."],
    ],
    "Indicators": [
        ["Agreement", "Code", "Indicator (Welsh)"],
        ["KBC-CCE-01", "a", "Nifer y digwyddiadau."],
    ],
    "Requirements": [
        ["Agreement", "Number", "Requirement", "Requirement (Welsh)"],
        ["KBC-CCE-01", "1", "Keep a register of attendance.", "Cadw cofrestr presenoldeb."],
    ],
}


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_the_welsh_columns_fill_the_welsh_and_the_others_the_english_whatever_the_readers_language(
    welsh, language
):
    council, officer, agreement = welsh

    with translation.override(language):
        preview, _ = import_book(council, officer, workbook(CHANGED))

    assert (preview.creates, preview.updates) == (0, 3)
    assert _texts(agreement) == (
        "Cohesion",
        "Cydlyniant",
        "A cohesion service.",
        "Gwasanaeth cydlyniant cymunedol.",
        "Events held.",
        "Nifer y digwyddiadau.",
        "Keep a register of attendance.",
        "Cadw cofrestr presenoldeb.",
    )


def test_an_empty_welsh_cell_never_blanks_the_welsh_a_person_wrote(welsh):
    council, officer, agreement = welsh
    before = _texts(agreement)
    book = {"Agreements": [["Reference", "Title (Welsh)"], ["KBC-CCE-01", ""]]}

    with translation.override("cy"):
        import_book(council, officer, workbook(book))

    assert _texts(agreement) == before


def test_undoing_the_import_puts_both_languages_back(welsh, client):
    council, officer, agreement = welsh
    before = _texts(agreement)
    with translation.override("cy"):
        _, batch = import_book(council, officer, workbook(CHANGED))
    assert _texts(agreement) != before

    client.force_login(officer)
    response = client.post(
        reverse("grants:agreement_import_undo", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="cy"
    )

    assert response.status_code == 302
    assert _texts(agreement) == before


@pytest.mark.parametrize(("exported_in", "imported_in"), [("cy", "en-gb"), ("en-gb", "cy")])
def test_a_welsh_councils_export_imports_back_with_nothing_to_change_read_in_either_language(
    welsh, client, exported_in, imported_in
):
    council, officer, agreement = welsh
    english_only = PerformanceIndicatorFactory(
        agreement=agreement, code="b", wording_en_gb="Hours."
    )
    client.force_login(officer)
    before = _texts(agreement)

    with translation.override(exported_in):
        export = client.get(reverse("grants:agreements_export"), HTTP_ACCEPT_LANGUAGE=exported_in)
    with translation.override(imported_in):
        preview, batch = check(council, officer, export.content)

    assert preview.problems == []
    assert preview.nothing_to_change, [(r.key, r.changes) for r in preview.rows if r.changes]
    assert batch is None
    assert _texts(agreement) == before
    english_only.refresh_from_db()
    assert (english_only.wording_en_gb, english_only.wording_cy) == ("Hours.", None)


def test_a_welsh_councils_export_and_sample_have_the_welsh_columns_and_an_english_councils_none(
    welsh, client
):
    council, officer, _ = welsh
    client.force_login(officer)

    def headings(content: bytes) -> dict[str, list[str]]:
        book = load_workbook(io.BytesIO(content), read_only=True)
        return {s.title: list(next(s.iter_rows(values_only=True))) for s in book}

    exported = headings(client.get(reverse("grants:agreements_export")).content)
    sample = headings(client.get(reverse("grants:agreement_import_sample")).content)
    council.welsh_offer = False
    english = headings(sample_workbook(council))

    for sheets in (exported, sample):
        assert sheets["Agreements"][-3:] == ["Title (Welsh)", "Purpose (Welsh)", "Outcome (Welsh)"]
        assert sheets["Indicators"][-1] == "Indicator (Welsh)"
        assert sheets["Requirements"][-1] == "Requirement (Welsh)"
    assert not any("Welsh" in h for headers in english.values() for h in headers)


def test_a_fund_is_found_by_its_welsh_name(welsh):
    council, officer, _ = welsh
    book = {"Agreements": [["Reference", "Fund"], ["KBC-CCE-01", "Cronfa'r Sector Gwirfoddol"]]}

    preview, _ = check(council, officer, workbook(book))

    assert preview.problems == [] and preview.nothing_to_change


def test_the_undo_page_names_what_it_puts_back_in_the_readers_language(welsh, client):
    council, officer, _ = welsh
    with translation.override("cy"):
        _, batch = import_book(council, officer, workbook(CHANGED))
    client.force_login(officer)

    page = client.get(
        reverse("grants:agreement_import_undo", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="cy"
    ).content.decode()

    for kind in ("1 cytundeb", "1 dangosydd perfformiad", "1 gofyniad sylfaenol"):
        assert kind in page
    assert "agreement<" not in page and "performance indicator" not in page


def test_a_sheet_with_a_column_twice_is_refused_whichever_language_names_it(welsh):
    council, officer, agreement = welsh
    before = _texts(agreement)
    book = {
        "Agreements": [
            ["Reference", "Title (Welsh)", "Teitl (Cymraeg)"],
            ["KBC-CCE-01", "Un", "Dau"],
        ]
    }

    preview, batch = check(council, officer, workbook(book))

    assert [p.message for p in preview.problems] == ["The sheet has two “Title (Welsh)” columns."]
    assert batch is None and _texts(agreement) == before


@pytest.mark.parametrize(
    ("sheet", "row"),
    [
        ("Agreements", ["Reference", "Title", "Title (Welsh)"]),
        ("Indicators", ["Agreement", "Code", "Indicator", "Indicator (Welsh)"]),
        ("Requirements", ["Agreement", "Number", "Requirement", "Requirement (Welsh)"]),
    ],
)
def test_an_english_text_is_never_left_empty_for_its_welsh(welsh, sheet, row):
    council, officer, _ = welsh
    key = {"Agreements": ["KBC-CCE-01"], "Indicators": ["KBC-CCE-01", "a"]}.get(
        sheet, ["KBC-CCE-01", "1"]
    )

    preview, batch = check(council, officer, workbook({sheet: [row, [*key, "", "Cymraeg"]]}))

    assert [p.message for p in preview.problems] == [
        "Write this in English too: the Welsh goes in its own column."
    ]
    assert batch is None


def test_a_new_agreement_needs_its_title_in_english(welsh):
    council, officer, _ = welsh
    book = {"Agreements": [["Reference", "Title (Welsh)"], ["KBC-NEW-01", "Cytundeb newydd"]]}

    preview, batch = check(council, officer, workbook(book))

    assert "A new agreement needs its title: add a column." in [p.message for p in preview.problems]
    assert batch is None
