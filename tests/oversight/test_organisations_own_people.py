"""Each organisation lets its own people in. Funding a provider, which any council may set up by
naming it in an agreement, gives a council no hold over the provider's people: it may invite a
provider's first person, and otherwise asks the provider's administrators, who approve."""

import re
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grants import diversity
from grants import services as grant_services
from oversight import services
from sla_monitor.models import Invitation, User
from tests.factories import AgreementFactory, CouncilFactory, ProviderFactory, UserFactory

PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def provider(db):
    return ProviderFactory(name="Riverside Advice Network")


@pytest.fixture
def kingston(provider):
    """The council that funds the provider first, and the provider's administrator."""
    council = CouncilFactory(name="Kingston Council", short_code="RBK")
    AgreementFactory(funder=council, provider=provider, reference="RBK-01")
    return council


@pytest.fixture
def provider_admin(provider):
    return UserFactory(organisation=provider, role=User.Role.PROVIDER_ADMIN, username="sam")


@pytest.fixture
def colleague(provider, provider_admin):
    return UserFactory(organisation=provider, username="jo")


@pytest.fixture
def other_officer(provider):
    """A lead officer of a second council, which has named the provider in an agreement of its
    own."""
    council = CouncilFactory(name="Kettering Council", short_code="KBC")
    AgreementFactory(funder=council, provider=provider, reference="KBC-01")
    return UserFactory(role=User.Role.LEAD_OFFICER, organisation=council, username="kofficer")


def _invite(client, by, organisation, email="new.person@example.org", **extra):
    client.force_login(by)
    return client.post(
        reverse("oversight:invite"),
        {
            "first_name": "Nia",
            "last_name": "Adeyemi",
            "email": email,
            "organisation": organisation.pk,
            **extra,
        },
        follow=True,
    )


def _link(mail) -> str:
    return re.search(r"http://[^\s]+(/invitation/[^\s/]+/)", mail.body).group(1)


def _accept(client, path):
    client.logout()
    opened = client.get(path)
    return client.post(opened.url, {"new_password1": PASSWORD, "new_password2": PASSWORD})


def test_the_first_person_a_council_invites_into_a_provider_with_nobody_is_its_administrator(
    client, kingston, provider, mailoutbox, django_capture_on_commit_callbacks
):
    officer = UserFactory(role=User.Role.LEAD_OFFICER, organisation=kingston)

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, officer, provider)

    assert "they will be its administrator" in response.content.decode()
    assert mailoutbox[0].to == ["new.person@example.org"]
    _accept(client, _link(mailoutbox[0]))
    person = User.objects.get(email="new.person@example.org")
    assert (person.organisation, person.role) == (provider, User.Role.PROVIDER_ADMIN)


def test_another_council_inviting_into_a_provider_with_people_asks_its_administrators(
    client, other_officer, provider, provider_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, other_officer, provider, email="stooge@example.org")

    assert "They have been asked to approve your invitation" in response.content.decode()
    invitation = Invitation.objects.get(email="stooge@example.org")
    assert invitation.state() == Invitation.State.AWAITING_APPROVAL
    assert invitation.last_sent_at is None
    # Nothing goes to the person invited; the provider's administrator is asked.
    assert [m.to for m in mailoutbox] == [[provider_admin.email]]
    assert "Kettering Council asks to invite someone" in mailoutbox[0].subject
    assert "/invitation/" not in mailoutbox[0].body
    # Its token was never sent; the page to accept one opens nothing without it.
    assert "does not work" in client.get(reverse("oversight:invitation_accept")).content.decode()

    client.force_login(provider_admin)
    page = client.get(reverse("oversight:invitations")).content.decode()
    assert "Waiting for your approval" in page
    assert "Kettering Council" in page and "stooge@example.org" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("oversight:invitation_approve", args=[invitation.pk]))

    assert mailoutbox[-1].to == ["stooge@example.org"]
    _accept(client, _link(mailoutbox[-1]))
    person = User.objects.get(email="stooge@example.org")
    assert (person.organisation, person.role) == (provider, User.Role.PROVIDER)
    invitation.refresh_from_db()
    assert invitation.approved_by == provider_admin


def test_a_declined_invitation_sends_nothing_and_tells_the_council(
    client, other_officer, provider, provider_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, other_officer, provider, email="stooge@example.org")
    invitation = Invitation.objects.get()
    client.force_login(provider_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("oversight:invitation_decline", args=[invitation.pk]), follow=True
        )

    assert "was declined" in response.content.decode()
    assert mailoutbox[-1].to == [other_officer.email]
    assert "declined your invitation" in mailoutbox[-1].subject
    assert not any("stooge@example.org" in m.to for m in mailoutbox)
    invitation.refresh_from_db()
    assert invitation.state() == Invitation.State.DECLINED
    assert invitation.declined_by == provider_admin
    client.force_login(other_officer)
    assert "Declined by the organisation" in (
        client.get(reverse("oversight:invitations")).content.decode()
    )


