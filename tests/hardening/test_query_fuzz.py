"""Every page, as every role, given hostile values in every query-string parameter the app
reads: never a server error."""

from urllib.parse import urlencode

import pytest
from django.test import Client

from sla_monitor.models import User
from tests.access.test_return_urls import CASES, PUBLIC, ROLES, _prepare
from tests.demo_db import demo_module_fixture

pytestmark = pytest.mark.slow

PARAMETERS = [
    "page",
    "period",
    "user",
    "kind",
    "since",
    "since_day",
    "since_month",
    "since_year",
    "year",
    "quarter",
    "council",
    "copy",
    "status",
    "provider",
    "agreement",
    "fund",
    "overdue",
    "measure",
    "section",
    "strand",
    "lead",
    "monitored_by",
    "partner",
    "rag",
]
HOSTILE = ["-1", "abc", "²", "١٢", str(10**30), "'", "\x00", "x" * 5000, "1e10", "2025-02-30"]

demo_module = demo_module_fixture(_prepare)
PAGES = [(name, url) for name, method, url, *_ in CASES if method == "get"] + PUBLIC


def _fuzz(objects, role: str) -> list[tuple[str, str, int]]:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))
    failures = []
    for name, url in PAGES:
        base = url(objects)
        joiner = "&" if "?" in base else "?"
        for value in HOSTILE:
            query = urlencode({parameter: value for parameter in PARAMETERS})
            status = client.get(f"{base}{joiner}{query}").status_code
            if status >= 500:
                failures.append((name, repr(value)[:20], status))
    return failures


# The roles in three groups of about the same length, each a class of its own, so that the
# suite's processes (`--dist loadscope`) share the sweep between them.
GROUPS = {
    "providers, visitors and equality officers": [
        "anonymous",
        "provider",
        "provider2",
        "equality",
        "planmanager",
        "senior",
    ],
    "lead officers": ["officer", "counciladmin"],
    "superusers, a second council and finance": ["admin", "leicester", "cohesion", "finance"],
}


class TestProvidersVisitorsAndEqualityOfficers:
    @pytest.mark.parametrize("role", GROUPS["providers, visitors and equality officers"])
    def test_hostile_query_strings_never_cause_a_server_error(self, demo_module, db, role):
        assert _fuzz(demo_module, role) == []


class TestLeadOfficers:
    @pytest.mark.parametrize("role", GROUPS["lead officers"])
    def test_hostile_query_strings_never_cause_a_server_error(self, demo_module, db, role):
        assert _fuzz(demo_module, role) == []


class TestSuperusersASecondCouncilAndFinance:
    @pytest.mark.parametrize("role", GROUPS["superusers, a second council and finance"])
    def test_hostile_query_strings_never_cause_a_server_error(self, demo_module, db, role):
        assert _fuzz(demo_module, role) == []


def test_the_groups_cover_every_role():
    assert sorted(r for roles in GROUPS.values() for r in roles) == sorted(ROLES)
