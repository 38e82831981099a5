"""The public pages of a council's equality impact assessments: open to everyone, signed in or
not, like the council's open data. They show only published assessments (the latest published
version of each), and name no person: no owner, no signer, no comment, no evidence file; the
reach figures are the published, rounded ones."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from equality_plans.assessments import selectors
from equality_plans.assessments.pdfs import assessment_pdf_response


def _council(code: str):
    council = selectors.public_council(code)
    if council is None:
        raise Http404(gettext("No council publishes under that code."))
    return council


def _published(code: str, number: int):
    assessment = selectors.published_assessment(_council(code), number)
    if assessment is None:
        raise Http404(gettext("The council has published no assessment with that number."))
    return assessment


@login_not_required
@require_GET
def public_assessments(request, code):
    council = _council(code)
    return render(
        request,
        "equality_plans/assessments/public_list.html",
        {"council": council, "assessments": list(selectors.published_assessments(council))},
    )


@login_not_required
@require_GET
def public_assessment(request, code, number):
    assessment = _published(code, number)
    return render(
        request,
        "equality_plans/assessments/public_detail.html",
        {"doc": selectors.assessment_document(assessment, public=True)},
    )


@login_not_required
@require_GET
def public_assessment_pdf(request, code, number):
    return assessment_pdf_response(request, _published(code, number), public=True)
