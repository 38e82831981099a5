from allauth.mfa.recovery_codes import views as recovery_codes
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from sla_monitor import reporting, views
from sla_monitor.accounts import recent_sign_in_required

admin.site.site_header = _("SLA Monitor administration")
admin.site.site_title = _("SLA Monitor administration")
admin.site.index_title = _("Configure funds, agreements, plans and users")

urlpatterns = [
    path("healthz/", views.health, name="health"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("reports/<str:result_id>/", reporting.report_status, name="report_status"),
    # Recovery codes sign in as well as the second factor does: seen or made anew only by
    # someone who signed in, or confirmed who they are, a few minutes ago. Before allauth's own
    # paths, which these take the place of.
    path(
        "accounts/2fa/recovery-codes/",
        recent_sign_in_required(recovery_codes.view_recovery_codes),
        name="mfa_view_recovery_codes",
    ),
    path(
        "accounts/2fa/recovery-codes/generate/",
        recent_sign_in_required(recovery_codes.generate_recovery_codes),
        name="mfa_generate_recovery_codes",
    ),
    path(
        "accounts/2fa/recovery-codes/download/",
        recent_sign_in_required(recovery_codes.download_recovery_codes),
        name="mfa_download_recovery_codes",
    ),
    # A person's address is the one their invitation was sent to and checked by accepting it:
    # allauth's pages to add, change or confirm addresses are not offered (they would let anyone
    # signed in take another person's address unchecked). Before allauth's own paths.
    path("accounts/email/", views.not_offered),
    path("accounts/confirm-email/", views.not_offered),
    path("accounts/confirm-email/<str:key>/", views.not_offered),
    path("accounts/", include("allauth.urls")),
    path("account/", views.account, name="account"),
    path("account/emails/", views.account_emails, name="account_emails"),
    path("language/", views.choose_language, name="choose_language"),
    # The words the page's scripts show, in the page's language, as a script file of its own.
    path(
        "jsi18n/",
        login_not_required(JavaScriptCatalog.as_view()),
        name="javascript_catalog",
    ),
    path("admin/", admin.site.urls),
    path("", include("oversight.urls")),
    path("", include("grants.urls")),
    path("", include("equality_plans.urls")),
    path("", include("api.urls")),
]

if settings.BENCHMARK_VIEWS:
    urlpatterns += [
        path("bench/bare/", views.bare, name="bench_bare"),
        path("bench/signed-in/", views.signed_in_floor, name="bench_signed_in"),
    ]
