"""Equality impact assessments joined to the plans and the reports: an action's page names the
assessments of it, those it calls for and the one it was made from, and its progress their
sign-offs; the coverage page and the equality information report list the year's signed-off
assessments with their outcomes, negative impacts and mitigations; owners are reminded of
reviews; the home page lists what waits for sign-off, what came back and what is due for review.

Kettering's plan runs through 2025/26."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from equality_plans.assessments import services as assessment_services
from equality_plans.demo import load_strands
from equality_plans.models import (
    AssessmentStatus,
    AssessmentTransition,
    GroupJudgement,
    Mitigation,
    Outcome,
    ScreeningOutcome,
)
from sla_monitor.models import Notification, User
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AssessmentFactory,
    CouncilFactory,
    SectionFactory,
    UserFactory,
)
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db

YEAR = 2025
Status = AssessmentStatus


@pytest.fixture
def council(db):
    load_strands()
    return CouncilFactory(name="Kettering Borough Council", short_code="KBC")


@pytest.fixture
def plan(council):
    return ActionPlanFactory(
        owner=council,
        title="Equality objectives 2025-26",
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2026, 3, 31),
    )


@pytest.fixture
def action(plan):
    return ActionFactory(
        section=SectionFactory(plan=plan), plan=plan, number="7", wording="Review carers' grants"
    )


@pytest.fixture
def senior(council):
    return UserFactory(role=User.Role.SENIOR_OFFICER, organisation=council)


@pytest.fixture
def manager(council):
    return UserFactory(role=User.Role.PLAN_MANAGER, organisation=council)


def _on(year, month, day):
    return timezone.make_aware(dt.datetime(year, month, day, 11, 0))


def _signed_off(council, title, signed_off_at, *, status=Status.SIGNED_OFF, negative=(), **fields):
    """A full assessment signed off at `signed_off_at`, with a likely negative impact on each
    group of `negative` ({code: explanation})."""
    assessment = AssessmentFactory(
        council=council,
        title=title,
        status=status,
        screening_outcome=ScreeningOutcome.FULL_ASSESSMENT,
        outcome=fields.pop("outcome", Outcome.ADJUST),
        signed_off_at=signed_off_at,
        **fields,
    )
    for code, explanation in dict(negative).items():
        GroupJudgement.objects.filter(assessment=assessment, group=code).update(
            relevant=True, impact="negative", explanation=explanation
        )
    return assessment


def _detail_url(assessment):
    return reverse("equality_plans:assessment_detail", args=[assessment.pk])


def _action_page(client, action):
    response = client.get(reverse("equality_plans:action_detail", args=[action.plan_id, action.pk]))
    assert response.status_code == 200
    return response.content.decode()


# The action's page -----------------------------------------------------------------------------


def test_an_actions_page_lists_the_assessments_it_calls_for_and_of_it_with_their_state(
    council, action, client
):
    called = AssessmentFactory(council=council, title="Carers' grants 2025")
    called.called_for_by.add(action)
    of_it = AssessmentFactory(
        council=council,
        title="The review of carers' grants",
        subject="action",
        action=action,
        status=Status.SUBMITTED,
    )
    AssessmentFactory(council=council, title="Library opening hours")  # not linked
    client.force_login(UserFactory(action_owner=True, organisation=council))

    html = _action_page(client, action)

    assert f'<a href="{_detail_url(called)}">{called.reference}</a>' in html
    assert "Carers&#x27; grants 2025" in html and "Called for by this action" in html
    assert f'<a href="{_detail_url(of_it)}">{of_it.reference}</a>' in html
    assert "Assesses this action" in html
    assert "<td>Draft</td>" in html and "<td>Submitted for sign-off</td>" in html
    assert "Library opening hours" not in html


def test_a_mitigation_made_into_an_action_links_both_ways(council, plan, manager, client):
    assessment = _signed_off(
        council,
        "Day centre closures",
        _on(2025, 6, 3),
        negative={"disability": "Fewer accessible venues."},
    )
    mitigation = Mitigation.objects.create(
        assessment=assessment, group="disability", wording="Fund accessible transport."
    )
    made = assessment_services.mitigation_to_action(
        mitigation=mitigation,
        by=manager,
        version=assessment.lock_version,
        plan=plan,
        section=None,
        owner=None,
        timescale="Q3 2025/26",
    )
    client.force_login(manager)

    html = _action_page(client, made)
    coverage = client.get(reverse("equality_plans:strand_coverage", args=[plan.pk]))

    assert (
        f'From the mitigation in <a href="{_detail_url(assessment)}">'
        f"{assessment.reference}: Day centre closures</a>"
    ) in html
    action_url = reverse("equality_plans:action_detail", args=[plan.pk, made.pk])
    assert (
        f'Fund accessible transport. (now <a href="{action_url}">action {made.number}</a> of '
        "Equality objectives 2025-26)"
    ) in coverage.content.decode()


def test_a_partner_councils_officer_sees_no_other_councils_assessment_on_a_shared_action(
    council, plan, action, client
):
    partner = CouncilFactory(name="Blaby District Council")
    plan.partner_councils.add(partner)
    called = _signed_off(council, "Kettering's own decision", _on(2025, 6, 3))
    called.called_for_by.add(action)
    Mitigation.objects.create(assessment=called, wording="Kettering's mitigation", action=action)
    client.force_login(UserFactory(lead_officer=True, organisation=partner))

    html = _action_page(client, action)

    assert "Kettering&#x27;s own decision" not in html
    assert called.reference not in html
    assert "From the mitigation" not in html
    assert "Assessment signed off" not in html


def test_a_signed_off_assessment_shows_in_the_actions_progress_and_the_plan_pdf(
    council, plan, action, client
):
    signed = _signed_off(council, "Carers' grants 2025", _on(2025, 6, 3))
    signed.called_for_by.add(action)
    AssessmentFactory(council=council, title="A draft", status=Status.DRAFT).called_for_by.add(
        action
    )
    client.force_login(UserFactory(action_owner=True, organisation=council))

    html = _action_page(client, action)
    _, text = response_pdf(client.get(reverse("equality_plans:plan_pdf", args=[plan.pk])))

    assert (
        f'Assessment signed off on 3 June 2025: <a href="{_detail_url(signed)}">'
        f"{signed.reference}, Carers&#x27; grants 2025</a>"
    ) in html
    assert html.count("Assessment signed off on") == 1
    assert f"Assessment signed off on 3 June 2025: {signed.reference}, Carers' grants 2025" in text
    assert text.count("Assessment signed off on") == 1


# The coverage page and the equality information report -----------------------------------------


@pytest.fixture
def year_of_assessments(council, plan, action, senior):
    """Two assessments Kettering signed off in 2025/26 (one since replaced by a review); a draft,
    one waiting for sign-off, one signed off the year before and another council's, left out."""
    listed = _signed_off(
        council,
        "Day centre closures",
        _on(2025, 6, 3),
        outcome=Outcome.ADJUST,
        negative={"disability": "Fewer accessible venues.", "age": "Older people travel further."},
        signed_off_by=senior,
    )
    Mitigation.objects.create(
        assessment=listed, group="disability", wording="Fund accessible transport.", action=action
    )
    Mitigation.objects.create(assessment=listed, group="age", wording="Run a befriending service.")
    Mitigation.objects.create(assessment=listed, wording="Consult again in a year.")
    replaced = _signed_off(
        council,
        "Library opening hours",
        _on(2026, 1, 12),
        status=Status.REVIEWED,
        outcome=Outcome.CONTINUE,
        justification="The savings are needed.",
    )
    AssessmentFactory(council=council, title="A draft not yet signed off")
    AssessmentFactory(council=council, title="Waiting for sign-off", status=Status.SUBMITTED)
    _signed_off(council, "Signed off the year before", _on(2025, 3, 31))
    _signed_off(CouncilFactory(), "Another council's assessment", _on(2025, 7, 1))
    return listed, replaced


