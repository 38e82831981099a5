import pytest
from django.urls import reverse

from sla_monitor.models import User

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("oversight:home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_sign_in_page_has_labelled_fields(client):
    response = client.get(reverse("account_login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="form-label fw-semibold" for="id_login">' in html
    assert '<label class="form-label fw-semibold" for="id_password">' in html
    assert "<h1>Sign in</h1>" in html


def test_a_wrong_password_is_shown_in_an_error_summary(demo_data, client):
    response = client.post(reverse("account_login"), {"login": "provider", "password": "wrong"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "do not match an account that can sign in." in html
    assert "<title>Error: Sign in" in html


def test_signing_in_lands_on_a_home_page_that_says_who_you_are(demo_data, client, settings):
    response = client.post(
        reverse("account_login"),
        {"login": "provider", "password": settings.DEMO_PASSWORD},
        follow=True,
    )

    html = response.content.decode()
    assert response.request["PATH_INFO"] == reverse("oversight:home")
    assert "Kettering Community Cohesion Network" in html
    assert "Provider" in html


def test_a_provider_sees_only_its_own_organisation_s_agreements(demo_data, client):
    client.force_login(User.objects.get(username="provider2"))

    html = client.get(reverse("oversight:home")).content.decode()

    assert "KBC-VOL-01" in html
    assert "KBC-CCE-01" not in html
    assert "Administration" not in html


def test_the_lead_officer_sees_the_councils_agreements(demo_data, client):
    client.force_login(User.objects.get(username="officer"))

    html = client.get(reverse("oversight:home")).content.decode()

    assert "KBC-CCE-01" in html
    assert "KBC-VOL-01" in html
    assert "Kettering Borough Council" in html


def test_the_action_owner_sees_their_councils_plans_and_no_agreements(demo_data, client):
    client.force_login(User.objects.get(username="equality"))

    html = client.get(reverse("oversight:home")).content.decode()

    assert "Equality Objectives and Community Cohesion Action Plan 2015-2016" in html
    assert "Leicestershire District Councils" not in html
    assert "KBC-CCE-01" not in html


def test_only_staff_are_offered_the_administration(demo_data, client):
    client.force_login(User.objects.get(username="admin"))

    html = client.get(reverse("oversight:home")).content.decode()

    assert reverse("admin:index") in html


def test_signing_out_needs_a_post_and_ends_the_session(demo_data, client):
    client.force_login(User.objects.get(username="officer"))

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert client.get(reverse("oversight:home")).status_code == 302
