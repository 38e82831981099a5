"""An agreement's monitoring meetings."""

from grants.models import Agreement, MonitoringMeeting


def meeting_of(agreement: Agreement, meeting_pk: int) -> MonitoringMeeting | None:
    """The agreement's meeting, or None when it has been deleted; another agreement's meeting
    raises `MonitoringMeeting.DoesNotExist`, as if it were not there."""
    meeting = (
        agreement.meetings.select_related("agreement", "period", "recorded_by")
        .filter(pk=meeting_pk)
        .first()
    )
    if meeting is None and MonitoringMeeting.objects.filter(pk=meeting_pk).exists():
        raise MonitoringMeeting.DoesNotExist
    return meeting
