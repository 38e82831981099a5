"""The People page: who is listed, deactivation and its sessions, role changes, the audit log."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from oversight import services
from sla_monitor.accounts import give_totp
from sla_monitor.models import User
from tests.factories import ProviderFactory, UserFactory
from tests.oversight.people_fixtures import council, council_admin, funded, officer  # noqa: F401 (fixtures)


@pytest.fixture
def provider_admin(funded):
    return UserFactory(organisation=funded, role=User.Role.PROVIDER_ADMIN)


@pytest.fixture
def provider_user(funded, provider_admin):
    return UserFactory(organisation=funded)


def test_an_officer_sees_their_colleagues_and_not_the_people_of_the_providers_they_fund(
    client, officer, council, provider_user
):
    colleague = UserFactory(role=User.Role.ACTION_OWNER, organisation=council)
    stranger = UserFactory(organisation=ProviderFactory())
    client.force_login(officer)

    html = client.get(reverse("oversight:people")).content.decode()

    assert colleague.email in html
    assert provider_user.email not in html
    assert stranger.email not in html
    assert "looked after by the providers' own administrators" in html


def test_a_provider_administrator_sees_their_own_people_with_their_second_factor(
    client, provider_admin, provider_user
):
    stranger = UserFactory(organisation=ProviderFactory())
    give_totp(provider_admin)
    client.force_login(provider_admin)

    html = client.get(reverse("oversight:people")).content.decode()

    assert provider_user.email in html
    assert stranger.email not in html
    assert '">On</td>' in html and '">Off</td>' in html


def test_the_people_page_runs_the_same_queries_for_few_people_and_many(
    client, provider_admin, funded, same_queries
):
    client.force_login(provider_admin)
    UserFactory(organisation=funded)

    def more_people():
        UserFactory.create_batch(15, organisation=funded)
        UserFactory.create_batch(3, organisation=ProviderFactory())

    counted = same_queries(lambda: client.get(reverse("oversight:people")), grow=more_people)

    assert len(counted.result.context["people"]) == 17  # and the administrator


def test_deactivation_ends_an_open_session_and_blocks_signing_in(
    client, provider_admin, provider_user
):
    theirs = Client()
    theirs.force_login(provider_user)
    assert theirs.get(reverse("oversight:home")).status_code == 200
    client.force_login(provider_admin)

    assert (
        client.get(reverse("oversight:person_deactivate", args=[provider_user.pk])).status_code
        == 200
    )
    client.post(reverse("oversight:person_deactivate", args=[provider_user.pk]))

    response = theirs.get(reverse("oversight:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not theirs.login(username=provider_user.username, password=settings.DEMO_PASSWORD)


def test_reactivation_lets_them_sign_in_again_but_does_not_revive_old_sessions(
    client, provider_admin, provider_user
):
    theirs = Client()
    theirs.force_login(provider_user)
    services.deactivate_person(person=provider_user, by=provider_admin)

    services.reactivate_person(person=provider_user, by=provider_admin)

    assert theirs.get(reverse("oversight:home")).status_code == 302
    assert Client().login(username=provider_user.username, password=settings.DEMO_PASSWORD)


def test_nobody_can_deactivate_themselves(client, council_admin):
    client.force_login(council_admin)

    response = client.post(reverse("oversight:person_deactivate", args=[council_admin.pk]))

    assert response.status_code == 403
    council_admin.refresh_from_db()
    assert council_admin.is_active


def test_nobody_can_change_their_own_role(client, council_admin):
    client.force_login(council_admin)

    response = client.post(
        reverse("oversight:person_role", args=[council_admin.pk]),
        {"role": User.Role.ADMIN},
    )

    assert response.status_code == 403


def test_an_officer_can_raise_nobodys_role(client, officer, provider_user, council):
    colleague = UserFactory(role=User.Role.ACTION_OWNER, organisation=council)
    client.force_login(officer)

    for person, status in ((provider_user, 404), (colleague, 403), (officer, 403)):
        response = client.post(
            reverse("oversight:person_role", args=[person.pk]), {"role": User.Role.ADMIN}
        )
        assert response.status_code == status
    assert User.objects.filter(role=User.Role.ADMIN).count() == 0


def test_an_officer_cannot_deactivate_a_council_colleague(client, officer, council):
    colleague = UserFactory(role=User.Role.ACTION_OWNER, organisation=council)
    client.force_login(officer)

    response = client.post(reverse("oversight:person_deactivate", args=[colleague.pk]))

    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active


def test_another_councils_person_is_not_found(client, officer):
    stranger = UserFactory(organisation=ProviderFactory())
    client.force_login(officer)

    response = client.post(reverse("oversight:person_deactivate", args=[stranger.pk]))

    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


def test_an_admin_changes_a_colleagues_role_within_the_council_roles(
    client, council_admin, council
):
    colleague = UserFactory(role=User.Role.ACTION_OWNER, organisation=council)
    client.force_login(council_admin)

    refused = client.post(
        reverse("oversight:person_role", args=[colleague.pk]), {"role": User.Role.PROVIDER}
    )
    assert "Choose one of the roles offered" in refused.content.decode()
    client.post(
        reverse("oversight:person_role", args=[colleague.pk]), {"role": User.Role.LEAD_OFFICER}
    )

    colleague.refresh_from_db()
    assert colleague.role == User.Role.LEAD_OFFICER
    assert not colleague.is_superuser


def test_the_audit_log_shows_invitations_deactivations_and_role_changes_with_who_and_where(
    client, council_admin, council, funded, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = UserFactory(role=User.Role.ACTION_OWNER, organisation=council, last_name="Okoro")
    client.force_login(council_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("oversight:invite"),
            {
                "first_name": "Nia",
                "last_name": "Adeyemi",
                "email": "nia@example.org",
                "organisation": funded.pk,
                "role": User.Role.PROVIDER,
            },
            REMOTE_ADDR="203.0.113.9",
        )
    invitation = funded.invitations.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("oversight:invitation_resend", args=[invitation.pk]))
    client.post(reverse("oversight:person_deactivate", args=[colleague.pk]))
    client.post(reverse("oversight:person_reactivate", args=[colleague.pk]))
    client.post(
        reverse("oversight:person_role", args=[colleague.pk]), {"role": User.Role.PLAN_MANAGER}
    )
    link = mailoutbox[-1].body.split("http://", 1)[1].split()[0]
    newcomer = Client()
    opened = newcomer.get("/" + link.split("/", 1)[1], REMOTE_ADDR="198.51.100.7")
    assert opened.status_code == 302, opened.content.decode()[-1500:]
    newcomer.post(
        opened.url,
        {"new_password1": "a-long-passphrase-1", "new_password2": "a-long-passphrase-1"},
        REMOTE_ADDR="198.51.100.7",
    )

    events = client.get(reverse("oversight:audit_log")).context["events"]

    about = [(e.who, e.what, e.details, e.where) for e in events]
    admin_name = str(council_admin)
    assert any(
        str(w) == admin_name and "Added invitation" in what and where == "203.0.113.9"
        for w, what, _, where in about
    )
    assert any(str(w) == admin_name and "Last sent at" in d for w, _, d, _ in about)
    assert any(str(w) == admin_name and "Active: Yes → No" in d for w, _, d, _ in about)
    assert any(str(w) == admin_name and "Active: No → Yes" in d for w, _, d, _ in about)
    assert any(
        str(w) == admin_name and "Role: Action owner → Plan manager" in d for w, _, d, _ in about
    )
    newcomer_user = User.objects.get(email="nia@example.org")
    assert any(
        w == newcomer_user and "Accepted at" in d and where == "198.51.100.7"
        for w, _, d, where in about
    )


def test_the_people_page_is_paged_with_its_filters_kept(
    client, council, council_admin, monkeypatch
):
    monkeypatch.setattr("oversight.people_views.PEOPLE_PAGE_SIZE", 5)
    for n in range(8):
        UserFactory(role=User.Role.ACTION_OWNER, organisation=council, last_name=f"Owner{n}")
    UserFactory(role=User.Role.PLAN_MANAGER, organisation=council, last_name="Manager")
    UserFactory(organisation=ProviderFactory(), last_name="Stranger")
    client.force_login(council_admin)
    url = reverse("oversight:people")

    first = client.get(url, {"role": User.Role.ACTION_OWNER})
    second = client.get(url, {"role": User.Role.ACTION_OWNER, "page": 2})
    named = client.get(url, {"name": "owner3"})

    assert [p.last_name for p in first.context["people"]] == [f"Owner{n}" for n in range(5)]
    assert [p.last_name for p in second.context["people"]] == [f"Owner{n}" for n in range(5, 8)]
    assert 'href="?role=action_owner&amp;page=2"' in first.content.decode()
    assert "Showing 6 to 8 of 8." in second.content.decode()
    assert [p.last_name for p in named.context["people"]] == ["Owner3"]
    everyone = client.get(url, {"page": 3}).content.decode()
    assert "Stranger" not in everyone


def test_a_filter_given_a_value_the_page_does_not_offer_says_so(client, council_admin):
    client.force_login(council_admin)

    html = client.get(reverse("oversight:people"), {"role": "junk"}).content.decode()

    assert "There is a problem" in html
    assert "Select a valid choice. junk is not one of the available choices." in html
