"""What each plans write changes, for the parts of pages kept by version (`sla_monitor.versions`).

A plan's rows (its sections, objectives, actions, their progress, strands and partners, and the
indicators of its sections with their values) move the plan and the council that owns it. The
plan's page names the agreements' performance indicators that deliver its indicators, so a
change to such an indicator, or to its agreement's reference, moves the plans it is linked to.
Strands and protected characteristics are shown in every plan: they move the whole site's
version.
"""

from collections.abc import Iterable

from equality_plans.models import (
    Action,
    ActionPlan,
    EqualityStrand,
    Indicator,
    IndicatorValue,
    Objective,
    ProgressUpdate,
    ProtectedCharacteristic,
    Section,
)
from grants.models import Agreement, PerformanceIndicator
from sla_monitor import versions


def of_plan(row) -> list[str]:
    return [versions.plan(row.plan_id)]


def _plan_itself(row: ActionPlan) -> list[str]:
    return [versions.plan(row.pk), versions.council(row.owner_id)]


def _plans_delivered_by(indicators) -> list[str]:
    """The plans whose indicators these performance indicators deliver (read at once: a delete
    is seen while its links are still there)."""
    plans = (
        Section.objects.filter(indicators__performance_indicators__in=indicators)
        .values_list("plan_id", flat=True)
        .distinct()
    )
    return [versions.plan(pk) for pk in plans]


def _of_action_links(action, reverse: bool, pks: set | None) -> list[str]:
    if not reverse:
        return [versions.plan(action.plan_id)]
    if pks is None:
        return [versions.SITE]
    return [f"action:{pk}" for pk in pks]


def _of_indicator_sections(row, reverse: bool, pks: set | None) -> list[str]:
    """An indicator put in or taken out of sections: those sections' plans (a section's own
    plan, from the section's side)."""
    if reverse:
        return [f"section:{row.pk}"]
    if pks is None:
        return [versions.SITE]
    return [f"section:{pk}" for pk in pks]


def _of_indicator_deliveries(row, reverse: bool, pks: set | None) -> list[str]:
    if not reverse:
        return [f"plan_indicator:{row.pk}"]
    if pks is None:
        return [versions.SITE]
    return [f"plan_indicator:{pk}" for pk in pks]


def _of_indicator(row: Indicator) -> list[str]:
    # Read at once: a deleted indicator's sections are gone by the commit.
    return [f"section:{pk}" for pk in row.sections.values_list("pk", flat=True)] if row.pk else []


WATCHED = {
    ActionPlan: _plan_itself,
    Section: of_plan,
    Objective: lambda row: [f"section:{row.section_id}"],
    Action: of_plan,
    ProgressUpdate: lambda row: [f"action:{row.action_id}"],
    Indicator: _of_indicator,
    IndicatorValue: lambda row: [f"plan_indicator:{row.indicator_id}"],
    EqualityStrand: lambda row: [versions.SITE],
    ProtectedCharacteristic: lambda row: [versions.SITE],
    PerformanceIndicator: lambda row: _plans_delivered_by([row.pk]),
}


def _plans(pks: Iterable[int]) -> Iterable[str]:
    for plan_pk, owner_pk in ActionPlan.objects.filter(pk__in=pks).values_list("pk", "owner_id"):
        yield versions.plan(plan_pk)
        yield versions.council(owner_pk)


def register() -> None:
    for model, what in WATCHED.items():
        versions.watch(model, what)
    versions.watch(
        Agreement,
        lambda row: _plans_delivered_by(PerformanceIndicator.objects.filter(agreement=row)),
        fields={"reference"},
    )
    for link in (
        Action.strands.through,
        Action.partner_authorities.through,
        Action.performance_indicators.through,
    ):
        versions.watch_links(link, _of_action_links)
    versions.watch_links(Indicator.sections.through, _of_indicator_sections)
    versions.watch_links(Indicator.performance_indicators.through, _of_indicator_deliveries)
    versions.expand("plan", _plans)
    versions.expand(
        "section",
        lambda pks: _plans(Section.objects.filter(pk__in=pks).values_list("plan_id", flat=True)),
    )
    versions.expand(
        "action",
        lambda pks: _plans(Action.objects.filter(pk__in=pks).values_list("plan_id", flat=True)),
    )
    versions.expand(
        "plan_indicator",
        lambda pks: _plans(
            Section.objects.filter(indicators__in=pks).values_list("plan_id", flat=True)
        ),
    )
