"""Importing agreements, their indicators and requirements from a workbook: the same check,
all-or-nothing and undo as plans."""

import datetime as dt
import io
from decimal import Decimal
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from grants import services
from grants.importing import sample_workbook
from grants.models import Agreement, PerformanceIndicator, QuarterlyReturn, ReportingPeriod
from sla_monitor.models import ImportBatch, Organisation, User
from sla_monitor.tables import read_book
from tests.factories import (
    AgreementFactory,
    CouncilFactory,
    FundFactory,
    ImportBatchFactory,
    MinimumRequirementFactory,
    PerformanceIndicatorFactory,
    ProviderFactory,
    UserFactory,
)
from tests.workbooks import one_long_text, wide

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(db):
    council = CouncilFactory(name="Kettering Borough Council", short_code="KBC")
    officer = UserFactory(lead_officer=True, organisation=council, username="officer")
    ProviderFactory(name="Kettering Community Cohesion Network")
    FundFactory(
        council=council,
        name="Voluntary and Community Sector Service Specifications",
        budget=Decimal("1000000"),
        start_date=dt.date(2030, 4, 1),
        end_date=dt.date(2034, 3, 31),
    )
    return council, officer


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check(council, officer, content: bytes):
    return services.check_agreement_import(
        council=council, file_name="agreements.xlsx", book=read_book("a.xlsx", content), by=officer
    )


def import_book(council, officer, content: bytes, *, blank_fields=False):
    preview, batch = check(council, officer, content)
    assert not preview.problems, preview.problems
    if batch is None:
        return preview, None
    return preview, services.import_agreements(
        council=council, batch_id=batch.pk, by=officer, blank_fields=blank_fields
    )


@override_settings(DEBUG=True)
def test_the_sample_imports_into_the_demo_as_a_newcomer_downloads_it(db):
    call_command("load_demo", stdout=io.StringIO())
    council = Organisation.objects.get(short_code="KBC")
    officer = User.objects.get(username="officer")

    preview, batch = import_book(council, officer, sample_workbook(council))

    assert preview.creates == 1 + 7 + 8, [p.message for p in preview.problems]
    assert batch.status == ImportBatch.Status.IMPORTED


def test_the_sample_sets_up_seed_000s_agreement_and_importing_it_again_changes_nothing(council):
    council, officer = council

    preview, batch = import_book(council, officer, sample_workbook(council))
    again, _ = check(council, officer, sample_workbook(council))

    agreement = Agreement.objects.get(reference="KBC-CCE-02")
    assert preview.creates == 1 + 7 + 8
    assert (agreement.funder, agreement.status) == (council, "draft")
    assert [i.code for i in agreement.indicators.order_by("order")] == list("abcdefg")
    assert agreement.indicators.get(code="b").target == Decimal("3")
    assert agreement.requirements.count() == 8
    assert sum(i.amount for i in agreement.instalments.all()) == Decimal("30000")
    assert ReportingPeriod.objects.filter(financial_year=2030).count() == 4
    assert again.nothing_to_change
    assert batch.status == ImportBatch.Status.IMPORTED
    assert [c["model"] for c in batch.changes].count("grants.paymentinstalment") == 8


def test_a_column_left_out_is_left_alone_and_an_empty_cell_blanks_only_when_asked(council):
    council, officer = council
    import_book(council, officer, sample_workbook(council))
    book = workbook(
        {"Agreements": [["Reference", "Title", "Department"], ["KBC-CCE-02", "Renamed", ""]]}
    )

    preview, _ = import_book(council, officer, book)
    kept = Agreement.objects.get(reference="KBC-CCE-02")
    import_book(council, officer, book, blank_fields=True)
    emptied = Agreement.objects.get(reference="KBC-CCE-02")

    assert [b.label for _, b in preview.blanks] == ["Department"]
    assert (kept.title, kept.department, kept.purpose) == (
        "Renamed",
        "Community Development",
        "A community cohesion and equalities service for Kettering.",
    )
    assert emptied.department == ""


