"""What the pages and documents of equality impact assessments read.

The reach an assessment of a fund or an agreement draws in is the reach page's
(`oversight.reach`): the published beneficiary figures of the returns (rounded to multiples of 5
in each return, `sla_monitor.suppression`), summed by `grants.selectors.beneficiary_reach` and set
beside the area's population by `sla_monitor.reach.compare`. It is scoped by the assessment's
council, never by a person, since the council's public pages show it to everyone.

What the council publishes is the latest published version of each of its assessments: a
version replaced by a later published one is not, and a review still in draft hides nothing.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from equality_plans import groups, permissions
from equality_plans.models import (
    Action,
    Assessment,
    AssessmentStatus,
    AssessmentTransition,
    GroupJudgement,
    Impact,
    Mitigation,
    PopulationProfile,
    Subject,
)
from equality_plans.selectors import area_population
from grants.models import BeneficiaryFigures, QuarterlyReturn
from grants.selectors import Reach, beneficiary_reach
from sla_monitor import roles
from sla_monitor.equality import CHARACTERISTICS
from sla_monitor.models import Organisation
from sla_monitor.periods import financial_year_end, financial_year_label, financial_year_of
from sla_monitor.reach import CharacteristicReach, Row, compare

# The reach ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReachTable:
    """One characteristic's people reached beside the area's population, as the reach page
    shows it."""

    reach: CharacteristicReach
    not_collected_people: int | None  # people of the returns that did not collect it

    @property
    def characteristic(self):
        return self.reach.characteristic

    @property
    def categories(self) -> tuple[Row, ...]:
        return tuple(r for r in self.reach.rows if not r.is_group)

    @property
    def groups(self) -> tuple[Row, ...]:
        return tuple(r for r in self.reach.rows if r.is_group)


@dataclass(frozen=True)
class AssessmentReach:
    """Who the returns of an assessed fund or agreement reached in one financial year."""

    year: int | None  # None when no return of it has figures yet
    of_decision: bool  # the year is the decision's, not the latest with figures
    returns: int
    people: int
    profile: PopulationProfile | None
    tables: tuple[ReachTable, ...] = ()

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year) if self.year is not None else ""

    @property
    def has_figures(self) -> bool:
        return self.returns > 0

    @property
    def counted(self) -> tuple[ReachTable, ...]:
        return tuple(t for t in self.tables if t.reach.counted)

    @property
    def not_collected(self) -> tuple[ReachTable, ...]:
        """The characteristics no one is counted in because returns did not collect them."""
        return tuple(
            t for t in self.tables if not t.reach.counted and t.reach.not_collected_returns
        )

    @property
    def rounded_away(self) -> str:
        """The characteristics whose counts (all collected) round to none, by name."""
        return ", ".join(
            str(t.characteristic.name)
            for t in self.tables
            if not t.reach.counted and not t.reach.not_collected_returns
        )

    @property
    def under_reached(self) -> list[tuple[ReachTable, Row]]:
        return [(t, r) for t in self.tables for r in t.reach.under_reached]


def assessed_returns(assessment: Assessment) -> QuerySet | None:
    """The returns of the fund's or agreement's agreements that the assessment's council funds;
    None for an assessment of a policy or a plan action."""
    returns = QuarterlyReturn.objects.filter(agreement__funder_id=assessment.council_id)
    if assessment.subject == Subject.FUND:
        return returns.filter(agreement__fund_id=assessment.fund_id)
    if assessment.subject == Subject.AGREEMENT:
        return returns.filter(agreement_id=assessment.agreement_id)
    return None


def reach_of(assessment: Assessment) -> AssessmentReach | None:
    """The reach figures an assessment of a fund or an agreement draws in: those of its returns
    in the financial year of the decision where it has a date, else in the latest year whose
    returns carry figures; None for a policy or a plan action. Six queries at most, however
    many returns."""
    returns = assessed_returns(assessment)
    if returns is None:
        return None
    reported = returns.reported()
    if assessment.decision_date is not None:
        year = financial_year_of(assessment.decision_date)
    else:
        year = reported.filter(
            Exists(BeneficiaryFigures.objects.filter(quarterly_return=OuterRef("pk")))
        ).aggregate(latest=Max("period__financial_year"))["latest"]
    reach = (
        beneficiary_reach(reported.filter(period__financial_year=year))
        if year is not None
        else Reach()
    )
    if not reach.returns:
        return AssessmentReach(year, assessment.decision_date is not None, 0, 0, None)
    profile, population = area_population(assessment.council_id)
    tolerance = profile.under_reach_tolerance if profile else None
    tables = []
    for characteristic in CHARACTERISTICS:
        code = characteristic.code
        not_collected = reach.not_collected.get(code, 0)
        tables.append(
            ReachTable(
                compare(
                    characteristic,
                    reach.counts.get(code, {}),
                    population.get(code),
                    tolerance,
                    not_collected_returns=not_collected,
                ),
                reach.not_collected_people.get(code, 0) if not_collected else None,
            )
        )
    return AssessmentReach(
        year,
        assessment.decision_date is not None,
        reach.returns,
        reach.people_reached,
        profile,
        tuple(tables),
    )


# What the council publishes ----------------------------------------------------------------


def public_council(code: str) -> Organisation | None:
    """The council whose public pages are named by its short code (in any case)."""
    # A control character is not looked up: PostgreSQL cannot even compare a NUL.
    if not code or not code.isprintable():
        return None
    return (
        Organisation.objects.filter(kind=Organisation.Kind.COUNCIL, short_code__iexact=code)
        .exclude(short_code="")
        .first()
    )


def published_assessments(council: Organisation) -> QuerySet:
    """The latest published version of each of the council's assessments, newest number first.
    A published version stays published when a review replaces it, until the review itself is
    published."""
    was_published = Q(status=AssessmentStatus.PUBLISHED) | Q(
        status=AssessmentStatus.REVIEWED, published_at__isnull=False
    )
    later = Assessment.objects.filter(
        was_published,
        council_id=OuterRef("council_id"),
        number=OuterRef("number"),
        version__gt=OuterRef("version"),
    )
    return (
        Assessment.objects.filter(was_published, council=council)
        .exclude(Exists(later))
        .select_related("council", "fund", "agreement", "action__plan")
        .order_by("-number")
    )


def published_assessment(council: Organisation, number: int) -> Assessment | None:
    return published_assessments(council).filter(number=number).first()


# An assessment as a document ---------------------------------------------------------------

# What an assessment's document names: what it is of, its owner and its signer.
DOCUMENT_RELATED = ("council", "fund", "agreement", "action__plan", "owner", "signed_off_by")


@dataclass(frozen=True)
class GroupLine:
    name: str
    judgement: GroupJudgement


@dataclass(frozen=True)
class MitigationLine:
    group: str  # the group's name; empty for every group
    mitigation: Mitigation


@dataclass(frozen=True)
class AssessmentDocument:
    """An assessment as its page and PDFs show it. `public` leaves out every person: no owner,
    no signer, no comment."""

    assessment: Assessment
    public: bool
    screening: tuple[GroupLine, ...]
    impacts: tuple[GroupLine, ...]  # the groups screened relevant, in a full assessment
    mitigations: tuple[MitigationLine, ...]
    reach: AssessmentReach | None

    @property
    def signed_off_on(self) -> dt.date | None:
        at = self.assessment.signed_off_at
        return timezone.localdate(at) if at else None

    @property
    def published_on(self) -> dt.date | None:
        at = self.assessment.published_at
        return timezone.localdate(at) if at else None

    @property
    def subject_name(self) -> str:
        return subject_name(self.assessment)


def subject_name(assessment: Assessment) -> str:
    """The fund or agreement assessed, by name; empty for a policy or a plan action."""
    if assessment.subject == Subject.FUND:
        return assessment.fund.name
    if assessment.subject == Subject.AGREEMENT:
        return f"{assessment.agreement.reference}: {assessment.agreement.title}"
    return ""


def assessment_document(assessment: Assessment, *, public: bool) -> AssessmentDocument:
    """What an assessment says, group by group, with the reach it draws in: ten queries at
    most, however many groups and mitigations."""
    judgements = list(GroupJudgement.objects.filter(assessment=assessment).order_by("order"))
    mitigations = list(
        Mitigation.objects.filter(assessment=assessment)
        .select_related("action__plan")
        .order_by("order", "pk")
    )
    screening = tuple(GroupLine(groups.name_of(j.group), j) for j in judgements)
    impacts = tuple(line for line in screening if line.judgement.relevant and assessment.is_full)
    return AssessmentDocument(
        assessment=assessment,
        public=public,
        screening=screening,
        impacts=impacts,
        mitigations=tuple(
            MitigationLine(groups.name_of(m.group) if m.group else "", m) for m in mitigations
        ),
        reach=reach_of(assessment),
    )


# Assessments joined to the plans, the reports and the home page ------------------------------

# An owner is reminded of a review this many days ahead, and of an overdue one at most this
# often; their home page lists reviews due within as many days.
REVIEW_NOTICE_DAYS = 30


@dataclass(frozen=True)
class ActionAssessments:
    """The assessments an action's page names, among those its reader may see: those that assess
    it or that it calls for (every version), the one whose mitigation it was made from, and the
    sign-offs of them all, newest first, that its progress shows."""

    linked: list[Assessment]
    mitigation: Mitigation | None
    signed_off: list[Assessment]


def action_assessments(action: Action, user) -> ActionAssessments:
    """Two queries."""
    visible = permissions.visible_assessments(user)
    linked = list(
        visible.filter(Q(action=action) | Q(called_for_by=action))
        .distinct()
        .order_by("number", "version")
    )
    mitigation = (
        Mitigation.objects.filter(action=action, assessment__in=visible.values("pk"))
        .select_related("assessment")
        .first()
    )
    signing = {a.pk: a for a in linked}
    if mitigation is not None:
        signing.setdefault(mitigation.assessment_id, mitigation.assessment)
    signed_off = sorted(
        (a for a in signing.values() if a.signed_off_at is not None),
        key=lambda a: a.signed_off_at,
        reverse=True,
    )
    return ActionAssessments(linked, mitigation, signed_off)


def signed_off_by_action(actions: list[Action], user) -> dict[int, list[Assessment]]:
    """For each of the actions, the sign-offs of the assessments linked to it (that assess it,
    that it calls for, or whose mitigation it was made from), newest first, among those the user
    may see: one query."""
    ids = {action.pk for action in actions}
    if not ids:
        return {}
    assessments = (
        permissions.visible_assessments(user)
        .signed_off()
        .filter(Q(action_id__in=ids) | Q(called_for_by__in=ids) | Q(mitigations__action_id__in=ids))
        .prefetch_related(
            Prefetch(
                "called_for_by",
                queryset=Action.objects.filter(pk__in=ids).only("pk"),
                to_attr="calling_actions",
            ),
            Prefetch(
                "mitigations",
                queryset=Mitigation.objects.filter(action_id__in=ids).only(
                    "assessment_id", "action_id"
                ),
                to_attr="mitigating",
            ),
        )
        .distinct()
        .order_by("-signed_off_at", "pk")
    )
    by_action: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        linked = {assessment.action_id}
        linked |= {a.pk for a in assessment.calling_actions}
        linked |= {m.action_id for m in assessment.mitigating}
        for action_id in linked & ids:
            by_action.setdefault(action_id, []).append(assessment)
    return by_action


@dataclass(frozen=True)
class NegativeImpact:
    """A group an assessment found a likely negative impact on, and what the council will do
    about it."""

    group: str
    explanation: str
    mitigations: list[Mitigation]


@dataclass(frozen=True)
class AssessmentOfYear:
    """A signed-off assessment as a report lists it: its outcome, the groups it found a negative
    impact on, each with its mitigations (and the plan actions they became), and any other
    mitigations."""

    assessment: Assessment
    negative_impacts: list[NegativeImpact]
    other_mitigations: list[Mitigation] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """The outcome in the Equality and Human Rights Commission's words; for one screened
        out, the screening's."""
        a = self.assessment
        return a.get_outcome_display() if a.outcome else a.get_screening_outcome_display()


