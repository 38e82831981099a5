"""The progress updates an action's owner owes: the to-do list on their home page."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from equality_plans import permissions
from equality_plans.models import Action, ProgressUpdate, RagStatus
from sla_monitor.periods import financial_year_label, quarter_dates, quarter_of

# A home page lists this many of each; the rest are counted.
SHOWN = 10


@dataclass(frozen=True)
class ProgressDue:
    """The actions a person owes an update on `quarter` of `financial_year`, and, once that is the
    year's last quarter, the year-end reports they owe on that year."""

    financial_year: int
    quarter: int
    updates: list[Action] = field(default_factory=list)
    updates_count: int = 0
    year_end_reports: list[Action] = field(default_factory=list)
    year_end_count: int = 0

    @property
    def quarter_label(self) -> str:
        return gettext("Q%(quarter)s %(year)s") % {
            "quarter": self.quarter,
            "year": financial_year_label(self.financial_year),
        }

    @property
    def year_end_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def count(self) -> int:
        return self.updates_count + self.year_end_count

    @property
    def updates_not_shown(self) -> int:
        return self.updates_count - len(self.updates)

    @property
    def year_end_not_shown(self) -> int:
        return self.year_end_count - len(self.year_end_reports)


def quarter_reported_on(today: dt.date) -> tuple[int, int]:
    """The (financial year, quarter) whose updates are written in the quarter `today` falls in:
    the one before it, as a Q2 update is written in October (see
    `ProgressUpdate.correctable_until`)."""
    started = quarter_dates(*quarter_of(today))[0]
    return quarter_of(started - dt.timedelta(days=1))


def progress_due(user, today: dt.date) -> ProgressDue:
    """The actions the user owns, in plans they may see and that ran in the quarter reported on,
    not completed, with no update on that quarter; after a year's last quarter, those with no
    year-end report on that year too. Each with `overdue` (`Action.objects.with_overdue`), in
    plan and action order, in four queries however many there are."""
    year, quarter = quarter_reported_on(today)
    first, last = quarter_dates(year, quarter)
    owned = (
        Action.objects.filter(
            owner_id=user.pk,
            plan__in=permissions.visible_plans(user).values("pk"),
            plan__start_date__lte=last,
            plan__end_date__gte=first,
        )
        .with_overdue(today)
        .filter(Q(latest_rag__isnull=True) | ~Q(latest_rag=RagStatus.COMPLETED))
        .select_related("plan")
        .only("plan__title", "number", "order", "wording", "due_date")
        .order_by("plan__title", "plan_id", "order", "pk")
    )
    updates = _without(owned, financial_year=year, quarter=quarter, is_year_end=False)
    due = ProgressDue(year, quarter, updates=list(updates[:SHOWN]), updates_count=updates.count())
    if quarter != 4:
        return due
    reports = _without(owned, financial_year=year, is_year_end=True)
    return ProgressDue(
        year,
        quarter,
        updates=due.updates,
        updates_count=due.updates_count,
        year_end_reports=list(reports[:SHOWN]),
        year_end_count=reports.count(),
    )


def _without(actions: QuerySet, **update) -> QuerySet:
    """The actions with no progress update of that description."""
    return actions.exclude(Exists(ProgressUpdate.objects.filter(action=OuterRef("pk"), **update)))
