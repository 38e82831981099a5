"""Telling a council's other systems of what happens: its administrators register addresses
(`WebhookEndpoint`) for the events they choose, and each event is delivered to each of them.

A service tells of an event by calling `emit` inside its transaction: one `WebhookDelivery` per
active address of the council that chose the event, in the same commit as the change, so that no
system hears of a change that was rolled back. Once it commits, the task worker sends each,
signed as the Standard Webhooks specification says (`webhook-id`, `webhook-timestamp`,
`webhook-signature`: HMAC-SHA256 over the id, the time and the body). A failed try is tried again
later (`BACKOFF`), by `manage.py send_webhooks`, up to `MOST_ATTEMPTS`; an address that fails
`PAUSE_AFTER` times in a row is paused and its council's administrators are told.

An address is checked when it is registered and again before every try, since what a name
resolves to can change: HTTPS only, no user name or password, never the app's own host, and
never a name that resolves to a loopback, private, link-local, cloud metadata, multicast or
unspecified address. The request goes to the address that was checked, not to a second lookup.
"""

import base64
import datetime as dt
import ipaddress
import json
import secrets
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from standardwebhooks import Webhook

from sla_monitor import inbox, roles
from sla_monitor.models import (
    WEBHOOK_SECRET_PREFIX,
    WEBHOOK_TEST_EVENT,
    NotificationKind,
    User,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

# How long to wait after each failed try before the next: the sixth try is the last.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
)
MOST_ATTEMPTS = len(BACKOFF) + 1
# An address that fails this many tries in a row is paused.
PAUSE_AFTER = 10
# A try that claimed a delivery and never finished (the worker stopped) is given up after this,
# and the delivery is due again.
CLAIM_LASTS = dt.timedelta(minutes=10)
# How much of a receiver's answer is kept with the delivery.
RESPONSE_KEPT = 1000
# How many due deliveries one run of `send_webhooks` queues at most.
SENT_AT_ONCE = 500


def manages_webhooks(user) -> bool:
    """A council's administrators register its webhooks."""
    return roles.is_council_admin(user)


def endpoints_of(user):
    """The webhook addresses of the user's council, for its administrators; none for anyone
    else."""
    if not manages_webhooks(user):
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.filter(council_id=user.organisation_id)


def recent_deliveries(endpoint: WebhookEndpoint, most: int = 10):
    return endpoint.deliveries.order_by("-created_at", "-pk")[:most]


# Checking an address ------------------------------------------------------------------------

# The cloud providers' instance metadata addresses, named though the ranges below hold them.
METADATA = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """An address no webhook goes to: anything not on the public internet."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return not settings.WEBHOOK_ALLOW_LOOPBACK
    return (
        address in METADATA
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
        or not address.is_global
    )


def _own_hosts() -> set[tuple[str, int | None]]:
    """The app's own host names, from SITE_URL (with its port) and ALLOWED_HOSTS (any port)."""
    site = urlsplit(settings.SITE_URL)
    own = {((site.hostname or "").lower(), site.port or (443 if site.scheme == "https" else 80))}
    for host in settings.ALLOWED_HOSTS:
        host = host.strip().lower().strip("[]")
        if host and host != "*":
            own.add((host, None))
    return own


