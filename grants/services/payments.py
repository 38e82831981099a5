"""An instalment's lifecycle (`grants.lifecycle.INSTALMENT`): release (or a request for it,
which a finance officer authorises or rejects) and withhold; and the council's payment runs,
which send released instalments to its finance system.

Each decision locks the instalment's row, checks that the user takes it (`grants.permissions`),
that the instalment's status allows it and is still the one the person deciding was shown, and
records who, when and why. The people concerned are told in their inboxes, and by e-mail once
the decision is committed.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from grants import notifications, permissions, webhook_data
from grants.lifecycle import INSTALMENT, Actor
from grants.models import (
    InstalmentTransition,
    PaymentColumn,
    PaymentField,
    PaymentInstalment,
    PaymentRun,
    PaymentRunLine,
    instalment_year_ordinal,
)
from grants.selectors import waiting_message
from sla_monitor import roles, webhooks
from sla_monitor.models import Organisation, WebhookEvent
from sla_monitor.text import visible

REFUSED = {
    Actor.FUNDER: gettext_lazy("Only a lead officer of the funding council decides payments."),
    Actor.FINANCE: gettext_lazy(
        "Only a finance officer of the funding council authorises payments."
    ),
}


def _take(
    step_name: str, instalment: PaymentInstalment, by, expected_status: str | None
) -> PaymentInstalment:
    locked = (
        PaymentInstalment.objects.select_for_update(of=("self",))
        .select_related("agreement__funder", "agreement__provider", "depends_on_period")
        .get(pk=instalment.pk)
    )
    step = INSTALMENT.step(step_name)
    if not permissions.acts_for(by, step.actor, locked.agreement):
        raise PermissionDenied(str(REFUSED[step.actor]))
    if step.actor is Actor.FINANCE and not permissions.can_sign_off(by, locked):
        raise ValidationError(
            gettext(
                "You asked for this payment to be released, so another finance officer authorises "
                "or rejects it. Nothing was changed."
            )
        )
    if not INSTALMENT.allows(step_name, locked.status):
        raise ValidationError(
            INSTALMENT.refusal(step_name, locked.status, instalment=locked.label),
        )
    if expected_status is not None and locked.status != expected_status:
        raise ValidationError(_changed_since(locked))
    return locked


def _changed_since(locked: PaymentInstalment) -> str:
    """Why a decision made on a page showing an earlier status is refused."""
    last = locked.transitions.select_related("by").order_by("-at", "-pk").first()
    values = {"instalment": locked.label, "status": locked.get_status_display().lower()}
    if last is None:
        return (
            gettext(
                "The %(instalment)s was %(status)s after you opened the page. Nothing was changed: "
                "read it again before you decide."
            )
            % values
        )
    return gettext(
        "The %(instalment)s was %(status)s by %(by)s after you opened the page. Nothing was "
        "changed: read it again before you decide."
    ) % {**values, "by": last.by.get_full_name() or last.by.username}


def _record(locked: PaymentInstalment, *, step_name: str, by, reason: str):
    to_status = INSTALMENT.step(step_name).target
    transition = InstalmentTransition.objects.create(
        instalment=locked, from_status=locked.status, to_status=to_status, by=by, reason=reason
    )
    locked.status = to_status
    locked.reason = reason
    fields = ["status", "reason"]
    if step_name == "request_release":
        locked.requested_by = by
        fields.append("requested_by")
    else:
        locked.decided_by = by
        locked.decided_at = timezone.now()
        fields += ["decided_by", "decided_at"]
    locked.save(update_fields=fields)
    return transition


@transaction.atomic
def release_instalment(
    *,
    instalment: PaymentInstalment,
    by,
    reason: str = "",
    expected_status: str | None = None,
) -> PaymentInstalment:
    """Release the instalment; where its council asks for finance sign-off on its amount, ask
    a finance officer to authorise it instead (its status says which was done).
    `expected_status` is the status the page showed: a decision taken on it since is not
    overridden unseen."""
    locked = _take("release", instalment, by, expected_status)
    waiting = locked.release_waits_for()
    if waiting is not None:
        raise ValidationError(waiting_message(locked, waiting))
    if locked.agreement.funder.needs_finance_signoff(locked.amount):
        transition = _record(locked, step_name="request_release", by=by, reason=visible(reason))
        notifications.release_requested(transition)
    else:
        transition = _record(locked, step_name="release", by=by, reason=visible(reason))
        notifications.instalment_decided(transition)
        _emit_released(locked)
    return locked


def _emit_released(locked: PaymentInstalment) -> None:
    data = webhook_data.instalment(locked)
    webhooks.emit(locked.agreement.funder_id, WebhookEvent.INSTALMENT_RELEASED, data)


@transaction.atomic
def authorise_release(
    *, instalment: PaymentInstalment, by, reason: str = "", expected_status: str | None = None
) -> PaymentInstalment:
    """A finance officer of the funder, not the person who asked, authorises the payment: it is
    released, the provider is told, and it waits for the council's next payment run."""
    locked = _take("authorise", instalment, by, expected_status)
    transition = _record(locked, step_name="authorise", by=by, reason=visible(reason))
    notifications.release_signed_off(transition)
    notifications.instalment_decided(transition)
    _emit_released(locked)
    return locked


