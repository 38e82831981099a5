"""The read API's grants endpoints (agreements, returns, instalments, payment runs, variations):
each token reads its own organisation's rows and no other's, beneficiary figures only as
published, filters that refuse a bad value with a 400, pages of a fixed cost, and ETags."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from grants import stored
from grants.models import (
    Agreement,
    IndicatorAnswer,
    IndicatorTarget,
    InKindContribution,
    PaymentInstalment,
    PaymentRun,
    PaymentRunLine,
    RequirementAnswer,
    Variation,
)
from sla_monitor import api_tokens
from sla_monitor.models import ApiToken, User
from tests.factories import (
    AgreementFactory,
    BeneficiaryFiguresFactory,
    CouncilFactory,
    FundFactory,
    MinimumRequirementFactory,
    PaymentInstalmentFactory,
    PerformanceIndicatorFactory,
    ProviderFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = ["agreements", "returns", "instalments", "payment-runs", "variations"]
SCOPE = {
    "agreements": "grants",
    "returns": "grants",
    "variations": "grants",
    "instalments": "payments",
    "payment-runs": "payments",
}


def _admin(organisation, role=User.Role.ADMIN):
    return UserFactory(organisation=organisation, role=role)


def _secret(user, scopes=("grants", "payments")):
    _, secret = api_tokens.create_token(
        by=user,
        name="Finance system",
        scopes=list(scopes),
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    return secret


def _get(client, secret, path, **headers):
    return client.get(f"/api/v1/{path}", HTTP_AUTHORIZATION=f"Bearer {secret}", **headers)


def _funded(council, provider, *, people=13, counts=None):
    """An agreement of the council with the provider, with a return answering its indicator and
    requirement and giving its people reached, an instalment paid in a run, and a variation."""
    agreement = AgreementFactory(funder=council, provider=provider)
    indicator = PerformanceIndicatorFactory(agreement=agreement, code="a")
    IndicatorTarget.objects.create(
        indicator=indicator,
        financial_year=2025,
        target=Decimal("4"),
        q1=Decimal("4"),
        q2=Decimal("4"),
        q3=Decimal("4"),
        q4=Decimal("4"),
    )
    requirement = MinimumRequirementFactory(agreement=agreement, number=1)
    InKindContribution.objects.create(agreement=agreement, description="Desk space")
    quarterly_return = QuarterlyReturnFactory(
        agreement=agreement, period=ReportingPeriodFactory(financial_year=2025, quarter=1)
    )
    IndicatorAnswer.objects.create(
        quarterly_return=quarterly_return, indicator=indicator, actual_value=Decimal("4")
    )
    RequirementAnswer.objects.create(
        quarterly_return=quarterly_return, requirement=requirement, met=True
    )
    BeneficiaryFiguresFactory(
        quarterly_return=quarterly_return,
        people_reached=people,
        counts={"sex": counts or {"female": 3, "male": people - 3}},
    )
    officer = _admin(council, User.Role.LEAD_OFFICER)
    instalment = PaymentInstalmentFactory(
        agreement=agreement,
        status=PaymentInstalment.Status.RELEASED,
        decided_by=officer,
        decided_at=timezone.now(),
        depends_on_period=ReportingPeriodFactory(financial_year=2025, quarter=1),
    )
    run = PaymentRun.objects.create(
        council=council,
        number=PaymentRun.objects.filter(council=council).count() + 1,
        created_by=officer,
    )
    PaymentRunLine.objects.create(run=run, instalment=instalment)
    Variation.objects.create(
        agreement=agreement,
        number=1,
        status=Variation.Status.AWAITING_ACCEPTANCE,
        reason="The service moves to a bigger hall.",
        new_total_allocation=Decimal("120000.00"),
    )
    return agreement


def _rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _agreements_of(rows, endpoint):
    """The agreement references the rows are of."""
    if endpoint == "agreements":
        return {row["reference"] for row in rows}
    if endpoint == "payment-runs":
        return {line["agreement"] for row in rows for line in row["lines"]}
    return {row["agreement"] for row in rows}


@pytest.fixture
def shared():
    """Two councils funding one provider, and another provider of council A's."""
    provider = ProviderFactory()
    council_a, council_b = CouncilFactory(), CouncilFactory()
    return {
        "provider": provider,
        "a": _funded(council_a, provider),
        "b": _funded(council_b, provider),
        "other": _funded(council_a, ProviderFactory()),
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_council_reads_its_own_rows_and_not_another_councils_of_a_shared_provider(
    client, shared, endpoint
):
    secret = _secret(_admin(shared["b"].funder))

    rows = _rows(_get(client, secret, f"{endpoint}/"))

    assert _agreements_of(rows, endpoint) == {shared["b"].reference}
    others = {
        "agreements": shared["a"].reference,
        "returns": shared["a"].returns.get().pk,
        "instalments": shared["a"].instalments.get().pk,
        "payment-runs": PaymentRun.objects.filter(council=shared["a"].funder).first().pk,
        "variations": shared["a"].variations.get().pk,
    }
    assert _get(client, secret, f"{endpoint}/{others[endpoint]}/").status_code == 404


@pytest.mark.parametrize("endpoint", ["agreements", "returns", "variations"])
def test_a_providers_token_reads_its_own_agreements_from_every_council_and_no_one_elses(
    client, shared, endpoint
):
    secret = _secret(_admin(shared["provider"], User.Role.PROVIDER_ADMIN), scopes=["grants"])

    rows = _rows(_get(client, secret, f"{endpoint}/"))

    assert _agreements_of(rows, endpoint) == {shared["a"].reference, shared["b"].reference}


def test_a_provider_never_reads_payments_nor_who_signed_them_off(client, shared):
    admin = _admin(shared["provider"], User.Role.PROVIDER_ADMIN)
    secret = _secret(admin, scopes=["grants"])
    assert _get(client, secret, "instalments/").status_code == 403
    # Even a token somehow given the payments scope reads none of them.
    ApiToken.objects.filter(created_by=admin).update(scopes=["grants", "payments"])

    assert _rows(_get(client, secret, "instalments/")) == []
    assert _rows(_get(client, secret, "payment-runs/")) == []


def test_the_council_reads_who_signed_a_payment_off(client, shared):
    secret = _secret(_admin(shared["a"].funder))

    rows = _rows(_get(client, secret, "instalments/"))

    instalment = next(row for row in rows if row["agreement"] == shared["a"].reference)
    assert instalment["signoff"]["decided_by"]
    assert instalment["released_at"]
    assert instalment["waits_for"] == {
        "financial_year": 2025,
        "financial_year_label": "2025/26",
        "quarter": 1,
        "label": "Q1 2025/26",
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_token_without_the_scope_is_refused(client, shared, endpoint):
    other = {"grants": ["payments"], "payments": ["grants"]}[SCOPE[endpoint]]
    secret = _secret(_admin(shared["a"].funder), scopes=other)

    response = _get(client, secret, f"{endpoint}/")

    assert response.status_code == 403
    assert SCOPE[endpoint] in response.json()["detail"]


def test_an_agreement_reads_with_its_terms_and_indicators_targets(client, shared):
    secret = _secret(_admin(shared["a"].funder))

    agreement = _get(client, secret, f"agreements/{shared['a'].reference}/").json()

    assert agreement["provider"]["charity_number"] == shared["provider"].charity_number
    assert agreement["amount"] == "100000.00"
    assert agreement["minimum_requirements"][0]["number"] == 1
    assert agreement["in_kind_support"] == [{"description": "Desk space", "condition": ""}]
    (indicator,) = agreement["performance_indicators"]
    assert indicator["targets"][0]["profile"] == ["4.00", "4.00", "4.00", "4.00"]


def test_a_return_gives_each_answers_rag_and_only_published_figures(client, db):
    council, provider = CouncilFactory(), ProviderFactory()
    agreement = _funded(council, provider, people=3, counts={"female": 3})
    answer = IndicatorAnswer.objects.get(quarterly_return__agreement=agreement)
    secret = _secret(_admin(council))

    (row,) = _rows(_get(client, secret, "returns/"))

    assert row["indicator_answers"][0]["rag"] == "green"
    figures = row["beneficiaries"]
    assert figures["people_reached"] in (0, 5)
    assert [c["people"] for c in figures["counts"]] == [figures["people_reached"]]
    # The provider's own token reads them as published too.
    provider_secret = _secret(_admin(provider, User.Role.PROVIDER_ADMIN), scopes=["grants"])
    (own,) = _rows(_get(client, provider_secret, "returns/"))
    assert own["beneficiaries"] == figures
    # Below its target, the answer is red.
    answer.actual_value = Decimal("1")
    answer.save()
    stored.refresh_agreement(agreement)
    (row,) = _rows(_get(client, secret, "returns/"))
    assert row["indicator_answers"][0]["rag"] == "red"


def test_no_count_of_one_to_four_people_is_ever_given(client, db):
    council = CouncilFactory()
    for people in range(1, 15):
        _funded(council, ProviderFactory(), people=people, counts={"female": people})
    secret = _secret(_admin(council))

    rows = _rows(_get(client, secret, "returns/"))

    figures = [row["beneficiaries"] for row in rows]
    given = [f["people_reached"] for f in figures] + [
        c["people"] for f in figures for c in f["counts"]
    ]
    assert len(given) == 28
    assert all(n % 5 == 0 for n in given)
    assert "people_reached_published" not in json.dumps(rows)


def test_filters_narrow_the_lists(client, db):
    council, provider = CouncilFactory(), ProviderFactory()
    fund = FundFactory(council=council)
    old = AgreementFactory(
        funder=council,
        provider=provider,
        fund=fund,
        start_date=dt.date(2020, 4, 1),
        end_date=dt.date(2022, 3, 31),
        status=Agreement.Status.ENDED,
    )
    new = AgreementFactory(funder=council, provider=provider)
    for quarter in (1, 2):
        QuarterlyReturnFactory(
            agreement=new,
            period=ReportingPeriodFactory(financial_year=2025, quarter=quarter),
            status="submitted" if quarter == 2 else "draft",
        )
    secret = _secret(_admin(council))

    def references(query):
        return [row["reference"] for row in _rows(_get(client, secret, f"agreements/?{query}"))]

    def quarters(query):
        rows = _rows(_get(client, secret, f"returns/?{query}"))
        return [row["period"]["quarter"] for row in rows]

    assert references(f"fund={fund.pk}") == [old.reference]
    assert references("status=ended") == [old.reference]
    assert references("active=true") == [new.reference]
    assert references("financial_year=2021") == [old.reference]
    assert references("financial_year=2022") == []
    assert references("financial_year=2025") == [new.reference]
    assert quarters("quarter=2") == [2]
    assert quarters("status=draft") == [1]
    assert quarters(f"agreement={new.reference}&financial_year=2025") == [2, 1]
    assert quarters(f"agreement={old.reference}") == []


@pytest.mark.parametrize(
    "path, name",
    [
        ("agreements/?financial_year=next", "financial_year"),
        ("agreements/?financial_year=99999", "financial_year"),
        ("agreements/?fund=abc", "fund"),
        ("agreements/?status=lost", "status"),
        ("returns/?quarter=5", "quarter"),
        ("returns/?financial_year=2025.5", "financial_year"),
        ("instalments/?status=lost", "status"),
        ("payment-runs/?status=lost", "status"),
        ("variations/?status=lost", "status"),
    ],
)
def test_a_bad_filter_value_is_a_400_that_names_the_filter(client, shared, path, name):
    secret = _secret(_admin(shared["a"].funder))

    response = _get(client, secret, path)

    assert response.status_code == 400
    assert name in response.json()


def test_a_page_past_the_last_is_a_404_that_says_so(client, shared):
    secret = _secret(_admin(shared["a"].funder))

    response = _get(client, secret, "agreements/?page=3")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_page_holds_200_rows_at_most_whatever_is_asked(client, db):
    council, provider = CouncilFactory(), ProviderFactory()
    Agreement.objects.bulk_create(
        AgreementFactory.build(funder=council, provider=provider) for _ in range(201)
    )
    secret = _secret(_admin(council))

    response = _get(client, secret, "agreements/?page_size=100000")

    assert len(_rows(response)) == 200
    assert response.json()["count"] == 201
    assert response.json()["next"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_list_costs_the_same_queries_for_2_rows_as_for_10(client, same_queries, endpoint):
    council = CouncilFactory()
    for _ in range(2):
        _funded(council, ProviderFactory())
    secret = _secret(_admin(council))

    def grow():
        for _ in range(8):
            _funded(council, ProviderFactory())

    counted = same_queries(lambda: _get(client, secret, f"{endpoint}/"), grow=grow)

    assert len(counted.result.json()["results"]) == 10


def test_an_unchanged_page_is_a_304(client, shared):
    secret = _secret(_admin(shared["a"].funder))
    first = _get(client, secret, "returns/")

    again = _get(client, secret, "returns/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_a_provider_does_not_read_a_councils_draft_variation(client, shared):
    Variation.objects.create(
        agreement=shared["a"], number=2, status=Variation.Status.DRAFT, reason="Thinking aloud."
    )
    provider_secret = _secret(_admin(shared["provider"], User.Role.PROVIDER_ADMIN), ["grants"])
    council_secret = _secret(_admin(shared["a"].funder))

    def numbers(secret):
        rows = _rows(_get(client, secret, f"variations/?agreement={shared['a'].reference}"))
        return [row["number"] for row in rows]

    assert numbers(provider_secret) == [1]
    assert numbers(council_secret) == [1, 2]
