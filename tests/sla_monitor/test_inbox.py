"""The inbox's one way in (`inbox.notify`), the e-mails it sends as each person chose, the daily
digest, and each person's choice."""

import io
import re

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction

from sla_monitor import inbox
from sla_monitor.models import Notification, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
Choice = User.EmailChoice
LINK = "/agreements/1/"
MESSAGE = {
    "reference": "KBC-CCE-01",
    "period": "Q1 2025/26",
    "author": "Priya Shah",
    "about": "Indicator c",
}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "http://127.0.0.1:8101"


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """Call `inbox.notify`, as a service would, and run what follows its commit."""

    def run(**keywords):
        with django_capture_on_commit_callbacks(execute=True):
            inbox.notify(**({"kind": Kind.MESSAGE, "link": LINK, "params": MESSAGE} | keywords))

    return run


def test_each_active_person_named_gets_one_notification_and_nobody_else(told):
    sam, jo = UserFactory(), UserFactory()
    left = UserFactory(is_active=False)
    bystander = UserFactory()

    told(recipients=[sam, jo, sam, left, None])

    assert sorted(Notification.objects.values_list("recipient", flat=True)) == sorted(
        [sam.pk, jo.pk]
    )
    assert not bystander.notifications.exists()
    notification = sam.notifications.get()
    assert (notification.kind, notification.link, notification.params) == (
        Kind.MESSAGE,
        LINK,
        MESSAGE,
    )
    assert notification.read_at is None


def test_a_person_who_chose_each_event_is_e_mailed_with_the_link_and_how_to_stop(told):
    sam = UserFactory(email="sam@example.org")

    told(recipients=[sam])

    (email,) = mail.outbox
    assert email.to == ["sam@example.org"]
    assert email.subject == "New message: KBC-CCE-01"
    assert "New message from Priya Shah about Indicator c: KBC-CCE-01, Q1 2025/26." in email.body
    assert f"Read it and reply: http://127.0.0.1:8101{LINK}" in email.body
    assert "change it under Your account" in email.body
    assert sam.notifications.get().emailed_at is not None


def test_people_told_of_one_event_each_get_their_own_e_mail(told):
    sam, jo = UserFactory(), UserFactory()

    told(recipients=[sam, jo])

    assert sorted(m.to for m in mail.outbox) == sorted([[sam.email], [jo.email]])


@pytest.mark.parametrize("choice", [Choice.DAILY_DIGEST, Choice.NONE])
def test_a_person_who_chose_a_digest_or_none_gets_no_e_mail_now_but_the_notification(told, choice):
    sam = UserFactory(email_choice=choice)

    told(recipients=[sam])

    assert mail.outbox == []
    notification = sam.notifications.get()
    assert notification.emailed_at is None


def test_a_person_without_an_address_is_told_in_the_inbox_only(told):
    sam = UserFactory(email="")

    told(recipients=[sam])

    assert mail.outbox == []
    assert sam.notifications.count() == 1


def test_nothing_is_kept_or_sent_when_the_change_it_tells_of_is_rolled_back(
    django_capture_on_commit_callbacks,
):
    sam = UserFactory()

    class Refused(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused),
        transaction.atomic(),
    ):
        inbox.notify(recipients=[sam], kind=Kind.MESSAGE, link=LINK, params=MESSAGE)
        raise Refused

    assert not sam.notifications.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("link", ["https://elsewhere.example/", "//elsewhere.example/", "inbox/"])
def test_a_link_outside_the_site_is_refused(link):
    with pytest.raises(ValueError):
        inbox.notify(recipients=[UserFactory()], kind=Kind.MESSAGE, link=link, params=MESSAGE)

    assert not Notification.objects.exists()


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        inbox.notify(recipients=[UserFactory()], kind="gossip", link=LINK, params={})


def test_a_message_about_a_whole_agreement_reads_without_a_quarter(told):
    sam = UserFactory()

    told(recipients=[sam], params=MESSAGE | {"period": "", "about": "the agreement"})

    assert inbox.sentence(sam.notifications.get()) == (
        "New message from Priya Shah about the agreement: KBC-CCE-01."
    )


def test_a_value_the_wording_names_but_the_notification_lacks_reads_as_nothing(told):
    sam = UserFactory()

    told(recipients=[sam], params={"reference": "KBC-CCE-01"})

    assert inbox.sentence(sam.notifications.get()) == "New message from  about : KBC-CCE-01."


def test_values_that_are_not_text_are_kept_as_their_text(told):
    sam = UserFactory()

    class Quarter:
        def __str__(self):
            return "Q2 2025/26"

    told(recipients=[sam], params=MESSAGE | {"period": Quarter()})

    assert sam.notifications.get().params["period"] == "Q2 2025/26"


