"""The audit log: the change history of what people change, wherever the change came from, and
only what touches the records the reader may see."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.context import set_actor
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.models import Agreement, ReportingPeriod
from sla_monitor.models import AccountEvent, AccountEventKind, User
from tests.dates import date_boxes
from tests.factories import AgreementFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def events(client, **query) -> list:
    return client.get(reverse("oversight:audit_log"), query).context["events"]


@pytest.fixture
def root(db):
    return UserFactory(superuser=True, username="root")


def test_an_admin_edit_is_kept_with_its_old_and_new_values_and_who_made_it(funded, root, client):
    client.force_login(root)
    agreement = funded.agreement
    Agreement.objects.filter(pk=agreement.pk).update(outcome="Fewer hate incidents.")

    client.post(
        reverse("admin:grants_agreement_change", args=[agreement.pk]),
        {
            "reference": agreement.reference,
            # The administration writes each language's column of a council's text.
            "title_en_gb": "Community cohesion and equalities",
            "funder": agreement.funder_id,
            "provider": agreement.provider_id,
            "status": "active",
            "start_date": "2025-04-01",
            "end_date": "2029-03-31",
            "total_allocation": "100000.00",
            "outcome_en_gb": "Fewer hate incidents.",
            "reporting_frequency": "quarterly",
            **_empty_inlines(),
        },
    )

    change = next(e for e in events(client, kind="history") if e.what.startswith("Changed"))
    assert change.who == root
    assert "Changed agreement" in change.what
    assert f"Title: {agreement.title} → Community cohesion and equalities" in change.details


def _empty_inlines() -> dict:
    prefixes = ["objectives", "requirements", "in_kind_contributions", "added_values"]
    prefixes += ["indicators", "instalments", "budget_lines", "questions"]
    management = {}
    for prefix in prefixes:
        management |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return management


def test_a_change_made_outside_any_request_is_kept_too(funded, root, client):
    agreement = Agreement.objects.get(pk=funded.agreement.pk)
    agreement.total_allocation = Decimal("90000.00")
    agreement.save()  # as a shell session or a worker would
    client.force_login(root)

    html = client.get(reverse("oversight:audit_log"), {"kind": "history"}).content.decode()

    assert "Total allocation: 100000.00 → 90000.00" in html
    assert "A command or background task" in html


def test_answers_evidence_and_meetings_leave_a_record(funded, root, client):
    draft = funded.start()
    client.force_login(funded.provider_user)
    indicator = funded.indicators["per_quarter"]
    client.post(
        reverse("grants:indicator_answer", args=[draft.pk, indicator.pk]),
        {
            "version": draft.version,
            "actual_value": "6",
            "evidence": SimpleUploadedFile("groups.pdf", PDF, content_type="application/pdf"),
            "save_draft": "1",
        },
    )
    client.force_login(funded.officer)
    meeting_url = reverse("grants:record_meeting", args=[funded.agreement.pk])
    once = client.get(meeting_url).context["form"]["once"].value()
    client.post(
        meeting_url,
        {
            **date_boxes("held_on", "2025-07-15"),
            "attendees": "Priya Shah, Sam Okafor",
            "notes": "On track.",
            "once": once,
        },
    )
    client.force_login(root)

    history = events(client, kind="history")

    said = {(e.who.username, e.what.split(" “")[0]) for e in history if e.who}
    assert ("provider", "Changed indicator answer") in said
    assert ("provider", "Added evidence file") in said
    assert ("officer", "Added monitoring meeting") in said
    answer = next(e for e in history if e.what.startswith("Changed indicator answer"))
    assert "Actual value: not set → 6" in answer.details


def test_a_password_never_reaches_the_log(funded, root, client):
    funded.provider_user.set_password("a new secret phrase")
    funded.provider_user.save()
    client.force_login(root)

    html = client.get(reverse("oversight:audit_log")).content.decode()

    assert "pbkdf2" not in html and "md5$" not in html
    assert "Password" not in html


def test_a_council_admin_reads_only_what_touches_their_council(funded, client):
    council_admin = UserFactory(role=User.Role.ADMIN, organisation=funded.agreement.funder)
    elsewhere = AgreementFactory(title="Another council's agreement")
    elsewhere.title = "Renamed elsewhere"
    elsewhere.save()
    ours = Agreement.objects.get(pk=funded.agreement.pk)
    ours.title = "Renamed here"
    ours.save()
    funded.submitted()
    other_council_return = services.start_return(
        agreement=elsewhere,
        period=funded.start().period,
        by=UserFactory(organisation=elsewhere.provider),
    )
    client.force_login(council_admin)

    html = client.get(reverse("oversight:audit_log")).content.decode()
    people = client.get(reverse("oversight:audit_log")).context["users"]

    assert "Renamed here" in html
    assert "Renamed elsewhere" not in html
    assert str(other_council_return) not in html
    assert "Draft to Submitted" in html
    assert set(people) >= {funded.officer, funded.provider_user}
    assert funded.other_officer not in people and funded.other_provider_user not in people


def test_a_council_admin_reads_no_other_councils_people_through_the_quarters_they_add(
    funded, root, client
):
    council_admin = UserFactory(role=User.Role.ADMIN, organisation=funded.agreement.funder)
    elsewhere = UserFactory(lead_officer=True, first_name="Marcus", last_name="Bell")
    with set_actor(elsewhere):
        ReportingPeriod.objects.create(
            financial_year=2040,
            quarter=4,
            start_date=dt.date(2041, 1, 1),
            end_date=dt.date(2041, 3, 31),
            due_date=dt.date(2041, 4, 30),
        )

    client.force_login(council_admin)
    seen_by_council = client.get(reverse("oversight:audit_log")).content.decode()
    client.force_login(root)
    seen_by_superuser = client.get(reverse("oversight:audit_log")).content.decode()

    assert "Q4 2040/41" not in seen_by_council
    assert "Marcus Bell" not in seen_by_council
    assert "Q4 2040/41" in seen_by_superuser


def test_a_page_past_the_last_says_there_are_no_events_that_far_back(funded, root, client):
    client.force_login(root)

    html = client.get(reverse("oversight:audit_log"), {"page": "100"}).content.decode()

    assert "Events 0 to" not in html
    assert "There are no events this far back" in html


def test_an_until_date_before_the_since_date_is_refused_with_a_message(funded, root, client):
    client.force_login(root)

    response = client.get(
        reverse("oversight:audit_log"),
        {**date_boxes("since", dt.date(2026, 3, 1)), **date_boxes("until", dt.date(2026, 2, 1))},
    )

    html = response.content.decode()
    assert "must be the same as or after the since date" in html
    assert "There is a problem" in html


def test_naming_a_provider_in_an_agreement_shows_a_council_nothing_of_its_people(funded, client):
    """A council that names another council's provider in an agreement of its own reads that
    agreement's history, not the provider's people: their accounts, their sign-ins."""
    provider = funded.agreement.provider
    newcomer = UserFactory(organisation=provider, username="femi", email="femi@example.org")
    newcomer.first_name = "Femi"
    newcomer.save()
    Client().login(username="femi", password=settings.DEMO_PASSWORD)
    namer = AgreementFactory(provider=provider)
    council_admin = UserFactory(role=User.Role.ADMIN, organisation=namer.funder)
    client.force_login(council_admin)

    response = client.get(reverse("oversight:audit_log"))
    by_person = client.get(reverse("oversight:audit_log"), {"user": newcomer.pk})

    assert newcomer not in response.context["users"]
    assert by_person.context["chosen"]["user"] is None
    for page in (response, by_person):
        assert "femi" not in page.content.decode().lower()


def test_a_council_admin_cannot_filter_by_someone_they_may_not_see(funded, client):
    council_admin = UserFactory(role=User.Role.ADMIN, organisation=funded.agreement.funder)
    client.force_login(council_admin)

    response = client.get(reverse("oversight:audit_log"), {"user": funded.other_officer.pk})

    assert response.context["chosen"]["user"] is None


def test_the_audit_log_runs_the_same_queries_with_few_and_many_changes(
    funded, root, client, same_queries
):
    client.force_login(root)
    funded.submitted(quarter=1)

    def more_changes():
        for quarter in (2, 3, 4):
            funded.submitted(quarter=quarter)
        services.record_meeting(
            agreement=funded.agreement,
            by=funded.officer,
            held_on=dt.date(2025, 7, 1),
            period=None,
            attendees="Both",
        )

    same_queries(lambda: client.get(reverse("oversight:audit_log")), grow=more_changes)


def test_the_log_is_filtered_from_a_day_given_as_day_month_and_year(funded, root, client):
    agreement = Agreement.objects.get(pk=funded.agreement.pk)
    agreement.total_allocation = Decimal("90000.00")
    agreement.save()
    client.force_login(root)
    today = timezone.localdate()

    from_today = events(client, kind="history", **date_boxes("since", today))
    from_tomorrow = events(client, kind="history", **date_boxes("since", today + dt.timedelta(1)))
    impossible = client.get(
        reverse("oversight:audit_log"),
        {"since_day": "30", "since_month": "2", "since_year": "2026"},
    )

    assert from_today and not from_tomorrow
    assert (
        '<a href="#id_since_day">The date to show changes since must be a real date</a>'
        in impossible.content.decode()
    )
    assert impossible.context["events"]  # the impossible date filters nothing out


def _renamings(agreement, count: int) -> None:
    agreement = Agreement.objects.get(pk=agreement.pk)
    for n in range(count):
        agreement.title = f"Renamed {n:02d}"
        agreement.save()


def test_the_log_is_shown_a_page_at_a_time_with_its_filters_kept(funded, root, client, monkeypatch):
    monkeypatch.setattr("oversight.views.AUDIT_PAGE_SIZE", 5)
    _renamings(funded.agreement, 12)
    client.force_login(root)

    first = client.get(reverse("oversight:audit_log"), {"kind": "history"})
    second = client.get(reverse("oversight:audit_log"), {"kind": "history", "page": 2})

    shown = [e.details for e in first.context["events"]]
    after = [e.details for e in second.context["events"]]
    assert len(shown) == 5 and len(after) == 5
    assert "Renamed 11" in shown[0] and "Renamed 06" in shown[4]
    assert "Renamed 05" in after[0]
    assert 'href="?kind=history&amp;page=2"' in first.content.decode()
    assert 'href="?kind=history&amp;page=1"' in second.content.decode()


def test_each_page_reads_only_as_many_rows_as_it_shows_from_each_table(
    funded, root, client, monkeypatch, same_queries
):
    monkeypatch.setattr("oversight.views.AUDIT_PAGE_SIZE", 5)
    client.force_login(root)
    _renamings(funded.agreement, 2)

    counted = same_queries(
        lambda: client.get(reverse("oversight:audit_log"), {"page": 2}),
        grow=lambda: _renamings(funded.agreement, 40),
    )

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("oversight:audit_log"), {"page": 2})
    history = [q["sql"] for q in captured if 'FROM "auditlog_logentry"' in q["sql"]]
    assert history and all("LIMIT 11" in sql for sql in history)
    assert len(counted.result.context["events"]) == 5


def test_the_log_is_filtered_up_to_a_day(funded, root, client):
    _renamings(funded.agreement, 1)
    client.force_login(root)
    today = timezone.localdate()

    to_yesterday = events(client, kind="history", **date_boxes("until", today - dt.timedelta(1)))
    to_today = events(client, kind="history", **date_boxes("until", today))

    assert to_today and not to_yesterday


def test_a_sign_in_address_is_shown_in_its_own_column(funded, root, client):
    AccountEvent.objects.create(
        user=funded.officer, kind=AccountEventKind.SIGNED_IN, address="192.0.2.44"
    )
    client.force_login(root)

    signed_in = [e for e in events(client, kind="account") if e.who == funded.officer]

    assert signed_in and signed_in[0].where == "192.0.2.44"
    assert "From" not in signed_in[0].details
