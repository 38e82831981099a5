from unittest import mock

import pytest
from django.urls import reverse

from grants import services
from sla_monitor.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_health_check_answers_without_signing_in(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_check_reports_a_database_it_cannot_reach(client):
    from django.db import OperationalError

    with mock.patch("sla_monitor.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_repeated_wrong_passwords_pause_sign_in(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="provider")
    url = reverse("account_login")

    for _ in range(3):
        client.post(url, {"login": "provider", "password": "guess"})
    locked = client.post(url, {"login": "provider", "password": settings.DEMO_PASSWORD})

    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("account_login"))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()


def test_the_audit_log_shows_state_changes_and_admin_edits(funded, client):
    admin = UserFactory(superuser=True, username="root")
    qr = funded.submitted()
    services.approve_return(quarterly_return=qr, by=funded.officer, comment="Well evidenced.")
    client.force_login(admin)
    client.post(
        reverse("admin:sla_monitor_organisation_change", args=[funded.agreement.provider.pk]),
        {"name": "Renamed Network", "kind": "provider"},
    )

    everything = client.get(reverse("oversight:audit_log")).content.decode()
    approvals = client.get(
        reverse("oversight:audit_log"), {"kind": "return", "user": funded.officer.pk}
    ).context["events"]

    assert "Well evidenced." in everything
    assert "Changed organisation “Renamed Network”" in everything
    assert [e.what.split(": ")[1] for e in approvals] == ["Submitted to Approved"]


def test_only_admins_read_the_audit_log(funded, client):
    client.force_login(funded.officer)

    assert client.get(reverse("oversight:audit_log")).status_code == 403
    assert User.objects.filter(is_superuser=True).count() == 0


def test_not_found_and_forbidden_pages_say_what_to_do(funded, client, settings):
    settings.DEBUG = False
    client.force_login(funded.provider_user)

    missing = client.get("/returns/999999/")
    forbidden = client.get(reverse("grants:review_queue"))

    assert missing.status_code == 404 and "Page not found" in missing.content.decode()
    assert forbidden.status_code == 403
    assert "You cannot open this page" in forbidden.content.decode()
