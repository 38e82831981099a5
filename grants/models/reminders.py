"""The e-mail reminders sent about a quarter's return, once per kind."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.models.agreements import Agreement, ReportingPeriod


class Reminder(models.Model):
    """An e-mail reminder sent about one agreement's return for one quarter, once per kind."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Return due soon (to the provider)")
        OVERDUE = "overdue", _("Return overdue (to the provider)")
        ESCALATION = "escalation", _("Return overdue (to the lead officer)")
        AWAITING_REVIEW = "awaiting_review", _("Return waiting for review (to the lead officer)")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipients = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period", "kind"], name="one_reminder_per_return_and_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} {self.period}: {self.get_kind_display()}"