LEFT_OUT = [
    "A draft not yet signed off",
    "Waiting for sign-off",
    "Signed off the year before",
    "Another council",
]


def test_the_coverage_page_lists_the_assessments_signed_off_in_the_plans_years(
    council, plan, year_of_assessments, client
):
    listed, _ = year_of_assessments
    client.force_login(UserFactory(action_owner=True, organisation=council))

    html = client.get(reverse("equality_plans:strand_coverage", args=[plan.pk])).content.decode()

    assert "The assessments Kettering Borough Council signed off from 2025/26 to 2025/26" in html
    assert f'<a href="{_detail_url(listed)}">{listed.reference}</a>: Day centre closures' in html
    assert "Signed off on 3 June 2025. Outcome: Adjust the policy." in html
    assert "<strong>Disability</strong>: Fewer accessible venues." in html
    assert "<strong>Age</strong>: Older people travel further." in html
    assert "Fund accessible transport. (now <a href=" in html
    assert "Run a befriending service. (not yet an action of a plan)" in html
    assert "Consult again in a year." in html
    assert "Outcome: Continue the policy despite adverse impact." in html
    assert "A later version has since replaced it." in html
    for title in LEFT_OUT:
        assert title not in html


def test_the_coverage_page_shows_a_partner_council_none_of_the_owners_assessments(
    council, plan, year_of_assessments, client
):
    partner = CouncilFactory(name="Blaby District Council")
    plan.partner_councils.add(partner)
    client.force_login(UserFactory(lead_officer=True, organisation=partner))

    html = client.get(reverse("equality_plans:strand_coverage", args=[plan.pk])).content.decode()

    assert "are shown to its own staff" in html
    assert "Day centre closures" not in html


