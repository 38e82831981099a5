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


def visible_plans(user) -> QuerySet:
    from equality_plans.models import ActionPlan

    plans = ActionPlan.objects.select_related("owner")
    if user.is_authenticated and user.is_superuser:
        return plans
    if is_council_staff(user):
        return plans.filter(
            Q(owner_id=user.organisation_id) | Q(partner_councils=user.organisation_id)
        ).distinct()
    return plans.none()


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str


def navigation_for(user) -> list[NavLink]:
    """The header links a user's role may follow; only pages that exist are listed."""
    if not user.is_authenticated:
        return []
    links = [NavLink("Home", reverse("home"))]
    if user.is_staff:
        links.append(NavLink("Administration", reverse("admin:index")))
    return links
