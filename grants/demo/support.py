"""The demo's added value and support in kind: what each submitted return of the Kettering
cohesion agreement says of seed 000's added-value statements and in-kind support."""

from decimal import Decimal

from grants.models import Agreement, ReportingPeriod
from grants.services import InKindAnswer

ADDED_VALUE_EVIDENCE = {  # statement order -> the quarter's evidence
    1: "Ran the {quarter} hate crime awareness session with Northamptonshire Police and the "
    "Victim Support outreach worker; joint referrals agreed with Citizens Advice.",
    2: "Reported to the Community Safety Partnership's {quarter} meeting on community tensions "
    "in the town centre, which feeds the partnership plan.",
    3: "Case records checked against the data quality checklist in {quarter}; two records "
    "corrected, no personal data incidents.",
}
# contribution order -> (what was used, how many, its value in pounds for each one used)
IN_KIND_USE = {
    1: ("Discretionary council tax relief on the office", Decimal("1"), Decimal("412.50")),
    2: ("{n} volunteer parking days", None, Decimal("4.50")),
    3: ("{n} desk days at the Customer Service Centre", None, Decimal("30.00")),
    4: ("{n} days of telephone line and calls", None, Decimal("3.20")),
    5: ("{n} days' parking at the Customer Service Centre", None, Decimal("6.00")),
}
DAYS_BY_QUARTER = {1: 10, 2: 12, 3: 8, 4: 14}


def demo_support(agreement: Agreement, period: ReportingPeriod) -> dict:
    """The answers `services.save_support_answers` takes, for the agreement's statements and
    contributions (none when it has neither)."""
    days = DAYS_BY_QUARTER[period.quarter]
    added_values = {
        statement.pk: ADDED_VALUE_EVIDENCE[statement.order].format(quarter=f"Q{period.quarter}")
        for statement in agreement.added_values.all()
        if statement.order in ADDED_VALUE_EVIDENCE
    }
    in_kind = {}
    for contribution in agreement.in_kind_contributions.all():
        if contribution.order not in IN_KIND_USE:
            continue
        used, quantity, each = IN_KIND_USE[contribution.order]
        quantity = quantity or Decimal(days)
        in_kind[contribution.pk] = InKindAnswer(
            used=used.format(n=days), quantity=quantity, value=quantity * each
        )
    return {"added_values": added_values, "in_kind": in_kind}
