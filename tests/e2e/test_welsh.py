"""Every page in Welsh, as every demo role: each signs in having chosen Cymraeg and follows every
link it reaches. A page must say lang="cy", keep no sentence of the English catalogue that the
Welsh one translates, fit a phone's screen and pass axe at a phone's width and a desktop's."""

import re
from collections import deque
from functools import cache
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import polib
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import Resolver404, resolve

from sla_monitor.models import Organisation
from tests.access.test_return_urls import ROLES, _prepare
from tests.e2e.conftest import WCAG_TAGS, Session
from tests.e2e.test_narrow_screens import DESKTOP, PHONE, SIGNED_IN, pages_of

pytestmark = pytest.mark.e2e

CATALOGUES = sorted((Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES").glob("*.po"))
# What splits a message into the runs of words a page shows whole: placeholders and markup.
BREAKS = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}|<[^>]*>|&[a-z]+;|\s*\n\s*")
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}")
WORD = re.compile(r"[^\W\d_]+")
# A message of this many words is a sentence, or most of one; shorter ones ("Due", "Provider")
# may be names.
WORDS = 3
# Not pages: signing out ends the crawl, and these lead out of the service's own pages.
SKIP = ("/accounts/logout/", "/admin/", "/api/", "/static/", "/media/")
# The pages each address name may add to the crawl: enough to see each kind of page, whatever
# the number of returns or actions the demo has.
PER_PAGE_KIND = 2
# Pages of history, kept in the words of the day it was written.
KEPT_AS_WRITTEN = {"grants:return_submission", "oversight:audit_log"}


def _runs(text: str) -> set[str]:
    """The runs of words a message shows whole, between its markup and placeholders. A run beside
    a placeholder must be a word longer to be told from a council's own words: "%(people)s in the
    quarter" leaves "in the quarter", which an indicator's wording may say too."""
    parts = [" ".join(part.split()) for part in BREAKS.split(text)]
    least = WORDS + 1 if PLACEHOLDER.search(text) else WORDS
    return {run for run in parts if len(WORD.findall(run)) >= least}


@cache
def english_left_over() -> frozenset[str]:
    """The English runs of words whose Welsh differs, except runs the Welsh keeps (a name)."""
    english, welsh = set(), set()
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            translations = (
                list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            )
            for text in translations:
                welsh.add(" ".join(text.split()))
            sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
            if all(t == s for t, s in zip(translations, sources, strict=False)):
                continue
            for source in sources:
                english |= _runs(source)
    welsh_text = "\n".join(welsh)
    return frozenset(run for run in english if run not in welsh_text)


