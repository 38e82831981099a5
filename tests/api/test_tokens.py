"""The read API's tokens: made by an organisation's administrator, shown once and kept as a
digest, scoped, expiring and revocable; every refusal a clear 401 or 403."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sla_monitor import api_tokens
from sla_monitor.models import ApiToken, User
from tests.factories import CouncilFactory, FundFactory, UserFactory

pytestmark = pytest.mark.django_db


def _admin(council=None):
    return UserFactory(organisation=council or CouncilFactory(), role=User.Role.ADMIN)


def _token(by, scopes=("grants",), days=30):
    return api_tokens.create_token(
        by=by,
        name="Power BI",
        scopes=list(scopes),
        expires_on=timezone.localdate() + dt.timedelta(days=days),
    )


def _get(client, secret, path="/api/v1/funds/"):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_token_is_shown_once_and_kept_as_a_digest():
    token, secret = _token(_admin())

    assert secret.startswith("slm_")
    assert secret not in (token.digest, token.prefix)
    assert ApiToken.objects.filter(digest=api_tokens.token_digest(secret)).get() == token


def test_only_administrators_make_tokens_and_never_for_too_long():
    officer = UserFactory(lead_officer=True)
    with pytest.raises(PermissionDenied):
        _token(officer)
    with pytest.raises(ValidationError) as refused:
        _token(_admin(), scopes=[], days=400)
    assert set(refused.value.message_dict) == {"scopes", "expires_on"}


def test_a_token_reads_its_own_councils_funds_and_no_other(client):
    admin = _admin()
    own = FundFactory(council=admin.organisation, name="Cohesion Fund")
    FundFactory(name="Another council's fund")
    _, secret = _token(admin)

    response = _get(client, secret)

    assert response.status_code == 200
    assert [f["name"] for f in response.json()["results"]] == [own.name]
    assert response["ETag"]
    again = client.get(
        "/api/v1/funds/", HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    "spoil, status, words",
    [
        ("revoke", 401, "revoked"),
        ("expire", 401, "expired"),
        ("demote", 401, "no longer an administrator"),
        ("unknown", 401, "not known"),
        ("scope", 403, "may not read grants"),
    ],
)
def test_a_spoilt_token_reads_nothing_and_is_told_why(client, spoil, status, words):
    admin = _admin()
    FundFactory(council=admin.organisation)
    token, secret = _token(admin, scopes=["plans"] if spoil == "scope" else ["grants"])
    if spoil == "revoke":
        api_tokens.revoke_token(token=token, by=admin)
    elif spoil == "expire":
        ApiToken.objects.filter(pk=token.pk).update(
            expires_on=timezone.localdate() - dt.timedelta(days=1)
        )
    elif spoil == "demote":
        admin.role = User.Role.LEAD_OFFICER
        admin.save()
    elif spoil == "unknown":
        secret += "x"

    response = _get(client, secret)

    assert response.status_code == status
    assert words in response.json()["detail"]


def test_without_a_token_the_api_asks_for_one(client):
    response = client.get("/api/v1/funds/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_the_openapi_description_and_its_page_are_open(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200
