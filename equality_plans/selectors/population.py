"""The area's population: a council's profile, and its shares by characteristic."""

from collections import defaultdict
from decimal import Decimal

from equality_plans import permissions
from equality_plans.models import PopulationProfile


def population_of(user, council) -> tuple[PopulationProfile | None, dict[str, dict[str, Decimal]]]:
    """The council's population profile, if recorded and the user may read it, and its shares
    by characteristic and category or group: two queries."""
    profile = permissions.visible_population_profiles(user).filter(council=council).first()
    shares: dict[str, dict[str, Decimal]] = defaultdict(dict)
    if profile is not None:
        for share in profile.shares.all():
            shares[share.characteristic][share.category] = share.share
    return profile, dict(shares)
