from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grants import permissions as grant_permissions
from grants.models import (
    Agreement,
    BeneficiaryCount,
    BeneficiaryFigures,
    CharacteristicNotCollected,
    Fund,
    FundTheme,
    IndicatorAnswer,
    IndicatorTarget,
    InKindContribution,
    MinimumRequirement,
    PaymentInstalment,
    PaymentRun,
    PaymentRunLine,
    PerformanceIndicator,
    QuarterlyReturn,
    ReportingPeriod,
    RequirementAnswer,
    Variation,
    VariationIndicator,
    VariationInstalment,
    VariationTarget,
)
from grants.rag import Rag
from grants.selectors.results import ResultRow
from sla_monitor.models import Organisation


class FundThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundTheme
        fields = ["name", "description"]


class FundSerializer(serializers.ModelSerializer):
    council = serializers.CharField(source="council.short_code", read_only=True)
    themes = FundThemeSerializer(many=True, read_only=True)

    class Meta:
        model = Fund
        fields = [
            "id",
            "council",
            "name",
            "description",
            "budget",
            "maximum_award",
            "start_date",
            "end_date",
            "criteria",
            "themes",
        ]


# Grants: agreements, returns, payments and variations -----------------------------------------


class PeriodSerializer(serializers.ModelSerializer):
    """A quarter of a financial year: Q1 is April to June, Q4 January to March."""

    financial_year_label = serializers.CharField(read_only=True)
    label = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["financial_year", "financial_year_label", "quarter", "label"]


class ProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "charity_number", "company_number"]


class IndicatorTargetSerializer(serializers.ModelSerializer):
    """A financial year's target, with its quarterly profile (Q1 to Q4) where one is kept."""

    profile = serializers.SerializerMethodField()
    takes_effect_from = PeriodSerializer(read_only=True, allow_null=True)

    class Meta:
        model = IndicatorTarget
        fields = ["financial_year", "target", "profile", "takes_effect_from"]

    @extend_schema_field(
        serializers.ListField(
            child=serializers.DecimalField(max_digits=10, decimal_places=2),
            min_length=4,
            max_length=4,
            allow_null=True,
        )
    )
    def get_profile(self, target) -> list | None:
        profile = target.profile
        return None if profile is None else [str(q) for q in profile]


class IndicatorSerializer(serializers.ModelSerializer):
    targets = IndicatorTargetSerializer(many=True, read_only=True)
    starts_from = PeriodSerializer(read_only=True, allow_null=True)
    retired_from = PeriodSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PerformanceIndicator
        fields = [
            "code",
            "wording",
            "measure_type",
            "target",
            "target_period",
            "unit",
            "direction",
            "upper_bound",
            "amber_tolerance",
            "targets",
            "starts_from",
            "retired_from",
        ]


class RequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = MinimumRequirement
        fields = ["number", "text"]


class InKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = InKindContribution
        fields = ["description", "condition"]


class AgreementSerializer(serializers.ModelSerializer):
    funder = serializers.CharField(source="funder.short_code", read_only=True)
    provider = ProviderSerializer(read_only=True)
    fund = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    amount = serializers.DecimalField(
        source="total_allocation", max_digits=12, decimal_places=2, read_only=True
    )
    objectives = serializers.SlugRelatedField(slug_field="text", many=True, read_only=True)
    minimum_requirements = RequirementSerializer(source="requirements", many=True, read_only=True)
    performance_indicators = IndicatorSerializer(source="indicators", many=True, read_only=True)
    in_kind_support = InKindSerializer(source="in_kind_contributions", many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "reference",
            "title",
            "funder",
            "provider",
            "fund",
            "award_date",
            "start_date",
            "end_date",
            "amount",
            "reporting_frequency",
            "status",
            "purpose",
            "objectives",
            "minimum_requirements",
            "performance_indicators",
            "in_kind_support",
        ]


