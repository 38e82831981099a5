"""Who is reminded of what, and when: the edges of each window."""

import datetime as dt

import pytest
from django.core import mail

from grants import services, stored
from grants.models import Agreement, QuarterlyReturn, Reminder
from sla_monitor.models import Notification, User
from tests.factories import AgreementFactory, UserFactory

pytestmark = pytest.mark.django_db

# Q1 2025/26 is due on 31 July 2025, Q2 on 31 October.
Q1_DUE = dt.date(2025, 7, 31)


def sent_on(today, django_capture_on_commit_callbacks, **window):
    with django_capture_on_commit_callbacks(execute=True):
        return sorted(
            (r.kind, r.period.quarter) for r in services.send_reminders(today=today, **window)
        )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (Q1_DUE - dt.timedelta(days=15), []),
        (Q1_DUE - dt.timedelta(days=14), [("due_soon", 1)]),
        (Q1_DUE, [("due_soon", 1)]),
    ],
)
def test_a_return_is_due_soon_from_14_days_before_its_due_date_to_the_day(
    funded, django_capture_on_commit_callbacks, today, expected
):
    assert sent_on(today, django_capture_on_commit_callbacks) == expected


def test_the_due_soon_window_can_be_widened(funded, django_capture_on_commit_callbacks):
    today = Q1_DUE - dt.timedelta(days=20)

    assert sent_on(today, django_capture_on_commit_callbacks, days=20) == [("due_soon", 1)]


@pytest.mark.parametrize(("waited", "reminded"), [(13, False), (14, True)])
def test_a_submitted_return_is_reminded_to_the_officer_after_14_days_waiting(
    funded, django_capture_on_commit_callbacks, waited, reminded
):
    q1 = funded.submitted(quarter=1)
    QuarterlyReturn.objects.filter(pk=q1.pk).update(
        submitted_at=dt.datetime(2025, 8, 1, 12, tzinfo=dt.UTC)
    )
    today = dt.date(2025, 8, 1) + dt.timedelta(days=waited)

    sent = sent_on(today, django_capture_on_commit_callbacks)

    assert (("awaiting_review", 1) in sent) is reminded


@pytest.mark.history_by_hand
def test_quarters_outside_the_agreement_are_not_reminded(
    funded, django_capture_on_commit_callbacks
):
    # The agreement runs from Q2 to the end of Q3: Q1 is before it, Q4 after it.
    Agreement.objects.filter(pk=funded.agreement.pk).update(
        start_date=dt.date(2025, 7, 1), end_date=dt.date(2025, 12, 31)
    )
    stored.refresh_agreement(funded.agreement.pk)

    sent = sent_on(dt.date(2026, 5, 20), django_capture_on_commit_callbacks)

    assert sorted({quarter for _, quarter in sent}) == [2, 3]


def test_a_reminder_already_sent_is_not_sent_again_but_the_others_are(
    funded, django_capture_on_commit_callbacks
):
    today = dt.date(2025, 11, 20)
    first = sent_on(Q1_DUE + dt.timedelta(days=1), django_capture_on_commit_callbacks)

    later = sent_on(today, django_capture_on_commit_callbacks)

    assert first == [("escalation", 1), ("overdue", 1)]
    assert later == [("escalation", 2), ("overdue", 2)]


def test_provider_reminders_go_to_every_active_provider_user_and_each_address_its_own_email(
    funded, django_capture_on_commit_callbacks
):
    organisation = funded.agreement.provider
    colleague = UserFactory(organisation=organisation, email="colleague@example.org")
    UserFactory(organisation=organisation, is_active=False, email="left@example.org")
    no_address = UserFactory(organisation=organisation, email="")
    UserFactory(organisation=organisation, role=User.Role.LEAD_OFFICER, email="x@example.org")

    sent_on(Q1_DUE - dt.timedelta(days=3), django_capture_on_commit_callbacks)

    reminder = Reminder.objects.get(kind="due_soon")
    assert sorted(reminder.recipients.split(", ")) == sorted(
        [funded.provider_user.email, colleague.email]
    )
    assert sorted(m.to for m in mail.outbox) == sorted(
        [[funded.provider_user.email], [colleague.email]]
    )
    told = Notification.objects.filter(kind=Notification.Kind.REMINDER_DUE_SOON)
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [funded.provider_user.pk, colleague.pk, no_address.pk]
    )


def test_an_officer_without_an_address_is_reminded_in_the_inbox_only(
    funded, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=funded.officer.pk).update(email="")

    sent = sent_on(Q1_DUE + dt.timedelta(days=1), django_capture_on_commit_callbacks)

    assert sent == [("escalation", 1), ("overdue", 1)]
    assert [m.to for m in mail.outbox] == [[funded.provider_user.email]]
    escalation = Notification.objects.get(kind=Notification.Kind.REMINDER_ESCALATION)
    assert escalation.recipient == funded.officer
    assert escalation.emailed_at is None


def test_an_agreement_without_a_lead_officer_reminds_only_the_provider(
    funded, django_capture_on_commit_callbacks
):
    Agreement.objects.filter(pk=funded.agreement.pk).update(lead_officer=None)

    sent = sent_on(Q1_DUE + dt.timedelta(days=1), django_capture_on_commit_callbacks)

    assert sent == [("overdue", 1)]


def test_an_agreement_that_starts_later_is_reminded_from_its_first_quarter(
    funded, django_capture_on_commit_callbacks
):
    later = AgreementFactory(
        funder=funded.agreement.funder,
        provider=funded.agreement.provider,
        lead_officer=funded.officer,
        start_date=dt.date(2025, 10, 1),
        end_date=dt.date(2027, 3, 31),
    )

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_reminders(today=dt.date(2026, 2, 10))

    quarters = sorted({r.period.quarter for r in sent if r.agreement == later})
    assert quarters == [3]


def test_an_escalation_reaches_an_officer_without_an_address_once(
    funded, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=funded.officer.pk).update(email="")
    today = Q1_DUE + dt.timedelta(days=1)
    first = sent_on(today, django_capture_on_commit_callbacks)
    User.objects.filter(pk=funded.officer.pk).update(email="officer@example.org")

    second = sent_on(today, django_capture_on_commit_callbacks)

    assert first == [("escalation", 1), ("overdue", 1)]
    assert second == []
    assert funded.officer.notifications.count() == 1
