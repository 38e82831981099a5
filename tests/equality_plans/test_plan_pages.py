import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from equality_plans.models import Action, ActionPlan, EqualityStrand
from sla_monitor.models import User
from tests.demo_db import demo_module_fixture
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ProgressUpdateFactory,
    SectionFactory,
    UserFactory,
)
from tests.pdf_text import response_pdf

demo_module = demo_module_fixture()
KINGSTON = "Equality Objectives and Community Cohesion Action Plan 2015-2016"


@pytest.fixture
def kingston(demo_module, db, client):
    client.force_login(User.objects.get(username="equality"))
    return ActionPlan.objects.get(title=KINGSTON)


def test_the_progress_pdf_of_seed_004_has_every_action(kingston, client):
    _, text = response_pdf(client.get(reverse("equality_plans:plan_pdf", args=[kingston.pk])))
    text = text.replace("- ", "-")  # a word broken at its hyphen across two lines

    for action in kingston.actions.all():
        first_words = " ".join(action.wording.split()[:3])
        assert f"{action.number} {first_words}" in text, action.number
    assert "Latest RAG by directorate" in text
    assert "Latest RAG by equality strand" in text
    assert "SO: Sexual orientation" in text


def test_the_progress_pdf_follows_the_page_filters(kingston, client):
    url = reverse("equality_plans:plan_pdf", args=[kingston.pk])
    disability = EqualityStrand.objects.get(code="D")

    _, text = response_pdf(client.get(url, {"strand": disability.pk, "section": ""}))

    assert "as filtered on the plan page" in text
    assert "Provide appropriate tools for users with accessibility requirements" in text  # 20, D
    assert "Refugee and Migrant Strategy" not in text  # 5, R only


def test_the_strand_filter_counts_all_strand_actions_for_every_strand(kingston, client):
    race = EqualityStrand.objects.get(code="R")

    response = client.get(
        reverse("equality_plans:plan_detail", args=[kingston.pk]), {"strand": race.pk}
    )

    numbers = {a.number for a in response.context["actions"]}
    assert {"1", "3", "5", "16"} <= numbers  # tagged R, ALL, R, G R
    assert "20" not in numbers  # D only


def test_rag_and_overdue_filters(kingston, client, monkeypatch):
    monkeypatch.setattr("equality_plans.views.PLAN_PAGE_SIZE", 1000)  # the whole plan on one page
    url = reverse("equality_plans:plan_detail", args=[kingston.pk])

    red = client.get(url, {"rag": "red"}).context["actions"]
    none = client.get(url, {"rag": "none"}).context["actions"]
    overdue = client.get(url, {"overdue": "true"}).context["actions"]

    assert red and all(a.latest_rag == "red" for a in red)
    assert none and all(a.latest_rag is None for a in none)
    # The 2015-16 plan is long past: every action not green or completed is overdue.
    assert {a.number for a in overdue} == {
        a.number
        for a in client.get(url).context["actions"]
        if a.due_date and a.latest_rag not in ("green", "completed")
    }


def test_actions_export_matches_the_filtered_page(kingston, client, monkeypatch):
    monkeypatch.setattr("equality_plans.views.PLAN_PAGE_SIZE", 1000)  # the whole plan on one page
    disability = EqualityStrand.objects.get(code="D")
    query = {"strand": disability.pk}
    page = client.get(reverse("equality_plans:plan_detail", args=[kingston.pk]), query)
    shown = [a.number for a in page.context["actions"]]

    csv_response = client.get(
        reverse("equality_plans:actions_export", args=[kingston.pk, "csv"]), query
    )
    xlsx_response = client.get(
        reverse("equality_plans:actions_export", args=[kingston.pk, "xlsx"]), query
    )

    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["No", "Section", "Objective", "ES & CC", "Action"]
    assert [r[0] for r in rows[1:]] == shown
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "No"
    assert [str(r[0]) for r in values[1:]] == shown
    assert csv_response["Content-Disposition"].endswith('.csv"')


def test_an_unknown_export_format_is_not_found(kingston, client):
    response = client.get(reverse("equality_plans:actions_export", args=[kingston.pk, "pdf"]))

    assert response.status_code == 404


