from django.urls import path

from grants import views

app_name = "grants"

urlpatterns = [
    path("returns/", views.provider_dashboard, name="provider_dashboard"),
    path(
        "returns/start/<int:agreement_pk>/<int:period_pk>/",
        views.start_return,
        name="start_return",
    ),
    path("returns/<int:pk>/", views.return_detail, name="return_detail"),
    path(
        "returns/<int:pk>/indicators/<int:indicator_pk>/",
        views.indicator_answer,
        name="indicator_answer",
    ),
    path("returns/<int:pk>/requirements/", views.requirement_answers, name="requirement_answers"),
    path("returns/<int:pk>/check/", views.check_answers, name="check_answers"),
    path("returns/<int:pk>/decision/", views.decide_return, name="decide_return"),
    path(
        "returns/<int:pk>/evidence/<int:evidence_pk>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "returns/<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path("review/", views.review_queue, name="review_queue"),
]
