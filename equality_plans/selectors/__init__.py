"""Reads of the equality plans: scoped through equality_plans.permissions, a fixed number of
queries however many rows.

One module per topic: plans, actions, coverage (the strands a plan's actions address, and who
the grants delivering it reached), indicators, objectives (for a council's equality information
report), imports, population and progress (the updates an action's owner
owes). Every public name is imported here too, so that callers write
`selectors.plan_actions`."""

from equality_plans.selectors.actions import (
    LISTED_FIELDS,
    NO_UPDATE_LABEL,
    RAG_HEADINGS,
    RAG_ORDER,
    RagCounts,
    action_detail,
    action_export_headers,
    action_export_rows,
    filtered_actions,
    plan_actions,
    rag_by_section,
    rag_by_strand,
    rag_counts,
    rag_summary,
    with_strand_list,
)
from equality_plans.selectors.coverage import (
    COMPACT_CATEGORIES,
    Coverage,
    StrandCoverage,
    StrandKey,
    compact_rows,
    coverage_of,
    coverage_with_reach,
    strand_coverage,
    strand_key,
)
from equality_plans.selectors.imports import import_history
from equality_plans.selectors.indicators import IndicatorTrend, plan_indicators
from equality_plans.selectors.objectives import (
    CharacteristicProgress,
    PlanProgress,
    council_plans,
    in_force,
    objectives_progress,
    plans_delivered_by,
)
from equality_plans.selectors.plans import overdue_actions_by_plan, plans_with_counts
from equality_plans.selectors.population import area_population, population_of
from equality_plans.selectors.progress import ProgressDue, progress_due, quarter_reported_on

__all__ = [
    "COMPACT_CATEGORIES",
    "LISTED_FIELDS",
    "NO_UPDATE_LABEL",
    "RAG_HEADINGS",
    "RAG_ORDER",
    "CharacteristicProgress",
    "Coverage",
    "IndicatorTrend",
    "PlanProgress",
    "ProgressDue",
    "RagCounts",
    "StrandCoverage",
    "StrandKey",
    "action_detail",
    "action_export_headers",
    "action_export_rows",
    "area_population",
    "compact_rows",
    "council_plans",
    "coverage_of",
    "coverage_with_reach",
    "filtered_actions",
    "import_history",
    "in_force",
    "objectives_progress",
    "overdue_actions_by_plan",
    "plan_actions",
    "plan_indicators",
    "plans_delivered_by",
    "plans_with_counts",
    "population_of",
    "progress_due",
    "quarter_reported_on",
    "rag_by_section",
    "rag_by_strand",
    "rag_counts",
    "rag_summary",
    "strand_coverage",
    "strand_key",
    "with_strand_list",
]