def test_plans_of_other_councils_are_not_found(demo_module, db, client):
    client.force_login(User.objects.get(username="equality"))
    leicestershire = ActionPlan.objects.get(title__startswith="Leicestershire")

    assert (
        client.get(reverse("equality_plans:plan_detail", args=[leicestershire.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("equality_plans:plan_pdf", args=[leicestershire.pk])).status_code == 404
    )
    listed = client.get(reverse("equality_plans:plan_list")).context["plans"]
    assert [p.title for p in listed] == [KINGSTON]


def _plan_with(count: int):
    plan = ActionPlanFactory()
    owner = UserFactory(action_owner=True, organisation=plan.owner)
    for _ in range(3):
        SectionFactory(plan=plan)
    _add_actions(plan, owner, count)
    return plan, owner


def _add_actions(plan, owner, count: int) -> None:
    """`count` more actions, spread over the plan's sections, each on Disability with an update."""
    sections = list(plan.sections.order_by("pk"))
    strand = EqualityStrand.objects.get_or_create(code="D", defaults={"name": "Disability"})[0]
    start = Action.objects.filter(section__plan=plan).count()
    for n in range(start, start + count):
        action = ActionFactory(section=sections[n % 3], number=str(n + 1), order=n)
        action.strands.add(strand)
        ProgressUpdateFactory(action=action, author=owner)


@pytest.mark.django_db
def test_plan_page_runs_the_same_queries_for_5_and_500_actions(client, same_queries):
    plan, owner = _plan_with(5)
    client.force_login(owner)
    url = reverse("equality_plans:plan_detail", args=[plan.pk])
    few = client.get(url)
    assert few.context["page_obj"].paginator.count == 5
    assert len(few.context["actions"]) == 5
    assert few.context["summary"].total == 5

    counted = same_queries(lambda: client.get(url), grow=lambda: _add_actions(plan, owner, 495))

    many = counted.result
    assert many.context["page_obj"].paginator.count == 500
    assert len(many.context["actions"]) == 25
    assert many.context["summary"].total == 500


@pytest.mark.django_db
def test_the_progress_pdf_runs_the_same_queries_for_5_and_60_actions(client, same_queries):
    plan, owner = _plan_with(5)
    client.force_login(owner)

    counted = same_queries(
        lambda: client.get(reverse("equality_plans:plan_pdf", args=[plan.pk])),
        grow=lambda: _add_actions(plan, owner, 55),
    )

    _, text = response_pdf(counted.result)
    assert "progress report 60 actions." in text
    assert text.count("Equalities training for staff and members") == 60


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_actions_export_runs_the_same_queries_for_5_and_150_actions(client, same_queries, fmt):
    plan, owner = _plan_with(5)
    client.force_login(owner)

    counted = same_queries(
        lambda: client.get(reverse("equality_plans:actions_export", args=[plan.pk, fmt])),
        grow=lambda: _add_actions(plan, owner, 145),
    )

    content = counted.result.content
    if fmt == "csv":
        assert len(list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))) == 1 + 150
    else:
        assert load_workbook(io.BytesIO(content)).active.max_row == 1 + 150


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rag", "overdue"),
    [(None, True), ("red", True), ("amber", True), ("green", False), ("completed", False)],
)
def test_an_action_is_overdue_after_its_due_date_unless_green_or_completed(rag, overdue):
    action = ActionFactory(due_date=dt.date(2016, 3, 31))
    if rag:
        ProgressUpdateFactory(action=action, rag_status=rag)
    actions = Action.objects.filter(pk=action.pk)

    for today, expected in [(dt.date(2016, 4, 1), overdue), (dt.date(2016, 3, 31), False)]:
        assert actions.with_overdue(today).get().overdue is expected
        assert actions.overdue(today).exists() is expected
        assert actions.not_overdue(today).exists() is not expected


def test_the_progress_pdf_works_for_the_shared_plan_of_seed_003(demo_module, db, client):
    client.force_login(User.objects.get(username="admin"))
    plan = ActionPlan.objects.get(title__startswith="Leicestershire")

    _, text = response_pdf(client.get(reverse("equality_plans:plan_pdf", args=[plan.pk])))

    assert "Latest RAG by equality framework area" in text
    assert "1. Knowing your community and equality mapping" in text
    assert "Commitment 2.6" in text
    for action in plan.actions.all():
        assert f"{action.number} {' '.join(action.wording.split()[:2])}" in text, action.number


def test_a_funder_sees_the_plans_its_grants_deliver_and_no_others(demo_module, db, client):
    client.force_login(User.objects.get(username="officer"))

    plans = client.get(reverse("equality_plans:plan_list")).context["plans"]

    # KBC-CCE-01's indicators serve seed 003's commitment 2.6 and seed 001's NI 1.
    assert {p.title.split()[0] for p in plans} == {"Leicestershire", "Community,"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "higher_is_better", "trend"),
    [
        ([], True, "Not enough values yet"),
        ([70], True, "Not enough values yet"),
        ([70, 74], True, "Improving"),
        ([74, 70], True, "Getting worse"),
        ([70, 70], True, "No change"),
        ([12, 9], False, "Improving"),
    ],
)
def test_an_indicators_trend_compares_its_last_two_values(values, higher_is_better, trend, client):
    from equality_plans.models import Indicator, IndicatorValue
    from equality_plans.selectors import plan_indicators

    section = SectionFactory()
    indicator = Indicator.objects.create(
        code="LOCAL 1", title="People get on well together", higher_is_better=higher_is_better
    )
    indicator.sections.add(section)
    for year, value in enumerate(values, start=2008):
        IndicatorValue.objects.create(
            indicator=indicator, measured_on=dt.date(year, 3, 31), value=value
        )

    (row,) = plan_indicators(section.plan)

    assert row.trend == trend
    assert [v.value for v in row.values] == values


