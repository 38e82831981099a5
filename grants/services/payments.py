"""An instalment's lifecycle (`grants.lifecycle.INSTALMENT`): release and withhold.

Each decision locks the instalment's row, checks that the user takes it (`grants.permissions`),
that the instalment's status allows it and is still the one the person deciding was shown, and
records who, when and why. The provider's people are told in their inboxes, and by e-mail once
the decision is committed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from grants import notifications, permissions
from grants.lifecycle import INSTALMENT
from grants.models import InstalmentTransition, PaymentInstalment
from grants.selectors import waiting_message


def _take(
    step_name: str, instalment: PaymentInstalment, by, expected_status: str | None
) -> PaymentInstalment:
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
            INSTALMENT.refusal(step_name, locked.status, instalment=locked.label),
        )
    if expected_status is not None and locked.status != expected_status:
        raise ValidationError(_changed_since(locked))
    return locked


def _changed_since(locked: PaymentInstalment) -> str:
    """Why a decision made on a page showing an earlier status is refused."""
    last = locked.transitions.select_related("by").order_by("-at", "-pk").first()
    by = f" by {last.by.get_full_name() or last.by.username}" if last else ""
    return (
        f"The {locked.label} was {locked.get_status_display().lower()}{by} after you opened "
        "the page. Nothing was changed: read it again before you decide."
    )


def _record(locked: PaymentInstalment, *, step_name: str, by, reason: str) -> None:
    to_status = INSTALMENT.step(step_name).target
    transition = InstalmentTransition.objects.create(
        instalment=locked, from_status=locked.status, to_status=to_status, by=by, reason=reason
    )
    locked.status = to_status
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    notifications.instalment_decided(transition)


@transaction.atomic
def release_instalment(
    *,
    instalment: PaymentInstalment,
    by,
    reason: str = "",
    expected_status: str | None = None,
) -> PaymentInstalment:
    """Release the instalment. `expected_status` is the status the page showed: a decision
    taken on it since is not overridden unseen."""
    locked = _take("release", instalment, by, expected_status)
    waiting = locked.release_waits_for()
    if waiting is not None:
        raise ValidationError(waiting_message(locked, waiting))
    _record(locked, step_name="release", by=by, reason=reason.strip())
    return locked


@transaction.atomic
def withhold_instalment(
    *,
    instalment: PaymentInstalment,
    by,
    reason: str,
    expected_status: str | None = None,
) -> PaymentInstalment:
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the instalment is withheld"})
    locked = _take("withhold", instalment, by, expected_status)
    _record(locked, step_name="withhold", by=by, reason=reason.strip())
    return locked
