"""A provider's own diversity, in the 360Giving DEI Extension's terms: answered by its own
people once a financial year, checked against the extension's closed code lists, read by the
councils that fund it and by nobody else."""

import csv
import datetime as dt
import json
import re

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from grants import diversity, services, worklists
from grants.models import OrganisationDiversity
from sla_monitor.periods import financial_year_label, financial_year_of
from tests.factories import (
    AgreementFactory,
    CouncilFactory,
    QuarterlyReturnFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

YEAR = financial_year_of(timezone.localdate())
LED_BY = diversity.AreaAnswer(reply="RS200", codes=("DEI020330",))
GENERAL = diversity.AreaAnswer(reply="RS201")


@pytest.fixture
def funded():
    """A provider with one of its people, funded by a council with a lead officer, to which it
    has sent a return: the provider shares its answers about itself with that council."""
    agreement = AgreementFactory()
    QuarterlyReturnFactory(agreement=agreement, submitted=True)
    return (
        agreement.provider,
        UserFactory(organisation=agreement.provider),
        UserFactory(lead_officer=True, organisation=agreement.funder),
    )


def _record(organisation, by, *, year=YEAR, leadership=LED_BY, mission=GENERAL, publish=True):
    return services.record_diversity(
        organisation=organisation,
        by=by,
        financial_year=year,
        leadership=leadership,
        mission=mission,
        may_publish=publish,
    )


# The extension's code lists ----------------------------------------------------------------------


def test_the_taxonomy_offers_exactly_the_codes_of_the_extensions_closed_list():
    offered = [o.code for g in diversity.POPULATION_GROUPS for o in g.options]

    assert sorted(offered) == sorted(diversity.TAXONOMY_CODES)
    assert len(offered) == len(set(offered)) == 73
    assert [g.prefix for g in diversity.POPULATION_GROUPS][:3] == ["DEI01", "DEI02", "DEI03"]


def test_codes_are_read_with_the_titles_the_code_lists_give_them():
    with (diversity.FILES / "codelists" / "replyStatus.csv").open(encoding="utf-8") as file:
        rows = list(csv.reader(file, skipinitialspace=True))

    assert [r[0] for r in rows[1:]] == list(diversity.REPLY_STATUS)
    assert diversity.REPLY_STATUS["RS100"].description == "No reply was received"
    assert diversity.ASKED_STATUS["AS201"].title == "Asked After The Application Process"
    assert diversity.TAXONOMY_CODES["DEI020330"].title == "Neurodivergent"
    assert set(diversity.OFFERED) == set(diversity.AVAILABLE_OPTIONS)


def test_the_extension_schema_is_the_one_the_app_fills():
    schema = json.loads((diversity.FILES / "schema" / "360-giving-schema.json").read_text())
    area = schema["definitions"]["DeiApplicationArea"]["properties"]

    assert set(schema["properties"]["deiDetails"]["required"]) == {
        "leadership",
        "mission",
        "project",
    }
    assert {a.key for a in diversity.AREAS} < set(schema["properties"]["deiDetails"]["required"])
    assert area["askedStatus"]["codelist"] == "askedStatus.csv"
    assert area["response"]["properties"]["taxonomyCodes"]["items"]["openCodelist"] is False


# Recording answers --------------------------------------------------------------------------------


def test_a_provider_answers_for_the_current_year_and_the_change_history_says_who(funded):
    provider, person, _ = funded

    answers = _record(
        provider,
        person,
        leadership=diversity.AreaAnswer(
            reply="RS200", codes=("DEI050000", "DEI020330"), geography="  Kettering  "
        ),
    )

    answers.refresh_from_db()
    assert answers.financial_year == YEAR
    assert answers.leadership_codes == ["DEI020330", "DEI050000"]  # the taxonomy's order
    assert answers.leadership_geography == "Kettering"
    assert answers.mission_reply == "RS201" and answers.mission_codes == []
    assert answers.updated_by == person
    created = LogEntry.objects.get_for_object(answers).get()
    assert created.action == LogEntry.Action.CREATE


def test_answering_again_the_same_year_changes_that_years_answers(funded):
    provider, person, _ = funded
    colleague = UserFactory(organisation=provider)
    first = _record(provider, person)

    second = _record(
        provider, colleague, mission=diversity.AreaAnswer(reply="RS200", codes=("DEI060000",))
    )

    assert second.pk == first.pk
    assert OrganisationDiversity.objects.count() == 1
    second.refresh_from_db()
    assert second.mission_codes == ["DEI060000"] and second.updated_by == colleague
    change = LogEntry.objects.get_for_object(second).filter(action=LogEntry.Action.UPDATE).get()
    assert set(change.changes_dict) >= {"mission_reply", "mission_codes", "updated_by"}


def test_answers_saved_unchanged_change_nothing(funded):
    provider, person, _ = funded
    first = _record(provider, person)

    _record(provider, UserFactory(organisation=provider))

    first_again = OrganisationDiversity.objects.get()
    assert (first_again.updated_by, first_again.updated_at) == (person, first.updated_at)


def test_declining_is_an_answer_kept_with_nothing_else(funded):
    provider, person, _ = funded

    answers = _record(
        provider,
        person,
        leadership=diversity.AreaAnswer(reply="RS202"),
        mission=diversity.AreaAnswer(reply="RS202"),
        publish=False,
    )

    assert (answers.leadership_reply, answers.mission_reply, answers.may_publish) == (
        "RS202",
        "RS202",
        False,
    )


@pytest.mark.parametrize(
    ("leadership", "field", "message"),
    [
        (
            diversity.AreaAnswer(reply="RS200", codes=("DEI999999",)),
            "leadership_codes",
            "DEI999999 is not in the DEI Data Standard's list of communities",
        ),
        (
            diversity.AreaAnswer(reply="RS200", codes=("DEI020310", "DEI020330")),
            "leadership_codes",
            "Choose one answer for Disabled people, not Learning disability and Neurodivergent",
        ),
        (diversity.AreaAnswer(reply="RS203"), "leadership_reply", "Say whether your organisation"),
        (diversity.AreaAnswer(reply="RS100"), "leadership_reply", "Say whether your organisation"),
        (diversity.AreaAnswer(reply=""), "leadership_reply", "Say whether your organisation"),
        (
            diversity.AreaAnswer(reply="RS200"),
            "leadership_reply",
            "You answered yes: choose at least one community",
        ),
        (
            diversity.AreaAnswer(reply="RS201", codes=("DEI060000",)),
            "leadership_reply",
            "but answered “No, our leadership is not mainly",
        ),
        (
            diversity.AreaAnswer(reply="RS202", lived_experience="Care leavers"),
            "leadership_reply",
            "but answered “I prefer not to say”",
        ),
        (
            diversity.AreaAnswer(reply="RS200", lived_experience="x" * 501),
            "leadership_lived_experience",
            "500 characters or fewer",
        ),
        (
            diversity.AreaAnswer(reply="RS200", geography="x" * 201),
            "leadership_geography",
            "200 characters or fewer",
        ),
    ],
    ids=[
        "unknown code",
        "two codes of one group",
        "not the provider's reply",
        "no reply is not an answer",
        "nothing",
        "yes with nothing",
        "general with a code",
        "declined with words",
        "lived experience too long",
        "place too long",
    ],
)
def test_an_answer_outside_the_extensions_rules_is_refused_and_nothing_saved(
    funded, leadership, field, message
):
    provider, person, _ = funded

    with pytest.raises(ValidationError) as refused:
        _record(provider, person, leadership=leadership)

    assert message in refused.value.message_dict[field][0]
    assert not OrganisationDiversity.objects.exists()


def test_only_the_organisations_own_people_answer_for_it(funded):
    provider, _, officer = funded
    someone_else = UserFactory()
    administrator = UserFactory(superuser=True)

    for other in (officer, someone_else, administrator):
        with pytest.raises(PermissionDenied):
            _record(provider, other)
    assert not OrganisationDiversity.objects.exists()


def test_a_council_has_no_diversity_answers_of_this_kind():
    council = CouncilFactory()
    staff = UserFactory(organisation=council)  # a provider role at a council, wrongly

    with pytest.raises(PermissionDenied):
        _record(council, staff)


@pytest.mark.parametrize("year", [YEAR - 1, YEAR + 1])
def test_answers_are_given_for_the_current_year_only(funded, year):
    provider, person, _ = funded

    with pytest.raises(
        ValidationError, match=f"current financial year, {financial_year_label(YEAR)}"
    ):
        _record(provider, person, year=year)
    assert not OrganisationDiversity.objects.exists()


def test_whether_answers_may_be_published_must_be_said(funded):
    provider, person, _ = funded

    with pytest.raises(ValidationError) as refused:
        _record(provider, person, publish=None)

    assert "may_publish" in refused.value.message_dict


def test_the_database_keeps_one_answer_a_year_and_only_the_providers_replies(funded):
    provider, person, _ = funded
    _record(provider, person)
    values = {
        "organisation": provider,
        "financial_year": YEAR,
        "leadership_reply": "RS201",
        "mission_reply": "RS201",
        "may_publish": True,
        "updated_by": person,
    }

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationDiversity.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationDiversity.objects.create(
            **{**values, "financial_year": YEAR - 1, "mission_reply": "RS203"}
        )


# The provider's page -----------------------------------------------------------------------------


def _form_data(**overrides) -> dict:
    data = {
        "financial_year": str(YEAR),
        "leadership_reply": "RS200",
        "leadership_DEI02": "DEI020330",
        "leadership_DEI06": "DEI060000",
        "leadership_lived_experience": "",
        "leadership_geography": "",
        "mission_reply": "RS202",
        "mission_lived_experience": "",
        "mission_geography": "",
        "may_publish": "yes",
    }
    return {**data, **overrides}


URL = reverse("grants:organisation_diversity")


def test_the_page_says_why_it_asks_and_how_answers_are_published(funded, client):
    _, person, _ = funded
    client.force_login(person)

    html = client.get(URL).content.decode()

    assert "<h1>Your organisation's diversity</h1>" in html
    assert "Why we ask" in html and "Answering is optional" in html
    assert "360Giving open data" in html
    assert html.count('<input class="form-check-input" type="radio"') == 2 * (73 + 11)


def test_a_provider_saves_its_answers_on_the_page(funded, client):
    provider, person, _ = funded
    client.force_login(person)

    response = client.post(URL, _form_data(), follow=True)

    answers = OrganisationDiversity.objects.get(organisation=provider)
    assert answers.leadership_codes == ["DEI020330", "DEI060000"]
    assert answers.mission_reply == "RS202" and answers.may_publish
    assert f"Your answers for {financial_year_label(YEAR)} were saved." in response.content.decode()
    again = client.get(URL).content.decode()
    assert re.search(r'value="DEI020330"[^>]* checked', again)
    assert 'Disabled people<span class="community-chosen">: Neurodivergent</span>' in again


def test_an_empty_form_is_refused_with_each_question_in_the_error_summary(funded, client):
    _, person, _ = funded
    client.force_login(person)

    response = client.post(URL, {"financial_year": str(YEAR)})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_leadership_reply_0">Say whether your organisation is led' in html
    assert '<a href="#id_mission_reply_0">Say whether your organisation&#x27;s mission' in html
    assert '<a href="#id_may_publish_0">Say whether your answers may be published' in html
    assert not OrganisationDiversity.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"leadership_DEI02": "DEI999999"},
            "leadership_DEI02",
            "Choose one of the answers for Disabled people",
        ),
        (
            {"leadership_DEI02": "DEI060000"},
            "leadership_DEI02",
            "Choose one of the answers for Disabled people",
        ),
        ({"leadership_reply": "RS203"}, "leadership_reply", "Say whether your organisation is led"),
        ({"mission_reply": "RS202", "mission_DEI03": "DEI030000"}, "mission_reply", "but answered"),
        (
            {"leadership_reply": "RS200", "leadership_DEI02": "", "leadership_DEI06": ""},
            "leadership_reply",
            "You answered yes",
        ),
        ({"leadership_geography": "x" * 201}, "leadership_geography", "200 characters or fewer"),
        ({"may_publish": "maybe"}, "may_publish", "Say whether your answers may be published"),
    ],
    ids=[
        "unknown code",
        "another group's code",
        "a reply not offered",
        "declined with a community",
        "yes with nothing",
        "place too long",
        "publishing unanswered",
    ],
)
def test_bad_answers_are_refused_beside_the_question_and_nothing_saved(
    funded, client, overrides, field, message
):
    _, person, _ = funded
    client.force_login(person)

    response = client.post(URL, _form_data(**overrides))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not OrganisationDiversity.objects.exists()


