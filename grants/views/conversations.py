"""The conversation's pages: an agreement's messages, a return's, one flagged answer's thread
(where an officer also resolves the flag), and the files sent with messages. The forms beside
answers and on the agreement page post here and go back where they came from; a form with an
error is shown again on these pages, beside the thread it belongs to.

Someone who may read a conversation but not write in it (a superuser) is refused before their
form is read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants import permissions, selectors, services
from grants.forms.conversations import MessageForm
from sla_monitor.once import AlreadySent
from sla_monitor.params import page_to_return_to


def _done(request, default: str):
    return HttpResponseRedirect(page_to_return_to(request, default))


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
    except (AlreadySent, services.FlagStateError) as error:
        messages.info(request, " ".join(error.messages))
    except ValidationError as error:
        form.add_error(None, error)
        return False
    else:
        messages.success(request, _("Your message was sent."))
    return True


def _page(request, template: str, context: dict, form) -> object:
    return render(request, template, context, status=400 if form and form.errors else 200)


def _writer_only(request, agreement) -> None:
    if request.method == "POST" and not permissions.can_converse(request.user, agreement):
        raise PermissionDenied(
            _("Only the provider's people and the council's lead officers can send messages here.")
        )


@require_http_methods(["GET", "POST"])
def agreement_messages(request, pk):
    agreement = get_object_or_404(permissions.visible_agreements(request.user), pk=pk)
    _writer_only(request, agreement)
    form = None
    if permissions.can_converse(request.user, agreement):
        form = MessageForm(request.POST or None, request.FILES or None, prefix="agreement")
    if request.method == "POST" and _send(request, form, agreement=agreement):
        default = reverse("grants:agreement_messages", args=[agreement.pk]) + "#messages"
        return _done(request, default)
    context = {"agreement": agreement, "thread": selectors.agreement_messages(agreement)}
    return _page(request, "grants/agreement_messages.html", {**context, "form": form}, form)


@require_http_methods(["GET", "POST"])
def return_messages(request, pk):
    """The return's conversation: its own thread, and each flagged answer's."""
    quarterly_return = get_object_or_404(permissions.visible_returns(request.user), pk=pk)
    _writer_only(request, quarterly_return.agreement)
    form = None
    if permissions.can_converse(request.user, quarterly_return.agreement):
        form = MessageForm(request.POST or None, request.FILES or None, prefix="return")
    if request.method == "POST" and _send(request, form, quarterly_return=quarterly_return):
        default = reverse("grants:return_messages", args=[quarterly_return.pk]) + "#messages"
        return _done(request, default)
    detail = selectors.return_detail(quarterly_return, with_history=True)
    context = {"qr": quarterly_return, "detail": detail, "form": form}
    return _page(request, "grants/return_messages.html", context, form)


def _flag_of(request, pk, flag_pk):
    """The flag, through its return: another organisation's return, or a flag of another
    return, is not found."""
    quarterly_return = get_object_or_404(permissions.visible_returns(request.user), pk=pk)
    return get_object_or_404(
        quarterly_return.flags.select_related("raised_by", "cleared_by"), pk=flag_pk
    )


def _flag_page(request, flag, *, form=None):
    quarterly_return = flag.quarterly_return
    detail = selectors.return_detail(quarterly_return)
    row = next((r for r in detail.flagged_rows if r.flag.pk == flag.pk), None)
    shown = row.flag if row else selectors.flag_with_thread(flag)
    writes = permissions.can_converse(request.user, quarterly_return.agreement)
    if form is None and shown.is_open and writes:
        form = MessageForm(prefix=f"flag-{flag.pk}")
    context = {
        "qr": quarterly_return,
        "flag": shown,
        "row": row,
        "form": form if shown.is_open else None,
        "resolves": permissions.can_decide(request.user, quarterly_return),
        "back": page_to_return_to(request, ""),
    }
    return _page(request, "grants/flag_thread.html", context, form)


@require_http_methods(["GET", "POST"])
def flag_thread(request, pk, flag_pk):
    """One flagged answer: what the officer asked, whether the answer changed since, and the
    replies; the provider answers here and beside the answer."""
    flag = _flag_of(request, pk, flag_pk)
    _writer_only(request, flag.quarterly_return.agreement)
    if request.method == "GET":
        return _flag_page(request, flag)
    form = MessageForm(request.POST, request.FILES, prefix=f"flag-{flag.pk}")
    if _send(request, form, flag=flag):
        return _done(request, reverse("grants:flag_thread", args=[pk, flag.pk]))
    return _flag_page(request, flag, form=form)


@require_POST
def flag_resolve(request, pk, flag_pk):
    """The officer's "Resolve the flag": the reply form's other button, so what they wrote in it
    goes into the thread with the flag's resolution rather than being lost."""
    flag = _flag_of(request, pk, flag_pk)
    if not permissions.can_decide(request.user, flag.quarterly_return):
        raise PermissionDenied(_("Only a lead officer of the funding council can resolve a flag."))
    form = MessageForm(request.POST, request.FILES, prefix=f"flag-{flag.pk}", resolving=True)
    if form.is_valid():
        try:
            services.resolve_flag(
                flag=flag,
                by=request.user,
                comment=form.cleaned_data["body"],
                token=form.cleaned_data["once"],
                attachments=form.cleaned_data["attachments"],
            )
        except (AlreadySent, services.FlagStateError) as error:
            messages.info(request, " ".join(error.messages))
        except ValidationError as error:
            form.add_error(None, error)
            return _flag_page(request, flag, form=form)
        else:
            done = _("The flag on %(label)s is resolved.") % {"label": flag.label}
            messages.success(request, done)
        return _done(request, reverse("grants:flag_thread", args=[pk, flag.pk]))
    return _flag_page(request, flag, form=form)


@require_GET
def message_attachment(request, pk):
    attachment = get_object_or_404(permissions.visible_attachments(request.user), pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
