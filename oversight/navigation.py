"""The header's links: the pages a user's role may open, across both domains."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from equality_plans import permissions as plan_permissions
from grants import permissions as grant_permissions
from oversight import permissions
from sla_monitor import roles


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str


def navigation_for(user) -> list[NavLink]:
    """The header links a user's role may follow; only pages that exist are listed."""
    if not user.is_authenticated:
        return []
    links = [NavLink(_("Home"), reverse("oversight:home"))]
    if roles.is_provider(user):
        links.append(NavLink(_("Your returns"), reverse("grants:provider_dashboard")))
    if grant_permissions.oversees_grants(user):
        links.append(NavLink(_("Dashboard"), reverse("oversight:council_dashboard")))
    if roles.is_lead_officer(user):
        links.append(NavLink(_("Review returns"), reverse("grants:review_queue")))
    if grant_permissions.sees_grants(user):
        links.append(NavLink(_("Indicator results"), reverse("grants:indicator_results")))
    if plan_permissions.reads_plans(user):
        links.append(NavLink(_("Equality plans"), reverse("equality_plans:plan_list")))
    # Lead officers' header is full; they open it from their home page.
    if grant_permissions.sees_reach(user) and not grant_permissions.oversees_grants(user):
        links.append(NavLink(_("Who grants reach"), reverse("oversight:reach")))
    if grant_permissions.oversees_grants(user):
        links.append(NavLink(_("Funds"), reverse("grants:fund_list")))
    if roles.is_lead_officer(user):
        links.append(NavLink(_("Open data"), reverse("grants:publication")))
    # A council administrator's header is full; they open payments from their home page.
    if grant_permissions.runs_payments(user):
        links.append(NavLink(_("Payments"), reverse("grants:finance_payments")))
    if permissions.manages_people(user):
        links.append(NavLink(_("People"), reverse("oversight:people")))
    if roles.is_admin(user):
        links.append(NavLink(_("Audit log"), reverse("oversight:audit_log")))
    if user.is_staff:
        links.append(NavLink(_("Administration"), reverse("admin:index")))
    return links
