"""Who may see and do what with equality plans: one policy per model.

`visible_plans(user)` is scoped to the user, so a plan the user may not read is a 404;
`can_<verb>(user, obj)` say whether the user may act on it.
"""

from django.db.models import Q, QuerySet

from equality_plans.models import (
    Action,
    ActionPlan,
    Assessment,
    AssessmentStatus,
    PopulationProfile,
    PopulationShare,
    ProgressUpdate,
)
from grants.models import Agreement, Fund
from sla_monitor import roles
from sla_monitor.models import Organisation, User


def reads_plans(user) -> bool:
    """Council staff, and superusers, work with equality plans; providers do not."""
    return roles.is_council_staff(user) or roles.is_superuser(user)


# Plans ---------------------------------------------------------------------------------------


def visible_plans(user) -> QuerySet:
    """Plans of the user's council, plans it is a partner in, and plans that the agreements it
    funds deliver (an action or an indicator linked to one of their performance indicators)."""
    plans = ActionPlan.objects.select_related("owner")
    if roles.is_superuser(user):
        return plans
    if not roles.is_council_staff(user):
        return plans.none()
    council = user.organisation_id
    return plans.filter(
        Q(owner_id=council)
        | Q(pk__in=ActionPlan.objects.partnered_by(council).values("pk"))
        | Q(pk__in=ActionPlan.objects.delivered_by(council).values("pk"))
    )


def visible_plan(user, pk: int) -> ActionPlan | None:
    """One plan, if it is among `visible_plans(user)`; else None. The commonest case, a plan of
    the user's own council, is told from the plan itself, before the partner and funding
    subqueries are asked."""
    plan = ActionPlan.objects.select_related("owner").filter(pk=pk).first()
    if plan is None:
        return None
    if roles.is_superuser(user) or (
        roles.is_council_staff(user) and roles.belongs_to(user, plan.owner_id)
    ):
        return plan
    return plan if visible_plans(user).filter(pk=pk).exists() else None


def own_plans(user) -> QuerySet:
    """The plans the user's own council keeps (every plan, for a superuser)."""
    plans = visible_plans(user)
    return plans if roles.is_superuser(user) else plans.filter(owner_id=user.organisation_id)


def manages_plans(user) -> bool:
    """A plan manager: their home page lists their council's plans' overdue actions."""
    return roles.is_plan_manager(user)


def manages_plan(user, plan: ActionPlan) -> bool:
    """A plan manager of the council that owns the plan."""
    return roles.is_plan_manager(user) and roles.belongs_to(user, plan.owner_id)


def speaks_for_owner(user, plan: ActionPlan) -> bool:
    """The user works for the council that keeps the plan, or is a superuser: the council's own
    reports on it (its equality information report) are theirs to read."""
    return roles.is_superuser(user) or (
        roles.is_council_staff(user) and roles.belongs_to(user, plan.owner_id)
    )


def can_import_plan(user, plan: ActionPlan) -> bool:
    return roles.is_superuser(user) or manages_plan(user, plan)


def can_add_actions(user, plan: ActionPlan) -> bool:
    """The plan's managers and its council's administrators add actions to it (a mitigation of
    an assessment becomes one); a superuser to any plan."""
    return (
        roles.is_superuser(user)
        or manages_plan(user, plan)
        or (roles.is_council_admin(user) and roles.belongs_to(user, plan.owner_id))
    )


def plans_taking_actions(user) -> QuerySet:
    """The plans the user may add an action to (`can_add_actions`)."""
    plans = own_plans(user)
    if roles.is_superuser(user):
        return plans
    if roles.is_plan_manager(user) or roles.is_council_admin(user):
        return plans
    return plans.none()


# Actions -------------------------------------------------------------------------------------


def visible_actions(user) -> QuerySet:
    """The actions of the plans the user may read (`visible_plans`), each with its plan."""
    return Action.objects.select_related("plan").filter(plan__in=visible_plans(user).values("pk"))


def can_update_action(user, action: Action) -> bool:
    """Its owner and the plan's managers record progress; everyone else who sees it reads."""
    if roles.is_council_staff(user) and action.owner_id == user.pk:
        return True
    return manages_plan(user, action.plan)


def can_correct_progress(user, update: ProgressUpdate) -> bool:
    """Only the person who wrote an update corrects it; whether it is still correctable is
    `ProgressUpdate.is_correctable`."""
    return user.is_authenticated and update.author_id == user.pk


# Population profiles -------------------------------------------------------------------------


def visible_population_profiles(user) -> QuerySet:
    """The area's population is read by the council's own staff; a superuser reads every one."""
    profiles = PopulationProfile.objects.select_related("council")
    if roles.is_superuser(user):
        return profiles
    if roles.is_council_staff(user):
        return profiles.filter(council_id=user.organisation_id)
    return profiles.none()


