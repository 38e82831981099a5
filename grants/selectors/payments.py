"""An agreement's instalments: what each waits for, what the user may do with it now, and the
agreement's money to date."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from grants import permissions
from grants.models import (
    Agreement,
    PaymentInstalment,
    QuarterlyReturn,
    ReportingPeriod,
    WaitingFor,
)

WAITING_RETURN = {
    None: "it has not been started",
    QuarterlyReturn.Status.DRAFT: "it is still a draft",
    QuarterlyReturn.Status.SUBMITTED: "it is submitted and awaits review",
    QuarterlyReturn.Status.CHANGES_REQUESTED: "it was sent back for changes",
}


def waiting_message(instalment: PaymentInstalment, waiting: WaitingFor | None) -> str | None:
    """What an instalment's release waits for (`PaymentInstalment.waits_for`), in words."""
    if waiting is None:
        return None
    return (
        f"The {instalment.label} needs the {waiting.period} return approved first; "
        f"{WAITING_RETURN[waiting.status]}."
    )


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


@dataclass
class InstalmentRow:
    instalment: PaymentInstalment
    steps: list  # the steps of its lifecycle the user may take now
    blocker: str | None  # why it cannot be released yet
    past_due: bool

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
    """Each instalment with what the user may do with it now, what a release waits for, and
    whether it is among the `past_due` ones (`PaymentInstalmentQuerySet.past_due`)."""
    needed = {i.depends_on_period_id for i in instalments if i.depends_on_period_id}
    returns = {
        (r.agreement_id, r.period_id): r
        for r in QuarterlyReturn.objects.filter(
            agreement_id__in={i.agreement_id for i in instalments}, period_id__in=needed
        )
    }
    late = {i.pk for i in past_due}
    rows = []
    for instalment in instalments:
        steps = permissions.instalment_steps_for(user, instalment)
        blocker = None
        if any(step.name == "release" for step in steps):
            key = (instalment.agreement_id, instalment.depends_on_period_id)
            blocker = waiting_message(instalment, instalment.waits_for(returns.get(key)))
        rows.append(InstalmentRow(instalment, steps, blocker, instalment.pk in late))
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