def test_every_kind_has_whole_sentences_for_the_inbox_and_the_subject():
    assert set(inbox.WORDING) == set(Kind.values)
    for wording in inbox.WORDING.values():
        assert str(wording.sentence).endswith(".")
        assert not str(wording.subject).endswith(".")


# The daily digest ------------------------------------------------------------------------------


def _digest() -> str:
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    return out.getvalue()


def test_the_digest_lists_each_unread_notification_with_its_link_once(told):
    sam = UserFactory(email_choice=Choice.DAILY_DIGEST, email="sam@example.org")
    told(recipients=[sam], link="/returns/1/")
    told(recipients=[sam], link="/returns/2/", params=MESSAGE | {"author": "Dana Reid"})

    first = _digest()
    (email,) = mail.outbox
    again = _digest()

    assert "1 daily e-mail(s) queued." in first
    assert "0 daily e-mail(s) queued." in again
    assert len(mail.outbox) == 1
    assert email.to == ["sam@example.org"]
    assert email.subject == "Your SLA Monitor inbox: 2 new items"
    assert "New message from Dana Reid about Indicator c" in email.body
    assert "http://127.0.0.1:8101/returns/1/" in email.body
    assert "http://127.0.0.1:8101/returns/2/" in email.body
    assert "Open your inbox: http://127.0.0.1:8101/inbox/" in email.body
    assert "You chose one e-mail a day" in email.body
    # Newest first, as the inbox lists them.
    assert email.body.index("Dana Reid") < email.body.index("Priya Shah")
    assert not sam.notifications.filter(emailed_at__isnull=True).exists()


def test_the_digest_leaves_out_what_was_read_and_people_who_chose_otherwise(told):
    digest = UserFactory(email_choice=Choice.DAILY_DIGEST)
    each = UserFactory(email_choice=Choice.EACH_EVENT)
    none = UserFactory(email_choice=Choice.NONE)
    told(recipients=[digest, each, none])
    mail.outbox.clear()
    inbox.mark_all_read(by=digest)

    assert "0 daily e-mail(s) queued." in _digest()
    assert mail.outbox == []


def test_a_long_digest_lists_the_newest_and_counts_the_rest(told, monkeypatch):
    monkeypatch.setattr(inbox, "DIGEST_MOST", 2)
    sam = UserFactory(email_choice=Choice.DAILY_DIGEST)
    for number in range(5):
        told(recipients=[sam], link=f"/returns/{number}/")

    _digest()

    (email,) = mail.outbox
    assert email.subject == "Your SLA Monitor inbox: 5 new items"
    assert len(re.findall(r"^- ", email.body, flags=re.MULTILINE)) == 2
    assert "3 more are in your inbox." in email.body
    assert not sam.notifications.filter(emailed_at__isnull=True).exists()


# Reading and choosing --------------------------------------------------------------------------


def test_marking_all_read_touches_only_ones_own(told):
    sam, jo = UserFactory(), UserFactory()
    told(recipients=[sam, jo])
    told(recipients=[sam])

    assert inbox.mark_all_read(by=sam) == 2
    assert inbox.unread_count(sam) == 0
    assert inbox.unread_count(jo) == 1


def test_nobody_marks_another_persons_notification_read(told):
    sam, jo = UserFactory(), UserFactory()
    told(recipients=[sam])

    with pytest.raises(PermissionDenied):
        inbox.mark_read(notification=sam.notifications.get(), by=jo)

    assert inbox.unread_count(sam) == 1


def test_the_unread_count_stops_at_a_hundred():
    sam = UserFactory()
    Notification.objects.bulk_create(
        Notification(recipient=sam, kind=Kind.MESSAGE, link=LINK) for _ in range(130)
    )

    assert inbox.unread_count(sam) == inbox.COUNTED_UP_TO == 100


def test_a_person_chooses_their_e_mails_and_the_change_is_in_their_accounts_history():
    sam = UserFactory()

    inbox.choose_emails(person=sam, by=sam, choice=Choice.DAILY_DIGEST)

    sam.refresh_from_db()
    assert sam.email_choice == Choice.DAILY_DIGEST
    entry = LogEntry.objects.get_for_object(sam).latest("timestamp")
    assert entry.changes_dict["email_choice"] == [Choice.EACH_EVENT, Choice.DAILY_DIGEST]


def test_nobody_chooses_for_someone_else_nor_a_choice_not_offered():
    sam, jo = UserFactory(), UserFactory()

    with pytest.raises(PermissionDenied):
        inbox.choose_emails(person=sam, by=jo, choice=Choice.NONE)
    with pytest.raises(ValidationError):
        inbox.choose_emails(person=sam, by=sam, choice="hourly")

    sam.refresh_from_db()
    assert sam.email_choice == Choice.EACH_EVENT
