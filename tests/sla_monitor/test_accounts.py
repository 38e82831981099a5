"""Signing in, resetting and changing a password, and two-factor sign-in (django-allauth)."""

import html
import importlib
import re
import time
from unittest import mock

import pytest
from allauth.account import app_settings as account_settings
from allauth.account.forms import EmailAwarePasswordResetTokenGenerator
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils.http import urlencode

from sla_monitor import accounts
from sla_monitor.models import AccountEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-long-new-passphrase-19"  # nosec B105


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, login: str, password: str):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_five_wrong_passwords_pause_sign_in(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(username="sam")
    for _ in range(5):
        sign_in(client, "sam", "guess")

    locked = sign_in(client, "sam", settings.DEMO_PASSWORD)

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_count_together_whether_the_account_is_named_by_username_or_address(
    client, settings
):
    settings.AXES_ENABLED = True
    UserFactory(username="sam", email="sam@example.org")
    for login in ["sam", "sam@example.org", "SAM", "Sam@Example.org", "sam@example.org"]:
        sign_in(client, login, "guess")

    by_username = sign_in(client, "sam", settings.DEMO_PASSWORD)
    by_address = sign_in(client, "sam@example.org", settings.DEMO_PASSWORD)

    assert (by_username.status_code, by_address.status_code) == (429, 429)
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_for_a_login_that_names_nobody_are_counted_as_typed(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(username="sam", email="sam@example.org")
    for _ in range(5):
        sign_in(client, "nobody@example.org", "guess")

    assert sign_in(client, "Nobody@Example.org", "guess").status_code == 429
    assert sign_in(client, "sam", settings.DEMO_PASSWORD).status_code == 302


def test_a_failed_sign_in_is_recorded_against_the_account_its_login_names_in_any_capitals(client):
    sam = UserFactory(username="sam", email="sam@example.org")

    sign_in(client, "SAM", "guess")
    sign_in(client, "Sam@Example.org", "guess")

    failed = AccountEvent.objects.filter(kind=AccountEvent.Kind.SIGN_IN_FAILED)
    assert [event.user for event in failed.order_by("pk")] == [sam, sam]


def page_without_tokens(response) -> str:
    return re.sub(
        r'value="[^"]*" name="csrfmiddlewaretoken"|name="csrfmiddlewaretoken" value="[^"]*"',
        "",
        response.content.decode(),
    )


@pytest.mark.parametrize("login", ["sam", "sam@example.org"])
def test_a_deactivated_account_s_right_password_is_answered_as_a_wrong_one(client, settings, login):
    UserFactory(username="sam", email="sam@example.org", is_active=False)

    right = sign_in(client, login, settings.DEMO_PASSWORD)
    wrong = sign_in(client, login, "guess")

    assert (right.status_code, wrong.status_code) == (200, 200)
    assert page_without_tokens(right) == page_without_tokens(wrong)
    assert "reset your password" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_deactivated_account_s_right_password_counts_towards_the_pause(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(username="sam", email="sam@example.org", is_active=False)
    for _ in range(5):
        sign_in(client, "sam", settings.DEMO_PASSWORD)
    failed = AccountEvent.objects.filter(kind=AccountEvent.Kind.SIGN_IN_FAILED, login="sam")
    assert failed.count() == 5

    assert sign_in(client, "sam", settings.DEMO_PASSWORD).status_code == 429


def test_a_person_signs_in_with_their_email_address_in_any_capitals(client, settings):
    UserFactory(username="sam", email="sam@example.org")

    response = sign_in(client, "SAM@Example.org", settings.DEMO_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("oversight:home")


def test_there_is_no_public_sign_up(client):
    response = client.post(
        reverse("account_signup"),
        {"username": "new", "email": "new@example.org", "password1": "x" * 20},
    )

    assert "You cannot create an account here" in response.content.decode()
    from sla_monitor.models import User

    assert not User.objects.filter(username="new").exists()


def test_a_reset_is_mailed_to_a_known_address_and_the_page_is_the_same_for_an_unknown_one(
    client, mailoutbox
):
    UserFactory(email="sam@example.org")
    url = reverse("account_reset_password")

    known = client.post(url, {"email": "sam@example.org"}, follow=True)
    unknown = client.post(url, {"email": "nobody@example.org"}, follow=True)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["sam@example.org"]
    assert known.redirect_chain == unknown.redirect_chain
    assert (
        known.content.decode().replace("sam@", "")
        == unknown.content.decode().replace("nobody@", "")
        or known.templates[0].name == unknown.templates[0].name
    )


def test_the_emailed_link_sets_a_new_password(client, mailoutbox):
    person = UserFactory(email="sam@example.org")
    client.post(reverse("account_reset_password"), {"email": "sam@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mailoutbox[0].body)

    form = client.get(link.group(1), follow=True)
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert AccountEvent.objects.filter(user=person, kind=AccountEvent.Kind.PASSWORD_RESET).exists()


def test_a_common_password_is_refused_by_the_reset(client, mailoutbox):
    person = UserFactory(email="sam@example.org")
    client.post(reverse("account_reset_password"), {"email": "sam@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mailoutbox[0].body)
    form = client.get(link.group(1), follow=True)

    refused = client.post(
        form.redirect_chain[-1][0], {"password1": "password", "password2": "password"}
    )

    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    person.refresh_from_db()
    assert not person.check_password("password")


def test_a_person_changes_their_password(client, settings):
    person = UserFactory()
    sign_in(client, person.username, settings.DEMO_PASSWORD)

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": settings.DEMO_PASSWORD,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert AccountEvent.objects.filter(
        user=person, kind=AccountEvent.Kind.PASSWORD_CHANGED
    ).exists()


def test_staff_without_a_second_factor_set_one_up_before_anything_else(
    client, settings, django_capture_on_commit_callbacks
):
    officer = UserFactory(lead_officer=True, two_factor=False)
    sign_in(client, officer.username, settings.DEMO_PASSWORD)

    home = client.get(reverse("oversight:home"))
    assert home.status_code == 302
    assert home.url == reverse("mfa_activate_totp")

    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        activated = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})

    assert activated.status_code == 302
    assert accounts.has_two_factor(officer)
    assert client.get(reverse("oversight:home")).status_code == 200


def test_a_wrong_code_at_set_up_is_shown_beside_the_field(client, settings):
    officer = UserFactory(lead_officer=True, two_factor=False)
    sign_in(client, officer.username, settings.DEMO_PASSWORD)

    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})

    html = response.content.decode()
    assert "There is a problem" in html
    assert 'id="id_code_error"' in html
    assert not accounts.has_two_factor(officer)


def test_a_provider_is_not_made_to_set_up_a_second_factor(client, settings):
    provider = UserFactory()
    sign_in(client, provider.username, settings.DEMO_PASSWORD)

    assert client.get(reverse("oversight:home")).status_code == 200


def test_staff_cannot_switch_their_second_factor_off(client, settings):
    officer = UserFactory(lead_officer=True)
    sign_in(client, officer.username, settings.DEMO_PASSWORD)
    client.post(reverse("mfa_authenticate"), {"code": accounts.current_code(officer)})

    client.post(reverse("mfa_deactivate_totp"))

    assert accounts.has_two_factor(officer)


def test_signing_in_with_a_second_factor_asks_for_the_code(client, settings):
    officer = UserFactory(lead_officer=True)

    response = sign_in(client, officer.username, settings.DEMO_PASSWORD)
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    done = client.post(reverse("mfa_authenticate"), {"code": accounts.current_code(officer)})

    assert done.status_code == 302
    assert client.get(reverse("oversight:home")).status_code == 200


def test_repeated_wrong_codes_are_refused_even_before_the_right_one(client, settings):
    officer = UserFactory(lead_officer=True)
    sign_in(client, officer.username, settings.DEMO_PASSWORD)
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})

    refused = client.post(reverse("mfa_authenticate"), {"code": accounts.current_code(officer)})

    assert refused.status_code == 200
    assert "too many failed attempts to sign in" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert (
        AccountEvent.objects.filter(user=officer, kind=AccountEvent.Kind.TWO_FACTOR_FAILED).count()
        == 5
    )


def test_a_recovery_code_works_once(client, settings):
    officer = UserFactory(lead_officer=True)
    code = RecoveryCodes.activate(officer).get_unused_codes()[0]

    sign_in(client, officer.username, settings.DEMO_PASSWORD)
    first = client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))
    sign_in(client, officer.username, settings.DEMO_PASSWORD)
    again = client.post(reverse("mfa_authenticate"), {"code": code})

    assert first.status_code == 302
    assert again.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_audit_log_shows_sign_ins_failures_sign_outs_and_second_factors(
    client, settings, django_capture_on_commit_callbacks
):
    root = UserFactory(superuser=True, username="root")
    officer = UserFactory(lead_officer=True, two_factor=False, username="olive")
    sign_in(client, "olive", "wrong")
    sign_in(client, "olive", settings.DEMO_PASSWORD)
    client.get(reverse("mfa_activate_totp"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("mfa_activate_totp"), {"code": code_for(client.session[SECRET_SESSION_KEY])}
        )
    client.post(reverse("account_logout"))
    client.force_login(root)

    html = client.get(reverse("oversight:audit_log"), {"kind": "account"}).content.decode()

    assert officer.get_full_name() in html
    for what in ["Failed to sign in as “olive”", "Signed in", "Set up two-factor sign-in"]:
        assert what in html
    assert "Signed out" in html
    assert '<td data-label="Address">127.0.0.1</td>' in html


def test_a_council_admin_sees_account_events_of_their_own_people_only(client):
    admin = UserFactory(lead_officer=True, role="admin")
    colleague = UserFactory(lead_officer=True, organisation=admin.organisation)
    stranger = UserFactory(lead_officer=True)
    AccountEvent.objects.create(user=colleague, login=colleague.username, kind="signed_in")
    AccountEvent.objects.create(user=stranger, login=stranger.username, kind="signed_in")
    client.force_login(admin)

    html = client.get(reverse("oversight:audit_log"), {"kind": "account"}).content.decode()

    assert colleague.get_full_name() in html
    assert stranger.get_full_name() not in html


def test_an_email_address_is_unique_whatever_its_capitals(client):
    from django.db import IntegrityError

    UserFactory(email="sam@example.org")
    UserFactory(email="")
    UserFactory(email="")
    with pytest.raises(IntegrityError):
        UserFactory(email="SAM@example.org")


def test_the_admin_refuses_an_address_someone_else_has_beside_the_field(client):
    UserFactory(email="sam@example.org")
    other = UserFactory(email="other@example.org")
    client.force_login(UserFactory(superuser=True, username="root"))

    response = client.post(
        reverse("admin:sla_monitor_user_change", args=[other.pk]),
        {
            "username": other.username,
            "email": "SAM@example.org",
            "role": other.role,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )

    assert "Another person already has this e-mail address." in response.content.decode()
    other.refresh_from_db()
    assert other.email == "other@example.org"


def test_demo_code_prints_the_code_a_demo_officer_s_app_shows(demo_data, capsys):
    from django.core.management import call_command

    from sla_monitor.models import User

    call_command("demo_code", "officer")

    assert capsys.readouterr().out.strip() == accounts.current_code(
        User.objects.get(username="officer")
    )


def test_a_code_signs_in_once_for_as_long_as_it_is_accepted(client, settings):
    """A code is accepted from one 30-second step before its own to one after (MFA_TOTP_TOLERANCE),
    90 seconds in all: used once, it stays refused that long, not only for one step."""
    officer = UserFactory(lead_officer=True)
    start = (int(time.time()) // 30) * 30 + 1
    with mock.patch("time.time", return_value=start):
        code = accounts.current_code(officer)
        sign_in(client, officer.username, settings.DEMO_PASSWORD)
        first = client.post(reverse("mfa_authenticate"), {"code": code})
        client.post(reverse("account_logout"))

    with mock.patch("time.time", return_value=start + 31):
        sign_in(client, officer.username, settings.DEMO_PASSWORD)
        again = client.post(reverse("mfa_authenticate"), {"code": code})

    assert first.status_code == 302
    assert again.status_code == 200
    assert (
        "That code has already been used. Wait for your authenticator app to show a new code, "
        "then enter it." in html.unescape(again.content.decode())
    )
    assert "_auth_user_id" not in client.session


def signed_in_with_recovery_codes(client, settings):
    officer = UserFactory(lead_officer=True)
    codes = RecoveryCodes.activate(officer).instance
    sign_in(client, officer.username, settings.DEMO_PASSWORD)
    client.post(reverse("mfa_authenticate"), {"code": accounts.current_code(officer)})
    return codes


@pytest.mark.parametrize(
    "name",
    ["mfa_view_recovery_codes", "mfa_download_recovery_codes", "mfa_generate_recovery_codes"],
)
def test_recovery_codes_are_shown_after_signing_in_again_to_a_session_signed_in_a_while_ago(
    client, settings, name
):
    signed_in_with_recovery_codes(client, settings)
    assert client.get(reverse(name)).status_code == 200
    later = time.time() + account_settings.REAUTHENTICATION_TIMEOUT + 1

    with mock.patch("time.time", return_value=later):
        asked = client.get(reverse(name))
        confirm = client.get(asked.url)
        client.post(asked.url, {"password": settings.DEMO_PASSWORD})
        shown = client.get(reverse(name))

    assert asked.status_code == 302
    assert asked.url == reverse("account_reauthenticate") + "?" + urlencode({"next": reverse(name)})
    assert confirm.status_code == 200
    assert shown.status_code == 200


def test_new_recovery_codes_are_made_only_after_signing_in_again_a_while_after_signing_in(
    client, settings
):
    codes = signed_in_with_recovery_codes(client, settings)
    later = time.time() + account_settings.REAUTHENTICATION_TIMEOUT + 1

    with mock.patch("time.time", return_value=later):
        asked = client.post(reverse("mfa_generate_recovery_codes"))
        unchanged = RecoveryCodes(codes).get_unused_codes()
        client.post(asked.url, {"password": settings.DEMO_PASSWORD})
        made = client.post(reverse("mfa_generate_recovery_codes"))

    assert asked.status_code == 302
    assert asked.url.startswith(reverse("account_reauthenticate"))
    assert unchanged == RecoveryCodes(codes).get_unused_codes()
    assert made.status_code == 302
    assert made.url == reverse("mfa_view_recovery_codes")
    assert not Authenticator.objects.filter(pk=codes.pk).exists()


@pytest.mark.parametrize(
    "url", ["/accounts/email/", "/accounts/confirm-email/", "/accounts/confirm-email/some-key/"]
)
def test_nobody_adds_or_changes_an_address_to_take_someone_elses(client, mailoutbox, url):
    """allauth's address pages would let anyone signed in make another person's address their
    own, unchecked, and then sign in or reset a password with it."""
    mallory = UserFactory(email="mallory@example.org")
    UserFactory(email="grace@example.org", username="grace")
    client.force_login(mallory)

    got = client.get(url)
    posted = client.post(url, {"action_add": "", "email": "grace.new@example.org"})
    client.post(url, {"action_primary": "", "email": "grace@example.org"})

    assert got.status_code == 404
    assert posted.status_code in (404, 405)
    mallory.refresh_from_db()
    assert mallory.email == "mallory@example.org"
    assert not mailoutbox


def set_up_authenticator_app(client, capture):
    """The steps of setting up an authenticator app: the page with its QR code, then a code."""
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code != 200:
        return page
    with capture(execute=True):
        return client.post(
            reverse("mfa_activate_totp"), {"code": code_for(client.session[SECRET_SESSION_KEY])}
        )


def test_staff_set_up_two_factor_after_a_reset_was_asked_for_their_address(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """Anyone may ask for a reset for any address. Asking proves nothing and changes nothing,
    or a stranger could keep council staff from setting up the second factor they need before
    anything else."""
    officer = UserFactory(lead_officer=True, two_factor=False, email="sam@example.org")
    client.post(reverse("account_reset_password"), {"email": "sam@example.org"})
    assert len(mailoutbox) == 1

    sign_in(client, officer.username, settings.DEMO_PASSWORD)
    activated = set_up_authenticator_app(client, django_capture_on_commit_callbacks)

    assert activated.status_code == 302
    assert activated.url != reverse("mfa_index")
    assert accounts.has_two_factor(officer)
    assert client.get(reverse("oversight:home")).status_code == 200


def test_staff_set_up_two_factor_after_resetting_their_password(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    officer = UserFactory(lead_officer=True, two_factor=False, email="sam@example.org")
    client.post(reverse("account_reset_password"), {"email": "sam@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mailoutbox[0].body)
    form = client.get(link.group(1), follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    sign_in(client, officer.username, NEW_PASSWORD)
    activated = set_up_authenticator_app(client, django_capture_on_commit_callbacks)

    assert activated.status_code == 302
    assert accounts.has_two_factor(officer)


def test_a_reset_asked_for_a_person_s_former_address_mails_nothing(client, mailoutbox):
    """An administrator changed the address, perhaps because the old mailbox is someone else's
    now: a reset asked for before the change must not have kept the old address on the account."""
    person = UserFactory(email="sam@old.example.org")
    client.post(reverse("account_reset_password"), {"email": "sam@old.example.org"})
    person.email = "sam@new.example.org"
    person.save(update_fields=["email"])

    client.post(reverse("account_reset_password"), {"email": "sam@old.example.org"})

    assert [mail.to for mail in mailoutbox] == [["sam@old.example.org"]]


def test_a_reset_link_sent_before_the_change_still_works(client):
    """The links are signed over what allauth's own were, so that one in someone's inbox when the
    service was upgraded still sets a password."""
    person = UserFactory(email="sam@example.org")
    token = EmailAwarePasswordResetTokenGenerator().make_token(person)

    assert accounts.PasswordResetTokens().check_token(person, token)


def test_unchecked_addresses_a_reset_left_behind_are_forgotten_on_upgrade(
    client, settings, django_capture_on_commit_callbacks
):
    officer = UserFactory(lead_officer=True, two_factor=False, email="sam@example.org")
    EmailAddress.objects.create(user=officer, email="sam@example.org", verified=False)
    EmailAddress.objects.create(user=officer, email="sam@old.example.org", verified=False)
    upgrade = importlib.import_module("sla_monitor.migrations.0024_forget_unchecked_addresses")

    upgrade.forget_unchecked_addresses(django_apps, None)

    assert not EmailAddress.objects.exists()
    sign_in(client, officer.username, settings.DEMO_PASSWORD)
    set_up_authenticator_app(client, django_capture_on_commit_callbacks)
    assert accounts.has_two_factor(officer)
