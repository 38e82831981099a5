from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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
