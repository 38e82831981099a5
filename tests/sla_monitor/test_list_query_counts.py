"""Lists not covered beside their features: the same number of queries for few rows and many."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants import services
from tests.factories import ActionPlanFactory, AgreementFactory, FundFactory, UserFactory

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_fund_list_with_2_and_40_funds(client):
    officer = UserFactory(lead_officer=True)
    client.force_login(officer)
    counts = []
    for size in (2, 38):
        for _ in range(size):
            fund = FundFactory(council=officer.organisation, budget=Decimal("900000"))
            agreement = AgreementFactory(funder=officer.organisation, fund=fund)
            services.create_instalment_schedule(agreement=agreement)
        counts.append(queries(client, reverse("grants:fund_list")))
    assert counts[0] == counts[1]


def test_plan_list_with_2_and_40_plans(client):
    owner = UserFactory(action_owner=True)
    client.force_login(owner)
    counts = []
    for size in (2, 38):
        for _ in range(size):
            ActionPlanFactory(owner=owner.organisation)
        counts.append(queries(client, reverse("equality_plans:plan_list")))
    assert counts[0] == counts[1]


def test_audit_log_with_few_and_many_events(funded, client):
    admin = UserFactory(superuser=True, username="root")
    client.force_login(admin)
    funded.submitted(quarter=1)
    few = queries(client, reverse("oversight:audit_log"))
    for quarter in (2, 3, 4):
        funded.submitted(quarter=quarter)
    many = queries(client, reverse("oversight:audit_log"))

    assert few == many
