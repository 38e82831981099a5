import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from equality_plans.selectors import overdue_actions_by_plan
from grants import dashboard, services, stored
from grants.models import (
    Agreement,
    QuarterlyReturn,
    Reminder,
    ReportingPeriod,
    ReturnTransition,
)
from tests.dates import date_boxes
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgreementFactory,
    FundFactory,
    ProgressUpdateFactory,
    ProviderFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


# Instalments ---------------------------------------------------------------------------------


@pytest.fixture
def scheduled(funded):
    services.create_instalment_schedule(agreement=funded.agreement)
    return funded, list(funded.agreement.instalments.order_by("sequence"))


def test_the_second_instalment_waits_for_the_first_quarter_to_be_approved(scheduled):
    funded, (first, second, *_) = scheduled

    services.release_instalment(instalment=first, by=funded.officer)
    with pytest.raises(
        ValidationError, match="needs the Q1 2025/26 return approved first; it has not been started"
    ):
        services.release_instalment(instalment=second, by=funded.officer)
    qr = funded.submitted(quarter=1)
    with pytest.raises(ValidationError, match="it is submitted"):
        services.release_instalment(instalment=second, by=funded.officer)
    services.approve_return(quarterly_return=qr, by=funded.officer)
    services.release_instalment(instalment=second, by=funded.officer, reason="Q1 approved.")

    second.refresh_from_db()
    assert (second.status, second.decided_by, second.reason) == (
        "released",
        funded.officer,
        "Q1 approved.",
    )
    transition = second.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by) == (
        "scheduled",
        "released",
        funded.officer,
    )


def test_an_admin_can_change_the_rule_per_agreement(scheduled):
    funded, (_, second, *_) = scheduled
    second.depends_on_period = None
    second.save()

    services.release_instalment(instalment=second, by=funded.officer)

    second.refresh_from_db()
    assert second.status == "released"


def test_withholding_needs_a_reason_and_can_be_released_later(scheduled):
    funded, (first, *_) = scheduled

    with pytest.raises(ValidationError, match="Enter why the instalment is withheld"):
        services.withhold_instalment(instalment=first, by=funded.officer, reason="")
    services.withhold_instalment(instalment=first, by=funded.officer, reason="Accounts late.")
    services.release_instalment(instalment=first, by=funded.officer, reason="Accounts received.")

    assert list(first.transitions.values_list("to_status", "reason")) == [
        ("withheld", "Accounts late."),
        ("released", "Accounts received."),
    ]


def test_a_released_instalment_is_not_released_twice(scheduled):
    funded, (first, *_) = scheduled
    services.release_instalment(instalment=first, by=funded.officer)

    with pytest.raises(ValidationError, match="already been released"):
        services.release_instalment(instalment=first, by=funded.officer)
    assert first.transitions.count() == 1


def test_only_the_funders_lead_officer_releases(scheduled):
    funded, (first, *_) = scheduled

    for other in (funded.provider_user, funded.other_officer):
        with pytest.raises(PermissionDenied) as refused:
            services.release_instalment(instalment=first, by=other)
        assert str(refused.value) == "Only a lead officer of the funding council decides payments."


def test_the_agreement_page_releases_and_explains_a_refusal(scheduled, client):
    funded, (first, second, *_) = scheduled
    client.force_login(funded.officer)

    refused = client.get(
        reverse("grants:release_instalment", args=[funded.agreement.pk, second.pk])
    )
    released = client.post(
        reverse("grants:release_instalment", args=[funded.agreement.pk, first.pk]),
        {"status": "scheduled"},
        follow=True,
    )

    assert "needs the Q1 2025/26 return approved first" in refused.content.decode()
    assert "cannot be released yet" in refused.content.decode()
    assert "Release £12,500.00</button>" not in refused.content.decode()
    assert "The 2025/26, first instalment was released." in released.content.decode()


# Awards --------------------------------------------------------------------------------------


def test_an_award_above_the_funds_maximum_is_refused():
    fund = FundFactory(budget=Decimal("600000"), maximum_award=Decimal("50000"))
    agreement = AgreementFactory.build(
        funder=fund.council,
        provider=ProviderFactory(),
        fund=fund,
        total_allocation=Decimal("50000.01"),
    )

    with pytest.raises(ValidationError, match=r"more than the .* maximum award of £50,000\.00"):
        agreement.full_clean()


