from django import forms
from django.contrib import admin
from django.db import models

from equality_plans.models import (
    Action,
    ActionPlan,
    EqualityStrand,
    Indicator,
    IndicatorValue,
    Objective,
    PopulationProfile,
    PopulationShare,
    ProgressUpdate,
    ProtectedCharacteristic,
    Section,
)


@admin.register(ProtectedCharacteristic)
class ProtectedCharacteristicAdmin(admin.ModelAdmin):
    """The Act's nine: read here, never added to or taken from."""

    list_display = ["name", "order"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EqualityStrand)
class EqualityStrandAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "characteristics_named", "covers_all", "order"]
    list_filter = ["characteristics", "covers_all"]
    search_fields = ["code", "name"]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("characteristics")

    @admin.display(description="Protected characteristics")
    def characteristics_named(self, strand: EqualityStrand) -> str:
        return ", ".join(c.name for c in strand.characteristics.all()) or "None"


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "start_date", "end_date"]
    list_filter = ["owner"]
    list_select_related = ["owner"]
    search_fields = ["title", "goal", "description", "owner__name"]
    autocomplete_fields = ["owner"]
    filter_horizontal = ["partner_councils"]
    inlines = [SectionInline]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "order"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["title", "number", "plan__title"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "section", "responsible_officer"]
    list_filter = ["section__plan"]
    list_select_related = ["section__plan"]
    search_fields = ["number", "title", "responsible_officer"]
    autocomplete_fields = ["section"]


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    fields = ["financial_year", "quarter", "is_year_end", "rag_status", "narrative", "author"]
    autocomplete_fields = ["author"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "wording",
        "plan",
        "section",
        "lead_responsibility",
        "timescale",
        "due_date",
    ]
    list_filter = ["plan", "strands", "section"]
    list_select_related = ["plan", "section"]
    search_fields = [
        "number",
        "wording",
        "lead_responsibility",
        "monitored_by",
        "linked_strategies",
    ]
    autocomplete_fields = ["plan", "section", "objective", "owner", "performance_indicators"]
    filter_horizontal = ["strands", "partner_authorities"]
    inlines = [ProgressUpdateInline]
    fieldsets = [
        (None, {"fields": ["plan", "section", "objective", "number", "order", "wording"]}),
        ("Equality strands", {"fields": ["strands"]}),
        (
            "Responsibility",
            {"fields": ["lead_responsibility", "monitored_by", "owner", "timescale", "due_date"]},
        ),
        (
            "Links and outcome",
            {
                "fields": [
                    "linked_strategies",
                    "outcome",
                    "milestones",
                    "measurable_target",
                    "resources",
                ]
            },
        ),
        ("Partners", {"fields": ["partner_authorities_text", "partner_authorities"]}),
        ("Funded delivery", {"fields": ["performance_indicators"]}),
    ]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = [
        "action",
        "financial_year",
        "quarter",
        "is_year_end",
        "rag_status",
        "author",
        "created_at",
    ]
    list_filter = ["rag_status", "is_year_end", "financial_year", "action__plan"]
    list_select_related = ["action", "author"]
    search_fields = ["narrative", "action__number", "action__wording"]
    autocomplete_fields = ["action", "author"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kind", "unit", "higher_is_better"]
    list_filter = ["kind"]
    search_fields = ["code", "title"]
    filter_horizontal = ["sections"]
    autocomplete_fields = ["performance_indicators"]
    inlines = [IndicatorValueInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "measured_on", "value", "source"]
    list_filter = ["indicator"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__code", "indicator__title", "source"]
    date_hierarchy = "measured_on"


class PopulationShareInline(admin.TabularInline):
    model = PopulationShare
    extra = 1


@admin.register(PopulationProfile)
class PopulationProfileAdmin(admin.ModelAdmin):
    list_display = ["council", "area", "year", "source"]
    inlines = [PopulationShareInline]


admin.site.register(PopulationShare)
