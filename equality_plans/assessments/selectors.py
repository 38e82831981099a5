"""What pages read of equality impact assessments: scoped through equality_plans.permissions, in a
fixed number of queries however many rows."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from equality_plans import groups, permissions
from equality_plans.models import (
    Action,
    Assessment,
    AssessmentStatus,
    AssessmentTransition,
    GroupJudgement,
    Impact,
    Mitigation,
)
from sla_monitor import roles
from sla_monitor.periods import financial_year_end

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
