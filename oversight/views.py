"""Pages across both domains: home, the council dashboard, who the grants reach and the audit
log."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from equality_plans import permissions as plan_permissions
from equality_plans import selectors as plan_selectors
from equality_plans.assessments import selectors as assessment_selectors
from grants import dashboard, worklists
from grants import permissions as grant_permissions
from oversight import permissions
from oversight import reach as reach_report
from oversight.forms import AuditDatesForm
from sla_monitor import api_tokens, audit, exports, versions, webhooks
from sla_monitor.pagination import paging_links
from sla_monitor.params import record_id

AUDIT_PAGE_SIZE = 25


@require_GET
def home(request):
    user = request.user
    today = timezone.localdate()
    provider_tasks = (
        worklists.provider_tasks(user, today) if permissions.has_provider_tasks(user) else None
    )
    officer_tasks = (
        worklists.officer_tasks(user, today) if grant_permissions.oversees_grants(user) else None
    )
    finance_tasks = worklists.finance_tasks(user) if grant_permissions.runs_payments(user) else None
    plan_tasks = (
        plan_selectors.progress_due(user, today) if plan_permissions.reads_plans(user) else None
    )
    assessment_tasks = (
        assessment_selectors.assessment_tasks(user, today)
        if plan_permissions.reads_assessments(user)
        else None
    )
    overdue_actions = (
        [
            (plan, count)
            for plan, count in plan_selectors.overdue_actions_by_plan(user, today)
            if count
        ]
        if plan_permissions.manages_plans(user)
        else []
    )
    return render(
        request,
        "oversight/home.html",
        {
            "organisation": user.organisation,
            "provider_tasks": provider_tasks,
            "officer_tasks": officer_tasks,
            "finance_tasks": finance_tasks,
            "plan_tasks": plan_tasks,
            "assessment_tasks": assessment_tasks,
            # With no other to-do list, the plans' is the page's "What to do next".
            "plan_tasks_first": not (provider_tasks or officer_tasks or finance_tasks),
            "overdue_actions": overdue_actions,
            "invitations_to_approve": permissions.awaiting_approval_of(user).count(),
            "shown": worklists.SHOWN,
            "agreements": grant_permissions.visible_agreements(user).order_by("reference"),
            "plans": plan_permissions.visible_plans(user).order_by("title"),
            "is_provider": permissions.has_provider_tasks(user),
            "sets_up_agreements": grant_permissions.sets_up_agreements(user),
            "adds_providers": grant_permissions.can_add_provider(user),
            # A council administrator's header is full: the payments page is linked from here.
            "reads_payments": grant_permissions.sees_payments(user)
            and not grant_permissions.runs_payments(user),
            "sees_reach": grant_permissions.sees_reach(user),
            "makes_tokens": api_tokens.makes_tokens(user),
            "manages_webhooks": webhooks.manages_webhooks(user),
            "records_population": user.organisation is not None
            and plan_permissions.can_record_population(user, user.organisation),
        },
    )


@require_GET
def council_dashboard(request):
    if not grant_permissions.oversees_grants(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    period = dashboard.chosen_period(request.GET.get("period", ""), today)
    if period is None:
        return render(request, "oversight/council_dashboard.html", {"figures": None})
    return render(
        request,
        "oversight/council_dashboard.html",
        {
            "figures": _dashboard_figures(request, period, today),
            "overdue_actions": plan_selectors.overdue_actions_by_plan(request.user, today),
        },
    )


def _dashboard_figures(request, period, today) -> str:
    """The dashboard's figures for the quarter, worked out and drawn once for every lead officer
    of the council until a write moves the council's version (or the day or the language
    changes). A superuser's dashboard spans every council, so it is drawn afresh each time."""
    user = request.user

    def draw() -> str:
        figures = dashboard.council_dashboard(user, period, today)
        return render_to_string(
            "oversight/_dashboard_figures.html", {"dashboard": figures}, request=request
        )

    council = grant_permissions.dashboard_council(user)
    if council is None:
        return draw()
    return versions.kept(
        "dashboard",
        versions=[versions.SITE, versions.council(council)],
        vary=[period.pk, today, get_language()],
        draw=draw,
    )


@require_GET
def audit_log(request):
    if not permissions.reads_audit_log(request.user):
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    if kind not in audit.KINDS:
        kind = ""
    people = permissions.visible_actors(request.user)
    actor_id = record_id(request.GET.get("user", ""))
    if actor_id is not None and not people.filter(pk=actor_id).exists():
        actor_id = None
    dates = AuditDatesForm(request.GET or None)
    chosen_dates = dates.cleaned_data if dates.is_valid() else {}
    filters = audit.Filters(
        actor_id=actor_id, since=chosen_dates.get("since"), until=chosen_dates.get("until")
    )
    page = audit.events_page(
        request.user,
        kind=kind,
        filters=filters,
        number=record_id(request.GET.get("page", "")) or 1,
        size=AUDIT_PAGE_SIZE,
    )
    return render(
        request,
        "oversight/audit_log.html",
        {
            "events": page.events,
            **paging_links(request, page),
            "kinds": audit.KINDS.items(),
            "users": people,
            "chosen": {"kind": kind, "user": actor_id},
            "form": dates,
        },
    )


@require_GET
def reach(request):
    if not grant_permissions.sees_reach(request.user):
        raise PermissionDenied
    choice = reach_report.choose(request.user, request.GET, timezone.localdate())
    report = reach_report.reach_report(request.user, choice) if choice else None
    return render(
        request,
        "oversight/reach.html",
        {
            "report": report,
            "choice": choice,
            "quarters": reach_report.QUARTERS.items(),
            "records_population": choice is not None
            and plan_permissions.can_record_population(request.user, choice.council),
            "export_links": exports.export_links(request, "oversight:reach_export"),
        },
    )


@require_GET
def reach_export(request, fmt):
    if not grant_permissions.sees_reach(request.user):
        raise PermissionDenied
    choice = reach_report.choose(request.user, request.GET, timezone.localdate())
    if choice is None:
        raise Http404("There is no council to show.")
    report = reach_report.reach_report(request.user, choice)
    return exports.table_response(
        fmt=fmt,
        filename=f"reach-{choice.slug}",
        headers=reach_report.EXPORT_HEADERS,
        rows=reach_report.export_rows(report),
        sheet=_("Who the grants reach"),
    )