class IndicatorAnswerSerializer(serializers.ModelSerializer):
    """An indicator's answer and its RAG status, judged as the results page judges it
    (`grants.selectors.results.ResultRow`: the target in force in the quarter, the year to date
    for a per-year count)."""

    indicator = serializers.CharField(source="indicator.code", read_only=True)
    actual = serializers.DecimalField(
        source="actual_value", max_digits=12, decimal_places=2, read_only=True, allow_null=True
    )
    rag = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorAnswer
        fields = ["indicator", "actual", "achieved", "narrative", "rag"]

    @extend_schema_field(serializers.ChoiceField(choices=[r.value for r in Rag], allow_null=True))
    def get_rag(self, answer) -> str | None:
        rag = ResultRow(answer).rag
        return None if rag is None else rag.value


class RequirementAnswerSerializer(serializers.ModelSerializer):
    requirement = serializers.IntegerField(source="requirement.number", read_only=True)

    class Meta:
        model = RequirementAnswer
        fields = ["requirement", "met", "narrative"]


class PublishedCountSerializer(serializers.ModelSerializer):
    """One category's count of people as published: rounded to a multiple of 5."""

    people = serializers.IntegerField(source="published", read_only=True)

    class Meta:
        model = BeneficiaryCount
        fields = ["characteristic", "category", "people"]


class NotCollectedSerializer(serializers.ModelSerializer):
    class Meta:
        model = CharacteristicNotCollected
        fields = ["characteristic", "reason"]


class BeneficiariesSerializer(serializers.ModelSerializer):
    """The people the service worked with, only as published (`grants.beneficiaries.publish`):
    every figure rounded to a multiple of 5 when the provider saved it, so that no count of 1
    to 4 people is ever given, and never the figures as entered."""

    people_reached = serializers.IntegerField(source="people_reached_published", read_only=True)
    counts = PublishedCountSerializer(many=True, read_only=True)
    not_collected = NotCollectedSerializer(many=True, read_only=True)

    class Meta:
        model = BeneficiaryFigures
        fields = ["people_reached", "counts", "not_collected"]


class ReturnPeriodSerializer(serializers.Serializer):
    financial_year = serializers.IntegerField(source="period.financial_year")
    quarter = serializers.IntegerField(source="period.quarter")
    label = serializers.CharField(source="period_label")


class ReturnSerializer(serializers.ModelSerializer):
    agreement = serializers.CharField(source="agreement.reference", read_only=True)
    period = ReturnPeriodSerializer(source="*", read_only=True)
    indicator_answers = IndicatorAnswerSerializer(many=True, read_only=True)
    requirement_answers = RequirementAnswerSerializer(many=True, read_only=True)
    beneficiaries = serializers.SerializerMethodField()

    class Meta:
        model = QuarterlyReturn
        fields = [
            "id",
            "agreement",
            "period",
            "status",
            "submitted_at",
            "decided_at",
            "indicator_answers",
            "requirement_answers",
            "beneficiaries",
        ]

    @extend_schema_field(BeneficiariesSerializer(allow_null=True))
    def get_beneficiaries(self, quarterly_return) -> dict | None:
        try:
            figures = quarterly_return.beneficiary_figures
        except BeneficiaryFigures.DoesNotExist:
            return None
        return BeneficiariesSerializer(figures).data


class SignoffSerializer(serializers.Serializer):
    """Who asked for a payment's release and who decided it: the funding council's own
    business, given to its people only (`grants.permissions.sees_signoff`)."""

    requested_by = serializers.CharField(allow_null=True)
    decided_by = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)


def _name(user) -> str | None:
    return None if user is None else (user.get_full_name() or user.username)


class InstalmentSerializer(serializers.ModelSerializer):
    agreement = serializers.CharField(source="agreement.reference", read_only=True)
    label = serializers.CharField(read_only=True)
    released_at = serializers.SerializerMethodField()
    waits_for = PeriodSerializer(source="depends_on_period", read_only=True, allow_null=True)
    signoff = serializers.SerializerMethodField()

    class Meta:
        model = PaymentInstalment
        fields = [
            "id",
            "agreement",
            "sequence",
            "label",
            "financial_year",
            "amount",
            "due_date",
            "status",
            "released_at",
            "paid_on",
            "waits_for",
            "signoff",
        ]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_released_at(self, instalment) -> str | None:
        if instalment.status != PaymentInstalment.Status.RELEASED or instalment.decided_at is None:
            return None
        return serializers.DateTimeField().to_representation(instalment.decided_at)

    @extend_schema_field(SignoffSerializer(allow_null=True))
    def get_signoff(self, instalment) -> dict | None:
        if not grant_permissions.sees_signoff(self.context["request"].user, instalment.agreement):
            return None
        return SignoffSerializer(
            {
                "requested_by": _name(instalment.requested_by),
                "decided_by": _name(instalment.decided_by),
                "reason": instalment.reason,
            }
        ).data


