"""The quarterly monitoring meetings of an agreement."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants.models.agreements import Agreement, ReportingPeriod


def meeting_outside(agreement: Agreement) -> str:
    """Why a meeting dated outside the agreement is refused."""
    start, end = (date_format(day, "j F Y") for day in (agreement.start_date, agreement.end_date))
    return gettext(
        "The date of the meeting must be within the agreement, which runs from %(start)s to "
        "%(end)s: enter a date within it"
    ) % {"start": start, "end": end}


class MonitoringMeeting(models.Model):
    """The quarterly meeting of the provider with the council's lead officer."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="meetings")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField()
    attendees = models.TextField()
    notes = models.TextField(blank=True)
    follow_up_actions = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monitoring meeting")
        verbose_name_plural = _("monitoring meetings")
        ordering = ["agreement", "-held_on"]

    def __str__(self) -> str:
        return f"{self.agreement.reference} meeting on {date_format(self.held_on)}"

    def get_additional_data(self) -> dict:
        """Kept beside each change in the change history: the agreement, so that a deleted
        meeting's record stays readable by those who see the agreement."""
        return {"agreement": self.agreement_id}

    def clean(self):
        super().clean()
        agreement = getattr(self, "agreement", None)  # an inline's agreement may be unsaved
        if agreement is None or agreement.start_date is None or agreement.end_date is None:
            return
        if self.held_on and not agreement.holds(self.held_on):
            raise ValidationError({"held_on": meeting_outside(agreement)})
        period = self.period
        if period and not (agreement.holds(period.start_date) and agreement.holds(period.end_date)):
            raise ValidationError(
                {
                    "period": gettext("%(period)s is outside the agreement's period.")
                    % {"period": period}
                }
            )
