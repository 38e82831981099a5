import datetime as dt
from decimal import Decimal
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.utils import dateformat
from django.utils.formats import date_format

from grants import diversity, figures
from grants.lifecycle import NEVER_SUBMITTED, NOT_YET_SUBMITTED, InstalmentStatus, ReturnStatus
from grants.rag import Measure
from sla_monitor.equality import CHARACTERISTIC_CHOICES
from sla_monitor.models import Organisation
from sla_monitor.periods import financial_year_label
from sla_monitor.suppression import BASE

MONEY = {"max_digits": 12, "decimal_places": 2}
ROMAN_NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _non_negative(field: str, name: str, label: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}),
        name=name,
        violation_error_message=f"{label} cannot be negative.",
    )


def _rounded(field: str, name: str, label: str) -> models.CheckConstraint:
    """A published count of people: a multiple of 5, never below 0 (`sla_monitor.suppression`)."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}) & Exact(F(field) % BASE, 0),
        name=name,
        violation_error_message=f"{label} must be a multiple of {BASE}, not below 0.",
    )


class Fund(models.Model):
    """A council's grant programme (seed 002's community cohesion fund)."""

    council = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="funds",
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    budget = models.DecimalField(**MONEY)
    maximum_award = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="Upper limit of a single grant, if one is set."
    )
    start_date = models.DateField(help_text="First day of the first financial year funded.")
    end_date = models.DateField(help_text="Last day of the last financial year funded.")
    eligible_organisation_types = models.TextField(blank=True)
    criteria = models.TextField(blank=True, help_text="Grant criteria, one per line.")

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            _non_negative("budget", "fund_budget_not_negative", "The budget"),
            _non_negative("maximum_award", "fund_maximum_award_not_negative", "The maximum award"),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="fund_end_after_start",
                violation_error_message="The fund must end after it starts.",
            ),
            models.UniqueConstraint(
                fields=["council", "name"], name="fund_name_unique_per_council"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.council.name})"

    @property
    def criteria_list(self) -> list[str]:
        return [line.strip() for line in self.criteria.splitlines() if line.strip()]


class FundTheme(models.Model):
    """A theme a fund serves; awards are expected to deliver against one or more."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="themes")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["fund", "order"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "order"], name="fund_theme_order_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Agreement(models.Model):
    """A service specification or SLA between a funding council and a provider (seed 000)."""

    Status = AgreementStatus

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=250)
    funder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="funded_agreements",
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="agreements",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_agreements",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    start_date = models.DateField()
    end_date = models.DateField()
    total_allocation = models.DecimalField(
        **MONEY, help_text="Total over the whole period, in pounds."
    )
    allocation_note = models.CharField(
        max_length=250, blank=True, help_text="How the amount was or will be agreed."
    )
    payment_terms = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    signatory_position = models.CharField(
        max_length=200, blank=True, help_text="Management position of the provider's signatory."
    )
    award_date = models.DateField(
        null=True, blank=True, help_text="When the council decided to make the award."
    )
    department = models.CharField(
        max_length=200, blank=True, help_text="The council's department that made the award."
    )
    purpose = models.TextField(
        blank=True, help_text="What the grant is for, in a sentence or two, as published."
    )
    published = models.BooleanField(
        default=False, help_text="Published as open data (360Giving and the Transparency Code)."
    )
    requires_beneficiary_figures = models.BooleanField(
        default=False,
        help_text=(
            "The provider reports the people it worked with each quarter, by protected "
            "characteristic (counts only)."
        ),
    )
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reference"]
        constraints = [
            _non_negative(
                "total_allocation", "agreement_total_not_negative", "The total allocation"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="agreement_end_after_start",
                violation_error_message="The agreement must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values),
                name="agreement_status_valid",
                violation_error_message="Choose a status: draft, active or ended.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def clean(self):
        super().clean()
        if self.end_date and self.start_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": "The agreement must end after it starts."})
        self.validate_lead_officer()
        self.validate_award()

    def validate_lead_officer(self) -> None:
        """The lead officer works for the funding council, as a lead officer or its admin."""
        officer, funder = self.lead_officer, self.funder_id
        if officer is None or funder is None:
            return
        if officer.organisation_id != funder:
            works_for = officer.organisation.name if officer.organisation else "no council"
            raise ValidationError(
                {
                    "lead_officer": (
                        f"{officer} works for {works_for}, not the funding council: choose a "
                        "lead officer of the council that funds the agreement."
                    )
                }
            )
        if officer.role not in (officer.Role.LEAD_OFFICER, officer.Role.ADMIN):
            raise ValidationError(
                {"lead_officer": f"{officer} is not a lead officer: choose one who is."}
            )

    def holds(self, day) -> bool:
        """The day falls within the agreement's period."""
        return self.start_date <= day <= self.end_date

    def validate_award(self) -> None:
        """An award may not exceed its fund's maximum award, nor what is left of its budget."""
        fund = self.fund
        if fund is None or self.total_allocation is None:
            return
        if fund.maximum_award is not None and self.total_allocation > fund.maximum_award:
            raise ValidationError(
                {
                    "total_allocation": (
                        f"£{self.total_allocation:,.2f} is more than the {fund.name} maximum "
                        f"award of £{fund.maximum_award:,.2f}."
                    )
                }
            )
        others = (
            Agreement.objects.filter(fund=fund)
            .exclude(pk=self.pk)
            .aggregate(total=Sum("total_allocation"))["total"]
            or 0
        )
        remaining = fund.budget - others
        if self.total_allocation > remaining:
            raise ValidationError(
                {
                    "total_allocation": (
                        f"£{self.total_allocation:,.2f} is more than the £{remaining:,.2f} left "
                        f"in the {fund.name} budget of £{fund.budget:,.2f}."
                    )
                }
            )


class AgreementObjective(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="objectives")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.TextField()

    class Meta:
        ordering = ["agreement", "order"]
        verbose_name = "core service objective"

    def __str__(self) -> str:
        return self.text[:80]


class MinimumRequirement(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="requirements")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="requirement_number_unique_per_agreement"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="requirement_number_positive",
                violation_error_message="Number the minimum requirements from 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class InKindContribution(models.Model):
    """Support the council gives besides money: rate relief, desk space, parking."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="in_kind_contributions"
    )
    order = models.PositiveSmallIntegerField(default=1)
    description = models.TextField()
    condition = models.CharField(
        max_length=250,
        blank=True,
        help_text="When it applies, for example 'subject to eligibility'.",
    )

    class Meta:
        ordering = ["agreement", "order"]

    def __str__(self) -> str:
        return self.description[:80]


class AddedValue(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="added_values")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.TextField()

    class Meta:
        ordering = ["agreement", "order"]
        verbose_name = "added value statement"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "order"], name="added_value_order_unique_per_agreement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.numeral}. {self.text[:80]}"

    @property
    def numeral(self) -> str:
        return ROMAN_NUMERALS[self.order - 1] if 1 <= self.order <= 10 else str(self.order)


class MeasureType(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    MILESTONE = "milestone", "Yes/no milestone"
    NARRATIVE = "narrative", "Narrative"


class TargetPeriod(models.TextChoices):
    QUARTER = "quarter", "Per quarter"
    YEAR = "year", "Per year"
    NONE = "none", "No numeric target"


class PerformanceIndicator(models.Model):
    MeasureType = MeasureType
    TargetPeriod = TargetPeriod

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=10, help_text="As the specification numbers it: a, b, c…")
    wording = models.TextField()
    measure_type = models.CharField(max_length=20, choices=MeasureType.choices)
    target = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    target_period = models.CharField(
        max_length=10, choices=TargetPeriod.choices, default=TargetPeriod.NONE
    )
    unit = models.CharField(
        max_length=40,
        blank=True,
        help_text="For a count, what it counts as it reads after the target: events, groups.",
    )
    amber_tolerance = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        help_text="How far below target, in percent of the target, is still amber.",
    )
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["agreement", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "code"], name="indicator_code_unique_per_agreement"
            ),
            _non_negative("target", "indicator_target_not_negative", "The target"),
            models.CheckConstraint(
                condition=Q(amber_tolerance__gte=0) & Q(amber_tolerance__lte=100),
                name="indicator_tolerance_between_0_and_100",
                violation_error_message="The amber tolerance is a percentage from 0 to 100.",
            ),
            models.CheckConstraint(
                condition=Q(measure_type__in=MeasureType.values),
                name="indicator_measure_type_valid",
                violation_error_message=(
                    "Choose a measure: count, percentage, yes/no milestone or narrative."
                ),
            ),
            models.CheckConstraint(
                condition=Q(target_period__in=TargetPeriod.values),
                name="indicator_target_period_valid",
                violation_error_message="Choose a target period: per quarter, per year or none.",
            ),
            models.CheckConstraint(
                condition=~Q(measure_type=MeasureType.PERCENTAGE)
                | Q(target__isnull=True)
                | Q(target__lte=100),
                name="indicator_percentage_target_at_most_100",
                violation_error_message="A percentage target cannot be more than 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}) {self.wording[:80]}"

    def clean(self):
        super().clean()
        numeric = (self.MeasureType.COUNT, self.MeasureType.PERCENTAGE)
        if self.measure_type in numeric and self.target is None:
            raise ValidationError(
                {"target": f"A {self.get_measure_type_display().lower()} needs a target."}
            )
        if self.measure_type in numeric and self.target_period == self.TargetPeriod.NONE:
            raise ValidationError(
                {"target_period": "Say whether the target is per quarter or per year."}
            )
        if self.measure_type == self.MeasureType.PERCENTAGE and (self.target or 0) > 100:
            # The constraint's rule, said beside the target rather than above the indicator.
            raise ValidationError({"target": "A percentage target cannot be more than 100."})
        whole = self.target is None or self.target == self.target.to_integral_value()
        if self.measure_type == self.MeasureType.COUNT and not whole:
            raise ValidationError({"target": "A count's target is a whole number, like 3."})

    @property
    def measure(self) -> Measure:
        return Measure(self.measure_type, self.target, self.target_period, self.amber_tolerance)

    @property
    def is_cumulative(self) -> bool:
        return self.measure.is_cumulative

    @property
    def target_wording(self) -> str:
        """The target in words, "3 events in the year" (`grants.figures.target_wording`)."""
        return figures.target_wording(self)

    @property
    def needs_value(self) -> bool:
        return self.measure_type in {self.MeasureType.COUNT, self.MeasureType.PERCENTAGE}


class ReportingPeriodQuerySet(models.QuerySet):
    def begun(self, today: dt.date) -> "ReportingPeriodQuerySet":
        """The quarters begun by `today` (see `ReportingPeriod.has_begun`)."""
        return self.filter(start_date__lte=today)


class ReportingPeriod(models.Model):
    """A UK financial-year quarter: Q1 is April to June, Q4 January to March."""

    financial_year = models.PositiveSmallIntegerField(
        help_text="The calendar year the financial year starts in: 2013 means 2013/14."
    )
    quarter = models.PositiveSmallIntegerField()
    start_date = models.DateField()
    end_date = models.DateField()
    due_date = models.DateField(help_text="When returns for this quarter are due.")

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["financial_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "quarter"], name="reporting_period_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                name="reporting_period_quarter_1_4",
                violation_error_message="A quarter is 1, 2, 3 or 4.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="reporting_period_end_after_start",
                violation_error_message="A quarter must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("end_date")),
                name="reporting_period_due_after_end",
                violation_error_message="Returns cannot be due before their quarter ends.",
            ),
        ]

    def __str__(self) -> str:
        return f"Q{self.quarter} {self.financial_year_label}"

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    def has_begun(self, today: dt.date) -> bool:
        """A quarter's return can be written from the quarter's first day: as the quarter goes,
        or late once it has ended, never before. `ReportingPeriodQuerySet.begun` is the same
        rule."""
        return self.start_date <= today


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

    objects = QuarterlyReturnQuerySet.as_manager()

    class Meta:
        ordering = ["period__financial_year", "period__quarter", "agreement__reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period"], name="one_return_per_agreement_and_period"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReturnStatus.values),
                name="return_status_valid",
                violation_error_message=(
                    "Choose a status: draft, submitted, changes requested or approved."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} {self.period}"

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
        "Enter the actual for indicator {code}",
    ),
    MeasureType.PERCENTAGE: (
        "actual_value",
        Q(actual_value__isnull=False),
        "Enter the actual for indicator {code}",
    ),
    MeasureType.MILESTONE: (
        "achieved",
        Q(achieved__isnull=False),
        "Say whether indicator {code} has been achieved",
    ),
    MeasureType.NARRATIVE: (
        "narrative",
        ~Q(narrative=""),
        "Describe the work for indicator {code}",
    ),
}
COMPLETE_ANSWER = reduce(
    or_,
    (
        Q(indicator__measure_type=measure) & given
        for measure, (_, given, _) in REQUIRED_ANSWER.items()
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
            indicator_id__in={indicator for indicator, _ in wanted},
            # Implied by the indicators; named so that only their agreements' returns are read.
            quarterly_return__agreement_id__in={a.quarterly_return.agreement_id for a in answers},
            quarterly_return__status__in=REPORTED,
            quarterly_return__period__financial_year__in={year for _, year in wanted},
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
    achieved = models.BooleanField(null=True, blank=True, help_text="For yes/no milestones.")
    narrative = models.TextField(blank=True)
    change_comment = models.TextField(
        blank=True, help_text="What the lead officer asked to change; empty when nothing is."
    )

    objects = IndicatorAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["quarterly_return", "indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "indicator"], name="one_answer_per_indicator"
            ),
            _non_negative("actual_value", "answer_actual_not_negative", "The actual"),
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
        field, _, ask = REQUIRED_ANSWER[self.indicator.measure_type]
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
    change_comment = models.TextField(
        blank=True, help_text="What the lead officer asked to change; empty when nothing is."
    )

    objects = RequirementAnswerQuerySet.as_manager()

    class Meta:
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
            return "met", f"Say whether minimum requirement {number} was met"
        return "narrative", f"Explain why minimum requirement {number} was not met"


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
    file = models.FileField(upload_to=evidence_upload_to)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator_answer__isnull=True) | Q(requirement_answer__isnull=True),
                name="evidence_belongs_to_one_answer",
                violation_error_message="An evidence file belongs to one answer only.",
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
        help_text="Answers a request for changes named: a list of {label, comment}.",
    )

    class Meta:
        ordering = ["quarterly_return", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.quarterly_return}: {self.from_status} → {self.to_status}"


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
    answers = models.JSONField(help_text="Each answer's label and values, keyed by answer.")

    class Meta:
        ordering = ["quarterly_return", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "number"], name="submission_number_unique_per_return"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarterly_return}, submission {self.number}"


ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
]


def ordinal(number: int) -> str:
    """1 -> "first", 13 -> "13th"."""
    if 1 <= number <= len(ORDINALS):
        return ORDINALS[number - 1]
    suffix = "th" if number % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(number % 10)
    return f"{number}{suffix or 'th'}"


def instalment_label(financial_year: int, year_ordinal: int) -> str:
    """How councils name a payment: "2026/27, first instalment"."""
    return f"{financial_year_label(financial_year)}, {ordinal(year_ordinal)} instalment"


def instalment_year_ordinal(path: str = "") -> Subquery:
    """For annotating instalments, or rows that point at one through `path` ("instalment__"):
    the instalment's place among its agreement's instalments of the same financial year."""
    return Subquery(
        PaymentInstalment.objects.filter(
            agreement_id=OuterRef(f"{path}agreement_id"),
            financial_year=OuterRef(f"{path}financial_year"),
            sequence__lte=OuterRef(f"{path}sequence"),
        )
        .order_by()
        .values("agreement_id")
        .annotate(count=Count("pk"))
        .values("count"),
        output_field=models.IntegerField(),
    )


class PaymentInstalmentQuerySet(models.QuerySet):
    def _past_due(self, today: dt.date) -> Q:
        return Q(status=InstalmentStatus.SCHEDULED, due_date__lt=today)

    def past_due(self, today: dt.date) -> "PaymentInstalmentQuerySet":
        """Instalments whose due date has passed with no decision: neither released nor
        withheld."""
        return self.filter(self._past_due(today))

    def with_past_due(self, today: dt.date) -> "PaymentInstalmentQuerySet":
        """Each instalment with `is_past_due`, as `past_due` decides it."""
        return self.annotate(
            is_past_due=ExpressionWrapper(self._past_due(today), output_field=BooleanField())
        )

    def labelled(self) -> "PaymentInstalmentQuerySet":
        """With `year_ordinal`, so that each instalment's `label` needs no query of its own."""
        return self.annotate(year_ordinal=instalment_year_ordinal())


class PaymentInstalment(models.Model):
    """One payment of an agreement's allocation, paid in advance, two a year. Its status
    follows `grants.lifecycle.INSTALMENT`. Its `financial_year` is the one its year of the
    agreement starts in (`sla_monitor.periods.financial_year_of`), and names it in `label`."""

    Status = InstalmentStatus

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="instalments")
    sequence = models.PositiveSmallIntegerField(help_text="1 for the first payment, and so on.")
    financial_year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(**MONEY)
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    depends_on_period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The quarter whose return must be approved before this is released.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    objects = PaymentInstalmentQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "sequence"], name="instalment_sequence_unique_per_agreement"
            ),
            _non_negative("amount", "instalment_amount_not_negative", "An instalment's amount"),
            models.CheckConstraint(
                condition=Q(status__in=InstalmentStatus.values),
                name="instalment_status_valid",
                violation_error_message="Choose a status: scheduled, released or withheld.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} {self.label} (£{self.amount:,})"

    @property
    def label(self) -> str:
        """ "2026/27, first instalment": its financial year and its place in it. Read from
        `labelled()` querysets; otherwise worked out with a query of its own."""
        year_ordinal = getattr(self, "year_ordinal", None)
        if year_ordinal is None:
            year_ordinal = PaymentInstalment.objects.filter(
                agreement_id=self.agreement_id,
                financial_year=self.financial_year,
                sequence__lte=self.sequence,
            ).count()
        return instalment_label(self.financial_year, year_ordinal)

    def clean(self):
        super().clean()
        agreement = getattr(self, "agreement", None)  # an inline's agreement may be unsaved
        if agreement is None or agreement.start_date is None or agreement.end_date is None:
            return
        if self.due_date and not agreement.holds(self.due_date):
            raise ValidationError(
                {
                    "due_date": (
                        f"Instalment {self.sequence} falls due outside the agreement, which runs "
                        f"from {date_format(agreement.start_date)} "
                        f"to {date_format(agreement.end_date)}."
                    )
                }
            )
        period = self.depends_on_period
        if period and not (agreement.holds(period.start_date) and agreement.holds(period.end_date)):
            raise ValidationError(
                {"depends_on_period": f"{period} is outside the agreement's period."}
            )


class InstalmentTransition(models.Model):
    """One release or withholding of an instalment: who, when, from, to and why."""

    instalment = models.ForeignKey(
        PaymentInstalment, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=20, choices=PaymentInstalment.Status.choices)
    to_status = models.CharField(max_length=20, choices=PaymentInstalment.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["instalment", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.instalment}: {self.from_status} → {self.to_status}"


class Reminder(models.Model):
    """An e-mail reminder sent about one agreement's return for one quarter, once per kind."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Return due soon (to the provider)"
        OVERDUE = "overdue", "Return overdue (to the provider)"
        ESCALATION = "escalation", "Return overdue (to the lead officer)"
        AWAITING_REVIEW = "awaiting_review", "Return waiting for review (to the lead officer)"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipients = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period", "kind"], name="one_reminder_per_return_and_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} {self.period}: {self.get_kind_display()}"


def meeting_outside(agreement: Agreement) -> str:
    """Why a meeting dated outside the agreement is refused."""
    start, end = (
        dateformat.format(day, "j F Y") for day in (agreement.start_date, agreement.end_date)
    )
    return (
        f"The date of the meeting must be within the agreement, which runs from {start} to "
        f"{end}: enter a date within it"
    )


class MonitoringMeeting(models.Model):
    """The quarterly meeting of the provider with the council's lead officer."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="meetings")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField()
    attendees = models.TextField()
    notes = models.TextField(blank=True)
    follow_up_actions = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-held_on"]

    def __str__(self) -> str:
        return f"{self.agreement.reference} meeting on {date_format(self.held_on)}"

    def get_additional_data(self) -> dict:
        """Kept beside each change in the change history: the agreement, so that a deleted
        meeting's record stays readable by those who see the agreement."""
        return {"agreement": self.agreement_id}

    def clean(self):
        super().clean()
        agreement = getattr(self, "agreement", None)  # an inline's agreement may be unsaved
        if agreement is None or agreement.start_date is None or agreement.end_date is None:
            return
        if self.held_on and not agreement.holds(self.held_on):
            raise ValidationError({"held_on": meeting_outside(agreement)})
        period = self.period
        if period and not (agreement.holds(period.start_date) and agreement.holds(period.end_date)):
            raise ValidationError({"period": f"{period} is outside the agreement's period."})


# Who a return's service reached ---------------------------------------------------------------


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
        help_text="People the service worked with in the quarter."
    )
    people_reached_published = models.PositiveIntegerField(
        "people reached, as published",
        help_text="The people reached as anyone but the provider reads them: rounded to a "
        "multiple of 5 when the figures were saved.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "beneficiary figures"
        constraints = [
            _non_negative("people_reached", "beneficiaries_reached_not_negative", "People reached"),
            _rounded(
                "people_reached_published",
                "beneficiaries_reached_published_rounded",
                "People reached, as published,",
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
        help_text="The count as anyone but the provider reads it: rounded to a multiple of 5 "
        "when the figures were saved.",
    )

    class Meta:
        ordering = ["figures", "characteristic", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["figures", "characteristic", "category"],
                name="one_count_per_category",
            ),
            _non_negative("count", "beneficiary_count_not_negative", "A count"),
            _rounded("published", "beneficiary_count_published_rounded", "A published count"),
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
        ordering = ["figures", "characteristic"]
        verbose_name_plural = "characteristics not collected"
        constraints = [
            models.UniqueConstraint(
                fields=["figures", "characteristic"], name="characteristic_not_collected_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.characteristic} not collected"


REPLY_CHOICES = [(code, diversity.REPLY_STATUS[code].title) for code in diversity.REPLIES]


def _reply_given(area: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{area}_reply__in": diversity.REPLIES}),
        name=f"diversity_{area}_reply_valid",
        violation_error_message=f"Choose an answer about the organisation's {area}.",
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
        help_text="The financial year the answers are for, by the year it starts in."
    )
    leadership_reply = models.CharField(max_length=5, choices=REPLY_CHOICES)
    leadership_codes = models.JSONField(
        default=list, blank=True, help_text="DEI taxonomy codes, for a reply got."
    )
    leadership_lived_experience = models.CharField(
        max_length=diversity.LIVED_EXPERIENCE_LENGTH, blank=True
    )
    leadership_geography = models.CharField(max_length=diversity.GEOGRAPHY_LENGTH, blank=True)
    mission_reply = models.CharField(max_length=5, choices=REPLY_CHOICES)
    mission_codes = models.JSONField(
        default=list, blank=True, help_text="DEI taxonomy codes, for a reply got."
    )
    mission_lived_experience = models.CharField(
        max_length=diversity.LIVED_EXPERIENCE_LENGTH, blank=True
    )
    mission_geography = models.CharField(max_length=diversity.GEOGRAPHY_LENGTH, blank=True)
    may_publish = models.BooleanField(
        help_text="The organisation lets the councils that fund it publish the answers."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "-financial_year"]
        verbose_name = "organisation's diversity"
        verbose_name_plural = "organisations' diversity"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "financial_year"],
                name="diversity_once_a_year",
                violation_error_message="The organisation has answered for this year already.",
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
