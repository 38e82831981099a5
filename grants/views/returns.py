"""A return's pages: its task list and each section its provider answers, the check before
submitting, the lead officer's review and decision (and, once approved, its corrections:
`grants.views.corrections`), earlier submissions, evidence and the PDF."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants import beneficiaries, budgets, permissions, selectors, services
from grants.forms.beneficiaries import BeneficiaryFiguresForm
from grants.forms.budgets import SpendAnswersForm
from grants.forms.corrections import CorrectionDecisionForm
from grants.forms.returns import (
    DecisionForm,
    IndicatorAnswerForm,
    RequirementAnswersForm,
    VersionedForm,
)
from grants.forms.support import SupportAnswersForm
from grants.lifecycle import RETURN
from grants.models import ReportingPeriod
from grants.selectors.support import SECTION as SUPPORT_SECTION
from sla_monitor import params, reporting


def visible_return(request, pk):
    return get_object_or_404(permissions.visible_returns(request.user), pk=pk)


def _talk(request, quarterly_return) -> dict | None:
    """Whether the user writes in the return's conversation, and resolves its flags."""
    if not permissions.can_converse(request.user, quarterly_return.agreement):
        return None
    return {"resolves": permissions.can_decide(request.user, quarterly_return)}


def _refuse_unless_editable(request, quarterly_return):
    """A provider who follows a link to a return it can no longer change is told why."""
    if permissions.can_edit_return(request.user, quarterly_return):
        return None
    if permissions.may_take(request.user, RETURN.step("edit"), quarterly_return):
        messages.info(request, RETURN.refusal("edit", quarterly_return.status))
        return redirect("grants:return_detail", pk=quarterly_return.pk)
    raise PermissionDenied


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
    quarterly_return = visible_return(request, pk)
    if permissions.can_edit_return(request.user, quarterly_return):
        detail = selectors.return_detail(quarterly_return, with_history=True)
        return render(
            request,
            "grants/return_task_list.html",
            {
                "qr": quarterly_return,
                "detail": detail,
                "last_decision": _last_decision(detail),
                "talk": _talk(request, quarterly_return),
            },
        )
    return review_page(request, quarterly_return)


def _last_decision(detail):
    sent_back = RETURN.step("request_changes").target
    decisions = [t for t in detail.transitions if t.to_status == sent_back]
    return decisions[-1] if decisions else None


def review_page(request, quarterly_return, *, form=None, correction_form=None, status=200):
    """The return read only, with the lead officer's decision while it awaits one, and its
    corrections once it is approved."""
    detail = selectors.return_detail(quarterly_return, with_history=True)
    can_decide = bool(permissions.steps_for(request.user, quarterly_return))
    if can_decide and form is None:
        form = DecisionForm(detail=detail, initial={"version": quarterly_return.version})
    correction = detail.open_correction
    correction_steps = (
        permissions.correction_steps_for(request.user, correction) if correction else []
    )
    if correction_steps and correction_form is None:
        correction_form = CorrectionDecisionForm(
            steps=correction_steps, initial={"version": correction.version}
        )
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
            "talk": _talk(request, quarterly_return),
            "correction": correction,
            "correction_form": correction_form if correction_steps else None,
            "proposes_correction": correction is None
            and permissions.can_propose_correction(request.user, quarterly_return),
        },
        status=status,
    )


