from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import DefaultRouter

from api import docs, errors, plans, views

app_name = "api"

router = DefaultRouter()
router.include_root_view = False
router.register("funds", views.FundViewSet, basename="fund")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("returns", views.ReturnViewSet, basename="return")
router.register("instalments", views.InstalmentViewSet, basename="instalment")
router.register("payment-runs", views.PaymentRunViewSet, basename="payment-run")
router.register("variations", views.VariationViewSet, basename="variation")
# Equality plans (scope `plans`): api/plans.py.
router.register("plans", plans.PlanViewSet, basename="plan")
router.register("actions", plans.ActionViewSet, basename="action")
router.register("progress", plans.ProgressViewSet, basename="progress")
router.register("assessments", plans.AssessmentViewSet, basename="assessment")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    # The description and its documentation page describe the API, not any council's data:
    # they are open to everyone, as the open data is.
    path(
        "api/v1/openapi.json",
        login_not_required(SpectacularJSONAPIView.as_view(api_version="v1")),
        name="schema",
    ),
    path(
        "api/v1/docs/",
        docs.RedocPage.as_view(url_name="api:schema"),
        name="docs",
    ),
]

# Last: any other address under the API is a 404 in JSON, not the site's HTML page.
urlpatterns += [re_path(r"^api/", errors.not_found)]