@pytest.mark.parametrize("who", ["the asking officer", "a plain provider person", "a stranger"])
def test_only_the_providers_administrators_approve_or_decline(
    client, other_officer, provider, provider_admin, colleague, who
):
    invitation = services.invite_person(
        by=other_officer,
        email="stooge@example.org",
        first_name="A",
        last_name="B",
        organisation=provider,
        role=User.Role.PROVIDER,
    )
    actor = {
        "the asking officer": other_officer,
        "a plain provider person": colleague,
        "a stranger": UserFactory(
            organisation=ProviderFactory(), role=User.Role.PROVIDER_ADMIN, username="x"
        ),
    }[who]
    client.force_login(actor)

    for name in ("oversight:invitation_approve", "oversight:invitation_decline"):
        response = client.post(reverse(name, args=[invitation.pk]))
        assert response.status_code in (403, 404)
    invitation.refresh_from_db()
    assert invitation.state() == Invitation.State.AWAITING_APPROVAL
    with pytest.raises((PermissionDenied, Invitation.DoesNotExist)):
        services.approve_invitation(invitation=invitation, by=actor)


def test_a_council_funding_a_provider_has_no_hold_over_its_people(
    client, kingston, provider, provider_admin, colleague, other_officer
):
    """The review's attack: a second council names another council's provider in an agreement,
    then tries to reach its people and what they say of themselves."""
    grant_services.record_diversity(
        organisation=provider,
        by=provider_admin,
        financial_year=2026,
        leadership=diversity.AreaAnswer(reply=diversity.REPLY_GOT, codes=("DEI010000",)),
        mission=diversity.AreaAnswer(reply=diversity.REPLY_GOT, codes=("DEI010000",)),
        may_publish=False,
    )
    client.force_login(other_officer)

    people = client.get(reverse("oversight:people")).content.decode()
    assert colleague.email not in people and provider_admin.email not in people
    for name in ("oversight:person_deactivate", "oversight:person_reactivate"):
        assert client.post(reverse(name, args=[colleague.pk])).status_code == 404
    assert client.post(
        reverse("oversight:person_role", args=[colleague.pk]), {"role": "provider_admin"}
    ).status_code in (403, 404)
    colleague.refresh_from_db()
    assert colleague.is_active and colleague.role == User.Role.PROVIDER
    page = client.get(reverse("grants:provider_diversity", args=[provider.pk]))
    assert "DEI010000" not in page.content.decode()
    assert "has sent yours none yet" in page.content.decode()


def test_a_council_reads_a_providers_answers_about_itself_once_it_has_reported_to_it(funded):
    provider_user = funded.provider_user
    grant_services.record_diversity(
        organisation=provider_user.organisation,
        by=provider_user,
        financial_year=2026,
        leadership=diversity.AreaAnswer(reply=diversity.REPLY_GENERAL),
        mission=diversity.AreaAnswer(reply=diversity.REPLY_GENERAL),
        may_publish=True,
    )
    from grants import permissions

    assert not permissions.visible_diversity(funded.officer).exists()
    funded.submitted()

    assert permissions.visible_diversity(funded.officer).count() == 1


def test_a_provider_keeps_an_active_administrator(client, provider_admin, colleague):
    other_admin = UserFactory(
        organisation=provider_admin.organisation, role=User.Role.PROVIDER_ADMIN, username="lee"
    )
    services.change_role(person=other_admin, by=provider_admin, role=User.Role.PROVIDER)

    with pytest.raises(ValidationError, match="only administrator"):
        services.deactivate_person(person=provider_admin, by=other_admin)
    client.force_login(provider_admin)
    services.change_role(person=colleague, by=provider_admin, role=User.Role.PROVIDER_ADMIN)
    colleague.refresh_from_db()
    assert colleague.role == User.Role.PROVIDER_ADMIN


def test_the_last_administrator_is_not_deactivated_from_the_page(client, provider_admin):
    second = UserFactory(
        organisation=provider_admin.organisation, role=User.Role.PROVIDER_ADMIN, username="lee"
    )
    services.deactivate_person(person=provider_admin, by=second)
    client.force_login(second)
    User.objects.filter(pk=provider_admin.pk).update(is_active=True)
    services.change_role(person=provider_admin, by=second, role=User.Role.PROVIDER)

    response = client.post(reverse("oversight:person_deactivate", args=[second.pk]), follow=True)

    assert response.status_code == 403  # nobody deactivates themselves
    solo = UserFactory(
        organisation=ProviderFactory(), role=User.Role.PROVIDER_ADMIN, username="solo"
    )
    admin = UserFactory(superuser=True, username="root")
    services.deactivate_person(person=solo, by=admin)  # a superuser may
    solo.refresh_from_db()
    assert not solo.is_active


