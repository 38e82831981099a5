"""django-allauth's words in Welsh: allauth ships no Welsh, so the words of it that people read are
the project's own templates or are listed in sla_monitor/third_party_text.py for the project's
catalogue to carry.

The Welsh catalogue is made apart from the code, so these tests put a catalogue of their own in
LOCALE_PATHS, marking each word they look for, and check that the mark shows where allauth speaks.
"""

import ast
import re
import struct
from pathlib import Path
from types import SimpleNamespace

import allauth
import pytest
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.mfa.internal.flows.add import validate_can_add_authenticator
from allauth.socialaccount.internal.flows.connect import validate_disconnect
from allauth.socialaccount.models import SocialAccount
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from sla_monitor import forms, third_party_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAME_PASSWORD = "You must type the same password each time."
NO_PASSWORD = "Your account has no password set up."
ADDRESS_UNCHECKED = (
    "You cannot activate two-factor authentication until you have verified your email address."
)
NEW_PASSWORD = "a-long-new-passphrase-19"  # nosec B105
NO_SIGN_IN = (
    "The username or e-mail address and password do not match an account that can sign in. "
    "Check them and try again, or reset your password. If you are sure they are right, write to "
    "%(support)s to ask whether your account is still open."
)


def listed_msgids() -> list[str]:
    """The msgids sla_monitor/third_party_text.py gives makemessages, read as makemessages reads
    them: from the gettext_noop calls in its source."""
    tree = ast.parse(Path(third_party_text.__file__).read_text())
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "gettext_noop"
    ]


def allauth_msgids() -> set[str]:
    """Every string allauth's Python code hands to gettext."""
    found = set()
    for source in Path(allauth.__file__).parent.rglob("*.py"):
        if "tests" in source.parts:
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in {"_", "gettext", "gettext_lazy"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def welsh(msgid: str) -> str:
    return f"[cy] {msgid}"


def write_catalogue(path: Path, msgids) -> None:
    """A compiled gettext catalogue (.mo) translating each msgid as `welsh(msgid)`."""
    header = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=4; plural=0;\n"
    entries = sorted({"": header, **{msgid: welsh(msgid) for msgid in msgids}}.items())
    keys = [key.encode() for key, _ in entries]
    values = [value.encode() for _, value in entries]
    start = 7 * 4 + 16 * len(entries)
    table, data = [], b""
    for text in keys + values:
        table.append((len(text), start + len(data)))
        data += text + b"\0"
    count = len(entries)
    head = struct.pack("<7I", 0x950412DE, 0, count, 28, 28 + 8 * count, 0, 0)
    path.parent.mkdir(parents=True)
    path.write_bytes(
        head + b"".join(struct.pack("<2I", *pair) for pair in table) + data,
    )


@pytest.fixture
def welsh_catalogue(settings, tmp_path):
    """Puts a Welsh catalogue marking the given msgids first in LOCALE_PATHS, as the project's
    catalogue is, and turns Welsh on."""

    def use(*msgids):
        write_catalogue(tmp_path / "locale/cy/LC_MESSAGES/django.mo", msgids)
        settings.LOCALE_PATHS = [tmp_path / "locale"]
        return translation.override("cy")

    return use


def signed_out_request():
    request = RequestFactory().post(reverse("account_login"))
    SessionMiddleware(lambda request: None).process_request(request)
    return request


def test_every_listed_word_is_one_allauth_uses():
    listed = listed_msgids()

    assert listed == list(third_party_text.ALLAUTH_TEXT)
    assert [msgid for msgid in listed if msgid not in allauth_msgids()] == []


def test_the_sign_in_form_s_labels_and_a_failed_sign_in_s_refusal_come_from_the_catalogue(
    welsh_catalogue, settings
):
    UserFactory(username="sam")
    request = signed_out_request()
    labels = ["Username or e-mail address", "Password"]

    with welsh_catalogue(*labels, NO_SIGN_IN):
        with allauth_context.request_context(request):
            form = forms.LoginForm(data={"login": "sam", "password": "wrong"}, request=request)
            refused = not form.is_valid()
        shown = [str(form.fields[name].label) for name in ["login", "password"]]
        refusals = list(form.non_field_errors())

    assert refused
    assert shown == [welsh(label) for label in labels]
    assert refusals == [welsh(NO_SIGN_IN) % {"support": settings.SUPPORT_EMAIL}]


@pytest.mark.parametrize(
    "form_class", [forms.ChangePasswordForm, forms.SetPasswordForm, forms.ResetPasswordKeyForm]
)
def test_new_passwords_that_differ_are_refused_in_the_catalogue_s_words(
    welsh_catalogue, settings, form_class
):
    person = UserFactory()
    data = {
        "oldpassword": settings.DEMO_PASSWORD,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD + "x",
    }

    with welsh_catalogue(SAME_PASSWORD):
        form = form_class(user=person, data=data)
        assert not form.is_valid()
        assert form.errors["password2"] == [welsh(SAME_PASSWORD)]


def test_someone_without_a_password_is_told_why_their_council_sign_in_stays(welsh_catalogue):
    person = UserFactory()
    person.set_unusable_password()
    person.save()
    council_sign_in = SocialAccount.objects.create(user=person, provider="council", uid="1")

    with welsh_catalogue(NO_PASSWORD), pytest.raises(ValidationError) as refused:
        validate_disconnect(None, council_sign_in)

    with translation.override("cy"):
        assert refused.value.messages == [welsh(NO_PASSWORD)]


def test_an_unchecked_address_holding_back_an_authenticator_app_is_said_in_the_catalogue_s_words(
    welsh_catalogue,
):
    person = UserFactory()
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)

    with welsh_catalogue(ADDRESS_UNCHECKED), pytest.raises(ValidationError) as refused:
        validate_can_add_authenticator(person)

    with translation.override("cy"):
        assert refused.value.messages == [welsh(ADDRESS_UNCHECKED)]


