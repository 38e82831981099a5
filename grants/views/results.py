"""Indicator results, and their export."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from grants import permissions, selectors
from sla_monitor import exports


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
        headers=[str(h) for h in selectors.RESULT_EXPORT_HEADERS],
        rows=selectors.result_export_rows(rows),
        sheet=gettext("Indicator results"),
    )
