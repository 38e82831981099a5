"""Figures of the people a return's service worked with, for tests: as the service takes them
and as the page posts them."""

from grants.beneficiaries import PEOPLE_REACHED, count_name, not_collected_name, reason_name
from grants.models import Agreement
from sla_monitor.equality import CHARACTERISTICS

# A sex table with counts under 5 and not multiples of 5: published, female is 0 or 5 and not
# known 5 or 10, rounded so that the three add up to the 40 people reached.
SEX = {"female": 3, "male": 30, "not-known": 7}


def asks_for_people(funded):
    """The `funded` agreement, asking its returns for the people they worked with."""
    Agreement.objects.filter(pk=funded.agreement.pk).update(requires_beneficiary_figures=True)
    funded.agreement.refresh_from_db()
    return funded


def figures(people: int = 40, not_collected: dict | None = None, **counts) -> dict:
    """Service arguments: every characteristic's people "Not known", but those given."""
    everyone = {c.code: {"not-known": people} for c in CHARACTERISTICS}
    for code, boxes in counts.items():
        everyone[code.replace("_", "-")] = boxes
    return {"people_reached": people, "counts": everyone, "not_collected": not_collected or {}}


def form_data(qr, people="40", **boxes) -> dict:
    """What the page posts: every characteristic's people "Not known", but the boxes given (by
    input name, with "-" for "__": `sex__female="3"`), and "Save as draft"."""
    data = {"version": qr.version, PEOPLE_REACHED: people, "save_draft": "1"}
    for characteristic in CHARACTERISTICS:
        data[count_name(characteristic.code, "not-known")] = people
        data[not_collected_name(characteristic.code)] = ""
        data[reason_name(characteristic.code)] = ""
    data = {k: v for k, v in data.items() if v != ""}
    data.update(boxes)
    return {k: v for k, v in data.items() if v is not None}
