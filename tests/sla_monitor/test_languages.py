"""Which languages a person is offered, which one a page is in, and how a person chooses."""

import re

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test.client import Client
from django.urls import reverse

from sla_monitor import languages
from sla_monitor.backends import ModelBackend
from sla_monitor.models import User
from tests.factories import AgreementFactory, CouncilFactory, ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME
CHOOSE = "/language/"


def welsh_council(**kwargs):
    return CouncilFactory(welsh_offer=True, **kwargs)


def officer_of(council) -> User:
    return UserFactory(lead_officer=True, organisation=council)


def loaded(user: User) -> User:
    """The person as each request loads them."""
    return ModelBackend().get_user(user.pk)


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


# What is offered


def test_welsh_is_offered_to_the_people_of_a_council_that_offers_it():
    assert languages.welsh_offered_to(loaded(officer_of(welsh_council())))


def test_welsh_is_not_offered_to_the_people_of_a_council_that_does_not():
    welsh_council()

    assert not languages.welsh_offered_to(loaded(officer_of(CouncilFactory())))


def test_welsh_is_offered_to_a_provider_funded_by_a_council_that_offers_it():
    provider = ProviderFactory()
    AgreementFactory(provider=provider, funder=CouncilFactory())
    AgreementFactory(provider=provider, funder=welsh_council())

    assert languages.welsh_offered_to(loaded(UserFactory(organisation=provider)))


def test_welsh_is_not_offered_to_a_provider_funded_only_by_councils_that_do_not_offer_it():
    welsh_council()
    provider = ProviderFactory()
    AgreementFactory(provider=provider, funder=CouncilFactory())

    assert not languages.welsh_offered_to(loaded(UserFactory(organisation=provider)))


def test_visitors_and_the_services_administrators_are_offered_welsh_when_any_council_offers_it():
    root = UserFactory(superuser=True)
    assert not languages.welsh_offered_to(Client().get("/accounts/login/").wsgi_request.user)
    assert not languages.welsh_offered_to(loaded(root))

    welsh_council()

    assert languages.welsh_offered_to(Client().get("/accounts/login/").wsgi_request.user)
    assert languages.welsh_offered_to(loaded(root))


def test_what_a_person_is_offered_comes_with_them_at_no_further_query(django_assert_num_queries):
    person = officer_of(welsh_council())

    with django_assert_num_queries(1):
        assert languages.welsh_offered_to(loaded(person))


def test_a_person_loaded_otherwise_is_asked_once(django_assert_num_queries):
    person = User.objects.get(pk=officer_of(welsh_council()).pk)

    with django_assert_num_queries(1):
        assert languages.welsh_offered_to(person)
        assert languages.welsh_offered_to(person)


# The language in use


def test_a_page_is_in_the_persons_chosen_language_over_the_cookie_and_the_browser(client):
    person = officer_of(welsh_council())
    User.objects.filter(pk=person.pk).update(language="cy")
    client.force_login(person)
    client.cookies[COOKIE] = "en-gb"

    response = client.get(reverse("account"), HTTP_ACCEPT_LANGUAGE="en-GB")

    assert html_lang(response) == "cy"
    assert response["Content-Language"] == "cy"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


def test_without_a_choice_the_cookie_then_the_browser_decide(client):
    welsh_council()

    assert html_lang(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="cy,en;q=0.5")) == "cy"
    client.cookies[COOKIE] = "en-gb"
    assert html_lang(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="cy")) == "en-GB"


def test_welsh_is_not_used_where_it_is_not_offered_whatever_was_asked(client):
    person = officer_of(CouncilFactory())
    User.objects.filter(pk=person.pk).update(language="cy")
    client.force_login(person)
    client.cookies[COOKIE] = "cy"

    response = client.get(reverse("account"), HTTP_ACCEPT_LANGUAGE="cy")

    assert html_lang(response) == "en-GB"
    assert response["Content-Language"] == "en-gb"


def test_the_sign_in_page_is_in_welsh_for_a_visitor_with_the_cookie(client):
    welsh_council()
    client.cookies[COOKIE] = "cy"

    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert html_lang(response) == "cy"
    assert response.wsgi_request.LANGUAGE_CODE == "cy"
    # The link leads back to English, named in English.
    assert 'lang="en-GB">English</button>' in response.content.decode()


# The link


def test_the_link_offers_welsh_on_an_english_page_where_welsh_is_offered(client):
    welsh_council()

    page = client.get(reverse("account_reset_password")).content.decode()

    assert f'action="{CHOOSE}"' in page
    assert 'name="language" value="cy"' in page
    assert 'lang="cy">Cymraeg</button>' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_no_link_where_welsh_is_not_offered(client):
    CouncilFactory()
    client.force_login(officer_of(CouncilFactory()))

    assert f'action="{CHOOSE}"' not in client.get(reverse("account")).content.decode()
    client.logout()
    assert f'action="{CHOOSE}"' not in client.get(reverse("account_login")).content.decode()


# Choosing


def test_a_visitor_chooses_welsh_and_the_next_page_is_in_welsh(client):
    welsh_council()

    response = client.post(CHOOSE, {"language": "cy", "next": "/accounts/login/?next=/review/"})

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/review/"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "cy"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.LANGUAGE_COOKIE_AGE
    assert html_lang(client.get(response.url)) == "cy"


