"""The plans' pages and reports in Welsh: dates in the reader's language, and a report that
says which language it is in. The catalogue's Welsh words are made separately; Django's own
month names are already in Welsh."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation

from equality_plans import importing
from sla_monitor.models import Organisation, User
from sla_monitor.tables import normalise_header
from tests.factories import ActionFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_a_report_printed_in_welsh_is_marked_welsh_and_dated_in_welsh():
    with translation.override("cy"):
        html = render_to_string("print/base.html")
        today = formats.date_format(timezone.localdate(), "DATE_FORMAT")

    assert '<html lang="cy">' in html
    assert today in html


def test_a_report_printed_in_english_reads_as_before():
    html = render_to_string("print/base.html")

    assert '<html lang="en-GB">' in html
    assert f"on {formats.date_format(timezone.localdate(), 'j F Y')} at " in html


def test_an_action_s_due_date_reads_in_welsh_for_a_welsh_reader(plan, manager, client):
    action = ActionFactory(section=SectionFactory(plan=plan), due_date=dt.date(2016, 3, 31))
    Organisation.objects.filter(pk=plan.owner_id).update(welsh_offer=True)
    User.objects.filter(pk=manager.pk).update(language="cy")
    client.force_login(manager)

    html = client.get(
        reverse("equality_plans:action_detail", args=[plan.pk, action.pk])
    ).content.decode()

    assert "31 Mawrth 2016" in html
    assert "31 March 2016" not in html


def test_the_action_file_s_english_headings_are_known_whatever_the_reader_s_language():
    with translation.override("cy"):
        known = importing.known_headers()

    assert {normalise_header(h) for h in ["No", "ES & CC", "Latest RAG", "Objective"]} <= known
