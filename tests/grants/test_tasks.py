import io

import pytest
from django.core import mail
from django.core.management import call_command

from grants import services


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_configured_email_waits_for_the_worker(funded, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    qr = funded.complete(funded.start())

    services.submit_return(quarterly_return=qr, by=funded.provider_user)
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())

    assert [m.to for m in mail.outbox] == [[funded.officer.email]]
