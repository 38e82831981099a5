"""A correction to an approved return: the answers that were wrong, what they should say, and
what they said before.

An approved return is never un-approved. Its provider's people or its funder's lead officers
propose a correction with a reason; once a lead officer of the funder approves it, the corrected
values are written onto the answers themselves, so every page, PDF, export and total reads them,
and the values they replaced stay here. Its status follows `grants.lifecycle.CORRECTION` and
changes only through `grants.services.corrections`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.lifecycle import CorrectionStatus
from grants.models.constraints import _non_negative
from grants.models.returns import IndicatorAnswer, QuarterlyReturn


class ReturnCorrectionQuerySet(models.QuerySet):
    def open(self) -> "ReturnCorrectionQuerySet":
        return self.filter(status=CorrectionStatus.PROPOSED)

    def approved(self) -> "ReturnCorrectionQuerySet":
        return self.filter(status=CorrectionStatus.APPROVED)


class ReturnCorrection(models.Model):
    """A proposed change to answers of an approved return, and the decision on it."""

    Status = CorrectionStatus

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="corrections"
    )
    status = models.CharField(
        max_length=20, choices=CorrectionStatus.choices, default=CorrectionStatus.PROPOSED
    )
    reason = models.TextField(help_text=_("Why the answers were wrong."))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who approved, declined or withdrew it."),
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, help_text=_("Why it was declined."))
    version = models.PositiveIntegerField(default=1)

    objects = ReturnCorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("return correction")
        verbose_name_plural = _("return corrections")
        ordering = ["quarterly_return", "proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return"],
                condition=Q(status=CorrectionStatus.PROPOSED),
                name="one_open_correction_per_return",
                violation_error_message=_(
                    "A return has at most one correction waiting for a decision."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=CorrectionStatus.values),
                name="correction_status_valid",
                violation_error_message=_(
                    "Choose a status: proposed, approved, declined or withdrawn."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="correction_has_a_reason",
                violation_error_message=_("Say why the answers need correcting."),
            ),
            models.CheckConstraint(
                condition=Q(
                    status=CorrectionStatus.PROPOSED,
                    decided_by__isnull=True,
                    decided_at__isnull=True,
                )
                | (
                    ~Q(status=CorrectionStatus.PROPOSED)
                    & Q(decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="correction_decided_when_closed",
                violation_error_message=_(
                    "A correction is decided, by someone at a time, once it is no longer proposed."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=CorrectionStatus.DECLINED) | ~Q(decision_reason=""),
                name="correction_declined_with_a_reason",
                violation_error_message=_("Say why the correction is declined."),
            ),
        ]

    def __str__(self) -> str:
        return f"Correction to {self.quarterly_return}"

    @property
    def is_open(self) -> bool:
        return self.status == CorrectionStatus.PROPOSED


class CorrectionLine(models.Model):
    """One answer a correction changes: its values when the correction was proposed, and the
    values it should have. Once the correction is approved the answer holds the corrected
    values, and these originals are what it said before."""

    correction = models.ForeignKey(ReturnCorrection, on_delete=models.CASCADE, related_name="lines")
    answer = models.ForeignKey(
        IndicatorAnswer, on_delete=models.CASCADE, related_name="correction_lines"
    )
    original_actual = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    original_achieved = models.BooleanField(null=True, blank=True)
    original_narrative = models.TextField(blank=True)
    corrected_actual = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    corrected_achieved = models.BooleanField(null=True, blank=True)
    corrected_narrative = models.TextField(blank=True)

    class Meta:
        verbose_name = _("correction line")
        verbose_name_plural = _("correction lines")
        ordering = ["correction", "answer__indicator__order", "answer__indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["correction", "answer"], name="one_correction_line_per_answer"
            ),
            _non_negative("original_actual", "correction_original_not_negative", _("The actual")),
            _non_negative(
                "corrected_actual", "correction_corrected_not_negative", _("The corrected actual")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.correction}: indicator {self.answer.indicator.code}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """Each field the line changes: its name ("actual", "achieved", "narrative"), the
        original value and the corrected one."""
        pairs = [
            ("actual", self.original_actual, self.corrected_actual),
            ("achieved", self.original_achieved, self.corrected_achieved),
            ("narrative", self.original_narrative, self.corrected_narrative),
        ]
        return [(name, before, after) for name, before, after in pairs if before != after]