def test_an_award_beyond_the_remaining_budget_is_refused():
    fund = FundFactory(budget=Decimal("100000"))
    AgreementFactory(funder=fund.council, fund=fund, total_allocation=Decimal("70000"))
    agreement = AgreementFactory.build(
        funder=fund.council,
        provider=ProviderFactory(),
        fund=fund,
        total_allocation=Decimal("30000.01"),
    )

    with pytest.raises(ValidationError, match=r"more than the £30,000\.00 left"):
        agreement.full_clean()
    agreement.total_allocation = Decimal("30000")
    agreement.full_clean()


def test_fund_totals_show_budget_awarded_released_and_remaining(scheduled, client):
    funded, (first, *_) = scheduled
    fund = FundFactory(council=funded.agreement.funder, budget=Decimal("250000"))
    Agreement.objects.filter(pk=funded.agreement.pk).update(fund=fund)
    services.release_instalment(instalment=first, by=funded.officer)
    client.force_login(funded.officer)

    listed = client.get(reverse("grants:fund_list")).context["funds"]
    (row,) = [f for f in listed if f.pk == fund.pk]

    assert (row.budget, row.awarded, row.released) == (
        Decimal("250000"),
        Decimal("100000"),
        Decimal("12500"),
    )
    html = client.get(reverse("grants:fund_detail", args=[fund.pk])).content.decode()
    assert "£150,000.00" in html


# Meetings ------------------------------------------------------------------------------------


def test_the_lead_officer_records_a_meeting_the_provider_sees(funded, client):
    client.force_login(funded.officer)
    url = reverse("grants:record_meeting", args=[funded.agreement.pk])

    once = client.get(url).context["form"]["once"].value()
    empty_date = {"held_on_day": "", "held_on_month": "", "held_on_year": ""}
    missing = client.post(url, {"once": once, **empty_date, "attendees": ""})
    client.post(
        url,
        {
            "once": once,
            **date_boxes("held_on", "2025-07-15"),
            "period": ReportingPeriod.objects.get(financial_year=2025, quarter=1).pk,
            "attendees": "Priya Shah; Sam Okafor",
            "notes": "Q1 return reviewed.",
            "follow_up_actions": "Send the events calendar.",
        },
    )
    client.force_login(funded.provider_user)
    page = client.get(
        reverse("grants:agreement_detail", args=[funded.agreement.pk]), {"year": 2025}
    )

    assert '<a href="#id_held_on_day">Enter the date of the meeting</a>' in missing.content.decode()
    html = page.content.decode()
    assert "Send the events calendar." in html
    assert "Record a monitoring meeting" not in html


# Reminders -----------------------------------------------------------------------------------


def test_reminders_are_sent_once_each_to_the_right_people(
    funded, django_capture_on_commit_callbacks
):
    q1 = funded.submitted(quarter=1)
    QuarterlyReturn.objects.filter(pk=q1.pk).update(
        submitted_at=dt.datetime(2025, 8, 1, 12, tzinfo=dt.UTC)
    )
    # Q1 has waited for review since August; Q2 (due 31 October) is overdue; Q3 is not yet due.
    today = dt.date(2025, 11, 20)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.send_reminders(today=today, days=14, review_days=14)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.send_reminders(today=today, days=14, review_days=14)

    kinds = sorted((r.kind, r.period.quarter) for r in first)
    assert kinds == [("awaiting_review", 1), ("escalation", 2), ("overdue", 2)]
    assert second == []
    assert Reminder.objects.count() == 3
    recipients = {m.subject.split(":")[0]: m.to for m in mail.outbox}
    assert recipients == {
        "Return waiting for review": [funded.officer.email],
        "Overdue return": [funded.officer.email],
        "Return overdue": [funded.provider_user.email],
    }


