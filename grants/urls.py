from django.urls import path

from grants import views
from grants.setup import AgreementSetUp

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
    path("returns/<int:pk>/submitted/", views.return_submitted, name="return_submitted"),
    path("returns/<int:pk>/decision/", views.decide_return, name="decide_return"),
    path(
        "returns/<int:pk>/submissions/<int:number>/",
        views.return_submission,
        name="return_submission",
    ),
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
    path("returns/<int:pk>/pdf/", views.return_pdf, name="return_pdf"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/export/<str:fmt>/", views.review_queue_export, name="review_queue_export"),
    path("results/", views.indicator_results, name="indicator_results"),
    path(
        "results/export/<str:fmt>/",
        views.indicator_results_export,
        name="indicator_results_export",
    ),
    path("agreements/new/", AgreementSetUp.as_view(), name="set_up_agreement"),
    path("agreements/import/", views.agreement_import, name="agreement_import"),
    path(
        "agreements/import/confirm/",
        views.agreement_import_confirm,
        name="agreement_import_confirm",
    ),
    path("agreements/imports/", views.agreement_imports, name="agreement_imports"),
    path("agreements/export.xlsx", views.agreements_export, name="agreements_export"),
    path(
        "agreements/imports/<int:batch_pk>/undo/",
        views.agreement_import_undo,
        name="agreement_import_undo",
    ),
    path(
        "agreements/import-sample.xlsx",
        views.agreement_import_sample,
        name="agreement_import_sample",
    ),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path(
        "agreements/<int:pk>/instalments/<int:instalment_pk>/release/",
        views.release_instalment,
        name="release_instalment",
    ),
    path(
        "agreements/<int:pk>/instalments/<int:instalment_pk>/withhold/",
        views.withhold_instalment,
        name="withhold_instalment",
    ),
    path("agreements/<int:pk>/meetings/new/", views.record_meeting, name="record_meeting"),
    path(
        "agreements/<int:pk>/meetings/<int:meeting_pk>/change/",
        views.change_meeting,
        name="change_meeting",
    ),
    path(
        "agreements/<int:pk>/meetings/<int:meeting_pk>/delete/",
        views.delete_meeting,
        name="delete_meeting",
    ),
    path("funds/", views.fund_list, name="fund_list"),
    path("open-data/manage/", views.publication, name="publication"),
    path("agreements/<int:pk>/publish/", views.publish_agreement, name="publish_agreement"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<str:code>/", views.council_open_data, name="council_open_data"),
    path(
        "open-data/<str:code>/360giving.json",
        views.threesixtygiving_json,
        name="threesixtygiving_json",
    ),
    path(
        "open-data/<str:code>/360giving.<str:fmt>",
        views.threesixtygiving_table,
        name="threesixtygiving_table",
    ),
    path(
        "open-data/<str:code>/grants-to-vcse-<int:year>.csv",
        views.transparency_register,
        name="transparency_register",
    ),
    path("funds/<int:pk>/", views.fund_detail, name="fund_detail"),
    path(
        "your-organisation/diversity/",
        views.organisation_diversity,
        name="organisation_diversity",
    ),
    path("providers/<int:pk>/diversity/", views.provider_diversity, name="provider_diversity"),
    path(
        "agreements/<int:pk>/report-<int:year>.pdf",
        views.agreement_year_pdf,
        name="agreement_year_pdf",
    ),
]
