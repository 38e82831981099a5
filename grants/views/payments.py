"""Releasing and withholding an agreement's instalments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from grants import permissions, selectors, services
from grants.forms.payments import ReleaseForm, WithholdForm
from grants.lifecycle import INSTALMENT


def _instalment_to_decide(request, pk, instalment_pk):
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    instalment = get_object_or_404(
        agreement.instalments.labelled()
        .with_past_due(timezone.localdate())
        .select_related("depends_on_period"),
        pk=instalment_pk,
    )
    if not permissions.can_decide_instalments(request.user, agreement):
        raise PermissionDenied
    return agreement, instalment


def _payments_of(instalment) -> str:
    page = reverse("grants:agreement_detail", args=[instalment.agreement_id])
    return f"{page}?year={instalment.financial_year}#payments-heading"


def _decide_instalment(request, pk, instalment_pk, step_name):
    """The page that confirms one decision on an instalment (GET), and the decision (POST):
    what is paid, to whom, under which agreement and what the release depends on."""
    agreement, instalment = _instalment_to_decide(request, pk, instalment_pk)
    step = INSTALMENT.step(step_name)
    form_class = ReleaseForm if step_name == "release" else WithholdForm
    if request.method == "GET" and not INSTALMENT.allows(step_name, instalment.status):
        messages.info(
            request, INSTALMENT.refusal(step_name, instalment.status, instalment=instalment.label)
        )
        return redirect(_payments_of(instalment))
    form = form_class(request.POST or None, instalment=instalment)
    if request.method == "POST" and form.is_valid():
        take = {"release": services.release_instalment, "withhold": services.withhold_instalment}
        try:
            take[step_name](
                instalment=instalment,
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect(_payments_of(instalment))
            form.add_error(None, error)
        else:
            messages.success(request, step.done.format(instalment=instalment.label))
            return redirect(_payments_of(instalment))
    return render(
        request,
        "grants/instalment_decision.html",
        {
            "agreement": agreement,
            "instalment": instalment,
            "step": step,
            "form": form,
            "dependency": selectors.instalment_dependency(instalment),
        },
    )


@require_http_methods(["GET", "POST"])
def release_instalment(request, pk, instalment_pk):
    return _decide_instalment(request, pk, instalment_pk, "release")


@require_http_methods(["GET", "POST"])
def withhold_instalment(request, pk, instalment_pk):
    return _decide_instalment(request, pk, instalment_pk, "withhold")