def test_every_row_is_checked_against_the_rules_the_models_hold(council):
    council, officer = council
    other = AgreementFactory(reference="LCC-01")
    stranger = UserFactory(lead_officer=True, username="stranger")
    book = workbook(
        {
            "Agreements": [
                [
                    "Reference",
                    "Title",
                    "Provider",
                    "Lead officer",
                    "Start date",
                    "End date",
                    "Total allocation",
                ],
                [
                    "LCC-01",
                    "Theirs",
                    "Kettering Community Cohesion Network",
                    "",
                    "2030-04-01",
                    "2031-03-31",
                    "100",
                ],
                ["KBC-2", "Ours", "Nobody", stranger.username, "31/02/2030", "2031-03-31", "1e40"],
                [
                    "KBC-3",
                    "Backwards",
                    "Kettering Community Cohesion Network",
                    "",
                    "2031-04-01",
                    "2030-03-31",
                    "100",
                ],
                [
                    "KBC-4",
                    "Fine",
                    "Kettering Community Cohesion Network",
                    "",
                    "2030-04-01",
                    "2031-03-31",
                    "100",
                ],
            ],
            "Indicators": [
                ["Agreement", "Code", "Indicator", "Measure", "Target", "Target period"],
                ["KBC-4", "a", "Groups supported", "Count", "", "Per quarter"],
                ["KBC-9", "a", "Unknown agreement", "Count", "4", "Per quarter"],
            ],
        }
    )

    problems = check(council, officer, book)[0].problems

    said = {(p.row, p.column): p.message for p in problems}
    assert said[(2, "Agreements: Reference")] == "LCC-01 is another council's agreement."
    assert said[(3, "Agreements: Provider")] == "No provider organisation is called “Nobody”."
    assert (
        "is not a lead officer of Kettering Borough Council"
        in said[(3, "Agreements: Lead officer")]
    )
    assert "is not a date" in said[(3, "Agreements: Start date")]
    assert "outside the range" in said[(3, "Agreements: Total allocation")]
    assert said[(4, "Agreements: End date")] == "The agreement must end after it starts."
    assert "needs a target" in said[(2, "Indicators: Target")]
    assert "has the reference “KBC-9”" in said[(3, "Indicators: Agreement")]
    assert Agreement.objects.filter(funder=council).count() == 0
    assert other.title != "Theirs"


def test_the_dates_and_money_of_a_scheduled_agreement_are_not_changed_by_an_import(council):
    council, officer = council
    import_book(council, officer, sample_workbook(council))
    book = workbook({"Agreements": [["Reference", "Total allocation"], ["KBC-CCE-02", "120000"]]})

    problems = check(council, officer, book)[0].problems

    assert "change it in the administration" in problems[0].message


def test_undo_removes_what_the_import_set_up(council):
    council, officer = council
    _, batch = import_book(council, officer, sample_workbook(council))

    services.undo_agreement_import(council=council, batch=batch, by=officer)

    assert not Agreement.objects.filter(reference="KBC-CCE-02").exists()


@pytest.mark.history_by_hand
def test_undo_is_refused_once_a_return_is_started(council):
    council, officer = council
    _, batch = import_book(council, officer, sample_workbook(council))
    agreement = Agreement.objects.get(reference="KBC-CCE-02")
    QuarterlyReturn.objects.create(
        agreement=agreement, period=ReportingPeriod.objects.get(financial_year=2030, quarter=1)
    )

    with pytest.raises(ValidationError, match="would also remove"):
        services.undo_agreement_import(council=council, batch=batch, by=officer)
    assert Agreement.objects.filter(reference="KBC-CCE-02").exists()


