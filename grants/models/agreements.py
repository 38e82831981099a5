"""An agreement between a funding council and a provider, what its specification sets out
(objectives, minimum requirements, in-kind support, added value and performance indicators),
and the quarters of the financial year it reports in."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants import figures
from grants.models.constraints import MONEY, _non_negative
from grants.models.funds import Fund
from grants.rag import Direction as RagDirection
from grants.rag import Measure
from sla_monitor import periods
from sla_monitor.models import LEAD_OFFICER_ROLES, Organisation
from sla_monitor.periods import financial_year_label

ROMAN_NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class ReportingFrequency(models.TextChoices):
    """How often an agreement's provider sends a return: each return covers a block of this
    many quarters of the financial year and is made in the block's last quarter."""

    QUARTERLY = "quarterly", _("Quarterly")
    SIX_MONTHLY = "six_monthly", _("Six-monthly")
    ANNUAL = "annual", _("Annual")

    @property
    def quarters(self) -> int:
        return {"quarterly": 1, "six_monthly": 2, "annual": 4}[self.value]


def _frequency_reports(field: str, quarter: int) -> Q:
    """The agreements whose frequency in `field` closes a block in the quarter."""
    return Q(
        **{
            f"{field}__in": [
                f for f in ReportingFrequency if periods.closes_block(quarter, f.quarters)
            ]
        }
    )


class AgreementQuerySet(models.QuerySet):
    def reporting_in(self, period: "ReportingPeriod") -> "AgreementQuerySet":
        """The agreements that report in the quarter (`Agreement.reports_in`), in one query."""
        following = periods.quarter_dates(
            *(
                (period.financial_year, period.quarter + 1)
                if period.quarter < 4
                else (period.financial_year + 1, 1)
            )
        )
        current = Q(reporting_frequency_from__isnull=True) | Q(
            reporting_frequency_from__lte=period.start_date
        )
        return self.filter(start_date__lte=period.start_date, end_date__gte=period.end_date).filter(
            # The last quarter within the agreement, or before a change of frequency, closes
            # the block its end or the change cut short.
            Q(end_date__lt=following[1])
            | Q(reporting_frequency_from=period.end_date + dt.timedelta(days=1))
            | (current & _frequency_reports("reporting_frequency", period.quarter))
            | (~current & _frequency_reports("earlier_reporting_frequency", period.quarter))
        )