@transaction.atomic
def reject_release(
    *, instalment: PaymentInstalment, by, reason: str, expected_status: str | None = None
) -> PaymentInstalment:
    """A finance officer rejects the request, saying why: the instalment is scheduled again, the
    reason shown beside it, for the lead officer to put right and release again."""
    if not visible(reason):
        raise ValidationError({"reason": gettext("Enter why the request is rejected")})
    locked = _take("reject", instalment, by, expected_status)
    transition = _record(locked, step_name="reject", by=by, reason=visible(reason))
    notifications.release_signed_off(transition)
    return locked


@transaction.atomic
def withhold_instalment(
    *,
    instalment: PaymentInstalment,
    by,
    reason: str,
    expected_status: str | None = None,
) -> PaymentInstalment:
    if not visible(reason):
        raise ValidationError({"reason": gettext("Enter why the instalment is withheld")})
    locked = _take("withhold", instalment, by, expected_status)
    transition = _record(locked, step_name="withhold", by=by, reason=visible(reason))
    notifications.instalment_decided(transition)
    return locked


# Payment runs --------------------------------------------------------------------------------


def _check_runs_payments(by, council: Organisation) -> None:
    if not (permissions.runs_payments(by) and roles.belongs_to(by, council.pk)):
        raise PermissionDenied(gettext("Only a finance officer of the council runs its payments."))


@transaction.atomic
def create_payment_run(*, council: Organisation, by) -> PaymentRun:
    """Export every released instalment of the council that no live run holds as its next
    run. The council's row is locked first, so two people exporting at once make one run: the
    second finds nothing left to pay."""
    _check_runs_payments(by, council)
    Organisation.objects.select_for_update().get(pk=council.pk)
    instalments = list(
        PaymentInstalment.objects.filter(agreement__funder_id=council.pk)
        .ready_for_a_run()
        .order_by("due_date", "agreement__reference", "sequence")
        .values_list("pk", flat=True)
    )
    if not instalments:
        raise ValidationError(
            gettext("There are no authorised payments waiting for a run: nothing was exported.")
        )
    last = PaymentRun.objects.filter(council_id=council.pk).aggregate(last=Max("number"))["last"]
    run = PaymentRun.objects.create(council=council, number=(last or 0) + 1, created_by=by)
    PaymentRunLine.objects.bulk_create(
        PaymentRunLine(run=run, instalment_id=pk) for pk in instalments
    )
    webhooks.emit(council.pk, WebhookEvent.PAYMENT_RUN_CREATED, webhook_data.payment_run(run))
    return run


def _take_run(run: PaymentRun, by, expected_status: str | None, doing: str) -> PaymentRun:
    locked = (
        PaymentRun.objects.select_for_update(of=("self",)).select_related("council").get(pk=run.pk)
    )
    _check_runs_payments(by, locked.council)
    if expected_status is not None and locked.status != expected_status:
        raise ValidationError(
            gettext(
                "Payment run %(number)s was %(status)s after you opened the page. "
                "Nothing was changed: read it again."
            )
            % {"number": locked.number, "status": locked.get_status_display().lower()}
        )
    if locked.status != PaymentRun.Status.EXPORTED:
        raise ValidationError(
            gettext(
                "Payment run %(number)s is %(status)s, so it cannot be %(doing)s. "
                "Nothing was changed."
            )
            % {
                "number": locked.number,
                "status": locked.get_status_display().lower(),
                "doing": doing,
            }
        )
    return locked


