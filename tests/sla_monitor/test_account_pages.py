"""django-allauth's pages in the app's own words: one heading each, a title that says where you
are, and each refusal saying what to do next."""

import html
import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from sla_monitor import accounts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# allauth's own headings, titles and buttons, which must not show through.
ALLAUTH_WORDS = [
    "Sign In",
    "Sign Out",
    "Sign Up",
    "Two-Factor Authentication",
    "Activate Authenticator App",
    "Deactivate Authenticator App",
    "Authenticator App",
    "Bad Token",
    "Account Inactive",
    "This account is inactive",
    "Change Password",
    "Set Password",
    "Password Reset",
    "Reset My Password",
    "Confirm Access",
    "Recovery Codes",
    "Account Connections",
    "Forgot your password?",
    "Incorrect code.",
]


def heading_and_title(response) -> tuple[str, str]:
    page = response.content.decode()
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert len(headings) == 1, headings
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    return html.unescape(headings[0].strip()), html.unescape(title.strip())


def assert_in_our_words(response, heading: str) -> None:
    assert response.status_code == 200
    assert heading_and_title(response) == (heading, f"{heading} \N{EN DASH} SLA Monitor")
    page = response.content.decode()
    assert [words for words in ALLAUTH_WORDS if words in page] == []


def signed_in_officer(client, settings):
    officer = UserFactory(lead_officer=True)
    RecoveryCodes.activate(officer)
    client.post(
        reverse("account_login"), {"login": officer.username, "password": settings.DEMO_PASSWORD}
    )
    client.post(reverse("mfa_authenticate"), {"code": accounts.current_code(officer)})
    return officer


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/login/", "Sign in"),
        ("/accounts/password/reset/", "Reset your password"),
        ("/accounts/password/reset/done/", "Check your e-mail"),
        ("/accounts/password/reset/key/done/", "Your password has been changed"),
        ("/accounts/inactive/", "Your account has been deactivated"),
        ("/accounts/signup/", "You cannot create an account here"),
    ],
)
def test_the_signed_out_pages_are_in_our_words(client, url, heading):
    assert_in_our_words(client.get(url), heading)


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/password/change/", "Change your password"),
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/2fa/recovery-codes/", "Recovery codes"),
        ("/accounts/2fa/recovery-codes/generate/", "Make new recovery codes"),
        ("/accounts/2fa/reauthenticate/", "Confirm it is you"),
        ("/accounts/reauthenticate/", "Confirm it is you"),
        ("/accounts/3rdparty/", "Your council's sign-in"),
        ("/accounts/logout/", "Sign out"),
    ],
)
def test_the_signed_in_account_pages_are_in_our_words(client, settings, url, heading):
    signed_in_officer(client, settings)

    assert_in_our_words(client.get(url), heading)


def test_the_two_factor_step_asks_for_the_6_digit_code(client, settings):
    officer = UserFactory(lead_officer=True)
    client.post(
        reverse("account_login"), {"login": officer.username, "password": settings.DEMO_PASSWORD}
    )

    response = client.get(reverse("mfa_authenticate"))

    assert_in_our_words(response, "Enter the 6-digit code from your authenticator app")
    assert re.search(
        r'<label [^>]*for="id_code"[^>]*>6-digit code</label>', response.content.decode()
    )


def test_setting_up_an_authenticator_app_is_in_our_words(client, settings):
    officer = UserFactory(lead_officer=True, two_factor=False)
    client.post(
        reverse("account_login"), {"login": officer.username, "password": settings.DEMO_PASSWORD}
    )

    assert_in_our_words(client.get(reverse("mfa_activate_totp")), "Set up your authenticator app")


def test_switching_off_an_authenticator_app_asks_first(client):
    provider = UserFactory(two_factor=True)
    client.force_login(provider)

    response = client.get(reverse("mfa_deactivate_totp"))

    assert_in_our_words(response, "Switch off your authenticator app")
    assert "Are you sure?" in response.content.decode()


def test_staff_asking_to_switch_off_their_app_are_told_why_they_cannot(client, settings):
    signed_in_officer(client, settings)

    response = client.get(reverse("mfa_deactivate_totp"))

    page = html.unescape(response.content.decode())
    assert "so you cannot switch off your authenticator app" in page
    assert "Are you sure?" not in page
    assert heading_and_title(response)[1].startswith("Error: ")


def test_a_person_without_a_password_is_asked_to_set_one_in_our_words(client):
    person = UserFactory()
    person.set_unusable_password()
    person.save()
    client.force_login(person)

    assert_in_our_words(client.get(reverse("account_set_password")), "Set a password")


def test_the_emailed_reset_link_asks_for_a_new_password_in_our_words(client):
    person = UserFactory()
    link = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(person),
            "key": default_token_generator.make_token(person),
        },
    )

    response = client.get(link, follow=True)

    assert_in_our_words(response, "Choose a new password")
    assert "New password" in response.content.decode()


def test_a_used_or_expired_reset_link_says_to_ask_for_a_new_one(client):
    response = client.get("/accounts/password/reset/key/1-not-a-key/")

    assert_in_our_words(response, "This link to reset your password does not work")
    page = html.unescape(response.content.decode())
    assert f'<a href="{reverse("account_reset_password")}">Ask for a new link</a>' in page


def test_a_deactivated_account_is_told_whom_to_ask(client):
    response = client.get(reverse("account_inactive"))

    page = html.unescape(response.content.decode())
    assert (
        "Ask your organisation's administrator (or for council staff, your council's "
        "administrator) to reactivate it." in page
    )


def test_a_wrong_code_says_to_enter_the_one_the_app_shows_now(client, settings):
    officer = UserFactory(lead_officer=True)
    client.post(
        reverse("account_login"), {"login": officer.username, "password": settings.DEMO_PASSWORD}
    )

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    page = html.unescape(response.content.decode())
    assert (
        "That code is not right. Enter the 6-digit code your authenticator app shows now." in page
    )
    assert "There is a problem" in page
    assert heading_and_title(response)[1].startswith("Error: ")


def test_a_wrong_current_password_says_what_to_do(client, settings):
    person = UserFactory()
    client.force_login(person)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "guess", "password1": "x", "password2": "x"},
    )

    page = html.unescape(response.content.decode())
    assert "If you have forgotten it, sign out and reset it." in page
    assert 'id="id_oldpassword_error"' in page


def test_an_empty_password_change_says_what_to_enter_in_each_field(client):
    client.force_login(UserFactory())

    response = client.post(reverse("account_change_password"), {})

    page = html.unescape(response.content.decode())
    for field, message in [
        ("oldpassword", "Enter your current password"),
        ("password1", "Enter a new password"),
        ("password2", "Confirm your new password"),
    ]:
        assert f'<a href="#id_{field}">{message}</a>' in page
    assert "This field is required." not in page
