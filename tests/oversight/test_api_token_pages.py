"""The API tokens pages: an organisation's administrator makes a token, sees its secret once,
and revokes it; nobody else reaches the pages, and no administrator another organisation's
tokens."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from api.throttling import TokenRateThrottle
from sla_monitor import api_tokens
from sla_monitor.models import ApiToken, User
from tests.factories import CouncilFactory, FundFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW = reverse("oversight:api_token_new")
LIST = reverse("oversight:api_tokens")


def _admin(council=None):
    return UserFactory(organisation=council or CouncilFactory(), role=User.Role.ADMIN)


def _provider_admin():
    return UserFactory(role=User.Role.PROVIDER_ADMIN)


def _form(*, name="Power BI", scopes=("grants",), days=30, once=None) -> dict:
    expires = timezone.localdate() + dt.timedelta(days=days)
    return {
        "name": name,
        "scopes": list(scopes),
        "expires_on_day": str(expires.day),
        "expires_on_month": str(expires.month),
        "expires_on_year": str(expires.year),
        "once": str(once or uuid.uuid4()),
    }


def _secret_of(response) -> str:
    secret = response.context["secret"]
    assert secret.startswith("slm_")
    return secret


def test_an_administrator_makes_a_token_and_sees_its_secret_once(client):
    admin = _admin()
    fund = FundFactory(council=admin.organisation, name="Cohesion Fund")
    client.force_login(admin)

    made = client.post(NEW, _form(scopes=["grants", "payments"]))

    assert made.status_code == 200
    secret = _secret_of(made)
    page = made.content.decode()
    assert secret in page
    assert "it will not be shown again" in page
    assert reverse("api:docs") in page
    assert "no-store" in made["Cache-Control"]
    assert secret not in made.get("Location", "")
    assert secret not in str(made.cookies)
    assert secret not in str(dict(client.session))
    token = ApiToken.objects.get()
    assert (token.name, token.scopes, token.created_by) == (
        "Power BI",
        ["grants", "payments"],
        admin,
    )
    listed = client.get(LIST).content.decode()
    assert "Power BI" in listed
    assert token.prefix in listed
    assert secret not in listed
    assert secret not in client.get(NEW).content.decode()

    answer = client.get("/api/v1/funds/", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert answer.status_code == 200
    assert [f["name"] for f in answer.json()["results"]] == [fund.name]


def test_the_form_offers_a_date_90_days_ahead_and_the_organisations_scopes(client):
    client.force_login(_admin())

    form = client.get(NEW).context["form"]

    assert form["expires_on"].value() == timezone.localdate() + dt.timedelta(days=90)
    assert [value for value, _ in form.fields["scopes"].choices] == [
        "grants",
        "plans",
        "payments",
    ]


def test_a_providers_administrator_may_only_choose_the_grants_scope(client):
    provider_admin = _provider_admin()
    client.force_login(provider_admin)

    form = client.get(NEW).context["form"]
    assert [value for value, _ in form.fields["scopes"].choices] == ["grants"]

    refused = client.post(NEW, _form(scopes=["grants", "payments"]))
    assert "Choose among what your organisation" in str(refused.context["form"].errors["scopes"])
    assert not ApiToken.objects.exists()

    made = client.post(NEW, _form(scopes=["grants"]))
    assert made.status_code == 200
    assert ApiToken.objects.get().organisation == provider_admin.organisation


@pytest.mark.parametrize(
    "who",
    [
        lambda: UserFactory(lead_officer=True),
        lambda: UserFactory(role=User.Role.PROVIDER),
        lambda: UserFactory(finance_officer=True),
        lambda: UserFactory(superuser=True),
    ],
    ids=["lead officer", "provider", "finance officer", "superuser"],
)
def test_only_an_organisations_administrator_reaches_the_pages(client, who):
    token, _ = api_tokens.create_token(
        by=_admin(),
        name="Power BI",
        scopes=["grants"],
        expires_on=timezone.localdate() + dt.timedelta(days=5),
    )
    client.force_login(who())

    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _form()).status_code == 403
    revoke = reverse("oversight:api_token_revoke", args=[token.pk])
    assert client.get(revoke).status_code == 403
    assert client.post(revoke).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiToken.objects.count() == 1


def test_another_councils_administrator_neither_sees_nor_revokes_a_token(client):
    token, secret = api_tokens.create_token(
        by=_admin(),
        name="Kettering's Power BI",
        scopes=["grants"],
        expires_on=timezone.localdate() + dt.timedelta(days=5),
    )
    client.force_login(_admin())

    assert "Kettering's Power BI" not in client.get(LIST).content.decode()
    revoke = reverse("oversight:api_token_revoke", args=[token.pk])
    assert client.get(revoke).status_code == 404
    assert client.post(revoke).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.get("/api/v1/funds/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_a_revoked_token_reads_nothing_and_revoking_it_again_changes_nothing(client):
    admin = _admin()
    client.force_login(admin)
    secret = _secret_of(client.post(NEW, _form()))
    token = ApiToken.objects.get()
    revoke = reverse("oversight:api_token_revoke", args=[token.pk])

    confirm = client.get(revoke)
    assert confirm.status_code == 200
    assert "Revoke the token “Power BI”?" in confirm.content.decode()
    assert client.post(revoke).url == LIST
    token.refresh_from_db()
    first = token.revoked_at
    assert (token.revoked_by, first is not None) == (admin, True)

    answer = client.get("/api/v1/funds/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 401
    assert "revoked" in answer.json()["detail"]

    again = client.post(revoke, follow=True)
    assert "was already revoked" in again.content.decode()
    token.refresh_from_db()
    assert token.revoked_at == first
    assert "Revoked by" in client.get(LIST).content.decode()


@pytest.mark.parametrize(
    "spoil, field, words",
    [
        (dict(name=""), "name", "Give the token a name"),
        (dict(name="   "), "name", "Give the token a name"),
        (dict(scopes=[]), "scopes", "Choose what the token may read"),
        (dict(days=-1), "expires_on", "must expire after today"),
        (dict(days=0), "expires_on", "must expire after today"),
        (dict(days=400), "expires_on", "a year at most"),
        (dict(scopes=["everything"]), "scopes", "Choose among what your organisation"),
    ],
    ids=["empty name", "blank name", "no scope", "past", "today", "too far", "tampered scope"],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(client, spoil, field, words):
    client.force_login(_admin())

    response = client.post(NEW, _form(**spoil))

    assert response.status_code == 200
    form = response.context["form"]
    assert words in " ".join(form.errors[field])
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'id="id_{field}_error"' in page
    first_input = {"name": "id_name", "scopes": "id_scopes_0", "expires_on": "id_expires_on_day"}
    assert f'href="#{first_input[field]}"' in page
    assert not ApiToken.objects.exists()


def test_a_date_missing_its_month_is_refused(client):
    client.force_login(_admin())
    data = _form()
    data["expires_on_month"] = ""

    response = client.post(NEW, data)

    assert "must include a month" in " ".join(response.context["form"].errors["expires_on"])
    assert not ApiToken.objects.exists()


def test_a_name_in_use_by_a_live_token_is_refused_and_the_form_can_be_sent_again(client):
    client.force_login(_admin())
    client.post(NEW, _form(name="Power BI"))
    once = uuid.uuid4()

    refused = client.post(NEW, _form(name="Power BI", once=once))
    assert "live token of that name" in " ".join(refused.context["form"].errors["name"])

    made = client.post(NEW, _form(name="Finance system", once=once))
    assert made.status_code == 200
    assert ApiToken.objects.count() == 2


def test_a_form_sent_twice_makes_one_token(client):
    client.force_login(_admin())
    data = _form()

    first = client.post(NEW, data)
    second = client.post(NEW, data, follow=True)

    assert first.status_code == 200
    assert second.redirect_chain == [(LIST, 302)]
    assert "revoke the token and make another" in second.content.decode()
    assert first.context["secret"] not in second.content.decode()
    assert ApiToken.objects.count() == 1


def test_making_and_revoking_a_token_are_in_the_audit_log(client):
    admin = _admin()
    client.force_login(admin)
    secret = _secret_of(client.post(NEW, _form(name="Audited token")))
    token = ApiToken.objects.get()
    client.post(reverse("oversight:api_token_revoke", args=[token.pk]))

    log = client.get(reverse("oversight:audit_log")).content.decode()

    assert log.count("Audited token") >= 2
    assert token.digest not in log
    assert secret not in log
    client.force_login(_admin())
    assert "Audited token" not in client.get(reverse("oversight:audit_log")).content.decode()


@pytest.mark.parametrize("who", ["council", "provider"])
def test_the_home_page_links_an_administrator_to_the_tokens(client, who):
    client.force_login(_admin() if who == "council" else _provider_admin())

    assert LIST in client.get(reverse("oversight:home")).content.decode()


def test_a_lead_officer_has_no_link_to_the_tokens(client):
    client.force_login(UserFactory(lead_officer=True))

    assert LIST not in client.get(reverse("oversight:home")).content.decode()


def test_a_token_calling_too_often_is_told_when_to_try_again(client, settings, monkeypatch):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/minute"},
    }
    # The throttle reads its rates once, when it is defined.
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    admin = _admin()
    client.force_login(admin)
    secret = _secret_of(client.post(NEW, _form()))
    client.logout()

    answers = [
        client.get("/api/v1/funds/", HTTP_AUTHORIZATION=f"Bearer {secret}") for _ in range(4)
    ]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0
