"""The files imported into a plan."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from equality_plans.importing import KIND
from equality_plans.models import ActionPlan
from sla_monitor.models import ImportBatch


def import_history(plan: ActionPlan) -> QuerySet:
    """The files imported into the plan, newest first, with who checked and who undid them."""
    return (
        ImportBatch.objects.filter(
            kind=KIND,
            target_type=ContentType.objects.get_for_model(ActionPlan),
            target_id=plan.pk,
        )
        .exclude(status=ImportBatch.Status.CHECKED)
        .select_related("checked_by", "undone_by")
        .defer("rows", "changes")
    )
