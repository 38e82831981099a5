"""Releasing and withholding instalments as a lead officer does it: a confirmation first, the
provider told by e-mail, instalments named by year, those past due flagged, totals to date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import dateformat, timezone

from grants import dashboard, services
from grants.models import InstalmentTransition, MonitoringMeeting, PaymentInstalment
from sla_monitor import audit
from tests.factories import AgreementFactory, UserFactory
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(funded):
    services.create_instalment_schedule(agreement=funded.agreement)
    return funded, list(funded.agreement.instalments.order_by("sequence"))


def _release_url(instalment):
    return reverse("grants:release_instalment", args=[instalment.agreement_id, instalment.pk])


def _withhold_url(instalment):
    return reverse("grants:withhold_instalment", args=[instalment.agreement_id, instalment.pk])


# Releasing asks for confirmation ---------------------------------------------------------------


def test_the_release_page_says_what_is_paid_to_whom_and_changes_nothing(scheduled, client):
    funded, (first, *_) = scheduled
    client.force_login(funded.officer)

    response = client.get(_release_url(first))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Release £12,500.00 to Cohesion Network?</h1>" in html
    assert "2025/26, first instalment" in html
    assert funded.agreement.title in html and funded.agreement.reference in html
    assert "No return: it is paid in advance." in html
    assert "Release £12,500.00</button>" in html
    first.refresh_from_db()
    assert first.status == "scheduled"
    assert not InstalmentTransition.objects.exists()


def test_the_release_page_names_the_approved_return_it_depends_on(scheduled, client):
    funded, (_, second, *_) = scheduled
    q1 = funded.submitted(quarter=1)
    services.approve_return(quarterly_return=q1, by=funded.officer)
    client.force_login(funded.officer)

    html = client.get(_release_url(second)).content.decode()

    assert "2025/26, second instalment" in html
    assert (
        f'<a href="{reverse("grants:return_detail", args=[q1.pk])}">The Q1 2025/26 return</a>'
        in html
    )
    q1.refresh_from_db()
    approved_on = dateformat.format(timezone.localtime(q1.decided_at), "j F Y")
    assert f"it was approved on {approved_on}." in " ".join(html.split())
    assert "Release £12,500.00</button>" in html


def test_releasing_happens_only_on_the_confirmation_pages_post(scheduled, client):
    funded, (first, *_) = scheduled
    client.force_login(funded.officer)
    form = client.get(_release_url(first)).context["form"]

    response = client.post(
        _release_url(first), {"status": form["status"].value(), "reason": ""}, follow=True
    )

    first.refresh_from_db()
    assert (first.status, first.decided_by) == ("released", funded.officer)
    assert "The 2025/26, first instalment was released." in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?year=2025#payments-heading")


def test_a_release_sent_twice_pays_once_and_says_so(scheduled, client):
    funded, (first, *_) = scheduled
    client.force_login(funded.officer)

    client.post(_release_url(first), {"status": "scheduled"})
    again = client.post(_release_url(first), {"status": "scheduled"}, follow=True)

    assert first.transitions.count() == 1
    assert "The 2025/26, first instalment has already been released. Nothing was changed." in (
        again.content.decode()
    )


def test_a_release_confirmed_after_someone_else_withheld_it_is_refused(scheduled, client):
    funded, (first, *_) = scheduled
    colleague = UserFactory(
        lead_officer=True, organisation=funded.agreement.funder, first_name="Dana"
    )
    client.force_login(funded.officer)
    shown = client.get(_release_url(first)).context["form"]["status"].value()
    services.withhold_instalment(instalment=first, by=colleague, reason="Accounts are late.")

    response = client.post(_release_url(first), {"status": shown}, follow=True)

    first.refresh_from_db()
    assert first.status == "withheld"
    assert first.transitions.count() == 1
    html = response.content.decode()
    assert (
        f"was withheld by {colleague.get_full_name()} after you opened the page. Nothing was "
        "changed: read it again before you decide."
    ) in html


@pytest.mark.parametrize(
    ("status", "said"),
    [
        ("released", "The 2025/26, first instalment is released, so it cannot be withheld."),
        ("withheld", "The 2025/26, first instalment is withheld, so it cannot be withheld."),
    ],
)
def test_opening_the_withhold_page_of_an_instalment_decided_says_why_and_offers_no_form(
    scheduled, client, status, said
):
    funded, (first, *_) = scheduled
    PaymentInstalment.objects.filter(pk=first.pk).update(status=status)
    client.force_login(funded.officer)

    response = client.get(_withhold_url(first), follow=True)

    assert response.redirect_chain[0][0].endswith("?year=2025#payments-heading")
    assert said in response.content.decode()
    assert "grants/instalment_decision.html" not in [t.name for t in response.templates]


def test_withholding_without_a_reason_shows_the_error_beside_the_box(scheduled, client):
    funded, (first, *_) = scheduled
    client.force_login(funded.officer)

    response = client.post(_withhold_url(first), {"status": "scheduled", "reason": "  "})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_reason">Enter why the instalment is withheld</a>' in html
    assert '<p id="id_reason_error" class="invalid-feedback d-block">' in html
    assert 'aria-invalid="true"' in html
    first.refresh_from_db()
    assert first.status == "scheduled"
    assert not first.transitions.exists()


def test_withholding_with_a_reason_records_it(scheduled, client):
    funded, (first, *_) = scheduled
    client.force_login(funded.officer)

    response = client.post(
        _withhold_url(first), {"status": "scheduled", "reason": "Accounts are late."}, follow=True
    )

    first.refresh_from_db()
    assert (first.status, first.reason) == ("withheld", "Accounts are late.")
    assert "The 2025/26, first instalment was withheld." in response.content.decode()


def test_the_provider_cannot_open_the_decision_pages(scheduled, client):
    funded, (first, *_) = scheduled
    client.force_login(funded.provider_user)

    assert client.get(_release_url(first)).status_code == 403
    assert client.post(
        _withhold_url(first), {"status": "scheduled", "reason": "x"}
    ).status_code == (403)
    first.refresh_from_db()
    assert first.status == "scheduled"


# Labels ------------------------------------------------------------------------------------------


def test_instalments_are_labelled_by_financial_year_and_place_in_it():
    agreement = AgreementFactory(start_date=dt.date(2026, 4, 1), end_date=dt.date(2028, 3, 31))
    services.create_instalment_schedule(agreement=agreement)

    labelled = [i.label for i in PaymentInstalment.objects.labelled().order_by("sequence")]
    read_alone = [i.label for i in PaymentInstalment.objects.order_by("sequence")]

    assert labelled == [
        "2026/27, first instalment",
        "2026/27, second instalment",
        "2027/28, first instalment",
        "2027/28, second instalment",
    ]
    assert read_alone == labelled


def test_an_agreement_year_starting_in_january_keeps_both_its_instalments_in_one_year():
    agreement = AgreementFactory(start_date=dt.date(2026, 1, 15), end_date=dt.date(2027, 1, 14))
    services.create_instalment_schedule(agreement=agreement)

    assert [i.label for i in agreement.instalments.labelled().order_by("sequence")] == [
        "2025/26, first instalment",
        "2025/26, second instalment",
    ]


def test_labels_name_instalments_on_the_page_the_dashboard_the_pdf_and_the_audit_log(
    scheduled, client
):
    funded, (first, second, *_) = scheduled
    services.release_instalment(instalment=first, by=funded.officer)
    client.force_login(funded.officer)

    page = client.get(
        reverse("grants:agreement_detail", args=[funded.agreement.pk]), {"year": 2025}
    )
    board = dashboard.council_dashboard(
        funded.officer, second.depends_on_period, timezone.localdate()
    )
    _, pdf = response_pdf(
        client.get(reverse("grants:agreement_year_pdf", args=[funded.agreement.pk, 2025]))
    )
    events = audit.recent_events(funded.officer, kind="instalment", filters=audit.Filters())

    html = page.content.decode()
    assert '<th scope="row" data-label="Instalment">2025/26, first instalment</th>' in html
    assert '<th scope="row" data-label="Instalment">2025/26, second instalment</th>' in html
    assert [i.label for i in board.instalments] == ["2025/26, first instalment"]
    assert "2025/26, first instalment" in pdf and "2025/26, second instalment" in pdf
    assert [e.what for e in events] == [
        f"{funded.agreement.reference} 2025/26, first instalment (£12,500.00): "
        "Scheduled to Released"
    ]


# Past due ----------------------------------------------------------------------------------------


@pytest.fixture
def past_due(scheduled):
    """The first instalment past due; the second due today; the third released and the fourth
    withheld after their due dates."""
    funded, (first, second, third, fourth, *_) = scheduled
    today = timezone.localdate()
    PaymentInstalment.objects.filter(pk=first.pk).update(due_date=today - dt.timedelta(days=30))
    PaymentInstalment.objects.filter(pk=second.pk).update(due_date=today, depends_on_period=None)
    PaymentInstalment.objects.filter(pk__in=[third.pk, fourth.pk]).update(
        due_date=today - dt.timedelta(days=5)
    )
    services.release_instalment(instalment=third, by=funded.officer)
    services.withhold_instalment(instalment=fourth, by=funded.officer, reason="Late accounts.")
    return funded, first


def test_only_scheduled_instalments_due_before_today_are_past_due(past_due):
    _, first = past_due

    found = PaymentInstalment.objects.past_due(timezone.localdate())

    assert list(found) == [first]


def test_the_agreement_page_flags_instalments_past_due(past_due, client):
    funded, first = past_due
    client.force_login(funded.officer)

    # The page shows 2026/27 by default: the flag still names the 2025/26 instalment.
    html = client.get(
        reverse("grants:agreement_detail", args=[funded.agreement.pk]), {"year": 2026}
    ).content.decode()
    year_of_it = client.get(
        reverse("grants:agreement_detail", args=[funded.agreement.pk]), {"year": 2025}
    ).content.decode()

    assert "1 instalment past due and not released" in html
    assert f'href="?year=2025#instalment-{first.pk}">2025/26, first instalment</a>' in html
    row = year_of_it.split(f'<tr id="instalment-{first.pk}">')[1].split("</tr>")[0]
    assert "Past due" in row
    assert year_of_it.count(">Past due</span>") == 1


def test_the_dashboard_lists_payments_past_due(past_due, client):
    funded, first = past_due
    client.force_login(funded.officer)

    response = client.get(reverse("oversight:council_dashboard"))

    assert [i.pk for i in response.context["dashboard"].past_due] == [first.pk]
    section = response.content.decode().split('id="past-due-heading"')[1].split("</section>")[0]
    assert "1 instalment is past its due date and not released or withheld." in section
    assert "2025/26, first instalment" in section
    assert funded.agreement.reference in section


# E-mails -----------------------------------------------------------------------------------------


def test_the_provider_is_emailed_when_an_instalment_is_released(
    scheduled, client, django_capture_on_commit_callbacks, mailoutbox
):
    funded, (first, *_) = scheduled
    client.force_login(funded.officer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_release_url(first), {"status": "scheduled", "reason": "Year one begins."})

    (mail,) = mailoutbox
    assert mail.to == [funded.provider_user.email]
    assert (
        mail.subject == f"Payment released: {funded.agreement.reference} 2025/26, first instalment"
    )
    assert "The 2025/26, first instalment of £12,500.00" in mail.body
    assert f"was released by {funded.officer.get_full_name()}" in mail.body
    assert "Year one begins." in mail.body


def test_the_provider_is_emailed_the_reason_an_instalment_is_withheld(
    scheduled, django_capture_on_commit_callbacks, mailoutbox
):
    funded, (first, *_) = scheduled

    with django_capture_on_commit_callbacks(execute=True):
        services.withhold_instalment(
            instalment=first, by=funded.officer, reason="The annual accounts are late."
        )

    (mail,) = mailoutbox
    assert mail.to == [funded.provider_user.email]
    assert mail.subject.startswith("Payment withheld: ")
    assert f"Reason from {funded.officer.get_full_name()}:\nThe annual accounts are late." in (
        mail.body
    )
    assert funded.officer.email in mail.body


def test_no_email_leaves_when_a_decision_is_refused(
    scheduled, django_capture_on_commit_callbacks, mailoutbox
):
    funded, (_, second, *_) = scheduled

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.release_instalment(instalment=second, by=funded.officer)

    assert mailoutbox == []


# Totals ------------------------------------------------------------------------------------------


def test_the_agreement_page_totals_paid_to_date_and_remaining(scheduled, client):
    funded, (first, _, third, fourth, *_) = scheduled
    for instalment in (first, third):
        PaymentInstalment.objects.filter(pk=instalment.pk).update(depends_on_period=None)
        services.release_instalment(instalment=instalment, by=funded.officer)
    services.withhold_instalment(instalment=fourth, by=funded.officer, reason="Late accounts.")
    client.force_login(funded.provider_user)

    response = client.get(
        reverse("grants:agreement_detail", args=[funded.agreement.pk]), {"year": 2025}
    )

    payments = response.context["payments"]
    assert (payments.award, payments.paid, payments.remaining, payments.withheld) == (
        Decimal("100000.00"),
        Decimal("25000.00"),
        Decimal("75000.00"),
        Decimal("12500.00"),
    )
    html = response.content.decode()
    assert '<dt class="col-sm-3">Paid to date</dt><dd class="col-sm-9">£25,000.00</dd>' in html
    assert "£75,000.00 <span" in html and "(£12,500.00 of it withheld)" in html


# Query counts ------------------------------------------------------------------------------------


def _crowd_the_year(funded, instalments: int, meetings: int, start: int):
    """More instalments in 2025/26, each decided, and more meetings in it."""
    made = PaymentInstalment.objects.bulk_create(
        PaymentInstalment(
            agreement=funded.agreement,
            sequence=start + n,
            financial_year=2025,
            amount=Decimal("1.00"),
            due_date=dt.date(2025, 5, 1),
        )
        for n in range(instalments)
    )
    InstalmentTransition.objects.bulk_create(
        InstalmentTransition(
            instalment=i, from_status="scheduled", to_status="withheld", by=funded.officer
        )
        for i in made
    )
    MonitoringMeeting.objects.bulk_create(
        MonitoringMeeting(
            agreement=funded.agreement,
            held_on=dt.date(2025, 6, 1),
            attendees="Both",
            recorded_by=funded.officer,
        )
        for _ in range(meetings)
    )


@pytest.mark.parametrize("user", ["officer", "provider_user"])
def test_the_agreement_page_runs_the_same_queries_for_few_and_many_instalments_and_meetings(
    scheduled, client, user, same_queries
):
    funded, _ = scheduled
    client.force_login(getattr(funded, user))
    _crowd_the_year(funded, 1, 1, 100)

    counted = same_queries(
        lambda: client.get(
            reverse("grants:agreement_detail", args=[funded.agreement.pk]), {"year": 2025}
        ),
        grow=lambda: _crowd_the_year(funded, 30, 30, 200),
    )

    assert len(counted.result.context["instalment_rows"]) == 2 + 31


def test_a_decision_sent_without_the_status_it_was_shown_asks_for_a_reload(scheduled, client):
    funded, (first, *_) = scheduled
    client.force_login(funded.officer)

    response = client.post(_release_url(first), {"status": "paid"})

    assert response.status_code == 200
    assert "Reload the page and decide again." in response.content.decode()
    first.refresh_from_db()
    assert first.status == "scheduled"


def _past_due(funded, count: int, start: int) -> None:
    PaymentInstalment.objects.bulk_create(
        PaymentInstalment(
            agreement=funded.agreement,
            sequence=start + n,
            financial_year=2025,
            amount=Decimal("1.00"),
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )
        for n in range(count)
    )


def test_the_dashboard_runs_the_same_queries_for_few_and_many_payments_past_due(
    scheduled, client, same_queries
):
    funded, _ = scheduled
    client.force_login(funded.officer)
    _past_due(funded, 1, start=100)

    counted = same_queries(
        lambda: client.get(reverse("oversight:council_dashboard")),
        grow=lambda: _past_due(funded, 40, start=200),
    )

    assert len(counted.result.context["dashboard"].past_due) >= 41
