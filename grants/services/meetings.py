"""The quarterly monitoring meetings of an agreement: recorded, corrected and deleted by the
funder's lead officers. The change history (`sla_monitor.audit`) keeps every change and every
deletion, with who made it."""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext

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
        raise PermissionDenied(
            gettext("Only a lead officer of the funding council records meetings.")
        )
    if once is not None:
        already = gettext("the meeting of %(day)s was recorded once.") % {
            "day": date_format(held_on)
        }
        claim(once, already=already)
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


def _lock(meeting: MonitoringMeeting, by) -> MonitoringMeeting:
    locked = (
        MonitoringMeeting.objects.select_for_update(of=("self",))
        .select_related("agreement")
        .filter(pk=meeting.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(gettext("This meeting has been deleted. Nothing was changed."))
    if not permissions.can_change_meeting(by, locked):
        raise PermissionDenied(
            gettext("Only a lead officer of the funding council changes meetings.")
        )
    return locked


@transaction.atomic
def change_meeting(
    *,
    meeting: MonitoringMeeting,
    by,
    held_on: dt.date,
    period: ReportingPeriod | None,
    attendees: str,
    notes: str = "",
    follow_up_actions: str = "",
) -> MonitoringMeeting:
    """Correct what a meeting's record says. Only the fields that changed are saved, and the
    change history keeps their old and new values."""
    locked = _lock(meeting, by)
    values = {
        "held_on": held_on,
        "period": period,
        "attendees": attendees.strip(),
        "notes": notes.strip(),
        "follow_up_actions": follow_up_actions.strip(),
    }
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, values[name])
    locked.full_clean()
    if changed:
        locked.save(update_fields=changed)
    return locked


@transaction.atomic
def delete_meeting(*, meeting: MonitoringMeeting, by) -> None:
    """Delete a meeting's record; the change history keeps what it said, who deleted it and
    when."""
    locked = _lock(meeting, by)
    locked.delete()
