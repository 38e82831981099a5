"""Provider organisations: adding one, and the page of one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from grants import permissions, services
from grants.forms.providers import ProviderForm
from sla_monitor.params import page_linked_from, page_to_return_to


@require_http_methods(["GET", "POST"])
def add_provider(request):
    """A lead officer adds a provider organisation their council is to fund, then goes back to
    the page they came from (the set-up of an agreement, where they choose it)."""
    if not permissions.can_add_provider(request.user):
        raise PermissionDenied
    default = reverse("grants:set_up_agreement")
    if request.method == "POST":
        back = page_to_return_to(request, default)
    else:
        back = page_linked_from(request, default)
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.add_provider(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error, user=request.user)
        else:
            messages.success(
                request,
                _("%(name)s was added. Choose it from the providers when you set up its agreement.")
                % {"name": provider.name},
            )
            return HttpResponseRedirect(back)
    return render(request, "grants/provider_form.html", {"form": form, "back": back})


@require_GET
def provider_detail(request, pk):
    """What is kept of a provider: its address, its registration and its identifier, for the
    provider itself and the lead officers of the councils that fund it."""
    provider = get_object_or_404(permissions.visible_providers(request.user), pk=pk)
    return render(request, "grants/provider_detail.html", {"provider": provider})
