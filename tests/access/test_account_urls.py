"""Every page of signing in and of one's own account, for every role: what a person without an
account may reach (signing in, a forgotten password) and what needs one."""

import pytest
from django.conf import settings
from django.urls import reverse

from sla_monitor.models import User
from tests.access.test_return_urls import ROLES
from tests.demo_db import demo_module_fixture

demo_module = demo_module_fixture()

STAFF = (
    "officer",
    "equality",
    "admin",
    "counciladmin",
    "cohesion",
    "planmanager",
    "leicester",
    "senior",
    "finance",
)
PROVIDERS = ("provider", "provider2")


ASK_WHO_YOU_ARE = {
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
}


def each(status: int) -> dict:
    return dict.fromkeys(ROLES, status)


def by_group(*, anonymous: int, provider: int, staff: int) -> dict:
    return (
        {"anonymous": anonymous} | dict.fromkeys(PROVIDERS, provider) | dict.fromkeys(STAFF, staff)
    )


# Signed-in people are sent on from the sign-in page; people signed out from pages of an account.
CASES = [
    ("sign in", "account_login", by_group(anonymous=200, provider=302, staff=302)),
    ("sign out", "account_logout", by_group(anonymous=302, provider=200, staff=200)),
    ("account", "account", by_group(anonymous=302, provider=200, staff=200)),
    ("e-mails about the inbox", "account_emails", by_group(anonymous=302, provider=200, staff=200)),
    ("forgotten password", "account_reset_password", each(200)),
    ("reset e-mail sent", "account_reset_password_done", each(200)),
    ("reset done", "account_reset_password_from_key_done", each(200)),
    (
        "change password",
        "account_change_password",
        by_group(anonymous=302, provider=200, staff=200),
    ),
    # Nobody signs up: the page says so, and sends a signed-in person home.
    ("sign up", "account_signup", by_group(anonymous=200, provider=302, staff=302)),
    ("two-factor", "mfa_index", by_group(anonymous=302, provider=200, staff=200)),
    # Staff have an authenticator app already: set-up sends them to switching it off.
    ("set up an app", "mfa_activate_totp", by_group(anonymous=302, provider=200, staff=302)),
    ("switch the app off", "mfa_deactivate_totp", by_group(anonymous=302, provider=404, staff=200)),
    # Recovery codes ask anyone who signed in more than a few minutes ago, as these sessions did,
    # to confirm who they are first.
    ("recovery codes", "mfa_view_recovery_codes", each(302)),
    ("new recovery codes", "mfa_generate_recovery_codes", each(302)),
    ("download recovery codes", "mfa_download_recovery_codes", each(302)),
    ("two-factor step", "mfa_authenticate", by_group(anonymous=302, provider=302, staff=302)),
    # A person's address is the one their invitation checked: allauth's pages to add or change
    # one are not offered.
    ("e-mail addresses", "account_email", each(404)),
    ("address confirmation sent", "account_email_verification_sent", each(404)),
    # The language is chosen by the header's form, for visitors as for people signed in.
    ("choose a language", "choose_language", each(405)),
    ("the scripts' words", "javascript_catalog", each(200)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "expected"), [pytest.param(c[1], c[2], id=c[0]) for c in CASES])
def test_account_pages(demo_module, client, db, role, name, expected):
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))

    response = client.get(reverse(name))

    assert response.status_code == expected[role], (name, role, response.get("Location"))
    if response.status_code == 302 and role == "anonymous" and name != "mfa_authenticate":
        assert response.url.startswith(reverse("account_login"))
    if name in ASK_WHO_YOU_ARE and role != "anonymous":
        assert response.url.startswith(reverse("account_reauthenticate"))


@pytest.mark.parametrize("role", ROLES)
def test_everyone_may_choose_a_language_and_is_sent_back(demo_module, client, db, role):
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))

    response = client.post(reverse("choose_language"), {"language": "en-gb", "next": "/privacy/"})

    assert response.status_code == 302
    assert response.url == "/privacy/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en-gb"
