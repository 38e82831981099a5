"""The plan progress report, built by sla_monitor.reporting as the user who asked."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from weasyprint.document import Document

from equality_plans import permissions, selectors
from equality_plans.assessments import selectors as assessment_selectors
from equality_plans.models import EqualityStrand
from sla_monitor.pdf import laid_out

# Up to this many actions print as a table, one column for each thing said of an action. More
# print as a list, a paragraph an action: WeasyPrint lays out a long table's narrow cells
# several times slower than full-width paragraphs (benchmarks/README.md, "The plan report").
TABLE_ACTIONS = 200


def build_plan_progress_pdf(user, pk: int, query) -> tuple[Document, str]:
    plan = get_object_or_404(permissions.visible_plans(user), pk=pk)
    filterset, actions = selectors.filtered_actions(plan, query or None, timezone.localdate())
    strands = list(EqualityStrand.objects.filter(covers_all=False))
    signed_off = assessment_selectors.signed_off_by_action(actions, user)
    for action in actions:
        action.assessment_sign_offs = signed_off.get(action.pk, [])
    document = laid_out(
        "equality_plans/pdf/plan_progress.html",
        {
            "plan": plan,
            "filtered": filterset.is_bound and any(filterset.form.cleaned_data.values()),
            "summary": selectors.rag_counts(actions),
            "by_section": selectors.rag_by_section(actions),
            "by_strand": selectors.rag_by_strand(actions, strands),
            "rag_headings": selectors.RAG_HEADINGS,
            "sections": _grouped(actions),
            "as_list": len(actions) > TABLE_ACTIONS,
        },
    )
    return document, f"plan-{plan.pk}-progress.pdf"


def plan_progress_pdf_rows(user, pk: int, query) -> int:
    """The actions the report lists: the plan's, as filtered."""
    plan = get_object_or_404(permissions.visible_plans(user), pk=pk)
    _, actions = selectors.filtered_actions(
        plan, query or None, timezone.localdate(), materialise=False, listed_only=True
    )
    return actions.count()


def _grouped(actions):
    groups: dict = {}
    for action in actions:
        groups.setdefault(action.section, []).append(action)
    return list(groups.items())
