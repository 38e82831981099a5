import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from grants import services
from sla_monitor import reporting
from tests.pdf_text import response_pdf

WORKER = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_configured_email_waits_for_the_worker(funded, settings):
    settings.TASKS = WORKER
    qr = funded.complete(funded.start())

    services.submit_return(quarterly_return=qr, by=funded.provider_user)
    assert mail.outbox == []
    run_worker()

    assert [m.to for m in mail.outbox] == [[funded.officer.email]]


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_a_large_report_is_made_off_the_request_for_the_one_who_asked(
    funded, settings, client
):
    settings.TASKS = WORKER
    settings.REPORT_WORKER_ROWS = 0
    qr = funded.submitted()
    client.force_login(funded.officer)

    asked = client.get(reverse("grants:return_pdf", args=[qr.pk]))
    status_url = asked.url
    waiting = client.get(status_url)
    checked_waiting = client.get(status_url, {"check": 1})
    run_worker()
    checked_ready = client.get(status_url, {"check": 1})
    client.force_login(funded.provider_user)
    someone_else = client.get(status_url)
    client.force_login(funded.officer)
    ready = client.get(status_url)
    _, text = response_pdf(ready)  # streamed from storage, which lets it go once sent
    again = client.get(status_url)

    assert asked.status_code == 302 and status_url.startswith("/reports/")
    assert "Your report is being prepared" in waiting.content.decode()
    assert f'data-report-status="{status_url}"' in waiting.content.decode()
    assert checked_waiting.json() == {"finished": False}
    assert checked_ready.json() == {"finished": True}
    assert someone_else.status_code == 404
    assert "There is no report to download here" in someone_else.content.decode()
    assert ready["Content-Disposition"].startswith("attachment;")
    assert funded.agreement.title in text
    assert again.status_code == 404
    assert "There is no report to download here" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_a_small_report_is_still_downloaded_at_once(funded, settings, client):
    settings.TASKS = WORKER
    qr = funded.submitted()
    client.force_login(funded.officer)

    response = client.get(reverse("grants:return_pdf", args=[qr.pk]))

    _, text = response_pdf(response)
    assert funded.agreement.title in text
    assert not DBTaskResult.objects.filter(task_path__endswith="render_report").exists()


@pytest.mark.django_db(transaction=True)
def test_a_report_whose_making_failed_says_so_without_a_server_error(
    funded, settings, client, monkeypatch
):
    settings.TASKS = WORKER
    settings.REPORT_WORKER_ROWS = 0
    qr = funded.submitted()
    client.force_login(funded.officer)
    status_url = client.get(reverse("grants:return_pdf", args=[qr.pk])).url

    def broken(user, pk, query):
        raise RuntimeError("the layout ran out of memory")

    monkeypatch.setitem(
        reporting.REPORTS, "return", reporting.Report(build=broken, rows=lambda *args: 1)
    )
    run_worker()
    failed = client.get(status_url)

    assert failed.status_code == 200
    assert "The report could not be made" in failed.content.decode()
    assert "<h1>The report could not be made</h1>" in failed.content.decode()


@pytest.mark.django_db
def test_without_a_worker_a_large_report_is_refused_with_a_page_that_says_why(
    funded, settings, client
):
    settings.REPORT_WORKER_ROWS = 3
    qr = funded.submitted()
    client.force_login(funded.officer)

    response = client.get(reverse("grants:return_pdf", args=[qr.pk]))

    page = response.content.decode()
    assert response.status_code == 503
    assert "<h1>This report is too large to make while you wait</h1>" in page
    assert "Reports of more than 3 rows are made in the background by the report worker" in page


@pytest.mark.django_db
def test_an_address_that_never_was_a_report_is_not_found(funded, settings, client):
    settings.TASKS = WORKER
    client.force_login(funded.officer)

    for result_id in ["not-a-report", "7f1c43a4-7d2b-4b0a-9d0e-0c8f3b1f2a65"]:
        response = client.get(reverse("report_status", args=[result_id]))

        assert response.status_code == 404
        assert "There is no report to download here" in response.content.decode()


@pytest.mark.django_db
def test_a_return_report_counts_an_answer_for_each_indicator_and_requirement(funded):
    qr = funded.submitted()
    agreement = funded.agreement

    rows = reporting.REPORTS["return"].rows(funded.officer, qr.pk, None)

    assert rows == agreement.indicators.count() + agreement.requirements.count()
    assert rows > 0


@pytest.mark.django_db
def test_the_year_report_counts_four_quarters_and_a_chart_for_each_indicator(funded):
    rows = reporting.REPORTS["agreement_year"].rows(funded.officer, funded.agreement.pk, None)

    assert rows == 5 * funded.agreement.indicators.count()
