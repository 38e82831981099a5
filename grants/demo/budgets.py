"""The demo's budgets: KBC-CCE-01's lines for each of its years, set by its lead officer, and
the spend its returns already reported gave against them, one line over its budget with the
provider's explanation."""

import datetime as dt
from decimal import Decimal

from grants import services
from grants.budgets import spend_rows
from grants.models import Agreement, BudgetHeading, SpendAnswer
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
    # The returns were submitted before the budget was set in the demo: their spend is given as
    # the provider would have given it.
    answers = []
    for quarterly_return in cohesion.returns.reported().select_related("period", "agreement"):
        for row, pace in zip(spend_rows(quarterly_return), SPEND_PACE, strict=True):
            spent = (row.expected * pace).quantize(Decimal("0.01"))
            answers.append(
                SpendAnswer(
                    quarterly_return=quarterly_return,
                    budget_line=row.line,
                    spent_to_date=spent,
                    explanation=(
                        "Two extra events for the new community centre's opening."
                        if pace == Decimal("1.40")
                        else ""
                    ),
                )
            )
    SpendAnswer.objects.bulk_create(answers)
