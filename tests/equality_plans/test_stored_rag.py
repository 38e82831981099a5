"""Each action keeps the RAG of its latest progress update, written by every service that moves
progress in its own transaction, and a rebuild from history finds nothing to change after any of
them."""

import importlib

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from equality_plans import importing, services, stored
from equality_plans.demo import KINGSTON_CSV
from equality_plans.models import Action, ProgressUpdate
from sla_monitor.models import User
from sla_monitor.tables import read_table
from tests.demo_db import demo_module_fixture
from tests.factories import ActionFactory, ProgressUpdateFactory, SectionFactory, UserFactory

NOTHING_WRONG = {stored.LATEST_RAG: 0}

demo_module = demo_module_fixture()


def stored_rag(action) -> str | None:
    return Action.objects.values_list("latest_rag", flat=True).get(pk=action.pk)


@pytest.fixture
def action(plan):
    owner = UserFactory(action_owner=True, organisation=plan.owner)
    return ActionFactory(section=SectionFactory(plan=plan), owner=owner)


def record(action, *, year=2015, quarter=1, rag="amber"):
    return services.record_progress(
        action=action,
        by=action.owner,
        financial_year=year,
        quarter=quarter,
        rag_status=rag,
        narrative="Progress.",
    )


def test_an_action_with_no_update_stores_no_rag(action):
    assert stored_rag(action) is None
    assert stored.rebuild(write=False) == NOTHING_WRONG


def test_recording_progress_stores_the_latest_quarters_rag(action):
    record(action, quarter=2, rag="red")
    assert stored_rag(action) == "red"

    record(action, quarter=3, rag="green")
    assert stored_rag(action) == "green"

    # Written last, but about an earlier quarter: the latest quarter's RAG stands.
    record(action, quarter=1, rag="amber")
    assert stored_rag(action) == "green"

    # A year's year-end report comes after its quarters.
    record(action, quarter=None, rag="completed")
    assert stored_rag(action) == "completed"
    assert stored.rebuild(write=False) == NOTHING_WRONG


def test_correcting_the_latest_update_stores_its_new_rag(action):
    record(action, quarter=1, rag="green")
    latest = record(action, quarter=2, rag="green")

    services.correct_progress(update=latest, by=action.owner, rag_status="red", narrative="Late.")

    assert stored_rag(action) == "red"
    assert stored.rebuild(write=False) == NOTHING_WRONG


def test_correcting_an_earlier_update_leaves_the_latest_rag(action):
    earlier = record(action, quarter=1, rag="green")
    record(action, quarter=2, rag="amber")

    services.correct_progress(update=earlier, by=action.owner, rag_status="red", narrative="Late.")

    assert stored_rag(action) == "amber"
    assert stored.rebuild(write=False) == NOTHING_WRONG


def test_recording_progress_writes_no_change_history_of_the_action(action):
    action_type = ContentType.objects.get_for_model(Action)
    before = LogEntry.objects.filter(content_type=action_type).count()

    record(action, rag="red")

    assert stored_rag(action) == "red"
    assert LogEntry.objects.filter(content_type=action_type).count() == before


def _import(plan, manager, content: bytes):
    table = read_table("actions.csv", content, known_headers=importing.known_headers())
    preview, batch = services.check_import(
        plan=plan, file_name="actions.csv", table=table, by=manager
    )
    assert not preview.problems, preview.problems
    return services.import_actions(plan=plan, batch_id=batch.pk, by=manager)


def test_importing_year_end_reports_stores_their_rag_and_undoing_takes_it_back(plan, manager):
    _import(plan, manager, KINGSTON_CSV.read_bytes())
    quarterly = Action.objects.get(plan=plan, number="4")
    services.record_progress(
        action=quarterly,
        by=manager,
        financial_year=2015,
        quarter=2,
        rag_status="amber",
        narrative="Progress.",
    )
    reports = [["No", "Year End Report", "Year End RAG"], ["2", "Done.", "Completed"]]
    reports.append(["4", "Behind.", "Red"])

    batch = _import(plan, manager, "\n".join(",".join(row) for row in reports).encode())

    reported = Action.objects.get(plan=plan, number="2")
    assert (stored_rag(reported), stored_rag(quarterly)) == ("completed", "red")
    assert stored.rebuild(write=False) == NOTHING_WRONG

    services.undo_import(plan=plan, batch=batch, by=manager)

    assert (stored_rag(reported), stored_rag(quarterly)) == (None, "amber")
    assert stored.rebuild(write=False) == NOTHING_WRONG


def test_the_demo_load_stores_every_actions_latest_rag(demo_module, db):
    assert Action.objects.filter(latest_rag__isnull=False).exists()
    assert stored.rebuild(write=False) == NOTHING_WRONG


def test_the_factory_keeps_the_stored_rag(action):
    ProgressUpdateFactory(action=action, quarter=1, rag_status="red")
    ProgressUpdateFactory(action=action, quarter=2, rag_status="amber")

    assert stored_rag(action) == action.latest_rag == "amber"
    assert stored.rebuild(write=False) == NOTHING_WRONG


def test_rebuild_counts_wrong_figures_and_puts_them_right(plan, action):
    other = ActionFactory(section=action.section)
    ProgressUpdateFactory(action=action, rag_status="green")
    Action.objects.filter(pk=action.pk).update(latest_rag="red")
    Action.objects.filter(pk=other.pk).update(latest_rag="amber")  # it has no update

    assert stored.rebuild(write=False) == {stored.LATEST_RAG: 2}
    assert (stored_rag(action), stored_rag(other)) == ("red", "amber")

    assert stored.rebuild() == {stored.LATEST_RAG: 2}
    assert (stored_rag(action), stored_rag(other)) == ("green", None)
    assert stored.rebuild(write=False) == NOTHING_WRONG


def test_the_overdue_actions_follow_the_stored_rag(plan, action):
    # Due 31 March 2016, long past: overdue until its latest update says green or completed.
    record(action, quarter=1, rag="red")
    assert Action.objects.overdue(plan.end_date.replace(year=2020)).filter(pk=action.pk).exists()

    record(action, quarter=2, rag="completed")
    assert not Action.objects.overdue(plan.end_date.replace(year=2020)).filter(pk=action.pk)


def test_the_migration_fills_the_rag_from_history(action):
    record(action, quarter=1, rag="red")
    record(action, quarter=2, rag="green")
    Action.objects.filter(pk=action.pk).update(latest_rag=None)
    migration = importlib.import_module("equality_plans.migrations.0009_action_stored_rag")

    migration.fill_latest_rag(apps, None)

    assert stored_rag(action) == "green"


def test_deleting_an_update_in_the_admin_moves_the_stored_rag(action, client):
    record(action, quarter=1, rag="green")
    latest = record(action, quarter=2, rag="red")
    client.force_login(UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True))

    client.post(
        reverse("admin:equality_plans_progressupdate_delete", args=[latest.pk]), {"post": "yes"}
    )

    assert not ProgressUpdate.objects.filter(pk=latest.pk).exists()
    assert stored_rag(action) == "green"
