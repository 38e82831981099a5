"""A provider's own diversity: its answers for the year, and what it has said year by year."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from grants import permissions, selectors, services
from grants.forms.diversity import DiversityForm
from sla_monitor import periods


@require_http_methods(["GET", "POST"])
def organisation_diversity(request):
    """A provider answers, for the current financial year, the questions on its leadership and
    mission, and may change its answers until the year ends."""
    organisation = request.user.organisation
    if organisation is None or not permissions.can_record_diversity(request.user, organisation):
        raise PermissionDenied
    year = periods.financial_year_of(timezone.localdate())
    answers = selectors.diversity_answers(request.user, organisation)
    current = next((a for a in answers if a.financial_year == year), None)
    initial = {"financial_year": year}
    if current is not None:
        initial |= DiversityForm.initial_for(current)
    form = DiversityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_diversity(
                organisation=organisation, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            label = periods.financial_year_label(year)
            messages.success(
                request,
                gettext("Your answers for %(label)s were saved. Thank you.") % {"label": label},
            )
            return redirect("grants:organisation_diversity")
    return render(
        request,
        "grants/diversity_form.html",
        {
            "organisation": organisation,
            "form": form,
            "year_label": periods.financial_year_label(year),
            "year_end": periods.quarter_dates(year, 4)[1],
            "current": current,
            "earlier": [a for a in answers if a.financial_year != year],
        },
    )


@require_GET
def provider_diversity(request, pk):
    """What a provider has said of its leadership and mission, year by year: read only, for the
    provider itself and the lead officers of the councils that fund it."""
    provider = get_object_or_404(permissions.visible_providers(request.user), pk=pk)
    return render(
        request,
        "grants/provider_diversity.html",
        {
            "provider": provider,
            "answers": selectors.diversity_answers(request.user, provider),
            "can_answer": permissions.can_record_diversity(request.user, provider),
            "shared": permissions.diversity_shared_with(request.user, provider),
        },
    )
