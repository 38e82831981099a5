"""An agreement's instalments: what each waits for, what the user may do with it now, and the
agreement's money to date."""

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants import permissions
from grants.models import (
    DEFAULT_PAYMENT_COLUMNS,
    Agreement,
    InstalmentTransition,
    PaymentColumn,
    PaymentField,
    PaymentInstalment,
    PaymentRun,
    PaymentRunLine,
    QuarterlyReturn,
    ReportingPeriod,
    WaitingFor,
    instalment_year_ordinal,
)

WAITING_RETURN = {
    None: _("it has not been started"),
    QuarterlyReturn.Status.DRAFT: _("it is still a draft"),
    QuarterlyReturn.Status.SUBMITTED: _("it is submitted and awaits review"),
    QuarterlyReturn.Status.CHANGES_REQUESTED: _("it was sent back for changes"),
}


def waiting_message(instalment: PaymentInstalment, waiting: WaitingFor | None) -> str | None:
    """What an instalment's release waits for (`PaymentInstalment.waits_for`), in words."""
    if waiting is None:
        return None
    return gettext("The %(instalment)s needs the %(period)s return approved first; %(state)s.") % {
        "instalment": instalment.label,
        "period": waiting.period,
        "state": WAITING_RETURN[waiting.status],
    }


@dataclass
class Dependency:
    """What an instalment's release depends on: the return of a quarter, approved."""

    period: ReportingPeriod | None
    quarterly_return: QuarterlyReturn | None
    blocker: str | None  # why it cannot be released yet

    @property
    def waiting(self) -> str:
        """Where the return stands, while it is not approved."""
        return WAITING_RETURN[self.quarterly_return.status if self.quarterly_return else None]


def instalment_dependency(instalment: PaymentInstalment) -> Dependency:
    if instalment.depends_on_period_id is None:
        return Dependency(None, None, None)
    quarterly_return = QuarterlyReturn.objects.filter(
        agreement_id=instalment.agreement_id, period_id=instalment.depends_on_period_id
    ).first()
    return Dependency(
        instalment.depends_on_period,
        quarterly_return,
        waiting_message(instalment, instalment.waits_for(quarterly_return)),
    )


@dataclass(frozen=True)
class HistoryLine:
    """One step of an instalment as the person reading its agreement is shown it. `kind` is the
    step (`grants.lifecycle.INSTALMENT`: "release", "request_release", "authorise", "reject",
    "withhold"); `by` and `reason` are empty where the reader is not shown them."""

    kind: str
    at: dt.datetime
    by: str = ""
    reason: str = ""


def _step_of(transition: InstalmentTransition) -> str:
    Status = PaymentInstalment.Status
    if transition.from_status == Status.RELEASE_REQUESTED:
        return "authorise" if transition.to_status == Status.RELEASED else "reject"
    return {
        Status.RELEASE_REQUESTED: "request_release",
        Status.RELEASED: "release",
        Status.WITHHELD: "withhold",
    }.get(transition.to_status, "release")


def _history(transitions: list[InstalmentTransition], sees_signoff: bool) -> list[HistoryLine]:
    """The instalment's decisions. The provider is shown a payment released on the day it was
    authorised, but not the council's request, its finance officers' names or what they said."""
    lines = []
    for transition in transitions:
        step = _step_of(transition)
        name = transition.by.get_full_name() or transition.by.username
        if sees_signoff:
            lines.append(HistoryLine(step, transition.at, name, transition.reason))
        elif step == "authorise":
            lines.append(HistoryLine("release", transition.at))
        elif step not in ("request_release", "reject"):
            lines.append(HistoryLine(step, transition.at, name, transition.reason))
    return lines


