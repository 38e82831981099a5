"""Releasing and withholding an agreement's instalments; the finance pages: sign-off, payment
runs and the columns of their files."""

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grants import permissions, selectors, services
from grants.forms.payments import (
    AuthoriseForm,
    PaymentColumnsForm,
    RejectForm,
    ReleaseForm,
    RunPaidForm,
    RunReverseForm,
    SignoffThresholdForm,
    WithholdForm,
)
from grants.lifecycle import INSTALMENT
from grants.models import PaymentField
from sla_monitor import exports


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
            instalment = take[step_name](
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
            taken = step
            if instalment.status == INSTALMENT.step("request_release").target:
                taken = INSTALMENT.step("request_release")
            messages.success(request, taken.done.format(instalment=instalment.label))
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
            "needs_signoff": agreement.funder.needs_finance_signoff(instalment.amount),
        },
    )


@require_http_methods(["GET", "POST"])
def release_instalment(request, pk, instalment_pk):
    return _decide_instalment(request, pk, instalment_pk, "release")


@require_http_methods(["GET", "POST"])
def withhold_instalment(request, pk, instalment_pk):
    return _decide_instalment(request, pk, instalment_pk, "withhold")


# Finance -----------------------------------------------------------------------------------------


def _sees_payments(request) -> None:
    if not permissions.sees_payments(request.user):
        raise PermissionDenied


@require_http_methods(["GET"])
def finance_payments(request):
    """The council's payments as its finance people see them: releases waiting for sign-off,
    authorised payments waiting for a run, and its runs."""
    _sees_payments(request)
    return render(
        request,
        "grants/finance_payments.html",
        {
            "overview": selectors.finance_overview(request.user),
            "runs_payments": permissions.runs_payments(request.user),
            "sets_columns": permissions.sets_payment_columns(request.user),
            "sets_signoff": permissions.sets_finance_signoff(request.user),
            "council": request.user.organisation,
        },
    )


SIGNOFF_FORMS = {"authorise": AuthoriseForm, "reject": RejectForm}
SIGNOFF_SERVICES = {"authorise": "authorise_release", "reject": "reject_release"}


@require_http_methods(["GET", "POST"])
def instalment_signoff(request, instalment_pk):
    """One payment waiting for sign-off: what is paid, to whom, who asked; authorise it or
    reject the request with a reason. Another council's instalment is not found."""
    _sees_payments(request)
    instalment = get_object_or_404(
        permissions.signoff_instalments(request.user)
        .labelled()
        .select_related("agreement__provider", "agreement__fund", "requested_by"),
        pk=instalment_pk,
    )
    agreement = instalment.agreement
    may_sign_off = permissions.can_sign_off(request.user, instalment)
    forms = {
        name: form_class(None, instalment=instalment, prefix=name)
        for name, form_class in SIGNOFF_FORMS.items()
    }
    if request.method == "POST":
        step_name = request.POST.get("step")
        if step_name not in SIGNOFF_FORMS:
            raise Http404
        if not permissions.acts_for(request.user, INSTALMENT.step(step_name).actor, agreement):
            raise PermissionDenied
        form = SIGNOFF_FORMS[step_name](request.POST, instalment=instalment, prefix=step_name)
        forms[step_name] = form
        if form.is_valid():
            try:
                getattr(services, SIGNOFF_SERVICES[step_name])(
                    instalment=instalment,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    expected_status=form.cleaned_data["status"],
                )
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    messages.error(request, " ".join(error.messages))
                    return redirect("grants:finance_payments")
                form.add_error(None, error)
            else:
                done = INSTALMENT.step(step_name).done
                messages.success(
                    request,
                    done.format(instalment=instalment.label, reference=agreement.reference),
                )
                return redirect("grants:finance_payments")
    return render(
        request,
        "grants/instalment_signoff.html",
        {
            "agreement": agreement,
            "instalment": instalment,
            "forms": forms,
            "awaiting": INSTALMENT.allows("authorise", instalment.status),
            "may_sign_off": may_sign_off,
            "own_request": instalment.requested_by_id == request.user.pk,
        },
    )


