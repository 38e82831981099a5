"""A provider's quarterly return: its answers, their evidence, the decisions on it and its answers
as each submission left them; and the rules on returns and answers (overdue, reported,
complete, year to date)."""

import datetime as dt
from decimal import Decimal
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from grants.lifecycle import NEVER_SUBMITTED, NOT_YET_SUBMITTED, ReturnStatus
from grants.models.agreements import (
    Agreement,
    MeasureType,
    MinimumRequirement,
    PerformanceIndicator,
    ReportingPeriod,
)
from grants.models.constraints import _non_negative

# What reports, results and the year's totals count: what the provider has submitted.
REPORTED = (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED)


def overdue_on(today: dt.date, *, due_date: dt.date, status: str | None) -> bool:
    """A quarter's return is overdue once its due date has passed while it is not started
    (`status` None) or never yet submitted. `QuarterlyReturnQuerySet.overdue` is the same rule."""
    return due_date < today and (status is None or status in NEVER_SUBMITTED)


class QuarterlyReturnQuerySet(models.QuerySet):
    def _overdue(self, today: dt.date) -> Q:
        return Q(period__due_date__lt=today, status__in=NEVER_SUBMITTED)

    def overdue(self, today: dt.date) -> "QuarterlyReturnQuerySet":
        """Started returns past their due date and never submitted (see `overdue_on`)."""
        return self.filter(self._overdue(today))

    def not_overdue(self, today: dt.date) -> "QuarterlyReturnQuerySet":
        return self.exclude(self._overdue(today))

    def reported(self) -> "QuarterlyReturnQuerySet":
        return self.filter(status__in=REPORTED)


class QuarterlyReturn(models.Model):
    """A provider's monitoring return for one agreement and one quarter.

    Its status follows `grants.lifecycle.RETURN` and changes only through grants.services, which
    records each change as a ReturnTransition; `version` rises with every save so a stale form
    can be refused.
    """

    Status = ReturnStatus

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="returns")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Stored by `grants.stored` from the transitions: the days after its due date the return was
    # first submitted (0 when on time), and the days from its latest submission to the decision
    # on it; None until then.
    days_late = models.PositiveIntegerField(null=True, editable=False)
    days_to_decide = models.FloatField(null=True, editable=False)

    objects = QuarterlyReturnQuerySet.as_manager()

    class Meta:
        verbose_name = _("quarterly return")
        verbose_name_plural = _("quarterly returns")
        ordering = ["period__financial_year", "period__quarter", "agreement__reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period"], name="one_return_per_agreement_and_period"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReturnStatus.values),
                name="return_status_valid",
                violation_error_message=(
                    _("Choose a status: draft, submitted, changes requested or approved.")
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} {self.period}"

    @property
    def period_label(self) -> str:
        """The period the return covers, as it is named: "Q2 2026/27", or for a six-monthly or
        annual return its months, "April to September 2026"."""
        return self.agreement.return_period_label(self.period)

    @property
    def covers(self) -> tuple:
        """The first and last day the return covers."""
        return self.agreement.covered_by(self.period)

    @property
    def awaits_submission(self) -> bool:
        """A draft or a return sent back: the provider has still to submit it."""
        return self.status in NOT_YET_SUBMITTED


# What an answer must give, by its indicator's measure, before its return can be submitted:
# the field that holds it, the condition it meets once given, and what to ask for otherwise.
REQUIRED_ANSWER = {
    MeasureType.COUNT: (
        "actual_value",
        Q(actual_value__isnull=False),
        _("Enter the actual for indicator {code}"),
    ),
    MeasureType.PERCENTAGE: (
        "actual_value",
        Q(actual_value__isnull=False),
        _("Enter the actual for indicator {code}"),
    ),
    MeasureType.MILESTONE: (
        "achieved",
        Q(achieved__isnull=False),
        _("Say whether indicator {code} has been achieved"),
    ),
    MeasureType.NARRATIVE: (
        "narrative",
        ~Q(narrative=""),
        _("Describe the work for indicator {code}"),
    ),
}
COMPLETE_ANSWER = reduce(
    or_,
    (
        Q(indicator__measure_type=measure) & given
        for measure, (_field, given, _ask) in REQUIRED_ANSWER.items()
    ),
)


