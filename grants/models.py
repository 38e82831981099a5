from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from grants.rag import Measure
from sla_monitor.models import Organisation

MONEY = {"max_digits": 12, "decimal_places": 2}
ROMAN_NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _non_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=name)


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
            _non_negative("budget", "fund_budget_not_negative"),
            _non_negative("maximum_award", "fund_maximum_award_not_negative"),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="fund_end_after_start"
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


class Agreement(models.Model):
    """A service specification or SLA between a funding council and a provider (seed 000)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

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

    class Meta:
        ordering = ["reference"]
        constraints = [
            _non_negative("total_allocation", "agreement_total_not_negative"),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="agreement_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "ended"]), name="agreement_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def clean(self):
        from grants.services import validate_award

        super().clean()
        if self.end_date and self.start_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": "The agreement must end after it starts."})
        validate_award(self)

    @property
    def years(self) -> int:
        """Whole years the agreement runs, counted in financial years started."""
        months = (self.end_date.year - self.start_date.year) * 12
        months += self.end_date.month - self.start_date.month + 1
        return max(1, round(months / 12))


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
            models.CheckConstraint(condition=Q(number__gte=1), name="requirement_number_positive"),
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


class PerformanceIndicator(models.Model):
    class MeasureType(models.TextChoices):
        COUNT = "count", "Count"
        PERCENTAGE = "percentage", "Percentage"
        MILESTONE = "milestone", "Yes/no milestone"
        NARRATIVE = "narrative", "Narrative"

    class TargetPeriod(models.TextChoices):
        QUARTER = "quarter", "Per quarter"
        YEAR = "year", "Per year"
        NONE = "none", "No numeric target"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=10, help_text="As the specification numbers it: a, b, c…")
    wording = models.TextField()
    measure_type = models.CharField(max_length=20, choices=MeasureType.choices)
    target = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    target_period = models.CharField(
        max_length=10, choices=TargetPeriod.choices, default=TargetPeriod.NONE
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
            _non_negative("target", "indicator_target_not_negative"),
            models.CheckConstraint(
                condition=Q(amber_tolerance__gte=0) & Q(amber_tolerance__lte=100),
                name="indicator_tolerance_between_0_and_100",
            ),
            models.CheckConstraint(
                condition=Q(measure_type__in=["count", "percentage", "milestone", "narrative"]),
                name="indicator_measure_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(target_period__in=["quarter", "year", "none"]),
                name="indicator_target_period_valid",
            ),
            models.CheckConstraint(
                condition=~Q(measure_type="percentage")
                | Q(target__isnull=True)
                | Q(target__lte=100),
                name="indicator_percentage_target_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}) {self.wording[:80]}"

    @property
    def measure(self) -> Measure:
        return Measure(self.measure_type, self.target, self.target_period, self.amber_tolerance)

    @property
    def is_cumulative(self) -> bool:
        return self.measure_type == self.MeasureType.COUNT and self.target_period == "year"

    @property
    def needs_value(self) -> bool:
        return self.measure_type in {self.MeasureType.COUNT, self.MeasureType.PERCENTAGE}


class ReportingPeriod(models.Model):
    """A UK financial-year quarter: Q1 is April to June, Q4 January to March."""

    financial_year = models.PositiveSmallIntegerField(
        help_text="The calendar year the financial year starts in: 2013 means 2013/14."
    )
    quarter = models.PositiveSmallIntegerField()
    start_date = models.DateField()
    end_date = models.DateField()
    due_date = models.DateField(help_text="When returns for this quarter are due.")

    class Meta:
        ordering = ["financial_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "quarter"], name="reporting_period_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="reporting_period_quarter_1_4"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="reporting_period_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("end_date")), name="reporting_period_due_after_end"
            ),
        ]

    def __str__(self) -> str:
        return f"Q{self.quarter} {self.financial_year_label}"

    @property
    def financial_year_label(self) -> str:
        return f"{self.financial_year}/{(self.financial_year + 1) % 100:02d}"


class QuarterlyReturn(models.Model):
    """A provider's monitoring return for one agreement and one quarter.

    Its status changes only through grants.services, which records each change as a
    ReturnTransition; `version` rises with every save so a stale form can be refused.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="returns")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period__financial_year", "period__quarter", "agreement__reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period"], name="one_return_per_agreement_and_period"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "changes_requested", "approved"]),
                name="return_status_valid",
            ),
        ]

    EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)

    def __str__(self) -> str:
        return f"{self.agreement.reference} {self.period}"

    @property
    def is_editable(self) -> bool:
        """Only a draft or a return sent back can be changed, and only by its provider."""
        return self.status in self.EDITABLE_STATUSES


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

    class Meta:
        ordering = ["quarterly_return", "indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "indicator"], name="one_answer_per_indicator"
            ),
            _non_negative("actual_value", "answer_actual_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quarterly_return}: indicator {self.indicator.code}"


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

    class Meta:
        ordering = ["quarterly_return", "requirement__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "requirement"], name="one_answer_per_requirement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarterly_return}: requirement {self.requirement.number}"


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


class PaymentInstalment(models.Model):
    """One payment of an agreement's allocation, paid in advance, two a year."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        RELEASED = "released", "Released"
        WITHHELD = "withheld", "Withheld"

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

    class Meta:
        ordering = ["agreement", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "sequence"], name="instalment_sequence_unique_per_agreement"
            ),
            _non_negative("amount", "instalment_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "released", "withheld"]),
                name="instalment_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} instalment {self.sequence} (£{self.amount:,})"


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
        return f"{self.agreement.reference} meeting on {self.held_on:%d %B %Y}"
