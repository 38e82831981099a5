"""The lists of returns: the provider's quarters, each with its return, and the lead officer's
review queue, with the columns of its export."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants import permissions
from grants.filters import QUEUE_STATUSES, ReturnFilter
from grants.lifecycle import ReturnStatus
from grants.models import Agreement, QuarterlyReturn, ReportingPeriod, overdue_on

# The provider's dashboard --------------------------------------------------------------


@dataclass
class PeriodRow:
    agreement: Agreement
    period: ReportingPeriod
    quarterly_return: QuarterlyReturn | None
    today: dt.date

    @property
    def label(self) -> str:
        """The period the return covers, as it is named (`Agreement.return_period_label`)."""
        return self.agreement.return_period_label(self.period)

    @property
    def status_label(self) -> str:
        if self.overdue:
            return gettext("Overdue")
        qr = self.quarterly_return
        return gettext("Not started") if qr is None else qr.get_status_display()

    @property
    def status_key(self) -> str:
        qr = self.quarterly_return
        if self.overdue:
            return "overdue"
        return "not_started" if qr is None else qr.status

    @property
    def overdue(self) -> bool:
        status = self.quarterly_return.status if self.quarterly_return else None
        return overdue_on(self.today, due_date=self.period.due_date, status=status)


@dataclass
class AgreementOverview:
    agreement: Agreement
    rows: list[PeriodRow]

    def count(self, key: str) -> int:
        return sum(1 for row in self.rows if row.status_key == key)

    @property
    def counts(self) -> list[tuple[str, int]]:
        labels = [
            ("overdue", gettext("Overdue")),
            ("not_started", gettext("Due")),
            (QuarterlyReturn.Status.DRAFT, gettext("In draft")),
            (QuarterlyReturn.Status.CHANGES_REQUESTED, gettext("Sent back for changes")),
            (QuarterlyReturn.Status.SUBMITTED, gettext("Submitted")),
            (QuarterlyReturn.Status.APPROVED, gettext("Approved")),
        ]
        return [(label, self.count(key)) for key, label in labels]


def provider_overview(user, today: dt.date) -> list[AgreementOverview]:
    """Each of the provider's agreements with its quarters so far and their returns."""
    agreements = list(
        permissions.visible_agreements(user)
        .exclude(status=Agreement.Status.DRAFT)
        .prefetch_related(
            Prefetch("returns", queryset=QuarterlyReturn.objects.select_related("period"))
        )
        .order_by("reference")
    )
    if not agreements:
        return []
    periods = list(
        ReportingPeriod.objects.begun(today)
        .within_any(agreements)
        .order_by("-financial_year", "-quarter")
    )
    overviews = []
    for agreement in agreements:
        returns = {r.period_id: r for r in agreement.returns.all()}
        rows = [
            PeriodRow(agreement, period, returns.get(period.pk), today)
            for period in periods
            if agreement.reports_in(period)
        ]
        overviews.append(AgreementOverview(agreement, rows))
    return overviews


# The lead officer's review queue -------------------------------------------------------


def review_queue(user, data, today: dt.date) -> tuple:
    """The filtered returns of the officer's council, the longest waiting first, and counts by
    status. With no filter chosen, the queue holds the returns awaiting review."""
    # Only what a queue row and its export show: every join the planner needn't weigh counts.
    returns: QuerySet = (
        permissions.visible_returns(user)
        .select_related(None)
        .select_related("period", "agreement__provider", "agreement__fund")
    )
    data = _awaiting_review_unless_filtered(data)
    filterset = ReturnFilter(data, queryset=returns, user=user, today=today)
    queue = filterset.qs.order_by(
        F("submitted_at").asc(nulls_last=True), "period__due_date", "agreement__reference", "pk"
    )
    counts = dict(
        returns.order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    status_counts = [(value, label, counts.get(value, 0)) for value, label in QUEUE_STATUSES]
    return filterset, queue, status_counts


def _awaiting_review_unless_filtered(data: QueryDict | None) -> QueryDict:
    """The queue's filters as asked, or "awaiting review" when none is: a page number alone
    keeps the default, and choosing "Any status" shows every return."""
    data = data.copy() if data is not None else QueryDict(mutable=True)
    if not set(data) - {"page"}:
        data["status"] = ReturnStatus.SUBMITTED
    return data


RETURN_EXPORT_HEADERS = [
    _("Due date"),
    _("Quarter"),
    _("Agreement"),
    _("Agreement title"),
    _("Provider"),
    _("Fund"),
    _("Status"),
    _("Submitted at"),
    _("Decided at"),
    _("Period covered"),
]


def return_export_rows(returns) -> Iterable[list]:
    """The rows under `RETURN_EXPORT_HEADERS`, for returns read with `review_queue`."""
    for qr in returns:
        yield [
            qr.period.due_date,
            str(qr.period),
            qr.agreement.reference,
            qr.agreement.title,
            qr.agreement.provider.name,
            qr.agreement.fund.name if qr.agreement.fund else "",
            qr.get_status_display(),
            qr.submitted_at,
            qr.decided_at,
            qr.period_label,
        ]