@dataclass
class InstalmentRow:
    instalment: PaymentInstalment
    steps: list  # the steps of its lifecycle the user may take now
    blocker: str | None  # why it cannot be released yet
    past_due: bool
    history: list[HistoryLine] = dataclasses.field(default_factory=list)
    # Whether a release is a request to a finance officer rather than the payment itself.
    needs_signoff: bool = False
    # For the council's people: the request waiting for a finance officer, or the one a finance
    # officer rejected last (the instalment is scheduled again); and the live payment run it is in.
    request: HistoryLine | None = None
    rejection: HistoryLine | None = None
    run: PaymentRun | None = None
    # The user is a finance officer of the council who may authorise or reject the request.
    may_sign_off: bool = False

    def may(self, step_name: str) -> bool:
        return any(step.name == step_name for step in self.steps)

    @property
    def releasable(self) -> bool:
        return self.may("release") and self.blocker is None

    @property
    def withholdable(self) -> bool:
        return self.may("withhold")


def instalment_rows(
    user, instalments: list[PaymentInstalment], past_due: Iterable[PaymentInstalment] = ()
) -> list[InstalmentRow]:
    """Each instalment with what the user may do with it now, what a release waits for, whether
    it is among the `past_due` ones (`PaymentInstalmentQuerySet.past_due`), its decisions as the
    user is shown them and, for the council's people, where its finance sign-off and payment
    run stand. The instalments come with their `transitions` (and their `by`) prefetched; two
    queries more, however many there are."""
    needed = {i.depends_on_period_id for i in instalments if i.depends_on_period_id}
    returns = {
        (r.agreement_id, r.period_id): r
        for r in QuarterlyReturn.objects.filter(
            agreement_id__in={i.agreement_id for i in instalments}, period_id__in=needed
        )
    }
    runs = {}
    if instalments and permissions.sees_signoff(user, instalments[0].agreement):
        runs = {
            line.instalment_id: line.run
            for line in PaymentRunLine.objects.filter(
                instalment__in=[i.pk for i in instalments], live=True
            ).select_related("run__council")
        }
    late = {i.pk for i in past_due}
    rows = []
    for instalment in instalments:
        agreement = instalment.agreement
        sees_signoff = permissions.sees_signoff(user, agreement)
        steps = permissions.instalment_steps_for(user, instalment)
        blocker = None
        if any(step.name == "release" for step in steps):
            key = (instalment.agreement_id, instalment.depends_on_period_id)
            blocker = waiting_message(instalment, instalment.waits_for(returns.get(key)))
        history = _history(list(instalment.transitions.all()), sees_signoff)
        last = history[-1] if history and sees_signoff else None
        Status = PaymentInstalment.Status
        rows.append(
            InstalmentRow(
                instalment,
                steps,
                blocker,
                instalment.pk in late,
                history=history,
                needs_signoff=agreement.funder.needs_finance_signoff(instalment.amount),
                request=last
                if last
                and last.kind == "request_release"
                and instalment.status == Status.RELEASE_REQUESTED
                else None,
                rejection=last
                if last and last.kind == "reject" and instalment.status == Status.SCHEDULED
                else None,
                run=runs.get(instalment.pk),
                may_sign_off=instalment.status == Status.RELEASE_REQUESTED
                and permissions.can_sign_off(user, instalment),
            )
        )
    return rows


@dataclass
class AgreementPayments:
    """An agreement's money to date: the award, what has been paid and what remains."""

    award: Decimal
    paid: Decimal
    withheld: Decimal
    past_due: list[PaymentInstalment]

    @property
    def remaining(self) -> Decimal:
        return self.award - self.paid


def agreement_payments(agreement: Agreement, today: dt.date) -> AgreementPayments:
    """The agreement's totals over every year, and its instalments past due, in two queries."""
    money = DecimalField(max_digits=14, decimal_places=2)
    zero = Value(Decimal("0"))
    Status = PaymentInstalment.Status
    totals = agreement.instalments.aggregate(
        paid=Coalesce(Sum("amount", filter=Q(status=Status.RELEASED)), zero, output_field=money),
        withheld=Coalesce(
            Sum("amount", filter=Q(status=Status.WITHHELD)), zero, output_field=money
        ),
    )
    past_due = list(
        agreement.instalments.past_due(today)
        .labelled()
        .select_related("depends_on_period")
        .order_by("due_date", "sequence")
    )
    return AgreementPayments(
        award=agreement.total_allocation,
        paid=totals["paid"],
        withheld=totals["withheld"],
        past_due=past_due,
    )


