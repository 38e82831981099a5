"""Questions a fund, or one agreement, adds to its returns, and a return's answers to them.

An answer keeps a copy of its question's wording, kind and choices as they were when it was
last saved or submitted, so that changing a fund's questions never alters a submitted return."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grants.models.agreements import Agreement
from grants.models.funds import Fund
from grants.models.returns import QuarterlyReturn

# An answer's text is a page at most; a short answer a line.
SHORT_TEXT_LENGTH = 500
LONG_TEXT_LENGTH = 5000
CHOICE_LENGTH = 200
# Whole numbers and money share one column, as wide as an amount of money.
NUMBER = {"max_digits": 14, "decimal_places": 2}


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    WHOLE_NUMBER = "whole_number", _("Whole number")
    MONEY = "money", _("Money")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One of a list")
    DATE = "date", _("A date")
    FILE = "file", _("A file")


def choice_list(choices: str) -> list[str]:
    """The choices of a question of one of a list: one per line, blank lines left out."""
    return [line.strip() for line in choices.splitlines() if line.strip()]


class FundQuestionQuerySet(models.QuerySet):
    def in_force(self) -> "FundQuestionQuerySet":
        return self.filter(retired=False)

    def for_agreement(self, agreement: Agreement) -> "FundQuestionQuerySet":
        """The questions an agreement's returns ask: its fund's, then its own."""
        asked = Q(agreement_id=agreement.pk)
        if agreement.fund_id is not None:
            asked |= Q(fund_id=agreement.fund_id)
        return self.filter(asked).order_by(models.F("fund_id").asc(nulls_last=True), "order", "pk")


class FundQuestion(models.Model):
    """A question a fund asks in every return of its agreements, or one agreement asks in its
    own. Once answered it is retired, never deleted: its answers keep pointing at it."""

    Kind = QuestionKind

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="questions"
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, null=True, blank=True, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(default=1)
    wording = models.CharField(_("question"), max_length=500)
    help_text = models.TextField(_("help text"), blank=True)
    kind = models.CharField(
        _("kind of answer"), max_length=20, choices=QuestionKind.choices, default="short_text"
    )
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For one of a list: one choice per line.")
    )
    required = models.BooleanField(_("required"), default=True)
    retired = models.BooleanField(
        _("retired"), default=False, help_text=_("No longer asked in returns not yet submitted.")
    )

    objects = FundQuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("fund question")
        verbose_name_plural = _("fund questions")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(fund__isnull=False) & Q(agreement__isnull=True))
                | (Q(fund__isnull=True) & Q(agreement__isnull=False)),
                name="question_of_a_fund_or_an_agreement",
                violation_error_message=_("A question belongs to a fund or to one agreement."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values),
                name="question_kind_valid",
                violation_error_message=_("Choose the kind of answer the question asks for."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=QuestionKind.CHOICE) | ~Q(choices=""),
                name="question_of_a_list_has_choices",
                violation_error_message=_("Give the choices of a question of one of a list."),
            ),
        ]

    def __str__(self) -> str:
        return self.wording

    @property
    def choice_list(self) -> list[str]:
        return choice_list(self.choices)


class QuestionAnswer(models.Model):
    """A return's answer to one question: the value in the column its kind uses (a file in the
    return's evidence files), and the question as it was asked."""

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="question_answers"
    )
    question = models.ForeignKey(FundQuestion, on_delete=models.PROTECT, related_name="answers")
    # The question as it was when the answer was last saved or its return submitted.
    wording = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    choices = models.TextField(blank=True)
    # Whether the return, as last submitted, asked this question: an answer given to a
    # question retired before the return was submitted stays, unasked.
    asked = models.BooleanField(default=True)
    text = models.TextField(blank=True)
    number = models.DecimalField(**NUMBER, null=True, blank=True)
    yes_no = models.BooleanField(null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    choice = models.CharField(max_length=CHOICE_LENGTH, blank=True)

    class Meta:
        verbose_name = _("question answer")
        verbose_name_plural = _("question answers")
        ordering = ["quarterly_return", "question__order", "question"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarterly_return}: {self.wording}"

    @property
    def choice_list(self) -> list[str]:
        return choice_list(self.choices)

    def keep_question(self, question: FundQuestion) -> None:
        """Copy the question as it is now."""
        self.wording, self.kind, self.choices = question.wording, question.kind, question.choices
