"""Variations of an agreement's terms: drafting or requesting one, its page and steps, the
letter, and the comparison of two versions of the terms."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grants import permissions, selectors
from grants.forms.variations import (
    REASON_LABELS,
    InstalmentFormSet,
    NewIndicatorFormSet,
    TargetFormSet,
    VariationBudgetFormSet,
    VariationForm,
    VariationRequestForm,
    VariationStepForm,
    instalment_rows,
    new_indicator_rows,
    target_rows,
)
from grants.lifecycle import VARIATION, InstalmentStatus
from grants.models import BudgetHeading, PaymentInstalment, ReportingPeriod
from grants.services import variations as services
from sla_monitor import periods
from sla_monitor.once import AlreadySent
from sla_monitor.pdf import pdf_response, render_pdf

STEPS = {
    "take_up": services.take_up_variation,
    "decline": services.decline_variation,
    "submit": services.submit_variation,
    "approve": services.approve_variation,
    "return": services.return_variation,
    "accept": services.accept_variation,
    "reject": services.reject_variation,
    "withdraw": services.withdraw_variation,
}
# The steps whose person says why.
WITH_REASON = frozenset(REASON_LABELS)


def _periods(agreement):
    return ReportingPeriod.objects.filter(start_date__gte=agreement.start_date).order_by(
        "start_date"
    )


def _instalment_formset(request, agreement, variation=None):
    if variation is not None and variation.changes_instalments:
        planned = variation.instalments.all()
    else:
        planned = PaymentInstalment.objects.filter(
            agreement=agreement, status=InstalmentStatus.SCHEDULED
        ).order_by("sequence")
    initial = [
        {
            "due_date": row.due_date,
            "amount": row.amount,
            "depends_on_period": row.depends_on_period_id,
        }
        for row in planned
    ]
    return InstalmentFormSet(
        request.POST or None,
        initial=initial,
        prefix="instalments",
        form_kwargs={"periods": _periods(agreement)},
    )


def _years(agreement, variation=None) -> list[int]:
    """The financial years a new target may be for: the agreement's, and those an extension
    adds."""
    end = (variation.new_end_date if variation else None) or agreement.end_date
    first = periods.financial_year_of(agreement.start_date)
    return list(range(first, periods.financial_year_of(end) + 2))


def _budget_formset(request, agreement, variation=None):
    lines = [] if variation is None else variation.budget_lines.all()
    return VariationBudgetFormSet(
        request.POST or None,
        initial=[
            {
                "financial_year": line.financial_year,
                "heading": f"own:{line.own_heading_id}" if line.own_heading_id else line.heading,
                "label": line.label,
                "amount": line.amount,
            }
            for line in lines
        ],
        prefix="budget",
        headings=list(BudgetHeading.objects.filter(council_id=agreement.funder_id)),
        years=_years(agreement, variation),
    )


def _forms(request, agreement, variation=None):
    """The variation's form and the four formsets beside it: instalments, targets, new
    indicators and budget lines, each filled from the draft when there is one."""
    targets = [] if variation is None else variation.targets.all()
    added = [] if variation is None else variation.new_indicators.all()
    return (
        _instalment_formset(request, agreement, variation),
        TargetFormSet(
            request.POST or None,
            initial=[
                {
                    "indicator": t.indicator_id,
                    "financial_year": t.financial_year,
                    "target": t.target,
                    "profile": ", ".join(f"{q.normalize():f}" for q in t.profile)
                    if t.profile
                    else "",
                }
                for t in targets
            ],
            prefix="targets",
            form_kwargs={"agreement": agreement, "years": _years(agreement, variation)},
        ),
        NewIndicatorFormSet(
            request.POST or None,
            initial=[
                {
                    name: getattr(new, name)
                    for name in (
                        "code",
                        "wording",
                        "measure_type",
                        "target",
                        "target_period",
                        "unit",
                        "direction",
                    )
                }
                for new in added
            ],
            prefix="new",
        ),
        _budget_formset(request, agreement, variation),
    )


def _all_valid(form, formsets) -> bool:
    valid = form.is_valid()
    for formset in formsets:
        if not formset.is_valid():
            valid = False
    if form.is_bound and not valid and not form.errors:
        form.add_error(None, _("Correct the rows marked below."))
    return valid


def _save_variation(request, agreement, form, formsets, variation=None):
    """Save the draft from valid forms; None, with the errors on the forms, if refused."""
    instalments, targets, added, budget = formsets
    changes = services.IndicatorChanges(
        targets=target_rows(targets),
        retire=list(form.cleaned_data.get("retire_indicators") or []),
        added=new_indicator_rows(added),
    )
    terms = {k: v for k, v in form.terms().items() if k != "retire_indicators"}
    try:
        if variation is None:
            return services.draft_variation(
                agreement=agreement,
                by=request.user,
                terms=terms,
                instalments=instalment_rows(instalments),
                indicators=changes,
                budget_lines=budget.lines,
                once=form.cleaned_data.get("once"),
            )
        return services.update_variation(
            variation=variation,
            by=request.user,
            version=form.cleaned_data["version"],
            terms=terms,
            instalments=instalment_rows(instalments),
            indicators=changes,
            budget_lines=budget.lines,
        )
    except AlreadySent as error:
        messages.info(request, " ".join(error.messages))
        raise
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            # Errors about the rows of a formset show above its rows, and in the summary
            # through the form's field that turns them on (or its whole).
            for key, formset, field in (
                ("instalments", instalments, "changes_instalments"),
                ("targets", targets, None),
                ("new_indicators", added, None),
                ("budget_lines", budget, None),
            ):
                problems = error.error_dict.pop(key, None)
                if problems:
                    formset._non_form_errors = formset.error_class(
                        [message for e in problems for message in e.messages]
                    )
                    form.add_error(field, problems)
            if error.error_dict:
                form.add_error(None, error)
        else:
            form.add_error(None, error)
        return None


def _form_context(agreement, form, formsets, variation) -> dict:
    instalments, targets, added, budget = formsets
    return {
        "agreement": agreement,
        "form": form,
        "formset": instalments,
        "targets": targets,
        "added": added,
        "budget": budget,
        "budget_now": selectors.budget_terms(agreement),
        "variation": variation,
    }


@require_http_methods(["GET", "POST"])
def new_variation(request, pk):
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    if permissions.can_draft_variation(request.user, agreement):
        return _draft(request, agreement)
    if permissions.can_request_variation(request.user, agreement):
        return _request(request, agreement)
    raise PermissionDenied


def _draft(request, agreement):
    form = VariationForm(request.POST or None, agreement=agreement)
    formsets = _forms(request, agreement)
    if request.method == "POST" and _all_valid(form, formsets):
        try:
            variation = _save_variation(request, agreement, form, formsets)
        except AlreadySent:
            return redirect("grants:agreement_detail", pk=agreement.pk)
        if variation is not None:
            messages.success(
                request,
                _("Variation %(number)s was saved as a draft.") % {"number": variation.number},
            )
            return redirect("grants:variation_detail", pk=variation.pk)
    return render(
        request,
        "grants/variation_form.html",
        _form_context(agreement, form, formsets, None),
    )


def _request(request, agreement):
    form = VariationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            variation = services.request_variation(
                agreement=agreement,
                by=request.user,
                request=form.cleaned_data["request"],
                once=form.cleaned_data["once"],
            )
        except AlreadySent as error:
            messages.info(request, " ".join(error.messages))
            return redirect("grants:agreement_detail", pk=agreement.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your request was sent to the lead officer as variation %(number)s.")
                % {"number": variation.number},
            )
            return redirect("grants:variation_detail", pk=variation.pk)
    return render(request, "grants/variation_request.html", {"agreement": agreement, "form": form})


def _variation(request, pk):
    return selectors.variation_detail(
        get_object_or_404(permissions.visible_variations(request.user), pk=pk)
    )


@require_http_methods(["GET", "POST"])
def edit_variation(request, pk):
    variation = _variation(request, pk)
    agreement = variation.agreement
    if not permissions.may_take_variation_step(request.user, VARIATION.step("edit"), variation):
        raise PermissionDenied
    if not VARIATION.allows("edit", variation.status):
        messages.info(request, VARIATION.refusal("edit", variation.status, number=variation.number))
        return redirect("grants:variation_detail", pk=variation.pk)
    initial = {
        "reason": variation.reason,
        "takes_effect_from": variation.takes_effect_from_id,
        "past_approved_returns_acknowledged": variation.past_approved_returns_acknowledged,
        "new_end_date": variation.new_end_date,
        "new_total_allocation": variation.new_total_allocation,
        "new_lead_officer": variation.new_lead_officer_id,
        "new_reporting_frequency": variation.new_reporting_frequency,
        "changes_instalments": variation.changes_instalments,
        "version": variation.version,
    }
    initial["retire_indicators"] = list(variation.retire_indicators.all())
    form = VariationForm(request.POST or None, agreement=agreement, initial=initial, editing=True)
    formsets = _forms(request, agreement, variation)
    if request.method == "POST" and _all_valid(form, formsets):
        saved = _save_variation(request, agreement, form, formsets, variation)
        if saved is not None:
            messages.success(
                request, _("Variation %(number)s was saved.") % {"number": saved.number}
            )
            return redirect("grants:variation_detail", pk=saved.pk)
    return render(
        request,
        "grants/variation_form.html",
        _form_context(agreement, form, formsets, variation),
    )


def _detail(request, variation, failed=None, status=200):
    """The variation's page: what changes, its history, and a form for each step the user may
    take (`failed`: the step form sent back with its errors)."""
    steps = permissions.variation_steps_for(request.user, variation)
    forms = [
        failed
        if failed is not None and failed.step == step.name
        else VariationStepForm(step=step.name, initial={"version": variation.version})
        for step in steps
    ]
    return render(
        request,
        "grants/variation_detail.html",
        {
            "variation": variation,
            "agreement": variation.agreement,
            "changes": selectors.variation_changes(variation),
            "history": permissions.visible_variation_history(
                request.user, variation.transitions.all()
            ),
            "step_forms": list(zip(steps, forms, strict=True)),
            "form": failed or VariationStepForm(step="none"),
            "can_edit": permissions.can_edit_variation(request.user, variation),
            "budget_warnings": selectors.budget_warnings(variation)
            if permissions.can_draft_variation(request.user, variation.agreement)
            else [],
        },
        status=status,
    )


def variation_detail(request, pk):
    return _detail(request, _variation(request, pk))


@require_POST
def variation_step(request, pk, step):
    if step not in STEPS:
        raise Http404("No such step.")
    variation = _variation(request, pk)
    if not permissions.may_take_variation_step(request.user, VARIATION.step(step), variation):
        raise PermissionDenied
    form = VariationStepForm(request.POST, step=step)
    if not form.is_valid():
        if "version" in form.errors:
            messages.error(request, _("Reload the page and try again."))
            return redirect("grants:variation_detail", pk=variation.pk)
        return _detail(request, variation, failed=form, status=400)
    arguments = {
        "variation": variation,
        "by": request.user,
        "version": form.cleaned_data["version"],
    }
    if step in WITH_REASON:
        arguments["reason"] = form.cleaned_data["reason"]
    try:
        taken = STEPS[step](**arguments)
    except AlreadySent as error:
        messages.info(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        if hasattr(error, "error_dict") and set(error.error_dict) == {"reason"}:
            form.add_error("reason", error.error_dict["reason"])
            return _detail(request, variation, failed=form, status=400)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            VARIATION.step(step).done.format(
                number=taken.number, period=taken.takes_effect_from or ""
            ),
        )
    return redirect("grants:variation_detail", pk=variation.pk)


def variation_letter(request, pk):
    """The variation as a letter: what changes, why, from when, and who approved and accepted
    it."""
    variation = _variation(request, pk)
    pdf = render_pdf(
        "grants/pdf/variation_letter.html",
        {
            "variation": variation,
            "agreement": variation.agreement,
            "changes": selectors.variation_changes(variation),
            "history": permissions.visible_variation_history(
                request.user, variation.transitions.all()
            ),
        },
        request=request,
    )
    return pdf_response(pdf, f"{variation.agreement.reference}-variation-{variation.number}.pdf")


def agreement_terms(request, pk):
    """Two versions of the agreement's terms side by side: by default the first and the
    latest."""
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    versions = selectors.agreement_versions(agreement)
    numbers = [terms.number for terms in versions]

    def chosen(name, default):
        try:
            number = int(request.GET.get(name, default))
        except (TypeError, ValueError):
            return default
        return number if number in numbers else default

    rows, before, after = [], None, None
    if len(versions) >= 2:
        by_number = {terms.number: terms for terms in versions}
        before = by_number[chosen("from", numbers[0])]
        after = by_number[chosen("to", numbers[-1])]
        rows = selectors.compare_terms(before.terms, after.terms)
    return render(
        request,
        "grants/agreement_terms.html",
        {
            "agreement": agreement,
            "versions": versions,
            "before": before,
            "after": after,
            "rows": rows,
        },
    )
