"""A council's grant programmes and the themes they serve."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grants.models.constraints import MONEY, _non_negative
from sla_monitor.models import Organisation, OrganisationType


class Fund(models.Model):
    """A council's grant programme (seed 002's community cohesion fund)."""

    council = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="funds",
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    budget = models.DecimalField(**MONEY)
    maximum_award = models.DecimalField(
        **MONEY, null=True, blank=True, help_text=_("Upper limit of a single grant, if one is set.")
    )
    start_date = models.DateField(help_text=_("First day of the first financial year funded."))
    end_date = models.DateField(help_text=_("Last day of the last financial year funded."))
    eligibility = models.TextField(
        blank=True,
        help_text=_("Who may apply, as the fund was first written up: kept for reference."),
    )
    eligible_organisation_types = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            _(
                "The types of organisation the fund may award to (sla_monitor.models."
                "OrganisationType values); an empty list allows every type."
            )
        ),
    )
    criteria = models.TextField(blank=True, help_text=_("Grant criteria, one per line."))
    cost_centre = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("The finance system's cost centre its payments are charged to."),
    )
    account_code = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("The finance system's account (nominal) code of its payments."),
    )
    variance_threshold = models.PositiveSmallIntegerField(
        default=15,
        help_text=(
            _(
                "How far, as a percentage of the spend expected by then, spend on a budget line "
                "may be off before the provider explains it."
            )
        ),
    )

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["-start_date", "name"]
        constraints = [
            _non_negative("budget", "fund_budget_not_negative", _("The budget")),
            _non_negative(
                "maximum_award", "fund_maximum_award_not_negative", _("The maximum award")
            ),
            models.CheckConstraint(
                condition=Q(variance_threshold__lte=1000),
                name="fund_variance_threshold_at_most_1000",
                violation_error_message=_("The variance threshold is a percentage up to 1000."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="fund_end_after_start",
                violation_error_message=_("The fund must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["council", "name"], name="fund_name_unique_per_council"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.council.name})"

    def allows_type(self, organisation_type: str) -> bool:
        """An organisation of this type may be awarded a grant from the fund."""
        types = self.eligible_organisation_types or []
        return not types or organisation_type in types

    @property
    def eligible_type_labels(self) -> list[str]:
        return [
            str(OrganisationType(value).label)
            for value in self.eligible_organisation_types or []
            if value in OrganisationType.values
        ]

    @property
    def criteria_list(self) -> list[str]:
        return [line.strip() for line in self.criteria.splitlines() if line.strip()]


class FundTheme(models.Model):
    """A theme a fund serves; awards are expected to deliver against one or more."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="themes")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = _("fund theme")
        verbose_name_plural = _("fund themes")
        ordering = ["fund", "order"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "order"], name="fund_theme_order_unique"),
        ]

    def __str__(self) -> str:
        return self.name
