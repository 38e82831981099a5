"""The demo's links between the two domains: what the funded agreement delivers of the plans."""

from equality_plans.models import ActionPlan, Indicator
from grants.models import PerformanceIndicator


def link_funded_indicators(leicestershire: ActionPlan) -> None:
    """Seed 000's community tension (hate crime) work serves seed 003's commitment 2.6, and its
    events that bring communities together serve seed 001's NI 1."""
    funded = {
        i.code: i for i in PerformanceIndicator.objects.filter(agreement__reference="KBC-CCE-01")
    }
    if not funded:
        return
    for action in leicestershire.actions.filter(objective__number="2.6"):
        action.performance_indicators.add(funded["e"])
    Indicator.objects.get(code="NI 1").performance_indicators.add(funded["b"])
