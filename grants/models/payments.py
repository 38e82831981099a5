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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants.lifecycle import InstalmentStatus, ReturnStatus
from grants.models.agreements import Agreement, ReportingPeriod
from grants.models.constraints import MONEY, _non_negative
from grants.models.returns import QuarterlyReturn
from sla_monitor.periods import financial_year_label

# Each a whole name, since Welsh mutates the word after some ordinals ("ail randaliad").
INSTALMENT_NAMES = [
    _("%(year)s, first instalment"),
    _("%(year)s, second instalment"),
    _("%(year)s, third instalment"),
    _("%(year)s, fourth instalment"),
    _("%(year)s, fifth instalment"),
    _("%(year)s, sixth instalment"),
    _("%(year)s, seventh instalment"),
    _("%(year)s, eighth instalment"),
    _("%(year)s, ninth instalment"),
    _("%(year)s, tenth instalment"),
    _("%(year)s, eleventh instalment"),
    _("%(year)s, twelfth instalment"),
]


def instalment_label(financial_year: int, year_ordinal: int) -> str:
    """How councils name a payment, in the reader's language: "2026/27, first instalment"."""
    year = financial_year_label(financial_year)
    if 1 <= year_ordinal <= len(INSTALMENT_NAMES):
        return str(INSTALMENT_NAMES[year_ordinal - 1]) % {"year": year}
    return gettext("%(year)s, instalment %(number)s") % {"year": year, "number": year_ordinal}


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

    def awaiting_signoff(self) -> "PaymentInstalmentQuerySet":
        """Instalments whose release a lead officer asked for, waiting for a finance officer."""
        return self.filter(status=InstalmentStatus.RELEASE_REQUESTED)

    def ready_for_a_run(self) -> "PaymentInstalmentQuerySet":
        """Released instalments in no live payment run and not yet paid: what the next run of
        their council pays. Those released before runs existed and already paid outside the
        app are marked paid by the migration that brought runs in."""
        return self.filter(status=InstalmentStatus.RELEASED, paid_on__isnull=True).exclude(
            run_lines__live=True
        )

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
    sequence = models.PositiveSmallIntegerField(help_text=_("1 for the first payment, and so on."))
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
        help_text=_("The quarter whose return must be approved before this is released."),
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
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who asked for its release, while it waits for a finance officer."),
    )
    paid_on = models.DateField(
        null=True, blank=True, help_text=_("The day its payment run was paid.")
    )

    objects = PaymentInstalmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment instalment")
        verbose_name_plural = _("payment instalments")
        ordering = ["agreement", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "sequence"], name="instalment_sequence_unique_per_agreement"
            ),
            _non_negative("amount", "instalment_amount_not_negative", _("An instalment's amount")),
            models.CheckConstraint(
                condition=Q(status__in=InstalmentStatus.values),
                name="instalment_status_valid",
                violation_error_message=(
                    _(
                        "Choose a status: scheduled, awaiting finance sign-off, released or"
                        " withheld."
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} {self.label} (£{self.amount:,})"

    @property
    def place_in_year(self) -> int:
        """Its place among its agreement's instalments of its financial year, from 1. Read from
        `labelled()` querysets; otherwise worked out with a query of its own."""
        year_ordinal = getattr(self, "year_ordinal", None)
        if year_ordinal is None:
            year_ordinal = PaymentInstalment.objects.filter(
                agreement_id=self.agreement_id,
                financial_year=self.financial_year,
                sequence__lte=self.sequence,
            ).count()
        return year_ordinal

    @property
    def label(self) -> str:
        """ "2026/27, first instalment": its financial year and its place in it."""
        return instalment_label(self.financial_year, self.place_in_year)

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
                        gettext(
                            "Instalment %(sequence)s falls due outside the agreement, which "
                            "runs from %(start_date)s to %(end_date)s."
                        )
                        % {
                            "sequence": self.sequence,
                            "start_date": date_format(agreement.start_date),
                            "end_date": date_format(agreement.end_date),
                        }
                    )
                }
            )
        period = self.depends_on_period
        if period and not (agreement.holds(period.start_date) and agreement.holds(period.end_date)):
            raise ValidationError(
                {
                    "depends_on_period": gettext("%(period)s is outside the agreement's period.")
                    % {"period": period}
                }
            )
        if period and not agreement.reports_in(period):
            raise ValidationError(
                {
                    "depends_on_period": (
                        gettext(
                            "The agreement sends no return in %(period)s: choose a quarter it "
                            "reports in."
                        )
                        % {"period": period}
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
        verbose_name = _("instalment status change")
        verbose_name_plural = _("instalment status changes")
        ordering = ["instalment", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.instalment}: {self.from_status} → {self.to_status}"


class PaymentRunStatus(models.TextChoices):
    EXPORTED = "exported", _("Exported")
    PAID = "paid", _("Paid")
    REVERSED = "reversed", _("Reversed")


class PaymentRun(models.Model):
    """A council's batch of released instalments, exported once as a file its finance system
    imports (`grants.services.payment_runs`). Exported, it can be downloaded again as often as
    needed; it is marked paid on the day the money left, or reversed, with a reason, when it was
    exported wrongly, which frees its instalments for a new run."""

    Status = PaymentRunStatus

    council = models.ForeignKey(
        "sla_monitor.Organisation", on_delete=models.PROTECT, related_name="payment_runs"
    )
    number = models.PositiveIntegerField(help_text=_("1 for a council's first run, and so on."))
    status = models.CharField(
        max_length=10, choices=PaymentRunStatus.choices, default=PaymentRunStatus.EXPORTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_on = models.DateField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")
        ordering = ["council", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number"], name="payment_run_number_unique_per_council"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PaymentRunStatus.values),
                name="payment_run_status_valid",
                violation_error_message=_("A payment run is exported, paid or reversed."),
            ),
            models.CheckConstraint(
                condition=~Q(status=PaymentRunStatus.PAID) | Q(paid_on__isnull=False),
                name="payment_run_paid_has_date",
                violation_error_message=_("A paid run has the date it was paid."),
            ),
        ]

    def __str__(self) -> str:
        return f"Payment run {self.number} ({self.get_status_display().lower()})"

    @property
    def reference(self) -> str:
        return f"{self.council.short_code or self.council_id}-PR{self.number:04d}"


class PaymentRunLine(models.Model):
    """An instalment in a payment run. `live` while the run stands: an instalment is in at most
    one live run, which the database guards; a reversed run keeps its lines, no longer live."""

    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="lines")
    instalment = models.ForeignKey(
        PaymentInstalment, on_delete=models.PROTECT, related_name="run_lines"
    )
    live = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("payment run line")
        verbose_name_plural = _("payment run lines")
        ordering = ["run", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["instalment"],
                condition=Q(live=True),
                name="payment_run_line_one_live_run_per_instalment",
                violation_error_message=_("The instalment is already in a payment run."),
            ),
            models.UniqueConstraint(
                fields=["run", "instalment"], name="payment_run_line_unique_per_run"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run}: {self.instalment_id}"

    @property
    def payment_reference(self) -> str:
        """What the payment carries: the run's reference and the instalment's agreement and
        place, which a provider reads on its bank statement."""
        return (
            f"{self.run.reference}-{self.instalment.agreement.reference}-{self.instalment.sequence}"
        )


class PaymentField(models.TextChoices):
    """What a payment file's columns may carry."""

    SUPPLIER = "supplier_reference", _("Supplier reference")
    PROVIDER = "provider", _("Payee")
    COST_CENTRE = "cost_centre", _("Cost centre")
    ACCOUNT_CODE = "account_code", _("Account code")
    AMOUNT = "amount", _("Amount")
    PAYMENT_REFERENCE = "payment_reference", _("Payment reference")
    DESCRIPTION = "description", _("Description")
    DUE_DATE = "due_date", _("Due date")
    AGREEMENT = "agreement", _("Agreement reference")


# The columns of a council's payment file until it sets its own.
DEFAULT_PAYMENT_COLUMNS = [
    (PaymentField.SUPPLIER, _("Supplier reference")),
    (PaymentField.COST_CENTRE, _("Cost centre")),
    (PaymentField.ACCOUNT_CODE, _("Account code")),
    (PaymentField.AMOUNT, _("Amount")),
    (PaymentField.PAYMENT_REFERENCE, _("Payment reference")),
    (PaymentField.DESCRIPTION, _("Description")),
    (PaymentField.DUE_DATE, _("Due date")),
]


class PaymentColumn(models.Model):
    """One column of a council's payment file: what it carries, under which heading, where."""

    Field = PaymentField

    council = models.ForeignKey(
        "sla_monitor.Organisation", on_delete=models.CASCADE, related_name="payment_columns"
    )
    field = models.CharField(max_length=30, choices=PaymentField.choices)
    heading = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("payment file column")
        verbose_name_plural = _("payment file columns")
        ordering = ["council", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "field"], name="payment_column_field_unique_per_council"
            ),
            models.UniqueConstraint(
                fields=["council", "position"], name="payment_column_position_unique_per_council"
            ),
            models.CheckConstraint(
                condition=Q(field__in=PaymentField.values),
                name="payment_column_field_valid",
                violation_error_message=_("Choose what the column carries."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.heading} ({self.field})"
