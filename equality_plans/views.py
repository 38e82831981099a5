from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from equality_plans import selectors
from equality_plans.models import EqualityStrand
from sla_monitor import access, exports
from sla_monitor.pdf import pdf_response, render_pdf

ACTION_EXPORT_HEADERS = [
    "No",
    "Section",
    "Objective",
    "ES & CC",
    "Action",
    "Link to Statutory Returns, Key Strategies & Plans",
    "Lead Responsibility",
    "Timescale",
    "Due date",
    "Monitored By",
    "Partner authorities",
    "Latest RAG",
    "Latest progress",
    "Overdue",
]


def _visible_plan(request, pk):
    if not access.is_council_staff(request.user) and not request.user.is_superuser:
        raise PermissionDenied
    return get_object_or_404(access.visible_plans(request.user), pk=pk)


@require_GET
def plan_list(request):
    if not access.is_council_staff(request.user) and not request.user.is_superuser:
        raise PermissionDenied
    plans = selectors.visible_plans(request.user).order_by("-start_date", "title")
    return render(request, "equality_plans/plan_list.html", {"plans": plans})


@require_GET
def plan_detail(request, pk):
    plan = _visible_plan(request, pk)
    filterset, actions = selectors.filtered_actions(plan, request.GET or None)
    today = timezone.localdate()
    for action in actions:
        action.overdue = selectors.is_overdue(action, today)
    return render(
        request,
        "equality_plans/plan_detail.html",
        {
            "plan": plan,
            "filter": filterset,
            "actions": actions,
            "summary": selectors.rag_counts(actions),
            "rag_headings": selectors.RAG_HEADINGS,
            "export_links": exports.export_links(request, "equality_plans:actions_export", plan.pk),
            "pdf_query": request.GET.urlencode(),
        },
    )


@require_GET
def actions_export(request, pk, fmt):
    plan = _visible_plan(request, pk)
    _, actions = selectors.filtered_actions(plan, request.GET or None)
    today = timezone.localdate()
    rows = (
        [
            a.number,
            str(a.section),
            str(a.objective) if a.objective else "",
            ", ".join(s.code for s in a.strands.all()),
            a.wording,
            a.linked_strategies,
            a.lead_responsibility,
            a.timescale,
            a.due_date,
            a.monitored_by,
            a.partner_authorities_text,
            dict(selectors.RagStatus.choices).get(a.latest_rag, ""),
            a.latest_progress or "",
            "Yes" if selectors.is_overdue(a, today) else "No",
        ]
        for a in actions
    )
    return exports.table_response(
        fmt=fmt,
        filename=f"plan-{plan.pk}-actions",
        headers=ACTION_EXPORT_HEADERS,
        rows=rows,
        sheet="Actions",
    )


@require_GET
def plan_pdf(request, pk):
    plan = _visible_plan(request, pk)
    filterset, actions = selectors.filtered_actions(plan, request.GET or None)
    today = timezone.localdate()
    for action in actions:
        action.overdue = selectors.is_overdue(action, today)
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
        request=request,
    )
    return pdf_response(pdf, f"plan-{plan.pk}-progress.pdf")


def _grouped(actions):
    groups: dict = {}
    for action in actions:
        groups.setdefault(action.section, []).append(action)
    return list(groups.items())
