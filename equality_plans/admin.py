from collections import defaultdict

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from equality_plans import stored
from equality_plans.models import (
    Action,
    ActionPlan,
    Assessment,
    AssessmentEvidence,
    AssessmentTransition,
    EqualityStrand,
    GroupJudgement,
    Indicator,
    IndicatorValue,
    Mitigation,
    Objective,
    PopulationProfile,
    PopulationShare,
    ProgressUpdate,
    ProtectedCharacteristic,
    Section,
)
from equality_plans.services import population_errors
from sla_monitor import equality


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

    @admin.display(description=_("Protected characteristics"))
    def characteristics_named(self, strand: EqualityStrand) -> str:
        return ", ".join(c.name for c in strand.characteristics.all()) or "None"


class SectionInline(TranslationTabularInline):
    model = Section
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(TranslationAdmin):
    list_display = ["title", "owner", "start_date", "end_date"]
    list_filter = ["owner"]
    list_select_related = ["owner"]
    search_fields = ["title", "goal", "description", "owner__name"]
    autocomplete_fields = ["owner"]
    filter_horizontal = ["partner_councils"]
    inlines = [SectionInline]


class ObjectiveInline(TranslationTabularInline):
    model = Objective
    extra = 0


@admin.register(Section)
class SectionAdmin(TranslationAdmin):
    list_display = ["__str__", "plan", "order"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["title", "number", "plan__title"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(TranslationAdmin):
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
class ActionAdmin(TranslationAdmin):
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
        (_("Equality strands"), {"fields": ["strands"]}),
        (
            _("Responsibility"),
            {"fields": ["lead_responsibility", "monitored_by", "owner", "timescale", "due_date"]},
        ),
        (
            _("Links and outcome"),
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
        (_("Partners"), {"fields": ["partner_authorities_text", "partner_authorities"]}),
        (_("Funded delivery"), {"fields": ["performance_indicators"]}),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        stored.refresh_latest_rag([form.instance.pk])


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

    # An update moved to another action, changed or deleted moves its actions' latest RAG.
    def save_model(self, request, obj, form, change):
        moved_from = form.initial.get("action") if change else None
        super().save_model(request, obj, form, change)
        stored.refresh_latest_rag({obj.action_id, moved_from} - {None})

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        stored.refresh_latest_rag([obj.action_id])

    def delete_queryset(self, request, queryset):
        actions = set(queryset.values_list("action_id", flat=True))
        super().delete_queryset(request, queryset)
        stored.refresh_latest_rag(actions)


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


# The area's population -----------------------------------------------------------------------


def category_choices() -> list:
    """Every category and group a share may be given for, under its characteristic."""
    return [
        ("", "---------"),
        *(
            (
                c.name,
                [(a.code, a.label) for a in c.answered]
                + [(g.code, gettext("Group: %(group)s") % {"group": g.label}) for g in c.groups],
            )
            for c in equality.CHARACTERISTICS
        ),
    ]


class PopulationShareForm(forms.ModelForm):
    category = forms.ChoiceField(
        label=_("Category or group"),
        choices=category_choices,
        help_text=_("One of the characteristic's categories, or a group of them."),
    )

    class Meta:
        model = PopulationShare
        fields = ["characteristic", "category", "share"]

    def clean(self):
        cleaned = super().clean()
        characteristic, category = cleaned.get("characteristic"), cleaned.get("category")
        if characteristic and category and not equality.is_comparable(characteristic, category):
            name = equality.characteristic(characteristic).name
            self.add_error(
                "category",
                gettext("%(characteristic)s has no category or group “%(category)s”.")
                % {"characteristic": name, "category": category},
            )
        return cleaned


class PopulationShareFormSet(BaseInlineFormSet):
    """The shares of each characteristic are checked together: what does not overlap makes at
    most 100%, and a complete set 100% within rounding."""

    def clean(self):
        super().clean()
        shares = defaultdict(dict)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form.errors:
                continue
            shares[data["characteristic"]][data["category"]] = data["share"]
        errors = population_errors(shares)
        if errors:
            raise ValidationError([e for found in errors.values() for e in found])


class PopulationShareInline(admin.TabularInline):
    model = PopulationShare
    form = PopulationShareForm
    formset = PopulationShareFormSet
    extra = 1

    class Media:
        css = {"all": ["css/admin_population.css"]}


@admin.register(PopulationProfile)
class PopulationProfileAdmin(admin.ModelAdmin):
    list_display = ["council", "area", "year", "source", "under_reach_tolerance", "share_count"]
    list_select_related = ["council"]
    search_fields = ["council__name", "area", "source"]
    autocomplete_fields = ["council"]
    readonly_fields = ["updated_at"]
    inlines = [PopulationShareInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(share_count=Count("shares"))

    @admin.display(description=_("Shares"), ordering="share_count")
    def share_count(self, profile: PopulationProfile) -> int:
        return profile.share_count


@admin.register(PopulationShare)
class PopulationShareAdmin(admin.ModelAdmin):
    """Shares are checked together, a characteristic at a time, so they change on their
    profile's page; here they are listed."""

    list_display = ["profile", "characteristic", "category", "share"]
    list_filter = ["characteristic"]
    list_select_related = ["profile"]
    search_fields = ["profile__area", "profile__council__name", "category"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read in the administration, written only through the assessment pages, whose services
    keep its lifecycle, its four-eyes sign-off and its history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GroupJudgementInline(admin.TabularInline):
    model = GroupJudgement
    extra = 0
    fields = ["group", "relevant", "relevance", "impact", "explanation"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MitigationInline(GroupJudgementInline):
    model = Mitigation
    fields = ["group", "wording", "action"]


class AssessmentTransitionInline(GroupJudgementInline):
    model = AssessmentTransition
    fields = ["step", "from_status", "to_status", "by", "at", "comment"]
    readonly_fields = ["at"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin, TranslationAdmin):
    list_display = ["reference", "title", "council", "subject", "status", "review_date"]
    list_filter = ["status", "subject", "council"]
    search_fields = ["title", "decision", "directorate"]
    inlines = [GroupJudgementInline, MitigationInline, AssessmentTransitionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("council")


for model in (GroupJudgement, Mitigation, AssessmentEvidence, AssessmentTransition):
    admin.site.register(model, ReadOnlyAdmin)
