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

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("protected characteristic")
        verbose_name_plural = _("protected characteristics")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return gettext(self.name)


class EqualityStrand(models.Model):
    """A strand code a plan tags its actions with, and the protected characteristics it names.

    Codes are the ones plans write (seed 004): A, D, G, M/CP, P/M, R, RB, SO, CC, SE, ALL. Most name
    one characteristic; G ("gender, including transgender") names both sex and gender
    reassignment; CC and SE name none; ALL stands for every strand.
    """

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    characteristics = models.ManyToManyField(
        ProtectedCharacteristic,
        blank=True,
        related_name="strands",
        help_text=_("The protected characteristics an action tagged with this strand addresses."),
        verbose_name=_("characteristics"),
    )
    covers_all = models.BooleanField(
        _("covers all"),
        default=False,
        help_text=_("The ALL code: an action that addresses every strand."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("equality strand")
        verbose_name_plural = _("equality strands")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code}: {gettext(self.name)}"


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

    title = models.CharField(_("title"), max_length=250)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="action_plans",
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
        verbose_name=_("owner"),
    )
    partner_councils = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="partner_action_plans",
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
        verbose_name=_("partner councils"),
    )
    goal = models.TextField(_("goal"), blank=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    section_label = models.CharField(
        _("section label"),
        max_length=60,
        default="Section",
        help_text=_("What the plan calls its sections: Aim, Area…"),
    )
    objective_label = models.CharField(
        _("objective label"),
        max_length=60,
        default="Objective",
        help_text=_("What it calls objectives: Commitment…"),
    )

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="plan_end_after_start",
                violation_error_message=_("The plan must end after it starts."),
            ),
            models.UniqueConstraint(fields=["owner", "title"], name="plan_title_unique_per_owner"),
        ]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """An aim, theme, Equality Framework area or directorate of a plan."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("plan")
    )
    number = models.CharField(_("number"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=250)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="section_title_unique_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


class Objective(models.Model):
    """An objective or commitment within a section (seed 003's 1.1 … 5.7)."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("section")
    )
    number = models.CharField(_("number"), max_length=10)
    title = models.TextField(_("title"), blank=True)
    responsible_officer = models.CharField(_("responsible officer"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
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
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan")
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="actions", verbose_name=_("section")
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("objective"),
    )
    number = models.CharField(_("number"), max_length=20)
    order = models.PositiveIntegerField(_("order"), default=1)
    wording = models.TextField(_("wording"))
    strands = models.ManyToManyField(
        EqualityStrand, blank=True, related_name="actions", verbose_name=_("strands")
    )
    linked_strategies = models.TextField(
        _("linked strategies"),
        blank=True,
        help_text=_("Links to statutory returns, key strategies and plans."),
    )
    lead_responsibility = models.CharField(_("lead responsibility"), max_length=300, blank=True)
    monitored_by = models.CharField(_("monitored by"), max_length=300, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    timescale = models.CharField(
        _("timescale"), max_length=200, blank=True, help_text=_("As the plan writes it.")
    )
    due_date = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_("Read from the timescale where it names one."),
    )
    partner_authorities = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="partner_actions",
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
        verbose_name=_("partner authorities"),
    )
    partner_authorities_text = models.CharField(
        _("partner authorities text"),
        max_length=250,
        blank=True,
        help_text=_("The cross-reference to partners as written."),
    )
    milestones = models.TextField(_("milestones"), blank=True)
    measurable_target = models.TextField(_("measurable target"), blank=True)
    resources = models.TextField(_("resources"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        help_text=_("The user who updates its progress."),
        verbose_name=_("owner"),
    )
    performance_indicators = models.ManyToManyField(
        "grants.PerformanceIndicator",
        blank=True,
        related_name="plan_actions",
        help_text=_("Indicators of funded agreements that deliver this action."),
        verbose_name=_("performance indicators"),
    )
    # Null before its first update, as the listings and filters read it ("No update").
    latest_rag = models.CharField(  # noqa: DJ001
        _("latest rag"),
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
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="action_number_unique_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(latest_rag__isnull=True) | Q(latest_rag__in=RagStatus.values),
                name="action_latest_rag_valid",
                violation_error_message=_(
                    "An action's latest RAG is red, amber, green or completed."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.wording[:80]}"


class ProgressUpdate(models.Model):
    """A quarterly update on an action, or its year-end report."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="progress_updates", verbose_name=_("action")
    )
    financial_year = models.PositiveSmallIntegerField(_("financial year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, help_text=_("Empty for the year-end report.")
    )
    rag_status = models.CharField(_("rag status"), max_length=10, choices=RagStatus.choices)
    narrative = models.TextField(_("narrative"))
    is_year_end = models.BooleanField(_("is year end"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    corrected_at = models.DateTimeField(
        _("corrected at"), null=True, blank=True, help_text=_("When its author last corrected it.")
    )

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["action", "financial_year", "quarter", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rag_status__in=RagStatus.values),
                name="progress_rag_valid",
                violation_error_message=_("Choose a RAG status: red, amber, green or completed."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | (Q(quarter__gte=1) & Q(quarter__lte=4)),
                name="progress_quarter_1_4",
                violation_error_message=_("A quarter is 1, 2, 3 or 4."),
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
                violation_error_message=_("This action already has an update for that quarter."),
            ),
            models.UniqueConstraint(
                fields=["action", "financial_year"],
                condition=Q(is_year_end=True),
                name="one_year_end_report_per_action_and_year",
                violation_error_message=_(
                    "This action already has a year-end report for that year."
                ),
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

    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NATIONAL)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("For example '%'."))
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    sections = models.ManyToManyField(
        Section, blank=True, related_name="indicators", verbose_name=_("sections")
    )
    performance_indicators = models.ManyToManyField(
        "grants.PerformanceIndicator",
        blank=True,
        related_name="plan_indicators",
        help_text=_("Indicators of funded agreements that contribute to this one."),
        verbose_name=_("performance indicators"),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=IndicatorKind.values),
                name="indicator_kind_valid",
                violation_error_message=_("Choose national or local."),
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
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
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
        verbose_name=_("council"),
    )
    area = models.CharField(
        _("area"), max_length=200, help_text=_("The area the figures describe.")
    )
    source = models.CharField(
        _("source"),
        max_length=500,
        help_text=_("Where the figures come from, such as the 2021 Census."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The year the figures describe.")
    )
    under_reach_tolerance = models.DecimalField(
        _("under reach tolerance"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("5.0"),
        help_text=_(
            "Percentage points: a group whose share of the people reached is lower than its "
            "share of the population by more than this is marked as under-reached."
        ),
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("What the figures leave out, and why.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("population profile")
        verbose_name_plural = _("population profiles")
        ordering = ["council__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(under_reach_tolerance__gte=0) & Q(under_reach_tolerance__lte=100),
                name="population_tolerance_a_percentage",
                violation_error_message=_("The tolerance is between 0 and 100 percentage points."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} population ({self.year})"


class PopulationShare(models.Model):
    """The percentage of the area's population in one category or group of a characteristic."""

    profile = models.ForeignKey(
        PopulationProfile,
        on_delete=models.CASCADE,
        related_name="shares",
        verbose_name=_("profile"),
    )
    characteristic = models.CharField(
        _("characteristic"), max_length=40, choices=CHARACTERISTIC_CHOICES
    )
    category = models.CharField(
        _("category"), max_length=40, help_text=_("A category or a group of categories.")
    )
    share = models.DecimalField(
        _("share"), max_digits=5, decimal_places=2, help_text=_("Per cent.")
    )

    class Meta:
        verbose_name = _("population share")
        verbose_name_plural = _("population shares")
        ordering = ["profile", "characteristic", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "characteristic", "category"], name="one_share_per_category"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=100),
                name="population_share_a_percentage",
                violation_error_message=_("A share is a percentage from 0 to 100."),
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
