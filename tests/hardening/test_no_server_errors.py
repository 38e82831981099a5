"""Requests that used to answer 500 now answer with a message, a 400 or a 404."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from grants import services, stored
from grants.models import Agreement, PerformanceIndicator, QuarterlyReturn
from tests.factories import PerformanceIndicatorFactory, ReportingPeriodFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_starting_a_return_for_a_quarter_outside_the_agreement_says_so(funded, client):
    outside = ReportingPeriodFactory(financial_year=2035, quarter=1)
    client.force_login(funded.provider_user)

    response = client.post(reverse("grants:start_return", args=[funded.agreement.pk, outside.pk]))

    assert response.status_code == 302
    (message,) = get_messages(response.wsgi_request)
    assert "outside the agreement's period" in str(message)


def test_starting_a_return_for_a_quarter_not_yet_begun_says_so(funded, client):
    today = timezone.localdate()
    Agreement.objects.filter(pk=funded.agreement.pk).update(end_date=dt.date(today.year + 6, 3, 31))
    stored.refresh_agreement(funded.agreement.pk)
    ahead = ReportingPeriodFactory(financial_year=today.year + 4, quarter=1)
    client.force_login(funded.provider_user)

    response = client.post(reverse("grants:start_return", args=[funded.agreement.pk, ahead.pk]))

    assert response.status_code == 302
    assert response.url == reverse("grants:provider_dashboard")
    (message,) = get_messages(response.wsgi_request)
    assert f"The {ahead} return can be started once the quarter begins" in str(message)
    assert not QuarterlyReturn.objects.exists()


def test_an_indicator_added_after_submission_can_be_flagged(funded, client):
    submitted = funded.submitted()
    added = PerformanceIndicatorFactory(
        agreement=funded.agreement,
        code="h",
        measure_type=PerformanceIndicator.MeasureType.NARRATIVE,
        target=None,
        target_period=PerformanceIndicator.TargetPeriod.NONE,
    )
    client.force_login(funded.officer)

    response = client.post(
        reverse("grants:decide_return", args=[submitted.pk]),
        {
            "version": submitted.version,
            "decision": "request_changes",
            "comment": "Please answer the new indicator.",
            f"flag_comment_indicator_{added.pk}": "Describe the new work.",
        },
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "changes_requested"
    assert submitted.indicator_answers.filter(indicator=added).exists()
    assert submitted.flags.get(answer_key=f"indicator:{added.pk}").comment == (
        "Describe the new work."
    )


@pytest.mark.parametrize("value", ["²", "١٢", "-1", "abc", str(10**30)])
def test_the_dashboard_takes_any_quarter_it_is_given(funded, client, value):
    client.force_login(funded.officer)

    assert client.get(reverse("oversight:council_dashboard"), {"period": value}).status_code == 200


@pytest.mark.parametrize("value", ["²", "١٢", "-1", str(10**30)])
def test_the_audit_log_takes_any_person_it_is_given(client, value):
    client.force_login(UserFactory(superuser=True, username="root"))

    assert client.get(reverse("oversight:audit_log"), {"user": value}).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_report_page_given_another_tasks_id_is_not_found(funded, settings, client):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    qr = funded.complete(funded.start())
    services.submit_return(quarterly_return=qr, by=funded.provider_user)  # queues an e-mail
    from django_tasks_db.models import DBTaskResult

    email = DBTaskResult.objects.get()
    client.force_login(funded.officer)

    response = client.get(reverse("report_status", args=[str(email.id)]))

    assert response.status_code == 404


@pytest.mark.parametrize("value", ["10000000000", "99999999999999999999"])
def test_a_count_too_big_to_store_is_refused_beside_the_field(funded, client, value):
    draft = funded.start()
    indicator = funded.indicators["per_quarter"]
    client.force_login(funded.provider_user)
    url = reverse("grants:indicator_answer", args=[draft.pk, indicator.pk])

    response = client.post(url, {"version": draft.version, "actual_value": value})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a number no bigger than 9,999,999,999" in html
    assert not draft.indicator_answers.exists()
    assert client.get(url).status_code == 200
    assert client.get(reverse("grants:return_detail", args=[draft.pk])).status_code == 200


@pytest.fixture
def published(funded):
    """Kettering's agreement, published as open data, awarded in the financial year 2024/25."""
    Agreement.objects.filter(pk=funded.agreement.pk).update(
        published=True, award_date=dt.date(2025, 3, 1), purpose="Community cohesion."
    )
    return funded.agreement


@pytest.mark.parametrize("year", [0, 2023, 9999, 10000, 99999, 10**30])
def test_a_transparency_register_for_a_year_without_grants_is_not_found(published, client, year):
    response = client.get(reverse("grants:transparency_register", args=["KBC", year]))

    assert response.status_code == 404


def test_a_transparency_register_for_a_year_of_award_lists_its_grants(published, client):
    response = client.get(reverse("grants:transparency_register", args=["KBC", 2024]))

    assert response.status_code == 200
    assert "Cohesion Network" in response.content.decode("utf-8-sig")


# PostgreSQL refuses a NUL in a query's text, where SQLite finds nothing: run it on both.
@pytest.mark.postgres
@pytest.mark.parametrize(
    "page", ["council_open_data", "threesixtygiving_json", "transparency_register"]
)
@pytest.mark.parametrize("code", ["\x00", "K\x00BC", "\x01", "x" * 5000])
def test_open_data_for_a_council_code_no_council_has_is_not_found(published, client, page, code):
    args = [code, 2024] if page == "transparency_register" else [code]

    response = client.get(reverse(f"grants:{page}", args=args))

    assert response.status_code == 404
