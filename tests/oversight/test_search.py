"""The search page: what it finds, what it refuses, and its fixed number of queries."""

import factory
import pytest
from django.urls import reverse

from oversight import search
from sla_monitor.models import User
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgreementFactory,
    CouncilFactory,
    ProviderFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
    UserFactory,
)

URL = reverse("oversight:search")


@pytest.fixture
def council(db):
    return CouncilFactory(name="Kettering Borough Council", short_code="KBC")


@pytest.fixture
def officer(council):
    return UserFactory(
        lead_officer=True, organisation=council, first_name="Priya", last_name="Shah"
    )


@pytest.fixture
def agreement(council, officer):
    return AgreementFactory(
        reference="KBC-CCE-01",
        title="Community Cohesion and Equalities Service Specification",
        funder=council,
        provider=ProviderFactory(name="Kettering Community Cohesion Network"),
        lead_officer=officer,
    )


@pytest.fixture
def elsewhere(db):
    """Another council's agreement for the same provider words, and its return."""
    other = AgreementFactory(
        reference="LCC-HCR-01",
        title="Hate Crime Reporting and Community Cohesion Grant",
        funder=CouncilFactory(name="Leicester City Council", short_code="LCC"),
    )
    QuarterlyReturnFactory(agreement=other)
    return other


def found(response, kind: str) -> list:
    for group in response.context["groups"]:
        if group.kind.key == kind:
            return group.results
    return []


def test_an_empty_search_shows_the_box_and_a_hint(client, officer):
    client.force_login(officer)

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="form-label fw-semibold" for="id_q">Search for</label>' in html
    assert "Search finds what you can open yourself" in html
    assert response.context["groups"] == []


def test_an_officer_finds_their_councils_agreement_and_return_by_reference_and_title(
    client, officer, agreement, elsewhere
):
    own_return = QuarterlyReturnFactory(agreement=agreement)
    client.force_login(officer)

    by_reference = client.get(URL, {"q": "KBC-CCE-01"})
    by_words = client.get(URL, {"q": "cohesion equalities"})

    assert found(by_reference, "agreements") == [agreement]
    assert found(by_reference, "returns") == [own_return]
    assert found(by_words, "agreements") == [agreement]
    assert "KBC-CCE-01" in by_words.content.decode()


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_either_languages_words_find_an_agreement_and_an_action_whatever_the_readers_language(
    client, council, officer, agreement, language
):
    council.welsh_offer = True
    council.save(update_fields=["welsh_offer"])
    agreement.title_cy = "Manyleb Gwasanaeth Cydlyniant Cymunedol"
    agreement.save()
    own_return = QuarterlyReturnFactory(agreement=agreement)
    action = ActionFactory(
        plan=ActionPlanFactory(owner=council, title_en_gb="Equality plan", title_cy="Cynllun"),
        wording_en_gb="Publish the equality data.",
        wording_cy="Cyhoeddi'r data cydraddoldeb.",
    )
    User.objects.filter(pk=officer.pk).update(language=language)
    client.force_login(officer)

    for words in ("cohesion equalities", "cydlyniant cymunedol"):
        response = client.get(URL, {"q": words})
        assert found(response, "agreements") == [agreement], words
        assert found(response, "returns") == [own_return], words
    for words in ("equality data", "cyhoeddi data"):
        assert found(client.get(URL, {"q": words}), "actions") == [action], words
    for words in ("equality plan", "cynllun"):
        assert found(client.get(URL, {"q": words}), "plans") == [action.plan], words


def test_a_part_of_a_reference_finds_the_agreement(client, officer, agreement):
    client.force_login(officer)

    assert found(client.get(URL, {"q": "KBC-CCE"}), "agreements") == [agreement]


def test_another_councils_agreement_is_never_found(client, officer, agreement, elsewhere):
    client.force_login(officer)

    for query in ("LCC-HCR-01", "LCC", "Hate Crime Reporting", "cohesion", elsewhere.provider.name):
        response = client.get(URL, {"q": query})
        assert elsewhere not in found(response, "agreements"), query
        assert not [r for r in found(response, "returns") if r.agreement_id == elsewhere.pk]
        assert elsewhere.provider not in found(response, "providers"), query
        html = response.content.decode()
        assert reverse("grants:agreement_detail", args=[elsewhere.pk]) not in html, query


