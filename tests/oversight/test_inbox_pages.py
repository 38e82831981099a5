"""The inbox page, opening a notification from it, marking all read, the header's unread count,
and the page where a person chooses their e-mails."""

import re

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from sla_monitor.models import Notification, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
INBOX = "/inbox/"
DASH = "\N{EN DASH}"


def _told(person, number: int = 1, **fields) -> list[Notification]:
    return Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind=Kind.RETURN_APPROVED,
            link=f"/returns/{n}/",
            params={"reference": f"KBC-{n:02d}", "period": "Q1 2025/26"},
            **fields,
        )
        for n in range(number)
    )


@pytest.fixture
def sam(client):
    person = UserFactory(username="sam", first_name="Sam", last_name="Okafor")
    client.force_login(person)
    return person


def test_the_inbox_lists_ones_own_notifications_newest_first_unread_ones_said_so(client, sam):
    (older,) = _told(sam)
    (newer,) = Notification.objects.bulk_create(
        [
            Notification(
                recipient=sam,
                kind=Kind.RETURN_SENT_BACK,
                link="/returns/9/",
                params={"reference": "KBC-09", "period": "Q2 2025/26"},
            )
        ]
    )
    Notification.objects.filter(pk=older.pk).update(read_at=older.created_at)
    _told(UserFactory())

    response = client.get(INBOX)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1>") == 1
    assert f"<title>Your inbox {DASH} SLA Monitor</title>" in page
    sent_back = "Your Q2 2025/26 return for KBC-09 was sent back for changes."
    approved = "Your Q1 2025/26 return for KBC-00 was approved."
    assert page.index(sent_back) < page.index(approved)
    assert [e.pk for e in response.context["entries"]] == [newer.pk, older.pk]
    items = re.findall(r"<li class=\"inbox-item[^\"]*\">(.*?)</li>", page, flags=re.DOTALL)
    assert len(items) == 2
    assert "Unread" in items[0] and "Unread" not in items[1]
    assert f'href="{reverse("oversight:inbox_open", args=[newer.pk])}"' in items[0]
    assert "You have 1 unread notification." in page


def test_opening_a_notification_marks_it_read_and_goes_where_it_leads(client, sam):
    (notification,) = _told(sam)

    response = client.get(reverse("oversight:inbox_open", args=[notification.pk]))

    assert response.status_code == 302
    assert response.url == "/returns/0/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_persons_notification_is_not_found_and_stays_unread(client, sam):
    (theirs,) = _told(UserFactory())

    response = client.get(reverse("oversight:inbox_open", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_as_read_reads_ones_own_only_and_says_how_many(client, sam):
    _told(sam, 3)
    (theirs,) = _told(UserFactory())

    refused = client.get(reverse("oversight:inbox_mark_all_read"))
    response = client.post(reverse("oversight:inbox_mark_all_read"), follow=True)

    assert refused.status_code == 405
    page = response.content.decode()
    assert "3 notifications marked as read." in page
    assert "You have read everything in your inbox." in page
    assert "Mark all as read" not in page
    assert not sam.notifications.filter(read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_empty_inbox_says_what_will_land_in_it(client, sam):
    page = client.get(INBOX).content.decode()

    assert "Nothing has landed in your inbox yet." in page
    assert "Mark all as read" not in page


def test_a_long_inbox_is_paged(client, sam):
    _told(sam, 30)

    first = client.get(INBOX)
    second = client.get(INBOX, {"page": 2})

    assert len(first.context["entries"]) == 25
    assert len(second.context["entries"]) == 5
    assert "Showing 1 to 25 of 30." in first.content.decode()
    assert f"<title>Your inbox, page 2 {DASH} SLA Monitor</title>" in second.content.decode()


def test_the_inbox_runs_the_same_queries_for_one_notification_and_sixty(client, sam, same_queries):
    _told(sam)

    counted = same_queries(lambda: client.get(INBOX), grow=lambda: _told(sam, 60))

    assert len(counted.result.context["entries"]) == 25


@pytest.mark.parametrize(
    ("unread", "read_out", "shown"),
    [
        (3, "Inbox, 3 unread", "3"),
        (1, "Inbox, 1 unread", "1"),
        (120, "Inbox, more than 99 unread", "99+"),
    ],
)
def test_the_header_says_how_many_are_unread(client, sam, unread, read_out, shown):
    _told(sam, unread)

    page = client.get(reverse("account")).content.decode()

    links = re.findall(r'<a class="site-inbox[^>]*>(.*?)</a>', page, flags=re.DOTALL)
    # Beside the Menu button, and beside the account: one shows at a time.
    assert len(links) == 2
    for link in links:
        # Read out in one phrase; the word and the badge shown are not read again.
        assert f'<span class="visually-hidden">{read_out}</span>' in link
        assert re.sub(
            r'<span[^>]*aria-hidden="true">.*?</span>|<svg.*?</svg>|<[^>]+>', "", link
        ) == (read_out)
        assert f'<span class="site-inbox-count" aria-hidden="true">{shown}</span>' in link


def test_the_header_shows_no_count_when_all_is_read(client, sam):
    _told(sam, 2, read_at="2025-01-01T00:00Z")

    page = client.get(reverse("account")).content.decode()

    assert "site-inbox-count" not in page
    assert page.count('<span class="visually-hidden">Inbox</span>') == 2


def test_the_header_has_no_inbox_for_someone_signed_out(client):
    page = client.get(reverse("account_login")).content.decode()

    assert "site-inbox" not in page


# Choosing one's e-mails ------------------------------------------------------------------------

EMAILS = "/account/emails/"


def test_the_account_page_says_which_e_mails_one_has_and_where_to_change_it(client, sam):
    page = client.get(reverse("account")).content.decode()

    assert "An e-mail each time" in page
    assert f'href="{EMAILS}"' in page


def test_a_person_chooses_a_daily_digest_and_it_is_kept_with_who_changed_it(client, sam):
    form = client.get(EMAILS)
    response = client.post(EMAILS, {"email_choice": "daily_digest"}, follow=True)

    assert re.search(r'<input [^>]*value="each_event"[^>]* checked', form.content.decode())
    assert response.redirect_chain == [(reverse("account"), 302)]
    page = response.content.decode()
    assert "Saved: you will have one e-mail a day listing what landed in your inbox" in page
    assert "One e-mail a day listing them" in page
    sam.refresh_from_db()
    assert sam.email_choice == User.EmailChoice.DAILY_DIGEST
    entry = LogEntry.objects.get_for_object(sam).latest("timestamp")
    assert entry.actor == sam
    assert entry.changes_dict["email_choice"] == ["each_event", "daily_digest"]


@pytest.mark.parametrize("data", [{}, {"email_choice": "hourly"}])
def test_a_choice_not_offered_is_refused_with_an_error_summary(client, sam, data):
    response = client.post(EMAILS, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert (
        'href="#id_email_choice_0">Choose how you want to hear of what lands in your inbox' in page
    )
    assert page.count("Choose how you want to hear of what lands in your inbox") == 2
    assert f"<title>Error: E-mails about your inbox {DASH} SLA Monitor</title>" in page
    assert "<legend" in page
    sam.refresh_from_db()
    assert sam.email_choice == User.EmailChoice.EACH_EVENT


def test_the_home_page_leads_to_the_inbox_when_something_is_unread(client, sam):
    before = client.get(reverse("oversight:home")).content.decode()
    _told(sam, 2)

    after = client.get(reverse("oversight:home")).content.decode()

    assert "unread notification" not in before
    assert f'<a href="{INBOX}">Your inbox</a> has 2 unread notifications.' in after
