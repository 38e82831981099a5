"""Reads that span both domains."""

from django.db.models import Q, QuerySet

from grants import permissions as grant_permissions
from sla_monitor import roles
from sla_monitor.models import User


def people_in_view(user) -> QuerySet:
    """The people whose actions the user may read of: everyone for a superuser; for council
    staff, their own council's people and those of the providers it funds."""
    people = User.objects.select_related("organisation").order_by("username")
    if roles.is_superuser(user):
        return people
    if not roles.is_council_staff(user):
        return people.none()
    funded = grant_permissions.visible_agreements(user).values("provider_id")
    return people.filter(Q(organisation_id=user.organisation_id) | Q(organisation_id__in=funded))
