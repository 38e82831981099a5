from django.urls import path

from grants.setup import AgreementSetUp
from grants.views import (
    agreements,
    conversations,
    diversity,
    funds,
    imports,
    meetings,
    payments,
    publication,
    queues,
    results,
    returns,
    variations,
)

app_name = "grants"

urlpatterns = [
    path("returns/", queues.provider_dashboard, name="provider_dashboard"),
    path(
        "returns/start/<int:agreement_pk>/<int:period_pk>/",
        returns.start_return,
        name="start_return",
    ),
    path("returns/<int:pk>/", returns.return_detail, name="return_detail"),
    path(
        "returns/<int:pk>/indicators/<int:indicator_pk>/",
        returns.indicator_answer,
        name="indicator_answer",
    ),
    path("returns/<int:pk>/requirements/", returns.requirement_answers, name="requirement_answers"),
    path("returns/<int:pk>/people/", returns.beneficiary_figures, name="beneficiary_figures"),
    path("returns/<int:pk>/check/", returns.check_answers, name="check_answers"),
    path("returns/<int:pk>/submitted/", returns.return_submitted, name="return_submitted"),
    path("returns/<int:pk>/decision/", returns.decide_return, name="decide_return"),
    path(
        "returns/<int:pk>/submissions/<int:number>/",
        returns.return_submission,
        name="return_submission",
    ),
    path(
        "returns/<int:pk>/evidence/<int:evidence_pk>/",
        returns.evidence_download,
        name="evidence_download",
    ),
    path(
        "returns/<int:pk>/evidence/<int:evidence_pk>/remove/",
        returns.evidence_remove,
        name="evidence_remove",
    ),
    path("returns/<int:pk>/pdf/", returns.return_pdf, name="return_pdf"),
    path("returns/<int:pk>/messages/", conversations.return_messages, name="return_messages"),
    path(
        "returns/<int:pk>/flags/<int:flag_pk>/",
        conversations.flag_thread,
        name="flag_thread",
    ),
    path(
        "returns/<int:pk>/flags/<int:flag_pk>/resolve/",
        conversations.flag_resolve,
        name="flag_resolve",
    ),
    path(
        "messages/files/<int:pk>/",
        conversations.message_attachment,
        name="message_attachment",
    ),
    path("review/", queues.review_queue, name="review_queue"),
    path("review/export/<str:fmt>/", queues.review_queue_export, name="review_queue_export"),
    path("results/", results.indicator_results, name="indicator_results"),
    path(
        "results/export/<str:fmt>/",
        results.indicator_results_export,
        name="indicator_results_export",
    ),
    path("agreements/new/", AgreementSetUp.as_view(), name="set_up_agreement"),
    path("agreements/import/", imports.agreement_import, name="agreement_import"),
    path(
        "agreements/import/confirm/",
        imports.agreement_import_confirm,
        name="agreement_import_confirm",
    ),
    path("agreements/imports/", imports.agreement_imports, name="agreement_imports"),
    path("agreements/export.xlsx", imports.agreements_export, name="agreements_export"),
    path(
        "agreements/imports/<int:batch_pk>/undo/",
        imports.agreement_import_undo,
        name="agreement_import_undo",
    ),
    path(
        "agreements/import-sample.xlsx",
        imports.agreement_import_sample,
        name="agreement_import_sample",
    ),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path(
        "agreements/<int:pk>/messages/",
        conversations.agreement_messages,
        name="agreement_messages",
    ),
    path(
        "agreements/<int:pk>/instalments/<int:instalment_pk>/release/",
        payments.release_instalment,
        name="release_instalment",
    ),
    path(
        "agreements/<int:pk>/instalments/<int:instalment_pk>/withhold/",
        payments.withhold_instalment,
        name="withhold_instalment",
    ),
    path("agreements/<int:pk>/meetings/new/", meetings.record_meeting, name="record_meeting"),
    path(
        "agreements/<int:pk>/meetings/<int:meeting_pk>/change/",
        meetings.change_meeting,
        name="change_meeting",
    ),
    path(
        "agreements/<int:pk>/meetings/<int:meeting_pk>/delete/",
        meetings.delete_meeting,
        name="delete_meeting",
    ),
    path("agreements/<int:pk>/variations/new/", variations.new_variation, name="new_variation"),
    path("agreements/<int:pk>/terms/", variations.agreement_terms, name="agreement_terms"),
    path("variations/<int:pk>/", variations.variation_detail, name="variation_detail"),
    path("variations/<int:pk>/edit/", variations.edit_variation, name="edit_variation"),
    path("variations/<int:pk>/letter.pdf", variations.variation_letter, name="variation_letter"),
    path("variations/<int:pk>/<slug:step>/", variations.variation_step, name="variation_step"),
    path("funds/", funds.fund_list, name="fund_list"),
    path("open-data/manage/", publication.publication, name="publication"),
    path("agreements/<int:pk>/publish/", publication.publish_agreement, name="publish_agreement"),
    path("open-data/", publication.open_data, name="open_data"),
    path("open-data/<str:code>/", publication.council_open_data, name="council_open_data"),
    path(
        "open-data/<str:code>/360giving.json",
        publication.threesixtygiving_json,
        name="threesixtygiving_json",
    ),
    path(
        "open-data/<str:code>/360giving.<str:fmt>",
        publication.threesixtygiving_table,
        name="threesixtygiving_table",
    ),
    path(
        "open-data/<str:code>/grants-to-vcse-<int:year>.csv",
        publication.transparency_register,
        name="transparency_register",
    ),
    path("funds/<int:pk>/", funds.fund_detail, name="fund_detail"),
    path(
        "your-organisation/diversity/",
        diversity.organisation_diversity,
        name="organisation_diversity",
    ),
    path("providers/<int:pk>/diversity/", diversity.provider_diversity, name="provider_diversity"),
    path(
        "agreements/<int:pk>/report-<int:year>.pdf",
        agreements.agreement_year_pdf,
        name="agreement_year_pdf",
    ),
]