def _reported_before(indicator, financial_year, quarter):
    """The sum of an indicator's actuals reported in the quarters of the financial year before
    `quarter`: the year to date an answer adds its own actual to."""
    return Subquery(
        IndicatorAnswer.objects.filter(
            indicator=indicator,
            quarterly_return__status__in=REPORTED,
            quarterly_return__period__financial_year=financial_year,
            quarterly_return__period__quarter__lt=quarter,
        )
        .order_by()
        .values("indicator")
        .annotate(total=Sum("actual_value"))
        .values("total"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


class IndicatorAnswerQuerySet(models.QuerySet):
    def reported(self) -> "IndicatorAnswerQuerySet":
        return self.filter(quarterly_return__status__in=REPORTED)

    def milestones_achieved(self) -> "IndicatorAnswerQuerySet":
        """Milestones a submitted return reports achieved. Once achieved, a milestone stays
        achieved: the agreement's later returns show it and do not ask it again."""
        return self.reported().filter(indicator__measure_type=MeasureType.MILESTONE, achieved=True)

    def complete(self) -> "IndicatorAnswerQuerySet":
        """Answers that give what their measure asks for (`REQUIRED_ANSWER`)."""
        return self.filter(COMPLETE_ANSWER)

    def with_completeness(self) -> "IndicatorAnswerQuerySet":
        """Each answer with `is_complete`, the same condition as `complete()`."""
        return self.annotate(
            is_complete=ExpressionWrapper(COMPLETE_ANSWER, output_field=BooleanField())
        )

    def with_year_to_date(self) -> "IndicatorAnswerQuerySet":
        """Each answer with `year_to_date`: its own actual plus the actuals reported for its
        indicator in the earlier quarters of the same financial year; None when neither is."""
        period = "quarterly_return__period__"
        zero = Value(Decimal("0"))
        money = DecimalField(max_digits=14, decimal_places=2)
        return self.annotate(
            reported_before=_reported_before(
                OuterRef("indicator"),
                OuterRef(f"{period}financial_year"),
                OuterRef(f"{period}quarter"),
            )
        ).annotate(
            year_to_date=Case(
                When(actual_value__isnull=True, reported_before__isnull=True, then=Value(None)),
                default=Coalesce("actual_value", zero, output_field=money)
                + Coalesce("reported_before", zero, output_field=money),
                output_field=money,
            )
        )


def add_year_to_date(answers: list["IndicatorAnswer"]) -> list["IndicatorAnswer"]:
    """Sets `year_to_date` on answers already read, as `with_year_to_date()` would, with one
    grouped query over their indicators' reported actuals in the same financial years: its cost
    follows the answers given, not the history kept, and needs no planner statistics. Each
    answer needs its `quarterly_return.period` read, and its return's `agreement_id`."""
    wanted = {(a.indicator_id, a.quarterly_return.period.financial_year) for a in answers}
    if not wanted:
        return answers
    reported: dict[tuple[int, int], dict[int, Decimal]] = {}
    for indicator_id, year, quarter, total in (
        IndicatorAnswer.objects.filter(
            indicator_id__in={indicator for indicator, _year in wanted},
            # Implied by the indicators; named so that only their agreements' returns are read.
            quarterly_return__agreement_id__in={a.quarterly_return.agreement_id for a in answers},
            quarterly_return__status__in=REPORTED,
            quarterly_return__period__financial_year__in={year for _indicator, year in wanted},
            actual_value__isnull=False,
        )
        .order_by()
        .values_list(
            "indicator_id",
            "quarterly_return__period__financial_year",
            "quarterly_return__period__quarter",
        )
        .annotate(total=Sum("actual_value"))
    ):
        reported.setdefault((indicator_id, year), {})[quarter] = total
    for answer in answers:
        period = answer.quarterly_return.period
        earlier = [
            total
            for quarter, total in reported.get(
                (answer.indicator_id, period.financial_year), {}
            ).items()
            if quarter < period.quarter
        ]
        if answer.actual_value is None and not earlier:
            answer.year_to_date = None
        else:
            answer.year_to_date = (answer.actual_value or Decimal(0)) + sum(earlier, Decimal(0))
    return answers


def reported_before_quarter(financial_year: int, quarter: int):
    """For annotating performance indicators: the actuals reported in the year before `quarter`,
    the year to date of a quarter whose answer has not been given."""
    return _reported_before(OuterRef("pk"), financial_year, quarter)


class IndicatorAnswer(models.Model):
    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="indicator_answers"
    )
    indicator = models.ForeignKey(
        PerformanceIndicator, on_delete=models.PROTECT, related_name="answers"
    )
    actual_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    achieved = models.BooleanField(null=True, blank=True, help_text=_("For yes/no milestones."))
    narrative = models.TextField(blank=True)
    # Stored by `grants.stored` whenever what judges the answer changes (its figures, its
    # return's status, an earlier quarter's, the indicator's targets, the agreement's reporting
    # frequency): its RAG ("" when its indicator has none), its year to date
    # (`add_year_to_date`) and the target it was judged against (`grants.rag.target_to_date`).
    rag = models.CharField(max_length=5, blank=True, editable=False)
    year_total = models.DecimalField(max_digits=14, decimal_places=2, null=True, editable=False)
    judged_target = models.DecimalField(max_digits=14, decimal_places=2, null=True, editable=False)

    objects = IndicatorAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator answer")
        verbose_name_plural = _("indicator answers")
        ordering = ["quarterly_return", "indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "indicator"], name="one_answer_per_indicator"
            ),
            _non_negative("actual_value", "answer_actual_not_negative", _("The actual")),
        ]

    def __str__(self) -> str:
        return f"{self.quarterly_return}: indicator {self.indicator.code}"

    @property
    def is_given(self) -> bool:
        """Anything at all has been given."""
        return self.actual_value is not None or self.achieved is not None or bool(self.narrative)

    @property
    def missing(self) -> tuple[str, str] | None:
        """When incomplete, the field still needed and what to ask for (`REQUIRED_ANSWER`);
        `is_complete` must come from `with_completeness()`, or be False on an unsaved answer."""
        if getattr(self, "is_complete", False):
            return None
        field, _given, ask = REQUIRED_ANSWER[self.indicator.measure_type]
        return field, ask.format(code=self.indicator.code)


