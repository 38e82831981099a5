"""The questions a fund adds to its returns: the return's section that answers them, and the
fund's page that sets them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from grants import permissions, selectors, services
from grants.forms.questions import FundQuestionFormSet, QuestionAnswersForm
from grants.models import FundQuestion
from grants.services.questions import EDITED
from grants.views.returns import (
    _after_questions,
    _refuse_unless_editable,
    _saved,
    _talk,
    visible_return,
)
from sla_monitor import exports

SECTION = gettext_noop("Questions from the fund")


@require_http_methods(["GET", "POST"])
def question_answers(request, pk):
    quarterly_return = visible_return(request, pk)
    refusal = _refuse_unless_editable(request, quarterly_return)
    if refusal:
        return refusal
    detail = selectors.return_detail(quarterly_return)
    if not detail.question_rows:
        raise Http404("This return asks no questions of its fund.")
    if request.method == "POST":
        form = QuestionAnswersForm(request.POST, request.FILES, rows=detail.question_rows)
        if form.is_valid():
            try:
                services.save_question_answers(
                    quarterly_return=quarterly_return,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    answers=form.answers,
                    files=form.files_given,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                return _saved(request, quarterly_return, gettext(SECTION), _after_questions(detail))
    else:
        form = QuestionAnswersForm(
            rows=detail.question_rows, initial={"version": quarterly_return.version}
        )
    return render(
        request,
        "grants/question_answers_form.html",
        {
            "qr": quarterly_return,
            "form": form,
            "detail": detail,
            "talk": _talk(request, quarterly_return),
        },
    )


@require_http_methods(["GET", "POST"])
def fund_questions(request, pk):
    """The questions the fund adds to every return of its agreements: add, reorder, reword and
    retire them."""
    if not permissions.oversees_grants(request.user):
        raise PermissionDenied
    fund = get_object_or_404(permissions.visible_funds(request.user), pk=pk)
    if not permissions.can_set_fund_questions(request.user, fund):
        raise PermissionDenied
    queryset = FundQuestion.objects.filter(fund=fund).order_by("order", "pk")
    version = request.POST.get("questions_version", "")
    if request.method == "POST":
        formset = FundQuestionFormSet(request.POST, queryset=queryset)
        if formset.is_valid():
            changes = [
                services.QuestionChange(
                    question=form.instance if form.instance.pk else None,
                    **{name: form.cleaned_data[name] for name in EDITED},
                )
                for form in formset.forms
                if form.instance.pk or form.has_changed()
            ]
            try:
                services.set_fund_questions(
                    fund=fund, by=request.user, expected_version=version, changes=changes
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("grants:fund_questions", pk=fund.pk)
            messages.success(request, gettext("The fund's questions were saved."))
            return redirect("grants:fund_questions", pk=fund.pk)
    else:
        formset = FundQuestionFormSet(queryset=queryset)
        version = services.questions_version(fund)
    return render(
        request,
        "grants/fund_questions.html",
        {
            "fund": fund,
            "formset": formset,
            "questions_version": version,
            "export_links": exports.export_links(
                request, "grants:fund_question_answers_export", fund.pk
            ),
        },
    )


@require_GET
def fund_question_answers_export(request, pk, fmt):
    """The answers to the fund's questions of every submitted return, as they were submitted."""
    if not permissions.oversees_grants(request.user):
        raise PermissionDenied
    fund = get_object_or_404(permissions.visible_funds(request.user), pk=pk)
    return exports.table_response(
        fmt=fmt,
        filename=f"question-answers-{fund.pk}",
        headers=[str(h) for h in selectors.QUESTION_EXPORT_HEADERS],
        rows=selectors.question_export_rows(selectors.question_answers_of_fund(fund)),
        sheet="Answers",
    )