def _is_own_host(host: str, port: int) -> bool:
    for name, own_port in _own_hosts():
        if own_port is not None and own_port != port:
            continue
        if own_port is None and settings.WEBHOOK_ALLOW_LOOPBACK and _is_loopback(host):
            # With loopback allowed (the tests, a developer's machine), the app and a receiver
            # share 127.0.0.1 on different ports: only SITE_URL's port is the app.
            continue
        if host == name or (name.startswith(".") and (host.endswith(name) or host == name[1:])):
            return True
    return False


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@dataclass(frozen=True)
class Target:
    """A checked address: where to connect, and what to call the host there."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def check_url(url: str) -> Target:
    """The address, checked as the module's docstring says; a `ValidationError` on `url`
    saying what is wrong otherwise."""

    def refuse(message: str):
        return ValidationError({"url": message})

    url = (url or "").strip()
    if not url:
        raise refuse(_("Enter the address of your system's webhook receiver."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise refuse(_("Enter a whole address, such as https://example.org/webhooks.")) from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise refuse(_("Enter a whole address, such as https://example.org/webhooks."))
    if parts.username is not None or parts.password is not None:
        raise refuse(
            _(
                "Take the user name and password out of the address: deliveries are signed "
                "instead, and a password in an address is easily seen."
            )
        )
    host = parts.hostname.lower()
    if parts.scheme != "https" and not (settings.WEBHOOK_ALLOW_LOOPBACK and _is_loopback(host)):
        raise refuse(_("Enter an address starting with https://: deliveries go only over HTTPS."))
    port = port or (443 if parts.scheme == "https" else 80)
    if _is_own_host(host, port):
        raise refuse(
            _("That is the address of SLA Monitor itself: enter the address of your own system.")
        )
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise refuse(
            _("%(host)s does not resolve to an address: check the name.") % {"host": host}
        ) from None
    addresses = tuple(dict.fromkeys(info[4][0].split("%")[0] for info in found))
    for address in addresses:
        if _refused(ipaddress.ip_address(address)):
            raise refuse(
                _(
                    "%(host)s resolves to %(address)s, a loopback, private, link-local or cloud "
                    "metadata address: webhooks go only to addresses on the public internet."
                )
                % {"host": host, "address": address}
            )
    if not addresses:
        raise refuse(_("%(host)s does not resolve to an address: check the name.") % {"host": host})
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, addresses)


# Registering and changing an address --------------------------------------------------------


def new_secret() -> str:
    """A signing secret as the Standard Webhooks specification writes it: whsec_ and 32 random
    bytes in base64."""
    return WEBHOOK_SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _require(by) -> None:
    if not manages_webhooks(by):
        raise PermissionDenied(_("Only a council's administrators manage its webhooks."))


@transaction.atomic
def register_endpoint(*, by, url: str, events: Iterable[str], description: str = ""):
    """A new address of the administrator's council, told of `events` from now on."""
    _require(by)
    chosen = [event for event in WebhookEvent.values if event in set(events or ())]
    problems = {}
    try:
        check_url(url)
    except ValidationError as error:
        problems.update(error.message_dict)
    if not chosen:
        problems["events"] = [_("Choose at least one event to be told of.")]
    if problems:
        raise ValidationError(problems)
    return WebhookEndpoint.objects.create(
        council_id=by.organisation_id,
        url=url.strip(),
        description=(description or "").strip(),
        events=chosen,
        secret=new_secret(),
        created_by=by,
    )


def _locked(endpoint: WebhookEndpoint, by) -> WebhookEndpoint:
    _require(by)
    return endpoints_of(by).select_for_update().get(pk=endpoint.pk)


@transaction.atomic
def pause_endpoint(*, endpoint: WebhookEndpoint, by) -> WebhookEndpoint:
    locked = _locked(endpoint, by)
    if locked.paused_at is None:
        locked.paused_at = timezone.now()
        locked.paused_reason = _("Paused by an administrator.")
        locked.save(update_fields=["paused_at", "paused_reason"])
    return locked


@transaction.atomic
def resume_endpoint(*, endpoint: WebhookEndpoint, by) -> WebhookEndpoint:
    """The address is sent events again, and what waited while it was paused."""
    locked = _locked(endpoint, by)
    locked.paused_at = None
    locked.paused_reason = ""
    locked.consecutive_failures = 0
    locked.save(update_fields=["paused_at", "paused_reason", "consecutive_failures"])
    return locked


@transaction.atomic
def delete_endpoint(*, endpoint: WebhookEndpoint, by) -> None:
    _locked(endpoint, by).delete()


@transaction.atomic
def send_test(*, endpoint: WebhookEndpoint, by) -> WebhookDelivery:
    """A test event to the address, tried once, whatever events it chose."""
    locked = _locked(endpoint, by)
    delivery = _delivery(locked, WEBHOOK_TEST_EVENT, {"council_id": locked.council_id})
    transaction.on_commit(lambda: deliver_webhook.enqueue(delivery.pk))
    return delivery


# Emitting ---------------------------------------------------------------------------------


def _delivery(endpoint: WebhookEndpoint, event: str, data: Mapping) -> WebhookDelivery:
    now = timezone.now()
    envelope = {"type": event, "timestamp": now.isoformat(), "data": dict(data)}
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=event,
        message_id=f"msg_{secrets.token_hex(12)}",
        payload=json.loads(json.dumps(envelope, cls=DjangoJSONEncoder)),
        created_at=now,
        next_attempt_at=now,
    )


def emit(council_id: int | None, event: str, data: Mapping) -> list[WebhookDelivery]:
    """Tell the council's active addresses that chose `event` of it, with `data` (identifiers,
    references, statuses, times). Called inside the transaction of the change; once that
    commits, the task worker sends each."""
    if event not in WebhookEvent.values:
        raise ValueError(f"{event!r} is not a webhook event.")
    if council_id is None:
        return []
    endpoints = WebhookEndpoint.objects.filter(council_id=council_id, paused_at__isnull=True)
    made = [_delivery(e, event, data) for e in endpoints.order_by("pk") if event in e.events]
    if made:
        ids = [delivery.pk for delivery in made]
        transaction.on_commit(lambda: [deliver_webhook.enqueue(pk) for pk in ids])
    return made


# Delivering -------------------------------------------------------------------------------


def _due(now):
    return WebhookDelivery.objects.filter(
        delivered_at__isnull=True,
        failed_at__isnull=True,
        next_attempt_at__lte=now,
        endpoint__paused_at__isnull=True,
    )


