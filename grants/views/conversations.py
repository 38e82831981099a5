"""The conversation's pages: an agreement's messages, a return's, one flagged answer's thread
(where an officer also resolves the flag), and the files sent with messages. The forms beside
answers and on the agreement page post here and go back where they came from; a form with an
error is shown again on these pages, beside the thread it belongs to."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants import permissions, selectors, services
from grants.forms.conversations import MessageForm, ResolveFlagForm
from sla_monitor.once import AlreadySent


def _back(request, default: str) -> str:
    """The page the form was sent from, when it is one of this site's."""
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return default


def _send(request, form: MessageForm, **about) -> bool:
    """Sends the form's message; False, with the errors on the form, when it cannot be sent."""
    if not form.is_valid():
        return False
    try:
        services.send_message(
            by=request.user,
            body=form.cleaned_data["body"],
            token=form.cleaned_data["once"],
            attachments=form.cleaned_data["attachments"],
            **about,
        )
    except AlreadySent as error:
        messages.info(request, " ".join(error.messages))
    except ValidationError as error:
        form.add_error(None, error)
        return False
    else:
        messages.success(request, _("Your message was sent."))
    return True


def _page(request, template: str, context: dict, form) -> object:
    return render(request, template, context, status=400 if form and form.errors else 200)


@require_http_methods(["GET", "POST"])
def agreement_messages(request, pk):
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    form = None
    if permissions.can_converse(request.user, agreement):
        form = MessageForm(request.POST or None, request.FILES or None, prefix="agreement")
    if request.method == "POST":
        form = form or MessageForm(request.POST, request.FILES, prefix="agreement")
        if _send(request, form, agreement=agreement):
            default = reverse("grants:agreement_messages", args=[agreement.pk])
            return redirect(_back(request, default + "#messages"))
    context = {"agreement": agreement, "thread": selectors.agreement_messages(agreement)}
    return _page(request, "grants/agreement_messages.html", {**context, "form": form}, form)


@require_http_methods(["GET", "POST"])
def return_messages(request, pk):
    """The return's conversation: its own thread, and each flagged answer's."""
    quarterly_return = get_object_or_404(permissions.visible_returns(request.user), pk=pk)
    form = None
    if permissions.can_converse(request.user, quarterly_return.agreement):
        form = MessageForm(request.POST or None, request.FILES or None, prefix="return")
    if request.method == "POST":
        form = form or MessageForm(request.POST, request.FILES, prefix="return")
        if _send(request, form, quarterly_return=quarterly_return):
            default = reverse("grants:return_messages", args=[quarterly_return.pk])
            return redirect(_back(request, default + "#messages"))
    detail = selectors.return_detail(quarterly_return, with_history=True)
    context = {"qr": quarterly_return, "detail": detail, "form": form}
    return _page(request, "grants/return_messages.html", context, form)


def _flag_of(request, pk, flag_pk):
    return get_object_or_404(
        permissions.visible_flags(request.user).select_related(
            "quarterly_return__agreement", "raised_by", "cleared_by"
        ),
        pk=flag_pk,
        quarterly_return_id=pk,
    )


def _flag_page(request, flag, *, form=None, resolve_form=None):
    quarterly_return = flag.quarterly_return
    detail = selectors.return_detail(quarterly_return)
    row = next((r for r in detail.flagged_rows if r.flag.pk == flag.pk), None)
    if form is None and permissions.can_converse(request.user, quarterly_return.agreement):
        form = MessageForm(prefix=f"flag-{flag.pk}")
    if (
        resolve_form is None
        and flag.is_open
        and permissions.can_decide(request.user, quarterly_return)
    ):
        resolve_form = ResolveFlagForm(prefix=f"resolve-{flag.pk}")
    context = {
        "qr": quarterly_return,
        "flag": row.flag if row else selectors.flag_with_thread(flag),
        "row": row,
        "form": form,
        "resolve_form": resolve_form,
    }
    bad = form if form is not None and form.errors else resolve_form
    return _page(request, "grants/flag_thread.html", context, bad)


@require_http_methods(["GET", "POST"])
def flag_thread(request, pk, flag_pk):
    """One flagged answer: what the officer asked, whether the answer changed since, and the
    replies; the provider answers here and beside the answer."""
    flag = _flag_of(request, pk, flag_pk)
    if request.method == "GET":
        return _flag_page(request, flag)
    form = MessageForm(request.POST, request.FILES, prefix=f"flag-{flag.pk}")
    if _send(request, form, flag=flag):
        default = reverse("grants:flag_thread", args=[pk, flag.pk])
        return redirect(_back(request, default))
    return _flag_page(request, flag, form=form)


@require_POST
def flag_resolve(request, pk, flag_pk):
    flag = _flag_of(request, pk, flag_pk)
    form = ResolveFlagForm(request.POST, prefix=f"resolve-{flag.pk}")
    if not form.is_valid():
        return _flag_page(request, flag, resolve_form=form)
    try:
        services.resolve_flag(
            flag=flag,
            by=request.user,
            comment=form.cleaned_data["comment"],
            token=form.cleaned_data["once"],
        )
    except (AlreadySent, services.FlagStateError) as error:
        messages.info(request, " ".join(error.messages))
    except ValidationError as error:
        form.add_error(None, error)
        return _flag_page(request, flag, resolve_form=form)
    else:
        messages.success(request, _("The flag on %(label)s is resolved.") % {"label": flag.label})
    return redirect(_back(request, reverse("grants:flag_thread", args=[pk, flag.pk])))


@require_GET
def message_attachment(request, pk):
    attachment = get_object_or_404(permissions.visible_attachments(request.user), pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
