"""Council staff sign in through their council's OpenID Connect provider, a real one running
beside the app (tests/oidc_provider), and come in only as the account already made for them."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from sla_monitor.models import User
from sla_monitor.sso import verified_email
from tests.factories import CouncilFactory, UserFactory

from .conftest import STAFF, STRANGER, UNVERIFIED


def _signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_the_sign_in_page_offers_the_councils_sign_in_when_it_is_configured(client, db, sso):
    page = client.get(reverse("account_login"))

    assert page.status_code == 200
    assert "Sign in with Kettering Borough Council" in page.content.decode()
    assert reverse("openid_connect_login", kwargs={"provider_id": "council"}) in (
        page.content.decode()
    )


def test_the_sign_in_page_has_no_single_sign_on_when_it_is_not_configured(client, db):
    page = client.get(reverse("account_login"))

    assert page.status_code == 200
    assert "Sign in with" not in page.content.decode()


def test_an_officer_signs_in_with_their_verified_address_in_any_case(
    client, db, sso, sign_in_by_sso
):
    officer = UserFactory(lead_officer=True, email="sam.staff@example.org")

    response = sign_in_by_sso(client, STAFF)

    assert response.status_code == 302
    assert response.url == reverse("oversight:home")
    assert _signed_in_user_id(client) == str(officer.pk)
    assert client.get(reverse("oversight:home")).status_code == 200
    account = SocialAccount.objects.get()
    assert account.user == officer
    assert account.provider == "council"


def test_the_provider_account_is_linked_once_and_signs_in_again(
    client, django_user_model, db, sso, sign_in_by_sso
):
    officer = UserFactory(lead_officer=True, email="sam.staff@example.org")
    sign_in_by_sso(client, STAFF)
    client.logout()

    again = sign_in_by_sso(client, STAFF)

    assert again.status_code == 302
    assert _signed_in_user_id(client) == str(officer.pk)
    assert SocialAccount.objects.filter(user=officer).count() == 1
    assert django_user_model.objects.count() == 1


def test_an_unknown_address_is_refused_and_no_account_is_made(client, db, sso, sign_in_by_sso):
    UserFactory(lead_officer=True, email="sam.staff@example.org")

    response = sign_in_by_sso(client, STRANGER)

    assert response.status_code == 403
    page = response.content.decode()
    assert "No account for this address" in page
    assert "ask your council&#x27;s administrator for an invitation" in page
    assert _signed_in_user_id(client) is None
    assert not User.objects.filter(email__iexact=STRANGER.email).exists()
    assert not SocialAccount.objects.exists()


def test_an_address_the_provider_has_not_verified_is_refused(client, db, sso, sign_in_by_sso):
    UserFactory(lead_officer=True, email=UNVERIFIED.email)

    response = sign_in_by_sso(client, UNVERIFIED)

    assert response.status_code == 403
    assert "did not confirm your e-mail address" in response.content.decode()
    assert _signed_in_user_id(client) is None
    assert not SocialAccount.objects.exists()


def test_a_deactivated_account_is_refused(client, db, sso, sign_in_by_sso):
    UserFactory(lead_officer=True, email="sam.staff@example.org", is_active=False)

    response = sign_in_by_sso(client, STAFF)

    assert response.status_code == 403
    assert "Your account has been deactivated" in response.content.decode()
    assert "administrator) to reactivate it." in response.content.decode()
    assert _signed_in_user_id(client) is None
    assert not SocialAccount.objects.exists()


def test_an_account_deactivated_after_linking_is_refused(client, db, sso, sign_in_by_sso):
    officer = UserFactory(lead_officer=True, email="sam.staff@example.org")
    sign_in_by_sso(client, STAFF)
    client.logout()
    User.objects.filter(pk=officer.pk).update(is_active=False)

    response = sign_in_by_sso(client, STAFF)

    assert response.status_code == 403
    assert "Your account has been deactivated" in response.content.decode()
    assert "administrator) to reactivate it." in response.content.decode()
    assert _signed_in_user_id(client) is None


def test_only_the_named_councils_staff_may_use_it(client, db, sso, sign_in_by_sso):
    sso(organisation="kbc")
    UserFactory(
        lead_officer=True,
        email="sam.staff@example.org",
        organisation=CouncilFactory(short_code="LCC"),
    )

    response = sign_in_by_sso(client, STAFF)

    assert response.status_code == 403
    assert "for the staff of one council only" in response.content.decode()
    assert _signed_in_user_id(client) is None
    assert not SocialAccount.objects.exists()


def test_the_named_councils_staff_sign_in(client, db, sso, sign_in_by_sso):
    sso(organisation="kbc")
    officer = UserFactory(
        lead_officer=True,
        email="sam.staff@example.org",
        organisation=CouncilFactory(short_code="KBC"),
    )

    response = sign_in_by_sso(client, STAFF)

    assert response.status_code == 302
    assert _signed_in_user_id(client) == str(officer.pk)


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"email": "a@example.org", "email_verified": True}, "a@example.org"),
        ({"email": "a@example.org", "email_verified": "true"}, "a@example.org"),
        ({"email": "a@example.org", "xms_edov": True}, "a@example.org"),
        ({"email": "a@example.org", "email_verified": False}, ""),
        ({"email": "a@example.org"}, ""),
        ({"email_verified": True}, ""),
    ],
)
def test_only_an_address_the_provider_vouches_for_counts(claims, expected):
    assert verified_email(claims) == expected


def test_the_councils_sign_in_asks_before_leaving_for_the_provider(client, db, sso):
    page = client.get(reverse("openid_connect_login", kwargs={"provider_id": "council"}))

    assert page.status_code == 200
    assert "<h1>Sign in with Kettering Borough Council</h1>" in page.content.decode()


def test_a_forged_answer_from_the_provider_signs_nobody_in(client, db, sso):
    UserFactory(lead_officer=True, email="sam.staff@example.org")
    callback = reverse("openid_connect_callback", kwargs={"provider_id": "council"})

    response = client.get(callback, {"code": "forged", "state": "forged"})

    assert response.status_code == 401
    assert "<h1>Your council's sign-in did not work</h1>" in response.content.decode()
    assert _signed_in_user_id(client) is None
    assert not SocialAccount.objects.exists()


def test_leaving_the_providers_sign_in_says_so(client, db, sso):
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "council"}))
    state = parse_qs(urlsplit(start.url).query)["state"][0]
    callback = reverse("openid_connect_callback", kwargs={"provider_id": "council"})

    response = client.get(callback, {"error": "access_denied", "state": state}, follow=True)

    assert "<h1>Sign-in stopped</h1>" in response.content.decode()
    assert _signed_in_user_id(client) is None


def test_nobody_signs_themselves_up(client, db, django_user_model):
    client.post(
        reverse("account_signup"),
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )

    assert not django_user_model.objects.exists()
