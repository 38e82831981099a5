"""Reading a query string's values as people and robots send them."""

import re

from django.utils.http import url_has_allowed_host_and_scheme

ID = re.compile(r"[0-9]{1,18}")


def record_id(text: str) -> int | None:
    """A record's id when the text is one (plain ASCII digits that fit a database id), else
    None: "²" and "١٢" are digits to Python's `isdigit`, and 10**30 overflows the database."""
    return int(text) if ID.fullmatch(text or "") else None


def page_to_return_to(request, default: str) -> str:
    """The `next` a form sent: a path of this site ("/returns/4/#flag-2"), else `default`. Only a
    path is taken, never a name or a host, so that it is always redirected to as a URL."""
    return _path_of_this_site(request, request.POST.get("next", ""), default)


def page_linked_from(request, default: str) -> str:
    """The `next` of a link's query string (`?next=/agreements/new/`), by the same rule, for a
    form to send back as its own `next`."""
    return _path_of_this_site(request, request.GET.get("next", ""), default)


def _path_of_this_site(request, back: str, default: str) -> str:
    if (
        back.startswith("/")
        and not back.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return back
    return default