# The page's words a reader meets, leaving out what is marked as another language (a council's
# English-only wording, a name) and what is not shown.
PAGE_WORDS = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('script, style, template, [hidden], [lang]:not([lang^="cy"])')
    .forEach((element) => element.remove());
  const said = [...body.querySelectorAll('[aria-label], [title], [alt], [placeholder]')]
    .flatMap((e) => ['aria-label', 'title', 'alt', 'placeholder'].map((a) => e.getAttribute(a)))
    .filter(Boolean);
  return [body.textContent, ...said].join('\\n').replace(/\\s+/g, ' ');
}"""


def _english_on(page) -> list[str]:
    words = page.evaluate(PAGE_WORDS)
    return sorted(run for run in english_left_over() if run in words)


def _page_kind(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _links(page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        href = urldefrag(href).url
        if not href.startswith(base_url):
            continue
        path = href[len(base_url) :]
        if urlsplit(path).query or path.startswith(SKIP):
            continue
        found.append(path)
    return found


def _sign_in_in_welsh(session: Session, username: str):
    """A visitor chooses Cymraeg on the sign-in page, then signs in in Welsh."""
    from django.core.cache import cache as shared_cache

    from sla_monitor import accounts
    from sla_monitor.models import User

    session.goto("/accounts/login/")
    session.page.get_by_role("button", name="Cymraeg").click()
    session.page.wait_for_selector('html[lang="cy"]')
    session.page.locator("input[name=login]").fill(username)
    session.page.locator("input[name=password]").fill(settings.DEMO_PASSWORD)
    session.page.locator("input[name=password]").press("Enter")
    session.page.wait_for_url(
        re.compile(rf"^{re.escape(session.base_url)}/(accounts/2fa/authenticate/)?$")
    )
    if session.page.url.endswith("/accounts/2fa/authenticate/"):
        assert session.page.locator("html").get_attribute("lang") == "cy"
        shared_cache.clear()
        code = session.page.locator("input[name=code]")
        code.fill(accounts.current_code(User.objects.get(username=username)))
        code.press("Enter")
    session.page.wait_for_url(session.base_url + "/")


def _crawl(browser, demo_live, role):
    Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).update(welsh_offer=True)
    objects = _prepare()
    session = Session(browser, demo_live.url, width=DESKTOP)
    if role == "anonymous":
        session.goto("/accounts/login/")
        session.page.get_by_role("button", name="Cymraeg").click()
        session.page.wait_for_selector('html[lang="cy"]')
    else:
        _sign_in_in_welsh(session, role)
    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    start = ["/"] if role != "anonymous" else []
    # The access matrix's pages for its roles; the demo's people in Wales start from their home.
    matrix = pages_of(role, objects) if role in ROLES else []
    queue = deque(start + [url for _, url in matrix])
    seen, kinds = set(), {}
    not_welsh, english, too_wide, violations = [], [], [], []
    while queue:
        path = queue.popleft()
        kind = _page_kind(urlsplit(path).path)
        if path in seen or kind is None or kinds.get(kind, 0) >= PER_PAGE_KIND:
            continue
        seen.add(path)
        # Downloads (PDFs, CSV, Excel, evidence, JSON) are not pages: their Welsh is read back in
        # their own tests.
        response = session.context.request.get(demo_live.url + path, timeout=180_000)
        if response.status != 200 or not response.headers.get("content-type", "").startswith(
            "text/html"
        ):
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        session.page.set_viewport_size({"width": DESKTOP, "height": 900})
        session.goto(path)
        if session.page.locator("html").get_attribute("lang") != "cy":
            not_welsh.append(path)
        left = _english_on(session.page)
        # A submission shows its answers as they were kept the day it was made, the council's
        # words among them, and the audit log each change in the words it was recorded in,
        # whatever the reader's language now.
        if left and kind not in KEPT_AS_WRITTEN:
            english.append(f"{path}: {left}")
        queue.extend(_links(session.page, demo_live.url))
        for width in (PHONE, DESKTOP):
            session.page.set_viewport_size({"width": width, "height": 900})
            wide = session.page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                too_wide.append((path, width, wide))
            results = axe.run(session.page, options=options)
            if results.violations_count:
                violations.append(f"{path} at {width}px\n{results.generate_report()}")
    session.context.close()

    assert len(kinds) >= 2
    problems = [
        *(f"not lang=cy: {path}" for path in not_welsh),
        *(f"English left: {line}" for line in english),
        *(
            f"wider than the screen: {path} at {width}px is {wide}px"
            for path, width, wide in too_wide
        ),
        *violations,
    ]
    assert problems == [], "\n".join(problems)


def test_the_english_catalogue_left_over_is_found_on_a_page():
    """The check can fail: an English sentence the Welsh catalogue translates is caught."""
    assert english_left_over(), "the Welsh catalogue translates nothing"
    assert "Save and continue" in english_left_over()
    assert _runs("Save and continue") == {"Save and continue"}
    assert _runs("<p>Save and continue</p>") == {"Save and continue"}
    assert _runs("%(people)s in the quarter") == set()


SWEEPS = {
    "visitors and providers": ["anonymous", "provider", "provider2"],
    "lead officers and finance": ["officer", "leicester", "finance"],
    "administrators": ["admin", "counciladmin"],
    "equality officers": ["equality", "planmanager", "cohesion", "senior"],
    # The demo's council in Wales and the provider it funds, writing in both languages.
    "a council in wales": ["ceredigion", "darparwr"],
}


@pytest.mark.slow
class TestVisitorsAndProvidersInWelsh:
    @pytest.mark.parametrize("role", SWEEPS["visitors and providers"])
    def test_every_page_reached_is_welsh_and_passes_axe(self, browser, demo_live, role):
        _crawl(browser, demo_live, role)


@pytest.mark.slow
class TestLeadOfficersAndFinanceInWelsh:
    @pytest.mark.parametrize("role", SWEEPS["lead officers and finance"])
    def test_every_page_reached_is_welsh_and_passes_axe(self, browser, demo_live, role):
        _crawl(browser, demo_live, role)


@pytest.mark.slow
class TestAdministratorsInWelsh:
    @pytest.mark.parametrize("role", SWEEPS["administrators"])
    def test_every_page_reached_is_welsh_and_passes_axe(self, browser, demo_live, role):
        _crawl(browser, demo_live, role)


@pytest.mark.slow
class TestEqualityOfficersInWelsh:
    @pytest.mark.parametrize("role", SWEEPS["equality officers"])
    def test_every_page_reached_is_welsh_and_passes_axe(self, browser, demo_live, role):
        _crawl(browser, demo_live, role)


@pytest.mark.slow
class TestACouncilInWales:
    @pytest.mark.parametrize("role", SWEEPS["a council in wales"])
    def test_every_page_reached_is_welsh_and_passes_axe(self, browser, demo_live, role):
        _crawl(browser, demo_live, role)


def test_the_welsh_sweeps_cover_every_role():
    swept = [role for roles in SWEEPS.values() for role in roles]
    assert {*SIGNED_IN, "anonymous"} <= set(swept)
