"""A plan's indicators, each with its values and which way it is going."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext

from equality_plans.models import ActionPlan, Indicator, IndicatorValue


@dataclass
class IndicatorTrend:
    indicator: object
    values: list

    @property
    def readings(self) -> list[tuple[dt.date, str]]:
        """Each value's date and the value as it reads, with its unit."""
        return [(v.measured_on, self.indicator.reading(v.value)) for v in self.values]

    @property
    def trend(self) -> str:
        if len(self.values) < 2:
            return gettext("Not enough values yet")
        previous, latest = self.values[-2].value, self.values[-1].value
        if latest == previous:
            return gettext("No change")
        better = latest > previous if self.indicator.higher_is_better else latest < previous
        return gettext("Improving") if better else gettext("Getting worse")


def plan_indicators(plan: ActionPlan) -> list[IndicatorTrend]:
    indicators = (
        Indicator.objects.filter(sections__plan=plan)
        .distinct()
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("measured_on")),
            "performance_indicators__agreement",
        )
        .order_by("code")
    )
    return [IndicatorTrend(i, list(i.values.all())) for i in indicators]
