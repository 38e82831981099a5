"""Lead officers add provider organisations: numbers checked as their registers write them, the
identifier made from them, an organisation already listed refused with a way to it."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grants import services
from sla_monitor.models import Organisation, User
from tests.factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("grants:add_provider")
WIZARD = reverse("grants:set_up_agreement")


def _answers(**changes) -> dict:
    return {
        "name": "Corby Food Bank",
        "organisation_type": "charity",
        "address": "12 High Street\nCorby",
        "postcode": "nn17 1aa",
        "charity_number": "sc 012345",
        "charity_register": "",
        "company_number": "1234567",
        "contact_email": "Info@CorbyFoodBank.org.uk",
    } | changes


def _field_error(html: str, field: str) -> str:
    after = html.split(f'<p id="id_{field}_error" class="invalid-feedback d-block">')[1]
    return after.split("</p>")[0]


def test_an_officer_adds_a_provider_with_its_numbers_as_the_registers_write_them(funded):
    provider = services.add_provider(by=funded.officer, **_answers())

    assert provider.kind == Organisation.Kind.PROVIDER
    assert (provider.charity_number, provider.charity_register) == ("SC012345", "scotland")
    assert provider.company_number == "01234567"
    assert provider.postcode == "NN17 1AA"
    assert provider.contact_email == "info@corbyfoodbank.org.uk"
    assert provider.org_id == "GB-SC-SC012345"


def test_a_provider_with_only_a_company_number_is_identified_by_it(funded):
    provider = services.add_provider(
        by=funded.officer,
        **_answers(organisation_type="cic", charity_number="", company_number="oc301234"),
    )

    assert provider.org_id == "GB-COH-OC301234"


def test_adding_a_provider_is_in_the_change_history_with_who_added_it(funded, client):
    client.force_login(funded.officer)

    client.post(URL, _answers())

    provider = Organisation.objects.get(name="Corby Food Bank")
    entry = LogEntry.objects.get_for_object(provider).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == funded.officer


@pytest.mark.parametrize("role", [User.Role.PROVIDER, User.Role.PROVIDER_ADMIN])
def test_a_providers_people_may_not_add_a_provider(funded, client, role):
    person = UserFactory(organisation=funded.agreement.provider, role=role)
    client.force_login(person)

    assert client.get(URL).status_code == 403
    assert client.post(URL, _answers()).status_code == 403
    with pytest.raises(PermissionDenied):
        services.add_provider(by=person, **_answers())
    assert not Organisation.objects.filter(name="Corby Food Bank").exists()


def test_the_officer_is_taken_back_to_the_set_up_of_an_agreement(funded, client):
    client.force_login(funded.officer)

    page = client.get(URL, {"next": WIZARD})
    response = client.post(URL, _answers(next=WIZARD))

    assert f'name="next" value="{WIZARD}"' in page.content.decode()
    assert response.status_code == 302
    assert response.url == WIZARD
    assert Organisation.objects.filter(name="Corby Food Bank", org_id="GB-SC-SC012345").exists()


@pytest.mark.parametrize("back", ["https://example.com/", "//example.com/", "agreements/"])
def test_a_page_to_return_to_of_another_site_is_not_followed(funded, client, back):
    client.force_login(funded.officer)

    response = client.post(URL, _answers(next=back))

    assert response.url == WIZARD


def test_the_set_up_of_an_agreement_offers_to_add_a_provider(funded, client):
    client.force_login(funded.officer)

    html = client.get(WIZARD).content.decode()

    assert "The provider is not listed?" in html
    assert f'href="{URL}?next=/agreements/new/"' in html


def test_a_number_its_register_would_not_write_is_refused_beside_it_and_in_the_summary(
    funded, client
):
    client.force_login(funded.officer)
    message = "A Scottish charity number is SC followed by 6 digits, like SC012345."

    response = client.post(
        URL, _answers(charity_number="SC12345", company_number="123456789", postcode="N1")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_charity_number">{message}</a>' in html
    assert _field_error(html, "charity_number").endswith(message)
    assert "A company number is 8 digits" in _field_error(html, "company_number")
    assert _field_error(html, "postcode").endswith("Enter a UK postcode, like SW1A 1AA.")
    assert not Organisation.objects.filter(name="Corby Food Bank").exists()


def test_a_six_digit_charity_number_needs_its_register(funded, client):
    client.force_login(funded.officer)

    response = client.post(URL, _answers(charity_number="100001"))

    assert "Choose the register of charities" in _field_error(
        response.content.decode(), "charity_register"
    )
    response = client.post(
        URL, _answers(charity_number="100001", charity_register="northern_ireland")
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="Corby Food Bank").org_id == "GB-NIC-100001"


def test_a_registered_charity_needs_its_charity_number(funded):
    with pytest.raises(ValidationError) as refused:
        services.add_provider(by=funded.officer, **_answers(charity_number=""))

    assert refused.value.message_dict == {
        "charity_number": ["Enter the charity number of a registered charity."]
    }


def test_a_provider_the_council_funds_is_refused_again_with_a_link_to_it(funded, client):
    funded_provider = funded.agreement.provider
    client.force_login(funded.officer)

    response = client.post(URL, _answers(charity_number=funded_provider.charity_number))

    html = response.content.decode()
    link = reverse("grants:provider_detail", args=[funded_provider.pk])
    expected = (
        f'<a href="{link}">{funded_provider.name}</a> is already listed with this charity '
        "number: choose it from the providers, or check the number."
    )
    assert expected in _field_error(html, "charity_number")
    assert f'<a href="#id_charity_number">{expected}</a>' in html
    assert not Organisation.objects.filter(name="Corby Food Bank").exists()


def test_a_provider_another_council_funds_is_named_without_a_link(funded, client):
    elsewhere = ProviderFactory(name="Leicester Hate Crime Reporting", company_number="01234567")
    client.force_login(funded.officer)

    response = client.post(URL, _answers())

    error = _field_error(response.content.decode(), "company_number")
    assert error.endswith(
        "Leicester Hate Crime Reporting is already listed with this company number: choose it "
        "from the providers, or check the number."
    )
    assert "<a " not in error
    assert reverse("grants:provider_detail", args=[elsewhere.pk]) not in response.content.decode()


def test_the_same_name_at_the_same_postcode_is_the_same_organisation(funded):
    ProviderFactory(name="Corby Food  BANK", postcode="NN17 1AA", charity_number="")

    with pytest.raises(services.DuplicateProviderError) as refused:
        services.add_provider(by=funded.officer, **_answers(charity_number="1234567"))

    assert refused.value.duplicate.reason == "name"
    assert refused.value.message_dict == {
        "name": [
            "Corby Food  BANK is already listed at this postcode: choose it from the providers."
        ]
    }


def test_the_same_name_at_another_postcode_asks_for_what_tells_them_apart(funded):
    ProviderFactory(name="Corby Food Bank", postcode="NN18 8AA", charity_number="")

    with pytest.raises(services.DuplicateProviderError) as refused:
        services.add_provider(by=funded.officer, **_answers(charity_number="1234567"))

    assert refused.value.duplicate.reason == "name_elsewhere"


def test_a_charity_number_on_another_register_is_another_charity(funded):
    ProviderFactory(charity_number="100001", charity_register="england_wales")

    provider = services.add_provider(
        by=funded.officer,
        **_answers(charity_number="NIC100001", company_number=""),
    )

    assert provider.org_id == "GB-NIC-100001"


def test_the_page_of_a_provider_shows_its_registration(funded, client):
    provider = funded.agreement.provider
    client.force_login(funded.officer)

    html = client.get(reverse("grants:provider_detail", args=[provider.pk])).content.decode()

    assert f"<h1>{provider.name}</h1>" in html
    assert f"GB-CHC-{provider.charity_number}" in html


def test_the_home_page_offers_officers_to_add_a_provider(funded, client):
    client.force_login(funded.officer)
    officer_home = client.get(reverse("oversight:home")).content.decode()
    client.force_login(funded.provider_user)
    provider_home = client.get(reverse("oversight:home")).content.decode()

    assert f'href="{URL}?next=/"' in officer_home
    assert URL not in provider_home


def test_a_name_with_an_invisible_character_is_the_name_already_listed(funded):
    ProviderFactory(name="Corby Food Bank", postcode="NN17 1AA", charity_number="")

    with pytest.raises(services.DuplicateProviderError) as refused:
        services.add_provider(
            by=funded.officer, **_answers(name="Corby\u200bFood Bank", charity_number="1234567")
        )

    assert refused.value.duplicate.reason == "name"
