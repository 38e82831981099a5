"""An agreement's page, year by year, its report for a year, and the page that changes it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from grants import permissions, reports, selectors, services
from grants.forms.agreements import AgreementEditForm
from grants.forms.budgets import BudgetLineFormSet, initial_lines
from grants.models import BudgetHeading
from grants.services.agreements import agreement_version, edit_field
from sla_monitor import periods, reporting, versions
from sla_monitor.charts import bar_and_target_chart


@require_GET
def agreement_detail(request, pk):
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    year = _chosen_year(request, agreement)
    # The year at a glance is the same for everyone who may read the agreement. Its key is read
    # before the year is: a write committed in between moves the version past this key, so the
    # year as it was is never kept under the version that follows the write.
    year_kept_as = versions.part_key(
        "agreement_year",
        versions=[versions.SITE, versions.agreement(agreement.pk)],
        vary=[year, timezone.localdate(), get_language()],
    )
    report = reports.agreement_year(agreement, year)
    payments = selectors.agreement_payments(agreement, timezone.localdate())
    thread, message_count = selectors.latest_agreement_messages(agreement)
    return render(
        request,
        "grants/agreement_detail.html",
        {
            "agreement": agreement,
            "report": report,
            "payments": payments,
            "instalment_rows": selectors.instalment_rows(
                request.user, report.instalments, payments.past_due
            ),
            "can_decide": permissions.can_decide_instalments(request.user, agreement),
            "sees_payments": permissions.sees_payments(request.user),
            "can_record_meeting": permissions.can_record_meeting(request.user, agreement),
            "can_edit": permissions.can_edit_agreement(request.user, agreement),
            "thread": thread,
            "message_count": message_count,
            "talk": permissions.can_converse(request.user, agreement),
            "variations": selectors.agreement_variations(
                agreement, permissions.visible_variations(request.user)
            ),
            "version_count": len(selectors.agreement_versions(agreement)),
            "can_draft_variation": permissions.can_draft_variation(request.user, agreement),
            "can_request_variation": permissions.can_request_variation(request.user, agreement),
            **_budget(agreement),
            **selectors.agreement_specification(agreement),
            "kept_for": versions.PART_TIMEOUT,
            "year_kept_as": year_kept_as,
        },
    )


def _budget(agreement) -> dict:
    """Each year's spend against its budget, as a chart and a table."""
    years = selectors.budget_years(agreement)
    chart = None
    if any(year.lines for year in years):
        chart = bar_and_target_chart(
            labels=[year.label for year in years],
            values=[year.spent_total for year in years],
            targets=[year.budget if year.lines else None for year in years],
            title=_("Spend to date against each year's budget, in pounds"),
            value_label=_("Spent to date"),
            target_label=_("Budget"),
        )
    return {"budget_years": years, "budget_chart": chart}


@require_http_methods(["GET", "POST"])
def agreement_budget(request, pk):
    """The lead officer sets the budget lines of one year of the agreement."""
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    if not permissions.can_edit_agreement(request.user, agreement):
        raise PermissionDenied
    years = selectors.budget_years(agreement)
    wanted = request.POST.get("year") or request.GET.get("year", "")
    year = next((y for y in years if str(y.financial_year) == wanted), None)
    if year is None:
        current = periods.financial_year_of(timezone.localdate())
        year = next((y for y in years if y.financial_year == current), years[0])
    headings = list(BudgetHeading.objects.filter(council_id=agreement.funder_id))
    if request.method == "POST":
        formset = BudgetLineFormSet(request.POST, headings=headings)
        if formset.is_valid():
            try:
                services.set_budget_lines(
                    agreement=agreement,
                    by=request.user,
                    version=request.POST.get("version", ""),
                    financial_year=year.financial_year,
                    lines=formset.lines,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(
                    f"{reverse('grants:agreement_budget', args=[agreement.pk])}"
                    f"?year={year.financial_year}"
                )
            messages.success(
                request,
                _("The %(year)s budget of %(reference)s was saved.")
                % {"year": year.label, "reference": agreement.reference},
            )
            return redirect(
                f"{reverse('grants:agreement_detail', args=[agreement.pk])}#budget-heading"
            )
    else:
        formset = BudgetLineFormSet(initial=initial_lines(year.lines), headings=headings)
    return render(
        request,
        "grants/agreement_budget.html",
        {
            "agreement": agreement,
            "years": years,
            "year": year,
            "formset": formset,
            "version": agreement_version(agreement),
        },
    )


def _chosen_year(request, agreement) -> int:
    years = reports.agreement_years(agreement)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year in years:
        return year
    # Else this year; or the year nearest it, the first of one not begun, the last of one ended.
    current = periods.financial_year_of(timezone.localdate())
    return min(max(current, years[0]), years[-1])


@require_GET
def agreement_year_pdf(request, pk, year):
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    if year not in reports.agreement_years(agreement):
        raise Http404("The agreement does not run in that year.")
    return reporting.deliver(request, "agreement_year", agreement.pk, f"year={year}")


@require_http_methods(["GET", "POST"])
def edit_agreement(request, pk):
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    if not permissions.can_edit_agreement(request.user, agreement):
        raise PermissionDenied
    parts = selectors.agreement_for_editing(agreement)
    # A posted form keeps the indicators and instalments it was opened with, so that one
    # answered or decided since is refused by the service rather than quietly left out.
    posted = request.POST
    form = AgreementEditForm(
        posted or None,
        agreement=agreement,
        indicators=[
            i
            for i in parts["indicators"]
            if i.editable or edit_field("indicator", i.pk, "wording") in posted
        ],
        instalments=[
            i
            for i in parts["instalments"]
            if i.editable or edit_field("instalment", i.pk, "amount") in posted
        ],
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_agreement(agreement=agreement, by=request.user, **form.changes())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("grants:edit_agreement", pk=agreement.pk)
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your changes to %(reference)s were saved.") % {"reference": agreement.reference},
            )
            return redirect("grants:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "grants/agreement_edit.html",
        {
            "agreement": agreement,
            "form": form,
            "indicator_rows": [(i, form.fields_of("indicator", i)) for i in parts["indicators"]],
            "instalment_rows": [
                (i, fields)
                for i in parts["instalments"]
                if (fields := form.fields_of("instalment", i))
            ],
            "decided_instalments": [
                i for i in parts["instalments"] if not form.fields_of("instalment", i)
            ],
        },
    )
