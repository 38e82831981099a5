"""The equality information report as a PDF, built by sla_monitor.reporting's task as the user
who asked."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from weasyprint.document import Document

from equality_plans import selectors as plan_selectors
from equality_plans.models import Action
from oversight import equality_report as reports
from oversight import permissions
from sla_monitor.params import record_id
from sla_monitor.pdf import laid_out


def equality_report_pdf_rows(user, pk: int, query) -> int:
    """The report lists each action of the council's plans: the rows that make it long."""
    council = get_object_or_404(permissions.reach_councils(user), pk=pk)
    plans = plan_selectors.council_plans(council.pk)
    return Action.objects.filter(plan__in=[plan.pk for plan in plans]).count()


def build_equality_report_pdf(user, pk: int, query) -> tuple[Document, str]:
    council = get_object_or_404(permissions.reach_councils(user), pk=pk)
    today = timezone.localdate()
    plans = plan_selectors.council_plans(council.pk)
    year = record_id(query.get("year", ""))
    if year not in reports.report_years(user, council, plans, today):
        raise Http404("There is no report for that year.")
    report = reports.equality_report(user, council, plans, year, today)
    document = laid_out("oversight/pdf/equality_report.html", {"report": report})
    code = council.short_code or str(council.pk)
    return document, f"equality-information-{code}-{report.label.replace('/', '-')}.pdf"
