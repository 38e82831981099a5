import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sla_monitor.equality import BY_CODE, CHARACTERISTIC_CHOICES, is_comparable
from sla_monitor.figures import Figure, Kind
from sla_monitor.models import Organisation
from sla_monitor.periods import financial_year_label, quarter_dates, quarter_of


class ProtectedCharacteristic(models.Model):
    """One of the nine protected characteristics of the Equality Act 2010 (section 4).

    The nine rows are the law's, written by the migration that made the table; plans' strands say
    which of them they name.
    """

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class EqualityStrand(models.Model):
    """A strand code a plan tags its actions with, and the protected characteristics it names.

    Codes are the ones plans write (seed 004): A, D, G, M/CP, P/M, R, RB, SO, CC, SE, ALL. Most name
    one characteristic; G ("gender, including transgender") names both sex and gender
    reassignment; CC and SE name none; ALL stands for every strand.
    """

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100)
    characteristics = models.ManyToManyField(
        ProtectedCharacteristic,
        blank=True,
        related_name="strands",
        help_text=_("The protected characteristics an action tagged with this strand addresses."),
    )
    covers_all = models.BooleanField(
        default=False, help_text=_("The ALL code: an action that addresses every strand.")
    )
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class ActionPlanQuerySet(models.QuerySet):
    def delivered_by(self, council_id: int) -> "ActionPlanQuerySet":
        """The plans that the council's funded agreements deliver: an action or an indicator of
        theirs is linked to one of the agreements' performance indicators."""
        actions = Action.objects.filter(performance_indicators__agreement__funder_id=council_id)
        sections = Section.objects.filter(
            indicators__performance_indicators__agreement__funder_id=council_id
        )
        return self.filter(
            Q(pk__in=actions.values("plan_id")) | Q(pk__in=sections.values("plan_id"))
        )

    def partnered_by(self, council_id: int) -> "ActionPlanQuerySet":
        """The plans the council is a partner authority in."""
        partners = ActionPlan.partner_councils.through.objects.filter(organisation_id=council_id)
        return self.filter(pk__in=partners.values("actionplan_id"))


