"""Views parse input, call a selector or a service, and render. They decide nothing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from equality_plans import importing, permissions, selectors, services
from equality_plans.assessments import selectors as assessment_selectors
from equality_plans.forms import (
    ImportForm,
    PopulationProfileForm,
    ProgressCorrectionForm,
    ProgressForm,
)
from sla_monitor import equality, exports, reporting, versions
from sla_monitor.forms import ImportConfirmForm
from sla_monitor.imports import pages as import_pages
from sla_monitor.pagination import paginate
from sla_monitor.periods import financial_year_label, financial_years

PLAN_PAGE_SIZE = 25


def _visible_plan(request, pk):
    if not permissions.reads_plans(request.user):
        raise PermissionDenied
    plan = permissions.visible_plan(request.user, pk)
    if plan is None:
        raise Http404(gettext("No such plan."))
    return plan


@require_GET
def plan_list(request):
    if not permissions.reads_plans(request.user):
        raise PermissionDenied
    plans = selectors.plans_with_counts(request.user).order_by("-start_date", "title")
    return render(request, "equality_plans/plan_list.html", {"plans": plans})


@require_GET
def plan_detail(request, pk):
    plan = _visible_plan(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "equality_plans/plan_detail.html",
        {
            "plan": plan,
            "listing": _kept_listing(request, plan, today),
            "pdf_query": request.GET.urlencode(),
            "can_import": permissions.can_import_plan(request.user, plan),
            "owner_report": permissions.speaks_for_owner(request.user, plan),
        },
    )


def _kept_listing(request, plan, today) -> str:
    """The plan's RAG counts, filters, page of actions and indicators: the same for everyone
    who may read the plan, so drawn once for each filter and page until a write moves the
    plan's version (or the day or the language changes)."""

    def draw() -> str:
        return render_to_string(
            "equality_plans/_plan_listing.html",
            _plan_listing(request, plan, today),
            request=request,
        )

    return versions.kept(
        "plan",
        versions=[versions.SITE, versions.plan(plan.pk)],
        # The path too: the filters' "Clear" link is the address the page was asked for.
        vary=[request.path, sorted(request.GET.lists()), today, get_language()],
        draw=draw,
    )


def _plan_listing(request, plan, today) -> dict:
    filterset, actions = selectors.filtered_actions(
        plan, request.GET or None, today, materialise=False, listed_only=True
    )
    pages = paginate(request, actions, PLAN_PAGE_SIZE)
    return {
        "plan": plan,
        "filter": filterset,
        "actions": pages["page_obj"].object_list,
        **pages,
        "summary": selectors.rag_summary(actions),
        "export_links": exports.export_links(request, "equality_plans:actions_export", plan.pk),
        "indicators": selectors.plan_indicators(plan),
    }


@require_GET
def actions_export(request, pk, fmt):
    plan = _visible_plan(request, pk)
    _, actions = selectors.filtered_actions(plan, request.GET or None, timezone.localdate())
    return exports.table_response(
        fmt=fmt,
        filename=f"plan-{plan.pk}-actions",
        headers=selectors.action_export_headers(plan),
        rows=selectors.action_export_rows(plan, actions),
        sheet=gettext("Actions"),
    )


@require_GET
def plan_pdf(request, pk):
    plan = _visible_plan(request, pk)
    return reporting.deliver(request, "plan_progress", plan.pk, request.GET.urlencode())