class Agreement(models.Model):
    """A service specification or SLA between a funding council and a provider (seed 000)."""

    Status = AgreementStatus
    ReportingFrequency = ReportingFrequency

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
    supplier_reference = models.CharField(
        "supplier number",
        max_length=40,
        blank=True,
        help_text=(
            _(
                "The provider's supplier number in the council's finance system, which its payment "
                "files carry. Bank details are never kept here."
            )
        ),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    start_date = models.DateField()
    end_date = models.DateField()
    total_allocation = models.DecimalField(
        **MONEY, help_text=_("Total over the whole period, in pounds.")
    )
    allocation_note = models.CharField(
        max_length=250, blank=True, help_text=_("How the amount was or will be agreed.")
    )
    payment_terms = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    signatory_position = models.CharField(
        max_length=200, blank=True, help_text=_("Management position of the provider's signatory.")
    )
    award_date = models.DateField(
        null=True, blank=True, help_text=_("When the council decided to make the award.")
    )
    department = models.CharField(
        max_length=200, blank=True, help_text=_("The council's department that made the award.")
    )
    purpose = models.TextField(
        blank=True, help_text=_("What the grant is for, in a sentence or two, as published.")
    )
    published = models.BooleanField(
        default=False, help_text=_("Published as open data (360Giving and the Transparency Code).")
    )
    reporting_frequency = models.CharField(
        max_length=20,
        choices=ReportingFrequency.choices,
        default=ReportingFrequency.QUARTERLY,
        verbose_name=_("reporting frequency"),
        help_text=_(
            "How often the provider sends a return: each return covers the quarters since the "
            "one before."
        ),
    )
    reporting_frequency_from = models.DateField(
        null=True,
        blank=True,
        help_text=_(
            "Set by a variation: the first day of the quarter the reporting frequency applies "
            "from; the quarters before it kept the earlier frequency."
        ),
    )
    earlier_reporting_frequency = models.CharField(
        max_length=20, choices=ReportingFrequency.choices, blank=True
    )
    requires_beneficiary_figures = models.BooleanField(
        default=False,
        help_text=(
            _(
                "The provider reports the people it worked with each quarter, by protected "
                "characteristic (counts only)."
            )
        ),
    )
    modified_at = models.DateTimeField(auto_now=True)
    # Stored by `grants.stored` when a return of the agreement changes (never edited by hand):
    # the RAG of the answers of its latest submitted or approved return, by status.
    rag_period = models.ForeignKey(
        "ReportingPeriod", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    rag_red = models.PositiveSmallIntegerField(default=0, editable=False)
    rag_amber = models.PositiveSmallIntegerField(default=0, editable=False)
    rag_green = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["reference"]
        constraints = [
            _non_negative(
                "total_allocation", "agreement_total_not_negative", _("The total allocation")
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="agreement_end_after_start",
                violation_error_message=_("The agreement must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values),
                name="agreement_status_valid",
                violation_error_message=_("Choose a status: draft, active or ended."),
            ),
            models.CheckConstraint(
                condition=Q(reporting_frequency__in=ReportingFrequency.values),
                name="agreement_reporting_frequency_valid",
                violation_error_message=_("Choose how often: quarterly, six-monthly or annual."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def clean(self, *, allocated_elsewhere: Decimal | None = None):
        """`allocated_elsewhere`: what the fund's other agreements hold, for a caller that has
        added it up for many agreements at once (an import); otherwise it is read."""
        super().clean()
        if self.end_date and self.start_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": gettext("The agreement must end after it starts.")})
        self.validate_lead_officer()
        self.validate_eligibility()
        self.validate_award(allocated_elsewhere=allocated_elsewhere)

    def validate_eligibility(self) -> None:
        """The provider is of a type of organisation its fund may award to."""
        fund, provider = self.fund, self.provider if self.provider_id else None
        if fund is None or provider is None or fund.allows_type(provider.organisation_type):
            return
        allowed = ", ".join(label.lower() for label in fund.eligible_type_labels)
        if not provider.organisation_type:
            message = _(
                "The %(fund)s fund awards only to these types of organisation: %(allowed)s. "
                "%(provider)s has no type of organisation recorded: record it first."
            )
        else:
            message = _(
                "%(provider)s is a %(type)s, and the %(fund)s fund awards only to these types "
                "of organisation: %(allowed)s."
            )
        raise ValidationError(
            {
                "provider": message
                % {
                    "fund": fund.name,
                    "allowed": allowed,
                    "provider": provider.name,
                    "type": provider.get_organisation_type_display().lower(),
                }
            }
        )

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
                        gettext(
                            "%(officer)s works for %(works_for)s, not the funding council: "
                            "choose a lead officer of the council that funds the agreement."
                        )
                        % {"officer": officer, "works_for": works_for}
                    )
                }
            )
        if officer.role not in LEAD_OFFICER_ROLES:
            raise ValidationError(
                {
                    "lead_officer": gettext("%(officer)s is not a lead officer: choose one who is.")
                    % {"officer": officer}
                }
            )

    def holds(self, day) -> bool:
        """The day falls within the agreement's period."""
        return self.start_date <= day <= self.end_date

    def frequency_in(self, period: "ReportingPeriod") -> ReportingFrequency:
        """The reporting frequency in force in the quarter: a variation's from the quarter it
        names, the earlier one before it."""
        changed = self.reporting_frequency_from
        if changed is not None and period.start_date < changed and self.earlier_reporting_frequency:
            return ReportingFrequency(self.earlier_reporting_frequency)
        return ReportingFrequency(self.reporting_frequency)

    def reports_in(self, period: "ReportingPeriod") -> bool:
        """The agreement reports in the quarter: the quarter falls wholly within it and ends a
        block of its reporting frequency (every quarter; Q2 and Q4; Q4), or is its last quarter,
        which closes a block its end cut short. This is the one rule for which quarters an
        agreement's returns are for; `ReportingPeriod.objects.reported_by(agreement)` and
        `Agreement.objects.reporting_in(period)` are its queries."""
        if periods.reports_in_block(
            self.start_date,
            self.end_date,
            self.frequency_in(period).quarters,
            period.financial_year,
            period.quarter,
        ):
            return True
        # The quarter before a change of frequency closes the block the change cut short.
        changed = self.reporting_frequency_from
        return (
            changed is not None
            and period.end_date == changed - dt.timedelta(days=1)
            and self.holds(period.start_date)
        )

    def first_quarter_covered(self, period: "ReportingPeriod") -> int:
        """The first quarter of the financial year the return for `period` covers: its block's
        first, or later where the agreement or its present frequency began within the block."""
        first = periods.block_first_quarter(period.quarter, self.frequency_in(period).quarters)
        starts = [periods.first_quarter_within(self.start_date)]
        if self.reporting_frequency_from is not None:
            starts.append(periods.quarter_of(self.reporting_frequency_from))
        for year, quarter in starts:
            if year == period.financial_year and first < quarter <= period.quarter:
                first = quarter
        return first

    def covered_by(self, period: "ReportingPeriod") -> tuple[dt.date, dt.date]:
        """The first and last day the return for the quarter covers."""
        first = self.first_quarter_covered(period)
        return periods.quarter_dates(period.financial_year, first)[0], period.end_date

    def return_period_label(self, period: "ReportingPeriod") -> str:
        """How the return for the quarter is named: "Q2 2026/27" for one quarter, "April to
        September 2026" for more."""
        first, last = self.covered_by(period)
        if first == period.start_date:
            return str(period)
        return periods.span_label(first, last)

    def validate_award(self, *, allocated_elsewhere: Decimal | None = None) -> None:
        """An award may not exceed its fund's maximum award, nor what is left of its budget
        once the fund's other agreements (`allocated_elsewhere`, when the caller knows it) are
        paid."""
        fund = self.fund
        if fund is None or self.total_allocation is None:
            return
        if fund.maximum_award is not None and self.total_allocation > fund.maximum_award:
            raise ValidationError(
                {
                    "total_allocation": (
                        gettext(
                            "£%(total_allocation)s is more than the %(fund)s maximum award of "
                            "£%(maximum_award)s."
                        )
                        % {
                            "total_allocation": number_format(
                                self.total_allocation, 2, force_grouping=True
                            ),
                            "fund": fund.name,
                            "maximum_award": number_format(
                                fund.maximum_award, 2, force_grouping=True
                            ),
                        }
                    )
                }
            )
        if allocated_elsewhere is None:
            allocated_elsewhere = (
                Agreement.objects.filter(fund=fund)
                .exclude(pk=self.pk)
                .aggregate(total=Sum("total_allocation"))["total"]
                or 0
            )
        remaining = fund.budget - allocated_elsewhere
        if self.total_allocation > remaining:
            raise ValidationError(
                {
                    "total_allocation": (
                        gettext(
                            "£%(total_allocation)s is more than the £%(remaining)s left in the "
                            "%(fund)s budget of £%(budget)s."
                        )
                        % {
                            "total_allocation": number_format(
                                self.total_allocation, 2, force_grouping=True
                            ),
                            "remaining": number_format(remaining, 2, force_grouping=True),
                            "fund": fund.name,
                            "budget": number_format(fund.budget, 2, force_grouping=True),
                        }
                    )
                }
            )


class AgreementObjective(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="objectives")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.TextField()

    class Meta:
        verbose_name_plural = _("core service objectives")
        ordering = ["agreement", "order"]
        verbose_name = _("core service objective")

    def __str__(self) -> str:
        return self.text[:80]


class MinimumRequirement(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="requirements")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        verbose_name = _("minimum requirement")
        verbose_name_plural = _("minimum requirements")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="requirement_number_unique_per_agreement"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="requirement_number_positive",
                violation_error_message=_("Number the minimum requirements from 1."),
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
        help_text=_("When it applies, for example 'subject to eligibility'."),
    )

    class Meta:
        verbose_name = _("in-kind support")
        verbose_name_plural = _("in-kind support")
        ordering = ["agreement", "order"]

    def __str__(self) -> str:
        return self.description[:80]


class AddedValue(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="added_values")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.TextField()

    class Meta:
        verbose_name_plural = _("added value statements")
        ordering = ["agreement", "order"]
        verbose_name = _("added value statement")
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
    COUNT = "count", _("Count")
    PERCENTAGE = "percentage", _("Percentage")
    MILESTONE = "milestone", _("Yes/no milestone")
    NARRATIVE = "narrative", _("Narrative")


class TargetPeriod(models.TextChoices):
    QUARTER = "quarter", _("Per quarter")
    YEAR = "year", _("Per year")
    NONE = "none", _("No numeric target")


class Direction(models.TextChoices):
    """Which side of the target is better: the RAG rule's `grants.rag.Direction`."""

    HIGHER = RagDirection.HIGHER.value, _("Higher is better")
    LOWER = RagDirection.LOWER.value, _("Lower is better")
    RANGE = RagDirection.RANGE.value, _("Within a range")


class PerformanceIndicatorQuerySet(models.QuerySet):
    def in_force(self, period: "ReportingPeriod") -> "PerformanceIndicatorQuerySet":
        """The indicators a return for the quarter answers: those a variation added from a later
        quarter are not asked yet, and those it retired from this quarter or an earlier one no
        longer are."""
        return self.filter(
            Q(starts_from__isnull=True) | Q(starts_from__start_date__lte=period.start_date),
            Q(retired_from__isnull=True) | Q(retired_from__start_date__gt=period.start_date),
        )

    def with_targets(self) -> "PerformanceIndicatorQuerySet":
        """With their targets by year, so that `measure_for` asks no query."""
        return self.prefetch_related(targets_prefetch())


def targets_prefetch(through: str = "") -> Prefetch:
    """The indicators' targets by year, with the quarter each takes effect from, for
    `PerformanceIndicator.measure_for`; `through` is the path to the indicators, like
    "indicator__"."""
    return Prefetch(
        f"{through}targets",
        queryset=IndicatorTarget.objects.select_related("takes_effect_from"),
    )


class PerformanceIndicator(models.Model):
    MeasureType = MeasureType
    TargetPeriod = TargetPeriod
    Direction = Direction

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=10, help_text=_("As the specification numbers it: a, b, c…"))
    wording = models.TextField()
    measure_type = models.CharField(max_length=20, choices=MeasureType.choices)
    target = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    target_period = models.CharField(
        max_length=10, choices=TargetPeriod.choices, default=TargetPeriod.NONE
    )
    unit = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("For a count, what it counts as it reads after the target: events, groups."),
    )
    amber_tolerance = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        help_text=_(
            "How far on the worse side of the target, in percent of the target, is still amber."
        ),
    )
    direction = models.CharField(
        max_length=10,
        choices=Direction.choices,
        default=Direction.HIGHER,
        help_text=_("Higher is better, lower is better (complaints), or within a range."),
    )
    upper_bound = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a range only: the highest figure that is on target."),
    )
    order = models.PositiveSmallIntegerField(default=1)
    starts_from = models.ForeignKey(
        "ReportingPeriod",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Added by a variation: the first quarter whose return answers it."),
    )
    retired_from = models.ForeignKey(
        "ReportingPeriod",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Retired by a variation: the first quarter whose return no longer answers it."),
    )

    objects = PerformanceIndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("performance indicator")
        verbose_name_plural = _("performance indicators")
        ordering = ["agreement", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "code"], name="indicator_code_unique_per_agreement"
            ),
            _non_negative("target", "indicator_target_not_negative", _("The target")),
            models.CheckConstraint(
                condition=Q(amber_tolerance__gte=0) & Q(amber_tolerance__lte=100),
                name="indicator_tolerance_between_0_and_100",
                violation_error_message=_("The amber tolerance is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(measure_type__in=MeasureType.values),
                name="indicator_measure_type_valid",
                violation_error_message=(
                    _("Choose a measure: count, percentage, yes/no milestone or narrative.")
                ),
            ),
            models.CheckConstraint(
                condition=Q(target_period__in=TargetPeriod.values),
                name="indicator_target_period_valid",
                violation_error_message=_("Choose a target period: per quarter, per year or none."),
            ),
            models.CheckConstraint(
                condition=~Q(measure_type=MeasureType.PERCENTAGE)
                | Q(target__isnull=True)
                | Q(target__lte=100),
                name="indicator_percentage_target_at_most_100",
                violation_error_message=_("A percentage target cannot be more than 100."),
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values),
                name="indicator_direction_valid",
                violation_error_message=_(
                    "Choose a direction: higher is better, lower is better or within a range."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(direction=Direction.RANGE)
                | (Q(upper_bound__isnull=False) & Q(upper_bound__gte=F("target"))),
                name="indicator_range_upper_bound_at_least_target",
                violation_error_message=_("A range needs an upper bound no lower than its target."),
            ),
            models.CheckConstraint(
                condition=Q(direction=Direction.RANGE) | Q(upper_bound__isnull=True),
                name="indicator_upper_bound_only_for_a_range",
                violation_error_message=_("Only a range has an upper bound."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}) {self.wording[:80]}"

    def clean(self):
        super().clean()
        numeric = (self.MeasureType.COUNT, self.MeasureType.PERCENTAGE)
        if self.measure_type in numeric and self.target is None:
            raise ValidationError(
                {
                    "target": gettext("A %(measure)s needs a target.")
                    % {"measure": self.get_measure_type_display().lower()}
                }
            )
        if self.measure_type in numeric and self.target_period == self.TargetPeriod.NONE:
            raise ValidationError(
                {"target_period": gettext("Say whether the target is per quarter or per year.")}
            )
        if self.measure_type == self.MeasureType.PERCENTAGE and (self.target or 0) > 100:
            # The constraint's rule, said beside the target rather than above the indicator.
            raise ValidationError(
                {"target": gettext("A percentage target cannot be more than 100.")}
            )
        whole = self.target is None or self.target == self.target.to_integral_value()
        if self.measure_type == self.MeasureType.COUNT and not whole:
            raise ValidationError(
                {"target": gettext("A count's target is a whole number, like 3.")}
            )
        # The constraints' rules, said beside the field they concern.
        if self.direction == Direction.RANGE:
            if self.upper_bound is None:
                raise ValidationError({"upper_bound": _("A range needs an upper bound.")})
            if self.target is not None and self.upper_bound < self.target:
                raise ValidationError(
                    {"upper_bound": _("The upper bound cannot be lower than the target.")}
                )
        elif self.upper_bound is not None:
            raise ValidationError(
                {"upper_bound": _("Only a range has an upper bound: choose “Within a range”.")}
            )

    @property
    def measure(self) -> Measure:
        """The indicator's own target, which applies to a year without a target of its own
        (`measure_for` says which applies to a quarter)."""
        return self._measure(self.target)

    def _measure(self, target, profile=None) -> Measure:
        return Measure(
            self.measure_type,
            target,
            self.target_period,
            self.amber_tolerance,
            direction=self.direction,
            upper_bound=self.upper_bound if self.direction == Direction.RANGE else None,
            profile=profile,
        )

    def target_in_force(self, financial_year: int, quarter: int) -> "IndicatorTarget | None":
        """The year's target in force in the quarter: of the rows for the financial year, the
        one taking effect latest at or before the quarter (from the year's start when none is
        named); None when the year has no row and the indicator's own target applies. Reads the
        rows prefetched (`PerformanceIndicatorQuerySet.with_targets`), else asks for them."""
        in_force = [
            row
            for row in self.targets.all()
            if row.financial_year == financial_year and row.effective_quarter <= quarter
        ]
        return max(
            in_force,
            key=lambda row: (row.effective_quarter, row.takes_effect_from is not None),
            default=None,
        )

    def measure_in(self, financial_year: int, quarter: int = 1) -> Measure:
        """The `Measure` in force in a quarter of a financial year: its year's target and
        quarterly profile then, else the indicator's own target."""
        row = self.target_in_force(financial_year, quarter)
        if row is None:
            return self.measure
        return self._measure(row.target, row.profile)

    def measure_for(self, period: "ReportingPeriod") -> Measure:
        """The `Measure` that judges the indicator's answer for the reporting period."""
        return self.measure_in(period.financial_year, period.quarter)

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

    def within(self, agreement: Agreement) -> "ReportingPeriodQuerySet":
        """The quarters wholly within the agreement, whether or not it reports in them."""
        return self.filter(start_date__gte=agreement.start_date, end_date__lte=agreement.end_date)

    def reported_by(self, agreement: Agreement) -> "ReportingPeriodQuerySet":
        """The quarters the agreement reports in (`Agreement.reports_in`), in one query."""
        current = ReportingFrequency(agreement.reporting_frequency)
        changed = agreement.reporting_frequency_from
        earlier = ReportingFrequency(agreement.earlier_reporting_frequency or current)
        last_year, last_quarter = periods.last_quarter_within(agreement.end_date)

        def closing(frequency: ReportingFrequency) -> Q:
            return Q(
                quarter__in=[q for q in range(1, 5) if periods.closes_block(q, frequency.quarters)]
            )

        rule = (
            closing(current)
            if changed is None
            else (
                (Q(start_date__gte=changed) & closing(current))
                | (Q(start_date__lt=changed) & closing(earlier))
            )
        )
        rule |= Q(financial_year=last_year, quarter=last_quarter)
        if changed is not None:
            # The quarter before the change closes the block the change cut short.
            rule |= Q(end_date=changed - dt.timedelta(days=1))
        return self.within(agreement).filter(rule)

    def within_any(self, agreements) -> "ReportingPeriodQuerySet":
        """The quarters some of the agreements may report on: those within the span from the
        first's start to the last's end. Each agreement's own are those it `reports_in`."""
        agreements = list(agreements)
        return self.filter(
            start_date__gte=min(a.start_date for a in agreements),
            end_date__lte=max(a.end_date for a in agreements),
        )


class ReportingPeriod(models.Model):
    """A UK financial-year quarter: Q1 is April to June, Q4 January to March."""

    financial_year = models.PositiveSmallIntegerField(
        help_text=_("The calendar year the financial year starts in: 2013 means 2013/14.")
    )
    quarter = models.PositiveSmallIntegerField()
    start_date = models.DateField()
    end_date = models.DateField()
    due_date = models.DateField(help_text=_("When returns for this quarter are due."))

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["financial_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "quarter"], name="reporting_period_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                name="reporting_period_quarter_1_4",
                violation_error_message=_("A quarter is 1, 2, 3 or 4."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="reporting_period_end_after_start",
                violation_error_message=_("A quarter must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("end_date")),
                name="reporting_period_due_after_end",
                violation_error_message=_("Returns cannot be due before their quarter ends."),
            ),
        ]

    def __str__(self) -> str:
        # In the reader's language: "Q1 2026/27", "Ch1 2026/27".
        return gettext("Q%(quarter)s %(year)s") % {
            "quarter": self.quarter,
            "year": self.financial_year_label,
        }

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    def has_begun(self, today: dt.date) -> bool:
        """A quarter's return can be written from the quarter's first day: as the quarter goes,
        or late once it has ended, never before. `ReportingPeriodQuerySet.begun` is the same
        rule."""
        return self.start_date <= today


class IndicatorTarget(models.Model):
    """An indicator's target for one financial year, with an optional quarterly profile. From a
    quarter named in `takes_effect_from` it replaces the year's earlier row for that quarter
    and the ones after it, leaving the earlier quarters judged as they were. A year without a
    row keeps the indicator's own target."""

    indicator = models.ForeignKey(
        PerformanceIndicator, on_delete=models.CASCADE, related_name="targets"
    )
    financial_year = models.PositiveSmallIntegerField(
        help_text=_("The calendar year the financial year starts in: 2025 means 2025/26.")
    )
    target = models.DecimalField(max_digits=10, decimal_places=2)
    q1 = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    q2 = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    q3 = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    q4 = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    takes_effect_from = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: from the start of the year."),
    )

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["indicator", "financial_year", "takes_effect_from__quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "financial_year", "takes_effect_from"],
                name="indicator_target_unique_per_year_and_start",
            ),
            # NULLs are distinct to a unique index: a year has one row from its start.
            models.UniqueConstraint(
                fields=["indicator", "financial_year"],
                condition=Q(takes_effect_from__isnull=True),
                name="indicator_target_unique_from_year_start",
            ),
            _non_negative("target", "indicator_year_target_not_negative", _("The target")),
            models.CheckConstraint(
                condition=(
                    Q(q1__isnull=True)
                    & Q(q2__isnull=True)
                    & Q(q3__isnull=True)
                    & Q(q4__isnull=True)
                )
                # NULL >= 0 is unknown, which a check lets through: each is said not NULL.
                | (
                    Q(q1__isnull=False, q1__gte=0)
                    & Q(q2__isnull=False, q2__gte=0)
                    & Q(q3__isnull=False, q3__gte=0)
                    & Q(q4__isnull=False, q4__gte=0)
                ),
                name="indicator_target_profile_all_or_none",
                violation_error_message=_(
                    "A quarterly profile gives all four quarters, none negative, or none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.indicator.code}: {self.target} in {financial_year_label(self.financial_year)}"
        )

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def effective_quarter(self) -> int:
        """The quarter of its year it takes effect from: 1 from the year's start."""
        return 1 if self.takes_effect_from is None else self.takes_effect_from.quarter

    @property
    def profile(self) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
        quarters = (self.q1, self.q2, self.q3, self.q4)
        return None if any(q is None for q in quarters) else quarters

    def clean(self):
        super().clean()
        quarters = (self.q1, self.q2, self.q3, self.q4)
        given = [q for q in quarters if q is not None]
        if given and len(given) < 4:
            raise ValidationError(_("Give a quarterly profile for all four quarters, or none."))
        period = self.takes_effect_from
        if period is not None and period.financial_year != self.financial_year:
            raise ValidationError(
                {"takes_effect_from": _("The quarter it takes effect from is in another year.")}
            )
        indicator = self.indicator if self.indicator_id else None
        if indicator is None or self.target is None:
            return
        errors = target_errors(indicator, self.target, self.profile)
        if errors:
            raise ValidationError(errors)


def target_errors(indicator: PerformanceIndicator, target: Decimal, profile) -> list[str]:
    """What is wrong with a year's target, and its quarterly profile, for the indicator: the
    rules `IndicatorTarget.clean` holds, for the forms and the import to say before saving."""
    errors = []
    whole = target == target.to_integral_value() and all(
        q == q.to_integral_value() for q in profile or ()
    )
    if indicator.measure_type == MeasureType.COUNT and not whole:
        errors.append(_("A count's target is a whole number, like 3."))
    if indicator.measure_type == MeasureType.PERCENTAGE and (
        target > 100 or any(q > 100 for q in profile or ())
    ):
        errors.append(_("A percentage target cannot be more than 100."))
    if (
        indicator.direction == Direction.RANGE
        and indicator.upper_bound is not None
        and target > indicator.upper_bound
    ):
        errors.append(_("A year's target cannot be above the range's upper bound."))
    cumulative = indicator.measure.is_cumulative
    if profile is not None and cumulative and sum(profile) != target:
        errors.append(_("The quarterly profile must add up to the year's target."))
    return errors
