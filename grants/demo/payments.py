"""The demo's payments: each instalment already due that the returns allow, released on its due
date, authorised by Kettering's finance officer where it needs sign-off, and paid that day; the
latest that needs sign-off is left waiting for the finance officer, as a finance officer finds
one on signing in."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from grants import services
from grants.demo.returns import settle_notifications
from grants.models import Agreement, PaymentInstalment
from sla_monitor.models import Notification, User

SETTLED = [
    Notification.Kind.INSTALMENT_RELEASED,
    Notification.Kind.RELEASE_REQUESTED,
    Notification.Kind.RELEASE_AUTHORISED,
]


def load_payments(agreements: list[Agreement], users: dict[str, User], today: dt.date) -> None:
    """Release, on its due date, each instalment already due that the returns allow."""
    if users.get("officer") is None:
        return
    due = (
        PaymentInstalment.objects.filter(
            agreement__in=agreements,
            status=PaymentInstalment.Status.SCHEDULED,
            due_date__lte=today,
        )
        .select_related("agreement__lead_officer", "agreement__funder")
        .order_by("due_date", "sequence")
    )
    due = list(due)
    waiting = _last_needing_signoff(due)
    for instalment in due:
        try:
            released = services.release_instalment(
                instalment=instalment, by=instalment.agreement.lead_officer
            )
        except ValidationError:
            continue  # its quarter's return is not approved: it waits, as it would
        if released.status == PaymentInstalment.Status.RELEASE_REQUESTED:
            if users.get("finance") is None or instalment == waiting:
                _date_request(released)
                continue
            services.authorise_release(instalment=released, by=users["finance"])
        moment = timezone.make_aware(dt.datetime.combine(instalment.due_date, dt.time(9, 0)))
        # Paid long ago, before the demo's payment runs: no run pays it again.
        PaymentInstalment.objects.filter(pk=instalment.pk).update(
            decided_at=moment, paid_on=instalment.due_date
        )
        instalment.transitions.update(at=moment)
        settle_notifications(
            Notification.objects.filter(
                kind__in=SETTLED,
                params__reference=instalment.agreement.reference,
                params__instalment=instalment.label,
            ),
            moment,
        )


def _last_needing_signoff(due: list[PaymentInstalment]) -> PaymentInstalment | None:
    needing = [i for i in due if i.agreement.funder.needs_finance_signoff(i.amount)]
    return needing[-1] if needing else None


def _date_request(instalment: PaymentInstalment) -> None:
    """A request left waiting was made on the instalment's due date."""
    moment = timezone.make_aware(dt.datetime.combine(instalment.due_date, dt.time(9, 0)))
    instalment.transitions.update(at=moment)