def test_the_pages_check_import_and_undo(council, client):
    council, officer = council
    client.force_login(officer)

    checked = client.post(
        reverse("grants:agreement_import"),
        {"file": SimpleUploadedFile("agreements.xlsx", sample_workbook(council))},
    )
    batch_id = checked.context["confirm"].initial["batch"]
    imported = client.post(
        reverse("grants:agreement_import_confirm"), {"batch": batch_id}, follow=True
    )
    history = imported.content.decode()
    undo_url = reverse("grants:agreement_import_undo", args=[batch_id])
    asked = client.get(undo_url)
    still_there = Agreement.objects.filter(reference="KBC-CCE-02").exists()
    undone = client.post(undo_url, follow=True)

    assert "<strong>16</strong> records to add" in checked.content.decode()
    assert "16 added" in history
    assert f'href="{undo_url}"' in history  # asked first, never undone in one click
    assert still_there
    assert [(c.count, c.kind) for c in asked.context["undoing"].removes] == [
        (1, "agreement"),
        (8, "payment instalments"),
        (7, "performance indicators"),
        (8, "minimum requirements"),
        (1, "indicator target"),  # indicator b's second year, profiled by quarter
    ]
    assert "Undo the import" in asked.content.decode()
    assert "was undone" in undone.content.decode()
    assert not Agreement.objects.filter(reference="KBC-CCE-02").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", b"Reference,Title\n", "Choose an Excel workbook"),
        ("a.xlsx", b"", "The file is empty."),
        ("a.xlsx", bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 100, "password-protected"),
        ("a.xlsx", b"PK\x03\x04 broken", "not an Excel workbook"),
    ],
)
def test_a_workbook_that_cannot_be_read_says_why(council, client, name, content, message):
    council, officer = council
    client.force_login(officer)

    response = client.post(
        reverse("grants:agreement_import"), {"file": SimpleUploadedFile(name, content)}
    )

    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (wide, "Row 1 of the sheet “Sheet1” has more than 200 columns."),
        (one_long_text, "The workbook holds a text longer than 32,767 characters"),
    ],
)
def test_a_workbook_too_big_to_read_is_refused_on_the_page_and_changes_nothing(
    council, client, build, message
):
    council, officer = council
    client.force_login(officer)

    response = client.post(
        reverse("grants:agreement_import"),
        {"file": SimpleUploadedFile("agreements.xlsx", build())},
    )

    summary = response.content.decode().split("data-error-summary>")[1].split("</div>")[0]
    assert response.status_code == 200
    assert "There is a problem" in summary and message in summary
    assert not ImportBatch.objects.exists()
    assert not Agreement.objects.exists()


def test_only_lead_officers_import_agreements(council, client):
    council, _ = council
    client.force_login(UserFactory(action_owner=True, organisation=council))

    assert client.get(reverse("grants:agreement_import")).status_code == 403
    assert Organisation.objects.filter(pk=council.pk).exists()


def test_the_councils_agreements_go_out_and_come_back_in_with_nothing_to_change(council, client):
    council, officer = council
    import_book(council, officer, sample_workbook(council))
    AgreementFactory(funder=council, reference="KBC-OTHER", purpose="=cmd|' /C calc'!A0")
    client.force_login(officer)

    exported = client.get(reverse("grants:agreements_export"))
    preview, batch = check(council, officer, exported.content)

    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    assert preview.problems == []
    assert preview.nothing_to_change, [(r.key, r.changes) for r in preview.rows if r.changes]
    assert batch is None


def test_an_agreements_workbook_with_nothing_to_change_says_so_of_the_agreements(council, client):
    council, officer = council
    import_book(council, officer, sample_workbook(council))
    client.force_login(officer)
    exported = client.get(reverse("grants:agreements_export"))

    html = client.post(
        reverse("grants:agreement_import"),
        {"file": SimpleUploadedFile("agreements.xlsx", exported.content)},
    ).content.decode()

    assert "What importing “agreements.xlsx” would do" in html
    assert "matches the council's agreements as they are" in html
    assert "the plan" not in html and "seed" not in html


def test_a_new_agreement_is_shown_with_what_it_holds(council, client):
    council, officer = council
    client.force_login(officer)

    html = client.post(
        reverse("grants:agreement_import"),
        {"file": SimpleUploadedFile("agreements.xlsx", sample_workbook(council))},
    ).content.decode()

    assert "<strong>Provider</strong>: Kettering Community Cohesion Network" in html
    assert "<strong>Total allocation</strong>: £30,000.00" in html
    assert "<strong>Status</strong>: Draft" in html
    assert "<strong>Measure</strong>: Percentage" in html
    assert "<strong>Target period</strong>: Per quarter" in html