def test_the_equality_report_lists_the_years_assessments_on_its_page_and_in_its_pdf(
    council, year_of_assessments, client
):
    listed, _ = year_of_assessments
    client.force_login(UserFactory(lead_officer=True, organisation=council))

    html = client.get(
        reverse("oversight:equality_report", args=[council.pk]), {"year": str(YEAR)}
    ).content.decode()
    _, text = response_pdf(
        client.get(reverse("oversight:equality_report_pdf", args=[council.pk, YEAR]))
    )

    assert "Kettering Borough Council signed off 2 equality impact assessments in 2025/26" in html
    assert f'<a href="{_detail_url(listed)}">{listed.reference}</a>: Day centre closures' in html
    assert "<strong>Disability</strong>: Fewer accessible venues." in html
    assert "Fund accessible transport. (now <a href=" in html
    for words in [
        "signed off 2 equality impact assessments in 2025/26",
        f"{listed.reference}: Day centre closures",
        "Signed off on 3 June 2025. Outcome: Adjust the policy.",
        "Disability: Fewer accessible venues.",
        "Fund accessible transport. (now action 7 of Equality objectives 2025-26)",
        "Age: Older people travel further.",
        "Run a befriending service. (not yet an action of a plan)",
        "Library opening hours",
        "Outcome: Continue the policy despite adverse impact.",
    ]:
        assert words in text, words
    for title in LEFT_OUT:
        assert title not in html and title not in text


def test_each_years_report_lists_the_assessments_signed_off_in_that_year(
    council, year_of_assessments, client
):
    ActionPlanFactory(owner=council, start_date=dt.date(2024, 4, 1), end_date=dt.date(2025, 3, 31))
    client.force_login(UserFactory(lead_officer=True, organisation=council))

    html = client.get(
        reverse("oversight:equality_report", args=[council.pk]), {"year": "2024"}
    ).content.decode()

    assert "Kettering Borough Council signed off 1 equality impact assessment in 2024/25" in html
    assert "Signed off the year before" in html
    assert "Day centre closures" not in html


def test_the_report_reads_its_assessments_in_the_same_queries_however_many(
    council, year_of_assessments, action, client, same_queries
):
    client.force_login(UserFactory(lead_officer=True, organisation=council))
    url = reverse("oversight:equality_report", args=[council.pk])

    def more():
        for n in range(5):
            more = _signed_off(
                council, f"More {n}", _on(2025, 9, 1 + n), negative={"race": "Fewer reached."}
            )
            Mitigation.objects.create(assessment=more, group="race", wording="Outreach.")

    counted = same_queries(lambda: client.get(url, {"year": str(YEAR)}), grow=more)
    assert "More 4" in counted.result.content.decode()


# Reminders of reviews ----------------------------------------------------------------------------


def _run_reminders(django_capture_on_commit_callbacks, output=None):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=output or io.StringIO())
    return [(n.recipient_id, n.kind, n.params["reference"]) for n in Notification.objects.all()]


