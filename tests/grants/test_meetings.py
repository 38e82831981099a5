"""Monitoring meetings: dated within the agreement, corrected and deleted by the funder's lead
officers, every change and deletion kept in the audit log."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grants import services, stored, worklists
from grants.models import Agreement, MonitoringMeeting, ReportingPeriod
from sla_monitor.models import User
from tests.dates import date_boxes
from tests.factories import AgreementFactory, UserFactory

pytestmark = pytest.mark.django_db

OUTSIDE = (
    "The date of the meeting must be within the agreement, which runs from 1 April 2025 to "
    "31 March 2029: enter a date within it"
)


@pytest.fixture
def meeting(funded):
    return services.record_meeting(
        agreement=funded.agreement,
        by=funded.officer,
        held_on=dt.date(2025, 7, 15),
        period=None,
        attendees="Priya Shah",
        notes="Q1 return reviewed.",
    )


@pytest.fixture
def council_admin(funded):
    return UserFactory(
        role=User.Role.ADMIN, organisation=funded.agreement.funder, username="counciladmin"
    )


def _change_url(meeting):
    return reverse("grants:change_meeting", args=[meeting.agreement_id, meeting.pk])


def _delete_url(meeting):
    return reverse("grants:delete_meeting", args=[meeting.agreement_id, meeting.pk])


def _audit_events(client, user):
    client.force_login(user)
    response = client.get(reverse("oversight:audit_log"), {"kind": "history"})
    return [e for e in response.context["events"] if " monitoring meeting “" in e.what]


# Dates within the agreement ----------------------------------------------------------------------


def test_a_meeting_dated_outside_the_agreement_is_refused_beside_the_date(funded, client):
    client.force_login(funded.officer)
    url = reverse("grants:record_meeting", args=[funded.agreement.pk])
    once = client.get(url).context["form"]["once"].value()

    response = client.post(url, {"once": once, "held_on": "2029-04-01", "attendees": "Both"})

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_held_on_day">{OUTSIDE}</a>' in html
    error = html.split('<p id="id_held_on_error" class="invalid-feedback d-block">')[1]
    assert error.split("</p>")[0].endswith(OUTSIDE)
    assert not MonitoringMeeting.objects.exists()


def test_the_first_and_last_days_of_the_agreement_are_within_it(funded, client):
    Agreement.objects.filter(pk=funded.agreement.pk).update(end_date=dt.date(2026, 3, 31))
    stored.refresh_agreement(funded.agreement.pk)
    client.force_login(funded.officer)
    url = reverse("grants:record_meeting", args=[funded.agreement.pk])
    for day in ("2025-04-01", "2026-03-31"):
        once = client.get(url).context["form"]["once"].value()
        client.post(url, {"once": once, "held_on": day, "attendees": "Both"})

    assert sorted(str(m.held_on) for m in MonitoringMeeting.objects.all()) == [
        "2025-04-01",
        "2026-03-31",
    ]


def test_a_meeting_moved_outside_the_agreement_is_refused_and_left_as_it_was(
    funded, meeting, client
):
    client.force_login(funded.officer)

    response = client.post(
        _change_url(meeting), {"held_on": "2025-03-31", "attendees": "Priya Shah, Sam Okafor"}
    )

    assert response.status_code == 200
    assert OUTSIDE in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.attendees) == (dt.date(2025, 7, 15), "Priya Shah")


def test_the_service_refuses_a_date_outside_the_agreement_whatever_form_sent_it(funded, meeting):
    with pytest.raises(ValidationError, match="must be within the agreement"):
        services.change_meeting(
            meeting=meeting,
            by=funded.officer,
            held_on=dt.date(2030, 1, 1),
            period=None,
            attendees="Priya Shah",
        )

    meeting.refresh_from_db()
    assert meeting.held_on == dt.date(2025, 7, 15)


# Changing and deleting ---------------------------------------------------------------------------


def test_the_lead_officer_corrects_a_meeting_and_the_audit_log_says_who_and_what(
    funded, meeting, council_admin, client
):
    client.force_login(funded.officer)
    page = client.get(_change_url(meeting))
    form = page.context["form"]
    q1 = ReportingPeriod.objects.get(financial_year=2025, quarter=1)
    html = page.content.decode()
    for part, value in [("day", "15"), ("month", "7"), ("year", "2025")]:
        assert f'name="held_on_{part}" value="{value}"' in html

    response = client.post(
        _change_url(meeting),
        {
            "held_on": "2025-07-16",
            "period": q1.pk,
            "attendees": "Priya Shah, Sam Okafor",
            "notes": form["notes"].value(),
        },
        follow=True,
    )

    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.period, meeting.attendees) == (
        dt.date(2025, 7, 16),
        q1,
        "Priya Shah, Sam Okafor",
    )
    assert meeting.notes == "Q1 return reviewed."
    assert "The meeting of 16 July 2025 was changed." in response.content.decode()
    changed = _audit_events(client, council_admin)[0]
    assert changed.what.startswith("Changed monitoring meeting")
    assert changed.who == funded.officer
    assert "Attendees: Priya Shah → Priya Shah, Sam Okafor" in changed.details
    assert "Held on: 15 July 2025 → 16 July 2025" in changed.details
    assert "Period: not set → Q1 2025/26" in changed.details
    assert "Notes" not in changed.details


def test_deleting_a_meeting_asks_first_and_the_audit_log_keeps_what_it_said(
    funded, meeting, council_admin, client
):
    client.force_login(funded.officer)

    confirmation = client.get(_delete_url(meeting))
    assert MonitoringMeeting.objects.filter(pk=meeting.pk).exists()
    response = client.post(_delete_url(meeting), follow=True)

    html = confirmation.content.decode()
    assert "<h1>Delete the meeting of 15 July 2025?</h1>" in html
    assert "Q1 return reviewed." in html
    assert "Delete the meeting</button>" in html
    assert not MonitoringMeeting.objects.filter(pk=meeting.pk).exists()
    assert "The meeting of 15 July 2025 was deleted." in response.content.decode()
    deleted, added = _audit_events(client, council_admin)
    assert added.what.startswith("Added monitoring meeting")
    assert deleted.what.startswith("Deleted monitoring meeting")
    assert deleted.who == funded.officer
    assert "Attendees: Priya Shah → not set" in deleted.details
    assert "Notes: Q1 return reviewed. → not set" in deleted.details


def test_a_deletion_is_not_shown_to_another_councils_admin(funded, meeting, client):
    services.delete_meeting(meeting=meeting, by=funded.officer)
    elsewhere = UserFactory(role=User.Role.ADMIN, organisation=funded.other_officer.organisation)

    assert _audit_events(client, elsewhere) == []


def test_deleting_twice_says_it_is_gone(funded, meeting, client):
    client.force_login(funded.officer)
    client.post(_delete_url(meeting))

    again = client.post(_delete_url(meeting), follow=True)

    assert again.status_code == 200
    assert "That meeting has been deleted already." in again.content.decode()


def test_the_councils_admin_may_change_and_delete_a_meeting(meeting, council_admin, client):
    client.force_login(council_admin)

    client.post(_change_url(meeting), {"held_on": "2025-07-15", "attendees": "Dana Reid"})
    meeting.refresh_from_db()
    assert meeting.attendees == "Dana Reid"
    client.post(_delete_url(meeting))

    assert not MonitoringMeeting.objects.filter(pk=meeting.pk).exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("provider_user", 403), ("other_provider_user", 404), ("other_officer", 404)],
)
def test_others_can_neither_change_nor_delete_a_meeting(funded, meeting, client, who, status):
    client.force_login(getattr(funded, who))

    responses = [
        client.get(_change_url(meeting)),
        client.post(_change_url(meeting), {"held_on": "2025-07-15", "attendees": "Someone"}),
        client.get(_delete_url(meeting)),
        client.post(_delete_url(meeting)),
    ]

    assert [r.status_code for r in responses] == [status] * 4
    meeting.refresh_from_db()
    assert meeting.attendees == "Priya Shah"


def test_the_agreement_page_offers_change_and_delete_to_the_lead_officer_only(
    funded, meeting, client
):
    page = reverse("grants:agreement_detail", args=[funded.agreement.pk])
    client.force_login(funded.officer)
    officer_html = client.get(page, {"year": 2025}).content.decode()
    client.force_login(funded.provider_user)
    provider_html = client.get(page, {"year": 2025}).content.decode()

    assert _change_url(meeting) in officer_html and _delete_url(meeting) in officer_html
    assert "Q1 return reviewed." in provider_html
    assert _change_url(meeting) not in provider_html
    assert _delete_url(meeting) not in provider_html


def _record(client, funded, **fields):
    url = reverse("grants:record_meeting", args=[funded.agreement.pk])
    once = client.get(url).context["form"]["once"].value()
    return client.post(url, {"once": once, "attendees": "Both", **fields})


def test_a_meeting_is_recorded_once_held_not_before(funded, client):
    client.force_login(funded.officer)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    funded.agreement.end_date = tomorrow + dt.timedelta(days=400)
    funded.agreement.save()

    response = _record(client, funded, **date_boxes("held_on", tomorrow))

    assert response.status_code == 200
    assert "must be today or in the past" in response.content.decode()
    assert not MonitoringMeeting.objects.exists()


def test_a_meeting_cannot_monitor_a_quarter_that_starts_after_it(funded, client):
    client.force_login(funded.officer)
    q3 = ReportingPeriod.objects.get(financial_year=2025, quarter=3)

    response = _record(client, funded, period=q3.pk, **date_boxes("held_on", "2025-07-15"))

    assert (
        "A meeting held on 15 July 2025 cannot monitor Q3 2025/26, which starts after it"
        in response.content.decode()
    )
    assert not MonitoringMeeting.objects.exists()


def test_another_agreements_meeting_is_not_found_under_this_one(funded, meeting, client):
    other = AgreementFactory(funder=funded.agreement.funder, lead_officer=funded.officer)
    client.force_login(funded.officer)

    for view in ("grants:change_meeting", "grants:delete_meeting"):
        response = client.post(reverse(view, args=[other.pk, meeting.pk]), {"attendees": "x"})
        assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.attendees == "Priya Shah"


def test_a_meeting_of_another_quarter_leaves_this_quarters_meeting_due(funded):
    """Held in Q2 or planned for Q4: Q3's meeting is still to hold."""
    q3 = ReportingPeriod.objects.get(financial_year=2025, quarter=3)
    for day in (dt.date(2025, 9, 30), dt.date(2026, 1, 5)):
        MonitoringMeeting.objects.create(
            agreement=funded.agreement, held_on=day, attendees="x", recorded_by=funded.officer
        )
    agreements = Agreement.objects.filter(pk=funded.agreement.pk)

    [due] = worklists.meetings_due(agreements, q3)
    assert due.last_meeting == dt.date(2026, 1, 5)
    MonitoringMeeting.objects.create(
        agreement=funded.agreement,
        held_on=dt.date(2025, 10, 2),
        attendees="x",
        recorded_by=funded.officer,
    )
    assert worklists.meetings_due(agreements, q3) == []
