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


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_a_report_is_made_off_the_request_for_the_one_who_asked(
    funded, settings, client
):
    from django.urls import reverse

    from tests.pdf_text import response_pdf

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    qr = funded.submitted()
    client.force_login(funded.officer)

    asked = client.get(reverse("grants:return_pdf", args=[qr.pk]))
    status_url = asked.url
    waiting = client.get(status_url)
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    client.force_login(funded.provider_user)
    someone_else = client.get(status_url)
    client.force_login(funded.officer)
    ready = client.get(status_url)
    again = client.get(status_url)

    assert asked.status_code == 302 and status_url.startswith("/reports/")
    assert "Your report is being prepared" in waiting.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in waiting.content.decode()
    assert someone_else.status_code == 404
    _, text = response_pdf(ready)
    assert funded.agreement.title in text
    assert again.status_code == 404
