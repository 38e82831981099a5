"""Inviting people: the e-mail, its link, and every way a link can fail to work."""

import datetime as dt
import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import timezone

from oversight import services
from sla_monitor.models import Invitation, User
from tests.factories import AgreementFactory, ProviderFactory, UserFactory
from tests.oversight.people_fixtures import council, council_admin, funded, officer  # noqa: F401 (fixtures)

PASSWORD = "a-long-and-unusual-passphrase"


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
    )


def _link(mail) -> str:
    return re.search(r"http://[^\s]+/invitation/[^\s/]+/", mail.body).group(0)


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _accept(client, link, password=PASSWORD):
    client.logout()
    opened = client.get(_path(link))
    if opened.status_code != 302:
        return opened
    return client.post(
        opened.url, {"new_password1": password, "new_password2": password}, follow=True
    )


def test_an_invited_person_sets_their_password_and_lands_signed_in_on_home(
    client, officer, funded, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, officer, funded, email="Nia.Adeyemi@Example.org")
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    # Kept as sign-in and the password reset look it up: in lower case.
    assert mailoutbox[0].to == ["nia.adeyemi@example.org"]

    response = _accept(client, _link(mailoutbox[0]))

    assert response.redirect_chain[-1][0] == reverse("oversight:home")
    user = User.objects.get(email="nia.adeyemi@example.org")
    assert response.context["user"] == user
    # The first person of a provider is its administrator.
    assert (user.organisation, user.role) == (funded, User.Role.PROVIDER_ADMIN)
    assert user.check_password(PASSWORD)
    assert Invitation.objects.get().accepted_at is not None


def test_the_token_is_kept_only_as_a_digest(
    client, officer, funded, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, officer, funded)
    token = _link(mailoutbox[0]).rstrip("/").rsplit("/", 1)[1]

    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash
    assert invitation.matches(token)


def test_a_link_works_once(client, officer, funded, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, officer, funded)
    link = _link(mailoutbox[0])
    _accept(client, link)

    response = _accept(client, link, password="another-long-passphrase")

    assert response.status_code == 200
    assert "already been used" in response.content.decode()
    assert User.objects.filter(email="new.person@example.org").count() == 1
    assert User.objects.get(email="new.person@example.org").check_password(PASSWORD)


def test_a_weak_password_is_refused_beside_the_field_and_nothing_is_made(
    client, officer, funded, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, officer, funded)

    response = _accept(client, _link(mailoutbox[0]), password="password")

    html = response.content.decode()
    assert "There is a problem" in html
    assert 'id="id_new_password2_error"' in html
    assert not User.objects.filter(email="new.person@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.parametrize("spoil", ["expired", "revoked", "forged", "another"])
def test_a_link_that_does_not_work_shows_a_clear_page_and_changes_nothing(
    client, officer, council, funded, mailoutbox, django_capture_on_commit_callbacks, spoil
):
    second = AgreementFactory(funder=council).provider
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, officer, funded)
        _invite(client, officer, second, email="someone.else@example.org")
    link = _link(mailoutbox[0])
    invitation = Invitation.objects.get(email="new.person@example.org")
    if spoil == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
    elif spoil == "revoked":
        services.revoke_invitation(invitation=invitation, by=officer)
    elif spoil == "forged":
        link = link[:-5] + "AAAA/"
    elif spoil == "another":
        # The other person's link, re-sent: the one first sent for them no longer works.
        other = Invitation.objects.get(email="someone.else@example.org")
        link = _link(mailoutbox[1])
        Invitation.objects.filter(pk=other.pk).update(
            last_sent_at=timezone.now() - services.RESEND_INTERVAL
        )
        services.resend_invitation(invitation=other, by=officer)
    users_before = User.objects.count()
    before = list(Invitation.objects.order_by("pk").values())

    response = _accept(client, link)

    assert response.status_code == 200
    assert "This invitation link does not work" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users_before
    after = list(Invitation.objects.order_by("pk").values())
    if spoil != "another":
        assert after == before


