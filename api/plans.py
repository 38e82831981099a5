"""The read API's equality plans: plans with their sections and objectives, their actions (with
the latest RAG and whether each is overdue), the actions' progress updates, and the council's
equality impact assessments, every version.

Everything comes through `equality_plans.permissions` with the token's maker: a council's
token reads its own plans, the plans it is a partner in and the plans its funded agreements
deliver (as its staff do on the pages), and only its own assessments. Plans are not a provider's
to read: a provider's token cannot hold the scope, and one that somehow did is refused here too.
"""

import django_filters
from django import forms
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers

from api.views import ReadOnly
from equality_plans import groups
from equality_plans import permissions as plan_permissions
from equality_plans.models import (
    Action,
    ActionPlan,
    Assessment,
    AssessmentStatus,
    EqualityStrand,
    GroupJudgement,
    Impact,
    Mitigation,
    Objective,
    ProgressUpdate,
    RagStatus,
    Section,
)
from sla_monitor import api_tokens
from sla_monitor.models import ApiScope

# Serializers ---------------------------------------------------------------------------------


class ObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objective
        fields = ["id", "number", "title", "responsible_officer"]


class SectionSerializer(serializers.ModelSerializer):
    objectives = ObjectiveSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "number", "title", "objectives"]


class PlanSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(
        source="owner.short_code", read_only=True, help_text="The owning council's short code."
    )
    partner_councils = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="short_code",
        help_text="The short codes of the partner councils that share the plan.",
    )
    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "title",
            "owner",
            "partner_councils",
            "goal",
            "description",
            "start_date",
            "end_date",
            "section_label",
            "objective_label",
            "sections",
        ]


class ActionSerializer(serializers.ModelSerializer):
    strands = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code", help_text="Equality strand codes."
    )
    owner_name = serializers.SerializerMethodField(
        help_text="The person who records the action's progress, if one is named."
    )
    latest_rag = serializers.ChoiceField(
        choices=RagStatus.choices,
        read_only=True,
        allow_null=True,
        help_text="The RAG status of the latest progress update; null before the first.",
    )
    overdue = serializers.BooleanField(
        read_only=True,
        help_text="Past its due date, and its latest update says neither green nor completed.",
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "number",
            "section",
            "objective",
            "wording",
            "strands",
            "lead_responsibility",
            "monitored_by",
            "outcome",
            "timescale",
            "due_date",
            "owner_name",
            "latest_rag",
            "overdue",
        ]

    def get_owner_name(self, action) -> str | None:
        if action.owner is None:
            return None
        return action.owner.get_full_name() or action.owner.username


class ProgressSerializer(serializers.ModelSerializer):
    quarter = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="1 to 4; null for a year-end report."
    )

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "action",
            "financial_year",
            "quarter",
            "is_year_end",
            "rag_status",
            "narrative",
            "created_at",
            "corrected_at",
        ]
        extra_kwargs = {
            "financial_year": {
                "help_text": "The year the financial year starts in: 2025 for 2025-26."
            }
        }


class GroupSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    impact = serializers.ChoiceField(
        choices=[("", ""), *Impact.choices],
        read_only=True,
        help_text="The likely impact, in a full assessment; empty otherwise.",
    )

    class Meta:
        model = GroupJudgement
        fields = ["group", "name", "relevant", "relevance", "impact", "explanation"]

    def get_name(self, judgement) -> str:
        return groups.name_of(judgement.group)


class MitigationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mitigation
        fields = ["group", "wording", "action"]
        extra_kwargs = {"action": {"help_text": "The plan action the mitigation became, if any."}}


