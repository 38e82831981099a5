"""The read API's endpoints. Each is a read-only viewset over what the token's maker may see
(the scoping functions the pages use), narrowed by its `scope`, paginated, filtered as the pages
are, and answered with an ETag so that an unchanged page costs the caller nothing."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.middleware.http import ConditionalGetMiddleware
from django.utils.decorators import decorator_from_middleware
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from api import filters, serializers
from grants import permissions as grant_permissions
from grants.models import (
    BeneficiaryCount,
    IndicatorAnswer,
    IndicatorTarget,
    PaymentInstalment,
    PaymentRunLine,
    PerformanceIndicator,
    RequirementAnswer,
    VariationInstalment,
    VariationTarget,
    targets_prefetch,
)
from sla_monitor.models import ApiScope

# ETag and If-None-Match for a read: Django's ConditionalGetMiddleware, on these views alone.
conditional = decorator_from_middleware(ConditionalGetMiddleware)


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    """What every endpoint shares: the token's scope, and an ETag on each answer."""

    scope: str = ""

    @classmethod
    def as_view(cls, *args, **kwargs):
        # The API signs its callers in by their token, not by the session the pages use.
        return login_not_required(conditional(super().as_view(*args, **kwargs)))


class FundViewSet(ReadOnly):
    """A council's funds and their themes."""

    scope = ApiScope.GRANTS
    serializer_class = serializers.FundSerializer

    def get_queryset(self):
        return (
            grant_permissions.visible_funds(self.request.user)
            .select_related("council")
            .prefetch_related("themes")
            .order_by("pk")
        )


# Grants: agreements, returns, payments and variations -----------------------------------------

AGREEMENTS = (
    "The agreements the token's organisation funds, or, for a provider's token, holds: their "
    "terms, minimum requirements, in-kind support and performance indicators with each year's "
    "target and quarterly profile. `financial_year` keeps those running on a day of that year."
)
RETURNS = (
    "Returns of those agreements, with each indicator's answer and its RAG status as the "
    "results page judges it, the minimum requirements' answers, and the people the service "
    "worked with only as published: every figure rounded to a multiple of 5, never the figures "
    "as entered."
)
INSTALMENTS = (
    "The payment instalments of the council's agreements, what each release waits for (the "
    "quarter whose return must be approved first), and who asked for and decided its release."
)
PAYMENT_RUNS = "The council's payment runs and the instalments each paid."
VARIATIONS = (
    "Variations of the agreements' terms and what each changes. A provider's token reads its "
    "own requests, the terms it is asked to accept, those that apply and how its requests ended."
)


@extend_schema_view(
    list=extend_schema(summary="Agreements", description=AGREEMENTS),
    retrieve=extend_schema(summary="An agreement", description=AGREEMENTS),
)
class AgreementViewSet(ReadOnly):
    scope = ApiScope.GRANTS
    serializer_class = serializers.AgreementSerializer
    filterset_class = filters.AgreementFilter
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        indicators = PerformanceIndicator.objects.select_related(
            "starts_from", "retired_from"
        ).prefetch_related(
            Prefetch(
                "targets",
                queryset=IndicatorTarget.objects.select_related("takes_effect_from").order_by(
                    "financial_year", "takes_effect_from__quarter"
                ),
            )
        )
        return (
            grant_permissions.visible_agreements(self.request.user)
            .select_related(None)
            .select_related("funder", "provider")
            .prefetch_related(
                "objectives",
                "requirements",
                "in_kind_contributions",
                Prefetch("indicators", queryset=indicators),
            )
            .order_by("reference")
        )


@extend_schema_view(
    list=extend_schema(summary="Returns", description=RETURNS),
    retrieve=extend_schema(summary="A return", description=RETURNS),
)
class ReturnViewSet(ReadOnly):
    scope = ApiScope.GRANTS
    serializer_class = serializers.ReturnSerializer
    filterset_class = filters.ReturnFilter

    def get_queryset(self):
        answers = (
            IndicatorAnswer.objects.select_related("indicator")
            .prefetch_related(targets_prefetch("indicator__"))
            .with_year_to_date()
            .order_by("indicator__order", "indicator__code")
        )
        # The published counts alone are read: the figures as entered never leave the database.
        counts = BeneficiaryCount.objects.only(
            "figures_id", "characteristic", "category", "published"
        )
        return (
            grant_permissions.visible_returns(self.request.user)
            .select_related(None)
            .select_related("agreement", "period", "beneficiary_figures")
            .defer("beneficiary_figures__people_reached")
            .prefetch_related(
                Prefetch("indicator_answers", queryset=answers),
                Prefetch(
                    "requirement_answers",
                    queryset=RequirementAnswer.objects.select_related("requirement").order_by(
                        "requirement__number"
                    ),
                ),
                Prefetch("beneficiary_figures__counts", queryset=counts),
                "beneficiary_figures__not_collected",
            )
            .order_by("-period__financial_year", "-period__quarter", "agreement__reference", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="Payment instalments", description=INSTALMENTS),
    retrieve=extend_schema(summary="A payment instalment", description=INSTALMENTS),
)
class InstalmentViewSet(ReadOnly):
    scope = ApiScope.PAYMENTS
    serializer_class = serializers.InstalmentSerializer
    filterset_class = filters.InstalmentFilter

    def get_queryset(self):
        if not grant_permissions.sees_payments(self.request.user):
            return PaymentInstalment.objects.none()
        return (
            grant_permissions.signoff_instalments(self.request.user)
            .labelled()
            .select_related("agreement", "depends_on_period", "requested_by", "decided_by")
            .order_by("agreement__reference", "sequence")
        )


@extend_schema_view(
    list=extend_schema(summary="Payment runs", description=PAYMENT_RUNS),
    retrieve=extend_schema(summary="A payment run", description=PAYMENT_RUNS),
)
class PaymentRunViewSet(ReadOnly):
    scope = ApiScope.PAYMENTS
    serializer_class = serializers.PaymentRunSerializer
    filterset_class = filters.PaymentRunFilter

    def get_queryset(self):
        lines = PaymentRunLine.objects.select_related("instalment__agreement")
        return (
            grant_permissions.visible_payment_runs(self.request.user)
            .select_related(None)
            .select_related("council")
            .prefetch_related(Prefetch("lines", queryset=lines))
            .order_by("-number")
        )


@extend_schema_view(
    list=extend_schema(summary="Variations", description=VARIATIONS),
    retrieve=extend_schema(summary="A variation", description=VARIATIONS),
)
class VariationViewSet(ReadOnly):
    scope = ApiScope.GRANTS
    serializer_class = serializers.VariationSerializer
    filterset_class = filters.VariationFilter

    def get_queryset(self):
        return (
            grant_permissions.visible_variations(self.request.user)
            .select_related(None)
            .select_related("agreement", "takes_effect_from")
            .prefetch_related(
                Prefetch("targets", queryset=VariationTarget.objects.select_related("indicator")),
                "new_indicators",
                Prefetch(
                    "instalments",
                    queryset=VariationInstalment.objects.select_related("depends_on_period"),
                ),
                Prefetch(
                    "retire_indicators",
                    queryset=PerformanceIndicator.objects.only("pk", "code", "agreement_id"),
                ),
            )
            .order_by("agreement__reference", "number")
        )