def test_the_parts_of_an_agreement_with_errors_are_not_said_to_have_no_agreement(council):
    council, officer = council
    book = workbook(
        {
            "Agreements": [
                ["Reference", "Title", "Provider", "Start date", "End date", "Total allocation"],
                ["KBC-9", "New", "Kettering Community Cohesion Network", "2031-04-01", "", "10"],
            ],
            "Indicators": [
                ["Agreement", "Code", "Indicator", "Measure"],
                ["KBC-9", "a", "Events", "Narrative"],
                ["KBC-9", "b", "Groups", "Narrative"],
                ["KBC-9", "c", "Meetings", "Narrative"],
            ],
        }
    )

    problems = check(council, officer, book)[0].problems

    said = [(p.row, p.column, p.message) for p in problems if p.column.startswith("Indicators")]
    assert said == [
        (
            2,
            "Indicators: Agreement",
            "The agreement KBC-9 has errors in the Agreements sheet: correct them first. "
            "Its rows here are not checked until then.",
        )
    ]


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("²", "Number the requirement from 1, like 3."),
        ("٣", "Number the requirement from 1, like 3."),
        ("0", "Number the requirement from 1, like 3."),
        ("40000", "A requirement's number is at most 32,767."),
        ("99999999999999999999", "A requirement's number is at most 32,767."),
    ],
)
def test_a_requirement_number_the_database_cannot_hold_is_refused_in_the_check(
    council, number, message
):
    council, officer = council
    import_book(council, officer, sample_workbook(council))
    book = workbook(
        {
            "Requirements": [
                ["Agreement", "Number", "Requirement"],
                ["KBC-CCE-02", number, "A requirement numbered oddly"],
            ]
        }
    )

    problems = check(council, officer, book)[0].problems

    assert [(p.row, p.column, p.message) for p in problems] == [
        (2, "Requirements: Number", message)
    ]


@pytest.mark.parametrize("text", ["NaN", "sNaN", "-nan", "Infinity"])
def test_a_number_that_is_not_a_number_is_refused_in_the_check(council, text):
    council, officer = council
    import_book(council, officer, sample_workbook(council))
    book = workbook(
        {
            "Indicators": [
                ["Agreement", "Code", "Target", "Amber tolerance"],
                ["KBC-CCE-02", "b", text, text],
            ]
        }
    )

    problems = check(council, officer, book)[0].problems

    assert {p.column for p in problems} == {"Indicators: Target", "Indicators: Amber tolerance"}


# Queries -----------------------------------------------------------------------------------------


def test_the_import_history_runs_the_same_queries_for_few_files_and_many(
    council, client, same_queries
):
    council, officer = council
    client.force_login(officer)

    def files(count: int) -> None:
        ImportBatchFactory.create_batch(count, target=council, kind="agreements", imported=True)
        ImportBatchFactory.create_batch(count, target=council, kind="agreements", undone=True)
        ImportBatchFactory(target=council, kind="agreements")  # checked only: not listed

    files(1)

    counted = same_queries(
        lambda: client.get(reverse("grants:agreement_imports")), grow=lambda: files(15)
    )

    assert len(counted.result.context["batches"]) == 32


def test_the_agreements_workbook_runs_the_same_queries_for_few_agreements_and_many(
    council, client, same_queries
):
    council, officer = council
    client.force_login(officer)
    fund = council.funds.get()

    def agreements(count: int) -> None:
        for _ in range(count):
            agreement = AgreementFactory(funder=council, fund=fund, lead_officer=officer)
            PerformanceIndicatorFactory.create_batch(2, agreement=agreement)
            MinimumRequirementFactory.create_batch(2, agreement=agreement)

    agreements(1)

    counted = same_queries(
        lambda: client.get(reverse("grants:agreements_export")), grow=lambda: agreements(15)
    )

    assert load_workbook(io.BytesIO(counted.result.content))["Agreements"].max_row == 1 + 16


def agreements_book(size: int, *, title: str, series: str = "") -> bytes:
    """`size` agreements in the sample's columns, each with an indicator and a requirement."""
    references = [f"KBC-{size}{series}-{n}" for n in range(size)]
    return workbook(
        {
            "Agreements": [
                [
                    "Reference",
                    "Title",
                    "Provider",
                    "Fund",
                    "Lead officer",
                    "Status",
                    "Start date",
                    "End date",
                    "Total allocation",
                    "Award date",
                    "Department",
                    "Purpose",
                    "Outcome",
                ],
                *[
                    [
                        reference,
                        f"{title} {reference}",
                        "Kettering Community Cohesion Network",
                        "Voluntary and Community Sector Service Specifications",
                        "officer",
                        "Draft",
                        "2030-04-01",
                        "2034-03-31",
                        "1000",
                        "2030-03-01",
                        "Community Development",
                        f"{title}: community cohesion.",
                        "Communities get along.",
                    ]
                    for reference in references
                ],
            ],
            "Indicators": [
                ["Agreement", "Code", "Indicator", "Measure", "Target", "Target period"],
                *[[r, "a", f"{title}: events", "Count", "4", "Per quarter"] for r in references],
            ],
            "Requirements": [
                ["Agreement", "Number", "Requirement"],
                *[[r, 1, f"{title}: quarterly meetings."] for r in references],
            ],
        }
    )


