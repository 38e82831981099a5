from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from sla_monitor import reporting, views
from sla_monitor.forms import LoginForm

admin.site.site_header = "SLA Monitor administration"
admin.site.site_title = "SLA Monitor administration"
admin.site.index_title = "Configure funds, agreements, plans and users"

urlpatterns = [
    path("healthz/", views.health, name="health"),
    path("reports/<str:result_id>/", reporting.report_status, name="report_status"),
    path(
        "accounts/login/",
        login_not_required(
            auth_views.LoginView.as_view(
                authentication_form=LoginForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
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
