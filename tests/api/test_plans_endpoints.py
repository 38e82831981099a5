"""The read API's equality plans: a council's token reads the plans its staff read on the pages
(its own, those it is a partner in, those its funded agreements deliver), their actions and
progress, and its own assessments, every version; nobody else's, never a provider, never
without the `plans` scope; filters that say no to a bad value; a fixed number of queries a page;
an ETag on every answer."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from equality_plans.models import Mitigation, Objective
from sla_monitor import api_tokens
from sla_monitor.models import TOKEN_PREFIX, ApiScope, ApiToken, User, token_digest
from tests.conftest import move_queued_versions
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AssessmentFactory,
    CouncilFactory,
    EqualityStrandFactory,
    ProgressUpdateFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _admin(council=None):
    return UserFactory(organisation=council or CouncilFactory(), role=User.Role.ADMIN)


def _secret(by, scopes=("plans",)):
    _, secret = api_tokens.create_token(
        by=by,
        name=f"Dashboard reading {' and '.join(scopes)}",
        scopes=list(scopes),
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    return secret


def _get(client, secret, path, **params):
    return client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def council():
    """A council with a plan (a section, an objective, an overdue action and one done, with
    progress), a plan it is a partner in, an assessment in two versions; and another council's
    plan and assessment."""
    admin = _admin()
    own = admin.organisation
    disability = EqualityStrandFactory(code="D", name="Disability")
    race = EqualityStrandFactory(code="R", name="Race")
    plan = ActionPlanFactory(owner=own, title="Equality Action Plan")
    section = SectionFactory(plan=plan, number="1", title="Knowing our communities")
    objective = Objective.objects.create(section=section, number="1.1", title="Data")
    overdue = ActionFactory(section=section, objective=objective, number="1", owner=admin)
    overdue.strands.add(disability)
    done = ActionFactory(section=section, number="2", due_date=dt.date(2016, 3, 31))
    done.strands.add(race)
    ProgressUpdateFactory(action=overdue, financial_year=2015, quarter=1, rag_status="red")
    ProgressUpdateFactory(action=done, financial_year=2015, quarter=2, rag_status="completed")
    ProgressUpdateFactory(action=done, financial_year=2016, quarter=1, rag_status="completed")

    partner_plan = ActionPlanFactory(title="Shared Cohesion Plan")
    partner_plan.partner_councils.add(own)
    ActionFactory(section=SectionFactory(plan=partner_plan), number="1")

    first = AssessmentFactory(council=own, number=7, status="reviewed")
    review = AssessmentFactory(council=own, number=7, version=2, previous=first)
    Mitigation.objects.create(assessment=review, wording="Hold the sessions nearby", action=done)

    elsewhere = ActionPlanFactory(title="Another council's plan")
    ActionFactory(section=SectionFactory(plan=elsewhere), number="1")
    AssessmentFactory(title="Another council's assessment")
    return {
        "admin": admin,
        "secret": _secret(admin),
        "plan": plan,
        "partner_plan": partner_plan,
        "section": section,
        "overdue": overdue,
        "done": done,
        "assessments": [first, review],
    }


def test_a_council_reads_its_plans_and_those_it_is_a_partner_in(client, council):
    response = _get(client, council["secret"], "/api/v1/plans/")

    assert response.status_code == 200
    plans = {p["title"]: p for p in response.json()["results"]}
    assert set(plans) == {"Equality Action Plan", "Shared Cohesion Plan"}
    own = plans["Equality Action Plan"]
    assert own["owner"] == council["admin"].organisation.short_code
    assert own["sections"][0]["title"] == "Knowing our communities"
    assert own["sections"][0]["objectives"][0]["number"] == "1.1"
    shared = plans["Shared Cohesion Plan"]
    assert shared["partner_councils"] == [council["admin"].organisation.short_code]


def test_another_councils_plan_is_not_found(client, council):
    hidden = ActionPlanFactory(title="Hidden")

    response = _get(client, council["secret"], f"/api/v1/plans/{hidden.pk}/")

    assert response.status_code == 404


def test_actions_carry_their_latest_rag_and_whether_they_are_overdue(client, council):
    response = _get(client, council["secret"], "/api/v1/actions/", plan=council["plan"].pk)

    assert response.status_code == 200
    actions = {a["number"]: a for a in response.json()["results"]}
    assert actions["1"]["latest_rag"] == "red"
    assert actions["1"]["overdue"] is True
    assert actions["1"]["strands"] == ["D"]
    assert actions["1"]["owner_name"] == council["admin"].get_full_name()
    assert actions["2"]["latest_rag"] == "completed"
    assert actions["2"]["overdue"] is False


def test_actions_are_read_across_every_visible_plan_and_no_other(client, council):
    response = _get(client, council["secret"], "/api/v1/actions/")

    plans = {a["plan"] for a in response.json()["results"]}
    assert plans == {council["plan"].pk, council["partner_plan"].pk}


@pytest.mark.parametrize(
    "params, numbers",
    [
        ({"overdue": "true"}, ["1"]),
        ({"overdue": "false"}, ["2"]),
        ({"strand": "R"}, ["2"]),
        ({"section": "section"}, ["1", "2"]),
    ],
)
def test_actions_filter_as_the_plans_page_does(client, council, params, numbers):
    if params.get("section") == "section":
        params = {"section": council["section"].pk}
    params["plan"] = council["plan"].pk

    response = _get(client, council["secret"], "/api/v1/actions/", **params)

    assert [a["number"] for a in response.json()["results"]] == numbers


def test_an_action_for_all_strands_is_found_under_every_strand(client, council):
    everyone = EqualityStrandFactory(code="ALL", name="All strands", covers_all=True)
    council["overdue"].strands.set([everyone])

    response = _get(
        client, council["secret"], "/api/v1/actions/", plan=council["plan"].pk, strand="R"
    )

    assert [a["number"] for a in response.json()["results"]] == ["1", "2"]


def test_progress_is_read_by_financial_year(client, council):
    response = _get(client, council["secret"], "/api/v1/progress/", financial_year=2016)

    updates = response.json()["results"]
    assert [(u["action"], u["quarter"], u["rag_status"]) for u in updates] == [
        (council["done"].pk, 1, "completed")
    ]
    assert updates[0]["created_at"]


def test_assessments_are_the_councils_own_every_version(client, council):
    response = _get(client, council["secret"], "/api/v1/assessments/")

    assessments = response.json()["results"]
    assert [a["reference"] for a in assessments] == ["EqIA 7", "EqIA 7.2"]
    review = assessments[1]
    assert review["mitigations"] == [
        {"group": "", "wording": "Hold the sessions nearby", "action": council["done"].pk}
    ]
    assert review["groups"][0]["group"] and review["groups"][0]["name"]
    assert {"relevant", "relevance", "impact", "explanation"} <= set(review["groups"][0])


def test_assessments_filter_by_status(client, council):
    response = _get(client, council["secret"], "/api/v1/assessments/", status="reviewed")

    assert [a["reference"] for a in response.json()["results"]] == ["EqIA 7"]


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/v1/actions/", {"overdue": "maybe"}),
        ("/api/v1/actions/", {"strand": "NOT-A-STRAND"}),
        ("/api/v1/actions/", {"plan": "first"}),
        ("/api/v1/progress/", {"financial_year": "2015-16"}),
        ("/api/v1/assessments/", {"status": "approved"}),
    ],
)
def test_a_bad_filter_value_is_a_400_that_names_the_filter(client, council, path, params):
    response = _get(client, council["secret"], path, **params)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_a_partner_council_reads_the_shared_plan_but_not_the_owners_assessments(client, council):
    """What `visible_plans` gives a partner: the plan, its actions and their progress; never the
    owning council's assessments (`visible_assessments` is a council's own)."""
    partner = _admin()
    council["plan"].partner_councils.add(partner.organisation)
    secret = _secret(partner)

    plans = _get(client, secret, "/api/v1/plans/").json()["results"]
    actions = _get(client, secret, "/api/v1/actions/").json()["results"]
    assessments = _get(client, secret, "/api/v1/assessments/").json()["results"]

    assert [p["title"] for p in plans] == ["Equality Action Plan"]
    assert {a["plan"] for a in actions} == {council["plan"].pk}
    assert assessments == []


def test_a_token_without_the_plans_scope_is_refused(client, council):
    secret = _secret(council["admin"], scopes=["grants"])

    response = _get(client, secret, "/api/v1/plans/")

    assert response.status_code == 403
    assert "may not read plans" in response.json()["detail"]


def test_a_provider_cannot_make_a_plans_token_and_one_that_held_the_scope_is_refused(
    client, council
):
    provider_admin = UserFactory(role=User.Role.PROVIDER_ADMIN)
    assert api_tokens.scopes_for(provider_admin) == [ApiScope.GRANTS]
    with pytest.raises(ValidationError):
        _secret(provider_admin, scopes=["plans"])
    # Written straight into the database, as no page or service would.
    secret = TOKEN_PREFIX + "provider-with-plans"
    ApiToken.objects.create(
        organisation=provider_admin.organisation,
        name="Forged",
        scopes=[ApiScope.PLANS],
        prefix=secret[:10],
        digest=token_digest(secret),
        created_by=provider_admin,
        expires_on=timezone.localdate() + dt.timedelta(days=1),
    )

    for path in ("/api/v1/plans/", "/api/v1/actions/", "/api/v1/assessments/"):
        assert _get(client, secret, path).status_code == 403


def _queries(client, secret, path):
    # What earlier writes moved is moved when they commit, not by the request counted here.
    move_queued_versions()
    with CaptureQueriesContext(connection) as queries:
        assert _get(client, secret, path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path", ["/api/v1/plans/", "/api/v1/actions/", "/api/v1/progress/", "/api/v1/assessments/"]
)
def test_a_page_costs_the_same_queries_however_many_rows_it_has(client, council, path):
    _queries(client, council["secret"], path)  # the token's last use is written once a minute
    few = _queries(client, council["secret"], path)
    for number in range(3, 8):
        plan = ActionPlanFactory(owner=council["admin"].organisation)
        section = SectionFactory(plan=plan)
        Objective.objects.create(section=section, number=f"{number}.1")
        action = ActionFactory(section=section, number=str(number), owner=_admin())
        action.strands.add(EqualityStrandFactory(code=f"S{number}", name=f"Strand {number}"))
        ProgressUpdateFactory(action=action)
        assessment = AssessmentFactory(council=council["admin"].organisation)
        Mitigation.objects.create(assessment=assessment, wording="Do more", action=action)

    assert _queries(client, council["secret"], path) == few


def test_an_unchanged_page_is_a_304(client, council):
    first = _get(client, council["secret"], "/api/v1/actions/")

    again = client.get(
        "/api/v1/actions/",
        HTTP_AUTHORIZATION=f"Bearer {council['secret']}",
        HTTP_IF_NONE_MATCH=first["ETag"],
    )

    assert again.status_code == 304


def test_an_action_with_no_due_date_is_not_overdue(client, council):
    ActionFactory(section=council["section"], number="3", due_date=None)

    response = _get(client, council["secret"], "/api/v1/actions/", plan=council["plan"].pk)

    assert {a["number"]: a["overdue"] for a in response.json()["results"]}["3"] is False


def test_an_address_under_the_api_that_is_no_endpoint_is_a_json_404(client, council):
    response = _get(client, council["secret"], "/api/v1/plans/first/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
