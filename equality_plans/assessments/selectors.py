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
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from equality_plans import groups
from equality_plans.models import (
    Assessment,
    AssessmentStatus,
    GroupJudgement,
    Mitigation,
    PopulationProfile,
    Subject,
)
from equality_plans.selectors import area_population
from grants.models import BeneficiaryFigures, QuarterlyReturn
from grants.selectors import Reach, beneficiary_reach
from sla_monitor.equality import CHARACTERISTICS
from sla_monitor.models import Organisation
from sla_monitor.periods import financial_year_label, financial_year_of
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
            t.characteristic.name
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