def test_the_accept_page_without_a_link_is_a_clear_page(client, db):
    response = client.post(
        reverse("oversight:invitation_accept"),
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )

    assert response.status_code == 200
    assert "This invitation link does not work" in response.content.decode()


def test_an_address_with_an_account_is_refused_whatever_its_case(client, officer, funded):
    UserFactory(email="taken@example.org", organisation=funded)

    response = _invite(client, officer, funded, email="TAKEN@example.org")

    assert "already has an account" in response.content.decode()
    assert not Invitation.objects.exists()
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


def test_an_address_accounted_for_after_the_invitation_is_not_given_a_second_account(
    client, officer, funded, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, officer, funded)
    UserFactory(email="NEW.person@example.org", organisation=funded)

    response = _accept(client, _link(mailoutbox[0]))

    assert "already has an account" in response.content.decode()
    assert User.objects.filter(email__iexact="new.person@example.org").count() == 1


def test_an_officer_cannot_invite_into_a_provider_their_council_does_not_fund(client, officer, db):
    unfunded = ProviderFactory()

    response = _invite(client, officer, unfunded)

    assert response.status_code == 200
    assert "Choose one of the organisations offered" in response.content.decode()
    assert not Invitation.objects.exists()
    assert client.get(reverse("oversight:invite_into", args=[unfunded.pk])).status_code == 404


def test_an_officer_cannot_invite_council_staff(client, officer, council):
    response = _invite(client, officer, council, role=User.Role.LEAD_OFFICER)

    assert response.status_code == 200
    assert not Invitation.objects.exists()
    assert client.get(reverse("oversight:invite_into", args=[council.pk])).status_code == 404


@pytest.mark.parametrize(
    "role", [User.Role.PLAN_MANAGER, User.Role.FINANCE_OFFICER, User.Role.SENIOR_OFFICER]
)
def test_a_council_admin_invites_a_colleague_with_a_role(
    client, council_admin, council, mailoutbox, django_capture_on_commit_callbacks, role
):
    client.force_login(council_admin)
    page = client.get(reverse("oversight:invite_into", args=[council.pk])).content.decode()
    assert f'<option value="{role.value}">{role.label}</option>' in page
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, council_admin, council, role=role)

    _accept(client, _link(mailoutbox[0]))

    user = User.objects.get(email="new.person@example.org")
    assert (user.organisation, user.role) == (council, role)
    assert not user.is_superuser and not user.is_staff


def test_a_provider_role_is_all_a_provider_organisation_is_given(client, council_admin, funded):
    response = _invite(client, council_admin, funded, role=User.Role.ADMIN)

    assert "works for a provider has the Provider role" in response.content.decode()
    assert not Invitation.objects.exists()


def test_resending_renews_the_expiry_and_sends_a_new_link(
    client, officer, funded, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, officer, funded)
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1),
        last_sent_at=timezone.now() - dt.timedelta(days=8),
    )
    first_link = _link(mailoutbox[0])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("oversight:invitation_resend", args=[invitation.pk]))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=6)
    assert len(mailoutbox) == 2
    assert "does not work" in _accept(client, first_link).content.decode()
    _accept(client, _link(mailoutbox[1]))
    assert User.objects.filter(email="new.person@example.org").exists()


def test_revoking_stops_the_link_and_lists_the_invitation_as_revoked(
    client, officer, funded, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, officer, funded)
    invitation = Invitation.objects.get()

    client.post(reverse("oversight:invitation_revoke", args=[invitation.pk]))

    html = client.get(reverse("oversight:invitations")).content.decode()
    assert "Revoked" in html
    assert "withdrawn" in _accept(client, _link(mailoutbox[0])).content.decode()


