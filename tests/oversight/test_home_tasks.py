"""The home pages' to-do lists, counted by hand on one council's quarter: on 10 November 2025 the
provider owes Q2 (due 31 October, in draft: 10 days overdue) and Q3 (due 31 January, not started:
82 days left), and has Q1 sent back; the lead officer has two returns awaiting review, one
overdue return, one instalment past due and one meeting to hold."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import services, worklists
from grants.lifecycle import InstalmentStatus, ReturnStatus
from grants.models import Agreement, MonitoringMeeting, ReportingPeriod
from sla_monitor.models import User
from tests.factories import (
    AgreementFactory,
    CouncilFactory,
    PaymentInstalmentFactory,
    ProviderFactory,
    QuarterlyReturnFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 11, 10)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def quarter(funded):
    """The funded agreement's year to 10 November 2025, and a second agreement of the same
    council whose Q1 and Q2 returns wait for review; another council's overdue agreement beside."""
    q1 = funded.submitted(quarter=1)
    services.request_changes(
        quarterly_return=q1, by=funded.officer, comment="Please add the volunteer log."
    )
    funded.start(quarter=2)
    periods = {p.quarter: p for p in ReportingPeriod.objects.filter(financial_year=2025)}

    second = AgreementFactory(
        funder=funded.agreement.funder,
        provider=ProviderFactory(name="Second Trust"),
        reference="KBC-SECOND",
    )
    for number, submitted_on in [(2, dt.date(2025, 11, 1)), (1, dt.date(2025, 8, 1))]:
        QuarterlyReturnFactory(
            agreement=second,
            period=periods[number],
            status=ReturnStatus.SUBMITTED,
            submitted_at=_at(submitted_on),
        )
    MonitoringMeeting.objects.create(
        agreement=second,
        held_on=dt.date(2025, 10, 20),
        attendees="Both",
        recorded_by=funded.officer,
    )
    MonitoringMeeting.objects.create(
        agreement=funded.agreement,
        held_on=dt.date(2025, 9, 15),
        attendees="Both",
        recorded_by=funded.officer,
    )
    for sequence, due, status in [
        (1, dt.date(2025, 10, 1), InstalmentStatus.SCHEDULED),
        (2, dt.date(2025, 7, 1), InstalmentStatus.RELEASED),
        (3, dt.date(2026, 1, 1), InstalmentStatus.SCHEDULED),
    ]:
        PaymentInstalmentFactory(
            agreement=funded.agreement, sequence=sequence, due_date=due, status=status
        )
    AgreementFactory(reference="ELSEWHERE")  # another council's: nothing of it is anyone's here
    return funded


def test_the_provider_sees_what_it_owes_and_what_came_back(quarter):
    tasks = worklists.provider_tasks(quarter.provider_user, TODAY)

    [back] = tasks.sent_back
    assert back.quarterly_return.period.quarter == 1
    assert back.decision.comment == "Please add the volunteer log."
    assert back.decision.by == quarter.officer
    [overdue] = tasks.overdue
    assert (overdue.period.quarter, overdue.days_overdue, overdue.status_label) == (
        2,
        10,
        "In draft",
    )
    [due] = tasks.due
    assert (due.period.quarter, due.days_left, due.status_label) == (3, 82, "Not started")
    assert tasks.drafts == []
    assert tasks.count == 3


def test_a_draft_not_yet_due_is_a_draft_in_progress(quarter):
    quarter.start(quarter=3)

    tasks = worklists.provider_tasks(quarter.provider_user, TODAY)

    assert tasks.due == []
    [draft] = tasks.drafts
    assert (draft.period.quarter, draft.days_left) == (3, 82)


def test_the_officer_sees_the_longest_waiting_first_and_what_is_late(quarter):
    tasks = worklists.officer_tasks(quarter.officer, TODAY)

    assert [(a.quarterly_return.period.quarter, a.days_waiting) for a in tasks.awaiting_review] == [
        (1, 101),
        (2, 9),
    ]
    assert tasks.awaiting_count == 2
    # Q1 was sent back: the days with the provider again are not lateness.
    assert [(o.agreement.reference, o.period.quarter) for o in tasks.overdue] == [
        (quarter.agreement.reference, 2)
    ]
    assert [(i.sequence, i.due_date) for i in tasks.instalments] == [(1, dt.date(2025, 10, 1))]
    assert tasks.period.quarter == 3
    assert [(a.reference, a.last_meeting) for a in tasks.meetings] == [
        (quarter.agreement.reference, dt.date(2025, 9, 15))
    ]


def test_overdue_returns_of_every_quarter_are_listed(quarter):
    """A quarter long past and never started is as overdue as last quarter's draft."""
    late = AgreementFactory(funder=quarter.agreement.funder, reference="KBC-LATE")

    overdue = worklists.officer_tasks(quarter.officer, dt.date(2025, 11, 10)).overdue

    assert [(o.agreement.reference, o.period.quarter, o.days_overdue) for o in overdue] == [
        ("KBC-LATE", 1, 102),
        (quarter.agreement.reference, 2, 10),
        ("KBC-LATE", 2, 10),
    ]
    assert {o.status_label for o in overdue if o.agreement == late} == {"Not started"}