def test_answers_sent_once_the_year_has_turned_are_refused_above_the_form(funded, client):
    _, person, _ = funded
    client.force_login(person)

    response = client.post(URL, _form_data(financial_year=str(YEAR - 1)))

    html = response.content.decode()
    assert response.status_code == 200
    assert "can no longer be changed. Nothing was saved." in html
    assert not OrganisationDiversity.objects.exists()


@pytest.mark.parametrize(
    "junk",
    ["", "x", "-1", "9" * 30, "DEI", "<script>", "\x00", "RS200;RS201", "yes\nno"],
)
def test_no_value_in_any_field_makes_the_page_fail(funded, client, junk):
    _, person, _ = funded
    client.force_login(person)
    names = [*_form_data(), "mission_DEI01", "leadership_DEI80"]

    for name in names:
        response = client.post(URL, _form_data(**{name: junk}))
        assert response.status_code in (200, 302), (name, junk)
    response = client.post(URL, {name: [junk, "RS200"] for name in names})
    assert response.status_code == 200


def test_a_provider_changes_its_answers_until_the_year_ends(funded, client):
    provider, person, _ = funded
    _record(provider, person)
    client.force_login(person)

    html = client.get(URL).content.decode()
    client.post(URL, _form_data(leadership_reply="RS201", leadership_DEI02="", leadership_DEI06=""))

    assert f"You answered for {financial_year_label(YEAR)} on" in html
    assert "until 31 March" in html
    assert OrganisationDiversity.objects.get().leadership_reply == "RS201"


