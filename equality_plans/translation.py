"""What councils write in an equality plan and a published equality impact assessment, kept in
Welsh and English.

Each field registered here has a column for each language beside the original on the same row
(`title_en_gb`, `title_cy`); pages show them through the `in_language` tag (docs/welsh.md,
"What councils write").
"""

from modeltranslation.translator import TranslationOptions, register

from equality_plans.models import Action, ActionPlan, Assessment, Objective, Section


@register(ActionPlan)
class ActionPlanTranslation(TranslationOptions):
    fields = ("title", "goal", "description")
    # A title is unique in its council (a section's in its plan) in each language: one not
    # written in Welsh is kept as none, never as an empty title that another's would clash with.
    empty_values = {"title": None}


@register(Section)
class SectionTranslation(TranslationOptions):
    fields = ("title",)
    empty_values = {"title": None}


@register(Objective)
class ObjectiveTranslation(TranslationOptions):
    fields = ("title",)


@register(Action)
class ActionTranslation(TranslationOptions):
    fields = ("wording", "outcome", "measurable_target")


@register(Assessment)
class AssessmentTranslation(TranslationOptions):
    fields = ("title", "decision", "justification")
