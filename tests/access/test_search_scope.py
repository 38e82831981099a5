"""Search finds nothing of another organisation, for every role and any query: searched for
every name, reference, title and code in the demo, each person finds only their own
organisation's agreements, returns, providers and people, and only the plans and actions their
plan list shows them. Two councils fund the cohesion network, and neither finds the other's."""

import pytest
from django.urls import reverse

from equality_plans.models import Action, ActionPlan
from grants.models import Agreement
from oversight import search
from sla_monitor.models import Organisation, User
from tests.access.test_return_urls import ROLES
from tests.demo_db import demo_module_fixture

demo_module = demo_module_fixture()

SIGNED_IN = [role for role in ROLES if role != "anonymous"]
URL = reverse("oversight:search")
WORDS = ["community", "cohesion", "hate crime", "volunteer", "equality", "council", "1", "2.6"]


def every_query() -> list[str]:
    """Every name, reference, title and code in the demo, and words many records share."""
    names = [
        *Agreement.objects.values_list("reference", flat=True),
        *Agreement.objects.values_list("title", flat=True),
        *Organisation.objects.values_list("name", flat=True),
        *Organisation.objects.exclude(short_code="").values_list("short_code", flat=True),
        *User.objects.values_list("username", flat=True),
        *User.objects.exclude(last_name="").values_list("last_name", flat=True),
        *ActionPlan.objects.values_list("title", flat=True),
        *Action.objects.values_list("lead_responsibility", flat=True).distinct()[:20],
    ]
    return sorted({name for name in names if name} | set(WORDS))


def own(user, listed_plans: set[int]):
    """Whether a found record is the user's to see, asked of the records themselves rather than
    of the policies search uses: agreements, returns, providers and people of the user's own
    organisation (a council's providers are those it funds), plans and actions as the plan list
    shows them."""
    organisation = user.organisation_id
    funded = set(
        Agreement.objects.filter(funder_id=organisation).values_list("provider_id", flat=True)
    )

    def check(kind: str, record) -> bool:
        if kind == "agreements":
            return organisation in (record.funder_id, record.provider_id)
        if kind == "returns":
            return organisation in (record.agreement.funder_id, record.agreement.provider_id)
        if kind == "providers":
            return record.pk == organisation or record.pk in funded
        if kind == "plans":
            return record.pk in listed_plans
        if kind == "actions":
            return record.plan_id in listed_plans
        if kind == "people":
            return record.organisation_id == organisation
        raise ValueError(kind)

    return check


def plans_listed_for(client, user) -> set[int]:
    client.force_login(user)
    response = client.get(reverse("equality_plans:plan_list"))
    return {plan.pk for plan in response.context["plans"]} if response.status_code == 200 else set()


@pytest.mark.parametrize("role", [role for role in SIGNED_IN if role != "admin"])
def test_no_query_finds_another_organisations_record(demo_module, client, db, role):
    user = User.objects.select_related("organisation").get(username=role)
    is_own = own(user, plans_listed_for(client, user))
    leaks, found = [], 0

    for query in every_query():
        for group in search.search(user, query):
            for record in group.results:
                found += 1
                if not is_own(group.kind.key, record):
                    leaks.append(f"{query!r} found {group.kind.key}: {record}")

    assert found, "the sweep found nothing at all, so it shows nothing"
    assert leaks == []


def test_a_superuser_finds_every_kind(demo_module, db):
    admin = User.objects.get(username="admin")

    kinds = {group.kind.key for query in WORDS for group in search.search(admin, query)}

    assert kinds == {kind.key for kind in search.KINDS}


def shown(client, role: str, query: str) -> dict[str, set[str]]:
    """What the search page lists for the role, by kind, each record by its name or reference."""
    client.force_login(User.objects.get(username=role))
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    named = {
        "agreements": lambda r: r.reference,
        "returns": lambda r: r.agreement.reference,
        "providers": lambda r: r.name,
        "plans": lambda r: r.title,
        "actions": lambda r: f"{r.plan.title} {r.number}",
        "people": lambda r: r.username,
    }
    return {
        group.kind.key: {named[group.kind.key](r) for r in group.results}
        for group in response.context["groups"]
    }


def test_leicester_searching_kbc_finds_none_of_ketterings_agreements_or_returns(
    demo_module, client, db
):
    kbc = shown(client, "leicester", "KBC")
    cohesion = shown(client, "leicester", "cohesion")
    hate_crime = shown(client, "leicester", "hate crime")

    assert not kbc.get("agreements") and not kbc.get("returns")
    assert "agreements" not in cohesion
    assert cohesion.get("returns", set()) <= {"LCC-HCR-01"}
    assert cohesion["providers"] == {"Kettering Community Cohesion Network"}
    assert hate_crime["agreements"] == {"LCC-HCR-01"}


def test_ketterings_officer_searching_leicesters_agreement_finds_nothing_of_it(
    demo_module, client, db
):
    by_reference = shown(client, "officer", "LCC-HCR-01")
    by_title = shown(client, "officer", "Hate Crime Reporting Centre")

    assert "agreements" not in by_reference and "returns" not in by_reference
    assert "LCC-HCR-01" not in by_title.get("agreements", set())
    assert shown(client, "officer", "KBC-CCE-01")["agreements"] == {"KBC-CCE-01"}


def test_the_provider_both_councils_fund_finds_its_own_agreements_with_each(
    demo_module, client, db
):
    cohesion = shown(client, "provider", "cohesion")
    hate_crime = shown(client, "provider", "hate crime")
    volunteering = shown(client, "provider", "KBC-VOL-01")

    assert cohesion["agreements"] == {"KBC-CCE-01"}
    assert hate_crime["agreements"] == {"LCC-HCR-01"}
    assert cohesion["providers"] == {"Kettering Community Cohesion Network"}
    assert volunteering == {}
    assert "people" not in shown(client, "provider", "Whitfield")


def test_the_volunteer_centre_finds_nothing_of_the_cohesion_network(demo_module, client, db):
    cohesion = shown(client, "provider2", "cohesion")

    assert not cohesion.get("agreements") and not cohesion.get("returns")
    assert "Kettering Community Cohesion Network" not in cohesion.get("providers", set())
    assert "people" not in shown(client, "provider2", "Okafor")


@pytest.mark.parametrize(
    ("role", "query"),
    [
        ("officer", "Okafor"),  # a funded provider's person
        ("officer", "Bell"),  # Leicester's officer
        ("leicester", "Shah"),  # Kettering's officer
        ("cohesion", "Hussain"),  # Kingston's equality officer
        ("equality", "Carter"),  # Kettering's equality officer
        ("counciladmin", "Whitfield"),  # a funded provider's person
    ],
)
def test_another_organisations_people_are_never_found(demo_module, client, db, role, query):
    assert "people" not in shown(client, role, query)


def test_kingstons_staff_find_nothing_of_ketterings(demo_module, client, db):
    for role in ("equality", "planmanager"):
        found = shown(client, role, "Kettering")
        assert not {"agreements", "returns", "providers", "people"} & found.keys(), role
