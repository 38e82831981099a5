"""A plan's actions: joined once for its page, filtered, counted by RAG, one action as its page
shows it, and the columns of their export."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from equality_plans import permissions
from equality_plans.filters import ActionFilter
from equality_plans.models import Action, ActionPlan, EqualityStrand, RagStatus, latest_progress
from grants.selectors import latest_approved_results

RAG_ORDER = [RagStatus.RED, RagStatus.AMBER, RagStatus.GREEN, RagStatus.COMPLETED]
NO_UPDATE_LABEL = _("No update")


def with_strand_list():
    """Each action's strands as a plain list, `strand_list`. Prefetched into `strands.all()`,
    Django builds a filtered queryset for every action, which on a page of a hundred actions
    cost more than the rest of the page's reads together."""
    return Prefetch(
        "strands", queryset=EqualityStrand.objects.order_by("order"), to_attr="strand_list"
    )


# What the plan page's table shows of an action; the page reads no more than that.
LISTED_FIELDS = (
    "plan_id",
    "number",
    "order",
    "wording",
    "lead_responsibility",
    "timescale",
    "due_date",
    "latest_rag",
    "section__number",
    "section__title",
)


def plan_actions(plan: ActionPlan, today: dt.date, *, listed_only: bool = False) -> QuerySet:
    """The plan's actions, joined once, each with its strands, its latest RAG and whether it is
    overdue: everything exports, reports and an action's page show, or with `listed_only` just
    the page's columns."""
    actions = (
        Action.objects.filter(plan=plan)
        .prefetch_related(with_strand_list())
        .with_overdue(today)
        .order_by("order", "pk")
    )
    if listed_only:
        return actions.select_related("section").only(*LISTED_FIELDS)
    return actions.select_related("section", "objective", "owner").annotate(
        latest_progress=latest_progress("narrative")
    )


def filtered_actions(
    plan: ActionPlan,
    data,
    today: dt.date,
    *,
    materialise: bool = True,
    listed_only: bool = False,
) -> tuple:
    filterset = ActionFilter(
        data, queryset=plan_actions(plan, today, listed_only=listed_only), plan=plan, today=today
    )
    return filterset, list(filterset.qs) if materialise else filterset.qs


def rag_summary(actions: QuerySet) -> "RagCounts":
    """RAG counts of all the filtered actions, in one query, however many pages they span."""
    counts = Counter(
        dict(actions.order_by().values_list("latest_rag").annotate(n=Count("pk", distinct=True)))
    )
    return RagCounts(gettext("All actions"), counts)


@dataclass
class RagCounts:
    label: str
    counts: Counter

    @property
    def labelled(self) -> list[tuple[str, int]]:
        return list(zip(RAG_HEADINGS, self.cells, strict=True))

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(r.value, 0) for r in RAG_ORDER] + [self.counts.get(None, 0)]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def rag_counts(actions: list[Action]) -> RagCounts:
    return RagCounts(gettext("All actions"), Counter(a.latest_rag for a in actions))


def rag_by_section(actions: list[Action]) -> list[RagCounts]:
    sections: dict = {}
    for action in actions:
        sections.setdefault(action.section, Counter())[action.latest_rag] += 1
    return [RagCounts(str(section), counts) for section, counts in sections.items()]


def rag_by_strand(actions: list[Action], strands: list[EqualityStrand]) -> list[RagCounts]:
    """RAG counts for each strand; an action for ALL strands counts for every strand."""
    rows = []
    for strand in strands:
        counts = Counter(
            a.latest_rag
            for a in actions
            if any(s.pk == strand.pk or s.covers_all for s in a.strand_list)
        )
        rows.append(RagCounts(f"{strand.code}: {strand.name}", counts))
    return rows


RAG_HEADINGS = [r.label for r in RAG_ORDER] + [NO_UPDATE_LABEL]


def action_detail(action: Action, user, today: dt.date) -> dict:
    """The action's progress history, which of its updates the user may still correct, and what
    the funded agreements that deliver it achieved."""
    history = list(
        action.progress_updates.select_related("author").order_by(
            "-financial_year", "-is_year_end", "-quarter", "-created_at"
        )
    )
    return {
        "history": history,
        "correctable": {
            u.pk
            for u in history
            if permissions.can_correct_progress(user, u) and u.is_correctable(today)
        },
        "funded_results": latest_approved_results(action.performance_indicators.all()),
    }


# Exports: the columns of a plan's actions as a spreadsheet, in seed 004's headings ----------

ACTION_EXPORT_HEADERS = [
    pgettext_lazy("number of an action", "No"),
    _("Section"),
    _("Objective"),
    _("ES & CC"),
    _("Action"),
    _("Link to Statutory Returns, Key Strategies & Plans"),
    _("Lead Responsibility"),
    _("Timescale"),
    _("Due date"),
    _("Monitored By"),
    _("Partner authorities"),
    _("Outcome"),
    _("Latest RAG"),
    _("Latest progress"),
    _("Overdue"),
]
# Where the plan's council offers Welsh, what it writes in Welsh, after the rest: the section's,
# the action's and its outcome's, as the import reads them back.
WELSH_EXPORT_HEADERS = [_("Section (Welsh)"), _("Action (Welsh)"), _("Outcome (Welsh)")]


def action_export_headers(plan: ActionPlan) -> list[str]:
    """The export's headings: with the Welsh columns where the plan's council offers Welsh."""
    welsh = WELSH_EXPORT_HEADERS if plan.owner.welsh_offer else []
    return [str(header) for header in ACTION_EXPORT_HEADERS + welsh]


def action_export_rows(plan: ActionPlan, actions) -> Iterable[list]:
    """The rows under `action_export_headers`, for actions read with `plan_actions`. What the
    council writes in both languages is given from its English column, and from its Welsh one
    in the Welsh columns, whatever language the reader reads in: so the file imports back with
    nothing to change."""
    rag_labels = {value: str(label) for value, label in RagStatus.choices}
    yes, no = gettext("Yes"), gettext("No")
    welsh = plan.owner.welsh_offer
    for a in actions:
        row = [
            a.number,
            a.section.title_en_gb or a.section.title_cy,
            str(a.objective) if a.objective else "",
            ", ".join(s.code for s in a.strand_list),
            a.wording_en_gb,
            a.linked_strategies,
            a.lead_responsibility,
            a.timescale,
            a.due_date,
            a.monitored_by,
            a.partner_authorities_text,
            a.outcome_en_gb,
            rag_labels.get(a.latest_rag, ""),
            a.latest_progress or "",
            yes if a.overdue else no,
        ]
        if welsh:
            row += [a.section.title_cy or "", a.wording_cy or "", a.outcome_cy or ""]
        yield row