def test_another_councils_invitation_cannot_be_revoked(client, officer, db):
    other = AgreementFactory()
    stranger = UserFactory(role=User.Role.LEAD_OFFICER, organisation=other.funder)
    invitation = services.invite_person(
        by=stranger,
        email="theirs@example.org",
        first_name="A",
        last_name="B",
        organisation=other.provider,
        role=User.Role.PROVIDER,
    )
    client.force_login(officer)

    response = client.post(reverse("oversight:invitation_revoke", args=[invitation.pk]))

    assert response.status_code == 404
    assert Invitation.objects.get().revoked_at is None


def test_the_invitations_list_shows_each_state(client, officer, funded):
    now = timezone.now()
    sent = {"needs_approval": False, "last_sent_at": now}
    for email, changes in [
        ("pending@example.org", {}),
        ("expired@example.org", {"expires_at": now - dt.timedelta(days=1), **sent}),
        ("revoked@example.org", {"revoked_at": now, **sent}),
        ("accepted@example.org", {"accepted_at": now, **sent}),
        # The provider has people now: the next invitation waits for its administrators.
        ("awaiting@example.org", {}),
    ]:
        invitation = services.invite_person(
            by=officer,
            email=email,
            first_name="A",
            last_name="B",
            organisation=funded,
            role=User.Role.PROVIDER,
        )
        Invitation.objects.filter(pk=invitation.pk).update(**changes)
    client.force_login(officer)

    html = client.get(reverse("oversight:invitations")).content.decode()

    for state in [
        "Pending until",
        "Expired",
        "Revoked",
        "Accepted",
        "Waiting for the organisation&#x27;s approval",
    ]:
        assert state in html
    assert html.count("Re-send<") == 2


def _invitations(council, officer, funded, count: int, start: int = 0) -> None:
    """`count` invitations from the officer into the funded provider, which wait for its
    administrator, and as many into providers of their own, sent and in every state."""
    now = timezone.now()
    states = [
        {},
        {"expires_at": now - dt.timedelta(days=1)},
        {"revoked_at": now},
        {"accepted_at": now},
    ]
    for n in range(start, start + count):
        for organisation in (funded, AgreementFactory(funder=council).provider):
            invitation = services.invite_person(
                by=officer,
                email=f"person.{n}.{organisation.pk}@example.org",
                first_name="A",
                last_name="B",
                organisation=organisation,
                role=User.Role.PROVIDER,
            )
            if organisation != funded:
                Invitation.objects.filter(pk=invitation.pk).update(**states[n % len(states)])


@pytest.mark.parametrize("reader", ["officer", "provider_admin"])
def test_the_invitations_page_runs_the_same_queries_for_few_invitations_and_many(
    client, council, officer, funded, same_queries, reader
):
    provider_admin = UserFactory(organisation=funded, role=User.Role.PROVIDER_ADMIN)
    client.force_login(officer if reader == "officer" else provider_admin)
    _invitations(council, officer, funded, 1)

    counted = same_queries(
        lambda: client.get(reverse("oversight:invitations")),
        grow=lambda: _invitations(council, officer, funded, 12, start=1),
    )

    listed = {"officer": 26, "provider_admin": 13}[reader]
    assert len(counted.result.context["invitations"]) == listed
    assert len(counted.result.context["awaiting"]) == (13 if reader == "provider_admin" else 0)


def test_invited_staff_set_up_two_factor_after_a_reset_was_asked_for_their_address(
    client, council_admin, council, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """The invitation link proved the address; a reset asked for it later, by anyone, must not
    stand in the way of the second factor council staff set up before anything else."""
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, council_admin, council, role=User.Role.LEAD_OFFICER)
    _accept(client, _link(mailoutbox[0]))
    client.logout()
    client.post(reverse("account_reset_password"), {"email": "new.person@example.org"})

    client.post(reverse("account_login"), {"login": "new.person@example.org", "password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session.get(SECRET_SESSION_KEY, "")
    with django_capture_on_commit_callbacks(execute=True):
        activated = client.post(
            reverse("mfa_activate_totp"),
            {"code": format_hotp_value(hotp_value(secret, int(time.time()) // 30))},
        )

    assert activated.status_code == 302
    assert Authenticator.objects.filter(user__email="new.person@example.org").exists()
