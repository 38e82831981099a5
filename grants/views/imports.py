"""Importing a council's agreements from a workbook (checked, confirmed, undone), the sample
workbook and the export of the council's agreements."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants import permissions, selectors, services
from grants.forms.imports import AgreementImportForm
from grants.importing import sample_workbook
from sla_monitor import exports
from sla_monitor.forms import ImportConfirmForm
from sla_monitor.imports import pages as import_pages


def _importing_council(request):
    if not permissions.reviews_returns(request.user):
        raise PermissionDenied
    return request.user.organisation


@require_http_methods(["GET", "POST"])
def agreement_import(request):
    """Upload a workbook of agreements and see what importing it would do; nothing changes yet."""
    council = _importing_council(request)
    form = AgreementImportForm(request.POST or None, request.FILES or None)
    preview = batch = None
    if request.method == "POST" and form.is_valid():
        preview, batch = services.check_agreement_import(
            council=council,
            file_name=form.cleaned_data["file"].name,
            book=form.book,
            by=request.user,
        )
    return render(
        request,
        "grants/agreement_import.html",
        {
            "council": council,
            "form": form,
            "preview": preview,
            "confirm": ImportConfirmForm(initial={"batch": batch.pk}) if batch else None,
            "file_name": form.cleaned_data["file"].name if preview else "",
        },
    )


@require_POST
def agreement_import_confirm(request):
    council = _importing_council(request)
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("There is no checked file to import: upload it again."))
        return redirect("grants:agreement_import")
    try:
        batch = services.import_agreements(
            council=council,
            batch_id=form.cleaned_data["batch"],
            by=request.user,
            blank_fields=form.cleaned_data["blank_fields"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("grants:agreement_import")
    counts = batch.counts
    messages.success(
        request,
        gettext(
            "Imported “%(file_name)s”: %(created)s added, %(updated)s updated, "
            "%(unchanged)s unchanged. You can undo it from the import history."
        )
        % {
            "file_name": batch.file_name,
            "created": counts["created"],
            "updated": counts["updated"],
            "unchanged": counts["unchanged"],
        },
    )
    return redirect("grants:agreement_imports")


@require_GET
def agreement_imports(request):
    council = _importing_council(request)
    return render(
        request,
        "grants/agreement_imports.html",
        {
            "council": council,
            "target_name": council.name,
            "batches": selectors.agreement_import_history(council),
        },
    )


@require_http_methods(["GET", "POST"])
def agreement_import_undo(request, batch_pk):
    """What undoing an import would do, asked before it is done; posted, it is undone."""
    council = _importing_council(request)
    batch = get_object_or_404(selectors.agreement_import_history(council), pk=batch_pk)
    history = reverse("grants:agreement_imports")
    return import_pages.undo_page(
        request,
        batch=batch,
        target_name=council.name,
        history_url=history,
        undo=lambda: services.undo_agreement_import(council=council, batch=batch, by=request.user),
    )


@require_GET
def agreement_import_sample(request):
    council = _importing_council(request)
    response = HttpResponse(sample_workbook(council), content_type=exports.FORMATS["xlsx"])
    response["Content-Disposition"] = 'attachment; filename="agreements-sample.xlsx"'
    return response


@require_GET
def agreements_export(request):
    council = _importing_council(request)
    return exports.workbook_response(
        filename=f"{council.short_code or 'council'}-agreements",
        sheets=selectors.agreements_workbook(council),
    )
