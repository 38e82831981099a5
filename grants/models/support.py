"""What a return says of the specification's promises beyond its indicators: the evidence of the
quarter for each added-value statement, and the council's support in kind used and its value.

Each answer keeps a copy of the statement's or the contribution's wording as it was answered, so
that editing the agreement later never changes what a submitted return says."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grants.models.agreements import AddedValue, InKindContribution
from grants.models.constraints import MONEY, _non_negative
from grants.models.returns import QuarterlyReturn

QUANTITY = {"max_digits": 10, "decimal_places": 2}


class AddedValueEvidence(models.Model):
    """The quarter's evidence of one added-value statement: a narrative and, through
    `EvidenceFile.added_value_evidence`, files."""

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="added_value_evidence"
    )
    # Kept when the statement is removed from the agreement: the wording is on the answer.
    added_value = models.ForeignKey(
        AddedValue, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    statement = models.TextField(help_text=_("The statement's wording when it was answered."))
    numeral = models.CharField(max_length=10, blank=True)
    narrative = models.TextField(blank=True)

    class Meta:
        ordering = ["quarterly_return", "added_value__order", "pk"]
        verbose_name = _("added value evidence")
        verbose_name_plural = _("added value evidence")
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "added_value"],
                condition=Q(added_value__isnull=False),
                name="one_evidence_per_added_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarterly_return}: added value {self.numeral}"

    @property
    def is_given(self) -> bool:
        return bool(self.narrative)


class InKindUse(models.Model):
    """What of one kind of the council's support in kind the service used in the quarter, and its
    value in pounds."""

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="in_kind_uses"
    )
    contribution = models.ForeignKey(
        InKindContribution, on_delete=models.SET_NULL, null=True, blank=True, related_name="uses"
    )
    description = models.TextField(help_text=_("The contribution's wording when it was answered."))
    used = models.CharField(max_length=250, blank=True, help_text=_("For example '12 desk days'."))
    quantity = models.DecimalField(**QUANTITY, null=True, blank=True)
    value = models.DecimalField(**MONEY, null=True, blank=True, help_text=_("In pounds."))

    class Meta:
        ordering = ["quarterly_return", "contribution__order", "pk"]
        verbose_name = _("support in kind used")
        verbose_name_plural = _("support in kind used")
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "contribution"],
                condition=Q(contribution__isnull=False),
                name="one_use_per_in_kind_contribution",
            ),
            _non_negative("value", "in_kind_value_not_negative", _("The value")),
            _non_negative("quantity", "in_kind_quantity_not_negative", _("The quantity")),
        ]

    def __str__(self) -> str:
        return f"{self.quarterly_return}: {self.description[:60]}"

    @property
    def is_given(self) -> bool:
        return bool(self.used) or self.quantity is not None or self.value is not None
