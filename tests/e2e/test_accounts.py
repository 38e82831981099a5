"""A council officer's first sign-in: password, then an authenticator app set up before
anything else, then home; every page of it accessible on a desktop and on a phone."""

import base64
import re
import time

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from sla_monitor import accounts
from sla_monitor.models import User
from tests.e2e.conftest import Session

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1280, 390])
def test_a_new_officer_sets_up_two_factor_sign_in_then_reaches_home(
    browser, demo_live, settings, assert_accessible, width
):
    officer = User.objects.get(username="officer")
    officer.authenticator_set.all().delete()
    session = Session(browser, demo_live.url, width=width)
    page = session.page

    session.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    assert_accessible(page)
    assert page.locator(".error-summary").is_visible()
    page.get_by_label("Username or e-mail address").fill("officer")
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    assert "Set up an authenticator app before you carry on" in page.inner_text("main")
    assert_accessible(page)
    session.goto("/")
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    secret = page.locator("#authenticator_secret").input_value()
    base64.b32decode(secret)
    page.get_by_label("6-digit code").fill(
        format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    )
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Continue to your home page").click()
    page.wait_for_url(demo_live.url + "/")
    assert_accessible(page)
    session.context.close()


SIGNED_OUT_ACCOUNT_PAGES = [
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-not-a-key/",
    "/accounts/password/reset/key/done/",
    "/accounts/inactive/",
    "/accounts/signup/",
]
SIGNED_IN_ACCOUNT_PAGES = [
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
    "/accounts/2fa/reauthenticate/",
    "/accounts/reauthenticate/",
    "/accounts/3rdparty/",
    "/accounts/logout/",
]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_account_pages_pass_axe_with_wcag_2_2_target_sizes(
    browser, demo_live, settings, assert_accessible, width
):
    """Every sign-in, two-factor, password and account page, with and without errors, including
    WCAG 2.2's target size (allauth's "Forgot your password?" under a label failed it)."""
    officer = User.objects.get(username="officer")
    session = Session(browser, demo_live.url, width=width)
    page = session.page
    for url in SIGNED_OUT_ACCOUNT_PAGES:
        session.goto(url)
        assert_accessible(page)
    session.goto(_reset_link(officer))
    page.wait_for_url(re.compile(r"/accounts/password/reset/key/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page)

    session.goto("/accounts/login/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    assert_accessible(page)
    page.get_by_label("6-digit code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".error-summary")).to_contain_text("That code is not right")
    assert_accessible(page)
    cache.clear()
    page.get_by_label("6-digit code").fill(accounts.current_code(officer))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(demo_live.url + "/")

    for url in SIGNED_IN_ACCOUNT_PAGES:
        session.goto(url)
        assert_accessible(page)
    session.goto("/accounts/password/change/")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    session.context.close()


def _reset_link(user) -> str:
    key = default_token_generator.make_token(user)
    return reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