def visible_population_shares(user) -> QuerySet:
    profiles = visible_population_profiles(user).values("pk")
    return PopulationShare.objects.filter(profile__in=profiles)


def records_population(user) -> bool:
    """A council's administrator records its area's population; a superuser any council's."""
    return roles.is_admin(user)


def population_councils(user) -> QuerySet:
    """The councils whose area's population the user records."""
    councils = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL)
    if roles.is_superuser(user):
        return councils
    if records_population(user):
        return councils.filter(pk=user.organisation_id)
    return councils.none()


def can_record_population(user, council) -> bool:
    return roles.is_superuser(user) or (
        records_population(user) and roles.belongs_to(user, council.pk)
    )


# Equality impact assessments -----------------------------------------------------------------

# Who writes a council's assessments: its lead officers, plan managers, senior officers and
# administrators. Its action owners and finance officers read them.
ASSESSMENT_WRITERS = frozenset(
    {
        User.Role.LEAD_OFFICER,
        User.Role.PLAN_MANAGER,
        User.Role.SENIOR_OFFICER,
        User.Role.ADMIN,
    }
)


def reads_assessments(user) -> bool:
    return roles.is_council_staff(user) or roles.is_superuser(user)


def visible_assessments(user) -> QuerySet:
    """Every version of the assessments of the user's council (of every council, for a
    superuser); nobody else's, and none for a provider."""
    assessments = Assessment.objects.select_related("council", "owner")
    if roles.is_superuser(user):
        return assessments
    if not roles.is_council_staff(user):
        return assessments.none()
    return assessments.filter(council_id=user.organisation_id)


def visible_assessment(user, pk: int) -> Assessment | None:
    return visible_assessments(user).filter(pk=pk).first()


def writes_assessments(user) -> bool:
    """The user may start an assessment of their council's."""
    return roles.is_superuser(user) or (
        roles.is_council_staff(user) and user.role in ASSESSMENT_WRITERS
    )


def _writes_for(user, council) -> bool:
    return writes_assessments(user) and (
        roles.is_superuser(user) or roles.belongs_to(user, council.pk)
    )


def assessable_funds(user, council) -> QuerySet:
    """The funds an assessment of the council may judge: every fund of the council's, for those
    who write its assessments (a plan manager or senior officer who oversees no grants names
    them too)."""
    if not (
        writes_assessments(user)
        and (roles.is_superuser(user) or roles.belongs_to(user, council.pk))
    ):
        return Fund.objects.none()
    return Fund.objects.filter(council_id=council.pk)


def assessable_agreements(user, council) -> QuerySet:
    """The agreements an assessment of the council may judge, as `assessable_funds`."""
    if not (
        writes_assessments(user)
        and (roles.is_superuser(user) or roles.belongs_to(user, council.pk))
    ):
        return Agreement.objects.none()
    return Agreement.objects.filter(funder_id=council.pk)


def can_edit_assessment(user, assessment: Assessment) -> bool:
    """Its owner and the council's writers change a draft, or one returned with comments."""
    if not assessment.is_editable:
        return False
    if roles.is_superuser(user):
        return True
    if not (roles.is_council_staff(user) and roles.belongs_to(user, assessment.council_id)):
        return False
    return assessment.owner_id == user.pk or user.role in ASSESSMENT_WRITERS


def can_sign_off_assessment(user, assessment: Assessment) -> bool:
    """A senior officer of the council signs off, or returns with comments, an assessment
    submitted for sign-off; never one they wrote, own or submitted (four eyes)."""
    return (
        roles.is_senior_officer(user)
        and roles.belongs_to(user, assessment.council_id)
        and not is_author(user, assessment)
    )


def is_author(user, assessment: Assessment) -> bool:
    """The assessment's owner, whoever started or changed what this version says, or whoever
    sent it for sign-off."""
    if assessment.owner_id == user.pk:
        return True
    if assessment.contributors.filter(pk=user.pk).exists():
        return True
    return assessment.transitions.filter(step="submit", by_id=user.pk).exists()


def can_publish_assessment(user, assessment: Assessment) -> bool:
    """The council's writers publish a signed-off assessment, and review one (a new version)."""
    if roles.is_superuser(user):
        return True
    return (
        roles.is_council_staff(user)
        and roles.belongs_to(user, assessment.council_id)
        and user.role in ASSESSMENT_WRITERS
    )


def can_review_assessment(user, assessment: Assessment) -> bool:
    return assessment.status in (
        AssessmentStatus.SIGNED_OFF,
        AssessmentStatus.PUBLISHED,
    ) and can_publish_assessment(user, assessment)
