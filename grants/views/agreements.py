"""An agreement's page, year by year, and its report for a year."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from grants import permissions, reports, selectors
from sla_monitor import periods, reporting


@require_GET
def agreement_detail(request, pk):
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    year = _chosen_year(request, agreement)
    report = reports.agreement_year(agreement, year)
    payments = selectors.agreement_payments(agreement, timezone.localdate())
    thread, message_count = selectors.latest_agreement_messages(agreement)
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
            "thread": thread,
            "message_count": message_count,
            "talk": permissions.can_converse(request.user, agreement),
            "variations": selectors.agreement_variations(
                agreement, permissions.visible_variations(request.user)
            ),
            "version_count": len(selectors.agreement_versions(agreement)),
            "can_draft_variation": permissions.can_draft_variation(request.user, agreement),
            "can_request_variation": permissions.can_request_variation(request.user, agreement),
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
