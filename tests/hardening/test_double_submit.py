"""A form that creates something acts once, however often or however fast it is sent."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from grants.models import MonitoringMeeting
from tests.dates import date_boxes


def meeting_form(client, funded) -> dict:
    page = client.get(reverse("grants:record_meeting", args=[funded.agreement.pk]))
    return {
        "once": page.context["form"]["once"].value(),
        **date_boxes("held_on", "2025-07-15"),
        "attendees": "Priya Shah, Sam Okafor",
        "notes": "On track.",
    }


@pytest.mark.django_db
def test_a_meeting_form_sent_twice_records_one_meeting_and_says_so(funded, client):
    client.force_login(funded.officer)
    data = meeting_form(client, funded)
    url = reverse("grants:record_meeting", args=[funded.agreement.pk])

    client.post(url, data)
    again = client.post(url, data, follow=True)

    assert MonitoringMeeting.objects.count() == 1
    assert "This form has already been sent" in again.content.decode()


@pytest.mark.django_db
def test_a_meeting_form_without_its_token_asks_for_a_reload(funded, client):
    client.force_login(funded.officer)
    data = meeting_form(client, funded)
    del data["once"]

    response = client.post(reverse("grants:record_meeting", args=[funded.agreement.pk]), data)

    assert "Reload the page and send the form again." in response.content.decode()
    assert not MonitoringMeeting.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writes need PostgreSQL")
def test_twenty_identical_meeting_posts_at_once_record_one_meeting(funded):
    client = Client()
    client.force_login(funded.officer)
    data = meeting_form(client, funded)
    url = reverse("grants:record_meeting", args=[funded.agreement.pk])
    barrier = threading.Barrier(20)
    statuses = []

    def send():
        sender = Client()
        sender.force_login(funded.officer)
        try:
            barrier.wait()
            statuses.append(sender.post(url, data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert MonitoringMeeting.objects.count() == 1
    assert sorted(set(statuses)) == [302]