class ActionPlan(models.Model):
    """An equality or cohesion plan of a council, or shared by partner councils (seed 003)."""

    title = models.CharField(max_length=250)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="action_plans",
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
    )
    partner_councils = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="partner_action_plans",
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
    )
    goal = models.TextField(blank=True)
    description = models.TextField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    section_label = models.CharField(
        max_length=60,
        default="Section",
        help_text=_("What the plan calls its sections: Aim, Area…"),
    )
    objective_label = models.CharField(
        max_length=60, default="Objective", help_text=_("What it calls objectives: Commitment…")
    )

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="plan_end_after_start",
                violation_error_message="The plan must end after it starts.",
            ),
            models.UniqueConstraint(fields=["owner", "title"], name="plan_title_unique_per_owner"),
        ]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """An aim, theme, Equality Framework area or directorate of a plan."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(max_length=10, blank=True)
    title = models.CharField(max_length=250)
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="section_title_unique_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


class Objective(models.Model):
    """An objective or commitment within a section (seed 003's 1.1 … 5.7)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="objectives")
    number = models.CharField(max_length=10)
    title = models.TextField(blank=True)
    responsible_officer = models.CharField(max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["section", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "number"], name="objective_number_unique_per_section"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title[:80]}".strip()


class RagStatus(models.TextChoices):
    RED = "red", _("Red")
    AMBER = "amber", _("Amber")
    GREEN = "green", _("Green")
    COMPLETED = "completed", _("Completed")


# An action whose latest update says one of these is on track or done.
DONE = (RagStatus.GREEN, RagStatus.COMPLETED)


# An action's updates, latest first: the quarter reported on, a year's year-end report after its
# quarters, then the one written last.
LATEST_FIRST = ("-financial_year", "-is_year_end", "-quarter", "-created_at", "-pk")


def latest_progress(field: str, *, up_to_year: int | None = None) -> Subquery:
    """A field of an action's latest progress update, for annotating actions; with `up_to_year`,
    of its latest update for that financial year or an earlier one. An action keeps its latest
    RAG in `Action.latest_rag` (`equality_plans.stored`); this reads history."""
    updates = ProgressUpdate.objects.filter(action=OuterRef("pk"))
    if up_to_year is not None:
        updates = updates.filter(financial_year__lte=up_to_year)
    return Subquery(updates.order_by(*LATEST_FIRST).values(field)[:1])


class ActionQuerySet(models.QuerySet):
    def _overdue(self, today: dt.date) -> Q:
        # An action with no update yet is not done either (NOT IN is unknown for NULL).
        not_done = Q(latest_rag__isnull=True) | ~Q(latest_rag__in=DONE)
        # An action with no due date is never overdue: false, not unknown, in `with_overdue`.
        return Q(due_date__isnull=False, due_date__lt=today) & not_done

    def overdue(self, today: dt.date) -> "ActionQuerySet":
        """Past their due date, and their latest update (if any) says neither green nor done."""
        return self.filter(self._overdue(today))

    def not_overdue(self, today: dt.date) -> "ActionQuerySet":
        return self.exclude(self._overdue(today))

    def with_overdue(self, today: dt.date) -> "ActionQuerySet":
        """Each action with `overdue`, the same condition as `overdue(today)`."""
        return self.annotate(
            overdue=ExpressionWrapper(self._overdue(today), output_field=BooleanField())
        )


class Action(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    number = models.CharField(max_length=20)
    order = models.PositiveIntegerField(default=1)
    wording = models.TextField()
    strands = models.ManyToManyField(EqualityStrand, blank=True, related_name="actions")
    linked_strategies = models.TextField(
        blank=True, help_text=_("Links to statutory returns, key strategies and plans.")
    )
    lead_responsibility = models.CharField(max_length=300, blank=True)
    monitored_by = models.CharField(max_length=300, blank=True)
    outcome = models.TextField(blank=True)
    timescale = models.CharField(max_length=200, blank=True, help_text=_("As the plan writes it."))
    due_date = models.DateField(
        null=True, blank=True, help_text=_("Read from the timescale where it names one.")
    )
    partner_authorities = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="partner_actions",
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
    )
    partner_authorities_text = models.CharField(
        max_length=250, blank=True, help_text=_("The cross-reference to partners as written.")
    )
    milestones = models.TextField(blank=True)
    measurable_target = models.TextField(blank=True)
    resources = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        help_text=_("The user who updates its progress."),
    )
    performance_indicators = models.ManyToManyField(
        "grants.PerformanceIndicator",
        blank=True,
        related_name="plan_actions",
        help_text=_("Indicators of funded agreements that deliver this action."),
    )
    # Null before its first update, as the listings and filters read it ("No update").
    latest_rag = models.CharField(  # noqa: DJ001
        max_length=10,
        choices=RagStatus.choices,
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The RAG status of its latest progress update, kept by the services that change "
            "progress (equality_plans.stored)."
        ),
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="action_number_unique_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(latest_rag__isnull=True) | Q(latest_rag__in=RagStatus.values),
                name="action_latest_rag_valid",
                violation_error_message="An action's latest RAG is red, amber, green or completed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.wording[:80]}"