def test_a_return_due_soon_is_reminded_to_the_provider(funded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_reminders(today=dt.date(2025, 7, 20), days=14)

    assert [(r.kind, r.period.quarter) for r in sent] == [("due_soon", 1)]
    assert mail.outbox[0].to == [funded.provider_user.email]


# Dashboard -----------------------------------------------------------------------------------


@pytest.fixture
def council(funded):
    """Four agreements of one council in Q2 2025/26, each return in a different state."""
    council = funded.agreement.funder
    fund_a = FundFactory(council=council, name="Fund A", budget=Decimal("900000"))
    fund_b = FundFactory(council=council, name="Fund B", budget=Decimal("900000"))
    Agreement.objects.filter(pk=funded.agreement.pk).update(fund=fund_a)
    q2 = ReportingPeriod.objects.get(financial_year=2025, quarter=2)
    others = [
        AgreementFactory(funder=council, fund=fund_a, lead_officer=funded.officer),
        AgreementFactory(funder=council, fund=fund_b, lead_officer=funded.officer),
        AgreementFactory(funder=council, fund=fund_b, lead_officer=funded.officer),
    ]
    q1 = funded.submitted(quarter=1)
    services.approve_return(quarterly_return=q1, by=funded.officer)
    q2_return = funded.complete(funded.start(quarter=2), per_quarter={"actual_value": Decimal("1")})
    services.submit_return(quarterly_return=q2_return, by=funded.provider_user)
    QuarterlyReturn.objects.create(agreement=others[0], period=q2, status="draft")
    QuarterlyReturn.objects.create(agreement=others[1], period=q2, status="approved")
    stored.refresh(a.pk for a in others)
    return funded, q2, others


def test_dashboard_numbers_match_a_hand_count(council):
    funded, q2, others = council

    board = dashboard.council_dashboard(funded.officer, q2, dt.date(2025, 11, 20))

    t = board.totals
    assert (t.expected, t.not_started, t.draft, t.submitted, t.approved, t.overdue) == (
        4,
        1,
        1,
        1,
        1,
        5,
    )
    # Overdue now, whatever the quarter: the three other agreements never started Q1, and in Q2
    # one is in draft and one not started.
    assert sorted((o.agreement.pk, o.period.quarter, o.status_label) for o in board.overdue) == [
        (others[0].pk, 1, "Not started"),
        (others[0].pk, 2, "In draft"),
        (others[1].pk, 1, "Not started"),
        (others[2].pk, 1, "Not started"),
        (others[2].pk, 2, "Not started"),
    ]
    assert {c.label: c.overdue for c in board.by_fund} == {"Fund A": 2, "Fund B": 3}
    by_fund = {
        c.label: (c.expected, c.submitted, c.draft, c.approved, c.not_started)
        for c in board.by_fund
    }
    assert by_fund == {"Fund A": (2, 1, 1, 0, 0), "Fund B": (2, 0, 0, 1, 1)}
    assert [a.pk for a in board.not_started] == [others[2].pk]
    # Indicator c: 4 in Q1 (green), 1 in Q2 (red, worse); b: 1 then 1, 2 of 1.5 to date (green).
    alerts = {
        a.result.answer.indicator.code: (a.result.rag.value, a.direction) for a in board.alerts
    }
    assert alerts == {"c": ("red", "Worse")}
    (late,) = board.days_late
    assert late[0] == funded.agreement.provider.name and late[2] == 2
    (decider,) = board.days_to_decide
    assert decider[2] == 1


def test_the_dashboard_calls_a_quarters_returns_overdue_only_after_their_due_date(council):
    funded, q2, _ = council

    on_the_day = dashboard.council_dashboard(funded.officer, q2, q2.due_date)
    day_after = dashboard.council_dashboard(funded.officer, q2, q2.due_date + dt.timedelta(days=1))

    assert (on_the_day.is_overdue, day_after.is_overdue) == (False, True)


def test_time_sent_back_is_reported_apart_from_lateness(funded):
    """Submitted 3 days late, held 10 days by the officer, back with the provider 5 days: 3 days
    late, and 5 days' rework reported on its own."""
    qr = funded.submitted(quarter=1)
    due = qr.period.due_date
    services.request_changes(quarterly_return=qr, by=funded.officer, comment="The log, please.")
    services.submit_return(quarterly_return=qr, by=funded.provider_user)
    stamps = {"submitted": [3, 18], "changes_requested": [13]}
    for transition in qr.transitions.order_by("at", "pk"):
        day = due + dt.timedelta(days=stamps[transition.to_status].pop(0))
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        ReturnTransition.objects.filter(pk=transition.pk).update(at=at)
    stored.refresh_agreement(qr.agreement_id)
    period = qr.period

    board = dashboard.council_dashboard(funded.officer, period, due + dt.timedelta(days=20))

    assert board.days_late == [(funded.agreement.provider.name, 3.0, 1)]
    assert board.days_sent_back == [(funded.agreement.provider.name, 5.0, 1)]


def test_dashboard_counts_overdue_actions_of_the_councils_plans(council):
    funded, _, _ = council
    section = SectionFactory(plan=ActionPlanFactory(owner=funded.agreement.funder))
    past, future = dt.date(2025, 6, 30), dt.date(2026, 3, 31)
    ActionFactory(section=section, due_date=past)  # no update yet: overdue
    for rag in ("red", "amber", "green", "completed"):
        ProgressUpdateFactory(action=ActionFactory(section=section, due_date=past), rag_status=rag)
    ProgressUpdateFactory(action=ActionFactory(section=section, due_date=future), rag_status="red")

    overdue = overdue_actions_by_plan(funded.officer, dt.date(2025, 11, 20))

    assert [(plan.pk, count) for plan, count in overdue] == [(section.plan_id, 3)]


def test_dashboard_links_each_number_to_the_filtered_queue(council, client):
    funded, q2, _ = council
    client.force_login(funded.officer)

    html = client.get(reverse("oversight:council_dashboard"), {"period": q2.pk}).content.decode()

    assert f'href="/review/?period={q2.pk}&amp;status=submitted&amp;fund=' in html
    assert f'href="/review/?period={q2.pk}&amp;status=approved&amp;provider=' in html


def _many_agreements(council, officer, count, prefix):
    from grants.models import PerformanceIndicator

    provider = ProviderFactory()
    agreements = Agreement.objects.bulk_create(
        Agreement(
            reference=f"BULK-{prefix}-{n}",
            title="Bulk agreement",
            funder=council,
            provider=provider,
            lead_officer=officer,
            start_date=dt.date(2025, 4, 1),
            end_date=dt.date(2029, 3, 31),
            total_allocation=Decimal("1000"),
        )
        for n in range(count)
    )
    PerformanceIndicator.objects.bulk_create(
        PerformanceIndicator(
            agreement=a,
            code="a",
            wording="Groups",
            measure_type="count",
            target=4,
            target_period="quarter",
        )
        for a in agreements
    )
    q2 = ReportingPeriod.objects.get(financial_year=2025, quarter=2)
    QuarterlyReturn.objects.bulk_create(
        QuarterlyReturn(agreement=a, period=q2, status=["draft", "submitted", "approved"][n % 3])
        for n, a in enumerate(agreements)
    )
    stored.refresh(a.pk for a in agreements)


def test_dashboard_runs_the_same_queries_for_10_and_500_agreements(funded, client, same_queries):
    council, officer = funded.agreement.funder, funded.officer
    client.force_login(officer)
    q2 = ReportingPeriod.objects.get(financial_year=2025, quarter=2)
    _many_agreements(council, officer, 10, prefix=10)

    counted = same_queries(
        lambda: client.get(reverse("oversight:council_dashboard"), {"period": q2.pk}),
        grow=lambda: _many_agreements(council, officer, 490, prefix=490),
    )

    assert counted.result.context["dashboard"].totals.expected == 501


def test_dashboard_figures_show_a_decision_as_soon_as_it_is_made(council, client):
    funded, q2, _ = council
    client.force_login(funded.officer)
    url = reverse("oversight:council_dashboard")
    awaiting = QuarterlyReturn.objects.get(agreement=funded.agreement, period=q2)

    board = client.get(url, {"period": q2.pk}).context["dashboard"]
    client.post(
        reverse("grants:decide_return", args=[awaiting.pk]),
        {"decision": "approve", "comment": "", "version": awaiting.version},
    )
    after = client.get(url, {"period": q2.pk}).context["dashboard"]

    assert (board.totals.submitted, board.totals.approved) == (1, 1)
    assert (after.totals.submitted, after.totals.approved) == (0, 2)


def test_dashboard_figures_are_each_users_own(council, client):
    funded, q2, _ = council
    url = reverse("oversight:council_dashboard")
    client.force_login(funded.officer)
    client.get(url, {"period": q2.pk})

    client.force_login(funded.other_officer)
    board = client.get(url, {"period": q2.pk}).context["dashboard"]

    assert board.totals.expected == 0


def test_agreement_page_runs_the_same_queries_with_10_and_500_agreements(
    scheduled, client, same_queries
):
    funded, _ = scheduled
    council, officer = funded.agreement.funder, funded.officer
    client.force_login(officer)
    _many_agreements(council, officer, 10, prefix=10)

    same_queries(
        lambda: client.get(
            reverse("grants:agreement_detail", args=[funded.agreement.pk]), {"year": 2025}
        ),
        grow=lambda: _many_agreements(council, officer, 490, prefix=490),
    )


def test_the_dashboard_is_for_lead_officers(funded, client):
    client.force_login(funded.provider_user)

    assert client.get(reverse("oversight:council_dashboard")).status_code == 403
    assert client.get(reverse("grants:fund_list")).status_code == 403


def test_the_queue_filters_overdue_returns(council, client):
    funded, q2, others = council
    client.force_login(funded.officer)

    response = client.get(reverse("grants:review_queue"), {"period": q2.pk, "overdue": "true"})

    # Q2 2025/26 was due on 31 October 2025: the draft is overdue, submitted and approved are not.
    assert [qr.agreement for qr in response.context["returns"]] == [others[0]]