def assessments_signed_off_within(
    council, first_year: int, last_year: int, *, among: QuerySet | None = None
) -> list[AssessmentOfYear]:
    """The council's assessments signed off in the financial years from `first_year` to
    `last_year`: every version signed off then, a version a review has since replaced too, and
    never a draft or one waiting for sign-off; `among` narrows them to what a reader may see.
    Three queries however many assessments."""
    first_day = dt.date(first_year, 4, 1)
    last_day = financial_year_end(last_year)
    assessments = (
        (among if among is not None else Assessment.objects.all())
        .signed_off()
        .filter(council=council, signed_off_at__date__range=(first_day, last_day))
        .select_related("council")
        .prefetch_related(
            Prefetch(
                "judgements",
                queryset=GroupJudgement.objects.filter(impact=Impact.NEGATIVE),
                to_attr="negative",
            ),
            Prefetch(
                "mitigations",
                queryset=Mitigation.objects.select_related("action__plan"),
                to_attr="mitigation_list",
            ),
        )
        .order_by("signed_off_at", "pk")
    )
    listed = []
    for assessment in assessments:
        negative_groups = {j.group for j in assessment.negative}
        listed.append(
            AssessmentOfYear(
                assessment,
                [
                    NegativeImpact(
                        groups.name_of(j.group),
                        j.explanation,
                        [m for m in assessment.mitigation_list if m.group == j.group],
                    )
                    for j in assessment.negative
                ],
                [m for m in assessment.mitigation_list if m.group not in negative_groups],
            )
        )
    return listed


