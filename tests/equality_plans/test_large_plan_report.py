"""A long plan's progress report: made by the task worker above the size threshold, printed as a
list rather than a table, and still every action in its text."""

import io

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from equality_plans import reports
from equality_plans.models import EqualityStrand
from sla_monitor import reporting
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ProgressUpdateFactory,
    SectionFactory,
    UserFactory,
)
from tests.pdf_text import response_pdf

WORKER = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RAGS = ["red", "amber", "green", "completed"]


def _plan(count: int):
    plan = ActionPlanFactory(title="Equality objectives 2025-26")
    owner = UserFactory(action_owner=True, organisation=plan.owner)
    sections = [SectionFactory(plan=plan, title=f"Directorate {n}") for n in range(2)]
    strands = [
        EqualityStrand.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in [("D", "Disability"), ("R", "Race")]
    ]
    for n in range(count):
        action = ActionFactory(
            section=sections[n % 2],
            number=f"{n % 2 + 1}.{n + 1}",
            order=n,
            wording=f"Action {n + 1}: publish the access audit of site {n + 1}",
        )
        action.strands.add(strands[n % 2])
        ProgressUpdateFactory(
            action=action,
            author=owner,
            rag_status=RAGS[n % 4],
            narrative=f"Site {n + 1} audited and published.",
        )
    return plan, owner


@pytest.mark.django_db(transaction=True)
def test_a_plan_report_above_the_threshold_is_made_by_the_worker_with_every_action(
    settings, client, monkeypatch
):
    settings.TASKS = WORKER
    settings.REPORT_WORKER_ROWS = 10
    monkeypatch.setattr(reports, "TABLE_ACTIONS", 10)
    plan, owner = _plan(12)
    client.force_login(owner)

    asked = client.get(reverse("equality_plans:plan_pdf", args=[plan.pk]))
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    reader, text = response_pdf(client.get(asked.url))

    assert asked.status_code == 302 and asked.url.startswith("/reports/")
    for n in range(12):
        number = f"{n % 2 + 1}.{n + 1}"
        assert f"{number} Action {n + 1}: publish the access audit of site {n + 1}" in text
        assert f"Latest progress: Site {n + 1} audited and published." in text
    assert "site 1 RAG: Red. Strands: D. Lead:" in text
    assert "site 2 RAG: Amber. Strands: R." in text
    assert "12 actions." in text
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "en-GB"


@pytest.mark.django_db(transaction=True)
def test_a_plan_report_at_the_threshold_is_made_at_once_even_with_a_worker(settings, client):
    settings.TASKS = WORKER
    settings.REPORT_WORKER_ROWS = 12
    plan, owner = _plan(12)
    client.force_login(owner)

    response = client.get(reverse("equality_plans:plan_pdf", args=[plan.pk]))

    _, text = response_pdf(response)
    assert "1.1 Action 1: publish the access audit of site 1" in text
    assert not DBTaskResult.objects.filter(task_path__endswith="render_report").exists()


@pytest.mark.django_db
def test_a_filtered_plan_report_is_sized_by_the_actions_it_keeps(settings, client):
    plan, owner = _plan(8)
    disability = EqualityStrand.objects.get(code="D")

    def rows(query: str) -> int:
        return reporting.REPORTS["plan_progress"].rows(owner, plan.pk, QueryDict(query))

    assert rows("") == 8
    assert rows(f"strand={disability.pk}") == 4


@pytest.mark.django_db
def test_filtering_a_large_plan_report_down_makes_it_at_once_without_a_worker(settings, client):
    settings.REPORT_WORKER_ROWS = 5
    plan, owner = _plan(8)
    client.force_login(owner)
    url = reverse("equality_plans:plan_pdf", args=[plan.pk])
    race = EqualityStrand.objects.get(code="R")

    refused = client.get(url)
    narrowed = client.get(url, {"strand": race.pk})

    assert refused.status_code == 503
    assert "It would hold 8 rows." in refused.content.decode()
    _, text = response_pdf(narrowed)
    assert "2.2 Action 2: publish the access audit of site 2" in text
    assert "site 1 " not in text


def _boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


@pytest.mark.django_db
def test_a_long_plan_prints_a_paragraph_an_action_within_the_page(monkeypatch):
    monkeypatch.setattr(reports, "TABLE_ACTIONS", 10)
    plan, owner = _plan(12)

    document, _ = reports.build_plan_progress_pdf(owner, plan.pk, QueryDict())

    boxes = [(page, b) for page in document.pages for b in _boxes(page._page_box)]
    tables = [b for _, b in boxes if type(b).__name__ == "TableBox"]
    actions = [
        b
        for _, b in boxes
        if type(b).__name__ == "BlockBox" and "action" in (b.element.get("class") or "").split()
    ]
    assert len(tables) == 2  # the two summaries; the actions are not a table
    assert len(actions) == 12
    for page, box in boxes:
        if type(box).__name__ == "TextBox" and box.element_tag == "p":
            left = page._page_box.content_box_x()
            assert left - 0.01 <= box.position_x, box.text
            assert box.position_x + box.width <= left + page._page_box.width + 0.01, box.text
