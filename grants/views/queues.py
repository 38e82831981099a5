"""The lists of returns: the provider's quarters, and the lead officer's review queue with its
export."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from grants import permissions, selectors
from sla_monitor import exports
from sla_monitor.pagination import paginate

REVIEW_PAGE_SIZE = 50


@require_GET
def provider_dashboard(request):
    if not permissions.reports_for_a_provider(request.user):
        raise PermissionDenied
    overviews = selectors.provider_overview(request.user, timezone.localdate())
    return render(request, "grants/provider_dashboard.html", {"overviews": overviews})


@require_GET
def review_queue(request):
    if not permissions.reviews_returns(request.user):
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


@require_GET
def review_queue_export(request, fmt):
    if not permissions.reviews_returns(request.user):
        raise PermissionDenied
    _, queue, _ = selectors.review_queue(request.user, request.GET or None, timezone.localdate())
    return exports.table_response(
        fmt=fmt,
        filename="returns",
        headers=[str(h) for h in selectors.RETURN_EXPORT_HEADERS],
        rows=selectors.return_export_rows(queue),
        sheet="Returns",
    )