def test_earlier_years_are_shown_below_read_only(funded, client):
    provider, person, _ = funded
    OrganisationDiversity.objects.create(
        organisation=provider,
        financial_year=YEAR - 1,
        leadership_reply="RS200",
        leadership_codes=["DEI090000"],
        mission_reply="RS201",
        may_publish=False,
        updated_by=person,
    )
    client.force_login(person)

    html = client.get(URL).content.decode()

    assert "Your answers in earlier years" in html
    assert financial_year_label(YEAR - 1) in html
    assert "Women and girls" in html and "Not to be published" in html


# Who reads the answers ---------------------------------------------------------------------------


def test_the_funding_councils_lead_officer_reads_the_answers(funded, client):
    provider, person, officer = funded
    _record(provider, person)
    client.force_login(officer)

    html = client.get(reverse("grants:provider_diversity", args=[provider.pk])).content.decode()

    assert "Led mainly by people from:" in html
    assert "Disabled people: Neurodivergent" in html
    assert "General: not aimed at any one community" in html
    assert f"{person.get_full_name()}, " in html
    assert "<form" not in html.split("<main")[1].split("</main>")[0]


def test_another_councils_officer_and_another_provider_do_not_find_the_answers(funded, client):
    provider, person, _ = funded
    _record(provider, person)
    url = reverse("grants:provider_diversity", args=[provider.pk])

    for other in (UserFactory(lead_officer=True), UserFactory()):
        client.force_login(other)
        assert client.get(url).status_code == 404


