"""Views parse input, call a selector or a service, and render. They decide nothing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants import dashboard, periods, reports, selectors, services
from grants.forms import (
    DecisionForm,
    IndicatorAnswerForm,
    InstalmentDecisionForm,
    MeetingForm,
    RequirementAnswersForm,
    VersionedForm,
)
from grants.models import ReportingPeriod
from sla_monitor import access, exports, reporting
from sla_monitor.pagination import paginate

REVIEW_PAGE_SIZE = 50


def _visible_return(request, pk):
    return get_object_or_404(access.visible_returns(request.user), pk=pk)


def _refuse_unless_editable(request, quarterly_return):
    """A provider who follows a link to a return it can no longer change is told why."""
    if access.can_edit_return(request.user, quarterly_return):
        return None
    if access.is_provider(request.user):
        messages.info(
            request,
            f"This return is {quarterly_return.get_status_display().lower()}, so it can no "
            "longer be changed.",
        )
        return redirect("grants:return_detail", pk=quarterly_return.pk)
    raise PermissionDenied


@require_GET
def provider_dashboard(request):
    if not access.is_provider(request.user):
        raise PermissionDenied
    overviews = selectors.provider_overview(request.user, timezone.localdate())
    return render(request, "grants/provider_dashboard.html", {"overviews": overviews})


@require_POST
def start_return(request, agreement_pk, period_pk):
    agreement = get_object_or_404(access.visible_agreements(request.user), pk=agreement_pk)
    period = get_object_or_404(ReportingPeriod, pk=period_pk)
    quarterly_return = services.start_return(agreement=agreement, period=period, by=request.user)
    return redirect("grants:return_detail", pk=quarterly_return.pk)


@require_http_methods(["GET", "POST"])
def return_detail(request, pk):
    quarterly_return = _visible_return(request, pk)
    if access.can_edit_return(request.user, quarterly_return):
        detail = _shown_detail(quarterly_return)
        return render(
            request,
            "grants/return_task_list.html",
            {"qr": quarterly_return, "detail": detail, "last_decision": _last_decision(detail)},
        )
    return _review_page(request, quarterly_return)


def _shown_detail(quarterly_return):
    return selectors.return_detail(quarterly_return, with_history=True)


def _last_decision(detail):
    decisions = [t for t in detail.transitions if t.to_status == "changes_requested"]
    return decisions[-1] if decisions else None


def _review_page(request, quarterly_return, *, form=None, status=200):
    detail = _shown_detail(quarterly_return)
    can_review = access.can_review_return(request.user, quarterly_return)
    if can_review and form is None:
        form = DecisionForm(detail=detail, initial={"version": quarterly_return.version})
    return render(
        request,
        "grants/return_detail.html",
        {
            "qr": quarterly_return,
            "detail": detail,
            "form": form if can_review else None,
            "last_decision": _last_decision(detail),
        },
        status=status,
    )


@require_POST
def decide_return(request, pk):
    quarterly_return = _visible_return(request, pk)
    detail = selectors.return_detail(quarterly_return)
    form = DecisionForm(request.POST, detail=detail)
    if not form.is_valid():
        if not access.can_review_return(request.user, quarterly_return):
            raise PermissionDenied
        return _review_page(request, quarterly_return, form=form)
    data = form.cleaned_data
    try:
        if data["decision"] == DecisionForm.APPROVE:
            services.approve_return(
                quarterly_return=quarterly_return,
                by=request.user,
                comment=data["comment"],
                expected_version=data["version"],
            )
            messages.success(request, f"You approved the {quarterly_return.period} return.")
        else:
            services.request_changes(
                quarterly_return=quarterly_return,
                by=request.user,
                comment=data["comment"],
                flags=form.flags,
                expected_version=data["version"],
            )
            messages.success(
                request, f"You sent the {quarterly_return.period} return back for changes."
            )
    except (services.StaleReturnError, services.ReturnStateError) as error:
        messages.error(request, " ".join(error.messages))
    return redirect("grants:return_detail", pk=quarterly_return.pk)


@require_http_methods(["GET", "POST"])
def indicator_answer(request, pk, indicator_pk):
    quarterly_return = _visible_return(request, pk)
    indicator = get_object_or_404(quarterly_return.agreement.indicators, pk=indicator_pk)
    refusal = _refuse_unless_editable(request, quarterly_return)
    if refusal:
        return refusal
    detail = selectors.return_detail(quarterly_return)
    row = next(r for r in detail.indicator_rows if r.indicator.pk == indicator.pk)
    if request.method == "POST":
        form = IndicatorAnswerForm(request.POST, request.FILES, indicator=indicator)
        if form.is_valid():
            try:
                services.save_indicator_answer(
                    quarterly_return=quarterly_return,
                    indicator=indicator,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    evidence=[form.cleaned_data["evidence"]]
                    if form.cleaned_data["evidence"]
                    else [],
                    **form.answer_values,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Indicator {indicator.code} saved.")
                return redirect(_next_section(request, quarterly_return, detail, row))
    else:
        form = IndicatorAnswerForm(
            indicator=indicator,
            initial=IndicatorAnswerForm.initial_for(row.answer, quarterly_return.version),
        )
    return render(
        request,
        "grants/indicator_answer_form.html",
        {"qr": quarterly_return, "row": row, "form": form, "detail": detail},
    )


def _next_section(request, quarterly_return, detail, row) -> str:
    task_list = reverse("grants:return_detail", args=[quarterly_return.pk])
    if "save_draft" in request.POST:
        return task_list
    rows = detail.indicator_rows
    position = next(i for i, r in enumerate(rows) if r.indicator.pk == row.indicator.pk)
    if position + 1 < len(rows):
        return reverse(
            "grants:indicator_answer", args=[quarterly_return.pk, rows[position + 1].indicator.pk]
        )
    return reverse("grants:requirement_answers", args=[quarterly_return.pk])


@require_http_methods(["GET", "POST"])
def requirement_answers(request, pk):
    quarterly_return = _visible_return(request, pk)
    refusal = _refuse_unless_editable(request, quarterly_return)
    if refusal:
        return refusal
    detail = selectors.return_detail(quarterly_return)
    if request.method == "POST":
        form = RequirementAnswersForm(request.POST, detail=detail)
        if form.is_valid():
            try:
                services.save_requirement_answers(
                    quarterly_return=quarterly_return,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    answers=form.answers,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Minimum requirements saved.")
                if "save_draft" in request.POST:
                    return redirect("grants:return_detail", pk=quarterly_return.pk)
                return redirect("grants:check_answers", pk=quarterly_return.pk)
    else:
        form = RequirementAnswersForm(detail=detail, initial={"version": quarterly_return.version})
    return render(
        request,
        "grants/requirement_answers_form.html",
        {"qr": quarterly_return, "form": form, "detail": detail},
    )


@require_http_methods(["GET", "POST"])
def check_answers(request, pk):
    quarterly_return = _visible_return(request, pk)
    refusal = _refuse_unless_editable(request, quarterly_return)
    if refusal:
        return refusal
    problems = []
    if request.method == "POST":
        form = VersionedForm(request.POST)
        try:
            if not form.is_valid():
                raise services.StaleReturnError("Reload the page and submit again.")
            services.submit_return(
                quarterly_return=quarterly_return,
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except services.IncompleteReturnError as error:
            problems = error.problems
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("grants:check_answers", pk=quarterly_return.pk)
        else:
            messages.success(
                request,
                f"Your {quarterly_return.period} return was submitted. The lead officer will "
                "review it.",
            )
            return redirect("grants:return_detail", pk=quarterly_return.pk)
    detail = selectors.return_detail(quarterly_return)
    return render(
        request,
        "grants/return_check.html",
        {
            "qr": quarterly_return,
            "detail": detail,
            "problems": problems,
            "version": quarterly_return.version,
        },
        status=200,
    )


@require_GET
def evidence_download(request, pk, evidence_pk):
    evidence = get_object_or_404(
        access.visible_evidence(request.user), pk=evidence_pk, quarterly_return_id=pk
    )
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@require_POST
def evidence_remove(request, pk, evidence_pk):
    evidence = get_object_or_404(
        access.visible_evidence(request.user), pk=evidence_pk, quarterly_return_id=pk
    )
    form = VersionedForm(request.POST)
    try:
        services.remove_evidence(
            evidence=evidence,
            by=request.user,
            expected_version=form.cleaned_data["version"] if form.is_valid() else -1,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{evidence.original_name}” was removed.")
    back = request.POST.get("next", "")
    if back.startswith("/returns/"):
        return redirect(back)
    return redirect("grants:return_detail", pk=pk)


@require_GET
def review_queue(request):
    if not access.is_lead_officer(request.user):
        raise PermissionDenied
    return render(request, "grants/review_queue.html", _review_queue_listing(request))


def _review_queue_listing(request) -> dict:
    filterset, queue, status_counts = selectors.review_queue(request.user, request.GET or None)
    pages = paginate(request, queue, REVIEW_PAGE_SIZE)
    return {
        "filter": filterset,
        "returns": pages["page_obj"].object_list,
        **pages,
        "status_counts": status_counts,
        "export_links": exports.export_links(request, "grants:review_queue_export"),
    }


# Reports and exports -------------------------------------------------------------------------

RETURN_EXPORT_HEADERS = [
    "Due date",
    "Quarter",
    "Agreement",
    "Agreement title",
    "Provider",
    "Fund",
    "Status",
    "Submitted at",
    "Decided at",
]
RESULT_EXPORT_HEADERS = [
    "Quarter",
    "Agreement",
    "Provider",
    "Indicator",
    "Wording",
    "Measure",
    "Target",
    "Target period",
    "Target to date",
    "Actual",
    "Achieved",
    "Year to date",
    "RAG",
    "Narrative",
    "Return status",
]


@require_GET
def review_queue_export(request, fmt):
    if not access.is_lead_officer(request.user):
        raise PermissionDenied
    _, queue, _ = selectors.review_queue(request.user, request.GET or None)
    rows = (
        [
            qr.period.due_date,
            str(qr.period),
            qr.agreement.reference,
            qr.agreement.title,
            qr.agreement.provider.name,
            qr.agreement.fund.name if qr.agreement.fund else "",
            qr.get_status_display(),
            _local(qr.submitted_at),
            _local(qr.decided_at),
        ]
        for qr in queue
    )
    return exports.table_response(
        fmt=fmt, filename="returns", headers=RETURN_EXPORT_HEADERS, rows=rows, sheet="Returns"
    )


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@require_GET
def indicator_results(request):
    if not access.sees_grants(request.user):
        raise PermissionDenied
    filterset, rows = selectors.indicator_results(request.user, request.GET or None)
    return render(
        request,
        "grants/indicator_results.html",
        {
            "filter": filterset,
            "rows": rows,
            "export_links": exports.export_links(request, "grants:indicator_results_export"),
        },
    )


@require_GET
def indicator_results_export(request, fmt):
    if not access.sees_grants(request.user):
        raise PermissionDenied
    _, rows = selectors.indicator_results(request.user, request.GET or None)
    return exports.table_response(
        fmt=fmt,
        filename="indicator-results",
        headers=RESULT_EXPORT_HEADERS,
        rows=(_result_cells(row) for row in rows),
        sheet="Indicator results",
    )


def _result_cells(row) -> list:
    answer = row.answer
    indicator, qr = answer.indicator, answer.quarterly_return
    rag = row.rag
    return [
        str(qr.period),
        qr.agreement.reference,
        qr.agreement.provider.name,
        indicator.code,
        indicator.wording,
        indicator.get_measure_type_display(),
        indicator.target,
        indicator.get_target_period_display(),
        row.target_to_date,
        answer.actual_value,
        {True: "Yes", False: "No"}.get(answer.achieved, ""),
        row.year_to_date,
        rag.label if rag else "",
        answer.narrative,
        qr.get_status_display(),
    ]


@require_GET
def return_pdf(request, pk):
    quarterly_return = _visible_return(request, pk)
    return reporting.deliver(request, "return", quarterly_return.pk)


@require_GET
def agreement_detail(request, pk):
    agreement = get_object_or_404(access.visible_agreements(request.user), pk=pk)
    year = _chosen_year(request, agreement)
    report = reports.agreement_year(agreement, year)
    can_decide = access.can_record_meeting(request.user, agreement)
    if can_decide:
        for instalment in report.instalments:
            instalment.blocker = services.release_blocker(instalment)
    return render(
        request,
        "grants/agreement_detail.html",
        {
            "agreement": agreement,
            "report": report,
            "can_decide": can_decide,
            **selectors.agreement_specification(agreement),
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
    current = periods.financial_year_of(timezone.localdate())
    return current if current in years else years[-1]


@require_GET
def agreement_year_pdf(request, pk, year):
    agreement = get_object_or_404(access.visible_agreements(request.user), pk=pk)
    if year not in reports.agreement_years(agreement):
        raise Http404("The agreement does not run in that year.")
    return reporting.deliver(request, "agreement_year", agreement.pk, f"year={year}")


# Oversight -----------------------------------------------------------------------------------


@require_GET
def council_dashboard(request):
    if not access.oversees_grants(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    period = dashboard.chosen_period(request.GET.get("period", ""), today)
    if period is None:
        return render(request, "grants/council_dashboard.html", {"dashboard": None})
    figures = dashboard.council_dashboard(request.user, period, today)
    return render(request, "grants/council_dashboard.html", {"dashboard": figures})


@require_POST
def decide_instalment(request, pk, instalment_pk):
    agreement = get_object_or_404(access.visible_agreements(request.user), pk=pk)
    instalment = get_object_or_404(agreement.instalments, pk=instalment_pk)
    form = InstalmentDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to release or withhold the instalment.")
        return redirect("grants:agreement_detail", pk=agreement.pk)
    try:
        if form.cleaned_data["decision"] == InstalmentDecisionForm.RELEASE:
            services.release_instalment(
                instalment=instalment, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, f"Instalment {instalment.sequence} released.")
        else:
            services.withhold_instalment(
                instalment=instalment, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, f"Instalment {instalment.sequence} withheld.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    year = instalment.financial_year
    return redirect(
        reverse("grants:agreement_detail", args=[agreement.pk]) + f"?year={year}#payments-heading"
    )


@require_http_methods(["GET", "POST"])
def record_meeting(request, pk):
    agreement = get_object_or_404(access.visible_agreements(request.user), pk=pk)
    if not access.can_record_meeting(request.user, agreement):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        meeting = services.record_meeting(agreement=agreement, by=request.user, **form.cleaned_data)
        messages.success(request, f"The meeting of {meeting.held_on:%d %B %Y} was recorded.")
        return redirect("grants:agreement_detail", pk=agreement.pk)
    return render(request, "grants/meeting_form.html", {"agreement": agreement, "form": form})


@require_GET
def fund_list(request):
    if not access.oversees_grants(request.user):
        raise PermissionDenied
    funds = selectors.funds_with_totals(request.user).order_by("-start_date", "name")
    return render(request, "grants/fund_list.html", {"funds": funds})


@require_GET
def fund_detail(request, pk):
    if not access.oversees_grants(request.user):
        raise PermissionDenied
    fund = get_object_or_404(selectors.funds_with_totals(request.user), pk=pk)
    agreements = selectors.fund_awards(fund)
    return render(
        request,
        "grants/fund_detail.html",
        {"fund": fund, "agreements": agreements, "themes": fund.themes.all()},
    )