@require_POST
def decide_return(request, pk):
    quarterly_return = visible_return(request, pk)
    detail = selectors.return_detail(quarterly_return)
    form = DecisionForm(request.POST, detail=detail)
    if not form.is_valid():
        if not permissions.can_decide(request.user, quarterly_return):
            raise PermissionDenied
        if not RETURN.allows("approve", quarterly_return.status):
            # Decided since the page was opened: its deciders are told so.
            messages.error(request, RETURN.refusal("approve", quarterly_return.status))
            return redirect("grants:return_detail", pk=quarterly_return.pk)
        return review_page(request, quarterly_return, form=form)
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
    quarterly_return = visible_return(request, pk)
    indicator = get_object_or_404(quarterly_return.agreement.indicators, pk=indicator_pk)
    refusal = _refuse_unless_editable(request, quarterly_return)
    if refusal:
        return refusal
    detail = selectors.return_detail(quarterly_return)
    row = next(r for r in detail.indicator_rows if r.indicator.pk == indicator.pk)
    if row.achieved_earlier:
        messages.info(
            request,
            gettext(
                "Indicator %(code)s was achieved in %(period)s, so this return does"
                " not ask it again."
            )
            % {"code": indicator.code, "period": row.achieved_earlier.period},
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
                section = gettext("Indicator %(code)s") % {"code": indicator.code}
                saved = RETURN.step("edit").done.format(section=section)
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
        {
            "qr": quarterly_return,
            "row": row,
            "form": form,
            "detail": detail,
            "talk": _talk(request, quarterly_return),
        },
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
    quarterly_return = visible_return(request, pk)
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
                return _saved(
                    request,
                    quarterly_return,
                    gettext("Minimum requirements"),
                    _after_requirements(detail),
                )
    else:
        form = RequirementAnswersForm(detail=detail, initial={"version": quarterly_return.version})
    return render(
        request,
        "grants/requirement_answers_form.html",
        {
            "qr": quarterly_return,
            "form": form,
            "detail": detail,
            "talk": _talk(request, quarterly_return),
        },
    )


def _after_requirements(detail) -> str:
    return "question_answers" if detail.question_rows else _after_questions(detail)


def _after_questions(detail) -> str:
    return "return_support" if detail.support else _after_support(detail)


def _after_support(detail) -> str:
    return "spend_answers" if detail.spend_rows else _after_spending(detail)


def _after_spending(detail) -> str:
    return "check_answers" if detail.beneficiaries is None else "beneficiary_figures"


@require_http_methods(["GET", "POST"])
def support_answers(request, pk):
    """The quarter's evidence of each added-value statement, and the support in kind used."""
    quarterly_return = visible_return(request, pk)
    agreement = quarterly_return.agreement
    if not (agreement.added_values.exists() or agreement.in_kind_contributions.exists()):
        raise Http404("This agreement has no added value or support in kind to report.")
    refusal = _refuse_unless_editable(request, quarterly_return)
    if refusal:
        return refusal
    detail = selectors.return_detail(quarterly_return)
    if request.method == "POST":
        form = SupportAnswersForm(request.POST, request.FILES, section=detail.support)
        if form.is_valid():
            try:
                services.save_support_answers(
                    quarterly_return=quarterly_return,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    added_values=form.added_values,
                    in_kind=form.in_kind,
                    evidence=form.evidence,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _saved(
                    request, quarterly_return, str(SUPPORT_SECTION), _after_support(detail)
                )
    else:
        form = SupportAnswersForm(
            section=detail.support, initial={"version": quarterly_return.version}
        )
    return render(
        request,
        "grants/support_answers_form.html",
        {
            "qr": quarterly_return,
            "form": form,
            "detail": detail,
            "talk": _talk(request, quarterly_return),
        },
    )


@require_http_methods(["GET", "POST"])
def spend_answers(request, pk):
    """The spend to date on each budget line of the return's financial year."""
    quarterly_return = visible_return(request, pk)
    if not quarterly_return.agreement.budget_lines.filter(
        financial_year=quarterly_return.period.financial_year
    ).exists():
        raise Http404("The agreement has no budget for this return's year.")
    refusal = _refuse_unless_editable(request, quarterly_return)
    if refusal:
        return refusal
    detail = selectors.return_detail(quarterly_return)
    if request.method == "POST":
        form = SpendAnswersForm(request.POST, rows=detail.spend_rows)
        if form.is_valid():
            try:
                services.save_spend_answers(
                    quarterly_return=quarterly_return,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    answers=form.answers,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                return _saved(
                    request, quarterly_return, str(budgets.SECTION), _after_spending(detail)
                )
    else:
        form = SpendAnswersForm(
            rows=detail.spend_rows, initial={"version": quarterly_return.version}
        )
    return render(
        request,
        "grants/spend_answers_form.html",
        {
            "qr": quarterly_return,
            "form": form,
            "detail": detail,
            "talk": _talk(request, quarterly_return),
        },
    )


@require_http_methods(["GET", "POST"])
def beneficiary_figures(request, pk):
    """The people the service worked with in the quarter, by protected characteristic."""
    quarterly_return = visible_return(request, pk)
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
                return _saved(
                    request, quarterly_return, str(beneficiaries.SECTION), "check_answers"
                )
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
    if problem.question_id:
        section = reverse("grants:question_answers", args=[quarterly_return.pk])
        return f"{section}#{_first_input(problem)}"
    if problem.key.startswith("spend:"):
        section = reverse("grants:spend_answers", args=[quarterly_return.pk])
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


def _first_input(problem) -> str:
    """The id of a question's first input: its first radio, its day box, or the input."""
    field = f"id_{problem.field}"
    kind = problem.question_kind
    if kind in ("yes_no", "choice"):
        return f"{field}_0"
    if kind == "date":
        return f"{field}_day"
    return field


@require_http_methods(["GET", "POST"])
def check_answers(request, pk):
    quarterly_return = visible_return(request, pk)
    refusal = _refuse_unless_editable(request, quarterly_return)
    if refusal:
        return refusal
    problems, confirm_error = [], ""
    if request.method == "POST":
        form = VersionedForm(request.POST)
        try:
            if not form.is_valid():
                raise services.StaleReturnError(gettext("Reload the page and submit again."))
            services.submit_return(
                quarterly_return=quarterly_return,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                confirm_left_as_flagged=request.POST.get("confirm_left_as_flagged") == "yes",
            )
        except services.IncompleteReturnError as error:
            problems = [(p.message, _problem_link(quarterly_return, p)) for p in error.problems]
        except services.LeftAsFlaggedError as error:
            confirm_error = error.messages[0]
            problems = [(confirm_error, "#confirm_left_as_flagged")]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("grants:check_answers", pk=quarterly_return.pk)
        else:
            return redirect("grants:return_submitted", pk=quarterly_return.pk)
    detail = selectors.return_detail(quarterly_return, with_history=True)
    return render(
        request,
        "grants/return_check.html",
        {
            "qr": quarterly_return,
            "detail": detail,
            "problems": problems,
            "confirm_error": confirm_error,
            "version": quarterly_return.version,
            "beneficiaries": selectors.beneficiaries_shown(request.user, detail),
            "talk": _talk(request, quarterly_return),
        },
    )


@require_GET
def return_submitted(request, pk):
    """The confirmation a provider sees once its return is submitted: what happens next."""
    quarterly_return = visible_return(request, pk)
    if not permissions.reports_for_a_provider(request.user):
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
    quarterly_return = visible_return(request, pk)
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
        messages.success(
            request,
            gettext("“%(original_name)s” was removed.") % {"original_name": evidence.original_name},
        )
    default = reverse("grants:return_detail", args=[pk])
    return HttpResponseRedirect(params.page_to_return_to(request, default))


@require_GET
def return_pdf(request, pk):
    quarterly_return = visible_return(request, pk)
    return reporting.deliver(request, "return", quarterly_return.pk)
