"""The annual equality information report: its page, and its PDF made by the report task."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from equality_plans import selectors as plan_selectors
from oversight import equality_report as reports
from oversight import permissions
from sla_monitor import reporting
from sla_monitor.params import record_id
from sla_monitor.periods import financial_year_label


def _council(request, council_pk):
    if not permissions.reads_equality_reports(request.user):
        raise PermissionDenied
    return get_object_or_404(permissions.reach_councils(request.user), pk=council_pk)


@require_GET
def equality_reports(request):
    """Council staff go to their council's report; a superuser chooses the council."""
    if not permissions.reads_equality_reports(request.user):
        raise PermissionDenied
    councils = permissions.reach_councils(request.user)
    if not permissions.chooses_council(request.user):
        return redirect("oversight:equality_report", councils.get().pk)
    return render(request, "oversight/equality_report_choose.html", {"councils": councils})


@require_GET
def equality_report(request, council_pk):
    council = _council(request, council_pk)
    today = timezone.localdate()
    plans = plan_selectors.council_plans(council.pk)
    years = reports.report_years(request.user, council, plans, today)
    asked = request.GET.get("year", "")
    year = record_id(asked)
    if year not in years:
        year = years[-1]
    return render(
        request,
        "oversight/equality_report.html",
        {
            "report": reports.equality_report(request.user, council, plans, year, today),
            "years": [(y, financial_year_label(y)) for y in years],
            "year_not_offered": bool(asked) and str(year) != asked,
            "chooses_council": permissions.chooses_council(request.user),
        },
    )


@require_GET
def equality_report_pdf(request, council_pk, year):
    council = _council(request, council_pk)
    plans = plan_selectors.council_plans(council.pk)
    if year not in reports.report_years(request.user, council, plans, timezone.localdate()):
        raise Http404("There is no report for that year.")
    return reporting.deliver(request, "equality_report", council.pk, f"year={year}")
