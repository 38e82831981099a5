"""The equality information report as a PDF, built by sla_monitor.reporting's task as the user
who asked."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from equality_plans import selectors as plan_selectors
from oversight import equality_report as reports
from oversight.reach import reach_councils
from sla_monitor.params import record_id
from sla_monitor.pdf import render_pdf


def build_equality_report_pdf(user, pk: int, query) -> tuple[bytes, str]:
    council = get_object_or_404(reach_councils(user), pk=pk)
    today = timezone.localdate()
    plans = plan_selectors.council_plans(council.pk)
    year = record_id(query.get("year", ""))
    if year not in reports.report_years(user, council, plans, today):
        raise Http404("There is no report for that year.")
    report = reports.equality_report(user, council, plans, year, today)
    pdf = render_pdf("oversight/pdf/equality_report.html", {"report": report})
    code = council.short_code or str(council.pk)
    return pdf, f"equality-information-{code}-{report.label.replace('/', '-')}.pdf"
