"""The home page as a to-do list for the equality plans: on 10 November 2025 an action owner owes
an update on Q2 2025/26 for each action of theirs that has none; on 10 May 2026 the Q4 update and
the year-end report of 2025/26. Plans are links, and a plan manager sees the overdue actions of
their council's plans."""

import datetime as dt

import pytest
from django.urls import reverse

from equality_plans import selectors
from sla_monitor.models import User
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ProgressUpdateFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOVEMBER = dt.date(2025, 11, 10)
MAY = dt.date(2026, 5, 10)


@pytest.fixture
def owned(db):
    plan = ActionPlanFactory(
        title="Kingston plan", start_date=dt.date(2025, 4, 1), end_date=dt.date(2027, 3, 31)
    )
    section = SectionFactory(plan=plan)
    owner = UserFactory(role=User.Role.ACTION_OWNER, organisation=plan.owner)
    due = dt.date(2025, 9, 30)

    def action(number: str, **kwargs):
        return ActionFactory(section=section, number=number, owner=owner, due_date=due, **kwargs)

    owes = action("1", wording="Publish the pay gap")
    reported = action("2", wording="Train the panel")
    ProgressUpdateFactory(action=reported, financial_year=2025, quarter=2, author=owner)
    done = action("3", wording="Adopt the policy")
    ProgressUpdateFactory(
        action=done, financial_year=2025, quarter=1, rag_status="completed", author=owner
    )
    ActionFactory(section=section, number="4", wording="Someone else's action")
    elsewhere = ActionPlanFactory(
        title="Another council's plan",
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2027, 3, 31),
    )
    ActionFactory(section=SectionFactory(plan=elsewhere), number="1", wording="Not theirs")
    return {"plan": plan, "owner": owner, "owes": owes, "reported": reported, "done": done}


def test_an_action_owner_owes_an_update_on_the_quarter_just_ended_for_each_action_without_one(
    owned,
):
    due = selectors.progress_due(owned["owner"], NOVEMBER)

    assert due.quarter_label == "Q2 2025/26"
    assert [a.wording for a in due.updates] == ["Publish the pay gap"]
    assert due.updates[0].overdue
    assert due.year_end_reports == []


def test_after_the_year_ends_the_year_end_report_is_due_too(owned):
    ProgressUpdateFactory(
        action=owned["reported"], financial_year=2025, quarter=4, author=owned["owner"]
    )

    due = selectors.progress_due(owned["owner"], MAY)

    assert due.quarter_label == "Q4 2025/26"
    assert due.year_end_label == "2025/26"
    assert [a.number for a in due.updates] == ["1"]
    assert [a.number for a in due.year_end_reports] == ["1", "2"]


def test_nobody_else_owes_the_owners_updates(owned):
    manager = UserFactory(role=User.Role.PLAN_MANAGER, organisation=owned["plan"].owner)
    provider = UserFactory()

    for user in (manager, provider):
        assert selectors.progress_due(user, NOVEMBER).count == 0


def test_the_action_owners_home_links_each_action_they_owe_and_each_plan(
    owned, client, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: NOVEMBER)
    client.force_login(owned["owner"])

    page = client.get(reverse("oversight:home")).content.decode()

    action_url = reverse("equality_plans:action_detail", args=[owned["plan"].pk, owned["owes"].pk])
    plan_url = reverse("equality_plans:plan_detail", args=[owned["plan"].pk])
    assert "Progress updates you owe for Q2 2025/26" in page
    assert f'href="{action_url}"' in page
    assert "Train the panel" not in page and "Not theirs" not in page
    assert f'<a href="{plan_url}">Kingston plan</a>' in page
    assert page.index("What to do next") < page.index("Equality action plans")


def test_a_plan_manager_home_links_their_plans_overdue_actions(owned, client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: NOVEMBER)
    client.force_login(UserFactory(role=User.Role.PLAN_MANAGER, organisation=owned["plan"].owner))

    page = client.get(reverse("oversight:home")).content.decode()

    overdue_url = reverse("equality_plans:plan_detail", args=[owned["plan"].pk]) + "?overdue=true"
    assert f'href="{overdue_url}"' in page
    assert "Another council" not in page


def test_the_action_owners_home_runs_the_same_queries_for_few_and_many_actions(
    owned, client, same_queries
):
    client.force_login(owned["owner"])
    section = owned["owes"].section

    def more():
        for n in range(20):
            action = ActionFactory(section=section, number=f"x{n}", owner=owned["owner"])
            ProgressUpdateFactory(action=action, financial_year=2025, quarter=1)

    same_queries(lambda: client.get(reverse("oversight:home")), grow=more)