class PaymentRunLineSerializer(serializers.ModelSerializer):
    instalment = serializers.PrimaryKeyRelatedField(read_only=True)
    agreement = serializers.CharField(source="instalment.agreement.reference", read_only=True)
    sequence = serializers.IntegerField(source="instalment.sequence", read_only=True)
    amount = serializers.DecimalField(
        source="instalment.amount", max_digits=12, decimal_places=2, read_only=True
    )
    payment_reference = serializers.CharField(read_only=True)

    class Meta:
        model = PaymentRunLine
        fields = ["instalment", "agreement", "sequence", "amount", "payment_reference", "live"]


class PaymentRunSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    lines = PaymentRunLineSerializer(many=True, read_only=True)

    class Meta:
        model = PaymentRun
        fields = [
            "id",
            "reference",
            "number",
            "status",
            "created_at",
            "paid_on",
            "reversed_at",
            "reversal_reason",
            "lines",
        ]


class VariationTargetSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    profile = serializers.SerializerMethodField()

    class Meta:
        model = VariationTarget
        fields = ["indicator", "financial_year", "target", "profile"]

    @extend_schema_field(
        serializers.ListField(
            child=serializers.DecimalField(max_digits=10, decimal_places=2),
            min_length=4,
            max_length=4,
            allow_null=True,
        )
    )
    def get_profile(self, target) -> list | None:
        profile = target.profile
        return None if profile is None else [str(q) for q in profile]


class VariationIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = VariationIndicator
        fields = ["code", "wording", "measure_type", "target", "target_period", "unit", "direction"]


class VariationInstalmentSerializer(serializers.ModelSerializer):
    waits_for = PeriodSerializer(source="depends_on_period", read_only=True, allow_null=True)

    class Meta:
        model = VariationInstalment
        fields = ["due_date", "amount", "waits_for"]


class VariationChangesSerializer(serializers.Serializer):
    """What the variation changes; a null or empty field is left as it was."""

    end_date = serializers.DateField(source="new_end_date", allow_null=True)
    amount = serializers.DecimalField(
        source="new_total_allocation", max_digits=12, decimal_places=2, allow_null=True
    )
    reporting_frequency = serializers.ChoiceField(
        source="new_reporting_frequency",
        choices=Agreement.ReportingFrequency.choices,
        allow_blank=True,
    )
    instalments = serializers.SerializerMethodField()
    targets = VariationTargetSerializer(many=True)
    new_indicators = VariationIndicatorSerializer(many=True)
    retired_indicators = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_retired_indicators(self, variation) -> list[str]:
        """The codes of the indicators it retires from the quarter it takes effect."""
        return [indicator.code for indicator in variation.retire_indicators.all()]

    @extend_schema_field(VariationInstalmentSerializer(many=True, allow_null=True))
    def get_instalments(self, variation) -> list | None:
        """The schedule it sets for the instalments not yet released; null when it keeps it."""
        if not variation.changes_instalments:
            return None
        return VariationInstalmentSerializer(variation.instalments.all(), many=True).data


class VariationSerializer(serializers.ModelSerializer):
    agreement = serializers.CharField(source="agreement.reference", read_only=True)
    takes_effect_from = PeriodSerializer(read_only=True, allow_null=True)
    changes = VariationChangesSerializer(source="*", read_only=True)

    class Meta:
        model = Variation
        fields = [
            "id",
            "agreement",
            "number",
            "status",
            "reason",
            "request",
            "takes_effect_from",
            "changes",
            "created_at",
            "approved_at",
            "applied_at",
        ]
