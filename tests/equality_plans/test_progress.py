import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from equality_plans import importing, selectors, services
from equality_plans.demo import KINGSTON_CSV
from equality_plans.models import Action, EqualityStrand, ProgressUpdate
from equality_plans.strands import STRANDS
from sla_monitor.models import User
from tests.factories import ActionFactory, ActionPlanFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db
HEADER = importing.COLUMNS


@pytest.fixture
def strands(db):
    return {
        s.code: EqualityStrand.objects.get_or_create(
            code=s.code,
            defaults={
                "name": s.name,
                "is_protected_characteristic": s.is_protected_characteristic,
                "covers_all": s.covers_all,
                "order": n,
            },
        )[0]
        for n, s in enumerate(STRANDS)
    }


@pytest.fixture
def plan(strands):
    return ActionPlanFactory(title="Kingston plan")


@pytest.fixture
def manager(plan):
    return UserFactory(role=User.Role.PLAN_MANAGER, organisation=plan.owner)


def sample_rows() -> list[dict[str, str]]:
    return importing.read_table(KINGSTON_CSV.name, KINGSTON_CSV.read_bytes())


def csv_file(rows: list[list[str]], name="actions.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return SimpleUploadedFile(name, buffer.getvalue().encode())


# Progress ------------------------------------------------------------------------------------


def test_the_owner_records_quarterly_progress(plan, strands):
    owner = UserFactory(action_owner=True, organisation=plan.owner)
    action = ActionFactory(section=SectionFactory(plan=plan), owner=owner)

    update = services.record_progress(
        action=action,
        by=owner,
        financial_year=2015,
        quarter=2,
        rag_status="amber",
        narrative="Survey analysed; report drafted.",
    )

    assert (update.author, update.period_label, update.rag_status) == (owner, "Q2 2015/16", "amber")


def test_the_year_end_report_is_an_update_without_a_quarter(plan, manager):
    action = ActionFactory(section=SectionFactory(plan=plan))

    update = services.record_progress(
        action=action,
        by=manager,
        financial_year=2015,
        quarter=None,
        rag_status="completed",
        narrative="Delivered in full.",
    )

    assert update.is_year_end and update.period_label == "Year end 2015/16"


def test_others_cannot_record_progress_on_an_action(plan):
    action = ActionFactory(section=SectionFactory(plan=plan))
    colleague = UserFactory(action_owner=True, organisation=plan.owner)

    with pytest.raises(PermissionDenied):
        services.record_progress(
            action=action,
            by=colleague,
            financial_year=2015,
            quarter=1,
            rag_status="green",
            narrative="Not mine.",
        )


def test_a_second_update_for_the_same_quarter_is_refused(plan, manager):
    action = ActionFactory(section=SectionFactory(plan=plan))
    args = dict(action=action, by=manager, financial_year=2015, quarter=1, rag_status="green")
    services.record_progress(**args, narrative="First.")

    with pytest.raises(ValidationError, match="already has an update"):
        services.record_progress(**args, narrative="Double click.")
    assert ProgressUpdate.objects.count() == 1


def test_the_action_page_form_shows_errors_and_records_progress(plan, manager, client):
    action = ActionFactory(section=SectionFactory(plan=plan))
    client.force_login(manager)
    url = reverse("equality_plans:action_detail", args=[plan.pk, action.pk])

    invalid = client.post(url, {"period": "2015-2", "narrative": ""})
    valid = client.post(
        url, {"period": "2015-2", "rag_status": "green", "narrative": "On track."}, follow=True
    )

    html = invalid.content.decode()
    assert '<a href="#id_rag_status_0">Choose a RAG status</a>' in html
    assert '<a href="#id_narrative">Describe the progress made</a>' in html
    assert "Progress for Q2 2015/16 recorded." in valid.content.decode()
    assert action.progress_updates.get().narrative == "On track."


def test_the_plan_page_shows_progress_as_soon_as_it_is_recorded(plan, manager, client):
    action = ActionFactory(section=SectionFactory(plan=plan))
    client.force_login(manager)
    plan_url = reverse("equality_plans:plan_detail", args=[plan.pk])

    before = client.get(plan_url).content.decode()
    client.post(
        reverse("equality_plans:action_detail", args=[plan.pk, action.pk]),
        {"period": "2015-2", "rag_status": "red", "narrative": "Behind."},
    )
    after = client.get(plan_url).content.decode()

    assert "Red: <strong>0</strong>" in before
    assert "Red: <strong>1</strong>" in after


def test_a_plan_page_is_not_shown_to_a_council_that_may_not_read_the_plan(plan, client):
    client.force_login(UserFactory(action_owner=True, organisation=plan.owner))
    assert client.get(reverse("equality_plans:plan_detail", args=[plan.pk])).status_code == 200

    client.force_login(UserFactory(action_owner=True))

    assert client.get(reverse("equality_plans:plan_detail", args=[plan.pk])).status_code == 404


def test_a_reader_sees_the_action_but_no_form_and_cannot_post(plan, client):
    action = ActionFactory(section=SectionFactory(plan=plan))
    reader = UserFactory(action_owner=True, organisation=plan.owner)
    client.force_login(reader)
    url = reverse("equality_plans:action_detail", args=[plan.pk, action.pk])

    page = client.get(url)
    post = client.post(url, {"period": "2015-2", "rag_status": "green", "narrative": "x"})

    assert page.status_code == 200
    assert "Record progress" not in page.content.decode()
    assert post.status_code == 403


# Coverage ------------------------------------------------------------------------------------


def test_strand_coverage_counts_all_for_every_strand_and_flags_the_missing(plan, strands):
    section = SectionFactory(plan=plan)
    for codes in [["D"], ["D", "R"], ["ALL"], ["CC"]]:
        action = ActionFactory(section=section)
        action.strands.set(strands[c] for c in codes)

    rows = {r.strand.code: r for r in selectors.strand_coverage(plan)}

    assert (rows["D"].direct, rows["D"].through_all, rows["D"].total) == (2, 1, 3)
    assert rows["R"].total == 2
    assert rows["SO"].total == 1
    assert "ALL" not in rows


def test_the_coverage_page_flags_characteristics_no_action_addresses(
    plan, strands, manager, client
):
    action = ActionFactory(section=SectionFactory(plan=plan))
    action.strands.set([strands["D"]])
    client.force_login(manager)

    html = client.get(reverse("equality_plans:strand_coverage", args=[plan.pk])).content.decode()

    assert html.count("Not addressed by any action") == 7  # every protected characteristic but D


# Import --------------------------------------------------------------------------------------


def test_the_sample_file_previews_63_new_actions_without_errors(plan):
    preview = importing.preview(plan, sample_rows())

    assert preview.problems == []
    assert (preview.creates, preview.updates, preview.unchanged) == (63, 0, 0)


def test_importing_the_sample_creates_the_plan_and_reimporting_changes_nothing(plan, manager):
    services.import_actions(plan=plan, rows=sample_rows(), by=manager)
    snapshot = list(
        Action.objects.filter(plan=plan)
        .order_by("order")
        .values_list(
            "number", "section__title", "wording", "lead_responsibility", "timescale", "due_date"
        )
    )

    again = services.import_actions(plan=plan, rows=sample_rows(), by=manager)

    assert len(snapshot) == 63
    assert plan.sections.count() == 6
    assert (again.creates, again.updates, again.unchanged) == (0, 0, 63)
    assert snapshot == list(
        Action.objects.filter(plan=plan)
        .order_by("order")
        .values_list(
            "number", "section__title", "wording", "lead_responsibility", "timescale", "due_date"
        )
    )
    first = Action.objects.get(plan=plan, number="1")
    assert sorted(first.strands.values_list("code", flat=True)) == sorted(
        ["A", "D", "G", "M/CP", "P/M", "R", "RB", "SO"]
    )


def test_every_error_is_reported_with_its_row_and_column(plan):
    rows = [
        {"Section": "Finance", "No": "1", "ES & CC": "A, XY", "Action": "Pensions"},
        {"Section": "Finance", "No": "2", "ES & CC": "D", "Action": ""},
        {"Section": "Finance", "No": "1", "ES & CC": "R", "Action": "Interpreting review"},
        {"Section": "Finance", "No": "4", "Action": "Report", "Year End Report": "Done."},
    ]

    problems = importing.preview(plan, rows).problems

    assert [(p.row, p.column) for p in problems] == [
        (2, "ES & CC"),
        (3, "Action"),
        (4, "No"),
        (5, "Year End RAG"),
    ]
    assert "“XY” is not a strand code." in problems[0].message
    assert "also used in row 2" in problems[2].message


def test_any_error_imports_nothing(plan, manager):
    rows = sample_rows()
    rows[40]["ES & CC"] = "Q"

    with pytest.raises(ValidationError, match="nothing was imported"):
        services.import_actions(plan=plan, rows=rows, by=manager)
    assert not Action.objects.filter(plan=plan).exists()
    assert not plan.sections.exists()


def test_a_changed_row_is_an_update_naming_its_columns(plan, manager):
    services.import_actions(plan=plan, rows=sample_rows(), by=manager)
    rows = sample_rows()
    rows[2]["Action"] = "Equalities training for all staff and members"
    rows[2]["Year End Report"] = "Training delivered to 400 staff."
    rows[2]["Year End RAG"] = "Completed"

    preview = importing.preview(plan, rows)
    services.import_actions(plan=plan, rows=rows, by=manager)

    (update,) = [r for r in preview.rows if r.change == "update"]
    assert (update.number, update.changed) == ("3", ["Action", "Year End Report"])
    action = Action.objects.get(plan=plan, number="3")
    assert action.wording == "Equalities training for all staff and members"
    assert action.progress_updates.get(is_year_end=True).rag_status == "completed"


def test_only_plan_managers_and_admins_import(plan):
    owner = UserFactory(action_owner=True, organisation=plan.owner)

    with pytest.raises(PermissionDenied):
        services.import_actions(plan=plan, rows=sample_rows(), by=owner)


def test_upload_preview_then_confirm(plan, manager, client):
    client.force_login(manager)
    url = reverse("equality_plans:plan_import", args=[plan.pk])
    upload = SimpleUploadedFile("kingston.csv", KINGSTON_CSV.read_bytes())

    preview = client.post(url, {"file": upload})
    assert "<strong>63</strong> to create" in preview.content.decode()
    assert not Action.objects.filter(plan=plan).exists()

    confirmed = client.post(
        reverse("equality_plans:plan_import_confirm", args=[plan.pk]), follow=True
    )
    assert "63 action(s) created" in confirmed.content.decode()
    assert Action.objects.filter(plan=plan).count() == 63


def test_an_xlsx_with_errors_shows_them_and_cannot_be_confirmed(plan, manager, client):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["Finance", 18, "ALL", "", "", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(manager)

    response = client.post(
        reverse("equality_plans:plan_import", args=[plan.pk]),
        {"file": SimpleUploadedFile("plan.xlsx", buffer.getvalue())},
    )

    html = response.content.decode()
    assert "the file has 1 error" in html
    assert "<td>2</td><td>Action</td><td>The action is empty.</td>" in html
    assert "plan_import_confirm" not in html and "/import/confirm/" not in html


def test_a_file_that_is_not_a_spreadsheet_is_refused(plan, manager, client):
    client.force_login(manager)

    response = client.post(
        reverse("equality_plans:plan_import", args=[plan.pk]),
        {"file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4")},
    )

    assert '<a href="#id_file">Choose a CSV or Excel (.xlsx) file.</a>' in response.content.decode()


def test_confirming_without_a_checked_file_says_so(plan, manager, client):
    client.force_login(manager)

    response = client.post(
        reverse("equality_plans:plan_import_confirm", args=[plan.pk]), follow=True
    )

    assert "There is no checked file to import" in response.content.decode()