def send_due() -> int:
    """Queue every delivery whose time has come: what `manage.py send_webhooks` does, every
    minute. Returns how many were queued."""
    ids = list(
        _due(timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SENT_AT_ONCE]
    )
    for pk in ids:
        deliver_webhook.enqueue(pk)
    return len(ids)


@task()
def deliver_webhook(delivery_id: int) -> None:
    attempt_delivery(delivery_id)


class Failed(Exception):
    """A try that reached no answer, or an answer that is not a success."""


def attempt_delivery(delivery_id: int) -> WebhookDelivery | None:
    """Try the delivery once, if it is due and nobody else is trying it: the claim moves its
    next try on, so that a second worker, or a second run of `send_webhooks`, finds it not due."""
    now = timezone.now()
    claimed = (
        _due(now)
        .filter(pk=delivery_id)
        .update(attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=now + CLAIM_LASTS)
    )
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    status, response, error = None, "", ""
    try:
        status, response = _post(delivery)
    except ValidationError as refused:
        error = " ".join(refused.messages)
    except Failed as failed:
        error = str(failed)
    if status is not None and not 200 <= status < 300:
        error = (
            _("The receiver redirected to another address, which is not followed.")
            if 300 <= status < 400
            else _("The receiver answered %(status)s.") % {"status": status}
        )
    _record(delivery, status=status, response=response, error=error)
    return delivery


def _post(delivery: WebhookDelivery) -> tuple[int, str]:
    endpoint = delivery.endpoint
    target = check_url(endpoint.url)
    body = json.dumps(delivery.payload, separators=(",", ":"))
    sent_at = timezone.now()
    signature = Webhook(endpoint.secret).sign(delivery.message_id, sent_at, body)
    name = f"[{target.host}]" if ":" in target.host else target.host
    headers = {
        "Host": name if target.port in (80, 443) else f"{name}:{target.port}",
        "Content-Type": "application/json",
        "User-Agent": "SLA-Monitor-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }
    timeout = urllib3.Timeout(total=settings.WEBHOOK_TIMEOUT)
    # The connection goes to the address just checked, never to a second lookup of the name,
    # which might answer otherwise; TLS still checks the certificate against the name.
    address = target.addresses[0]
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            target.port,
            timeout=timeout,
            retries=False,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False)
    try:
        answer = pool.urlopen(
            "POST",
            target.path,
            body=body.encode(),
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        try:
            kept = answer.read(RESPONSE_KEPT * 4, decode_content=True)
        finally:
            answer.release_conn()
    except urllib3.exceptions.TimeoutError:
        raise Failed(
            _("The receiver did not answer within %(seconds)s seconds.")
            % {"seconds": settings.WEBHOOK_TIMEOUT}
        ) from None
    except urllib3.exceptions.HTTPError as error:
        raise Failed(_("The receiver could not be reached: %(error)s") % {"error": error}) from None
    finally:
        pool.close()
    return answer.status, kept.decode("utf-8", errors="replace")[:RESPONSE_KEPT]


@transaction.atomic
def _record(delivery: WebhookDelivery, *, status: int | None, response: str, error: str) -> None:
    now = timezone.now()
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    delivery.last_status_code = status
    delivery.last_response = response
    delivery.last_error = error[:300]
    counts = delivery.event != WEBHOOK_TEST_EVENT
    if not error:
        delivery.delivered_at, delivery.next_attempt_at = now, None
        if counts:
            endpoint.consecutive_failures = 0
    else:
        if delivery.attempts >= MOST_ATTEMPTS or not counts:
            delivery.failed_at, delivery.next_attempt_at = now, None
        else:
            delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        if counts:
            endpoint.consecutive_failures += 1
    delivery.save(
        update_fields=[
            "last_status_code",
            "last_response",
            "last_error",
            "delivered_at",
            "failed_at",
            "next_attempt_at",
        ]
    )
    endpoint.save(update_fields=["consecutive_failures"])
    if endpoint.paused_at is None and endpoint.consecutive_failures >= PAUSE_AFTER:
        _pause_failing(endpoint, now)


def _pause_failing(endpoint: WebhookEndpoint, now) -> None:
    endpoint.paused_at = now
    endpoint.paused_reason = _("Paused after %(count)s failed deliveries in a row.") % {
        "count": endpoint.consecutive_failures
    }
    endpoint.save(update_fields=["paused_at", "paused_reason"])
    inbox.notify(
        recipients=User.objects.filter(
            organisation_id=endpoint.council_id, role=User.Role.ADMIN, is_active=True
        ),
        kind=NotificationKind.WEBHOOK_PAUSED,
        link=reverse("oversight:webhooks"),
        params={"url": endpoint.url, "failures": endpoint.consecutive_failures},
    )
