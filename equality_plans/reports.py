"""The plan progress report, built by sla_monitor.reporting's task as the user who asked."""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from equality_plans import permissions, selectors
from equality_plans.models import EqualityStrand
from sla_monitor.pdf import render_pdf


def build_plan_progress_pdf(user, pk: int, query) -> tuple[bytes, str]:
    plan = get_object_or_404(permissions.visible_plans(user), pk=pk)
    filterset, actions = selectors.filtered_actions(plan, query or None, timezone.localdate())
    strands = list(EqualityStrand.objects.filter(covers_all=False))
    pdf = render_pdf(
        "equality_plans/pdf/plan_progress.html",
        {
            "plan": plan,
            "actions": actions,
            "filtered": filterset.is_bound and any(filterset.form.cleaned_data.values()),
            "summary": selectors.rag_counts(actions),
            "by_section": selectors.rag_by_section(actions),
            "by_strand": selectors.rag_by_strand(actions, strands),
            "rag_headings": selectors.RAG_HEADINGS,
            "sections": _grouped(actions),
        },
    )
    return pdf, f"plan-{plan.pk}-progress.pdf"


def _grouped(actions):
    groups: dict = {}
    for action in actions:
        groups.setdefault(action.section, []).append(action)
    return list(groups.items())