def test_an_officer_is_shown_the_work_of_the_agreements_they_lead_or_nobody_leads(quarter):
    """KBC-SECOND's two returns await review: led by a colleague, they leave the officer's list;
    led by nobody, they are on it. The council's administrator, who leads none, sees all."""
    council = quarter.agreement.funder
    colleague = UserFactory(lead_officer=True, organisation=council)
    administrator = UserFactory(role=User.Role.ADMIN, organisation=council)
    second = Agreement.objects.get(reference="KBC-SECOND")

    Agreement.objects.filter(pk=second.pk).update(lead_officer=colleague)
    led_by_colleague = worklists.officer_tasks(quarter.officer, TODAY)
    colleagues = worklists.officer_tasks(colleague, TODAY)
    Agreement.objects.filter(pk=second.pk).update(lead_officer=None)
    led_by_nobody = worklists.officer_tasks(quarter.officer, TODAY)

    assert (led_by_colleague.awaiting_count, led_by_colleague.only_led) == (0, True)
    assert [m.reference for m in led_by_colleague.meetings] == [quarter.agreement.reference]
    assert colleagues.awaiting_count == 2
    assert [i.sequence for i in colleagues.instalments] == []
    assert led_by_nobody.awaiting_count == 2
    assert worklists.officer_tasks(administrator, TODAY).awaiting_count == 2
    assert worklists.officer_tasks(administrator, TODAY).only_led is False


def test_nobody_else_sees_these_tasks(quarter):
    stranger = UserFactory(lead_officer=True, organisation=CouncilFactory())
    other_provider = quarter.other_provider_user

    assert worklists.officer_tasks(stranger, TODAY).count == 0
    assert worklists.provider_tasks(other_provider, TODAY).count == 0


def test_the_provider_home_lists_the_tasks_with_the_officers_comment(quarter, client):
    client.force_login(quarter.provider_user)

    page = client.get(reverse("oversight:home")).content.decode()

    assert page.index("What to do next") < page.index("Your agreements")
    assert "Sent back for changes" in page
    assert "Please add the volunteer log." in page
    assert "Overdue" in page
    assert f"{quarter.agreement.reference} Q2 2025/26 return" in page


def test_the_officer_home_lists_returns_awaiting_review_with_days_waiting(quarter, client):
    client.force_login(quarter.officer)

    page = client.get(reverse("oversight:home")).content.decode()

    assert "Returns awaiting your review" in page
    assert page.index("KBC-SECOND Q1 2025/26</a>") < page.index("KBC-SECOND Q2 2025/26</a>")
    assert "Instalments past due, not released" in page
    assert "Monitoring meetings due" in page


def _more_tasks(quarter) -> None:
    """Six more providers with returns awaiting review, instalments past due and meetings to
    hold, and six more agreements of the first provider with a return to send."""
    periods = list(ReportingPeriod.objects.filter(financial_year=2025))
    for n in range(6):
        provider = ProviderFactory()
        UserFactory(organisation=provider)
        agreement = AgreementFactory(funder=quarter.agreement.funder, provider=provider)
        for period in periods[:2]:
            QuarterlyReturnFactory(
                agreement=agreement,
                period=period,
                status=ReturnStatus.SUBMITTED,
                submitted_at=_at(dt.date(2025, 8, n + 1)),
            )
        PaymentInstalmentFactory(agreement=agreement, due_date=dt.date(2025, 5, 1))
        MonitoringMeeting.objects.create(
            agreement=agreement,
            held_on=dt.date(2025, 5, 1),
            attendees="x",
            recorded_by=quarter.officer,
        )
        second = AgreementFactory(
            funder=quarter.agreement.funder,
            provider=quarter.agreement.provider,
            total_allocation=Decimal("5000"),
        )
        QuarterlyReturnFactory(agreement=second, period=periods[0])


@pytest.mark.parametrize("user", ["officer", "provider_user"])
def test_home_pages_run_the_same_queries_for_few_tasks_and_many(
    quarter, client, user, same_queries
):
    client.force_login(getattr(quarter, user))

    same_queries(lambda: client.get(reverse("oversight:home")), grow=lambda: _more_tasks(quarter))


KEY_COLUMNS = ("Days waiting", "Days overdue", "Amount", "Latest RAG")


def test_lists_with_key_columns_stack_on_a_phone_with_each_cell_named(quarter, client):
    """On a phone each row of these tables shows as a card, each cell under its column's name, so
    the days waiting, the amounts and the RAG are seen without scrolling sideways."""
    client.force_login(quarter.officer)
    pages = [
        reverse("oversight:home"),
        reverse("grants:review_queue"),
        reverse("oversight:council_dashboard"),
    ]
    checked = 0
    for url in pages:
        html = client.get(url).content.decode()
        for table in html.split("<table")[1:]:
            table = table.split("</table>")[0]
            if not any(f">{column}</th>" in table for column in KEY_COLUMNS):
                continue
            checked += 1
            assert "table-stack" in table.split(">")[0], f"{url}: {table[:300]}"
            rows = table.split("<tbody")[1]
            cells = rows.count("<td") - rows.count("<td colspan")
            assert cells == rows.count("<td data-label="), f"{url}: {rows[:500]}"
    assert checked >= 4
