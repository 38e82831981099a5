import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_an_officer_signs_in_through_their_councils_sign_in(
    browser, live_server, transactional_db, sso, assert_accessible
):
    UserFactory(
        lead_officer=True, first_name="Sam", last_name="Staff", email="sam.staff@example.org"
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        assert_accessible(page)
        page.get_by_role("button", name="Sign in with Kettering Borough Council").click()

        page.get_by_role("heading", name="Council sign-in").wait_for()
        page.get_by_label("Council username").fill("sam")
        page.get_by_label("Council password").fill("council-password")
        page.get_by_role("button", name="Continue").click()

        page.wait_for_url(f"{live_server.url}/")
        assert "Sam Staff" in page.content()
    finally:
        context.close()
