from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from grants import selectors, services, stored
from grants.models import (
    AddedValue,
    AddedValueEvidence,
    Agreement,
    AgreementObjective,
    AgreementTerms,
    AnswerFlag,
    BeneficiaryCount,
    BeneficiaryFigures,
    BudgetHeading,
    BudgetLine,
    CharacteristicNotCollected,
    CorrectionLine,
    EvidenceFile,
    Fund,
    FundQuestion,
    FundTheme,
    IndicatorAnswer,
    IndicatorTarget,
    InKindContribution,
    InKindUse,
    InstalmentTransition,
    Message,
    MessageAttachment,
    MinimumRequirement,
    MonitoringMeeting,
    OrganisationDiversity,
    PaymentColumn,
    PaymentInstalment,
    PaymentRun,
    PaymentRunLine,
    PerformanceIndicator,
    QuarterlyReturn,
    QuestionAnswer,
    Reminder,
    ReportingPeriod,
    RequirementAnswer,
    ReturnCorrection,
    ReturnDue,
    ReturnSubmission,
    ReturnTransition,
    SpendAnswer,
    Variation,
    VariationBudgetLine,
    VariationIndicator,
    VariationInstalment,
    VariationTarget,
    VariationTransition,
    instalment_label,
    instalment_year_ordinal,
    schedule_shortfall,
)
from sla_monitor.models import OrganisationType


class FundQuestionInline(admin.StackedInline):
    """A fund's or an agreement's own questions, in the order its returns ask them. An answered
    question is retired, never deleted, so none is deleted here."""

    model = FundQuestion
    extra = 0
    can_delete = False
    ordering = ["order", "pk"]
    fields = [("order", "kind", "required", "retired"), "wording", "help_text", "choices"]


class FundThemeInline(TranslationTabularInline):
    model = FundTheme
    extra = 0


class FundForm(forms.ModelForm):
    eligible_organisation_types = forms.MultipleChoiceField(
        choices=OrganisationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The types of organisation the fund awards to; none ticked allows every type."),
    )

    class Meta:
        model = Fund
        fields = [
            "council",
            "name",
            "description",
            "budget",
            "maximum_award",
            "start_date",
            "end_date",
            "eligible_organisation_types",
            "eligibility",
            "criteria",
            "variance_threshold",
        ]


@admin.register(Fund)
class FundAdmin(TranslationAdmin):
    form = FundForm
    list_display = ["name", "council", "budget", "maximum_award", "start_date", "end_date"]
    list_filter = ["council"]
    list_select_related = ["council"]
    search_fields = ["name", "description", "council__name"]
    autocomplete_fields = ["council"]
    inlines = [FundThemeInline, FundQuestionInline]


class ObjectiveInline(TranslationTabularInline):
    model = AgreementObjective
    extra = 0


class RequirementInline(TranslationTabularInline):
    model = MinimumRequirement
    extra = 0


class IndicatorInline(TranslationStackedInline):
    model = PerformanceIndicator
    extra = 0
    fields = [
        ("code", "order"),
        "wording",
        ("measure_type", "target", "target_period", "unit", "amber_tolerance"),
        ("direction", "upper_bound"),
    ]


class InKindInline(TranslationTabularInline):
    model = InKindContribution
    extra = 0


class AddedValueInline(TranslationTabularInline):
    model = AddedValue
    extra = 0


class InstalmentFormSet(BaseInlineFormSet):
    """An agreement's instalments, when given, add up to its allocation."""

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        allocation = self.instance.total_allocation
        if not kept or allocation is None:
            return
        amounts = (data["amount"] for data in kept if data.get("amount") is not None)
        total = schedule_shortfall(amounts, allocation)
        if total is not None:
            raise ValidationError(
                gettext(
                    "The instalments add up to £%(total)s but the total allocation is "
                    "£%(allocation)s: make them add up, or delete them all to have the "
                    "schedule made again from the allocation."
                )
                % {"total": format(total, ",.2f"), "allocation": format(allocation, ",.2f")}
            )


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["financial_year", "order", "heading", "own_heading", "label", "amount"]


