"""A funded organisation's own answers on the diversity of its leadership and of its mission."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants import diversity
from sla_monitor.models import Organisation
from sla_monitor.periods import financial_year_label

REPLY_CHOICES = [(code, diversity.REPLY_STATUS[code].title) for code in diversity.REPLIES]


def _reply_given(area: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{area}_reply__in": diversity.REPLIES}),
        name=f"diversity_{area}_reply_valid",
        violation_error_message=gettext("Choose an answer about the organisation's %(area)s.")
        % {"area": area},
    )


class OrganisationDiversity(models.Model):
    """A funded organisation's own answers to the 360Giving DEI Extension's questions on its
    leadership and its mission, given once a financial year (`grants.diversity`). Optional: an
    organisation that never answers simply has none.

    Written only through grants.services; the change history keeps every change, with who made
    it. Published with the organisation's grants only if `may_publish`."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="diversity_answers"
    )
    financial_year = models.PositiveSmallIntegerField(
        help_text=_("The financial year the answers are for, by the year it starts in.")
    )
    leadership_reply = models.CharField(max_length=5, choices=REPLY_CHOICES)
    leadership_codes = models.JSONField(
        default=list, blank=True, help_text=_("DEI taxonomy codes, for a reply got.")
    )
    leadership_lived_experience = models.CharField(
        max_length=diversity.LIVED_EXPERIENCE_LENGTH, blank=True
    )
    leadership_geography = models.CharField(max_length=diversity.GEOGRAPHY_LENGTH, blank=True)
    mission_reply = models.CharField(max_length=5, choices=REPLY_CHOICES)
    mission_codes = models.JSONField(
        default=list, blank=True, help_text=_("DEI taxonomy codes, for a reply got.")
    )
    mission_lived_experience = models.CharField(
        max_length=diversity.LIVED_EXPERIENCE_LENGTH, blank=True
    )
    mission_geography = models.CharField(max_length=diversity.GEOGRAPHY_LENGTH, blank=True)
    may_publish = models.BooleanField(
        help_text=_("The organisation lets the councils that fund it publish the answers.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "-financial_year"]
        verbose_name = _("organisation's diversity")
        verbose_name_plural = _("organisations' diversity")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "financial_year"],
                name="diversity_once_a_year",
                violation_error_message=_("The organisation has answered for this year already."),
            ),
            _reply_given("leadership"),
            _reply_given("mission"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name}: diversity, {self.year_label}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    def answer(self, area: str) -> diversity.AreaAnswer:
        return diversity.AreaAnswer(
            reply=getattr(self, f"{area}_reply"),
            codes=tuple(getattr(self, f"{area}_codes")),
            lived_experience=getattr(self, f"{area}_lived_experience"),
            geography=getattr(self, f"{area}_geography"),
        )

    @property
    def areas(self) -> list[diversity.Answered]:
        return [diversity.Answered(area, self.answer(area.key)) for area in diversity.AREAS]
