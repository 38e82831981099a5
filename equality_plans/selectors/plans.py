"""The plans a user sees, with how many actions each has and how many are overdue."""

import datetime as dt

from django.db.models import Count, QuerySet

from equality_plans import permissions
from equality_plans.models import Action, ActionPlan


def plans_with_counts(user) -> QuerySet:
    return permissions.visible_plans(user).annotate(action_count=Count("actions", distinct=True))


def overdue_actions_by_plan(user, today: dt.date) -> list[tuple[ActionPlan, int]]:
    """(plan, number of overdue actions) for each plan of the user's own council."""
    plans = list(permissions.own_plans(user).order_by("title"))
    overdue = dict(
        Action.objects.filter(plan__in=plans)
        .overdue(today)
        .order_by()
        .values("plan")
        .annotate(count=Count("pk"))
        .values_list("plan", "count")
    )
    return [(plan, overdue.get(plan.pk, 0)) for plan in plans]
