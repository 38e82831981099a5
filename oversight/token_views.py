"""The API tokens pages: an organisation's administrator lists its tokens, makes one (its
secret shown once, in the answer to the form and nowhere else) and revokes one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from oversight.token_forms import ApiTokenForm
from sla_monitor import api_tokens
from sla_monitor.models import ApiScope
from sla_monitor.once import AlreadySent


def _require_maker(user) -> None:
    if not api_tokens.makes_tokens(user):
        raise PermissionDenied


def _scope_labels(scopes) -> list[str]:
    labels = dict(ApiScope.choices)
    return [str(labels.get(scope, scope)) for scope in scopes]


@require_GET
def token_list(request):
    _require_maker(request.user)
    today = timezone.localdate()
    tokens = list(api_tokens.tokens_of(request.user))
    for token in tokens:
        token.scope_labels = _scope_labels(token.scopes)
        token.live = token.is_live(today)
    return render(
        request,
        "oversight/api_tokens.html",
        {"tokens": tokens, "organisation": request.user.organisation},
    )


# The secret is in this page's answer only: never kept, nor put in an address, a message or the
# session, and the answer is not to be stored by the browser or anything between.
@never_cache
@require_http_methods(["GET", "POST"])
def token_new(request):
    _require_maker(request.user)
    form = ApiTokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, secret = api_tokens.create_token(
                by=request.user,
                name=data["name"],
                scopes=data["scopes"],
                expires_on=data["expires_on"],
                once=data["once"],
            )
        except AlreadySent:
            messages.info(
                request,
                _(
                    "The token was made when the form was first sent, and its secret shown "
                    "then. If you did not copy it, revoke the token and make another."
                ),
            )
            return redirect("oversight:api_tokens")
        except ValidationError as error:
            form.add_service_error(error)
        else:
            token.scope_labels = _scope_labels(token.scopes)
            return render(
                request, "oversight/api_tokens_made.html", {"token": token, "secret": secret}
            )
    return render(request, "oversight/api_tokens_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
def token_revoke(request, pk: int):
    _require_maker(request.user)
    token = get_object_or_404(api_tokens.tokens_of(request.user), pk=pk)
    if request.method == "POST":
        already = token.revoked_at is not None
        token = api_tokens.revoke_token(token=token, by=request.user)
        if already:
            messages.info(
                request, _("The token “%(name)s” was already revoked.") % {"name": token.name}
            )
        else:
            messages.success(
                request,
                _("The token “%(name)s” was revoked: it reads nothing more.")
                % {"name": token.name},
            )
        return redirect("oversight:api_tokens")
    token.scope_labels = _scope_labels(token.scopes)
    return render(request, "oversight/api_tokens_revoke.html", {"token": token})
