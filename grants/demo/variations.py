"""The demo's variations: Kettering's volunteering grant, whose provider asked to extend it a
year and whose lead officer drafted the extension, now waiting for the council's administrator
to approve it. Nothing is applied, so the demo's terms stay as the seeds set them."""

import datetime as dt

from grants.demo.returns import settle_notifications
from grants.models import Agreement, ReportingPeriod
from grants.services import variations
from sla_monitor.models import Notification, User


def load_variations(agreements: list[Agreement], users: dict[str, User], today: dt.date) -> None:
    officer = users.get("officer")
    provider = users.get("provider2")
    volunteering = next((a for a in agreements if a.reference == "KBC-VOL-01"), None)
    if officer is None or provider is None or volunteering is None:
        return
    if volunteering.variations.exists():
        return  # loaded before
    last_year = (
        ReportingPeriod.objects.filter(end_date__lte=volunteering.end_date)
        .order_by("-start_date")
        .first()
    )
    asked = variations.request_variation(
        agreement=volunteering,
        by=provider,
        request=(
            "Our volunteer coordinator starts a quarter late. Could the agreement run a year "
            "longer, with no more money?"
        ),
    )
    drafted = variations.take_up_variation(variation=asked, by=officer)
    drafted = variations.update_variation(
        variation=drafted,
        by=officer,
        version=drafted.version,
        terms={
            "reason": (
                "The provider's coordinator starts a quarter late: the agreement runs a year "
                "longer, with no more money."
            ),
            "takes_effect_from": last_year,
            "new_end_date": volunteering.end_date.replace(year=volunteering.end_date.year + 1),
        },
        instalments=None,
    )
    variations.submit_variation(variation=drafted, by=officer)
    moment = dt.datetime.combine(today, dt.time(9, 0)).astimezone()
    settle_notifications(
        Notification.objects.filter(
            kind__in=[
                Notification.Kind.VARIATION_REQUESTED,
                Notification.Kind.VARIATION_TO_APPROVE,
            ],
            params__reference=volunteering.reference,
        ),
        moment,
        waiting=True,
    )