def test_checking_and_importing_run_the_same_queries_for_5_agreements_as_for_200(
    council, same_queries
):
    council, officer = council
    # Its quarters exist, and the check has read each kind of record once, as a server has.
    import_book(council, officer, sample_workbook(council))
    size, runs = [5], []

    def check_and_import():
        runs.append(f"-{len(runs)}")  # new agreements each time: added, then changed
        for title in ("Service", "Renamed service"):
            book = agreements_book(size[0], title=title, series=runs[-1])
            preview, batch = check(council, officer, book)
            assert not preview.problems, preview.problems
            assert preview.creates + preview.updates == 3 * size[0]
            services.import_agreements(council=council, batch_id=batch.pk, by=officer)

    same_queries(check_and_import, grow=lambda: size.__setitem__(0, 200))

    renamed = Agreement.objects.filter(funder=council, title__startswith="Renamed service")
    assert renamed.count() == 5 + 5 + 200
    assert PerformanceIndicator.objects.filter(wording="Renamed service: events").count() == 210


def test_agreements_that_together_pass_their_funds_budget_are_refused_from_the_row_that_does(
    council,
):
    council, officer = council
    rows = [
        [reference, "Service", "Kettering Community Cohesion Network", fund, day, end, amount]
        for reference, amount in (("KBC-1", "600000"), ("KBC-2", "400000"), ("KBC-3", "1"))
        for fund, day, end in [
            ("Voluntary and Community Sector Service Specifications", "2030-04-01", "2031-03-31")
        ]
    ]
    book = workbook(
        {
            "Agreements": [
                [
                    "Reference",
                    "Title",
                    "Provider",
                    "Fund",
                    "Start date",
                    "End date",
                    "Total allocation",
                ],
                *rows,
            ]
        }
    )

    problems = check(council, officer, book)[0].problems

    assert [(p.row, p.column, p.message) for p in problems] == [
        (
            4,
            "Agreements: Total allocation",
            "£1.00 is more than the £0.00 left in the Voluntary and Community Sector Service "
            "Specifications budget of £1,000,000.00.",
        )
    ]


def test_an_indicator_against_a_rule_the_database_holds_is_refused_in_the_check(council):
    council, officer = council
    import_book(council, officer, sample_workbook(council))
    book = workbook(
        {"Indicators": [["Agreement", "Code", "Amber tolerance"], ["KBC-CCE-02", "b", "150"]]}
    )

    problems = check(council, officer, book)[0].problems

    assert [(p.row, p.column, p.message) for p in problems] == [
        (2, "Indicators: ", "The amber tolerance is a percentage from 0 to 100.")
    ]


def test_what_an_import_adds_and_changes_is_in_each_records_history(council):
    council, officer = council
    import_book(council, officer, sample_workbook(council))
    book = workbook(
        {
            "Agreements": [["Reference", "Title"], ["KBC-CCE-02", "Renamed"]],
            "Requirements": [["Agreement", "Number", "Requirement"], ["KBC-CCE-02", 9, "New."]],
        }
    )

    import_book(council, officer, book)

    agreement = Agreement.objects.get(reference="KBC-CCE-02")
    history = LogEntry.objects.get_for_object(agreement).order_by("pk")
    added = LogEntry.objects.get_for_object(agreement.requirements.get(number=9)).get()
    assert [entry.action for entry in history] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert history[0].changes["provider"][1] == "Kettering Community Cohesion Network"
    assert history[1].changes["title"] == [
        "Community Cohesion and Equalities Service Specification",
        "Renamed",
    ]
    assert set(history[1].changes) == {"title"}
    assert (added.action, added.changes["text"]) == (LogEntry.Action.CREATE, [None, "New."])


INDICATOR_HEADERS = [
    "Agreement",
    "Code",
    "Target",
    "Direction",
    "Upper bound",
    "Targets by year",
    "Quarterly profile",
]


