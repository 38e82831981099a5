"""Dates are asked as Day, Month and Year boxes (the GOV.UK date input) and read
"1 October 2026" everywhere."""

import datetime as dt
import re

import pytest
from django import forms
from django.urls import reverse
from django.utils.formats import date_format

from grants.models import MonitoringMeeting
from sla_monitor.dates import DayMonthYearField
from sla_monitor.forms import AccessibleFormMixin
from tests.dates import date_boxes


class MeetingDate(AccessibleFormMixin, forms.Form):
    held_on = DayMonthYearField(label="Date of the meeting")


def _clean(**boxes) -> forms.Form:
    form = MeetingDate({f"held_on_{part}": value for part, value in boxes.items()})
    form.is_valid()
    return form


def test_day_month_and_year_make_the_date():
    assert _clean(day="27", month="3", year="2026").cleaned_data["held_on"] == dt.date(2026, 3, 27)
    assert _clean(day=" 01 ", month="Oct", year="2026").cleaned_data["held_on"] == dt.date(
        2026, 10, 1
    )


@pytest.mark.parametrize(
    ("boxes", "error", "marked"),
    [
        (dict(day="31", month="2", year="2026"), "Date of the meeting must be a real date", 3),
        (dict(day="27", month="3", year=""), "Date of the meeting must include a year", 1),
        (
            dict(day="", month="", year="2026"),
            "Date of the meeting must include a day and month",
            2,
        ),
        (dict(day="27", month="13", year="2026"), "Date of the meeting must be a real date", 3),
        (dict(day="2x", month="3", year="2026"), "Date of the meeting must be a real date", 1),
        (dict(day="9" * 30, month="3", year="2026"), "Date of the meeting must be a real date", 3),
        (dict(day="²", month="3", year="2026"), "Date of the meeting must be a real date", 1),
        (dict(day="27", month="3", year="26"), "The year must include 4 numbers", 1),
        # Longer than Python turns into a number at all: a clear error, never a server error.
        (dict(day="27", month="3", year="2026" + "0" * 5000), "The year must include 4 numbers", 1),
        (
            dict(day="1" * 5000, month="3", year="2026"),
            "Date of the meeting must be a real date",
            3,
        ),
        (dict(day="", month="", year=""), "Enter the date of the meeting", 3),
    ],
)
def test_a_date_that_is_not_complete_and_real_is_refused_with_its_reason(boxes, error, marked):
    form = _clean(**boxes)

    assert form.errors["held_on"] == [error]
    assert str(form["held_on"]).count("is-invalid") == marked


def test_the_boxes_read_day_month_year_in_a_fieldset_with_a_hint():
    form = MeetingDate(initial={"held_on": dt.date(2026, 3, 27)})

    html = str(form["held_on"])
    labels = re.findall(
        r'<label class="form-label mb-1" for="id_held_on_(\w+)">(\w+)</label>', html
    )
    values = re.findall(r'name="held_on_(\w+)" value="(\d+)"', html)

    assert labels == [("day", "Day"), ("month", "Month"), ("year", "Year")]
    assert values == [("day", "27"), ("month", "3"), ("year", "2026")]
    assert 'inputmode="numeric"' in html
    assert 'type="date"' not in html


@pytest.mark.django_db
def test_the_meeting_form_shows_an_impossible_date_beside_the_fieldset_and_in_the_summary(
    funded, client
):
    client.force_login(funded.officer)
    url = reverse("grants:record_meeting", args=[funded.agreement.pk])
    once = client.get(url).context["form"]["once"].value()

    response = client.post(
        url,
        {
            "once": once,
            "held_on_day": "31",
            "held_on_month": "2",
            "held_on_year": "2026",
            "attendees": "Priya Shah",
        },
    )

    html = response.content.decode()
    assert '<a href="#id_held_on_day">Date of the meeting must be a real date</a>' in html
    fieldset = html[html.index("<legend") : html.index("</fieldset>", html.index("<legend"))]
    assert "Date of the meeting</legend>" in fieldset
    assert "For example, 27 3 2026" in fieldset
    assert (
        '<p id="id_held_on_error" class="invalid-feedback d-block">'
        '<span class="visually-hidden">Error:</span> Date of the meeting must be a real date</p>'
    ) in fieldset
    assert 'value="31"' in fieldset  # what was typed is kept
    assert not MonitoringMeeting.objects.exists()


@pytest.mark.django_db
def test_a_meeting_recorded_with_the_three_boxes_reads_as_a_full_date(funded, client):
    client.force_login(funded.officer)
    url = reverse("grants:record_meeting", args=[funded.agreement.pk])
    once = client.get(url).context["form"]["once"].value()

    response = client.post(
        url,
        {"once": once, **date_boxes("held_on", "2025-10-01"), "attendees": "Priya Shah"},
        follow=True,
    )

    page = client.get(
        reverse("grants:agreement_detail", args=[funded.agreement.pk]), {"year": 2025}
    ).content.decode()
    assert MonitoringMeeting.objects.get().held_on == dt.date(2025, 10, 1)
    assert "The meeting of 1 October 2025 was recorded." in response.content.decode()
    assert '<h3 class="h6">1 October 2025' in page


def test_dates_read_in_full_in_british_english():
    assert date_format(dt.date(2026, 10, 1)) == "1 October 2026"


@pytest.mark.django_db
def test_the_providers_returns_page_gives_due_dates_in_full(funded, client):
    client.force_login(funded.provider_user)

    html = client.get(reverse("grants:provider_dashboard")).content.decode()

    assert "<td>31 July 2025</td>" in html  # Q1 2025/26's return
    assert "Jul 2025" not in html
