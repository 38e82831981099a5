"""The files imported into a plan."""

from django.db.models import QuerySet

from equality_plans.importing import KIND
from equality_plans.models import ActionPlan
from sla_monitor import imports


def import_history(plan: ActionPlan) -> QuerySet:
    """The files imported into the plan, newest first, with who checked and who undid them."""
    return imports.history(KIND, plan)