@pytest.mark.parametrize(
    "address",
    [
        "off\N{LATIN SMALL LETTER DOTLESS I}cer@example.org",
        "\N{KELVIN SIGN}im@example.org",
        "nia@exämple.org",
    ],
    ids=["dotless i", "Kelvin sign", "accented domain"],
)
def test_an_address_with_a_letter_that_only_looks_like_one_is_refused(
    client, kingston, provider, address
):
    officer = UserFactory(role=User.Role.LEAD_OFFICER, organisation=kingston)
    UserFactory(email="officer@example.org", username="officer")
    UserFactory(email="kim@example.org", username="kim")

    response = _invite(client, officer, provider, email=address)

    assert "only looks like a letter" in response.content.decode()
    assert not Invitation.objects.exists()
    with pytest.raises(ValidationError):
        services.invite_person(
            by=officer,
            email=address,
            first_name="A",
            last_name="B",
            organisation=provider,
            role=User.Role.PROVIDER,
        )


def test_a_person_invited_with_capitals_in_their_address_can_reset_their_password(
    client, kingston, provider, mailoutbox, django_capture_on_commit_callbacks
):
    officer = UserFactory(role=User.Role.LEAD_OFFICER, organisation=kingston)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, officer, provider, email="Nia.Adeyemi@Example.ORG")
    _accept(client, _link(mailoutbox[0]))
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "Nia.Adeyemi@Example.ORG"})

    assert mailoutbox[-1].to == ["nia.adeyemi@example.org"]
    assert "/accounts/password/reset/key/" in mailoutbox[-1].body


def test_twenty_re_sends_in_a_row_send_one_e_mail(
    client, kingston, provider, mailoutbox, django_capture_on_commit_callbacks
):
    officer = UserFactory(role=User.Role.LEAD_OFFICER, organisation=kingston)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, officer, provider)
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(
        last_sent_at=timezone.now() - services.RESEND_INTERVAL
    )
    url = reverse("oversight:invitation_resend", args=[invitation.pk])

    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(url, follow=True) for _ in range(20)]

    assert len(mailoutbox) == 2  # the invitation, and one re-send
    assert "was sent a moment ago" in responses[-1].content.decode()


def test_the_providers_administrator_is_told_on_their_home_page(
    client, other_officer, provider, provider_admin, colleague
):
    services.invite_person(
        by=other_officer,
        email="stooge@example.org",
        first_name="A",
        last_name="B",
        organisation=provider,
        role=User.Role.PROVIDER,
    )

    client.force_login(provider_admin)
    assert (
        "approve or decline the invitation"
        in client.get(reverse("oversight:home")).content.decode()
    )
    client.force_login(colleague)
    assert "approve or decline" not in client.get(reverse("oversight:home")).content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_twenty_re_sends_at_once_send_one_e_mail(mailoutbox):
    council = CouncilFactory(name="Kingston Council", short_code="RBK")
    provider = AgreementFactory(funder=council).provider
    officer = UserFactory(role=User.Role.LEAD_OFFICER, organisation=council)
    invitation = services.invite_person(
        by=officer,
        email="new.person@example.org",
        first_name="Nia",
        last_name="Adeyemi",
        organisation=provider,
        role=User.Role.PROVIDER,
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        last_sent_at=timezone.now() - services.RESEND_INTERVAL
    )
    url = reverse("oversight:invitation_resend", args=[invitation.pk])
    barrier = threading.Barrier(20)
    statuses = []

    def send():
        sender = Client()
        sender.force_login(officer)
        try:
            barrier.wait()
            statuses.append(sender.post(url).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # The invitation itself, and one of the twenty re-sends.
    assert len(mailoutbox) == 2
    assert sorted(set(statuses)) == [302]


def test_a_council_cannot_make_itself_the_first_person_of_a_provider_another_council_funds(
    client, kingston, provider, other_officer, mailoutbox, django_capture_on_commit_callbacks
):
    """Nobody works for the provider yet, and two councils fund it: neither may choose its
    administrator alone, or the second to name it could take it over from the first."""
    root = UserFactory(superuser=True, username="root", email="root@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, other_officer, provider, email="stooge@example.org")

    assert "administrators decide who joins it first" in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.state() == Invitation.State.AWAITING_APPROVAL
    assert [m.to for m in mailoutbox] == [[root.email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_invitation(invitation=invitation, by=root)
    assert mailoutbox[-1].to == ["stooge@example.org"]
    invitation.refresh_from_db()
    assert invitation.role == User.Role.PROVIDER_ADMIN
