"""The accessibility statement and the privacy notice: public, linked from every page, and the
statement's account of testing is the browser tests' own."""

import re
from pathlib import Path

import axe_playwright_python
import pytest
from django.urls import reverse

from sla_monitor import statements
from tests.e2e import test_narrow_screens
from tests.e2e.conftest import WCAG_TAGS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOV_UK_SECTIONS = [
    "How accessible this service is",
    "Feedback and contact information",
    "Enforcement procedure",
    "Compliance status",
    "Non-accessible content",
    "How we tested this service",
    "Preparation of this accessibility statement",
]


def test_the_statement_has_the_model_statements_sections(client):
    page = client.get(reverse("accessibility")).content.decode()

    for heading in GOV_UK_SECTIONS:
        assert f">{heading}</h" in page
    assert "partially compliant" in page
    assert "mailto:grants@example.org" in page


def test_the_statement_describes_the_tests_that_are_run():
    bundled = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text()[:40]
    assert re.search(r"axe v(\S+)", bundled).group(1) == statements.AXE_VERSION
    assert statements.WCAG_TAGS == WCAG_TAGS
    assert [*test_narrow_screens.SIGNED_IN, "anonymous"] == statements.ROLES_TESTED
    assert test_narrow_screens.PHONE in statements.WIDTHS_TESTED


def test_the_privacy_notice_names_the_controller_and_the_data_kept(client, settings):
    settings.SERVICE_OPERATOR = "Blaby District Council"
    settings.DATA_PROTECTION_EMAIL = "dpo@blaby.example"

    page = client.get(reverse("privacy")).content.decode()

    assert "Blaby District Council is the data controller" in page
    assert "mailto:dpo@blaby.example" in page
    for kept in ["Your account", "Signing in", "audit log", "Cookies", "Your rights"]:
        assert kept in page


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_links_to_both_from_its_footer(client, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    page = client.get(reverse("account_login") if not signed_in else reverse("oversight:home"))

    footer = page.content.decode().split("<footer")[1]
    assert f'href="{reverse("accessibility")}">Accessibility statement</a>' in footer
    assert f'href="{reverse("privacy")}">Privacy notice</a>' in footer