def test_a_provider_finds_only_its_own_agreements_and_not_its_people_unless_it_administers(
    client, agreement, elsewhere
):
    provider = UserFactory(organisation=agreement.provider, first_name="Sam", last_name="Okafor")
    client.force_login(provider)

    response = client.get(URL, {"q": "cohesion"})

    assert found(response, "agreements") == [agreement]
    assert found(response, "providers") == [agreement.provider]
    assert found(client.get(URL, {"q": "Okafor"}), "people") == []


def test_a_provider_administrator_finds_their_own_people(client, agreement):
    admin = UserFactory(organisation=agreement.provider, role=User.Role.PROVIDER_ADMIN)
    colleague = UserFactory(organisation=agreement.provider, first_name="Nia", last_name="Adeyemi")
    UserFactory(first_name="Nia", last_name="Adeyemi")
    client.force_login(admin)

    assert found(client.get(URL, {"q": "Adeyemi"}), "people") == [colleague]


def test_council_staff_find_their_plans_and_actions(client, council):
    plan = ActionPlanFactory(owner=council, title="Single Equality Scheme")
    action = ActionFactory(
        section__plan=plan, number="2.6", wording="Monitor community tension countywide"
    )
    ActionFactory(wording="Monitor community tension citywide")
    client.force_login(UserFactory(action_owner=True, organisation=council))

    response = client.get(URL, {"q": "community tension"})

    assert found(response, "actions") == [action]
    assert found(client.get(URL, {"q": "equality scheme"}), "plans") == [plan]
    assert reverse("equality_plans:action_detail", args=[plan.pk, action.pk]) in (
        response.content.decode()
    )


def test_a_search_longer_than_200_characters_is_refused_with_a_clear_error(client, officer):
    client.force_login(officer)

    response = client.get(URL, {"q": "a" * 201})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_q">Search for 200 characters or fewer</a>' in html
    assert "<title>Error: Search" in html
    assert response.context["groups"] == []


@pytest.mark.parametrize(
    "query",
    [
        "'",
        "O'Brien",
        "&",
        "cohesion & hate",
        "!",
        "!cohesion",
        ":*",
        "cohes:*",
        "\\",
        "\\x",
        '"',
        '"unclosed',
        "-",
        "|",
        "(",
        "<->",
        "%",
        "_",
        "or",
        "a & | ! :* ( ) <-> \\ ' \"",
    ],
)
def test_search_syntax_in_a_query_never_errors(client, officer, agreement, query):
    client.force_login(officer)

    assert client.get(URL, {"q": query}).status_code == 200


def test_a_null_character_is_refused_with_a_clear_error(client, officer):
    client.force_login(officer)

    response = client.get(URL, {"q": "cohesion\x00"})

    assert response.status_code == 200
    assert "Search for letters, numbers and punctuation only" in response.content.decode()


def test_each_kind_shows_its_first_20_and_says_so(client, officer, council):
    AgreementFactory.create_batch(search.SHOWN + 1, funder=council, title="Youth Club Grant")
    client.force_login(officer)

    response = client.get(URL, {"q": "youth club"})

    assert len(found(response, "agreements")) == search.SHOWN
    assert "Showing the first 20." in response.content.decode()


def test_the_search_runs_the_same_queries_for_few_matches_and_many(db, client, same_queries):
    """One query a kind, however many records of each kind match."""
    council = CouncilFactory(name="Cohesion Borough Council")
    root = UserFactory(superuser=True)
    period = ReportingPeriodFactory()

    def one_of_each():
        provider = ProviderFactory(name=factory.Sequence(lambda n: f"Cohesion Trust {n}"))
        agreement = AgreementFactory(funder=council, provider=provider, title="Cohesion grant")
        QuarterlyReturnFactory(agreement=agreement, period=period)
        plan = ActionPlanFactory(
            owner=council, title=factory.Sequence(lambda n: f"Cohesion plan {n}")
        )
        ActionFactory(section__plan=plan, wording="Cohesion events")
        UserFactory(organisation=provider, first_name="Cohesion", last_name="Worker")

    def many():
        for _ in range(search.SHOWN + 5):
            one_of_each()

    one_of_each()
    client.force_login(root)

    counted = same_queries(lambda: client.get(URL, {"q": "cohesion"}), grow=many)

    groups = counted.result.context["groups"]
    assert [g.kind.key for g in groups] == [kind.key for kind in search.KINDS]
    assert all(g.more for g in groups)
    # The session, the user and the header's count of unread notifications, then one query a kind.
    assert counted.queries <= 3 + len(search.KINDS)
