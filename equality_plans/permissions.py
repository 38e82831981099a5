"""Who may see and do what with equality plans: one policy per model.

`visible_plans(user)` is scoped to the user, so a plan the user may not read is a 404;
`can_<verb>(user, obj)` say whether the user may act on it.
"""

from django.db.models import Q, QuerySet

from equality_plans.models import (
    Action,
    ActionPlan,
    PopulationProfile,
    PopulationShare,
    ProgressUpdate,
)
from sla_monitor import roles
from sla_monitor.models import Organisation


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
