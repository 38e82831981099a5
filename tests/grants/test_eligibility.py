"""A fund's eligible types of organisation are choices, checked wherever an agreement is set up,
imported, changed or varied; its old wording is kept beside them."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from grants.models import Fund
from sla_monitor.models import Organisation
from tests.factories import (
    AgreementFactory,
    CouncilFactory,
    FundFactory,
    ProviderFactory,
    UserFactory,
)
from tests.grants.test_agreement_import import check, workbook
from tests.grants.test_agreement_setup import URL, details, step

pytestmark = pytest.mark.django_db
HEADINGS = ["Reference", "Title", "Provider", "Fund", "Start date", "End date", "Total allocation"]
ONE_YEAR = ["2030-04-01", "2031-03-31"]
Type = Organisation.Type

migration = importlib.import_module("grants.migrations.0018_budgets_and_eligibility")


@pytest.mark.parametrize(
    ("text", "types"),
    [
        (
            "Voluntary and community organisations serving the borough.",
            ["charity", "cio", "cic", "community_group"],
        ),
        ("Registered charities only", ["charity", "cio"]),
        (
            "Statutory and/or voluntary organisations",
            ["charity", "cio", "community_group", "other"],
        ),
        ("Companies limited by guarantee", ["company"]),
        ("Anyone", []),
    ],
)
def test_the_old_wording_is_read_into_types_by_its_words(text, types):
    assert migration.types_named(text) == types


def test_the_migration_keeps_the_old_wording_and_sets_the_types():
    fund = FundFactory(eligibility="Registered charities and CICs")
    migration.types_from_eligibility(apps, None)

    fund.refresh_from_db()
    assert fund.eligible_organisation_types == ["charity", "cio", "cic"]
    assert fund.eligibility == "Registered charities and CICs"


@pytest.fixture
def setting_up(db):
    council = CouncilFactory(name="Kettering Borough Council", short_code="KBC")
    officer = UserFactory(lead_officer=True, organisation=council)
    company = ProviderFactory(name="Cohesion Ltd", organisation_type=Type.COMPANY)
    fund = FundFactory(
        council=council,
        name="Community Chest",
        budget=Decimal("500000"),
        maximum_award=Decimal("100000"),
        start_date=dt.date(2027, 4, 1),
        end_date=dt.date(2031, 3, 31),
        eligible_organisation_types=[Type.CHARITY, Type.CIO],
    )
    return council, officer, company, fund


def test_setting_up_with_a_provider_the_fund_does_not_allow_is_refused_beside_it(
    setting_up, client
):
    council, officer, company, fund = setting_up
    client.force_login(officer)
    client.get(URL)

    response = step(client, "details", details(council, company, officer, fund=fund.pk))

    errors = response.context["wizard"]["form"].errors
    assert errors["provider"] == [
        "Cohesion Ltd is a company limited by guarantee or by shares, and the Community Chest "
        "fund awards only to these types of organisation: registered charity, charitable "
        "incorporated organisation (cio or scio)."
    ]


def test_a_provider_with_no_type_recorded_is_refused_until_it_is(setting_up, client):
    council, officer, _, fund = setting_up
    unknown = ProviderFactory(name="New Group")
    client.force_login(officer)
    client.get(URL)

    response = step(client, "details", details(council, unknown, officer, fund=fund.pk))

    [message] = response.context["wizard"]["form"].errors["provider"]
    assert "New Group has no type of organisation recorded: record it first." in message


def test_setting_up_above_the_funds_maximum_award_is_refused_beside_it(setting_up, client):
    council, officer, _, fund = setting_up
    charity = ProviderFactory(organisation_type=Type.CHARITY)
    client.force_login(officer)
    client.get(URL)

    response = step(
        client,
        "details",
        details(council, charity, officer, fund=fund.pk, total_allocation="100000.01"),
    )

    assert response.context["wizard"]["form"].errors["total_allocation"] == [
        "£100,000.01 is more than the Community Chest maximum award of £100,000.00."
    ]


def test_a_fund_with_no_types_ticked_allows_every_type(setting_up):
    council, officer, company, fund = setting_up
    Fund.objects.filter(pk=fund.pk).update(eligible_organisation_types=[])
    fund.refresh_from_db()
    agreement = AgreementFactory.build(
        funder=council, provider=company, fund=fund, lead_officer=officer
    )

    agreement.clean()


def test_changing_an_agreements_provider_to_one_the_fund_does_not_allow_is_refused(setting_up):
    council, officer, company, fund = setting_up
    agreement = AgreementFactory(
        funder=council,
        provider=ProviderFactory(organisation_type=Type.CHARITY),
        fund=fund,
        lead_officer=officer,
        start_date=dt.date(2027, 4, 1),
        end_date=dt.date(2028, 3, 31),
    )
    agreement.provider = company

    with pytest.raises(ValidationError) as refused:
        agreement.full_clean()
    assert "Community Chest fund awards only to" in refused.value.message_dict["provider"][0]


def test_importing_an_agreement_with_a_provider_the_fund_does_not_allow_is_refused(db):
    council = CouncilFactory(name="Kettering Borough Council", short_code="KBC")
    officer = UserFactory(lead_officer=True, organisation=council, username="officer")
    ProviderFactory(name="Cohesion Ltd", organisation_type=Type.COMPANY)
    FundFactory(
        council=council,
        name="Community Chest",
        budget=Decimal("500000"),
        start_date=dt.date(2030, 4, 1),
        end_date=dt.date(2031, 3, 31),
        eligible_organisation_types=[Type.CHARITY],
    )
    book = workbook(
        {
            "Agreements": [
                [
                    "Reference",
                    "Title",
                    "Provider",
                    "Fund",
                    "Start date",
                    "End date",
                    "Total allocation",
                ],
                [
                    "KBC-1",
                    "Service",
                    "Cohesion Ltd",
                    "Community Chest",
                    "2030-04-01",
                    "2031-03-31",
                    "1000",
                ],
            ]
        }
    )

    problems = check(council, officer, book)[0].problems

    assert [(p.row, p.message) for p in problems] == [
        (
            2,
            "Cohesion Ltd is a company limited by guarantee or by shares, and the Community "
            "Chest fund awards only to these types of organisation: registered charity.",
        )
    ]


def test_the_demo_funds_allow_the_demo_providers():
    from grants.seeds import KETTERING_FUND, LEICESTER_FUND

    for fund in (KETTERING_FUND, LEICESTER_FUND):
        assert Type.CHARITY in fund["eligible_organisation_types"]