def test_a_council_the_provider_has_not_reported_to_reads_nothing_it_said_of_itself(funded, client):
    provider, person, _ = funded
    _record(provider, person)
    newcomer = AgreementFactory(provider=provider)
    client.force_login(UserFactory(lead_officer=True, organisation=newcomer.funder))

    html = client.get(reverse("grants:provider_diversity", args=[provider.pk])).content.decode()

    assert "Led mainly by people from:" not in html
    assert "has sent yours none yet" in html


def test_a_provider_that_has_not_answered_says_so(funded, client):
    provider, _, officer = funded
    client.force_login(officer)

    html = client.get(reverse("grants:provider_diversity", args=[provider.pk])).content.decode()

    assert "has not answered these questions" in html


def _earlier_years(provider) -> None:
    for year in range(YEAR - 6, YEAR):
        OrganisationDiversity.objects.create(
            organisation=provider,
            financial_year=year,
            leadership_reply="RS200",
            leadership_codes=["DEI010000"],
            mission_reply="RS202",
            may_publish=True,
            updated_by=UserFactory(organisation=provider),
        )


@pytest.mark.parametrize("reader", ["officer", "person"])
def test_the_answers_page_runs_the_same_queries_for_one_year_and_many(
    funded, client, same_queries, reader
):
    provider, person, officer = funded
    _record(provider, person)
    if reader == "officer":
        client.force_login(officer)
        url = reverse("grants:provider_diversity", args=[provider.pk])
    else:
        client.force_login(person)
        url = URL

    same_queries(lambda: client.get(url), grow=lambda: _earlier_years(provider))


# Once a year on the home page ------------------------------------------------------------------


def test_the_home_page_asks_once_a_year_until_the_provider_answers(funded, client):
    provider, person, _ = funded
    client.force_login(person)
    today = timezone.localdate()

    before = client.get(reverse("oversight:home")).content.decode()
    _record(provider, person)
    after = client.get(reverse("oversight:home")).content.decode()

    assert worklists.diversity_unanswered(person, today) == ""
    assert worklists.diversity_unanswered(person, dt.date(today.year + 1, 4, 1)) != ""
    assert URL in before and "Optional, once a year" in before
    assert "Optional, once a year" not in after
