"""The address a request came from, behind the reverse proxies a deployment says it has.

Each proxy in front of the app appends the address it was connected from to X-Forwarded-For
(nginx's `proxy_add_x_forwarded_for`, a cloud load balancer's own). With `PROXY_COUNT` of them,
the client is the entry that many places from the right: everything left of it came from the
client and may be made up; with none, it is the socket's own address."""

from django.conf import settings


def client_address(request) -> str | None:
    count = settings.PROXY_COUNT
    if count < 1:
        return request.META.get("REMOTE_ADDR")
    forwarded = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    if len(forwarded) < count:
        # Not through the proxies said to be there: only the socket's address is known.
        return request.META.get("REMOTE_ADDR")
    return forwarded[-count]