def test_an_owner_is_reminded_once_of_a_review_due_within_30_days(
    council, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    due = _signed_off(council, "Due soon", _on(2025, 6, 3), review_date=today + dt.timedelta(20))
    _signed_off(council, "Not yet", _on(2025, 6, 3), review_date=today + dt.timedelta(40))
    _signed_off(
        council,
        "Replaced",
        _on(2025, 6, 3),
        status=Status.REVIEWED,
        review_date=today - dt.timedelta(5),
    )
    AssessmentFactory(council=council, title="Draft", review_date=today + dt.timedelta(5))

    first = _run_reminders(django_capture_on_commit_callbacks)
    second_mail = (_run_reminders(django_capture_on_commit_callbacks), list(mail.outbox))

    assert first == [(due.owner_id, Notification.Kind.ASSESSMENT_REVIEW_DUE, due.reference)]
    due.refresh_from_db()
    assert due.review_reminded_on == today
    assert second_mail == (first, [])  # the second run sent nothing more


def test_the_owner_is_emailed_the_review_reminder(council, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    due = _signed_off(council, "Due soon", _on(2025, 6, 3), review_date=today + dt.timedelta(3))

    output = io.StringIO()
    _run_reminders(django_capture_on_commit_callbacks, output)

    assert f"Sent: review due of {due.reference} to its owner" in output.getvalue()
    assert [m.to for m in mail.outbox] == [[due.owner.email]]
    assert mail.outbox[0].subject == f"Assessment review due: {due.reference}"
    assert "is due for review on" in mail.outbox[0].body


def test_an_overdue_review_reminds_again_at_most_every_30_days(
    council, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    lately = _signed_off(
        council,
        "Reminded lately",
        _on(2025, 6, 3),
        status=Status.PUBLISHED,
        review_date=today - dt.timedelta(40),
        review_reminded_on=today - dt.timedelta(29),
    )
    long_ago = _signed_off(
        council,
        "Reminded long ago",
        _on(2025, 6, 3),
        review_date=today - dt.timedelta(40),
        review_reminded_on=today - dt.timedelta(30),
    )

    sent = _run_reminders(django_capture_on_commit_callbacks)
    again = _run_reminders(django_capture_on_commit_callbacks)

    assert sent == [
        (long_ago.owner_id, Notification.Kind.ASSESSMENT_REVIEW_OVERDUE, long_ago.reference)
    ]
    assert again == sent
    lately.refresh_from_db()
    assert lately.review_reminded_on == today - dt.timedelta(29)


# Home page worklists -----------------------------------------------------------------------------


def test_a_senior_officer_sees_the_assessments_waiting_for_their_sign_off_but_not_their_own(
    council, senior, client
):
    waiting = AssessmentFactory(
        council=council,
        title="Waiting for you",
        status=Status.SUBMITTED,
        submitted_at=_on(2025, 6, 3),
    )
    AssessmentFactory(council=council, title="Yours", owner=senior, status=Status.SUBMITTED)
    submitted_by_them = AssessmentFactory(
        council=council, title="Submitted by you", status=Status.SUBMITTED
    )
    AssessmentTransition.objects.create(
        assessment=submitted_by_them,
        step="submit",
        from_status=Status.DRAFT,
        to_status=Status.SUBMITTED,
        by=senior,
    )
    AssessmentFactory(title="Another council's", status=Status.SUBMITTED)
    AssessmentFactory(council=council, title="Still a draft")
    client.force_login(senior)

    html = client.get(reverse("oversight:home")).content.decode()

    assert "Waiting for your sign-off" in html
    assert f'<a href="{_detail_url(waiting)}">{waiting.reference}: Waiting for you</a>' in html
    assert "submitted on 3 June 2025" in html
    for title in ["Yours", "Submitted by you", "Another council&#x27;s", "Still a draft"]:
        assert f": {title}</a>" not in html


def test_an_owner_sees_their_assessments_returned_and_their_reviews_due(council, client):
    owner = UserFactory(lead_officer=True, organisation=council)
    today = timezone.localdate()
    returned = AssessmentFactory(
        council=council, owner=owner, title="Sent back", status=Status.RETURNED
    )
    due = _signed_off(
        council, "Review soon", _on(2025, 6, 3), owner=owner, review_date=today + dt.timedelta(10)
    )
    overdue = _signed_off(
        council,
        "Review late",
        _on(2025, 6, 3),
        owner=owner,
        status=Status.PUBLISHED,
        review_date=today - dt.timedelta(3),
    )
    _signed_off(
        council, "Review later", _on(2025, 6, 3), owner=owner, review_date=today + dt.timedelta(60)
    )
    _signed_off(
        council,
        "Replaced",
        _on(2025, 6, 3),
        owner=owner,
        status=Status.REVIEWED,
        review_date=today - dt.timedelta(3),
    )
    AssessmentFactory(council=council, title="Someone else's", status=Status.RETURNED)
    client.force_login(owner)

    html = client.get(reverse("oversight:home")).content.decode()

    assert "Your assessments returned with comments" in html
    assert f'<a href="{_detail_url(returned)}">{returned.reference}: Sent back</a>' in html
    assert "Your assessments due for review within 30 days" in html
    assert f"{due.reference}: Review soon</a>, review due on" in html
    assert "Your assessments overdue for review" in html
    assert f"{overdue.reference}: Review late</a>" in html
    for title in ["Review later", "Replaced", "Someone else"]:
        assert title not in html
    assert "Waiting for your sign-off" not in html


def test_the_home_worklists_run_the_same_queries_however_many_assessments(
    council, senior, client, same_queries
):
    owner = UserFactory(lead_officer=True, organisation=council)
    client.force_login(senior)

    def more():
        today = timezone.localdate()
        for n in range(5):
            AssessmentFactory(council=council, owner=owner, status=Status.SUBMITTED)
            AssessmentFactory(council=council, owner=senior, status=Status.RETURNED)
            _signed_off(
                council,
                f"Due {n}",
                _on(2025, 6, 3),
                owner=senior,
                review_date=today + dt.timedelta(n),
            )

    AssessmentFactory(council=council, owner=owner, status=Status.SUBMITTED)
    counted = same_queries(lambda: client.get(reverse("oversight:home")), grow=more)
    assert counted.result.content.decode().count("review due on") == 5
