"""Variations of an agreement's terms, and every version of those terms.

A variation names what changes (the end date, the allocation and the instalments not yet released,
the lead officer, how often the provider reports), why, and the reporting period it takes effect
from. Its steps are `grants.lifecycle.VARIATION`; once the provider accepts it, it applies, and
the agreement keeps the terms before and after it as numbered versions (`AgreementTerms`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grants.lifecycle import VARIATION_HISTORY, VARIATION_OPEN, VariationStatus
from grants.models.agreements import (
    Agreement,
    Direction,
    MeasureType,
    PerformanceIndicator,
    ReportingFrequency,
    ReportingPeriod,
    TargetPeriod,
)
from grants.models.constraints import MONEY, _non_negative


class Variation(models.Model):
    Status = VariationStatus

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="variations")
    number = models.PositiveSmallIntegerField(help_text=_("1 for an agreement's first, and so on."))
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    reason = models.TextField(_("why the terms change"), blank=True)
    request = models.TextField(_("what the provider asked for"), blank=True)
    takes_effect_from = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The first reporting period judged by the varied terms."),
    )
    past_approved_returns_acknowledged = models.BooleanField(default=False)
    new_end_date = models.DateField(null=True, blank=True)
    new_total_allocation = models.DecimalField(**MONEY, null=True, blank=True)
    new_lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new_reporting_frequency = models.CharField(
        max_length=20,
        choices=ReportingFrequency.choices,
        blank=True,
        help_text=_("How often the provider reports from the period it takes effect from."),
    )
    changes_instalments = models.BooleanField(default=False)
    retire_indicators = models.ManyToManyField(
        PerformanceIndicator, blank=True, related_name="+", verbose_name=_("indicators retired")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("variation")
        verbose_name_plural = _("variations")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="variation_number_unique_per_agreement"
            ),
            models.CheckConstraint(
                condition=Q(status__in=VariationStatus.values),
                name="variation_status_valid",
                violation_error_message=_("Choose a status a variation can have."),
            ),
            _non_negative(
                "new_total_allocation", "variation_allocation_not_negative", _("The new allocation")
            ),
            models.CheckConstraint(
                condition=~Q(status=VariationStatus.APPLIED) | Q(applied_at__isnull=False),
                name="variation_applied_when",
                violation_error_message=_("An applied variation says when it applied."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} variation {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in VARIATION_OPEN

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.new_end_date
            or self.new_total_allocation is not None
            or self.new_lead_officer_id
            or self.new_reporting_frequency
            or self.changes_instalments
        )


class VariationTarget(models.Model):
    """A year's new target of one of the agreement's indicators, with its quarterly profile if
    it has one, from the quarter the variation takes effect."""

    variation = models.ForeignKey(Variation, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(PerformanceIndicator, on_delete=models.CASCADE, related_name="+")
    financial_year = models.PositiveSmallIntegerField()
    target = models.DecimalField(max_digits=10, decimal_places=2)
    q1 = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    q2 = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    q3 = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    q4 = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("variation target")
        verbose_name_plural = _("variation targets")
        ordering = ["variation", "indicator__order", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["variation", "indicator", "financial_year"],
                name="variation_target_once_per_year",
            ),
            _non_negative("target", "variation_target_not_negative", _("A target")),
        ]

    def __str__(self) -> str:
        return f"{self.variation}: {self.indicator.code} {self.financial_year}"

    @property
    def profile(self):
        quarters = (self.q1, self.q2, self.q3, self.q4)
        return None if any(q is None for q in quarters) else quarters


class VariationIndicator(models.Model):
    """An indicator a variation adds, answered from the quarter it takes effect."""

    variation = models.ForeignKey(
        Variation, on_delete=models.CASCADE, related_name="new_indicators"
    )
    code = models.CharField(max_length=10)
    wording = models.TextField()
    measure_type = models.CharField(max_length=20, choices=MeasureType.choices)
    target = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    target_period = models.CharField(
        max_length=10, choices=TargetPeriod.choices, default=TargetPeriod.NONE
    )
    unit = models.CharField(max_length=40, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)

    class Meta:
        verbose_name = _("variation indicator")
        verbose_name_plural = _("variation indicators")
        ordering = ["variation", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["variation", "code"], name="variation_indicator_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.variation}: new indicator {self.code}"


class VariationInstalment(models.Model):
    """One instalment of the schedule a variation sets for what is not yet released."""

    variation = models.ForeignKey(Variation, on_delete=models.CASCADE, related_name="instalments")
    due_date = models.DateField()
    amount = models.DecimalField(**MONEY)
    depends_on_period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The quarter whose return must be approved before this is released."),
    )

    class Meta:
        verbose_name = _("variation instalment")
        verbose_name_plural = _("variation instalments")
        ordering = ["variation", "due_date", "pk"]
        constraints = [
            _non_negative(
                "amount", "variation_instalment_not_negative", _("An instalment's amount")
            )
        ]

    def __str__(self) -> str:
        return f"{self.variation}: £{self.amount:,} due {self.due_date}"


class VariationTransition(models.Model):
    """One step of a variation's lifecycle: who, when, from, to and why."""

    variation = models.ForeignKey(Variation, on_delete=models.CASCADE, related_name="transitions")
    step = models.CharField(max_length=30)
    from_status = models.CharField(max_length=30, choices=VariationStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=VariationStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("variation status change")
        verbose_name_plural = _("variation status changes")
        ordering = ["variation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.variation}: {self.from_status or '-'} → {self.to_status}"

    @property
    def what(self) -> str:
        """The step in the words of the variation's history: "Approved it"."""
        return str(VARIATION_HISTORY.get(self.step, self.get_to_status_display()))


class AgreementTerms(models.Model):
    """One version of an agreement's terms, as a record of what they were: version 1 is the
    terms as set up, each applied variation adds the next. `terms` holds what the comparison and
    the variation letter show (dates, money, lead officer, indicators and their targets, the
    instalments)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    variation = models.OneToOneField(
        Variation, on_delete=models.PROTECT, null=True, blank=True, related_name="terms"
    )
    takes_effect_from = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    terms = models.JSONField()

    class Meta:
        verbose_name = _("agreement terms")
        verbose_name_plural = _("agreement terms")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="terms_version_unique_per_agreement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} terms, version {self.number}"
