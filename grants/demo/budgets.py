"""The demo's budgets: KBC-CCE-01's lines for each of its years, set by its lead officer, and
the spend its returns give against them, one line over its budget with the provider's
explanation."""

import datetime as dt
from decimal import Decimal

from grants import services
from grants.budgets import spend_rows
from grants.models import Agreement, BudgetHeading
from grants.services.agreements import agreement_version
from sla_monitor import periods
from sla_monitor.models import User

# A year's £25,000 (the allocation of KBC-CCE-01) as the specification's work divides it.
COHESION_BUDGET = [
    ("staff", "Caseworker (0.5 FTE)", Decimal("16000.00")),
    ("running_costs", "Office and telephone", Decimal("3500.00")),
    ("activities", "Community events", Decimal("4000.00")),
    ("own", "", Decimal("1500.00")),
]
# The share of each line's expected spend the reported returns give, in the order above:
# events ran ahead of the year (beyond the threshold), the rest about as budgeted.
SPEND_PACE = [Decimal("1.00"), Decimal("0.95"), Decimal("1.40"), Decimal("0.90")]
OVERSPEND_EXPLANATION = "Two extra events for the new community centre's opening."


def load_budgets(agreements: list[Agreement], users: dict[str, User], today: dt.date) -> None:
    if users.get("officer") is None:
        return
    cohesion = agreements[0]
    interpreting, _ = BudgetHeading.objects.get_or_create(
        council=cohesion.funder, name="Interpreting and translation"
    )
    if cohesion.budget_lines.exists():
        return
    for year in periods.financial_years(cohesion.start_date, cohesion.end_date):
        cohesion.refresh_from_db()
        services.set_budget_lines(
            agreement=cohesion,
            by=users["officer"],
            version=agreement_version(cohesion),
            financial_year=year,
            lines=[
                {
                    "pk": None,
                    "heading": heading,
                    "own_heading": interpreting if heading == "own" else None,
                    "label": label,
                    "amount": amount,
                }
                for heading, label, amount in COHESION_BUDGET
            ],
        )


def demo_spend(quarterly_return) -> dict[int, tuple[Decimal, str]]:
    """The spend to date a demo return gives on each budget line of its year, at the line's pace
    of the spend expected by then, with the provider's explanation where it ran ahead."""
    rows = spend_rows(quarterly_return)
    if not rows:
        return {}
    return {
        row.line.pk: (
            (row.expected * pace).quantize(Decimal("0.01")),
            OVERSPEND_EXPLANATION if pace == Decimal("1.40") else "",
        )
        for row, pace in zip(rows, SPEND_PACE, strict=True)
    }
