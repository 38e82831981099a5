from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import DefaultRouter

from api import views

app_name = "api"

router = DefaultRouter()
router.include_root_view = False
router.register("funds", views.FundViewSet, basename="fund")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("returns", views.ReturnViewSet, basename="return")
router.register("instalments", views.InstalmentViewSet, basename="instalment")
router.register("payment-runs", views.PaymentRunViewSet, basename="payment-run")
router.register("variations", views.VariationViewSet, basename="variation")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    # The description and its documentation page describe the API, not any council's data:
    # they are open to everyone, as the open data is.
    path(
        "api/v1/openapi.json",
        login_not_required(SpectacularAPIView.as_view(api_version="v1")),
        name="schema",
    ),
    path(
        "api/v1/docs/",
        login_not_required(SpectacularRedocView.as_view(url_name="api:schema")),
        name="docs",
    ),
]
