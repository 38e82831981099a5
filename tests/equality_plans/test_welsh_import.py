"""A plan's action file takes what a council writes in both languages: the English in its own
columns and the Welsh in the "(Welsh)" ones, whatever language the person importing reads in;
a plan's export gives both back, so that it imports with nothing to change."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from equality_plans.models import Action, ProgressUpdate, Section
from sla_monitor.models import ImportBatch
from tests.equality_plans.test_plan_import import check, csv_bytes, import_file
from tests.factories import ActionFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh_plan(plan):
    plan.owner.welsh_offer = True
    plan.owner.save(update_fields=["welsh_offer"])
    return plan


@pytest.fixture
def action(welsh_plan):
    section = SectionFactory(
        plan=welsh_plan, title_en_gb="Access to services", title_cy="Mynediad at wasanaethau"
    )
    return ActionFactory(
        plan=welsh_plan,
        section=section,
        number="1",
        wording_en_gb="Train every member of staff.",
        wording_cy="Hyfforddi pob aelod o staff.",
        outcome_en_gb="Staff know the duty.",
        outcome_cy="Mae staff yn gwybod y ddyletswydd.",
    )


def _texts(action: Action) -> tuple:
    action.refresh_from_db()
    return (action.wording_en_gb, action.wording_cy, action.outcome_en_gb, action.outcome_cy)


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_the_welsh_columns_fill_the_welsh_and_the_others_the_english_whatever_the_readers_language(
    action, manager, language
):
    content = csv_bytes(
        [
            ["No", "Action", "Action (Welsh)", "Outcome (Welsh)"],
            ["1", "Train all staff.", "Hyfforddi'r holl staff.", "Mae'r staff yn deall."],
        ]
    )

    with translation.override(language):
        preview, batch = import_file(action.plan, manager, content)

    labels = [str(change.label) for change in preview.rows[0].changes]
    assert len(labels) == 3
    assert _texts(action) == (
        "Train all staff.",
        "Hyfforddi'r holl staff.",
        "Staff know the duty.",
        "Mae'r staff yn deall.",
    )
    assert batch.status == ImportBatch.Status.IMPORTED


def test_an_empty_welsh_cell_never_blanks_the_welsh_a_person_wrote(action, manager):
    content = csv_bytes([["No", "Action", "Action (Welsh)"], ["1", "Train all staff.", ""]])

    with translation.override("cy"):
        import_file(action.plan, manager, content)

    assert _texts(action)[:2] == ("Train all staff.", "Hyfforddi pob aelod o staff.")


def test_undoing_the_import_puts_both_languages_back(action, manager, client):
    before = _texts(action)
    content = csv_bytes(
        [["No", "Action", "Action (Welsh)"], ["1", "Train all staff.", "Hyfforddi'r staff."]]
    )
    with translation.override("cy"):
        _, batch = import_file(action.plan, manager, content)
    assert _texts(action) != before

    client.force_login(manager)
    response = client.post(
        reverse("equality_plans:plan_import_undo", args=[action.plan.pk, batch.pk]),
        HTTP_ACCEPT_LANGUAGE="cy",
    )

    assert response.status_code == 302
    assert _texts(action) == before


@pytest.mark.parametrize(("exported_in", "imported_in"), [("cy", "en-gb"), ("en-gb", "cy")])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_welsh_councils_export_imports_back_with_nothing_to_change_read_in_either_language(
    action, manager, client, fmt, exported_in, imported_in
):
    english_only = ActionFactory(
        plan=action.plan, section=action.section, number="2", wording_en_gb="Publish the data."
    )
    client.force_login(manager)
    before = [_texts(action), _texts(english_only)]

    export = client.get(
        reverse("equality_plans:actions_export", args=[action.plan.pk, fmt]),
        HTTP_ACCEPT_LANGUAGE=exported_in,
    )
    with translation.override(imported_in):
        preview, batch = check(action.plan, manager, export.content, f"plan.{fmt}")

    assert preview.problems == []
    assert preview.nothing_to_change, [(r.key, r.changes) for r in preview.rows if r.changes]
    assert batch is None
    assert [_texts(action), _texts(english_only)] == before


def test_a_welsh_councils_export_has_the_welsh_columns_and_an_english_councils_none(
    action, manager, client, plan
):
    client.force_login(manager)
    url = reverse("equality_plans:actions_export", args=[plan.pk, "csv"])

    welsh = client.get(url).content.decode("utf-8-sig").splitlines()
    plan.owner.welsh_offer = False
    plan.owner.save(update_fields=["welsh_offer"])
    english = client.get(url).content.decode("utf-8-sig").splitlines()

    assert welsh[0].endswith("Section (Welsh),Action (Welsh),Outcome (Welsh)")
    assert welsh[1].endswith(
        "Mynediad at wasanaethau,Hyfforddi pob aelod o staff.,Mae staff yn gwybod y ddyletswydd."
    )
    assert "Welsh" not in english[0]


def test_a_new_action_needs_its_english_beside_the_welsh(welsh_plan, manager):
    SectionFactory(plan=welsh_plan, title_en_gb="Access", title_cy="Mynediad")
    content = csv_bytes(
        [["No", "Section", "Action", "Action (Welsh)"], ["7", "Mynediad", "", "Cyhoeddi'r data."]]
    )

    preview, batch = check(welsh_plan, manager, content)

    assert [p.message for p in preview.problems] == [
        "A new action needs its action in this column."
    ]
    assert batch is None
    assert not Action.objects.filter(plan=welsh_plan, number="7").exists()


def test_an_actions_english_is_never_emptied_for_its_welsh(action, manager):
    content = csv_bytes([["No", "Action", "Action (Welsh)"], ["1", "", "Hyfforddi'r staff."]])

    preview, _ = check(action.plan, manager, content)

    assert [p.message for p in preview.problems] == ["An action's wording cannot be left empty."]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [["8", "Housing", "Mynediad at wasanaethau"]],
            "Another section is already called “Mynediad at wasanaethau”.",
        ),
        (
            [["8", "Housing", "Access to services"]],
            "Another section is already called “Access to services”.",
        ),
        (
            [["8", "Housing", "Tai"], ["9", "Finance", "Tai"]],
            "Another section is already called “Tai”.",
        ),
        (
            [["8", "Housing", "Tai"], ["9", "Housing", "Tai a chartrefi"]],
            "Row 2 names this section “Tai” in Welsh.",
        ),
    ],
)
def test_a_section_the_file_adds_is_named_in_welsh_as_no_other_is(action, manager, rows, message):
    content = csv_bytes(
        [["No", "Section", "Section (Welsh)", "Action"]] + [[*r, "Review it."] for r in rows]
    )

    preview, batch = check(action.plan, manager, content)

    assert [p.message for p in preview.problems] == [message]
    assert batch is None


def test_a_section_the_file_adds_is_named_in_both_languages(welsh_plan, manager):
    content = csv_bytes(
        [
            ["No", "Section", "Section (Welsh)", "Action"],
            ["8", "Housing", "Tai", "Review the allocations policy."],
        ]
    )

    preview, _ = import_file(welsh_plan, manager, content)

    section = Section.objects.get(plan=welsh_plan, title_en_gb="Housing")
    assert section.title_cy == "Tai"
    assert "Adds the section “Housing”, in Welsh “Tai”." in preview.rows[0].notes


def test_a_sections_welsh_name_is_kept_and_the_files_other_one_said_not_imported(action, manager):
    content = csv_bytes(
        [
            ["No", "Section", "Section (Welsh)", "Action"],
            ["1", "Access to services", "Mynediad", "Train every member of staff."],
        ]
    )

    preview, batch = check(action.plan, manager, content)

    assert preview.problems == [] and batch is None
    assert any("keeps its Welsh name" in note for note in preview.rows[0].notes)
    action.section.refresh_from_db()
    assert action.section.title_cy == "Mynediad at wasanaethau"


def test_a_year_end_rag_is_read_in_welsh(action, manager):
    content = csv_bytes(
        [
            ["Rhif", "Adroddiad Diwedd Blwyddyn", "RAG Diwedd Blwyddyn"],
            ["1", "Hyfforddwyd pob aelod o staff.", "Gwyrdd"],
        ]
    )

    with translation.override("cy"):
        import_file(action.plan, manager, content)

    report = ProgressUpdate.objects.get(action=action, is_year_end=True)
    assert (report.rag_status, report.narrative) == ("green", "Hyfforddwyd pob aelod o staff.")


@pytest.mark.parametrize(
    "written", ["31 Mawrth 2017", "31 mawrth 2017", "31 Maw 2017", "31 Maw. 2017", "31 March 2017"]
)
def test_a_due_date_may_name_its_month_in_welsh(action, manager, written):
    content = csv_bytes([["Rhif", "Dyddiad dyledus"], ["1", written]])

    with translation.override("cy"):
        import_file(action.plan, manager, content)

    action.refresh_from_db()
    assert action.due_date == dt.date(2017, 3, 31)
