"""The audit log: every state change and every admin edit, newest first. Reads only."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry

KINDS = {
    "return": "Return status",
    "instalment": "Payment instalment",
    "progress": "Action progress",
    "admin": "Admin edit",
}


@dataclass
class Event:
    at: dt.datetime
    kind: str
    who: object
    what: str
    why: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def audit_events(
    *, kind: str = "", user_id: int | None = None, since: dt.date | None = None, limit: int = 200
) -> list[Event]:
    """The latest `limit` events of each kind asked for, merged: one query per kind."""
    from equality_plans.models import ProgressUpdate
    from grants.models import InstalmentTransition, ReturnTransition

    def scoped(queryset, user_field, time_field):
        if user_id:
            queryset = queryset.filter(**{user_field: user_id})
        if since:
            queryset = queryset.filter(**{f"{time_field}__date__gte": since})
        return queryset.order_by(f"-{time_field}")[:limit]

    events: list[Event] = []
    if kind in ("", "return"):
        for t in scoped(
            ReturnTransition.objects.select_related(
                "by", "quarterly_return__agreement", "quarterly_return__period"
            ),
            "by_id",
            "at",
        ):
            events.append(
                Event(
                    t.at,
                    "return",
                    t.by,
                    f"{t.quarterly_return}: {t.get_from_status_display()} to "
                    f"{t.get_to_status_display()}",
                    t.comment,
                )
            )
    if kind in ("", "instalment"):
        for t in scoped(
            InstalmentTransition.objects.select_related("by", "instalment__agreement"),
            "by_id",
            "at",
        ):
            events.append(
                Event(
                    t.at,
                    "instalment",
                    t.by,
                    f"{t.instalment.agreement.reference} instalment {t.instalment.sequence}: "
                    f"{t.get_from_status_display()} to {t.get_to_status_display()}",
                    t.reason,
                )
            )
    if kind in ("", "progress"):
        for u in scoped(
            ProgressUpdate.objects.select_related("author", "action__plan"),
            "author_id",
            "created_at",
        ):
            events.append(
                Event(
                    u.created_at,
                    "progress",
                    u.author,
                    f"{u.action.plan.title}, action {u.action.number}: {u.period_label} "
                    f"{u.get_rag_status_display()}",
                    u.narrative,
                )
            )
    if kind in ("", "admin"):
        for entry in scoped(
            LogEntry.objects.select_related("user", "content_type"), "user_id", "action_time"
        ):
            verb = {1: "Added", 2: "Changed", 3: "Deleted"}.get(entry.action_flag, "Edited")
            events.append(
                Event(
                    entry.action_time,
                    "admin",
                    entry.user,
                    f"{verb} {entry.content_type.name if entry.content_type else 'object'} "
                    f"“{entry.object_repr}”",
                    entry.get_change_message(),
                )
            )
    return sorted(events, key=lambda e: e.at, reverse=True)[:limit]