@require_http_methods(["GET", "POST"])
def action_detail(request, pk, action_pk):
    plan = _visible_plan(request, pk)
    action = get_object_or_404(
        selectors.plan_actions(plan, timezone.localdate())
        .select_related("plan__owner")
        .prefetch_related("partner_authorities"),
        pk=action_pk,
    )
    can_update = permissions.can_update_action(request.user, action)
    form = None
    if can_update:
        form = ProgressForm(request.POST or None, plan=plan)
        if request.method == "POST" and form.is_valid():
            year, quarter = form.financial_year_and_quarter
            try:
                update = services.record_progress(
                    action=action,
                    by=request.user,
                    financial_year=year,
                    quarter=quarter,
                    rag_status=form.cleaned_data["rag_status"],
                    narrative=form.cleaned_data["narrative"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    gettext("Progress for %(period)s recorded.") % {"period": update.period_label},
                )
                return redirect("equality_plans:action_detail", pk=plan.pk, action_pk=action.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "equality_plans/action_detail.html",
        {
            "plan": plan,
            "action": action,
            "form": form,
            **selectors.action_detail(action, request.user, timezone.localdate()),
            "assessments": assessment_selectors.action_assessments(action, request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def progress_correct(request, pk, action_pk, update_pk):
    """Its author corrects an update while the quarter it was written in lasts."""
    plan = _visible_plan(request, pk)
    action = get_object_or_404(plan.actions.all(), pk=action_pk)
    update = get_object_or_404(action.progress_updates.select_related("author"), pk=update_pk)
    if not permissions.can_correct_progress(request.user, update):
        raise PermissionDenied
    back = redirect("equality_plans:action_detail", pk=plan.pk, action_pk=action.pk)
    if not update.is_correctable(timezone.localdate()):
        messages.error(request, services.correction_closed_message(update))
        return back
    form = ProgressCorrectionForm(
        request.POST or None,
        initial={"rag_status": update.rag_status, "narrative": update.narrative},
    )
    if request.method == "POST" and form.is_valid():
        try:
            corrected = services.correct_progress(
                update=update,
                by=request.user,
                rag_status=form.cleaned_data["rag_status"],
                narrative=form.cleaned_data["narrative"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if corrected.corrected_at == update.corrected_at:
                messages.info(
                    request,
                    gettext("The %(period)s update was left as it was.")
                    % {"period": update.period_label},
                )
            else:
                messages.success(
                    request,
                    gettext("The %(period)s update was corrected.")
                    % {"period": update.period_label},
                )
            return back
    return render(
        request,
        "equality_plans/progress_correct.html",
        {"plan": plan, "action": action, "update": update, "form": form},
    )


@require_GET
def strand_coverage(request, pk):
    plan = _visible_plan(request, pk)
    coverage, delivered = selectors.coverage_with_reach(plan, request.user)
    years = financial_years(plan.start_date, plan.end_date)
    return render(
        request,
        "equality_plans/strand_coverage.html",
        {
            "plan": plan,
            "coverage": coverage,
            "delivered": delivered,
            "assessments": assessment_selectors.assessments_signed_off_within(
                plan.owner,
                years[0],
                years[-1],
                among=permissions.visible_assessments(request.user),
            ),
            "first_year": financial_year_label(years[0]),
            "last_year": financial_year_label(years[-1]),
            "owner_report": permissions.speaks_for_owner(request.user, plan),
        },
    )


def _importable_plan(request, pk):
    plan = _visible_plan(request, pk)
    if not permissions.can_import_plan(request.user, plan):
        raise PermissionDenied
    return plan


@require_http_methods(["GET", "POST"])
def plan_import(request, pk):
    """Upload a spreadsheet and see what importing it would do; nothing changes yet."""
    plan = _importable_plan(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = batch = None
    if request.method == "POST" and form.is_valid():
        preview, batch = services.check_import(
            plan=plan, file_name=form.cleaned_data["file"].name, table=form.table, by=request.user
        )
    return render(
        request,
        "equality_plans/plan_import.html",
        {
            "plan": plan,
            "form": form,
            "preview": preview,
            "batch": batch,
            "confirm": ImportConfirmForm(initial={"batch": batch.pk}) if batch else None,
            "file_name": form.cleaned_data["file"].name if preview else "",
            "sample": importing.SAMPLE_NAME,
        },
    )


@require_POST
def plan_import_confirm(request, pk):
    plan = _importable_plan(request, pk)
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("There is no checked file to import: upload it again."))
        return redirect("equality_plans:plan_import", pk=plan.pk)
    try:
        batch = services.import_actions(
            plan=plan,
            batch_id=form.cleaned_data["batch"],
            by=request.user,
            blank_fields=form.cleaned_data["blank_fields"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("equality_plans:plan_import", pk=plan.pk)
    counts = batch.counts
    messages.success(
        request,
        ngettext(
            "Imported “%(file)s”: %(created)s action added, %(updated)s updated, "
            "%(unchanged)s unchanged. You can undo it from the plan's import history.",
            "Imported “%(file)s”: %(created)s actions added, %(updated)s updated, "
            "%(unchanged)s unchanged. You can undo it from the plan's import history.",
            counts["created"],
        )
        % {
            "file": batch.file_name,
            "created": counts["created"],
            "updated": counts["updated"],
            "unchanged": counts["unchanged"],
        },
    )
    return redirect("equality_plans:plan_detail", pk=plan.pk)


@require_GET
def plan_imports(request, pk):
    plan = _importable_plan(request, pk)
    return render(
        request,
        "equality_plans/plan_imports.html",
        {"plan": plan, "target_name": plan.title, "batches": selectors.import_history(plan)},
    )


@require_http_methods(["GET", "POST"])
def plan_import_undo(request, pk, batch_pk):
    """What undoing an import would do, asked before it is done; posted, it is undone."""
    plan = _importable_plan(request, pk)
    batch = get_object_or_404(selectors.import_history(plan), pk=batch_pk)
    history = reverse("equality_plans:plan_imports", args=[plan.pk])
    return import_pages.undo_page(
        request,
        batch=batch,
        target_name=plan.title,
        history_url=history,
        undo=lambda: services.undo_import(plan=plan, batch=batch, by=request.user),
    )


@require_GET
def import_sample(request):
    if not permissions.reads_plans(request.user):
        raise PermissionDenied
    return FileResponse(
        importing.SAMPLE.open("rb"), as_attachment=True, filename=importing.SAMPLE_NAME
    )


@require_http_methods(["GET", "POST"])
def population_profile(request, council_pk):
    """A council's administrator records the area's population (a superuser, any council's)."""
    if not permissions.records_population(request.user):
        raise PermissionDenied
    council = get_object_or_404(permissions.population_councils(request.user), pk=council_pk)
    profile, shares = selectors.population_of(request.user, council)
    form = PopulationProfileForm(request.POST or None, profile=profile, shares=shares)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_population(
                council=council,
                by=request.user,
                area=form.cleaned_data["area"],
                source=form.cleaned_data["source"],
                year=form.cleaned_data["year"],
                under_reach_tolerance=form.cleaned_data["under_reach_tolerance"],
                notes=form.cleaned_data["notes"],
                shares=form.shares,
            )
        except ValidationError as error:
            _add_population_errors(form, error)
        else:
            messages.success(
                request,
                gettext("%(council)s's area's population is recorded.") % {"council": council.name},
            )
            return redirect("equality_plans:population_profile", council_pk=council.pk)
    return render(
        request,
        "equality_plans/population_profile.html",
        {"council": council, "profile": profile, "form": form},
    )


def _add_population_errors(form: PopulationProfileForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.message_dict.items():
        if key in equality.BY_CODE:
            form.characteristic_errors[key] = errors
            form.add_error(None, errors)
        elif key in form.fields:
            form.add_error(key, errors)
        else:
            form.add_error(None, errors)
