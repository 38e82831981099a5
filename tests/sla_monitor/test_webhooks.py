"""Webhooks: a council's system registered for events is sent each, signed as the Standard
Webhooks specification says, by the task worker; a failed try is tried again later, an address
that keeps failing is paused and its administrators told, and no address on the app's own host or
off the public internet is ever registered or sent to.

The receivers are real HTTP servers on 127.0.0.1, which the tests allow (`WEBHOOK_ALLOW_LOOPBACK`).
"""

import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from grants import services
from sla_monitor import webhooks
from sla_monitor.models import Notification, User, WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests.factories import CouncilFactory, UserFactory

pytestmark = pytest.mark.django_db

Event = WebhookEvent


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1: answers each request with the next of `answers` (status,
    extra headers, seconds to wait first), the last one for ever; keeps what it was sent."""

    answers: list[tuple[int, dict, float]]
    received: list[tuple[dict, bytes]] = field(default_factory=list)
    url: str = ""

    def answer(self) -> tuple[int, dict, float]:
        index = min(len(self.received) - 1, len(self.answers) - 1)
        return self.answers[index]


@pytest.fixture
def receiver(settings) -> Callable[..., Receiver]:
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_TIMEOUT = 0.5
    servers = []

    def start(*answers: tuple[int, dict, float]) -> Receiver:
        kept = Receiver(list(answers) or [(200, {}, 0)])

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                kept.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status, headers, wait = kept.answer()
                time.sleep(wait)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if status < 300 else b"Not today")

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        kept.url = f"http://127.0.0.1:{server.server_address[1]}/hooks?from=sla"
        return kept

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _admin(council=None) -> User:
    return UserFactory(organisation=council or CouncilFactory(), role=User.Role.ADMIN)


def _endpoint(by: User, url: str, events=(Event.RETURN_SUBMITTED,)) -> WebhookEndpoint:
    return webhooks.register_endpoint(by=by, url=url, events=list(events), description="ERP")


def _emit(capture, council_id, event=Event.RETURN_SUBMITTED, data=None):
    with capture(execute=True):
        return webhooks.emit(council_id, event, data or {"return_id": 1})


def _later(monkeypatch, delta: dt.timedelta) -> None:
    """Move the clock on by `delta` from now, for what reads `timezone.now`."""
    moved = timezone.now() + delta
    monkeypatch.setattr(timezone, "now", lambda: moved)


def test_an_event_is_delivered_signed_with_the_endpoints_secret(
    receiver, django_capture_on_commit_callbacks
):
    hook = receiver()
    admin = _admin()
    endpoint = _endpoint(admin, hook.url)

    (delivery,) = _emit(
        django_capture_on_commit_callbacks, admin.organisation_id, data={"return_id": 7}
    )

    (headers, body) = hook.received[0]
    assert endpoint.secret.startswith("whsec_")
    verified = Webhook(endpoint.secret).verify(body, headers)
    assert verified["type"] == "return.submitted"
    assert verified["data"] == {"return_id": 7}
    assert headers["webhook-id"] == delivery.message_id
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None
    assert delivery.attempts == 1
    assert delivery.last_status_code == 200
    assert delivery.last_response == '{"ok": true}'
    # Signed with another secret, it would not verify.
    with pytest.raises(Exception, match="signature"):
        Webhook(webhooks.new_secret()).verify(body, headers)


def test_a_failed_try_is_tried_again_after_its_wait_and_then_succeeds(
    receiver, django_capture_on_commit_callbacks, monkeypatch
):
    hook = receiver((500, {}, 0), (200, {}, 0))
    admin = _admin()
    _endpoint(admin, hook.url)

    (delivery,) = _emit(django_capture_on_commit_callbacks, admin.organisation_id)
    delivery.refresh_from_db()
    assert delivery.delivered_at is None
    assert delivery.last_status_code == 500
    assert delivery.last_error == "The receiver answered 500."
    assert delivery.last_response == "Not today"
    assert delivery.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)

    call_command("send_webhooks")
    assert len(hook.received) == 1, "not due yet: nothing is sent"

    _later(monkeypatch, dt.timedelta(minutes=2))
    call_command("send_webhooks")

    delivery.refresh_from_db()
    assert len(hook.received) == 2
    assert delivery.delivered_at is not None
    assert delivery.attempts == 2
    assert delivery.endpoint.consecutive_failures == 0
    # The retry is the same message: the receiver can tell it has seen it.
    assert hook.received[0][0]["webhook-id"] == hook.received[1][0]["webhook-id"]


def test_a_delivery_fails_for_good_after_its_last_try(
    receiver, django_capture_on_commit_callbacks, monkeypatch
):
    hook = receiver((503, {}, 0))
    admin = _admin()
    _endpoint(admin, hook.url)
    (delivery,) = _emit(django_capture_on_commit_callbacks, admin.organisation_id)

    for _ in range(webhooks.MOST_ATTEMPTS):
        _later(monkeypatch, dt.timedelta(hours=7))
        call_command("send_webhooks")

    delivery.refresh_from_db()
    assert len(hook.received) == webhooks.MOST_ATTEMPTS
    assert delivery.attempts == webhooks.MOST_ATTEMPTS
    assert delivery.failed_at is not None
    assert delivery.next_attempt_at is None


def test_an_address_that_keeps_failing_is_paused_and_its_administrators_told(
    receiver, django_capture_on_commit_callbacks, monkeypatch
):
    hook = receiver((500, {}, 0))
    admin = _admin()
    other_admin = _admin(admin.organisation)
    officer = UserFactory(lead_officer=True, organisation=admin.organisation)
    stranger = _admin()
    endpoint = _endpoint(admin, hook.url)

    for _ in range(webhooks.PAUSE_AFTER):
        _emit(django_capture_on_commit_callbacks, admin.organisation_id)

    endpoint.refresh_from_db()
    assert endpoint.paused_at is not None
    assert endpoint.consecutive_failures == webhooks.PAUSE_AFTER
    told = Notification.objects.filter(kind=Notification.Kind.WEBHOOK_PAUSED)
    told_people = {n.recipient for n in told}
    assert told_people == {admin, other_admin}
    assert officer not in told_people and stranger not in told_people
    assert told.first().link == reverse("oversight:webhooks")

    # Paused, it is sent nothing: no new delivery, and no retry.
    assert _emit(django_capture_on_commit_callbacks, admin.organisation_id) == []
    _later(monkeypatch, dt.timedelta(hours=7))
    call_command("send_webhooks")
    assert len(hook.received) == webhooks.PAUSE_AFTER


def test_a_redirect_is_not_followed_and_is_a_failure(receiver, django_capture_on_commit_callbacks):
    elsewhere = receiver()
    hook = receiver((302, {"Location": elsewhere.url}, 0))
    admin = _admin()
    _endpoint(admin, hook.url)

    (delivery,) = _emit(django_capture_on_commit_callbacks, admin.organisation_id)

    delivery.refresh_from_db()
    assert elsewhere.received == []
    assert delivery.delivered_at is None
    assert delivery.last_status_code == 302
    assert "redirected" in delivery.last_error
    assert delivery.next_attempt_at is not None


def test_a_receiver_that_does_not_answer_in_time_is_a_failure(
    receiver, django_capture_on_commit_callbacks
):
    hook = receiver((200, {}, 2))
    admin = _admin()
    _endpoint(admin, hook.url)

    (delivery,) = _emit(django_capture_on_commit_callbacks, admin.organisation_id)

    delivery.refresh_from_db()
    assert delivery.delivered_at is None
    assert delivery.last_status_code is None
    assert "did not answer within" in delivery.last_error
    assert delivery.endpoint.consecutive_failures == 1


@pytest.mark.parametrize(
    ("url", "loopback", "says"),
    [
        ("http://example.org/hooks", False, "https://"),
        ("http://127.0.0.1:9/hooks", False, "https://"),
        ("https://127.0.0.1:9/hooks", False, "127.0.0.1 resolves to 127.0.0.1, a loopback"),
        ("https://10.0.0.1/hooks", False, "resolves to 10.0.0.1"),
        ("https://192.168.1.20/hooks", True, "resolves to 192.168.1.20"),
        ("https://169.254.169.254/latest/meta-data", True, "cloud metadata"),
        ("https://[fe80::1]/hooks", True, "resolves to fe80::1"),
        ("https://[fd00:ec2::254]/hooks", True, "resolves to fd00:ec2::254"),
        ("https://0.0.0.0/hooks", True, "resolves to 0.0.0.0"),
        ("https://224.0.0.1/hooks", True, "resolves to 224.0.0.1"),
        ("https://nowhere.invalid/hooks", False, "nowhere.invalid does not resolve"),
        ("https://user:pass@example.org/hooks", False, "Take the user name and password out"),
        ("ftp://example.org/hooks", False, "Enter a whole address"),
        ("https://127.0.0.1:8000/hooks", True, "SLA Monitor itself"),
        ("https://sla.example.gov.uk/hooks", False, "SLA Monitor itself"),
        ("https://grants.council.example/hooks", False, "SLA Monitor itself"),
    ],
)
def test_an_address_off_the_public_internet_is_refused_saying_why(settings, url, loopback, says):
    settings.WEBHOOK_ALLOW_LOOPBACK = loopback
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = ["sla.example.gov.uk", ".council.example"]
    admin = _admin()

    with pytest.raises(ValidationError) as refused:
        _endpoint(admin, url)

    assert says in " ".join(refused.value.message_dict["url"])
    assert not WebhookEndpoint.objects.exists()


def test_an_address_that_came_to_resolve_to_a_refused_range_is_not_sent_to(
    receiver, django_capture_on_commit_callbacks, settings
):
    hook = receiver()
    admin = _admin()
    _endpoint(admin, hook.url)
    settings.WEBHOOK_ALLOW_LOOPBACK = False

    (delivery,) = _emit(django_capture_on_commit_callbacks, admin.organisation_id)

    delivery.refresh_from_db()
    assert hook.received == []
    assert delivery.delivered_at is None
    assert "https://" in delivery.last_error


def test_no_event_chosen_is_refused():
    with pytest.raises(ValidationError) as refused:
        webhooks.register_endpoint(by=_admin(), url="https://example.org/", events=[])
    assert "events" in refused.value.message_dict


def test_an_event_from_a_real_submission_goes_only_to_that_councils_subscribed_addresses(
    funded, receiver, django_capture_on_commit_callbacks
):
    hook = receiver()
    admin = _admin(funded.agreement.funder)
    subscribed = _endpoint(admin, hook.url, events=[Event.RETURN_SUBMITTED])
    _endpoint(admin, hook.url, events=[Event.RETURN_APPROVED])
    paused = _endpoint(admin, hook.url, events=[Event.RETURN_SUBMITTED])
    webhooks.pause_endpoint(endpoint=paused, by=admin)
    other_council = _endpoint(_admin(), hook.url, events=[Event.RETURN_SUBMITTED])
    quarterly_return = funded.complete(funded.start())

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_return(quarterly_return=quarterly_return, by=funded.provider_user)

    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.endpoint == subscribed
    assert other_council.deliveries.count() == 0
    data = json.loads(hook.received[0][1])["data"]
    assert data["return_id"] == quarterly_return.pk
    assert data["agreement_reference"] == funded.agreement.reference
    assert data["status"] == "submitted"
    assert "provider" not in json.dumps(data).lower().replace("provider_id", "")


def test_nothing_is_delivered_when_the_change_is_rolled_back(
    receiver, django_capture_on_commit_callbacks
):
    hook = receiver()
    admin = _admin()
    _endpoint(admin, hook.url)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        webhooks.emit(admin.organisation_id, Event.RETURN_SUBMITTED, {"return_id": 1})

    assert len(callbacks) == 1  # queued only once the change commits
    assert hook.received == []


# The pages -----------------------------------------------------------------------------------


def test_an_administrator_adds_a_webhook_and_sees_its_secret(
    client, receiver, django_capture_on_commit_callbacks
):
    hook = receiver()
    admin = _admin()
    client.force_login(admin)
    assert reverse("oversight:webhooks") in client.get(reverse("oversight:home")).content.decode()

    added = client.post(
        reverse("oversight:webhook_add"),
        {"url": hook.url, "events": [Event.RETURN_SUBMITTED, Event.PAYMENT_RUN_PAID]},
        follow=True,
    )

    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.council == admin.organisation
    assert endpoint.events == [Event.RETURN_SUBMITTED, Event.PAYMENT_RUN_PAID]
    assert endpoint.secret in added.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("oversight:webhook_test", args=[endpoint.pk]))
    (headers, body) = hook.received[0]
    assert Webhook(endpoint.secret).verify(body, headers)["type"] == "webhook.test"
    listed = client.get(reverse("oversight:webhooks")).content.decode()
    assert "webhook.test" in listed and "Delivered" in listed

    client.post(reverse("oversight:webhook_pause", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert not endpoint.active
    client.post(reverse("oversight:webhook_resume", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.active

    client.post(reverse("oversight:webhook_delete", args=[endpoint.pk]))
    assert not WebhookEndpoint.objects.exists()


def test_a_refused_address_is_told_beside_its_field(client):
    client.force_login(_admin())

    page = client.post(
        reverse("oversight:webhook_add"),
        {"url": "https://169.254.169.254/latest", "events": [Event.RETURN_SUBMITTED]},
    )

    assert page.status_code == 200
    assert "cloud metadata" in " ".join(page.context["form"].errors["url"])
    assert 'id="id_url_error"' in page.content.decode()
    assert "There is a problem" in page.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_another_councils_administrator_cannot_see_or_change_a_webhook(client):
    endpoint = WebhookEndpoint.objects.create(
        council=CouncilFactory(),
        url="https://example.org/hooks",
        events=[Event.RETURN_SUBMITTED],
        secret=webhooks.new_secret(),
        created_by=_admin(),
    )
    client.force_login(_admin())

    assert endpoint.url not in client.get(reverse("oversight:webhooks")).content.decode()
    for name in ("webhook_detail", "webhook_delete"):
        assert client.get(reverse(f"oversight:{name}", args=[endpoint.pk])).status_code == 404
    for name in ("webhook_pause", "webhook_resume", "webhook_test", "webhook_delete"):
        assert client.post(reverse(f"oversight:{name}", args=[endpoint.pk])).status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.deliveries.count() == 0


def test_only_a_council_administrator_has_the_webhook_pages(client):
    client.force_login(UserFactory(lead_officer=True))

    assert client.get(reverse("oversight:webhooks")).status_code == 403
    assert client.get(reverse("oversight:webhook_add")).status_code == 403
    assert (
        reverse("oversight:webhooks") not in client.get(reverse("oversight:home")).content.decode()
    )