def instalments_waiting_on(quarterly_return: QuarterlyReturn) -> QuerySet:
    """The agreement's instalments not yet decided that are released once this return is
    approved."""
    return quarterly_return.agreement.instalments.filter(
        depends_on_period=quarterly_return.period_id,
        status=PaymentInstalment.Status.SCHEDULED,
    ).order_by("sequence")


# Finance sign-off and payment runs -----------------------------------------------------------


@dataclass
class FinanceOverview:
    """What the payments page shows a council's finance people."""

    awaiting: list[PaymentInstalment]  # releases asked for, waiting for a finance officer
    ready: list[PaymentInstalment]  # authorised, waiting for the next run
    runs: list[PaymentRun]

    @property
    def ready_total(self) -> Decimal:
        return sum((i.amount for i in self.ready), Decimal(0))


def _listed(instalments: QuerySet) -> list[PaymentInstalment]:
    return list(
        instalments.labelled()
        .select_related("agreement__provider", "agreement__fund", "requested_by")
        .order_by("due_date", "agreement__reference", "sequence")
    )


def finance_overview(user) -> FinanceOverview:
    """The council's releases waiting for authorisation, its authorised instalments not yet in a
    run, and its runs with their sizes: three queries, however many there are."""
    instalments = permissions.signoff_instalments(user)
    money = DecimalField(max_digits=14, decimal_places=2)
    runs = (
        permissions.visible_payment_runs(user)
        .annotate(
            line_count=Count("lines"),
            total=Coalesce(Sum("lines__instalment__amount"), Value(Decimal(0)), output_field=money),
        )
        .order_by("-number")
    )
    return FinanceOverview(
        awaiting=_listed(instalments.awaiting_signoff()),
        ready=_listed(instalments.ready_for_a_run()),
        runs=list(runs),
    )


def payment_columns(council_id: int) -> list[tuple[str, str]]:
    """The columns of the council's payment files, in order: (what each carries, its heading);
    the default ones until it sets its own."""
    columns = list(
        PaymentColumn.objects.filter(council_id=council_id)
        .order_by("position")
        .values_list("field", "heading")
    )
    return columns or [(str(field), str(heading)) for field, heading in DEFAULT_PAYMENT_COLUMNS]


def _file_value(field: str, line: PaymentRunLine):
    instalment = line.instalment
    agreement = instalment.agreement
    fund = agreement.fund
    return {
        PaymentField.SUPPLIER: agreement.supplier_reference,
        PaymentField.PROVIDER: agreement.provider.name,
        PaymentField.COST_CENTRE: fund.cost_centre if fund else "",
        PaymentField.ACCOUNT_CODE: fund.account_code if fund else "",
        PaymentField.AMOUNT: instalment.amount,
        PaymentField.PAYMENT_REFERENCE: line.payment_reference,
        PaymentField.DESCRIPTION: f"{agreement.title}, {instalment.label}",
        PaymentField.DUE_DATE: instalment.due_date,
        PaymentField.AGREEMENT: agreement.reference,
    }[field]


def payment_run_file(run: PaymentRun) -> tuple[list[str], list[list]]:
    """The run as its council's finance system imports it: the headings of its columns and a
    row per instalment, in the order exported. The same each time it is downloaded."""
    columns = payment_columns(run.council_id)
    lines = (
        run.lines.select_related("run__council", "instalment__agreement__provider")
        .select_related("instalment__agreement__fund")
        .annotate(year_ordinal=instalment_year_ordinal("instalment__"))
        .order_by("pk")
    )
    rows = []
    for line in lines:
        line.instalment.year_ordinal = line.year_ordinal
        rows.append([_file_value(field, line) for field, _ in columns])
    return [heading for _, heading in columns], rows
