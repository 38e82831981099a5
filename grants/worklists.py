"""What each person has to do next: the to-do lists on the provider's, the lead officer's and the
finance officer's home pages, each in a fixed number of queries however many agreements and
quarters there are."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from grants import permissions
from grants.lifecycle import ReturnStatus
from grants.models import (
    Agreement,
    MonitoringMeeting,
    PaymentInstalment,
    PaymentRun,
    QuarterlyReturn,
    ReportingPeriod,
    ReturnDue,
    ReturnTransition,
    overdue_on,
)
from sla_monitor import periods as calendar

# A home page lists this many of each kind of task, and links to the page that lists them all.
SHOWN = 10


@dataclass
class OwedReturn:
    """A quarter's return a provider still owes: not started, or started and never submitted."""

    agreement: Agreement
    period: ReportingPeriod
    quarterly_return: QuarterlyReturn | None
    today: dt.date

    @property
    def label(self) -> str:
        """The period the return covers, as it is named (`Agreement.return_period_label`)."""
        return self.agreement.return_period_label(self.period)

    @property
    def overdue(self) -> bool:
        status = self.quarterly_return.status if self.quarterly_return else None
        return overdue_on(self.today, due_date=self.period.due_date, status=status)

    @property
    def days_left(self) -> int:
        return (self.period.due_date - self.today).days

    @property
    def days_overdue(self) -> int:
        return (self.today - self.period.due_date).days

    @property
    def status_label(self) -> str:
        return gettext("Not started") if self.quarterly_return is None else gettext("In draft")


def owed_returns(
    user, today: dt.date, *, overdue_only: bool = False, agreements: QuerySet | None = None
) -> list[OwedReturn]:
    """Every return the user's agreements (or `agreements`, a selection of them) still owe for
    the quarters that have started, whatever the quarter: the longest overdue first, then
    soonest due. Read from the returns still owed (`ReturnDue`, which `grants.stored` keeps), so
    its cost follows what is owed, not the returns ever made."""
    if agreements is None:
        agreements = permissions.visible_agreements(user)
    live = agreements.exclude(status=Agreement.Status.DRAFT).filter(start_date__lte=today)
    owed = ReturnDue.objects.filter(agreement__in=live.values("pk"), period__start_date__lte=today)
    if overdue_only:
        owed = owed.filter(due_date__lt=today)
    return [
        OwedReturn(row.agreement, row.period, row.quarterly_return, today)
        for row in owed.select_related(
            "agreement__provider", "agreement__fund", "period", "quarterly_return"
        ).order_by("due_date", "agreement__reference")
    ]


@dataclass
class SentBack:
    quarterly_return: QuarterlyReturn
    decision: ReturnTransition | None


def sent_back(user) -> list[SentBack]:
    """The user's returns sent back for changes, each with the officer's latest comment."""
    decisions = (
        ReturnTransition.objects.filter(to_status=ReturnStatus.CHANGES_REQUESTED)
        .select_related("by")
        .order_by("-at", "-pk")
    )
    returns = (
        permissions.visible_returns(user)
        .filter(status=ReturnStatus.CHANGES_REQUESTED)
        .prefetch_related(Prefetch("transitions", queryset=decisions, to_attr="decisions"))
        .order_by("period__due_date", "agreement__reference")
    )
    return [SentBack(r, r.decisions[0] if r.decisions else None) for r in returns]


@dataclass
class ProviderTasks:
    sent_back: list[SentBack]
    overdue: list[OwedReturn]
    due: list[OwedReturn]
    drafts: list[OwedReturn]
    # The year, as councils write it, the provider has not yet answered the optional questions
    # on its own diversity for; not counted among the tasks, since nothing depends on it.
    diversity_year: str = ""

    @property
    def count(self) -> int:
        return len(self.sent_back) + len(self.overdue) + len(self.due) + len(self.drafts)


def diversity_unanswered(user, today: dt.date) -> str:
    """The current financial year's label, if the user's organisation has not answered the
    questions on its diversity for it."""
    year = calendar.financial_year_of(today)
    answered = permissions.visible_diversity(user).filter(
        organisation_id=user.organisation_id, financial_year=year
    )
    return "" if answered.exists() else calendar.financial_year_label(year)


def provider_tasks(user, today: dt.date) -> ProviderTasks:
    owed = owed_returns(user, today)
    return ProviderTasks(
        sent_back=sent_back(user),
        overdue=[o for o in owed if o.overdue],
        due=[o for o in owed if not o.overdue and o.quarterly_return is None],
        drafts=[o for o in owed if not o.overdue and o.quarterly_return is not None],
        diversity_year=diversity_unanswered(user, today),
    )


