"""An instalment's lifecycle (`grants.lifecycle.INSTALMENT`): release and withhold.

Each decision locks the instalment's row, checks that the user takes it (`grants.permissions`)
and that the instalment's status allows it, and records who, when and why.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from grants import permissions
from grants.lifecycle import INSTALMENT
from grants.models import InstalmentTransition, PaymentInstalment
from grants.selectors import waiting_for_return


def _take(step_name: str, instalment: PaymentInstalment, by) -> PaymentInstalment:
    locked = (
        PaymentInstalment.objects.select_for_update(of=("self",))
        .select_related("agreement", "depends_on_period")
        .get(pk=instalment.pk)
    )
    step = INSTALMENT.step(step_name)
    if not permissions.acts_for(by, step.actor, locked.agreement):
        raise PermissionDenied("Only a lead officer of the funding council decides payments.")
    if not INSTALMENT.allows(step_name, locked.status):
        raise ValidationError(
            INSTALMENT.refusal(step_name, locked.status, sequence=locked.sequence),
        )
    return locked


def _record(locked: PaymentInstalment, *, step_name: str, by, reason: str) -> None:
    to_status = INSTALMENT.step(step_name).target
    InstalmentTransition.objects.create(
        instalment=locked, from_status=locked.status, to_status=to_status, by=by, reason=reason
    )
    locked.status = to_status
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])


@transaction.atomic
def release_instalment(*, instalment: PaymentInstalment, by, reason: str = "") -> PaymentInstalment:
    locked = _take("release", instalment, by)
    waiting = waiting_for_return(locked)
    if waiting:
        raise ValidationError(waiting)
    _record(locked, step_name="release", by=by, reason=reason.strip())
    return locked


@transaction.atomic
def withhold_instalment(*, instalment: PaymentInstalment, by, reason: str) -> PaymentInstalment:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the instalment is withheld."})
    locked = _take("withhold", instalment, by)
    _record(locked, step_name="withhold", by=by, reason=reason.strip())
    return locked
