"""A correction to an approved return: the form that proposes one, and the decision on it (approve,
decline or withdraw), taken from the return's page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grants import permissions, selectors, services
from grants.forms.corrections import CorrectionDecisionForm, CorrectionForm
from grants.lifecycle import CORRECTION, RETURN
from grants.views.returns import review_page, visible_return


@require_http_methods(["GET", "POST"])
def propose_correction(request, pk):
    quarterly_return = visible_return(request, pk)
    if not permissions.may_take(request.user, RETURN.step("correct"), quarterly_return):
        raise PermissionDenied
    if not RETURN.allows("correct", quarterly_return.status):
        messages.info(request, RETURN.refusal("correct", quarterly_return.status))
        return redirect("grants:return_detail", pk=quarterly_return.pk)
    detail = selectors.return_detail(quarterly_return, with_history=True)
    if detail.open_correction is not None and request.method == "GET":
        messages.info(
            request,
            _("This return has a correction waiting for a decision: it is shown below."),
        )
        return redirect(f"{_detail_url(quarterly_return)}#correction")
    if request.method == "POST":
        form = CorrectionForm(request.POST, detail=detail)
        if form.is_valid():
            try:
                services.propose_correction(
                    quarterly_return=quarterly_return,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    changes=form.changes,
                    expected_version=form.cleaned_data["version"],
                )
            except (services.StaleCorrectionError, services.CorrectionStateError) as error:
                messages.error(request, " ".join(error.messages))
                return redirect("grants:return_detail", pk=quarterly_return.pk)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                step = RETURN.step("correct")
                messages.success(request, step.done.format(period=quarterly_return.period))
                return redirect(f"{_detail_url(quarterly_return)}#correction")
    else:
        form = CorrectionForm(detail=detail, initial={"version": quarterly_return.version})
    return render(
        request,
        "grants/correction_form.html",
        {"qr": quarterly_return, "detail": detail, "form": form},
    )


def _detail_url(quarterly_return) -> str:
    return reverse("grants:return_detail", args=[quarterly_return.pk])


@require_POST
def decide_correction(request, pk, correction_pk):
    quarterly_return = visible_return(request, pk)
    correction = get_object_or_404(
        permissions.visible_corrections(request.user).filter(quarterly_return=quarterly_return),
        pk=correction_pk,
    )
    if not any(
        permissions.may_take_correction(request.user, step, correction)
        for step in CORRECTION.steps.values()
    ):
        raise PermissionDenied
    steps = permissions.correction_steps_for(request.user, correction)
    form = CorrectionDecisionForm(request.POST, steps=steps)
    if not form.is_valid():
        if not steps:
            # Decided since the page was opened: those who could decide it are told so.
            messages.error(
                request, _("This correction has already been decided. Nothing was changed.")
            )
            return redirect(f"{_detail_url(quarterly_return)}#correction")
        return review_page(request, quarterly_return, correction_form=form)
    step = CORRECTION.step(form.cleaned_data["step"])
    if not permissions.may_take_correction(request.user, step, correction):
        raise PermissionDenied
    take = {
        "approve": services.approve_correction,
        "decline": services.decline_correction,
        "withdraw": services.withdraw_correction,
    }[step.name]
    extra = {"reason": form.cleaned_data["reason"]} if step.name == "decline" else {}
    try:
        take(
            correction=correction,
            by=request.user,
            version=form.cleaned_data["version"],
            **extra,
        )
    except (services.StaleCorrectionError, services.CorrectionStateError) as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, step.done.format(period=quarterly_return.period))
    return redirect(f"{_detail_url(quarterly_return)}#correction")
