"""Open data: which of its agreements a council publishes, and the public pages and files of
what it publishes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from grants import permissions, publishing, services
from grants.forms.publication import PublishForm
from sla_monitor import exports


@require_GET
def publication(request):
    """The council's agreements, which are published as open data, and what others lack."""
    if not permissions.reviews_returns(request.user):
        raise PermissionDenied
    agreements = (
        permissions.visible_agreements(request.user).select_related("fund").order_by("reference")
    )
    council = request.user.organisation
    return render(
        request,
        "grants/publication.html",
        {
            "council": council,
            "rows": [(a, publishing.missing_for_publication(a)) for a in agreements],
            "public_url": reverse("grants:council_open_data", args=[council.short_code])
            if council.short_code
            else "",
        },
    )


@require_POST
def publish_agreement(request, pk):
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    published = form.cleaned_data["published"]
    try:
        services.set_published(agreement=agreement, by=request.user, published=published)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = "is now published as open data" if published else "is no longer published"
        messages.success(request, f"{agreement.reference} {done}.")
    return redirect("grants:publication")


def _publishing_council(code):
    # A code no council has, with a control character, is not looked up: PostgreSQL cannot even
    # compare a NUL.
    if not code.isprintable():
        raise Http404(gettext("No council publishes open data under that code."))
    return get_object_or_404(publishing.publishing_councils(), short_code__iexact=code)


@login_not_required
@require_GET
def open_data(request):
    return render(request, "grants/open_data.html", {"councils": publishing.publishing_councils()})


@login_not_required
@require_GET
def council_open_data(request, code):
    council = _publishing_council(code)
    grants = publishing.published_grants(council)
    licence_name, licence_url = publishing.licence(council)
    return render(
        request,
        "grants/council_open_data.html",
        {
            "council": council,
            "grants": grants,
            "years": [
                (y, publishing.year_label(y)) for y in publishing.transparency_years(council)
            ],
            "licence_name": licence_name,
            "licence_url": licence_url,
            "threesixtygiving_licence": council.open_data_licence_url or publishing.LICENSE,
        },
    )


def _package(request, council):
    """The council's 360Giving package, each grant's data source its open data page; none when
    it has chosen no grant for it (the standard's package has one grant or more)."""
    grants = publishing.published_grants(council)
    if not grants:
        raise Http404(gettext("The council publishes no 360Giving data."))
    return publishing.threesixtygiving_package(
        council,
        grants,
        request.build_absolute_uri(request.path),
        source=request.build_absolute_uri(
            reverse("grants:council_open_data", args=[council.short_code])
        ),
    )


@login_not_required
@require_GET
def threesixtygiving_json(request, code):
    council = _publishing_council(code)
    package = _package(request, council)
    response = JsonResponse(package, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="{council.short_code}-360giving.json"'
    return response


@login_not_required
@require_GET
def threesixtygiving_table(request, code, fmt):
    council = _publishing_council(code)
    url = request.build_absolute_uri(request.path)
    package = _package(request, council)
    headers, rows = publishing.grants_sheet(package, with_dei=fmt == "xlsx")
    filename = f"{council.short_code}-360giving"
    if fmt == "xlsx":
        # A workbook carries the package's metadata, the extensions it uses among them, in the
        # Meta sheet the standard's template has; its first row is a field, not a heading.
        meta = publishing.meta_sheet(package, url)
        return exports.workbook_response(
            filename=filename, sheets={"grants": (headers, rows), "Meta": (meta[0], meta[1:])}
        )
    return exports.table_response(
        fmt=fmt, filename=filename, headers=headers, rows=rows, sheet="grants"
    )


@login_not_required
@require_GET
def transparency_register(request, code, year):
    council = _publishing_council(code)
    if year not in publishing.transparency_years(council):
        raise Http404(gettext("The council awarded no grant to a VCSE organisation that year."))
    grants = publishing.awarded_in(publishing.transparency_grants(council), year)
    label = publishing.year_label(year).replace("/", "-")
    return exports.table_response(
        fmt="csv",
        filename=f"{council.short_code}-grants-to-vcse-{label}",
        headers=publishing.TRANSPARENCY_HEADERS,
        rows=publishing.transparency_rows(council, grants),
        sheet="Grants",
    )
