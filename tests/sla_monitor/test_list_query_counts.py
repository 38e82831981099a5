"""Lists not covered beside their features: the same number of queries for few rows and many."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants import services
from grants.models import FundTheme
from tests.factories import ActionPlanFactory, AgreementFactory, FundFactory, UserFactory

pytestmark = pytest.mark.django_db


def _funds(officer, count: int) -> None:
    for _ in range(count):
        fund = FundFactory(council=officer.organisation, budget=Decimal("900000"))
        agreement = AgreementFactory(funder=officer.organisation, fund=fund)
        services.create_instalment_schedule(agreement=agreement)


def test_fund_list_with_2_and_40_funds(client, same_queries):
    officer = UserFactory(lead_officer=True)
    client.force_login(officer)
    _funds(officer, 2)

    counted = same_queries(
        lambda: client.get(reverse("grants:fund_list")), grow=lambda: _funds(officer, 38)
    )

    assert len(counted.result.context["funds"]) == 40


def test_fund_page_with_2_and_40_awards_and_themes(client, same_queries):
    officer = UserFactory(lead_officer=True)
    client.force_login(officer)
    fund = FundFactory(council=officer.organisation, budget=Decimal("900000"))

    def awards(count: int) -> None:
        for n in range(count):
            agreement = AgreementFactory(funder=officer.organisation, fund=fund)
            services.create_instalment_schedule(agreement=agreement)
            FundTheme.objects.create(fund=fund, order=fund.themes.count() + 1, name=f"Theme {n}")

    awards(2)

    counted = same_queries(
        lambda: client.get(reverse("grants:fund_detail", args=[fund.pk])), grow=lambda: awards(38)
    )

    assert len(counted.result.context["agreements"]) == len(counted.result.context["themes"]) == 40


def test_plan_list_with_2_and_40_plans(client, same_queries):
    owner = UserFactory(action_owner=True)
    client.force_login(owner)
    ActionPlanFactory.create_batch(2, owner=owner.organisation)

    counted = same_queries(
        lambda: client.get(reverse("equality_plans:plan_list")),
        grow=lambda: ActionPlanFactory.create_batch(38, owner=owner.organisation),
    )

    assert len(counted.result.context["plans"]) == 40
