"""The area's population: a council's profile, and its shares by characteristic."""

from collections import defaultdict
from decimal import Decimal

from equality_plans import permissions
from equality_plans.models import PopulationProfile

Shares = dict[str, dict[str, Decimal]]


def population_of(user, council) -> tuple[PopulationProfile | None, Shares]:
    """The council's population profile, if recorded and the user may read it, and its shares
    by characteristic and category or group: two queries."""
    profile = permissions.visible_population_profiles(user).filter(council=council).first()
    return profile, _shares(profile)


def area_population(council) -> tuple[PopulationProfile | None, Shares]:
    """The council's population profile and its shares, for what the council publishes (its
    equality impact assessments): census shares of an area, which describe no one. Two
    queries."""
    profile = PopulationProfile.objects.filter(council=council).first()
    return profile, _shares(profile)


def _shares(profile: PopulationProfile | None) -> Shares:
    shares: Shares = defaultdict(dict)
    if profile is not None:
        for share in profile.shares.all():
            shares[share.characteristic][share.category] = share.share
    return dict(shares)
