"""A council administrator's webhooks: the addresses of the council's own systems that are told
of what happens, each with its signing secret and its latest deliveries. What may be done, and to
which, is decided by `sla_monitor.webhooks`; another council's address is a 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sla_monitor import webhooks
from sla_monitor.forms import AccessibleFormMixin
from sla_monitor.models import WebhookEndpoint, WebhookEvent

RECENT = 10
SHOWN_ON_ITS_PAGE = 25


class WebhookForm(AccessibleFormMixin, forms.Form):
    url = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=500,
        help_text=gettext_lazy(
            "The HTTPS address of your system's webhook receiver, such as "
            "https://finance.example.gov.uk/webhooks/sla-monitor."
        ),
        error_messages={"required": gettext_lazy("Enter the address of your system's receiver.")},
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events to send"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one event to be told of.")},
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("What receives it, so that your colleagues know."),
    )


def _require(user) -> None:
    if not webhooks.manages_webhooks(user):
        raise PermissionDenied


def _endpoint(request, pk: int) -> WebhookEndpoint:
    _require(request.user)
    return get_object_or_404(webhooks.endpoints_of(request.user), pk=pk)


@require_http_methods(["GET"])
def webhook_list(request):
    _require(request.user)
    endpoints = list(webhooks.endpoints_of(request.user).order_by("created_at", "pk"))
    for endpoint in endpoints:
        endpoint.recent = list(webhooks.recent_deliveries(endpoint, RECENT))
    return render(request, "oversight/webhooks.html", {"endpoints": endpoints})


@require_http_methods(["GET", "POST"])
def webhook_add(request):
    _require(request.user)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhooks.register_endpoint(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Webhook added. Give your system its signing secret, shown below."),
            )
            return redirect("oversight:webhook_detail", endpoint.pk)
    return render(request, "oversight/webhooks_add.html", {"form": form})


@require_http_methods(["GET"])
def webhook_detail(request, pk: int):
    endpoint = _endpoint(request, pk)
    return render(
        request,
        "oversight/webhooks_detail.html",
        {
            "endpoint": endpoint,
            "deliveries": webhooks.recent_deliveries(endpoint, SHOWN_ON_ITS_PAGE),
        },
    )


@require_POST
def webhook_pause(request, pk: int):
    endpoint = webhooks.pause_endpoint(endpoint=_endpoint(request, pk), by=request.user)
    messages.success(
        request, _("Paused: %(url)s is sent nothing until you resume it.") % {"url": endpoint.url}
    )
    return redirect("oversight:webhook_detail", endpoint.pk)


@require_POST
def webhook_resume(request, pk: int):
    endpoint = webhooks.resume_endpoint(endpoint=_endpoint(request, pk), by=request.user)
    messages.success(
        request,
        _("Resumed: %(url)s is sent events again, and what waited while it was paused.")
        % {"url": endpoint.url},
    )
    return redirect("oversight:webhook_detail", endpoint.pk)


@require_POST
def webhook_test(request, pk: int):
    endpoint = _endpoint(request, pk)
    webhooks.send_test(endpoint=endpoint, by=request.user)
    messages.success(
        request,
        _("A test event was sent to %(url)s: its outcome is listed below.") % {"url": endpoint.url},
    )
    return redirect("oversight:webhook_detail", endpoint.pk)


@require_http_methods(["GET", "POST"])
def webhook_delete(request, pk: int):
    endpoint = _endpoint(request, pk)
    if request.method == "POST":
        webhooks.delete_endpoint(endpoint=endpoint, by=request.user)
        messages.success(request, _("Webhook to %(url)s deleted.") % {"url": endpoint.url})
        return redirect("oversight:webhooks")
    return render(request, "oversight/webhooks_delete.html", {"endpoint": endpoint})