# A minimum requirement's answer is complete once it says whether the requirement was met and,
# if it was not, why.
COMPLETE_REQUIREMENT = Q(met=True) | (Q(met=False) & ~Q(narrative=""))


class RequirementAnswerQuerySet(models.QuerySet):
    def complete(self) -> "RequirementAnswerQuerySet":
        return self.filter(COMPLETE_REQUIREMENT)

    def with_completeness(self) -> "RequirementAnswerQuerySet":
        return self.annotate(
            is_complete=ExpressionWrapper(COMPLETE_REQUIREMENT, output_field=BooleanField())
        )


class RequirementAnswer(models.Model):
    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="requirement_answers"
    )
    requirement = models.ForeignKey(
        MinimumRequirement, on_delete=models.PROTECT, related_name="answers"
    )
    met = models.BooleanField(null=True, blank=True)
    narrative = models.TextField(blank=True)

    objects = RequirementAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("requirement answer")
        verbose_name_plural = _("requirement answers")
        ordering = ["quarterly_return", "requirement__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "requirement"], name="one_answer_per_requirement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarterly_return}: requirement {self.requirement.number}"

    @property
    def is_given(self) -> bool:
        return self.met is not None or bool(self.narrative)

    @property
    def missing(self) -> tuple[str, str] | None:
        """When incomplete, the field still needed and what to ask for; `is_complete` comes
        from `with_completeness()`, or is False on an unsaved answer."""
        if getattr(self, "is_complete", False):
            return None
        number = self.requirement.number
        if self.met is None:
            return "met", gettext("Say whether minimum requirement %(number)s was met") % {
                "number": number
            }
        return "narrative", gettext("Explain why minimum requirement %(number)s was not met") % {
            "number": number
        }


