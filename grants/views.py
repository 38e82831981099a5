"""Views parse input, call a selector or a service, and render. They decide nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants import beneficiaries, permissions, publishing, reports, selectors, services
from grants.demo import sample_workbook
from grants.forms.beneficiaries import BeneficiaryFiguresForm
from grants.forms.diversity import DiversityForm
from grants.forms.imports import AgreementImportForm
from grants.forms.meetings import MeetingDetailsForm, MeetingForm
from grants.forms.payments import ReleaseForm, WithholdForm
from grants.forms.publication import PublishForm
from grants.forms.returns import (
    DecisionForm,
    IndicatorAnswerForm,
    RequirementAnswersForm,
    VersionedForm,
)
from grants.lifecycle import INSTALMENT, RETURN
from grants.models import MonitoringMeeting, ReportingPeriod
from sla_monitor import exports, periods, reporting, roles
from sla_monitor.forms import ImportConfirmForm
from sla_monitor.once import AlreadySent
from sla_monitor.pagination import paginate

REVIEW_PAGE_SIZE = 50


def _visible_return(request, pk):
    return get_object_or_404(permissions.visible_returns(request.user), pk=pk)


def _refuse_unless_editable(request, quarterly_return):
    """A provider who follows a link to a return it can no longer change is told why."""
    if permissions.can_edit_return(request.user, quarterly_return):
        return None
    if permissions.may_take(request.user, RETURN.step("edit"), quarterly_return):
        messages.info(request, RETURN.refusal("edit", quarterly_return.status))
        return redirect("grants:return_detail", pk=quarterly_return.pk)
    raise PermissionDenied


@require_GET
def provider_dashboard(request):
    if not roles.is_provider(request.user):
        raise PermissionDenied
    overviews = selectors.provider_overview(request.user, timezone.localdate())
    return render(request, "grants/provider_dashboard.html", {"overviews": overviews})


@require_POST
def start_return(request, agreement_pk, period_pk):
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=agreement_pk)
    period = get_object_or_404(ReportingPeriod, pk=period_pk)
    try:
        quarterly_return = services.start_return(
            agreement=agreement, period=period, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("grants:provider_dashboard")
    return redirect("grants:return_detail", pk=quarterly_return.pk)


@require_http_methods(["GET", "POST"])
def return_detail(request, pk):
    quarterly_return = _visible_return(request, pk)
    if permissions.can_edit_return(request.user, quarterly_return):
        detail = selectors.return_detail(quarterly_return, with_history=True)
        return render(
            request,
            "grants/return_task_list.html",
            {"qr": quarterly_return, "detail": detail, "last_decision": _last_decision(detail)},
        )
    return _review_page(request, quarterly_return)


def _last_decision(detail):
    sent_back = RETURN.step("request_changes").target
    decisions = [t for t in detail.transitions if t.to_status == sent_back]
    return decisions[-1] if decisions else None


def _review_page(request, quarterly_return, *, form=None, status=200):
    detail = selectors.return_detail(quarterly_return, with_history=True)
    can_decide = bool(permissions.steps_for(request.user, quarterly_return))
    if can_decide and form is None:
        form = DecisionForm(detail=detail, initial={"version": quarterly_return.version})
    return render(
        request,
        "grants/return_detail.html",
        {
            "qr": quarterly_return,
            "detail": detail,
            "form": form if can_decide else None,
            "flags": form.flag_controls if can_decide else {},
            "last_decision": _last_decision(detail),
            "beneficiaries": selectors.beneficiaries_shown(request.user, detail),
        },
        status=status,
    )


@require_POST
def decide_return(request, pk):
    quarterly_return = _visible_return(request, pk)
    detail = selectors.return_detail(quarterly_return)
    form = DecisionForm(request.POST, detail=detail)
    if not form.is_valid():
        if not permissions.steps_for(request.user, quarterly_return):
            decider = RETURN.step("approve")
            if not permissions.acts_for(request.user, decider.actor, quarterly_return.agreement):
                raise PermissionDenied
            # The return's deciders, told it was decided since the page was opened.
            messages.error(request, RETURN.refusal(decider.name, quarterly_return.status, by=""))
            return redirect("grants:return_detail", pk=quarterly_return.pk)
        return _review_page(request, quarterly_return, form=form)
    data = form.cleaned_data
    step = RETURN.step(data["decision"])
    try:
        if step.name == "approve":
            services.approve_return(
                quarterly_return=quarterly_return,
                by=request.user,
                comment=data["comment"],
                expected_version=data["version"],
            )
        else:
            services.request_changes(
                quarterly_return=quarterly_return,
                by=request.user,
                comment=data["comment"],
                flags=form.flags,
                expected_version=data["version"],
            )
    except (services.StaleReturnError, services.ReturnStateError) as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, step.done.format(period=quarterly_return.period))
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
    if row.achieved_earlier:
        messages.info(
            request,
            f"Indicator {indicator.code} was achieved in {row.achieved_earlier.period}, so this "
            "return does not ask it again.",
        )
        return redirect("grants:return_detail", pk=quarterly_return.pk)
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
                saved = RETURN.step("edit").done.format(section=f"Indicator {indicator.code}")
                messages.success(request, saved)
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
    rows = detail.rows_to_answer
    position = next(i for i, r in enumerate(rows) if r.indicator.pk == row.indicator.pk)
    if position + 1 < len(rows):
        return reverse(
            "grants:indicator_answer", args=[quarterly_return.pk, rows[position + 1].indicator.pk]
        )
    return reverse("grants:requirement_answers", args=[quarterly_return.pk])


def _saved(request, quarterly_return, section: str, onward: str):
    """Says the section was saved, then goes back to the task list ("Save as draft") or on to
    the page named `onward`."""
    messages.success(request, RETURN.step("edit").done.format(section=section))
    if "save_draft" in request.POST:
        return redirect("grants:return_detail", pk=quarterly_return.pk)
    return redirect(f"grants:{onward}", pk=quarterly_return.pk)


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
                onward = "check_answers" if detail.beneficiaries is None else "beneficiary_figures"
                return _saved(request, quarterly_return, "Minimum requirements", onward)
    else:
        form = RequirementAnswersForm(detail=detail, initial={"version": quarterly_return.version})
    return render(
        request,
        "grants/requirement_answers_form.html",
        {"qr": quarterly_return, "form": form, "detail": detail},
    )


@require_http_methods(["GET", "POST"])
def beneficiary_figures(request, pk):
    """The people the service worked with in the quarter, by protected characteristic."""
    quarterly_return = _visible_return(request, pk)
    if not quarterly_return.agreement.requires_beneficiary_figures:
        raise Http404("This return does not ask for the people the service worked with.")
    refusal = _refuse_unless_editable(request, quarterly_return)
    if refusal:
        return refusal
    section = selectors.beneficiary_section(quarterly_return)
    if request.method == "POST":
        form = BeneficiaryFiguresForm(request.POST, section=section)
        if form.is_valid():
            try:
                services.save_beneficiary_figures(
                    quarterly_return=quarterly_return,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.values,
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                return _saved(request, quarterly_return, beneficiaries.SECTION, "check_answers")
    else:
        form = BeneficiaryFiguresForm(
            section=section, initial={"version": quarterly_return.version}
        )
    return render(
        request,
        "grants/beneficiary_figures_form.html",
        {"qr": quarterly_return, "form": form, "section": section},
    )


def _problem_link(quarterly_return, problem) -> str:
    """Where the provider gives a missing answer: its section, at the field's first input."""
    if problem.key == services.BENEFICIARIES:
        section = reverse("grants:beneficiary_figures", args=[quarterly_return.pk])
        return f"{section}#id_{problem.field}"
    if problem.indicator_id:
        section = reverse(
            "grants:indicator_answer", args=[quarterly_return.pk, problem.indicator_id]
        )
        field = "id_achieved_0" if problem.field == "achieved" else f"id_{problem.field}"
    else:
        section = reverse("grants:requirement_answers", args=[quarterly_return.pk])
        suffix = "_0" if problem.field == "met" else ""
        field = f"id_{problem.field}_{problem.requirement_id}{suffix}"
    return f"{section}#{field}"


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
            problems = [(p.message, _problem_link(quarterly_return, p)) for p in error.problems]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("grants:check_answers", pk=quarterly_return.pk)
        else:
            return redirect("grants:return_submitted", pk=quarterly_return.pk)
    detail = selectors.return_detail(quarterly_return)
    return render(
        request,
        "grants/return_check.html",
        {
            "qr": quarterly_return,
            "detail": detail,
            "problems": problems,
            "version": quarterly_return.version,
            "beneficiaries": selectors.beneficiaries_shown(request.user, detail),
        },
    )