def test_the_password_reset_e_mail_carries_the_link_and_the_username(client, mailoutbox):
    person = UserFactory(username="sam", email="sam@example.org")

    client.post(reverse("account_reset_password"), {"email": person.email})

    (message,) = mailoutbox
    assert message.subject == "SLA Monitor: Reset your password"
    assert re.search(r"https?://[^/\s]+/accounts/password/reset/key/\S+/", message.body)
    assert message.body.startswith("Hello from SLA Monitor!\n")
    assert "Your username, in case you have forgotten it, is sam." in message.body
    assert "Thank you for using SLA Monitor.\ntestserver" in message.body


def test_the_password_reset_e_mail_is_written_from_the_catalogue(welsh_catalogue):
    person = UserFactory(username="sam")
    link = "https://sla.example.org/accounts/password/reset/key/1-set-password/"
    recipient = {
        "current_site": SimpleNamespace(name="SLA Monitor", domain="sla.example.org"),
        "user": person,
        "username": person.username,
        "password_reset_url": link,
    }
    sentences = [
        "Hello from %(site_name)s!",
        "Someone, probably you, asked to reset the password of your %(site_name)s account. If "
        "it was not you, you can ignore this e-mail: your password stays as it is.",
        "To choose a new password, open this link:",
        "Your username, in case you have forgotten it, is %(username)s.",
        "Thank you for using %(site_name)s.",
        "Reset your password",
    ]

    with welsh_catalogue(*sentences):
        body = render_to_string("account/email/password_reset_key_message.txt", recipient)
        subject = render_to_string("account/email/password_reset_key_subject.txt", recipient)

    assert subject.strip() == welsh("Reset your password")
    assert body.count("[cy] ") == 5
    assert welsh("Hello from SLA Monitor!") in body
    assert welsh("Your username, in case you have forgotten it, is sam.") in body
    assert f"\n\n{link}\n\n" in body


@pytest.mark.parametrize(
    ("template", "context", "words"),
    [
        ("account/messages/logged_in.txt", {}, "You are signed in as %(name)s."),
        ("account/messages/logged_out.txt", {}, "You have signed out."),
        ("account/messages/password_changed.txt", {}, "Your password has been changed."),
        ("account/messages/password_set.txt", {}, "Your password has been set."),
        ("mfa/messages/totp_activated.txt", {}, "Your authenticator app is set up."),
        ("mfa/messages/totp_deactivated.txt", {}, "Your authenticator app has been switched off."),
        (
            "mfa/messages/recovery_codes_generated.txt",
            {"MFA_RECOVERY_CODES_SHOW_ONCE": False},
            "You have new recovery codes, and any earlier ones no longer work.",
        ),
        (
            "mfa/messages/recovery_codes_generated.txt",
            {"MFA_RECOVERY_CODES_SHOW_ONCE": True},
            "You have new recovery codes, and any earlier ones no longer work. Keep them "
            "somewhere safe now: they will not be shown again.",
        ),
        (
            "socialaccount/messages/account_disconnected.txt",
            {},
            "You will no longer sign in through that council sign-in.",
        ),
    ],
)
def test_allauth_s_messages_are_written_from_the_catalogue(
    welsh_catalogue, template, context, words
):
    person = UserFactory(username="sam")

    with welsh_catalogue(words):
        message = render_to_string(template, {"user": person, **context}).strip()

    assert message == welsh(words) % {"name": "sam"}


def test_a_person_who_signs_in_is_told_so_in_the_app_s_words(client, settings):
    person = UserFactory(username="sam")

    response = client.post(
        reverse("account_login"),
        {"login": person.username, "password": settings.DEMO_PASSWORD},
        follow=True,
    )

    page = response.content.decode()
    assert "You are signed in as sam." in page
    assert "Successfully signed in" not in page


def test_too_many_reset_requests_are_answered_by_the_app_s_own_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "1/m/key"}
    UserFactory(email="sam@example.org")
    url = reverse("account_reset_password")

    client.post(url, {"email": "sam@example.org"})
    refused = client.post(url, {"email": "sam@example.org"})

    assert refused.status_code == 429
    page = refused.content.decode()
    assert "<h1>Too many attempts</h1>" in page
    assert "Wait a few minutes, then try again." in page