@require_POST
def create_payment_run(request):
    _sees_payments(request)
    try:
        run = services.create_payment_run(council=request.user.organisation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("grants:finance_payments")
    messages.success(
        request,
        _("Payment run %(number)s was exported: download its file for the finance system.")
        % {"number": run.number},
    )
    return redirect("grants:payment_run", run.pk)


def _shown(value) -> str:
    """A value of a run's file as the page shows it."""
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return f"£{value:,.2f}"
    return value


def _run_page(request, run, **forms):
    headers, rows = selectors.payment_run_file(run)
    context = {
        "run": run,
        "headers": headers,
        "rows": [[(h, _shown(v)) for h, v in zip(headers, row, strict=True)] for row in rows],
        "runs_payments": permissions.runs_payments(request.user),
        "paid_form": RunPaidForm(run=run, prefix="paid"),
        "reverse_form": RunReverseForm(run=run, prefix="reverse"),
        **forms,
    }
    return render(request, "grants/payment_run.html", context)


def _run_of(request, pk):
    _sees_payments(request)
    return get_object_or_404(permissions.visible_payment_runs(request.user), pk=pk)


@require_http_methods(["GET"])
def payment_run(request, pk):
    return _run_page(request, _run_of(request, pk))


@require_http_methods(["GET"])
def payment_run_file(request, pk, fmt):
    """The run's file, the same each time it is downloaded."""
    run = _run_of(request, pk)
    headers, rows = selectors.payment_run_file(run)
    return exports.table_response(
        fmt=fmt,
        filename=f"payment-run-{run.reference}",
        headers=headers,
        rows=rows,
        sheet=_("Payment run %(number)s") % {"number": run.number},
    )


def _run_step(request, pk, form_class, prefix, take, done):
    run = _run_of(request, pk)
    if not permissions.runs_payments(request.user):
        raise PermissionDenied
    form = form_class(request.POST, run=run, prefix=prefix)
    if form.is_valid():
        try:
            take(run, form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("grants:payment_run", run.pk)
            form.add_error(None, error)
        else:
            messages.success(request, done % {"number": run.number})
            return redirect("grants:payment_run", run.pk)
    return _run_page(request, run, **{f"{prefix}_form": form})


@require_POST
def mark_run_paid(request, pk):
    return _run_step(
        request,
        pk,
        RunPaidForm,
        "paid",
        lambda run, data: services.mark_run_paid(
            run=run, by=request.user, paid_on=data["paid_on"], expected_status=data["status"]
        ),
        _("Payment run %(number)s was marked paid. Each provider was sent a remittance advice."),
    )


@require_POST
def reverse_payment_run(request, pk):
    return _run_step(
        request,
        pk,
        RunReverseForm,
        "reverse",
        lambda run, data: services.reverse_payment_run(
            run=run, by=request.user, reason=data["reason"], expected_status=data["status"]
        ),
        _("Payment run %(number)s was reversed. Its payments wait for a new run."),
    )


@require_http_methods(["GET", "POST"])
def payment_columns(request):
    """The columns of the council's payment files, as its finance system imports them."""
    if not permissions.sets_payment_columns(request.user):
        raise PermissionDenied
    council = request.user.organisation
    form = PaymentColumnsForm(request.POST or None, columns=selectors.payment_columns(council.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.set_payment_columns(
                council=council, by=request.user, columns=form.cleaned_data["columns"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The columns of the payment files were saved."))
            return redirect("grants:finance_payments")
    return render(request, "grants/payment_columns.html", {"form": form, "fields": PaymentField})


def _shown_threshold(value: str) -> Decimal | None:
    """The amount the page showed; anything but a real amount reads as none, which the service
    then finds changed."""
    try:
        amount = Decimal(value) if value else None
    except ArithmeticError:
        return None
    return amount if amount is not None and amount.is_finite() else None


@require_http_methods(["GET", "POST"])
def finance_signoff_threshold(request):
    """The amount from which the council's releases need a finance officer's authorisation."""
    if not permissions.sets_finance_signoff(request.user):
        raise PermissionDenied
    council = request.user.organisation
    form = SignoffThresholdForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_finance_signoff_threshold(
                council=council,
                by=request.user,
                threshold=form.cleaned_data["threshold"],
                shown=_shown_threshold(form.cleaned_data["shown"]),
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("grants:finance_signoff_threshold")
            form.add_error(None, error)
        else:
            messages.success(request, _("The amount needing finance sign-off was saved."))
            return redirect("grants:finance_payments")
    return render(
        request, "grants/finance_signoff_threshold.html", {"form": form, "council": council}
    )