@require_GET
def return_submitted(request, pk):
    """The confirmation a provider sees once its return is submitted: what happens next."""
    quarterly_return = _visible_return(request, pk)
    if not roles.is_provider(request.user):
        raise PermissionDenied
    if quarterly_return.status != RETURN.step("submit").target:
        return redirect("grants:return_detail", pk=quarterly_return.pk)
    return render(
        request,
        "grants/return_submitted.html",
        {
            "qr": quarterly_return,
            "instalments": selectors.instalments_waiting_on(quarterly_return),
        },
    )


@require_GET
def return_submission(request, pk, number):
    """One earlier submission of the return, read only, as its answers were submitted."""
    quarterly_return = _visible_return(request, pk)
    detail = selectors.submission_detail(quarterly_return, number)
    if detail is None:
        raise Http404("The return has no such submission.")
    return render(
        request, "grants/return_submission.html", {"qr": quarterly_return, "detail": detail}
    )


@require_GET
def evidence_download(request, pk, evidence_pk):
    evidence = get_object_or_404(
        permissions.visible_evidence(request.user), pk=evidence_pk, quarterly_return_id=pk
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
        permissions.visible_evidence(request.user), pk=evidence_pk, quarterly_return_id=pk
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
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("grants:return_detail", pk=pk)


@require_GET
def review_queue(request):
    if not roles.is_lead_officer(request.user):
        raise PermissionDenied
    filterset, queue, status_counts = selectors.review_queue(
        request.user, request.GET or None, timezone.localdate()
    )
    pages = paginate(request, queue, REVIEW_PAGE_SIZE)
    return render(
        request,
        "grants/review_queue.html",
        {
            "filter": filterset,
            "returns": pages["page_obj"].object_list,
            **pages,
            "status_counts": status_counts,
            "export_links": exports.export_links(request, "grants:review_queue_export"),
        },
    )


# Reports and exports -------------------------------------------------------------------------


@require_GET
def review_queue_export(request, fmt):
    if not roles.is_lead_officer(request.user):
        raise PermissionDenied
    _, queue, _ = selectors.review_queue(request.user, request.GET or None, timezone.localdate())
    return exports.table_response(
        fmt=fmt,
        filename="returns",
        headers=selectors.RETURN_EXPORT_HEADERS,
        rows=selectors.return_export_rows(queue),
        sheet="Returns",
    )


@require_GET
def indicator_results(request):
    if not permissions.sees_grants(request.user):
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
    if not permissions.sees_grants(request.user):
        raise PermissionDenied
    _, rows = selectors.indicator_results(request.user, request.GET or None)
    return exports.table_response(
        fmt=fmt,
        filename="indicator-results",
        headers=selectors.RESULT_EXPORT_HEADERS,
        rows=selectors.result_export_rows(rows),
        sheet="Indicator results",
    )


@require_GET
def return_pdf(request, pk):
    quarterly_return = _visible_return(request, pk)
    return reporting.deliver(request, "return", quarterly_return.pk)


@require_GET
def agreement_detail(request, pk):
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    year = _chosen_year(request, agreement)
    report = reports.agreement_year(agreement, year)
    payments = selectors.agreement_payments(agreement, timezone.localdate())
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
            "can_record_meeting": permissions.can_record_meeting(request.user, agreement),
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
    # Else this year; or the year nearest it, the first of one not begun, the last of one ended.
    current = periods.financial_year_of(timezone.localdate())
    return min(max(current, years[0]), years[-1])


@require_GET
def agreement_year_pdf(request, pk, year):
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    if year not in reports.agreement_years(agreement):
        raise Http404("The agreement does not run in that year.")
    return reporting.deliver(request, "agreement_year", agreement.pk, f"year={year}")


# Payments and meetings -------------------------------------------------------------------------


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
                request, f"The meeting of {date_format(meeting.held_on)} was recorded."
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
    messages.info(request, "That meeting has been deleted already.")
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
            messages.success(request, f"The meeting of {_day(meeting.held_on)} was changed.")
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
            messages.success(request, f"The meeting of {_day(meeting.held_on)} was deleted.")
        return redirect(back)
    return render(
        request, "grants/meeting_delete.html", {"agreement": agreement, "meeting": meeting}
    )


@require_GET
def fund_list(request):
    if not permissions.oversees_grants(request.user):
        raise PermissionDenied
    funds = selectors.funds_with_totals(request.user).order_by("-start_date", "name")
    return render(request, "grants/fund_list.html", {"funds": funds})


@require_GET
def fund_detail(request, pk):
    if not permissions.oversees_grants(request.user):
        raise PermissionDenied
    fund = get_object_or_404(selectors.funds_with_totals(request.user), pk=pk)
    agreements = selectors.fund_awards(fund)
    return render(
        request,
        "grants/fund_detail.html",
        {"fund": fund, "agreements": agreements, "themes": fund.themes.all()},
    )


# Open data ---------------------------------------------------------------------------------------


@require_GET
def publication(request):
    """The council's agreements, which are published as open data, and what others lack."""
    if not roles.is_lead_officer(request.user):
        raise PermissionDenied
    agreements = (
        permissions.visible_agreements(request.user).select_related("fund").order_by("reference")
    )
    council = request.user.organisation
    return render(
        request,
        "grants/publication.html",
        {
            "council": council,
            "rows": [(a, publishing.missing_for_publication(a)) for a in agreements],
            "public_url": reverse("grants:council_open_data", args=[council.short_code])
            if council.short_code
            else "",
        },
    )


@require_POST
def publish_agreement(request, pk):
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    published = form.cleaned_data["published"]
    try:
        services.set_published(agreement=agreement, by=request.user, published=published)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = "is now published as open data" if published else "is no longer published"
        messages.success(request, f"{agreement.reference} {done}.")
    return redirect("grants:publication")


def _publishing_council(code):
    # A code no council has, with a control character, is not looked up: PostgreSQL cannot even
    # compare a NUL.
    if not code.isprintable():
        raise Http404(gettext("No council publishes open data under that code."))
    return get_object_or_404(publishing.publishing_councils(), short_code__iexact=code)


@login_not_required
@require_GET
def open_data(request):
    return render(request, "grants/open_data.html", {"councils": publishing.publishing_councils()})


@login_not_required
@require_GET
def council_open_data(request, code):
    council = _publishing_council(code)
    grants = publishing.published_grants(council)
    return render(
        request,
        "grants/council_open_data.html",
        {
            "council": council,
            "grants": grants,
            "years": [(y, publishing.year_label(y)) for y in publishing.award_years(grants)],
        },
    )


@login_not_required
@require_GET
def threesixtygiving_json(request, code):
    council = _publishing_council(code)
    url = request.build_absolute_uri(request.path)
    package = publishing.threesixtygiving_package(
        council, publishing.published_grants(council), url
    )
    response = JsonResponse(package, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="{council.short_code}-360giving.json"'
    return response


@login_not_required
@require_GET
def threesixtygiving_table(request, code, fmt):
    council = _publishing_council(code)
    url = request.build_absolute_uri(request.path)
    package = publishing.threesixtygiving_package(
        council, publishing.published_grants(council), url
    )
    headers, rows = publishing.grants_sheet(package)
    filename = f"{council.short_code}-360giving"
    if fmt == "xlsx":
        # A workbook carries the package's metadata, the extensions it uses among them, in the
        # Meta sheet the standard's template has; its first row is a field, not a heading.
        meta = publishing.meta_sheet(package, url)
        return exports.workbook_response(
            filename=filename, sheets={"grants": (headers, rows), "Meta": (meta[0], meta[1:])}
        )
    return exports.table_response(
        fmt=fmt, filename=filename, headers=headers, rows=rows, sheet="grants"
    )


@login_not_required
@require_GET
def transparency_register(request, code, year):
    council = _publishing_council(code)
    grants = publishing.published_grants(council)
    if year not in publishing.award_years(grants):
        raise Http404(gettext("The council has published no grant awarded in that year."))
    grants = publishing.awarded_in(grants, year)
    label = publishing.year_label(year).replace("/", "-")
    return exports.table_response(
        fmt="csv",
        filename=f"{council.short_code}-grants-to-vcse-{label}",
        headers=publishing.TRANSPARENCY_HEADERS,
        rows=publishing.transparency_rows(grants),
        sheet="Grants",
    )


# Importing agreements ----------------------------------------------------------------------------


def _importing_council(request):
    if not roles.is_lead_officer(request.user):
        raise PermissionDenied
    return request.user.organisation


@require_http_methods(["GET", "POST"])
def agreement_import(request):
    """Upload a workbook of agreements and see what importing it would do; nothing changes yet."""
    council = _importing_council(request)
    form = AgreementImportForm(request.POST or None, request.FILES or None)
    preview = batch = None
    if request.method == "POST" and form.is_valid():
        preview, batch = services.check_agreement_import(
            council=council,
            file_name=form.cleaned_data["file"].name,
            book=form.book,
            by=request.user,
        )
    return render(
        request,
        "grants/agreement_import.html",
        {
            "council": council,
            "form": form,
            "preview": preview,
            "confirm": ImportConfirmForm(initial={"batch": batch.pk}) if batch else None,
            "file_name": form.cleaned_data["file"].name if preview else "",
        },
    )


@require_POST
def agreement_import_confirm(request):
    council = _importing_council(request)
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "There is no checked file to import: upload it again.")
        return redirect("grants:agreement_import")
    try:
        batch = services.import_agreements(
            council=council,
            batch_id=form.cleaned_data["batch"],
            by=request.user,
            blank_fields=form.cleaned_data["blank_fields"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("grants:agreement_import")
    counts = batch.counts
    messages.success(
        request,
        f"Imported “{batch.file_name}”: {counts['created']} added, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged. You can undo it from the import history.",
    )
    return redirect("grants:agreement_imports")


@require_GET
def agreement_imports(request):
    council = _importing_council(request)
    return render(
        request,
        "grants/agreement_imports.html",
        {"council": council, "batches": selectors.agreement_import_history(council)},
    )


@require_POST
def agreement_import_undo(request, batch_pk):
    council = _importing_council(request)
    batch = get_object_or_404(selectors.agreement_import_history(council), pk=batch_pk)
    try:
        services.undo_agreement_import(council=council, batch=batch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The import of “{batch.file_name}” was undone.")
    return redirect("grants:agreement_imports")


@require_GET
def agreement_import_sample(request):
    _importing_council(request)
    response = HttpResponse(sample_workbook(), content_type=exports.FORMATS["xlsx"])
    response["Content-Disposition"] = 'attachment; filename="agreements-sample.xlsx"'
    return response


@require_GET
def agreements_export(request):
    council = _importing_council(request)
    return exports.workbook_response(
        filename=f"{council.short_code or 'council'}-agreements",
        sheets=selectors.agreements_workbook(council),
    )


# A provider's own diversity ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def organisation_diversity(request):
    """A provider answers, for the current financial year, the questions on its leadership and
    mission, and may change its answers until the year ends."""
    organisation = request.user.organisation
    if organisation is None or not permissions.can_record_diversity(request.user, organisation):
        raise PermissionDenied
    year = periods.financial_year_of(timezone.localdate())
    answers = selectors.diversity_answers(request.user, organisation)
    current = next((a for a in answers if a.financial_year == year), None)
    initial = {"financial_year": year}
    if current is not None:
        initial |= DiversityForm.initial_for(current)
    form = DiversityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_diversity(
                organisation=organisation, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            label = periods.financial_year_label(year)
            messages.success(request, f"Your answers for {label} were saved. Thank you.")
            return redirect("grants:organisation_diversity")
    return render(
        request,
        "grants/diversity_form.html",
        {
            "organisation": organisation,
            "form": form,
            "year_label": periods.financial_year_label(year),
            "year_end": periods.quarter_dates(year, 4)[1],
            "current": current,
            "earlier": [a for a in answers if a.financial_year != year],
        },
    )


@require_GET
def provider_diversity(request, pk):
    """What a provider has said of its leadership and mission, year by year: read only, for the
    provider itself and the lead officers of the councils that fund it."""
    provider = get_object_or_404(permissions.visible_providers(request.user), pk=pk)
    return render(
        request,
        "grants/provider_diversity.html",
        {
            "provider": provider,
            "answers": selectors.diversity_answers(request.user, provider),
            "can_answer": permissions.can_record_diversity(request.user, provider),
            "shared": permissions.diversity_shared_with(request.user, provider),
        },
    )