class ProgressUpdate(models.Model):
    """A quarterly update on an action, or its year-end report."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress_updates")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Empty for the year-end report.")
    )
    rag_status = models.CharField(max_length=10, choices=RagStatus.choices)
    narrative = models.TextField()
    is_year_end = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    corrected_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When its author last corrected it.")
    )

    class Meta:
        ordering = ["action", "financial_year", "quarter", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rag_status__in=RagStatus.values),
                name="progress_rag_valid",
                violation_error_message="Choose a RAG status: red, amber, green or completed.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | (Q(quarter__gte=1) & Q(quarter__lte=4)),
                name="progress_quarter_1_4",
                violation_error_message="A quarter is 1, 2, 3 or 4.",
            ),
            models.CheckConstraint(
                condition=Q(is_year_end=True, quarter__isnull=True)
                | Q(is_year_end=False, quarter__isnull=False),
                name="progress_year_end_has_no_quarter",
                violation_error_message=(
                    "A year-end report has no quarter; a quarterly update needs one."
                ),
            ),
            models.UniqueConstraint(
                fields=["action", "financial_year", "quarter"],
                condition=Q(is_year_end=False),
                name="one_update_per_action_and_quarter",
                violation_error_message="This action already has an update for that quarter.",
            ),
            models.UniqueConstraint(
                fields=["action", "financial_year"],
                condition=Q(is_year_end=True),
                name="one_year_end_report_per_action_and_year",
                violation_error_message="This action already has a year-end report for that year.",
            ),
        ]

    def __str__(self) -> str:
        return f"Action {self.action.number}, {self.period_label}: {self.rag_status}"

    @property
    def period_label(self) -> str:
        year = financial_year_label(self.financial_year)
        if self.is_year_end:
            return gettext("Year end %(year)s") % {"year": year}
        return gettext("Q%(quarter)s %(year)s") % {"quarter": self.quarter, "year": year}

    @property
    def correctable_until(self) -> dt.date:
        """The last day its author may correct it: the end of the financial quarter in which it
        was recorded.

        Updates are written after the quarter they report on (a Q2 update in October), so a rule
        tied to the quarter reported on would leave most of them uncorrectable from the start.
        Once the quarter it was written in is over, the next round of reporting has begun and
        what was reported stands; a later change is a new update."""
        recorded_on = timezone.localdate(self.created_at)
        return quarter_dates(*quarter_of(recorded_on))[1]

    def is_correctable(self, today: dt.date) -> bool:
        return today <= self.correctable_until


class IndicatorKind(models.TextChoices):
    NATIONAL = "national", _("National")
    LOCAL = "local", _("Local")


class Indicator(models.Model):
    """A national or local indicator a plan reports against, such as NI 1."""

    Kind = IndicatorKind

    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NATIONAL)
    unit = models.CharField(max_length=40, blank=True, help_text=_("For example '%'."))
    higher_is_better = models.BooleanField(default=True)
    sections = models.ManyToManyField(Section, blank=True, related_name="indicators")
    performance_indicators = models.ManyToManyField(
        "grants.PerformanceIndicator",
        blank=True,
        related_name="plan_indicators",
        help_text=_("Indicators of funded agreements that contribute to this one."),
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=IndicatorKind.values),
                name="indicator_kind_valid",
                violation_error_message="Choose national or local.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def reading(self, value: Decimal) -> str:
        """A value with its unit: "45%" for a percentage, "1,250 people" (`sla_monitor.figures`)."""
        if self.unit.strip() == "%":
            return str(Figure(value, Kind.PERCENTAGE))
        return f"{Figure(value)} {self.unit}".strip()


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["indicator", "measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="one_indicator_value_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} on {self.measured_on}: {self.value}"


# The area's population, beside which the reach of funded services is read ---------------------


class PopulationProfile(models.Model):
    """A council's area's population, as shares of each characteristic's categories or groups
    (`sla_monitor.equality`), with where the figures come from. Shares not known are left out,
    never guessed."""

    council = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="population_profile",
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
    )
    area = models.CharField(max_length=200, help_text=_("The area the figures describe."))
    source = models.CharField(
        max_length=500, help_text=_("Where the figures come from, such as the 2021 Census.")
    )
    year = models.PositiveSmallIntegerField(help_text=_("The year the figures describe."))
    under_reach_tolerance = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("5.0"),
        help_text=_(
            "Percentage points: a group whose share of the people reached is lower than its "
            "share of the population by more than this is marked as under-reached."
        ),
    )
    notes = models.TextField(blank=True, help_text=_("What the figures leave out, and why."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["council__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(under_reach_tolerance__gte=0) & Q(under_reach_tolerance__lte=100),
                name="population_tolerance_a_percentage",
                violation_error_message="The tolerance is between 0 and 100 percentage points.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} population ({self.year})"


class PopulationShare(models.Model):
    """The percentage of the area's population in one category or group of a characteristic."""

    profile = models.ForeignKey(PopulationProfile, on_delete=models.CASCADE, related_name="shares")
    characteristic = models.CharField(max_length=40, choices=CHARACTERISTIC_CHOICES)
    category = models.CharField(max_length=40, help_text=_("A category or a group of categories."))
    share = models.DecimalField(max_digits=5, decimal_places=2, help_text=_("Per cent."))

    class Meta:
        ordering = ["profile", "characteristic", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "characteristic", "category"], name="one_share_per_category"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=100),
                name="population_share_a_percentage",
                violation_error_message="A share is a percentage from 0 to 100.",
            ),
        ]

    def __str__(self) -> str:
        found = BY_CODE.get(self.characteristic)
        if found is None or not is_comparable(self.characteristic, self.category):
            return f"{self.characteristic} {self.category}: {self.share}%"
        return f"{found.name}, {found.label(self.category)}: {self.share}%"

    def get_additional_data(self) -> dict:
        """Kept beside each change in the change history: the profile, so that a share taken
        out stays readable by those who read the profile."""
        return {"profile": self.profile_id}
