"""The API's documentation page, in a real browser, with every address off this server
refused: Redoc draws the whole description, and the Content Security Policy stops nothing it
needs."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_the_api_docs_page_draws_offline(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    elsewhere, refused = [], []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))

    def only_here(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_here)
    page.goto(live_server.url + "/api/v1/docs/")

    expect(page.get_by_role("heading", name="SLA Monitor API", level=1)).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_text("/api/v1/assessments/{id}/").first).to_be_attached()
    assert elsewhere == []
    # Redoc's footer links its maker's logo on their CDN: the policy keeps it from loading, and
    # nothing else is refused.
    assert [m for m in refused if "cdn.redoc.ly/redoc/logo-mini.svg" not in m] == []
    context.close()
