"""An agreement's payment instalments, how councils name them, and each release or withholding."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Q, Subquery
from django.utils.formats import date_format

from grants.lifecycle import InstalmentStatus, ReturnStatus
from grants.models.agreements import Agreement, ReportingPeriod
from grants.models.constraints import MONEY, _non_negative
from grants.models.returns import QuarterlyReturn
from sla_monitor.periods import financial_year_label

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


def schedule_shortfall(amounts: Iterable[Decimal], allocation: Decimal) -> Decimal | None:
    """The one rule of a payment schedule: its instalments add up to the agreement's allocation
    to the penny. None when they do; else what they add up to instead."""
    total = sum(amounts, Decimal(0))
    return None if total == allocation else total


@dataclass(frozen=True)
class WaitingFor:
    """What an instalment's release waits for: the return of `period`, approved. `status` is where
    that return stands (None: not started yet)."""

    period: ReportingPeriod
    status: str | None


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

    @property
    def is_undecided(self) -> bool:
        """Neither released nor withheld: its amount, due date and what it waits for may still
        change directly; a decided one changes only through a variation."""
        return self.status == InstalmentStatus.SCHEDULED

    def waits_for(self, quarterly_return: "QuarterlyReturn | None") -> WaitingFor | None:
        """What the release still waits for, given the return of the quarter it depends on
        (None if not started); None when nothing: it depends on no quarter, or that quarter's
        return is approved. The one rule a release is guarded by."""
        period = self.depends_on_period
        if period is None:
            return None
        status = quarterly_return.status if quarterly_return is not None else None
        if status == ReturnStatus.APPROVED:
            return None
        return WaitingFor(period, status)

    def release_waits_for(self) -> WaitingFor | None:
        """`waits_for`, finding the return of the quarter it depends on."""
        if self.depends_on_period_id is None:
            return None
        return self.waits_for(
            QuarterlyReturn.objects.filter(
                agreement_id=self.agreement_id, period_id=self.depends_on_period_id
            ).first()
        )

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
        if period and not agreement.reports_in(period):
            raise ValidationError(
                {
                    "depends_on_period": (
                        f"The agreement sends no return in {period}: choose a quarter it "
                        "reports in."
                    )
                }
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