def test_a_person_chooses_welsh_and_it_is_kept_on_their_account_and_in_its_history(client):
    person = officer_of(welsh_council())
    client.force_login(person)

    response = client.post(CHOOSE, {"language": "cy", "next": reverse("account")})

    assert response.url == reverse("account")
    person.refresh_from_db()
    assert person.language == "cy"
    entry = LogEntry.objects.get_for_object(person).latest("timestamp")
    assert entry.changes_dict["language"] == ["", "cy"]
    assert entry.actor == person
    # Another browser, with no cookie, follows the account.
    other = Client()
    other.force_login(person)
    assert html_lang(other.get(reverse("account"))) == "cy"


def test_the_link_works_without_a_next_page_and_never_leads_off_the_site(client):
    welsh_council()

    assert client.post(CHOOSE, {"language": "cy"}).url == reverse("oversight:home")
    for away in ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]:
        response = client.post(CHOOSE, {"language": "cy", "next": away})
        assert response.url == reverse("oversight:home"), away


@pytest.mark.parametrize("value", ["fr", "", "en", "CY' OR 1=1"])
def test_a_bad_or_missing_language_is_refused_with_the_choice_to_make(client, value):
    person = officer_of(welsh_council())
    client.force_login(person)
    data = {"next": "/"} | ({"language": value} if value else {})

    response = client.post(CHOOSE, data)

    assert response.status_code == 400
    assert COOKIE not in response.cookies
    assert "Choose a language" in response.content.decode()
    person.refresh_from_db()
    assert person.language == ""


def test_welsh_is_refused_where_it_is_not_offered(client):
    client.force_login(officer_of(CouncilFactory()))

    response = client.post(CHOOSE, {"language": "cy"})

    assert response.status_code == 400
    assert COOKIE not in response.cookies


def test_the_language_is_chosen_by_post_only(client):
    welsh_council()

    assert client.get(CHOOSE, {"language": "cy"}).status_code == 405


def test_the_choice_needs_the_forms_csrf_token():
    welsh_council()
    client = Client(enforce_csrf_checks=True)

    assert client.post(CHOOSE, {"language": "cy"}).status_code == 403


def test_nobody_chooses_for_someone_else_nor_a_language_they_are_not_offered():
    welsh = officer_of(welsh_council())
    other = officer_of(CouncilFactory())

    with pytest.raises(PermissionDenied):
        languages.choose_language(person=welsh, by=other, language="cy")
    with pytest.raises(ValidationError):
        languages.choose_language(person=other, by=other, language="cy")
    with pytest.raises(ValidationError):
        languages.choose_language(person=welsh, by=welsh, language="fr")

    languages.choose_language(person=other, by=other, language="en-gb")
    other.refresh_from_db()
    assert other.language == "en-gb"


# The account page


def test_the_account_page_offers_the_choice_where_welsh_is_offered(client):
    client.force_login(officer_of(welsh_council()))

    page = client.get(reverse("account")).content.decode()

    assert 'name="language"' in page and 'value="cy"' in page
    assert re.search(r'<input type="radio" name="language" value="en-gb"[^>]*checked', page)
    assert f'name="next" value="{reverse("account")}"' in page
    assert '<span lang="cy">Cymraeg</span>' in page


def test_the_account_page_has_no_choice_where_only_english_is_offered(client):
    client.force_login(officer_of(CouncilFactory()))

    assert 'type="radio" name="language"' not in client.get(reverse("account")).content.decode()


# The scripts' words


def test_the_scripts_catalogue_is_a_script_of_its_own_for_everyone(client):
    response = client.get(reverse("javascript_catalog"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    page = client.get(reverse("account_login")).content.decode()
    assert f'<script src="{reverse("javascript_catalog")}"></script>' in page


def test_staff_still_to_set_up_a_second_factor_may_choose_their_language(client):
    person = UserFactory(lead_officer=True, organisation=welsh_council(), two_factor=False)
    client.force_login(person)

    assert client.get(reverse("account")).url == reverse("mfa_activate_totp")
    assert client.get(reverse("javascript_catalog")).status_code == 200
    response = client.post(CHOOSE, {"language": "cy", "next": reverse("mfa_activate_totp")})

    assert response.url == reverse("mfa_activate_totp")
    assert html_lang(client.get(response.url)) == "cy"


# Signing in after choosing


def _provider_funded_by(council) -> User:
    provider = ProviderFactory()
    AgreementFactory(funder=council, provider=provider)
    person = UserFactory(organisation=provider, username="darparwr")
    person.set_password("a long enough password 1")
    person.save()
    return person


def _sign_in(client, person) -> None:
    response = client.post(
        reverse("account_login"), {"login": person.username, "password": "a long enough password 1"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_language_chosen_before_signing_in_becomes_the_accounts(client):
    person = _provider_funded_by(welsh_council())
    client.cookies[COOKIE] = "cy"

    _sign_in(client, person)

    person.refresh_from_db()
    assert person.language == "cy"
    assert languages.language_of(person) == "cy"


def test_signing_in_keeps_the_language_already_on_the_account(client):
    person = _provider_funded_by(welsh_council())
    User.objects.filter(pk=person.pk).update(language="en-gb")
    client.cookies[COOKIE] = "cy"

    _sign_in(client, person)

    person.refresh_from_db()
    assert person.language == "en-gb"


def test_a_language_not_offered_is_not_kept_on_signing_in(client):
    welsh_council()  # so a visitor is offered Welsh
    person = _provider_funded_by(CouncilFactory())
    client.cookies[COOKIE] = "cy"

    _sign_in(client, person)

    person.refresh_from_db()
    assert person.language == ""