def assessments_of_year(
    council, financial_year: int, *, among: QuerySet | None = None
) -> list[AssessmentOfYear]:
    """The council's assessments signed off in the financial year
    (`assessments_signed_off_within`)."""
    return assessments_signed_off_within(council, financial_year, financial_year, among=among)


@dataclass(frozen=True)
class AssessmentTasks:
    """What waits for a person on their home page: assessments of their council waiting for
    their sign-off (a senior officer's, never ones they wrote), and of their own those returned
    with comments and those whose review is due within `REVIEW_NOTICE_DAYS` or overdue."""

    to_sign_off: list[Assessment]
    returned: list[Assessment]
    reviews_due: list[Assessment]
    reviews_overdue: list[Assessment]

    notice_days = REVIEW_NOTICE_DAYS

    @property
    def count(self) -> int:
        return sum(
            map(len, (self.to_sign_off, self.returned, self.reviews_due, self.reviews_overdue))
        )


def assessment_tasks(user, today: dt.date) -> AssessmentTasks:
    """Two queries (one, for someone who signs nothing off)."""
    visible = permissions.visible_assessments(user)
    to_sign_off = []
    if roles.is_senior_officer(user):
        submitted_by_them = AssessmentTransition.objects.filter(
            assessment=OuterRef("pk"), step="submit", by_id=user.pk
        )
        to_sign_off = list(
            visible.filter(status=AssessmentStatus.SUBMITTED)
            .exclude(owner_id=user.pk)
            .exclude(Exists(submitted_by_them))
            .order_by("submitted_at", "pk")
        )
    owned = list(
        visible.filter(owner_id=user.pk)
        .filter(
            Q(status=AssessmentStatus.RETURNED)
            | Q(
                status__in=(AssessmentStatus.SIGNED_OFF, AssessmentStatus.PUBLISHED),
                review_date__lte=today + dt.timedelta(days=REVIEW_NOTICE_DAYS),
            )
        )
        .order_by("review_date", "number", "version")
    )
    reviews = [a for a in owned if a.status != AssessmentStatus.RETURNED]
    return AssessmentTasks(
        to_sign_off=to_sign_off,
        returned=[a for a in owned if a.status == AssessmentStatus.RETURNED],
        reviews_due=[a for a in reviews if a.review_date >= today],
        reviews_overdue=[a for a in reviews if a.review_date < today],
    )


def assessment_for_page(assessment: Assessment, user) -> Assessment:
    """The assessment with all its page shows, in a fixed number of queries: its groups,
    mitigations and the actions they became, evidence files, steps and who took them, and the
    plan actions calling for it that the reader may see."""
    return (
        Assessment.objects.select_related(
            "council", "owner", "fund", "agreement", "action__plan", "signed_off_by", "previous"
        )
        .prefetch_related(
            "judgements",
            Prefetch("mitigations", queryset=Mitigation.objects.select_related("action__plan")),
            "evidence_files",
            Prefetch("transitions", queryset=AssessmentTransition.objects.select_related("by")),
            Prefetch("called_for_by", queryset=permissions.visible_actions(user)),
        )
        .get(pk=assessment.pk)
    )
