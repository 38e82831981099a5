"""The page that asks before an import is undone, and the undoing, for every app's history."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sla_monitor.imports.recording import what_undo_does
from sla_monitor.models import ImportBatch


def undo_page(
    request, *, batch: ImportBatch, target_name: str, history_url: str, undo: Callable[[], object]
):
    """GET: what undoing the batch would remove and put back; POST: `undo()` it, and back to the
    history with what happened."""
    if request.method == "GET":
        return render(
            request,
            "sla_monitor/import_undo.html",
            {
                "batch": batch,
                "undoing": what_undo_does(batch),
                "target_name": target_name,
                "back_url": history_url,
                "undo_url": request.path,
            },
        )
    try:
        undo()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The import of “%(file)s” was undone.") % {"file": batch.file_name}
        )
    return redirect(history_url)
