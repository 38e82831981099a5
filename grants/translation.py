"""What councils write in a fund and an agreement, kept in Welsh and English.

Each field registered here has a column for each language beside the original on the same row
(`title_en_gb`, `title_cy`); reading `agreement.title` gives the reader's language, or the other
where the reader's is blank. Pages show it through the `in_language` tag, which marks the other
language's text as such (docs/welsh.md, "What councils write").
"""

from modeltranslation.translator import TranslationOptions, register

from grants.models import (
    AddedValue,
    Agreement,
    AgreementObjective,
    Fund,
    FundTheme,
    InKindContribution,
    MinimumRequirement,
    PerformanceIndicator,
)


@register(Fund)
class FundTranslation(TranslationOptions):
    fields = ("name", "description")
    # A name is unique in its council in each language: a name not written in Welsh is kept as
    # none, never as an empty name that a second fund's would clash with.
    empty_values = {"name": None}


@register(FundTheme)
class FundThemeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title", "purpose", "outcome", "payment_terms")


@register(AgreementObjective)
class AgreementObjectiveTranslation(TranslationOptions):
    fields = ("text",)


@register(MinimumRequirement)
class MinimumRequirementTranslation(TranslationOptions):
    fields = ("text",)


@register(PerformanceIndicator)
class PerformanceIndicatorTranslation(TranslationOptions):
    fields = ("wording",)


@register(InKindContribution)
class InKindContributionTranslation(TranslationOptions):
    fields = ("description",)


@register(AddedValue)
class AddedValueTranslation(TranslationOptions):
    fields = ("text",)