@admin.register(BudgetHeading)
class BudgetHeadingAdmin(admin.ModelAdmin):
    """A council's own budget headings, beside staff, running costs and activities."""

    list_display = ["name", "council", "order"]
    list_filter = ["council"]
    list_select_related = ["council"]
    search_fields = ["name", "council__name"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["agreement", "financial_year", "heading", "own_heading", "label", "amount"]
    list_filter = ["financial_year", "heading"]
    list_select_related = ["agreement", "own_heading"]
    search_fields = ["agreement__reference", "label"]
    raw_id_fields = ["agreement"]


class InstalmentInline(admin.TabularInline):
    model = PaymentInstalment
    formset = InstalmentFormSet
    extra = 0
    fields = ["sequence", "financial_year", "amount", "due_date", "depends_on_period", "status"]
    readonly_fields = ["status"]


@admin.register(Agreement)
class AgreementAdmin(TranslationAdmin):
    list_display = [
        "reference",
        "title",
        "provider",
        "funder",
        "fund",
        "lead_officer",
        "status",
        "start_date",
        "end_date",
        "total_allocation",
    ]
    list_filter = ["status", "funder", "fund"]
    list_select_related = ["provider", "funder", "fund", "lead_officer"]
    search_fields = ["reference", "title", "provider__name", "funder__name"]
    autocomplete_fields = ["funder", "provider", "fund", "lead_officer"]
    date_hierarchy = "start_date"
    inlines = [
        ObjectiveInline,
        RequirementInline,
        IndicatorInline,
        InKindInline,
        AddedValueInline,
        InstalmentInline,
        BudgetLineInline,
        FundQuestionInline,
    ]
    fieldsets = [
        (None, {"fields": ["reference", "title", "status"]}),
        (
            _("Parties"),
            {"fields": ["funder", "provider", "fund", "lead_officer", "signatory_position"]},
        ),
        (
            _("Period and money"),
            {
                "fields": [
                    "start_date",
                    "end_date",
                    "total_allocation",
                    "allocation_note",
                    "payment_terms",
                ]
            },
        ),
        (_("Outcome"), {"fields": ["outcome"]}),
        (_("Monitoring"), {"fields": ["requires_beneficiary_figures"]}),
        (_("Payments"), {"fields": ["supplier_reference"]}),
        (
            _("Publication as open data"),
            {"fields": ["award_date", "department", "purpose", "published"]},
        ),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.set_up_agreement(agreement=form.instance)


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0
    fields = ["financial_year", "target", "q1", "q2", "q3", "q4", "takes_effect_from"]


class RefiguresAgreement:
    """An indicator's or a target's change judges the agreement's answers anew: its stored
    figures are worked out again once the change and its inlines are saved (`grants.stored`)."""

    agreement_path = "agreement_id"

    def _agreement_id(self, obj) -> int:
        value = obj
        for name in self.agreement_path.split("."):
            value = getattr(value, name)
        return value

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        stored.refresh_agreement(self._agreement_id(form.instance))

    def delete_model(self, request, obj):
        agreement_id = self._agreement_id(obj)
        super().delete_model(request, obj)
        stored.refresh_agreement(agreement_id)


@admin.register(PerformanceIndicator)
class PerformanceIndicatorAdmin(RefiguresAgreement, TranslationAdmin):
    list_display = ["agreement", "code", "wording", "measure_type", "target", "target_period"]
    list_filter = ["measure_type", "target_period", "agreement__funder"]
    list_select_related = ["agreement"]
    search_fields = ["wording", "code", "agreement__reference"]
    autocomplete_fields = ["agreement"]
    inlines = [IndicatorTargetInline]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(RefiguresAgreement, admin.ModelAdmin):
    agreement_path = "indicator.agreement_id"

    list_display = ["indicator", "financial_year", "target", "takes_effect_from"]
    list_filter = ["financial_year", "indicator__agreement__funder"]
    list_select_related = ["indicator__agreement", "takes_effect_from"]
    search_fields = ["indicator__code", "indicator__agreement__reference"]
    autocomplete_fields = ["indicator"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "start_date", "end_date", "due_date"]
    list_filter = ["financial_year", "quarter"]
    search_fields = ["financial_year"]


class ReadOnlyMixin:
    """Answers and history change only through the return pages, where each change is
    permission-checked, versioned and recorded; the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IndicatorAnswerInline(ReadOnlyMixin, admin.StackedInline):
    model = IndicatorAnswer
    extra = 0


class RequirementAnswerInline(ReadOnlyMixin, admin.TabularInline):
    model = RequirementAnswer
    extra = 0


class QuestionAnswerInline(ReadOnlyMixin, admin.TabularInline):
    model = QuestionAnswer
    extra = 0
    fields = ["question", "wording", "kind", "asked", "text", "number", "yes_no", "date", "choice"]


class TransitionInline(ReadOnlyMixin, admin.TabularInline):
    model = ReturnTransition
    extra = 0
    fields = ["at", "by", "from_status", "to_status", "comment"]


@admin.register(QuarterlyReturn)
class QuarterlyReturnAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Providers start returns and officers decide them on the return pages; here they are read."""

    list_display = ["agreement", "period", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "period", "agreement__funder"]
    list_select_related = ["agreement", "period"]
    search_fields = ["agreement__reference", "agreement__title", "agreement__provider__name"]
    autocomplete_fields = ["agreement", "period"]
    readonly_fields = ["status", "version", "submitted_at", "decided_at"]
    inlines = [
        IndicatorAnswerInline,
        RequirementAnswerInline,
        QuestionAnswerInline,
        TransitionInline,
    ]


@admin.register(FundQuestion)
class FundQuestionAdmin(admin.ModelAdmin):
    list_display = ["wording", "fund", "agreement", "order", "kind", "required", "retired"]
    list_filter = ["kind", "required", "retired", "fund"]
    list_select_related = ["fund", "agreement"]
    search_fields = ["wording", "fund__name", "agreement__reference"]
    autocomplete_fields = ["fund", "agreement"]

    def has_delete_permission(self, request, obj=None):
        # An answered question is retired instead: its answers point at it.
        return obj is None or not obj.answers.exists()


@admin.register(QuestionAnswer)
class QuestionAnswerAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Providers answer on the return's pages; here the answers are read."""

    list_display = ["quarterly_return", "wording", "kind", "asked"]
    list_select_related = ["quarterly_return__agreement", "quarterly_return__period"]
    search_fields = ["wording", "quarterly_return__agreement__reference"]
    raw_id_fields = ["quarterly_return", "question"]


@admin.register(MinimumRequirement)
class MinimumRequirementAdmin(TranslationAdmin):
    list_display = ["agreement", "number", "text"]
    list_select_related = ["agreement"]
    search_fields = ["text", "agreement__reference"]
    list_filter = ["agreement__funder"]


@admin.register(IndicatorAnswer)
class IndicatorAnswerAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["quarterly_return", "indicator", "actual_value", "achieved"]
    list_select_related = ["quarterly_return__agreement", "quarterly_return__period", "indicator"]
    search_fields = ["quarterly_return__agreement__reference", "narrative"]
    list_filter = ["indicator__measure_type"]
    autocomplete_fields = ["quarterly_return", "indicator"]


@admin.register(RequirementAnswer)
class RequirementAnswerAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["quarterly_return", "requirement", "met"]
    list_select_related = ["quarterly_return__agreement", "quarterly_return__period", "requirement"]
    search_fields = ["quarterly_return__agreement__reference", "narrative"]
    list_filter = ["met"]
    autocomplete_fields = ["quarterly_return", "requirement"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "original_name",
        "quarterly_return",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]
    list_select_related = ["quarterly_return__agreement", "quarterly_return__period", "uploaded_by"]
    search_fields = ["original_name", "quarterly_return__agreement__reference"]
    list_filter = ["content_type"]
    raw_id_fields = [
        "quarterly_return",
        "indicator_answer",
        "requirement_answer",
        "added_value_evidence",
        "question_answer",
        "uploaded_by",
    ]


@admin.register(AddedValueEvidence)
class AddedValueEvidenceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["quarterly_return", "numeral", "statement"]
    list_select_related = ["quarterly_return__agreement", "quarterly_return__period"]
    search_fields = ["quarterly_return__agreement__reference", "statement", "narrative"]
    raw_id_fields = ["quarterly_return", "added_value"]


@admin.register(InKindUse)
class InKindUseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["quarterly_return", "description", "used", "value"]
    list_select_related = ["quarterly_return__agreement", "quarterly_return__period"]
    search_fields = ["quarterly_return__agreement__reference", "description", "used"]
    raw_id_fields = ["quarterly_return", "contribution"]


@admin.register(ReturnTransition)
class ReturnTransitionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The history is a record: it is read here, never written."""

    list_display = ["quarterly_return", "from_status", "to_status", "by", "at"]
    list_select_related = ["quarterly_return__agreement", "quarterly_return__period", "by"]
    list_filter = ["to_status"]
    search_fields = ["quarterly_return__agreement__reference", "comment", "by__username"]


@admin.register(ReturnDue)
class ReturnDueAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The returns each agreement still owes, worked out from its quarters and returns
    (`grants.stored`): read here, never written; `manage.py rebuild_figures` works them out
    again."""

    list_display = ["agreement", "period", "due_date", "quarterly_return"]
    list_select_related = ["agreement", "period", "quarterly_return__period"]
    list_filter = ["period__financial_year", "agreement__funder"]
    search_fields = ["agreement__reference"]
    date_hierarchy = "due_date"


@admin.register(ReturnSubmission)
class ReturnSubmissionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Each submission's answers as they were: a record, read here and never written."""

    list_display = ["quarterly_return", "number", "submitted_by", "submitted_at"]
    list_select_related = [
        "quarterly_return__agreement",
        "quarterly_return__period",
        "submitted_by",
    ]
    search_fields = ["quarterly_return__agreement__reference", "submitted_by__username"]
    readonly_fields = ["quarterly_return", "number", "submitted_by", "submitted_at", "answers"]


@admin.register(AnswerFlag)
class AnswerFlagAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Officers raise flags with a request for changes and clear them on the return's pages."""

    list_display = ["quarterly_return", "label", "raised_by", "raised_at", "cleared_because"]
    list_select_related = ["quarterly_return__agreement", "quarterly_return__period", "raised_by"]
    list_filter = ["cleared_because"]
    search_fields = ["quarterly_return__agreement__reference", "comment", "label"]


class CorrectionLineInline(ReadOnlyMixin, admin.TabularInline):
    model = CorrectionLine
    extra = 0
    fields = [
        "answer",
        "original_actual",
        "corrected_actual",
        "original_achieved",
        "corrected_achieved",
        "original_narrative",
        "corrected_narrative",
    ]


@admin.register(ReturnCorrection)
class ReturnCorrectionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Corrections are proposed and decided on the return's pages, where each step is checked
    and recorded; read here."""

    list_display = ["quarterly_return", "status", "proposed_by", "proposed_at", "decided_by"]
    list_select_related = [
        "quarterly_return__agreement",
        "quarterly_return__period",
        "proposed_by",
        "decided_by",
    ]
    list_filter = ["status"]
    search_fields = ["quarterly_return__agreement__reference", "reason", "decision_reason"]
    inlines = [CorrectionLineInline]


@admin.register(CorrectionLine)
class CorrectionLineAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["correction", "answer"]
    list_select_related = [
        "correction__quarterly_return__agreement",
        "correction__quarterly_return__period",
        "answer__indicator",
        "answer__quarterly_return__agreement",
        "answer__quarterly_return__period",
    ]
    raw_id_fields = ["correction", "answer"]


class MessageAttachmentInline(ReadOnlyMixin, admin.TabularInline):
    model = MessageAttachment
    extra = 0
    fields = ["original_name", "content_type", "size"]


@admin.register(MessageAttachment)
class MessageAttachmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A file sent with a message: read here, and downloaded only through its message's page."""

    list_display = ["original_name", "message", "content_type", "size"]
    list_select_related = ["message__agreement", "message__author"]
    search_fields = ["original_name", "message__agreement__reference"]
    raw_id_fields = ["message"]


@admin.register(Message)
class MessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """What was said is a record: read here, never changed."""

    list_display = ["agreement", "quarterly_return", "flag", "author", "sent_at"]
    list_select_related = ["agreement", "quarterly_return__period", "flag", "author"]
    search_fields = ["agreement__reference", "body", "author__username"]
    raw_id_fields = ["agreement", "quarterly_return", "flag", "author"]
    inlines = [MessageAttachmentInline]


class VariationTargetInline(ReadOnlyMixin, admin.TabularInline):
    model = VariationTarget
    extra = 0
    fields = ["indicator", "financial_year", "target", "q1", "q2", "q3", "q4"]


class VariationIndicatorInline(ReadOnlyMixin, admin.TabularInline):
    model = VariationIndicator
    extra = 0
    fields = ["code", "wording", "measure_type", "target", "target_period", "unit", "direction"]


class VariationInstalmentInline(ReadOnlyMixin, admin.TabularInline):
    model = VariationInstalment
    extra = 0
    fields = ["due_date", "amount", "depends_on_period"]


class VariationBudgetLineInline(ReadOnlyMixin, admin.TabularInline):
    model = VariationBudgetLine
    extra = 0
    fields = ["financial_year", "heading", "own_heading", "label", "amount"]


class VariationTransitionInline(ReadOnlyMixin, admin.TabularInline):
    model = VariationTransition
    extra = 0
    fields = ["at", "by", "step", "from_status", "to_status", "reason"]


@admin.register(Variation)
class VariationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Variations are drafted, approved and accepted on their pages, four eyes and the provider's
    acceptance each in turn: read here, never changed."""

    list_display = ["agreement", "number", "status", "takes_effect_from", "applied_at"]
    list_select_related = ["agreement", "takes_effect_from"]
    list_filter = ["status"]
    search_fields = ["agreement__reference", "reason", "request"]
    inlines = [
        VariationTargetInline,
        VariationIndicatorInline,
        VariationInstalmentInline,
        VariationBudgetLineInline,
        VariationTransitionInline,
    ]


@admin.register(VariationTarget)
class VariationTargetAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["variation", "indicator", "financial_year", "target"]
    list_select_related = ["variation__agreement", "indicator"]


@admin.register(VariationIndicator)
class VariationIndicatorAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["variation", "code", "wording", "measure_type", "target"]
    list_select_related = ["variation__agreement"]


@admin.register(VariationInstalment)
class VariationInstalmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["variation", "due_date", "amount"]
    list_select_related = ["variation__agreement"]


@admin.register(SpendAnswer)
class SpendAnswerAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Spend is given in the provider's return; read here, never changed."""

    list_display = ["quarterly_return", "budget_line", "spent_to_date"]
    list_select_related = ["quarterly_return__agreement", "quarterly_return__period", "budget_line"]


@admin.register(VariationBudgetLine)
class VariationBudgetLineAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["variation", "financial_year", "heading", "amount"]
    list_select_related = ["variation__agreement"]


@admin.register(VariationTransition)
class VariationTransitionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["variation", "step", "from_status", "to_status", "by", "at"]
    list_select_related = ["variation__agreement", "by"]


@admin.register(AgreementTerms)
class AgreementTermsAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The versions of an agreement's terms are a record: each applied variation adds one."""

    list_display = ["agreement", "number", "variation", "takes_effect_from", "recorded_at"]
    list_select_related = ["agreement", "variation", "takes_effect_from"]


@admin.register(PaymentInstalment)
class PaymentInstalmentAdmin(admin.ModelAdmin):
    list_display = ["agreement", "sequence", "label", "amount", "due_date", "status"]
    list_filter = ["status", "financial_year", "agreement__funder"]
    list_select_related = ["agreement"]
    search_fields = ["agreement__reference", "agreement__provider__name"]
    autocomplete_fields = ["agreement", "depends_on_period"]
    readonly_fields = ["status", "decided_by", "decided_at", "reason"]

    def get_queryset(self, request):
        return super().get_queryset(request).labelled()

    @admin.display(description=_("Instalment"), ordering="financial_year")
    def label(self, instalment: PaymentInstalment) -> str:
        return instalment.label


@admin.register(MonitoringMeeting)
class MonitoringMeetingAdmin(admin.ModelAdmin):
    list_display = ["agreement", "held_on", "period", "recorded_by"]
    list_filter = ["period", "agreement__funder"]
    list_select_related = ["agreement", "period", "recorded_by"]
    search_fields = ["agreement__reference", "attendees", "notes"]
    autocomplete_fields = ["agreement", "period", "recorded_by"]
    date_hierarchy = "held_on"


@admin.register(AgreementObjective, InKindContribution, AddedValue)
class AgreementPartAdmin(admin.ModelAdmin):
    """Parts of an agreement that are usually edited inline on it, listed here for search."""

    list_display = ["__str__", "agreement", "order"]
    list_select_related = ["agreement"]
    list_filter = ["agreement"]
    search_fields = ["agreement__reference", "agreement__title"]


@admin.register(FundTheme)
class FundThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "fund", "order"]
    list_select_related = ["fund__council"]
    list_filter = ["fund"]
    search_fields = ["name", "description", "fund__name"]


@admin.register(InstalmentTransition)
class InstalmentTransitionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Releases and withholdings are recorded on the agreement page; here they are read."""

    list_display = ["instalment_label", "from_status", "to_status", "by", "at"]
    list_select_related = ["instalment__agreement", "by"]
    list_filter = ["to_status"]
    search_fields = ["instalment__agreement__reference", "reason", "by__username"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(year_ordinal=instalment_year_ordinal("instalment__"))
        )

    @admin.display(description=_("Instalment"))
    def instalment_label(self, transition: InstalmentTransition) -> str:
        instalment = transition.instalment
        label = instalment_label(instalment.financial_year, transition.year_ordinal)
        return f"{instalment.agreement.reference} {label}"


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["agreement", "period", "kind", "recipients", "sent_at"]
    list_select_related = ["agreement", "period"]
    list_filter = ["kind", "period"]
    search_fields = ["agreement__reference", "recipients"]


@admin.register(BeneficiaryFigures)
class BeneficiaryFiguresAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Who a return reached: read only, since the provider gives the figures in the return, and
    shown as anyone but the provider sees them, as published (rounded to multiples of 5)."""

    list_display = ["quarterly_return", "people_reached_published", "updated_by", "updated_at"]
    list_select_related = ["quarterly_return__agreement", "quarterly_return__period", "updated_by"]
    fields = [
        "quarterly_return",
        "people_reached_published",
        "as_published",
        "updated_by",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("Counts, as published"))
    def as_published(self, figures: BeneficiaryFigures) -> str:
        shown = selectors.beneficiary_section(figures.quarterly_return).shown(as_entered=False)
        lines = []
        for characteristic in shown.characteristics:
            if characteristic.not_collected:
                lines.append(
                    gettext("%(characteristic)s: not collected")
                    % {"characteristic": characteristic.characteristic.name}
                )
            elif characteristic.rows:
                cells = "; ".join(f"{row.label} {row.count}" for row in characteristic.rows)
                lines.append(f"{characteristic.characteristic.name}: {cells}")
        return format_html_join("\n", "<div>{}</div>", ((line,) for line in lines))


@admin.register(BeneficiaryCount)
class BeneficiaryCountAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Which categories a return counted, with each count as published; a count as entered is
    only ever the provider's to read."""

    list_display = ["figures", "characteristic", "category", "published"]
    list_filter = ["characteristic"]
    list_select_related = [
        "figures__quarterly_return__agreement",
        "figures__quarterly_return__period",
    ]

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request, obj)


