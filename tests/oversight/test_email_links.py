"""Every link in every e-mail the app sends leads to the app on the port it runs on: the ones the
task worker sends from SITE_URL, which `make run` sets from PORT, and allauth's from the
request's own address. Each e-mail is sent, and each of its links followed as its reader."""

import datetime as dt
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from grants import services as grant_services
from oversight import services
from sla_monitor.models import Invitation, User
from tests.factories import AgreementFactory, CouncilFactory, ProviderFactory, UserFactory

PROJECT = Path(__file__).resolve().parents[2]
ADDRESS = "127.0.0.1:8101"
LINK = re.compile(r"https?://\S+")
NIA = {
    "email": "nia@example.org",
    "first_name": "Nia",
    "last_name": "Adeyemi",
    "role": User.Role.PROVIDER,
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _port_8101(settings):
    settings.SITE_URL = f"http://{ADDRESS}"


def _links(message) -> list[str]:
    return LINK.findall(message.body)


def _opened(link: str, reader: User | None) -> int:
    """The status of the page the link ends on, for its reader signed in (None: nobody)."""
    parts = urlsplit(link)
    assert parts.netloc == ADDRESS, link
    client = Client(HTTP_HOST=ADDRESS)
    if reader is not None:
        client.force_login(reader)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return client.get(path, follow=True).status_code


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """The e-mails `send()` sends, once its transaction commits."""

    def run(send, *arguments, **keywords) -> list:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            send(*arguments, **keywords)
        assert mail.outbox, "nothing was sent"
        return list(mail.outbox)

    return run


def _readers(message) -> list[User]:
    return list(User.objects.filter(email__in=message.to))


def test_each_e_mail_about_returns_payments_and_reminders_leads_to_its_page(funded, sent):
    grant_services.create_instalment_schedule(agreement=funded.agreement)
    first = funded.agreement.instalments.order_by("sequence").first()
    returned = funded.complete(funded.start(quarter=1))
    mailed = {
        "submitted": sent(
            grant_services.submit_return, quarterly_return=returned, by=funded.provider_user
        ),
        "changes requested": sent(
            grant_services.request_changes,
            quarterly_return=returned,
            by=funded.officer,
            comment="Add the quarter's cases.",
            flags={f"indicator:{funded.indicators['narrative'].pk}": "Name the cases."},
        ),
    }
    flag = returned.flags.get()
    for name, by, about in [
        ("reply to a flag", funded.provider_user, {"flag": flag}),
        ("message about a return", funded.officer, {"quarterly_return": returned}),
        ("message about an agreement", funded.provider_user, {"agreement": funded.agreement}),
    ]:
        mailed[name] = sent(
            grant_services.send_message, by=by, body="Hello.", token=uuid.uuid4(), **about
        )
    grant_services.submit_return(
        quarterly_return=returned, by=funded.provider_user, confirm_left_as_flagged=True
    )
    mailed["approved"] = sent(
        grant_services.approve_return, quarterly_return=returned, by=funded.officer
    )
    mailed["instalment released"] = sent(
        grant_services.release_instalment, instalment=first, by=funded.officer
    )
    second = funded.start(quarter=2)
    mailed["reminders"] = sent(grant_services.send_reminders, today=second.period.due_date)
    mailed["overdue"] = sent(
        grant_services.send_reminders, today=second.period.due_date + dt.timedelta(days=1)
    )

    opened = {
        (kind, message.subject, reader.username, link): _opened(link, reader)
        for kind, messages in mailed.items()
        for message in messages
        for reader in _readers(message)
        for link in _links(message)
    }

    assert {kind for kind, *_ in opened} == set(mailed)
    assert set(opened.values()) == {200}, opened


def test_an_invitation_leads_the_person_invited_to_choose_a_password(council_and_provider, sent):
    council, provider = council_and_provider
    officer = UserFactory(role=User.Role.LEAD_OFFICER, organisation=council)

    (message,) = sent(services.invite_person, by=officer, **NIA, organisation=provider)

    (link,) = _links(message)
    assert _opened(link, None) == 200


def test_asking_a_provider_to_let_someone_in_leads_its_administrator_to_the_people_page(
    council_and_provider, sent
):
    _, provider = council_and_provider
    administrator = UserFactory(organisation=provider, role=User.Role.PROVIDER_ADMIN)
    other = CouncilFactory(name="Kettering Council", short_code="KBC")
    AgreementFactory(funder=other, provider=provider)
    asker = UserFactory(role=User.Role.LEAD_OFFICER, organisation=other)

    (asked,) = sent(services.invite_person, by=asker, **NIA, organisation=provider)
    invitation = Invitation.objects.get(email=NIA["email"])
    (approved,) = sent(services.approve_invitation, invitation=invitation, by=administrator)

    (link,) = _links(asked)
    assert _opened(link, administrator) == 200
    (link,) = _links(approved)
    assert _opened(link, None) == 200


def test_a_password_reset_leads_to_choosing_a_new_password_and_comes_from_sla_monitor(sent):
    UserFactory(email="sam@example.org")
    client = Client(HTTP_HOST=ADDRESS)

    (message,) = sent(client.post, reverse("account_reset_password"), {"email": "sam@example.org"})

    (link,) = _links(message)
    assert _opened(link, None) == 200
    assert "Hello from SLA Monitor!" in message.body
    assert "Hello from 127.0.0.1" not in message.body


def test_make_run_and_the_settings_take_the_links_address_from_the_port():
    planned = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", "PORT=8101"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SITE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    configured = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.SITE_URL)",
        ],
        cwd=PROJECT,
        env={**environment, "DEBUG": "1", "PORT": "8101"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert f"SITE_URL=http://{ADDRESS}" in planned
    assert configured.stdout.strip() == f"http://{ADDRESS}", configured.stderr


@pytest.fixture
def council_and_provider(db):
    council = CouncilFactory(name="Kingston Council", short_code="RBK")
    provider = ProviderFactory(name="Riverside Advice Network")
    AgreementFactory(funder=council, provider=provider)
    return council, provider
