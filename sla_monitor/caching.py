"""Figures that cost more to work out than to keep, kept until the data changes.

A kept figure's key carries the data version: a number in the database that moves on after
every request that may have changed data (any POST, the admin's included: see
`DataVersionMiddleware`) and after the commands that load data. So a kept figure is never older
than the latest change, on every app server alike and whichever cache backend is configured;
the cache's own timeout only bounds how long an unused figure takes up memory.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import F
from django.template.loader import render_to_string

from sla_monitor.models import DataVersion

T = TypeVar("T")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def data_version() -> int:
    return DataVersion.objects.values_list("number", flat=True).first() or 0


def data_changed() -> None:
    """Move the data version on: every figure kept so far is stale."""
    if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def request_key(name: str, request, *parts) -> str:
    """A key for what a page shows for its query string and the given parts."""
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    return ":".join([name, *map(str, parts), query])


def remember(key: str, compute: Callable[[], T]) -> T:
    """The figure kept under `key` for the current data, worked out by `compute` if none is."""
    versioned = f"{key}:data-{data_version()}"
    value = cache.get(versioned)
    if value is None:
        value = compute()
        cache.set(versioned, value)
    return value


def remember_rendered(key: str, template_name: str, make_context: Callable[[], dict], request):
    """A page part rendered from `template_name`, kept under `key` for the current data; the
    context is only made when the part is rendered afresh."""
    return remember(key, lambda: render_to_string(template_name, make_context(), request))


class DataVersionMiddleware:
    """After any request that may have written (anything but GET, HEAD, OPTIONS and TRACE),
    kept figures go stale, whether the request succeeded or not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            data_changed()
        return response
