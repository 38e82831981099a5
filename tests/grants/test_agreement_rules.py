"""What the admin and the set-up refuse, in plain words, and the schedules made for any length."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from grants import services
from grants.models import Agreement, MonitoringMeeting, ReportingPeriod
from sla_monitor.models import User
from tests.dates import date_boxes
from tests.factories import (
    AgreementFactory,
    CouncilFactory,
    ProviderFactory,
    ReportingPeriodFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
INLINES = ["objectives", "requirements", "indicators", "in_kind_contributions", "added_values"]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(superuser=True, username="root"))
    return client


@pytest.fixture
def parties(db):
    funder = CouncilFactory(name="Kettering Borough Council")
    return funder, ProviderFactory(), UserFactory(lead_officer=True, organisation=funder)


def agreement_form(funder, provider, officer=None, **changes) -> dict:
    data = {
        "reference": "KBC-NEW-01",
        "title_en_gb": "Hate crime reporting centre",
        "status": "active",
        "funder": funder.pk,
        "provider": provider.pk,
        "lead_officer": officer.pk if officer else "",
        "start_date": "2031-04-01",
        "end_date": "2033-03-31",
        "total_allocation": "30000.00",
        "instalments-TOTAL_FORMS": "0",
        "instalments-INITIAL_FORMS": "0",
    }
    for prefix in INLINES:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def errors(response) -> str:
    return response.content.decode()


def test_a_lead_officer_of_another_council_is_refused(admin_client, parties):
    funder, provider, _ = parties
    stranger = UserFactory(lead_officer=True, first_name="Chris", last_name="Elsewhere")

    response = admin_client.post(
        reverse("admin:grants_agreement_add"), agreement_form(funder, provider, stranger)
    )

    assert response.status_code == 200
    assert "not the funding council: choose a lead officer of the council" in errors(response)
    assert not Agreement.objects.exists()


def test_someone_who_is_not_a_lead_officer_is_refused_as_one(admin_client, parties):
    funder, provider, _ = parties
    owner = UserFactory(role=User.Role.ACTION_OWNER, organisation=funder)

    response = admin_client.post(
        reverse("admin:grants_agreement_add"), agreement_form(funder, provider, owner)
    )

    assert "is not a lead officer" in errors(response)


def test_a_count_without_a_target_is_refused(admin_client, parties):
    funder, provider, officer = parties
    form = agreement_form(
        funder,
        provider,
        officer,
        **{
            "indicators-TOTAL_FORMS": "1",
            "indicators-0-code": "a",
            "indicators-0-order": "1",
            "indicators-0-wording_en_gb": "Hate incidents reported",
            "indicators-0-measure_type": "count",
            "indicators-0-target": "",
            "indicators-0-target_period": "quarter",
            "indicators-0-amber_tolerance": "10",
        },
    )

    response = admin_client.post(reverse("admin:grants_agreement_add"), form)

    assert "A count needs a target." in errors(response)
    assert not Agreement.objects.exists()


def _with_instalments(funder, provider, officer, rows) -> dict:
    form = agreement_form(funder, provider, officer)
    form["instalments-TOTAL_FORMS"] = str(len(rows))
    for n, (amount, due) in enumerate(rows):
        form |= {
            f"instalments-{n}-sequence": str(n + 1),
            f"instalments-{n}-financial_year": "2031",
            f"instalments-{n}-amount": amount,
            f"instalments-{n}-due_date": due,
        }
    return form


def test_instalments_that_do_not_add_up_are_refused(admin_client, parties):
    funder, provider, officer = parties
    form = _with_instalments(
        funder, provider, officer, [("10000.00", "2031-04-01"), ("10000.00", "2031-10-01")]
    )

    response = admin_client.post(reverse("admin:grants_agreement_add"), form)

    assert "add up to £20,000.00 but the total allocation is £30,000.00" in errors(response)
    assert not Agreement.objects.exists()


def test_an_instalment_due_outside_the_agreement_is_refused(admin_client, parties):
    funder, provider, officer = parties
    form = _with_instalments(
        funder, provider, officer, [("15000.00", "2031-04-01"), ("15000.00", "2034-10-01")]
    )

    response = admin_client.post(reverse("admin:grants_agreement_add"), form)

    assert "falls due outside the agreement" in errors(response)
    assert not Agreement.objects.exists()


def test_a_constraint_is_refused_in_words_not_by_its_name(admin_client, parties):
    funder, provider, officer = parties
    form = agreement_form(
        funder,
        provider,
        officer,
        **{
            "indicators-TOTAL_FORMS": "1",
            "indicators-0-code": "g",
            "indicators-0-order": "1",
            "indicators-0-wording_en_gb": "Funding found",
            "indicators-0-measure_type": "percentage",
            "indicators-0-target": "175",
            "indicators-0-target_period": "year",
            "indicators-0-amber_tolerance": "10",
        },
    )

    response = admin_client.post(reverse("admin:grants_agreement_add"), form)

    assert "A percentage target cannot be more than 100." in errors(response)
    assert "indicator_percentage_target_at_most_100" not in errors(response)


def test_a_meeting_outside_the_agreement_is_refused(admin_client, parties):
    funder, provider, officer = parties
    agreement = AgreementFactory(funder=funder, provider=provider, lead_officer=officer)
    outside = ReportingPeriodFactory(financial_year=2035, quarter=1)

    response = admin_client.post(
        reverse("admin:grants_monitoringmeeting_add"),
        {
            "agreement": agreement.pk,
            "held_on": "2035-05-01",
            "period": outside.pk,
            "attendees": "Both",
            "recorded_by": officer.pk,
        },
    )

    assert "enter a date within it" in errors(response)
    assert not MonitoringMeeting.objects.exists()


def test_the_meeting_page_refuses_a_date_outside_the_agreement(parties, client):
    funder, provider, officer = parties
    agreement = AgreementFactory(funder=funder, provider=provider, lead_officer=officer)
    client.force_login(officer)
    url = reverse("grants:record_meeting", args=[agreement.pk])
    once = client.get(url).context["form"]["once"].value()

    response = client.post(
        url, {**date_boxes("held_on", "2040-01-10"), "attendees": "Both", "once": once}
    )

    assert "enter a date within it" in errors(response)
    assert "There is a problem" in errors(response)
    assert not MonitoringMeeting.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "instalments", "years"),
    [
        (dt.date(2027, 4, 1), dt.date(2028, 3, 31), 2, [2027]),
        (dt.date(2027, 7, 1), dt.date(2030, 6, 30), 6, [2027, 2028, 2029, 2030]),
        (dt.date(2040, 4, 1), dt.date(2045, 3, 31), 10, [2040, 2041, 2042, 2043, 2044]),
    ],
)
def test_quarters_and_instalments_are_made_for_any_length(start, end, instalments, years):
    agreement = AgreementFactory(
        start_date=start, end_date=end, total_allocation=Decimal("100000.01")
    )

    services.set_up_agreement(agreement=agreement)

    schedule = list(agreement.instalments.order_by("sequence"))
    assert len(schedule) == instalments
    assert sum(i.amount for i in schedule) == Decimal("100000.01")
    assert all(start <= i.due_date <= end for i in schedule)
    made = sorted(set(ReportingPeriod.objects.values_list("financial_year", flat=True)))
    assert made == years
    assert ReportingPeriod.objects.count() == 4 * len(years)
