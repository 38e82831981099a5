from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from sla_monitor import reporting, views

admin.site.site_header = "SLA Monitor administration"
admin.site.site_title = "SLA Monitor administration"
admin.site.index_title = "Configure funds, agreements, plans and users"

urlpatterns = [
    path("healthz/", views.health, name="health"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("reports/<str:result_id>/", reporting.report_status, name="report_status"),
    path("accounts/", include("allauth.urls")),
    path("account/", views.account, name="account"),
    path("admin/", admin.site.urls),
    path("", include("oversight.urls")),
    path("", include("grants.urls")),
    path("", include("equality_plans.urls")),
]

if settings.BENCHMARK_VIEWS:
    urlpatterns += [
        path("bench/bare/", views.bare, name="bench_bare"),
        path("bench/signed-in/", views.signed_in_floor, name="bench_signed_in"),
    ]
