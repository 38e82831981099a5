"""An assessment as a PDF: the council's own, naming its owner and signer, and the public one,
which names no person. Both are one template (`assessments/pdf/assessment.html`) made into a
tagged PDF by the project's PDF helper."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from equality_plans import permissions
from equality_plans.assessments import selectors
from equality_plans.models import Assessment
from sla_monitor.pdf import pdf_response, render_pdf


def assessment_pdf_response(request, assessment: Assessment, *, public: bool) -> HttpResponse:
    document = selectors.assessment_document(assessment, public=public)
    pdf = render_pdf(
        "equality_plans/assessments/pdf/assessment.html", {"doc": document}, request=request
    )
    return pdf_response(pdf, pdf_filename(assessment))


def pdf_filename(assessment: Assessment) -> str:
    code = assessment.council.short_code or str(assessment.council_id)
    version = f".{assessment.version}" if assessment.version > 1 else ""
    return f"{code}-eqia-{assessment.number}{version}.pdf"


@require_GET
def assessment_pdf(request, pk):
    """Any version of an assessment of the person's council, in any state."""
    assessment = permissions.visible_assessment(request.user, pk)
    if assessment is None:
        raise Http404(gettext("There is no such assessment."))
    return assessment_pdf_response(request, assessment, public=False)
