"""An agreement's budget lines per financial year, a council's own budget headings, and what
each return says has been spent against each line so far in the year."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grants.models.agreements import Agreement
from grants.models.constraints import MONEY, _non_negative
from grants.models.returns import QuarterlyReturn
from grants.models.variations import Variation
from sla_monitor.models import Organisation
from sla_monitor.periods import financial_year_label


class BudgetHeading(models.Model):
    """A heading a council uses in its budgets beyond staff, running costs and activities."""

    council = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="budget_headings",
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("budget heading")
        verbose_name_plural = _("budget headings")
        ordering = ["council", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "name"],
                name="budget_heading_unique_per_council",
                violation_error_message=_("The council already has a budget heading of that name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetHeadingKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    RUNNING_COSTS = "running_costs", _("Running costs")
    ACTIVITIES = "activities", _("Activities")
    OWN = "own", _("The council's own heading")


class BudgetLine(models.Model):
    """One line of an agreement's budget for one financial year, in pounds."""

    Heading = BudgetHeadingKind

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="budget_lines")
    financial_year = models.PositiveSmallIntegerField(
        help_text=_("The calendar year the financial year starts in: 2025 means 2025/26.")
    )
    heading = models.CharField(_("heading"), max_length=20, choices=BudgetHeadingKind.choices)
    own_heading = models.ForeignKey(
        BudgetHeading,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("council's heading"),
    )
    label = models.CharField(_("label"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount in pounds"), **MONEY)
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["agreement", "financial_year", "order", "pk"]
        constraints = [
            _non_negative("amount", "budget_line_amount_not_negative", _("A budget line's amount")),
            models.CheckConstraint(
                condition=Q(heading__in=BudgetHeadingKind.values),
                name="budget_line_heading_valid",
                violation_error_message=_("Choose a heading."),
            ),
            models.CheckConstraint(
                condition=(Q(heading=BudgetHeadingKind.OWN) & Q(own_heading__isnull=False))
                | (~Q(heading=BudgetHeadingKind.OWN) & Q(own_heading__isnull=True)),
                name="budget_line_own_heading_given",
                violation_error_message=_("Choose the council's heading for this line."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} {self.financial_year_label}: {self.name}"

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def heading_name(self) -> str:
        if self.heading == BudgetHeadingKind.OWN and self.own_heading is not None:
            return self.own_heading.name
        return str(BudgetHeadingKind(self.heading).label)

    @property
    def name(self) -> str:
        """The heading, and the line's own label after it where it has one."""
        return f"{self.heading_name}: {self.label}" if self.label else self.heading_name


class SpendAnswer(models.Model):
    """What a return says has been spent against a budget line from the start of the financial
    year to the end of the return's period, and why where it is off the budget."""

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="spend_answers"
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="spend_answers"
    )
    spent_to_date = models.DecimalField(_("spent to date"), **MONEY, null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("spend answer")
        verbose_name_plural = _("spend answers")
        ordering = ["quarterly_return", "budget_line__order", "budget_line__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "budget_line"], name="one_spend_answer_per_line"
            ),
            _non_negative("spent_to_date", "spend_not_negative", _("Spend to date")),
        ]

    def __str__(self) -> str:
        return f"{self.quarterly_return}: {self.budget_line.name}"


class VariationBudgetLine(models.Model):
    """One line of the budget a variation sets for a financial year: on acceptance it replaces
    that year's lines of the agreement."""

    variation = models.ForeignKey(Variation, on_delete=models.CASCADE, related_name="budget_lines")
    financial_year = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=20, choices=BudgetHeadingKind.choices)
    own_heading = models.ForeignKey(
        BudgetHeading, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(**MONEY)

    class Meta:
        verbose_name = _("variation budget line")
        verbose_name_plural = _("variation budget lines")
        ordering = ["variation", "financial_year", "pk"]
        constraints = [
            _non_negative(
                "amount", "variation_budget_line_not_negative", _("A budget line's amount")
            ),
            models.CheckConstraint(
                condition=(Q(heading=BudgetHeadingKind.OWN) & Q(own_heading__isnull=False))
                | (~Q(heading=BudgetHeadingKind.OWN) & Q(own_heading__isnull=True)),
                name="variation_budget_line_own_heading_given",
                violation_error_message=_("Choose the council's heading for this line."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variation}: {financial_year_label(self.financial_year)} £{self.amount:,}"

    @property
    def name(self) -> str:
        """As a budget line is named: the heading, and the label after it where it has one."""
        if self.heading == BudgetHeadingKind.OWN and self.own_heading is not None:
            heading = self.own_heading.name
        else:
            heading = str(BudgetHeadingKind(self.heading).label)
        return f"{heading}: {self.label}" if self.label else heading
