"""The API does what its OpenAPI description says: schemathesis calls every endpoint with values
drawn from the description (ids, pages, filters, good and bad), as a council's administrator's
token with every scope over a small demo-like council, and every answer must be one the
description lists, in the shape it gives, and never a server error. And the description itself
is generated without a warning."""

import datetime as dt
import io

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings

from equality_plans.models import Mitigation, Objective
from sla_monitor import api_tokens
from sla_monitor.models import ApiScope, User
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgreementFactory,
    AssessmentFactory,
    CouncilFactory,
    EqualityStrandFactory,
    FundFactory,
    ProgressUpdateFactory,
    SectionFactory,
    UserFactory,
)

# Generating the description asks nothing of the database, so it is read once, as collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _requests_keep_the_test_connection():
    """The WSGI handler closes the database connection after each request, as a server should;
    inside a test that would close the test's own transaction (PostgreSQL's connection is not
    kept as SQLite's in-memory one is). Django's test client stops the same signals."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def council_api(db):
    """A council with a fund, an agreement, a plan with actions and progress, an assessment
    with a mitigation that became an action; and its administrator's token with every scope.
    Returns the token's header and an id of each kind of thing it reads."""
    admin = UserFactory(organisation=CouncilFactory(), role=User.Role.ADMIN)
    council = admin.organisation
    fund = FundFactory(council=council)
    AgreementFactory(funder=council)
    plan = ActionPlanFactory(owner=council)
    plan.partner_councils.add(CouncilFactory())
    section = SectionFactory(plan=plan, number="1")
    Objective.objects.create(section=section, number="1.1", title="Know our communities")
    action = ActionFactory(section=section, owner=admin)
    action.strands.add(EqualityStrandFactory(code="D", name="Disability"))
    ActionFactory(section=section, due_date=None)
    update = ProgressUpdateFactory(action=action)
    ProgressUpdateFactory(action=action, quarter=None, is_year_end=True, rag_status="completed")
    assessment = AssessmentFactory(council=council)
    Mitigation.objects.create(assessment=assessment, wording="Meet nearby", action=action)
    _, secret = api_tokens.create_token(
        by=admin,
        name="Contract test",
        scopes=list(ApiScope.values),
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    return {
        "headers": {"Authorization": f"Bearer {secret}"},
        "ids": {
            "/api/v1/funds/{id}/": fund.pk,
            "/api/v1/plans/{id}/": plan.pk,
            "/api/v1/actions/{id}/": action.pk,
            "/api/v1/progress/{id}/": update.pk,
            "/api/v1/assessments/{id}/": assessment.pk,
        },
    }


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_is_one_the_description_gives(case, council_api):
    case.call_and_validate(headers=council_api["headers"], checks=CHECKS)
    # Drawn ids are almost never a real one: read a real one too, to check a found thing's shape.
    known = council_api["ids"].get(case.path)
    if known is not None:
        case.path_parameters = {**(case.path_parameters or {}), "id": known}
        case.call_and_validate(headers=council_api["headers"], checks=CHECKS)


def test_the_description_of_the_plans_endpoints_has_no_warnings(tmp_path):
    out = tmp_path / "openapi.yaml"
    # --fail-on-warn turns any warning into an error (SchemaGenerationError).
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=io.StringIO()
    )

    described = out.read_text()
    for path in ("/api/v1/plans/", "/api/v1/actions/", "/api/v1/progress/", "/api/v1/assessments/"):
        assert f"{path}:" in described
