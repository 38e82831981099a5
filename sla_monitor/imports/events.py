"""Imports in the audit log: each file imported, and each import undone."""

from django.utils.translation import gettext as _

from sla_monitor import audit, roles
from sla_monitor.models import ImportBatch


def import_events(user, filters: audit.Filters, limit: int) -> list[audit.Event]:
    """Each file imported, and each import undone, of what the user may see."""
    batches = (
        ImportBatch.objects.exclude(status=ImportBatch.Status.CHECKED)
        .select_related("checked_by", "undone_by", "target_type")
        .prefetch_related("target")
    )
    if not roles.is_superuser(user):
        batches = batches.filter(
            audit.visible_to(user, type_field="target_type", id_field="target_id")
        )
    events = []
    for batch in audit.latest(
        batches.defer("rows", "changes"),
        actor="checked_by",
        at="imported_at",
        filters=filters,
        limit=limit,
    ):
        counts = batch.counts
        target = batch.target or f"{batch.target_type.name} {batch.target_id}"
        events.append(
            audit.Event(
                batch.imported_at,
                "import",
                batch.checked_by,
                _("Imported “%(file)s” into %(target)s: %(added)s added, %(updated)s updated")
                % {
                    "file": batch.file_name,
                    "target": target,
                    "added": counts.get("created", 0),
                    "updated": counts.get("updated", 0),
                },
            )
        )
        if batch.undone_at:
            events.append(
                audit.Event(
                    batch.undone_at,
                    "import",
                    batch.undone_by,
                    _("Undid the import of “%(file)s” into %(target)s")
                    % {"file": batch.file_name, "target": target},
                )
            )
    return events
