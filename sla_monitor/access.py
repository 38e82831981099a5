"""Who may see and do what. Views ask this module; they never decide on their own.

`visible_<things>(user)` return querysets scoped to the user, so that another organisation's
object is simply not found (a 404). `can_<verb>(user, obj)` answer permission questions.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse

from sla_monitor.models import User

COUNCIL_ROLES = {
    User.Role.LEAD_OFFICER,
    User.Role.ACTION_OWNER,
    User.Role.PLAN_MANAGER,
    User.Role.ADMIN,
}


def is_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == User.Role.ADMIN)


def is_provider(user) -> bool:
    return (
        user.is_authenticated
        and not user.is_superuser
        and user.role == User.Role.PROVIDER
        and user.organisation_id is not None
    )


def is_council_staff(user) -> bool:
    return (
        user.is_authenticated
        and user.role in COUNCIL_ROLES
        and user.organisation_id is not None
        and user.organisation.is_council
    )


def is_lead_officer(user) -> bool:
    return is_council_staff(user) and user.role in {User.Role.LEAD_OFFICER, User.Role.ADMIN}


def sees_grants(user) -> bool:
    """Providers, lead officers and superusers work with agreements and their returns."""
    return (
        (user.is_authenticated and user.is_superuser) or is_provider(user) or is_lead_officer(user)
    )


def oversees_grants(user) -> bool:
    """Lead officers, and superusers, see dashboards and funds."""
    return is_lead_officer(user) or (user.is_authenticated and user.is_superuser)


def visible_agreements(user) -> QuerySet:
    from grants.models import Agreement

    agreements = Agreement.objects.select_related("funder", "provider", "fund", "lead_officer")
    if user.is_authenticated and user.is_superuser:
        return agreements
    if is_provider(user):
        return agreements.filter(provider_id=user.organisation_id)
    if is_lead_officer(user):
        return agreements.filter(funder_id=user.organisation_id)
    return agreements.none()


def reads_plans(user) -> bool:
    """Council staff, and superusers, work with equality plans; providers do not."""
    return is_council_staff(user) or (user.is_authenticated and user.is_superuser)


def visible_plans(user) -> QuerySet:
    """Plans of the user's council, plans it is a partner in, and plans that the agreements it
    funds deliver (an action or an indicator linked to one of their performance indicators)."""
    from equality_plans.models import Action, ActionPlan, Section

    plans = ActionPlan.objects.select_related("owner")
    if user.is_authenticated and user.is_superuser:
        return plans
    if not is_council_staff(user):
        return plans.none()
    council = user.organisation_id
    partnered = ActionPlan.partner_councils.through.objects.filter(organisation_id=council)
    funded_actions = Action.objects.filter(performance_indicators__agreement__funder_id=council)
    funded_indicators = Section.objects.filter(
        indicators__performance_indicators__agreement__funder_id=council
    )
    return plans.filter(
        Q(owner_id=council)
        | Q(pk__in=partnered.values("actionplan_id"))
        | Q(pk__in=funded_actions.values("plan_id"))
        | Q(pk__in=funded_indicators.values("plan_id"))
    )


def visible_returns(user) -> QuerySet:
    """Returns of the agreements the user may see: a provider's own, a lead officer's council's."""
    from grants.models import QuarterlyReturn

    returns = QuarterlyReturn.objects.select_related(
        "agreement__provider", "agreement__funder", "agreement__lead_officer", "period"
    )
    if user.is_authenticated and user.is_superuser:
        return returns
    if is_provider(user):
        return returns.filter(agreement__provider_id=user.organisation_id)
    if is_lead_officer(user):
        return returns.filter(agreement__funder_id=user.organisation_id)
    return returns.none()


def visible_evidence(user) -> QuerySet:
    from grants.models import EvidenceFile

    return EvidenceFile.objects.select_related("quarterly_return").filter(
        quarterly_return__in=visible_returns(user).values("pk")
    )


def can_start_return(user, agreement) -> bool:
    return is_provider(user) and agreement.provider_id == user.organisation_id


def can_edit_return(user, quarterly_return) -> bool:
    """Only the provider edits, and only a draft or a return sent back for changes."""
    return (
        is_provider(user)
        and quarterly_return.agreement.provider_id == user.organisation_id
        and quarterly_return.is_editable
    )


def can_review_return(user, quarterly_return) -> bool:
    """Only a lead officer of the funding council approves or requests changes."""
    return (
        is_lead_officer(user)
        and quarterly_return.agreement.funder_id == user.organisation_id
        and quarterly_return.status == quarterly_return.Status.SUBMITTED
    )


def can_decide_instalment(user, instalment) -> bool:
    return is_lead_officer(user) and instalment.agreement.funder_id == user.organisation_id


def can_record_meeting(user, agreement) -> bool:
    return is_lead_officer(user) and agreement.funder_id == user.organisation_id


def visible_funds(user) -> QuerySet:
    from grants.models import Fund

    funds = Fund.objects.select_related("council")
    if user.is_authenticated and user.is_superuser:
        return funds
    if is_lead_officer(user):
        return funds.filter(council_id=user.organisation_id)
    return funds.none()


def is_plan_manager(user, plan) -> bool:
    """A plan manager of the council that owns the plan."""
    return (
        is_council_staff(user)
        and user.role == User.Role.PLAN_MANAGER
        and user.organisation_id == plan.owner_id
    )


def can_update_action(user, action) -> bool:
    """Its owner and the plan's managers record progress; everyone else who sees it reads."""
    if not user.is_authenticated:
        return False
    if is_council_staff(user) and action.owner_id == user.pk:
        return True
    return is_plan_manager(user, action.plan)


def can_import_plan(user, plan) -> bool:
    return (user.is_authenticated and user.is_superuser) or is_plan_manager(user, plan)


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str


def navigation_for(user) -> list[NavLink]:
    """The header links a user's role may follow; only pages that exist are listed."""
    if not user.is_authenticated:
        return []
    links = [NavLink("Home", reverse("home"))]
    if is_provider(user):
        links.append(NavLink("Your returns", reverse("grants:provider_dashboard")))
    if oversees_grants(user):
        links.append(NavLink("Dashboard", reverse("grants:council_dashboard")))
    if is_lead_officer(user):
        links.append(NavLink("Review returns", reverse("grants:review_queue")))
    if sees_grants(user):
        links.append(NavLink("Indicator results", reverse("grants:indicator_results")))
    if reads_plans(user):
        links.append(NavLink("Equality plans", reverse("equality_plans:plan_list")))
    if oversees_grants(user):
        links.append(NavLink("Funds", reverse("grants:fund_list")))
    if is_admin(user):
        links.append(NavLink("Audit log", reverse("audit_log")))
    if user.is_staff:
        links.append(NavLink("Administration", reverse("admin:index")))
    return links
