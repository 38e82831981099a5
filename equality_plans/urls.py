from django.urls import path

from equality_plans import views
from equality_plans.assessments import pdfs, public
from equality_plans.assessments import views as assessments

app_name = "equality_plans"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/progress.pdf", views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/actions/export/<str:fmt>/", views.actions_export, name="actions_export"),
    path("plans/<int:pk>/actions/<int:action_pk>/", views.action_detail, name="action_detail"),
    path(
        "plans/<int:pk>/actions/<int:action_pk>/progress/<int:update_pk>/correct/",
        views.progress_correct,
        name="progress_correct",
    ),
    path("plans/<int:pk>/coverage/", views.strand_coverage, name="strand_coverage"),
    path("plans/<int:pk>/import/", views.plan_import, name="plan_import"),
    path("plans/<int:pk>/import/confirm/", views.plan_import_confirm, name="plan_import_confirm"),
    path("plans/<int:pk>/imports/", views.plan_imports, name="plan_imports"),
    path(
        "plans/<int:pk>/imports/<int:batch_pk>/undo/",
        views.plan_import_undo,
        name="plan_import_undo",
    ),
    path("plans/import-sample.csv", views.import_sample, name="import_sample"),
    path("population/<int:council_pk>/", views.population_profile, name="population_profile"),
    path("assessments/", assessments.assessment_list, name="assessment_list"),
    path("assessments/new/", assessments.assessment_start, name="assessment_start"),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path(
        "assessments/<int:pk>/details/",
        assessments.assessment_details,
        name="assessment_details",
    ),
    path(
        "assessments/<int:pk>/screening/",
        assessments.assessment_screening,
        name="assessment_screening",
    ),
    path("assessments/<int:pk>/full/", assessments.assessment_full, name="assessment_full"),
    path(
        "assessments/<int:pk>/mitigations/",
        assessments.assessment_mitigations,
        name="assessment_mitigations",
    ),
    path(
        "assessments/<int:pk>/mitigations/<int:mitigation_pk>/remove/",
        assessments.mitigation_remove,
        name="mitigation_remove",
    ),
    path(
        "assessments/<int:pk>/mitigations/<int:mitigation_pk>/action/",
        assessments.mitigation_action,
        name="mitigation_action",
    ),
    path(
        "assessments/<int:pk>/evidence/",
        assessments.assessment_evidence,
        name="assessment_evidence",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_pk>/",
        assessments.assessment_evidence_download,
        name="assessment_evidence_download",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_pk>/remove/",
        assessments.assessment_evidence_remove,
        name="assessment_evidence_remove",
    ),
    path("assessments/<int:pk>/submit/", assessments.assessment_submit, name="assessment_submit"),
    path(
        "assessments/<int:pk>/sign-off/",
        assessments.assessment_signoff,
        name="assessment_signoff",
    ),
    path(
        "assessments/<int:pk>/publish/", assessments.assessment_publish, name="assessment_publish"
    ),
    path("assessments/<int:pk>/review/", assessments.assessment_review, name="assessment_review"),
]

# Equality impact assessments as documents: the council's own PDF, and the public pages and PDF.
urlpatterns += [
    path("assessments/<int:pk>/assessment.pdf", pdfs.assessment_pdf, name="assessment_pdf"),
    path(
        "open-data/<str:code>/assessments/",
        public.public_assessments,
        name="public_assessments",
    ),
    path(
        "open-data/<str:code>/assessments/<int:number>/",
        public.public_assessment,
        name="public_assessment",
    ),
    path(
        "open-data/<str:code>/assessments/<int:number>.pdf",
        public.public_assessment_pdf,
        name="public_assessment_pdf",
    ),
]
