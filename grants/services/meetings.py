"""The quarterly monitoring meetings of an agreement."""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction

from grants import permissions
from grants.models import Agreement, MonitoringMeeting, ReportingPeriod
from sla_monitor.once import claim


@transaction.atomic
def record_meeting(
    *,
    agreement: Agreement,
    by,
    held_on: dt.date,
    period: ReportingPeriod | None,
    attendees: str,
    notes: str = "",
    follow_up_actions: str = "",
    once: uuid.UUID | None = None,
) -> MonitoringMeeting:
    """Record a meeting; with the form's `once` token, a second send of the same form is
    refused instead of recording the meeting twice."""
    if not permissions.can_record_meeting(by, agreement):
        raise PermissionDenied("Only a lead officer of the funding council records meetings.")
    if once is not None:
        claim(once, already=f"the meeting of {held_on:%d %B %Y} was recorded once.")
    meeting = MonitoringMeeting(
        agreement=agreement,
        period=period,
        held_on=held_on,
        attendees=attendees.strip(),
        notes=notes.strip(),
        follow_up_actions=follow_up_actions.strip(),
        recorded_by=by,
    )
    meeting.full_clean()
    meeting.save()
    return meeting