@admin.register(CharacteristicNotCollected)
class CharacteristicNotCollectedAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["figures", "characteristic", "reason"]
    list_filter = ["characteristic"]
    list_select_related = [
        "figures__quarterly_return__agreement",
        "figures__quarterly_return__period",
    ]


@admin.register(OrganisationDiversity)
class OrganisationDiversityAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """An organisation's own answers: given and changed only by its people on its page; the
    admin shows them."""

    list_display = ["organisation", "financial_year", "leadership_reply", "mission_reply"]
    list_select_related = ["organisation"]
    list_filter = ["financial_year", "may_publish"]
    search_fields = ["organisation__name"]


class PaymentRunLineInline(admin.TabularInline):
    model = PaymentRunLine
    extra = 0
    can_delete = False
    fields = ["instalment", "live"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PaymentRun)
class PaymentRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A council's payment runs: exported, paid and reversed by its finance officers on the
    payments page; the admin shows them."""

    list_display = ["council", "number", "status", "created_at", "paid_on"]
    list_filter = ["status", "council"]
    list_select_related = ["council"]
    inlines = [PaymentRunLineInline]


@admin.register(PaymentRunLine)
class PaymentRunLineAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["run", "instalment", "live"]
    list_select_related = ["run__council", "instalment__agreement"]


@admin.register(PaymentColumn)
class PaymentColumnAdmin(admin.ModelAdmin):
    list_display = ["council", "position", "field", "heading"]
    list_filter = ["council"]
    list_select_related = ["council"]