@pytest.mark.django_db
def test_a_long_plan_is_shown_a_page_at_a_time_with_its_filters_kept(client):
    plan, owner = _plan_with(150)
    client.force_login(owner)
    url = reverse("equality_plans:plan_detail", args=[plan.pk])

    second = client.get(url, {"rag": "green", "page": 2})

    assert [a.number for a in second.context["actions"]] == [str(n) for n in range(26, 51)]
    html = second.content.decode()
    assert "Showing 26 to 50 of 150." in html
    assert 'href="?rag=green&amp;page=1"' in html


def test_a_plans_due_dates_are_date_cells_in_excel_and_iso_in_csv(plan, manager, client):
    ActionFactory(section=SectionFactory(plan=plan), number="1", due_date=dt.date(2026, 10, 1))
    client.force_login(manager)
    url = reverse("equality_plans:actions_export", args=[plan.pk, "xlsx"])

    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    text = client.get(url.replace("xlsx", "csv")).content.decode("utf-8-sig")

    headers = [c.value for c in sheet[1]]
    due = sheet.cell(row=2, column=headers.index("Due date") + 1)
    assert due.value == dt.datetime(2026, 10, 1) and due.number_format == "d mmmm yyyy"
    assert next(csv.DictReader(io.StringIO(text)))["Due date"] == "2026-10-01"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:O2"


def _boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def _classes(box) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


@pytest.mark.parametrize(
    ("title", "username"), [(KINGSTON, "equality"), ("Leicestershire District", "admin")]
)
def test_the_progress_pdf_keeps_everything_in_its_cell_and_progress_widest(
    demo_module, db, title, username
):
    """Laid out as the PDF is: every RAG tag on one line and every text within its cell, and
    the Latest progress column the widest of the actions tables."""
    from django.http import QueryDict

    from equality_plans import reports

    plan = ActionPlan.objects.get(title__startswith=title)
    user = User.objects.get(username=username)
    document, _ = reports.build_plan_progress_pdf(user, plan.pk, QueryDict())

    boxes = [b for page in document.pages for b in _boxes(page._page_box)]
    cells = [b for b in boxes if type(b).__name__ == "TableCellBox"]
    tags = [b for b in boxes if type(b).__name__ == "InlineBlockBox" and "rag" in _classes(b)]
    assert tags
    for cell in cells:
        left, right = cell.content_box_x() - 0.01, cell.content_box_x() + cell.width + 0.01
        for box in _boxes(cell):
            if box in tags:
                assert len(box.children) == 1, f"“{box.element.text}” is broken across lines"
            if box in tags or type(box).__name__ == "TextBox":
                shown = getattr(box, "text", None) or box.element.text
                assert left <= box.position_x, shown
                assert box.position_x + box.margin_width() <= right, shown
    tables = [b for b in boxes if type(b).__name__ == "TableBox" and "actions" in _classes(b)]
    heads = [g for t in tables for g in t.children if g.element_tag == "thead"]
    assert heads
    for head in heads:
        widths = {c.element.text: c.border_width() for row in head.children for c in row.children}
        assert max(widths, key=widths.get) == "Latest progress", widths


def test_one_plan_is_visible_to_exactly_those_who_see_it_among_the_plans(demo_module, db):
    """`visible_plan` tells the owner's case from the plan itself: it must agree with
    `visible_plans` for every demo user and plan, partners, funders and providers included."""
    from equality_plans import permissions

    checked = set()
    for user in User.objects.all():
        visible = set(permissions.visible_plans(user).values_list("pk", flat=True))
        for plan in ActionPlan.objects.all():
            found = permissions.visible_plan(user, plan.pk)
            assert (found is not None) is (plan.pk in visible), (user.username, plan.title)
            checked.add((user.role, found is not None))
        assert permissions.visible_plan(user, 0) is None
    # The demo has readers who see some plans and not others, and providers who see none.
    assert {(User.Role.LEAD_OFFICER, True), (User.Role.LEAD_OFFICER, False)} <= checked
    assert (User.Role.PROVIDER_ADMIN, False) in checked
