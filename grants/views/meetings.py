"""Recording, changing and deleting an agreement's monitoring meetings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from grants import permissions, selectors, services
from grants.forms.meetings import MeetingDetailsForm, MeetingForm
from grants.models import MonitoringMeeting
from sla_monitor import periods
from sla_monitor.once import AlreadySent


@require_http_methods(["GET", "POST"])
def record_meeting(request, pk):
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    if not permissions.can_record_meeting(request.user, agreement):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.record_meeting(
                agreement=agreement, by=request.user, **form.cleaned_data
            )
        except AlreadySent as error:
            messages.info(request, " ".join(error.messages))
            return redirect("grants:agreement_detail", pk=agreement.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                gettext("The meeting of %(held_on)s was recorded.")
                % {"held_on": date_format(meeting.held_on)},
            )
            return redirect("grants:agreement_detail", pk=agreement.pk)
    return render(request, "grants/meeting_form.html", {"agreement": agreement, "form": form})


def _day(day) -> str:
    return dateformat.format(day, "j F Y")


def _meeting_to_change(request, pk, meeting_pk):
    """The meeting, if the user may change it; None if it is gone (deleted a moment ago)."""
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    if not permissions.can_record_meeting(request.user, agreement):
        raise PermissionDenied
    try:
        meeting = selectors.meeting_of(agreement, meeting_pk)
    except MonitoringMeeting.DoesNotExist as error:
        raise Http404("No such meeting of this agreement.") from error
    if meeting is not None and not permissions.can_change_meeting(request.user, meeting):
        raise PermissionDenied
    return agreement, meeting


def _meeting_gone(request, agreement):
    messages.info(request, gettext("That meeting has been deleted already."))
    return redirect(reverse("grants:agreement_detail", args=[agreement.pk]) + "#meetings-heading")


def _meetings_of(meeting) -> str:
    page = reverse("grants:agreement_detail", args=[meeting.agreement_id])
    return f"{page}?year={periods.financial_year_of(meeting.held_on)}#meetings-heading"


@require_http_methods(["GET", "POST"])
def change_meeting(request, pk, meeting_pk):
    agreement, meeting = _meeting_to_change(request, pk, meeting_pk)
    if meeting is None:
        return _meeting_gone(request, agreement)
    form = MeetingDetailsForm(
        request.POST or None, agreement=agreement, initial=MeetingDetailsForm.initial_for(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.change_meeting(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("grants:agreement_detail", pk=agreement.pk)
            form.add_error(None, error)
        else:
            messages.success(
                request,
                gettext("The meeting of %(held_on)s was changed.")
                % {"held_on": _day(meeting.held_on)},
            )
            return redirect(_meetings_of(meeting))
    return render(
        request,
        "grants/meeting_form.html",
        {"agreement": agreement, "form": form, "meeting": meeting},
    )


@require_http_methods(["GET", "POST"])
def delete_meeting(request, pk, meeting_pk):
    agreement, meeting = _meeting_to_change(request, pk, meeting_pk)
    if meeting is None:
        return _meeting_gone(request, agreement)
    if request.method == "POST":
        back = _meetings_of(meeting)
        try:
            services.delete_meeting(meeting=meeting, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                gettext("The meeting of %(held_on)s was deleted.")
                % {"held_on": _day(meeting.held_on)},
            )
        return redirect(back)
    return render(
        request, "grants/meeting_delete.html", {"agreement": agreement, "meeting": meeting}
    )
