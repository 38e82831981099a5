from django.urls import path

from oversight import (
    inbox_views,
    people_views,
    report_views,
    search_views,
    token_views,
    views,
    webhook_views,
)

app_name = "oversight"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.council_dashboard, name="council_dashboard"),
    path("audit/", views.audit_log, name="audit_log"),
    path("search/", search_views.search_page, name="search"),
    path("inbox/", inbox_views.inbox_page, name="inbox"),
    path("inbox/<int:pk>/", inbox_views.inbox_open, name="inbox_open"),
    path("inbox/read/", inbox_views.inbox_mark_all_read, name="inbox_mark_all_read"),
    path("equality/report/", report_views.equality_reports, name="equality_reports"),
    path(
        "equality/report/<int:council_pk>/",
        report_views.equality_report,
        name="equality_report",
    ),
    path(
        "equality/report/<int:council_pk>/<int:year>.pdf",
        report_views.equality_report_pdf,
        name="equality_report_pdf",
    ),
    path("reach/", views.reach, name="reach"),
    path("reach/export/<str:fmt>/", views.reach_export, name="reach_export"),
    path("people/", people_views.people_list, name="people"),
    path("people/<int:pk>/deactivate/", people_views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", people_views.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/role/", people_views.person_role, name="person_role"),
    path("people/invitations/", people_views.invitation_list, name="invitations"),
    path("people/invite/", people_views.invite, name="invite"),
    path("people/invite/<int:organisation_pk>/", people_views.invite, name="invite_into"),
    path(
        "people/invitations/<int:pk>/resend/",
        people_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "people/invitations/<int:pk>/approve/",
        people_views.invitation_approve,
        name="invitation_approve",
    ),
    path(
        "people/invitations/<int:pk>/decline/",
        people_views.invitation_decline,
        name="invitation_decline",
    ),
    path(
        "people/invitations/<int:pk>/revoke/",
        people_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitation/accept/", people_views.invitation_accept, name="invitation_accept"),
    path("invitation/<str:token>/", people_views.invitation_link, name="invitation_link"),
    path("api-tokens/", token_views.token_list, name="api_tokens"),
    path("api-tokens/new/", token_views.token_new, name="api_token_new"),
    path("api-tokens/<int:pk>/revoke/", token_views.token_revoke, name="api_token_revoke"),
    path("webhooks/", webhook_views.webhook_list, name="webhooks"),
    path("webhooks/add/", webhook_views.webhook_add, name="webhook_add"),
    path("webhooks/<int:pk>/", webhook_views.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/pause/", webhook_views.webhook_pause, name="webhook_pause"),
    path("webhooks/<int:pk>/resume/", webhook_views.webhook_resume, name="webhook_resume"),
    path("webhooks/<int:pk>/test/", webhook_views.webhook_test, name="webhook_test"),
    path("webhooks/<int:pk>/delete/", webhook_views.webhook_delete, name="webhook_delete"),
]