class AssessmentSerializer(serializers.Serializer):
    # A plain Serializer: the model's blank choice fields would otherwise be described without
    # their empty value, which an assessment not yet screened has.
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True, help_text="For example “EqIA 12.2”.")
    number = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    council = serializers.CharField(source="council.short_code", read_only=True)
    title = serializers.CharField(read_only=True)
    subject = serializers.CharField(read_only=True, help_text="fund, agreement, action or policy.")
    fund = serializers.IntegerField(source="fund_id", read_only=True, allow_null=True)
    agreement = serializers.IntegerField(source="agreement_id", read_only=True, allow_null=True)
    action = serializers.IntegerField(source="action_id", read_only=True, allow_null=True)
    directorate = serializers.CharField(read_only=True)
    decision = serializers.CharField(read_only=True)
    decision_date = serializers.DateField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=AssessmentStatus.choices, read_only=True)
    screening_outcome = serializers.CharField(
        read_only=True,
        help_text="no_full_assessment or full_assessment; empty until screened.",
    )
    outcome = serializers.CharField(
        read_only=True,
        help_text="no_major_change, adjust, continue or stop; empty until decided.",
    )
    review_date = serializers.DateField(read_only=True, allow_null=True)
    signed_off_at = serializers.DateTimeField(read_only=True, allow_null=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    groups = GroupSerializer(source="judgements", many=True, read_only=True)
    mitigations = MitigationSerializer(many=True, read_only=True)


# Filters -------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A whole number (an id, a year): anything else is a 400, never a silent match of nothing.
    Ids are not looked up, so that another council's plan is not told apart from none."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class StrandFilter(django_filters.ModelChoiceFilter):
    """An equality strand by its code."""


@extend_schema_field(OpenApiTypes.BOOL)
class OverdueFilter(django_filters.ChoiceFilter):
    """`true` or `false`; anything else is a 400 (a BooleanFilter would ignore it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=[("true", "true"), ("false", "false")], **kwargs)


class ActionFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id", help_text=gettext_lazy("A plan's id."))
    section = IdFilter(field_name="section_id", help_text=gettext_lazy("A section's id."))
    strand = StrandFilter(
        queryset=EqualityStrand.objects.all(),
        to_field_name="code",
        method="filter_strand",
        help_text=gettext_lazy(
            "An equality strand's code; an action for ALL strands addresses every one."
        ),
    )
    overdue = OverdueFilter(
        method="filter_overdue",
        help_text=gettext_lazy("true: only overdue actions; false: only those not overdue."),
    )

    class Meta:
        model = Action
        fields = ["plan", "section", "strand", "overdue"]

    def filter_strand(self, queryset, name, strand):
        # As the plan's page filters: an action for ALL strands addresses every strand.
        tagged = Action.objects.filter(Q(strands=strand) | Q(strands__covers_all=True))
        return queryset.filter(pk__in=tagged.values("pk"))

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.overdue(today) if value == "true" else queryset.not_overdue(today)


class ProgressFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="action__plan_id", help_text=gettext_lazy("A plan's id."))
    action = IdFilter(field_name="action_id", help_text=gettext_lazy("An action's id."))
    financial_year = IdFilter(
        max_value=9999,
        help_text=gettext_lazy("The year the financial year starts in: 2025 for 2025-26."),
    )

    class Meta:
        model = ProgressUpdate
        fields = ["plan", "action", "financial_year"]


class AssessmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices)

    class Meta:
        model = Assessment
        fields = ["status"]


# Views ---------------------------------------------------------------------------------------


class ReadsPlans(permissions.BasePermission):
    """Plans are a council's: its token's maker must be one who reads them, and whose
    organisation's tokens may hold the scope (`api_tokens.scopes_for`)."""

    message = gettext_lazy("Equality plans are not read by this organisation's tokens.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return ApiScope.PLANS in api_tokens.scopes_for(user) and (
            plan_permissions.reads_plans(user) or plan_permissions.reads_assessments(user)
        )


class PlansReadOnly(ReadOnly):
    scope = ApiScope.PLANS
    # Ids are whole numbers; any other address is the API's JSON 404 (`api.errors`).
    lookup_value_regex = "[0-9]+"

    def get_permissions(self):
        return [*super().get_permissions(), ReadsPlans()]


class PlanViewSet(PlansReadOnly):
    """Equality plans: the council's own, those it is a partner in, and those its funded
    agreements deliver; each with its partner councils, sections and objectives."""

    serializer_class = PlanSerializer

    def get_queryset(self):
        return (
            plan_permissions.visible_plans(self.request.user)
            .prefetch_related(
                "partner_councils",
                Prefetch(
                    "sections",
                    queryset=Section.objects.order_by("order", "pk").prefetch_related(
                        Prefetch("objectives", queryset=Objective.objects.order_by("order", "pk"))
                    ),
                ),
            )
            .order_by("pk")
        )


class ActionViewSet(PlansReadOnly):
    """The actions of the plans the token reads, with the latest RAG status and whether each is
    overdue today."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilter

    def get_queryset(self):
        return (
            plan_permissions.visible_actions(self.request.user)
            .with_overdue(timezone.localdate())
            .select_related("owner")
            .prefetch_related("strands")
            .order_by("plan_id", "order", "pk")
        )


class ProgressViewSet(PlansReadOnly):
    """The quarterly progress updates and year-end reports of those actions."""

    serializer_class = ProgressSerializer
    filterset_class = ProgressFilter

    def get_queryset(self):
        actions = plan_permissions.visible_actions(self.request.user)
        return ProgressUpdate.objects.filter(action__in=actions.values("pk")).order_by(
            "action_id", "financial_year", "is_year_end", "quarter", "created_at", "pk"
        )


class AssessmentViewSet(PlansReadOnly):
    """The council's own equality impact assessments, every version, with each group's
    relevance and impact and the mitigations (and the plan action each became)."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self):
        return (
            plan_permissions.visible_assessments(self.request.user)
            .prefetch_related(
                Prefetch("judgements", queryset=GroupJudgement.objects.order_by("order", "pk")),
                Prefetch("mitigations", queryset=Mitigation.objects.order_by("order", "pk")),
            )
            .order_by("council_id", "number", "version")
        )
