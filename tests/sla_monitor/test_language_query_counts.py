"""A page costs the same queries in Welsh as in English: what a person is offered comes with them,
and nothing a page reads depends on its language."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from equality_plans.permissions import visible_plans
from grants.models import Agreement, QuarterlyReturn
from sla_monitor.models import Organisation, User
from tests.conftest import move_queued_versions
from tests.demo_db import demo_module_fixture

demo_module = demo_module_fixture()


def _pages(person: User) -> dict[str, str]:
    agreement = Agreement.objects.filter(
        Q(funder=person.organisation) | Q(provider=person.organisation)
    ).first()
    quarterly_return = QuarterlyReturn.objects.filter(agreement=agreement).first()
    plan = visible_plans(person).first()
    return {
        "home": reverse("oversight:home"),
        "dashboard": reverse("oversight:council_dashboard"),
        "review queue": reverse("grants:review_queue"),
        "return": reverse("grants:return_detail", args=[quarterly_return.pk]),
        "agreement": reverse("grants:agreement_detail", args=[agreement.pk]),
        "plan": reverse("equality_plans:plan_detail", args=[plan.pk]) if plan else "",
        "inbox": reverse("oversight:inbox"),
    }


def _queries(client, url: str) -> int:
    # Counted cold, after a first request has written what a session's first request writes.
    client.get(url)
    move_queued_versions()
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


PAGES = [
    *[
        ("officer", page)
        for page in ["home", "dashboard", "review queue", "return", "agreement", "plan", "inbox"]
    ],
    *[("provider", page) for page in ["home", "return", "agreement", "inbox"]],
]


@pytest.mark.parametrize(("username", "page"), PAGES)
def test_a_page_runs_the_same_queries_in_welsh_and_in_english(
    demo_module, client, db, username, page
):
    # Every council offers Welsh: the provider's people are offered it through their funder.
    Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).update(welsh_offer=True)
    person = User.objects.get(username=username)
    url = _pages(person)[page]
    client.force_login(person)

    counts = {}
    for language in ["en-gb", "cy"]:
        User.objects.filter(pk=person.pk).update(language=language)
        counts[language] = _queries(client, url)
        assert client.get(url)["Content-Language"] == language

    assert counts["cy"] == counts["en-gb"], counts