@dataclass
class AwaitingReview:
    quarterly_return: QuarterlyReturn
    today: dt.date

    @property
    def days_waiting(self) -> int:
        submitted = self.quarterly_return.submitted_at
        return (self.today - timezone.localdate(submitted)).days if submitted else 0


@dataclass
class OfficerTasks:
    awaiting_review: list[AwaitingReview]
    awaiting_count: int
    overdue: list[OwedReturn]
    instalments: list[PaymentInstalment]
    meetings: list[Agreement]
    period: ReportingPeriod
    only_led: bool = False

    @property
    def count(self) -> int:
        return self.awaiting_count + len(self.overdue) + len(self.instalments) + len(self.meetings)

    @property
    def instalments_not_shown(self) -> int:
        return max(0, len(self.instalments) - SHOWN)

    @property
    def meetings_not_shown(self) -> int:
        return max(0, len(self.meetings) - SHOWN)


def officer_tasks(user, today: dt.date) -> OfficerTasks:
    """The lead officer's work on the agreements they lead and those nobody leads; a person who
    leads none (a council's administrator, say) is shown the work on every agreement they see."""
    agreements = permissions.visible_agreements(user)
    leads = agreements.filter(lead_officer=user).exists()
    if leads:
        agreements = agreements.filter(Q(lead_officer=user) | Q(lead_officer__isnull=True))
    awaiting = (
        permissions.visible_returns(user)
        .filter(status=ReturnStatus.SUBMITTED, agreement__in=agreements.values("pk"))
        .order_by("submitted_at", "pk")
    )
    period = _current_quarter(today)
    return OfficerTasks(
        awaiting_review=[AwaitingReview(r, today) for r in awaiting[:SHOWN]],
        awaiting_count=awaiting.count(),
        overdue=owed_returns(user, today, overdue_only=True, agreements=agreements),
        instalments=list(past_due_instalments(agreements, today)),
        meetings=meetings_due(agreements, period),
        period=period,
        only_led=leads,
    )


def _current_quarter(today: dt.date) -> ReportingPeriod:
    """The quarter today falls in, whether or not its reporting period has been made yet."""
    year, quarter = calendar.quarter_of(today)
    start, end = calendar.quarter_dates(year, quarter)
    return ReportingPeriod.objects.filter(financial_year=year, quarter=quarter).first() or (
        ReportingPeriod(
            financial_year=year,
            quarter=quarter,
            start_date=start,
            end_date=end,
            due_date=calendar.return_due_date(year, quarter),
        )
    )


def past_due_instalments(agreements: QuerySet, today: dt.date):
    """The agreements' instalments whose due date has passed and that are neither released nor
    withheld."""
    return (
        PaymentInstalment.objects.filter(agreement__in=agreements.values("pk"))
        .past_due(today)
        .labelled()
        .select_related("agreement__provider", "depends_on_period")
        .order_by("due_date", "agreement__reference", "sequence")
    )


def meetings_due(agreements: QuerySet, period: ReportingPeriod) -> list[Agreement]:
    """Live agreements with no monitoring meeting held yet in the quarter, each annotated with
    `last_meeting`, the date of its latest meeting (None if it has had none)."""
    return list(
        agreements.filter(
            status=Agreement.Status.ACTIVE,
            start_date__lte=period.end_date,
            end_date__gte=period.start_date,
        )
        .annotate(
            last_meeting=Max("meetings__held_on"),
            met_this_quarter=Exists(
                MonitoringMeeting.objects.filter(
                    agreement=OuterRef("pk"),
                    held_on__range=(period.start_date, period.end_date),
                )
            ),
        )
        .filter(met_this_quarter=False)
        .order_by("reference")
    )


@dataclass
class FinanceTasks:
    """What waits for a finance officer: requests they may authorise (never their own),
    authorised payments in no run yet, and exported runs not yet marked paid."""

    to_authorise: int
    for_a_run: int
    unpaid_runs: list[PaymentRun]

    @property
    def count(self) -> int:
        return self.to_authorise + self.for_a_run + len(self.unpaid_runs)


def finance_tasks(user) -> FinanceTasks:
    """The finance officer's tasks across their council, in three queries."""
    instalments = permissions.signoff_instalments(user)
    money = DecimalField(max_digits=14, decimal_places=2)
    unpaid = (
        permissions.visible_payment_runs(user)
        .filter(status=PaymentRun.Status.EXPORTED)
        .annotate(
            line_count=Count("lines", filter=Q(lines__live=True)),
            total=Coalesce(
                Sum("lines__instalment__amount", filter=Q(lines__live=True)),
                Value(Decimal(0)),
                output_field=money,
            ),
        )
        .order_by("number")
    )
    return FinanceTasks(
        to_authorise=instalments.awaiting_signoff().exclude(requested_by=user).count(),
        for_a_run=instalments.ready_for_a_run().count(),
        unpaid_runs=list(unpaid),
    )