def test_the_sample_gives_indicator_b_a_second_years_target_profiled_by_quarter(council):
    council, officer = council
    import_book(council, officer, sample_workbook(council))

    b = PerformanceIndicator.objects.get(agreement__reference="KBC-CCE-02", code="b")
    year = b.targets.get()
    assert (year.financial_year, year.target, year.profile) == (2031, 4, (1, 2, 0, 1))
    assert b.direction == "higher"


def test_an_import_sets_the_direction_and_changes_a_years_target(council):
    council, officer = council
    import_book(council, officer, sample_workbook(council))
    book = workbook(
        {
            "Indicators": [
                INDICATOR_HEADERS,
                ["KBC-CCE-02", "c", 2, "Lower is better", "", "2030/31: 1", ""],
                ["KBC-CCE-02", "b", 3, "", "", "2031/32: 5", "2031/32: 2, 2, 0, 1"],
            ]
        }
    )

    preview, _ = import_book(council, officer, book)

    c = PerformanceIndicator.objects.get(agreement__reference="KBC-CCE-02", code="c")
    b = PerformanceIndicator.objects.get(agreement__reference="KBC-CCE-02", code="b")
    assert (c.direction, c.target, c.targets.get().target) == ("lower", 2, 1)
    assert (b.targets.get().target, b.targets.get().profile) == (5, (2, 2, 0, 1))
    changes = {c.label: (c.before, c.after) for row in preview.rows for c in row.changes}
    assert changes["Targets by year"] == ("2031/32: 4", "2031/32: 5")


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["c", 4, "", "", "2030: x", ""], "Targets by year", "“x” is not a target"),
        (["c", 4, "", "", "in 2030: 4", ""], "Targets by year", "write each year's target"),
        (["c", 4, "", "", "2030/32: 4", ""], "Targets by year", "runs into the next"),
        (["b", 3, "", "", "", "2030/31: 1, 1, 1"], "Targets by year", "four figures"),
        (["b", 3, "", "", "", "2030/31: 1, 1, 1, 1"], "Targets by year", "add up"),
        (["c", 4, "Within a range", "", "", ""], "Upper bound", "upper bound"),
        (["c", 4, "Sideways", "", "", ""], "Direction", "is not one of"),
    ],
)
def test_bad_directions_and_targets_by_year_are_refused_in_the_check(council, row, column, message):
    council, officer = council
    import_book(council, officer, sample_workbook(council))
    preview, _ = check(
        council, officer, workbook({"Indicators": [INDICATOR_HEADERS, ["KBC-CCE-02", *row]]})
    )
    problems = [(p.column, p.message) for p in preview.problems]
    assert any(c.endswith(column) and message in m for c, m in problems), problems


# A few of the Welsh catalogue's words, as a council's catalogue would give them.
WELSH = {
    "Reference": "Cyfeirnod",
    "Title": "Teitl",
    "Provider": "Darparwr",
    "Status": "Statws",
    "Lead officer": "Swyddog arweiniol",
    "Start date": "Dyddiad dechrau",
    "End date": "Dyddiad gorffen",
    "Total allocation": "Cyfanswm y dyraniad",
    "Agreement": "Cytundeb",
    "Code": "Cod",
    "Indicator": "Dangosydd",
    "Target": "Targed",
    "Number": "Rhif",
    "Requirement": "Gofyniad",
    "Draft": "Drafft",
    "Quarterly": "Chwarterol",
    "Higher is better": "Gorau po uchaf",
}


@pytest.fixture
def welsh_catalogue():
    english = translation._trans.gettext

    def gettext(message):
        if translation.get_language() == "cy" and message in WELSH:
            return WELSH[message]
        return english(message)

    with mock.patch.object(translation._trans, "gettext", gettext):
        yield


@pytest.mark.parametrize(("made_in", "read_in"), [("cy", "en-gb"), ("en-gb", "cy")])
def test_a_sample_made_in_either_language_imports_in_either(
    council, welsh_catalogue, made_in, read_in
):
    council, officer = council
    with translation.override(made_in):
        content = sample_workbook(council)
    with translation.override(read_in):
        preview, _ = import_book(council, officer, content)

    headings = [cell.value for cell in next(load_workbook(io.BytesIO(content))["Agreements"].rows)]
    assert ("Cyfeirnod" in headings) == (made_in == "cy")
    assert preview.creates == 1 + 7 + 8
    assert Agreement.objects.get(reference="KBC-CCE-02").status == "draft"
