import datetime as dt

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sla_monitor import access, audit
from sla_monitor.models import User


def home(request):
    user = request.user
    agreements = access.visible_agreements(user).order_by("reference")
    plans = access.visible_plans(user).order_by("title")
    return render(
        request,
        "sla_monitor/home.html",
        {
            "organisation": user.organisation,
            "agreements": agreements,
            "plans": plans,
            "is_provider": access.is_provider(user),
        },
    )


@login_not_required
@never_cache
@require_GET
def health(request):
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means this server cannot serve
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def audit_log(request):
    if not access.is_admin(request.user):
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    if kind not in audit.KINDS:
        kind = ""
    user_id = int(request.GET["user"]) if request.GET.get("user", "").isdigit() else None
    try:
        since = dt.date.fromisoformat(request.GET.get("since", ""))
    except ValueError:
        since = None
    return render(
        request,
        "sla_monitor/audit_log.html",
        {
            "events": audit.audit_events(kind=kind, user_id=user_id, since=since),
            "kinds": audit.KINDS.items(),
            "users": User.objects.order_by("username"),
            "chosen": {"kind": kind, "user": user_id, "since": since},
        },
    )


@login_not_required
@require_GET
def bare(request):
    """The ceiling of this stack for the benchmark: a minimal template and no database."""
    return render(request, "sla_monitor/bare.html", {"message": "Hello"})


@require_GET
def signed_in_floor(request):
    """What every signed-in page costs before its own work: the session, the user and the
    layout with its navigation, for the benchmark."""
    return render(request, "sla_monitor/signed_in_floor.html", {"message": "Hello"})
