"""Reads that span both domains."""

from django.db.models import Q, QuerySet

from grants import permissions as grant_permissions
from grants.models import ReturnTransition
from sla_monitor import roles
from sla_monitor.models import User


def people_in_view(user) -> QuerySet:
    """The people whose actions the user may read of: everyone for a superuser; for council
    staff, their own council's people and the providers' people who have acted on the council's
    returns (their steps are in those returns' histories), never the rest of a provider's
    people."""
    people = User.objects.select_related("organisation").order_by("username")
    if roles.is_superuser(user):
        return people
    if not roles.is_council_staff(user):
        return people.none()
    acted = ReturnTransition.objects.filter(
        quarterly_return__in=grant_permissions.visible_returns(user).values("pk")
    ).values("by_id")
    return people.filter(Q(organisation_id=user.organisation_id) | Q(pk__in=acted))