def evidence_upload_to(instance: "EvidenceFile", filename: str) -> str:
    quarterly_return = instance.quarterly_return
    return f"evidence/{quarterly_return.agreement_id}/{quarterly_return.pk}/{filename}"


class EvidenceFile(models.Model):
    """A file supporting an answer. Served only through a permission-checked view."""

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="evidence_files"
    )
    indicator_answer = models.ForeignKey(
        IndicatorAnswer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence_files",
    )
    requirement_answer = models.ForeignKey(
        RequirementAnswer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence_files",
    )
    added_value_evidence = models.ForeignKey(
        "grants.AddedValueEvidence",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence_files",
    )
    question_answer = models.ForeignKey(
        "grants.QuestionAnswer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence_files",
    )
    file = models.FileField(upload_to=evidence_upload_to)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                # At most one of the answers it may belong to.
                condition=(
                    Q(indicator_answer__isnull=True, requirement_answer__isnull=True)
                    | Q(indicator_answer__isnull=True, added_value_evidence__isnull=True)
                    | Q(requirement_answer__isnull=True, added_value_evidence__isnull=True)
                ),
                name="evidence_belongs_to_one_answer",
                violation_error_message=_("An evidence file belongs to one answer only."),
            ),
            models.CheckConstraint(
                condition=Q(question_answer__isnull=True)
                | Q(
                    indicator_answer__isnull=True,
                    requirement_answer__isnull=True,
                    added_value_evidence__isnull=True,
                ),
                name="evidence_of_a_question_belongs_to_it_only",
                violation_error_message=_("An evidence file belongs to one answer only."),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class ReturnTransition(models.Model):
    """One change of a return's status: who, when, from, to and why."""

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=20, choices=QuarterlyReturn.Status.choices)
    to_status = models.CharField(max_length=20, choices=QuarterlyReturn.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)
    flagged_answers = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Answers a request for changes named: a list of {label, comment}."),
    )

    class Timing(models.TextChoices):
        """What a transition's `days` measure, stored by `grants.stored`."""

        LATE = "late", gettext_lazy("Days late")  # a first submission: days after the due date
        DECIDED = "decided", gettext_lazy("Days to decide")  # a decision: days since the submission
        REWORKED = (
            "reworked",
            gettext_lazy("Days with the provider"),
        )  # a resubmission: since sent back

    timing = models.CharField(max_length=10, choices=Timing.choices, blank=True, editable=False)
    days = models.FloatField(null=True, editable=False)

    class Meta:
        verbose_name = _("return status change")
        verbose_name_plural = _("return status changes")
        ordering = ["quarterly_return", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.quarterly_return}: {self.from_status} → {self.to_status}"


class ReturnDue(models.Model):
    """A return an agreement owes: one row for each quarter it reports in whose return has never
    been submitted, with the draft if one was started. Stored by `grants.stored` when the
    agreement's term, frequency or returns change, so that what is owed and overdue is read from
    the rows still owed, however long the history (`grants.worklists.owed_returns`)."""

    # Rows worked out from others: removing an agreement removes them without asking.
    derived = True

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField()
    quarterly_return = models.OneToOneField(
        QuarterlyReturn, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("return due")
        verbose_name_plural = _("returns due")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "period"], name="one_return_due_a_quarter")
        ]
        indexes = [models.Index(fields=["due_date", "agreement"], name="return_due_by_date")]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.period}"


class ReturnSubmission(models.Model):
    """The answers of a return as they were at one submission, so resubmissions can be compared."""

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveSmallIntegerField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    answers = models.JSONField(help_text=_("Each answer's label and values, keyed by answer."))

    class Meta:
        verbose_name = _("submitted return")
        verbose_name_plural = _("submitted returns")
        ordering = ["quarterly_return", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "number"], name="submission_number_unique_per_return"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarterly_return}, submission {self.number}"
