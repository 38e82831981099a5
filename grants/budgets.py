"""Spend against an agreement's budget: the share of the financial year gone by the end of a
return's period, the spend expected by then, the variance, and when it needs explaining."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from grants.models import BudgetLine, SpendAnswer
from sla_monitor import periods

PENNY = Decimal("0.01")
HUNDRED = Decimal(100)
SECTION = _("Spending")
# A fund's threshold unless it sets its own (`Fund.variance_threshold`).
DEFAULT_THRESHOLD = 15


def share_of_year_gone(end_date: dt.date, financial_year: int) -> Decimal:
    """The share of the financial year (April to March) gone by the end of `end_date`'s month,
    from 0 to 1: a return's period ends on a month's last day, so the end of Q1 is 3/12 (25%),
    of the half year 6/12, of the year 12/12, whatever the agreement's reporting frequency."""
    first = dt.date(financial_year, 4, 1)
    if end_date < first:
        return Decimal(0)
    if end_date > periods.financial_year_end(financial_year):
        return Decimal(1)
    months = (end_date.year - first.year) * 12 + end_date.month - first.month + 1
    return Decimal(months) / Decimal(12)


def expected_to_date(budget: Decimal, share: Decimal) -> Decimal:
    """What a line's budget would have spent by now, spent evenly over the year."""
    return (budget * share).quantize(PENNY, rounding=ROUND_HALF_UP)


def variance(spent: Decimal, expected: Decimal) -> Decimal:
    """Spend less the spend expected: above 0 is overspend, below 0 underspend."""
    return spent - expected


def beyond_threshold(spent: Decimal, expected: Decimal, threshold: int) -> bool:
    """The variance is more than `threshold` percent of the expected spend, either way; at the
    threshold exactly it is not. With nothing expected, any spend is beyond it."""
    difference = abs(variance(spent, expected))
    return difference * HUNDRED > expected * Decimal(threshold)


def variance_percent(spent: Decimal, expected: Decimal) -> Decimal | None:
    if expected == 0:
        return None
    return (variance(spent, expected) * HUNDRED / expected).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass
class SpendRow:
    """One budget line of a return's financial year, with the return's answer for it."""

    line: BudgetLine
    answer: SpendAnswer
    share: Decimal
    threshold: int
    flag: object = None
    previous: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"spend:{self.line.pk}"

    @property
    def anchor(self) -> str:
        return f"spend-{self.line.pk}"

    @property
    def label(self) -> str:
        return str(_("Spending: %(line)s") % {"line": self.line.name})

    @property
    def expected(self) -> Decimal:
        return expected_to_date(self.line.amount, self.share)

    @property
    def share_percent(self) -> Decimal:
        return (self.share * HUNDRED).quantize(Decimal("1"), rounding=ROUND_HALF_UP)

    @property
    def variance(self) -> Decimal | None:
        spent = self.answer.spent_to_date
        return None if spent is None else variance(spent, self.expected)

    @property
    def variance_percent(self) -> Decimal | None:
        spent = self.answer.spent_to_date
        return None if spent is None else variance_percent(spent, self.expected)

    @property
    def needs_explanation(self) -> bool:
        spent = self.answer.spent_to_date
        return spent is not None and beyond_threshold(spent, self.expected, self.threshold)

    @property
    def missing(self) -> tuple[str, str] | None:
        """The field still needed before submitting, and what to ask for."""
        name = self.line.name
        if self.answer.spent_to_date is None:
            return (
                f"spent_{self.line.pk}",
                str(_("Enter the spend to date on %(line)s") % {"line": name}),
            )
        if self.needs_explanation and not self.answer.explanation.strip():
            return (
                f"explanation_{self.line.pk}",
                str(
                    _(
                        "Explain why the spend on %(line)s is more than %(threshold)s%% off "
                        "the spend expected by now"
                    )
                    % {"line": name, "threshold": self.threshold}
                ),
            )
        return None

    def snapshot(self) -> dict:
        spent = self.answer.spent_to_date
        return {
            "label": self.label,
            "values": {
                "budget": f"{self.line.amount:.2f}",
                "spent": "" if spent is None else f"{spent:.2f}",
                "explanation": self.answer.explanation,
            },
        }


def spend_rows(quarterly_return) -> list[SpendRow]:
    """The budget lines of the return's financial year with its answers: one query when the
    year has no budget lines, two when it has."""
    period = quarterly_return.period
    lines = list(
        BudgetLine.objects.filter(
            agreement_id=quarterly_return.agreement_id, financial_year=period.financial_year
        ).select_related("own_heading", "agreement__fund")
    )
    if not lines:
        return []
    fund = lines[0].agreement.fund
    threshold = fund.variance_threshold if fund is not None else DEFAULT_THRESHOLD
    share = share_of_year_gone(period.end_date, period.financial_year)
    answers = {
        a.budget_line_id: a for a in SpendAnswer.objects.filter(quarterly_return=quarterly_return)
    }
    return [
        SpendRow(line, answers.get(line.pk) or SpendAnswer(budget_line=line), share, threshold)
        for line in lines
    ]