@transaction.atomic
def reverse_payment_run(
    *, run: PaymentRun, by, reason: str, expected_status: str | None = None
) -> PaymentRun:
    """A run exported wrongly is reversed, with a reason: its instalments leave it, to be paid
    in a new run. A paid run is never reversed."""
    if not visible(reason):
        raise ValidationError({"reason": gettext("Enter why the run is reversed")})
    locked = _take_run(run, by, expected_status, "reversed")
    locked.lines.update(live=False)
    locked.status = PaymentRun.Status.REVERSED
    locked.reversed_by = by
    locked.reversed_at = timezone.now()
    locked.reversal_reason = visible(reason)
    locked.save(update_fields=["status", "reversed_by", "reversed_at", "reversal_reason"])
    return locked


@transaction.atomic
def mark_run_paid(
    *, run: PaymentRun, by, paid_on: dt.date, expected_status: str | None = None
) -> PaymentRun:
    """The finance system paid the run on `paid_on`: its instalments are marked paid that day
    and each provider is sent a remittance advice."""
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": gettext("The date paid cannot be in the future")})
    locked = _take_run(run, by, expected_status, "marked paid")
    if paid_on < timezone.localtime(locked.created_at).date():
        raise ValidationError(
            {"paid_on": gettext("The date paid cannot be before the run was exported")}
        )
    locked.status = PaymentRun.Status.PAID
    locked.paid_on = paid_on
    locked.paid_by = by
    locked.save(update_fields=["status", "paid_on", "paid_by"])
    lines = list(
        locked.lines.filter(live=True)
        .select_related("instalment__agreement__provider")
        .annotate(year_ordinal=instalment_year_ordinal("instalment__"))
        .order_by("pk")
    )
    PaymentInstalment.objects.filter(pk__in=[line.instalment_id for line in lines]).update(
        paid_on=paid_on
    )
    by_provider = defaultdict(list)
    for line in lines:
        line.run = locked
        line.instalment.year_ordinal = line.year_ordinal
        by_provider[line.instalment.agreement.provider_id].append(line)
    notifications.remittance_advice(locked, dict(by_provider))
    webhooks.emit(
        locked.council_id, WebhookEvent.PAYMENT_RUN_PAID, webhook_data.payment_run(locked)
    )
    return locked


@transaction.atomic
def set_payment_columns(
    *, council: Organisation, by, columns: Sequence[tuple[str, str]]
) -> list[PaymentColumn]:
    """The council's payment files carry `columns` (what each carries, its heading), in order."""
    if not (permissions.sets_payment_columns(by) and roles.belongs_to(by, council.pk)):
        raise PermissionDenied(
            gettext("Only an administrator of the council sets its payment files.")
        )
    if not columns:
        raise ValidationError(gettext("Choose at least one column for the payment file."))
    fields = [field for field, _ in columns]
    if len(set(fields)) != len(fields) or not set(fields) <= set(PaymentField.values):
        raise ValidationError(gettext("Each column carries a different value."))
    Organisation.objects.select_for_update().get(pk=council.pk)
    PaymentColumn.objects.filter(council_id=council.pk).delete()
    return PaymentColumn.objects.bulk_create(
        PaymentColumn(council=council, field=field, heading=visible(heading), position=number)
        for number, (field, heading) in enumerate(columns, start=1)
    )


@transaction.atomic
def set_finance_signoff_threshold(
    *, council: Organisation, by, threshold: Decimal | None, shown: Decimal | None
) -> Organisation:
    """From now on, releases of the council of `threshold` or more need a finance officer's
    authorisation (every release, when None). `shown` is the amount the page showed: a change
    made since is not overridden unseen. The change is kept in the audit log with who made it."""
    if not (permissions.sets_finance_signoff(by) and roles.belongs_to(by, council.pk)):
        raise PermissionDenied(
            gettext(
                "Only an administrator of the council sets which payments need finance sign-off."
            )
        )
    if threshold is not None and threshold < 0:
        raise ValidationError({"threshold": gettext("The amount cannot be less than £0")})
    locked = Organisation.objects.select_for_update().get(pk=council.pk)
    if locked.finance_signoff_threshold != shown:
        raise ValidationError(
            gettext(
                "Someone changed the amount needing finance sign-off after you opened the page. "
                "Nothing was changed: read it again before you save."
            )
        )
    locked.finance_signoff_threshold = threshold
    locked.save(update_fields=["finance_signoff_threshold"])
    return locked
