"""The change history of records written in bulk is the history saving each would have kept."""

from decimal import Decimal

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry

from grants.models import Fund
from sla_monitor import audit
from tests.factories import CouncilFactory, FundFactory, UserFactory

pytestmark = pytest.mark.django_db


def kept(entry: LogEntry) -> tuple:
    changes = {k: v for k, v in entry.changes.items() if k not in ("id", "name")}
    return entry.action, changes, entry.actor, entry.remote_addr


def test_a_record_written_in_bulk_has_the_history_saving_it_would_have():
    council = CouncilFactory()
    officer = UserFactory(lead_officer=True, organisation=council)
    with set_actor(officer, remote_addr="192.0.2.7"):
        saved = FundFactory(council=council, name="Saved")
        written = Fund.objects.bulk_create([FundFactory.build(council=council, name="Written")])[0]
        audit.record_bulk_writes(created=[written])
        read = Fund.objects.select_related("council").get(pk=written.pk)
        saved.budget = written.budget = Decimal("1000")
        saved.save()
        Fund.objects.bulk_update([written], ["budget"])
        audit.record_bulk_writes(changed=[(read, written)])

    history = {
        fund: [kept(e) for e in LogEntry.objects.get_for_object(fund).order_by("pk")]
        for fund in (saved, written)
    }
    assert history[written] == history[saved]
    assert [action for action, *_ in history[written]] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
    ]
    assert history[written][1][1:] == ({"budget": ["600000.00", "1000"]}, officer, "192.0.2.7")


def test_a_change_is_described_in_words_a_person_reads():
    from sla_monitor.models import Invitation, User

    described = audit.describe_changes(
        User,
        {
            "role": ["lead_officer", "admin"],
            "is_active": [True, False],
            "organisation": [None, "Leicester City Council"],
        },
    )
    accepted = audit.describe_changes(
        Invitation, {"accepted_at": ["None", "2026-12-06 14:11:36.033433"]}
    )

    assert "Role: Lead officer → Administrator" in described
    assert "Active: Yes → No" in described
    assert "Organisation: not set → Leicester City Council" in described
    assert accepted == "Accepted at: not set → 6 December 2026, 14:11"
    assert "lead_officer" not in described and "(empty)" not in accepted
