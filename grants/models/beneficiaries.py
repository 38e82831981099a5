"""Who a return's service reached: the people it worked with, counted by protected
characteristic. Counts only: never a person."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.models.constraints import _non_negative, _rounded
from grants.models.returns import QuarterlyReturn
from sla_monitor.equality import CHARACTERISTIC_CHOICES


class BeneficiaryFigures(models.Model):
    """The people a return's service worked with in its quarter, counted by category for each
    protected characteristic (`sla_monitor.equality`). Counts only: never a person.

    Written only through grants.services; each characteristic's counts add up to
    `people_reached`, or the characteristic is marked not collected with a reason. Beside each
    true figure is its published one (`sla_monitor.suppression`), which is all that anyone but
    the provider reads.
    """

    quarterly_return = models.OneToOneField(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="beneficiary_figures"
    )
    people_reached = models.PositiveIntegerField(
        help_text=_("People the service worked with in the quarter.")
    )
    people_reached_published = models.PositiveIntegerField(
        "people reached, as published",
        help_text=_(
            "The people reached as anyone but the provider reads them: rounded to a "
            "multiple of 5 when the figures were saved."
        ),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("beneficiary figures")
        verbose_name_plural = _("beneficiary figures")
        constraints = [
            _non_negative(
                "people_reached", "beneficiaries_reached_not_negative", _("People reached")
            ),
            _rounded(
                "people_reached_published",
                "beneficiaries_reached_published_rounded",
                _("People reached, as published,"),
            ),
        ]

    def __str__(self) -> str:
        return f"People reached, {self.quarterly_return}"


class BeneficiaryCount(models.Model):
    """How many of the people reached fall in one category of one characteristic."""

    figures = models.ForeignKey(BeneficiaryFigures, on_delete=models.CASCADE, related_name="counts")
    characteristic = models.CharField(max_length=40, choices=CHARACTERISTIC_CHOICES)
    category = models.CharField(max_length=40)
    count = models.PositiveIntegerField()
    published = models.PositiveIntegerField(
        "count, as published",
        help_text=_(
            "The count as anyone but the provider reads it: rounded to a multiple of 5 "
            "when the figures were saved."
        ),
    )

    class Meta:
        verbose_name = _("beneficiary count")
        verbose_name_plural = _("beneficiary counts")
        ordering = ["figures", "characteristic", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["figures", "characteristic", "category"],
                name="one_count_per_category",
            ),
            _non_negative("count", "beneficiary_count_not_negative", _("A count")),
            _rounded("published", "beneficiary_count_published_rounded", _("A published count")),
        ]

    def __str__(self) -> str:
        return f"{self.characteristic} {self.category}: {self.count}"


class CharacteristicNotCollected(models.Model):
    """A characteristic a provider did not ask about this quarter, and why."""

    figures = models.ForeignKey(
        BeneficiaryFigures, on_delete=models.CASCADE, related_name="not_collected"
    )
    characteristic = models.CharField(max_length=40, choices=CHARACTERISTIC_CHOICES)
    reason = models.CharField(max_length=500)

    class Meta:
        verbose_name = _("characteristic not collected")
        ordering = ["figures", "characteristic"]
        verbose_name_plural = _("characteristics not collected")
        constraints = [
            models.UniqueConstraint(
                fields=["figures", "characteristic"], name="characteristic_not_collected_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.characteristic} not collected"
