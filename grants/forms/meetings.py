"""The record of a monitoring meeting."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants.models import ReportingPeriod, meeting_outside
from sla_monitor.dates import DayMonthYearField
from sla_monitor.forms import AccessibleFormMixin
from sla_monitor.once import OnceField


class MeetingDetailsForm(AccessibleFormMixin, forms.Form):
    """What a meeting's record says. Its date must fall within the agreement, whatever input
    gave it."""

    held_on = DayMonthYearField(
        label=_("Date of the meeting"),
        error_messages={"required": _("Enter the date of the meeting")},
    )
    period = forms.ModelChoiceField(
        label=_("Quarter it monitored"),
        queryset=None,
        required=False,
        empty_label=_("Not for a particular quarter"),
    )
    attendees = forms.CharField(
        label=_("Attendees"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say who attended")},
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    follow_up_actions = forms.CharField(
        label=_("Follow-up actions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, agreement, **kwargs):
        self.agreement = agreement
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = ReportingPeriod.objects.within(agreement).order_by(
            "-start_date"
        )
        self.fields["held_on"].help_text = gettext(
            "Within the agreement: %(start)s to %(end)s."
        ) % {
            "start": date_format(agreement.start_date, "j F Y"),
            "end": date_format(agreement.end_date, "j F Y"),
        }

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if not self.agreement.holds(held_on):
            raise ValidationError(meeting_outside(self.agreement))
        if held_on > timezone.localdate():
            raise ValidationError(
                gettext(
                    "The date of the meeting must be today or in the past: record a meeting once "
                    "it has been held"
                )
            )
        return held_on

    def clean(self):
        data = super().clean()
        held_on, period = data.get("held_on"), data.get("period")
        if held_on and period and period.start_date > held_on:
            self.add_error(
                "period",
                gettext(
                    "A meeting held on %(held_on)s cannot monitor %(period)s, which "
                    "starts after it: choose a quarter that had started by then"
                )
                % {"held_on": date_format(held_on), "period": period},
            )
        return data

    @classmethod
    def initial_for(cls, meeting) -> dict:
        return {
            "held_on": meeting.held_on,
            "period": meeting.period_id,
            "attendees": meeting.attendees,
            "notes": meeting.notes,
            "follow_up_actions": meeting.follow_up_actions,
        }


class MeetingForm(MeetingDetailsForm):
    """Records a new meeting, once however often it is sent."""

    once = OnceField()
