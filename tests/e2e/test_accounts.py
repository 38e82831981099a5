"""A council officer's first sign-in: password, then an authenticator app set up before
anything else, then home; every page of it accessible on a desktop and on a phone."""

import base64
import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

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
    page.get_by_label("Authenticator code").fill(
        format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    )
    page.get_by_role("button", name="Activate").click()

    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Continue to your home page").click()
    page.wait_for_url(demo_live.url + "/")
    assert_accessible(page)
    session.context.close()
