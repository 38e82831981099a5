import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from grants import selectors, services, stored
from grants.models import Agreement, QuarterlyReturn, ReportingPeriod, ReturnTransition
from sla_monitor.models import User
from sla_monitor.periods import quarter_dates, quarter_of
from tests.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db
Status = QuarterlyReturn.Status


def test_only_the_provider_of_the_agreement_can_start_its_return(funded):
    period = ReportingPeriodFactory(financial_year=2025, quarter=1)

    with pytest.raises(PermissionDenied):
        services.start_return(agreement=funded.agreement, period=period, by=funded.officer)
    with pytest.raises(PermissionDenied):
        services.start_return(
            agreement=funded.agreement, period=period, by=funded.other_provider_user
        )


def test_starting_twice_gives_the_same_draft(funded):
    assert funded.start() == funded.start()
    assert QuarterlyReturn.objects.count() == 1


def test_a_quarter_outside_the_agreement_cannot_be_started(funded):
    period = ReportingPeriodFactory(financial_year=2035, quarter=1)

    with pytest.raises(ValidationError, match="outside the agreement"):
        services.start_return(agreement=funded.agreement, period=period, by=funded.provider_user)


def quarter_around(days: int) -> ReportingPeriod:
    """The quarter `days` from today (before it, when negative)."""
    year, quarter = quarter_of(timezone.localdate() + dt.timedelta(days=days))
    return ReportingPeriodFactory(financial_year=year, quarter=quarter)


@pytest.fixture
def running(funded):
    """The agreement, running from two years before today to five years after."""
    today = timezone.localdate()
    Agreement.objects.filter(pk=funded.agreement.pk).update(
        start_date=quarter_dates(*quarter_of(today - dt.timedelta(days=730)))[0],
        end_date=quarter_dates(*quarter_of(today + dt.timedelta(days=5 * 365)))[1],
    )
    stored.refresh_agreement(funded.agreement.pk)
    funded.agreement.refresh_from_db()
    return funded


@pytest.mark.parametrize("days", [92, 4 * 365], ids=["next quarter", "four years on"])
def test_a_quarter_not_yet_begun_cannot_be_started(running, days):
    period = quarter_around(days)

    with pytest.raises(ValidationError) as refused:
        services.start_return(agreement=running.agreement, period=period, by=running.provider_user)

    assert refused.value.messages[0].startswith(
        f"The {period} return can be started once the quarter begins, on "
    )
    assert not QuarterlyReturn.objects.exists()


@pytest.mark.parametrize("days", [0, -92, -365], ids=["this quarter", "the last", "a year ago"])
def test_a_quarter_begun_can_be_started(running, days):
    period = quarter_around(days)

    started = services.start_return(
        agreement=running.agreement, period=period, by=running.provider_user
    )

    assert (started.period, started.status) == (period, Status.DRAFT)


def test_a_draft_keeps_incomplete_answers(funded):
    quarterly_return = funded.start()

    services.save_indicator_answer(
        quarterly_return=quarterly_return,
        indicator=funded.indicators["per_quarter"],
        by=funded.provider_user,
        expected_version=quarterly_return.version,
        actual_value=None,
        narrative="Figures to follow.",
    )

    answer = quarterly_return.indicator_answers.get()
    assert answer.actual_value is None
    assert answer.narrative == "Figures to follow."
    assert quarterly_return.status == Status.DRAFT


def test_submit_with_missing_answers_is_refused_and_names_each_one(funded):
    quarterly_return = funded.start()

    with pytest.raises(services.IncompleteReturnError) as refused:
        services.submit_return(quarterly_return=quarterly_return, by=funded.provider_user)

    messages = [p.message for p in refused.value.problems]
    assert messages == [
        "Enter the actual for indicator c",
        "Enter the actual for indicator b",
        "Enter the actual for indicator g",
        "Say whether indicator f has been achieved",
        "Describe the work for indicator d",
        "Say whether minimum requirement 1 was met",
        "Say whether minimum requirement 2 was met",
    ]
    quarterly_return.refresh_from_db()
    assert quarterly_return.status == Status.DRAFT
    assert not ReturnTransition.objects.exists()


def test_a_requirement_not_met_needs_an_explanation(funded):
    quarterly_return = funded.complete(funded.start())
    requirement = funded.agreement.requirements.first()
    services.save_requirement_answers(
        quarterly_return=quarterly_return,
        by=funded.provider_user,
        expected_version=None,
        answers={requirement.pk: (False, "")},
    )

    with pytest.raises(services.IncompleteReturnError) as refused:
        services.submit_return(quarterly_return=quarterly_return, by=funded.provider_user)

    assert [p.message for p in refused.value.problems] == [
        "Explain why minimum requirement 1 was not met"
    ]


def test_submitting_records_who_and_when_keeps_a_version_and_tells_the_officer(
    funded, django_capture_on_commit_callbacks
):
    quarterly_return = funded.complete(funded.start())

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_return(quarterly_return=quarterly_return, by=funded.provider_user)

    quarterly_return.refresh_from_db()
    assert quarterly_return.status == Status.SUBMITTED
    assert quarterly_return.submitted_at is not None
    transition = quarterly_return.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by) == (
        Status.DRAFT,
        Status.SUBMITTED,
        funded.provider_user,
    )
    submission = quarterly_return.submissions.get()
    assert (
        submission.answers[f"indicator:{funded.indicators['per_quarter'].pk}"]["values"]["actual"]
        == "4"
    )
    assert [m.to for m in mail.outbox] == [[funded.officer.email]]
    assert "submitted" in mail.outbox[0].subject


def test_a_submitted_return_is_read_only_to_the_provider(funded):
    quarterly_return = funded.submitted()

    with pytest.raises(services.ReturnStateError, match="submitted"):
        services.save_indicator_answer(
            quarterly_return=quarterly_return,
            indicator=funded.indicators["per_quarter"],
            by=funded.provider_user,
            expected_version=None,
            actual_value=Decimal("9"),
        )
    assert quarterly_return.indicator_answers.get(
        indicator=funded.indicators["per_quarter"]
    ).actual_value == Decimal("4")


def test_the_provider_cannot_approve_its_own_return(funded):
    quarterly_return = funded.submitted()

    with pytest.raises(PermissionDenied):
        services.approve_return(quarterly_return=quarterly_return, by=funded.provider_user)


def test_an_officer_of_another_council_cannot_decide(funded):
    quarterly_return = funded.submitted()

    with pytest.raises(PermissionDenied):
        services.approve_return(quarterly_return=quarterly_return, by=funded.other_officer)


def test_a_draft_cannot_be_approved(funded):
    quarterly_return = funded.complete(funded.start())

    with pytest.raises(services.ReturnStateError, match="draft"):
        services.approve_return(quarterly_return=quarterly_return, by=funded.officer)


def test_approval_needs_no_comment_and_tells_the_provider(
    funded, django_capture_on_commit_callbacks
):
    quarterly_return = funded.submitted()

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_return(quarterly_return=quarterly_return, by=funded.officer)

    quarterly_return.refresh_from_db()
    assert quarterly_return.status == Status.APPROVED
    assert quarterly_return.transitions.last().by == funded.officer
    assert [m.to for m in mail.outbox] == [[funded.provider_user.email]]
    assert "approved" in mail.outbox[0].subject


def test_an_approved_return_cannot_be_approved_again_and_says_by_whom(funded):
    quarterly_return = funded.submitted()
    services.approve_return(quarterly_return=quarterly_return, by=funded.officer)

    with pytest.raises(services.ReturnStateError, match="approved by"):
        services.approve_return(quarterly_return=quarterly_return, by=funded.officer)
    assert quarterly_return.transitions.count() == 2


def test_requesting_changes_needs_a_comment(funded):
    quarterly_return = funded.submitted()

    with pytest.raises(ValidationError, match="Say what needs to change"):
        services.request_changes(quarterly_return=quarterly_return, by=funded.officer, comment=" ")
    quarterly_return.refresh_from_db()
    assert quarterly_return.status == Status.SUBMITTED


def test_changes_can_name_answers_and_leave_the_rest_as_they_were(
    funded, django_capture_on_commit_callbacks
):
    quarterly_return = funded.submitted()
    flagged = funded.indicators["per_quarter"]

    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(
            quarterly_return=quarterly_return,
            by=funded.officer,
            comment="Please check indicator c.",
            flags={f"indicator:{flagged.pk}": "The log shows 6 groups.", "indicator:0": ""},
        )

    quarterly_return.refresh_from_db()
    assert quarterly_return.status == Status.CHANGES_REQUESTED
    answers = {a.indicator_id: a for a in quarterly_return.indicator_answers.all()}
    assert answers[flagged.pk].actual_value == Decimal("4")
    flags = list(quarterly_return.flags.open())
    assert [(f.answer_key, f.comment) for f in flags] == [
        (f"indicator:{flagged.pk}", "The log shows 6 groups.")
    ]
    assert flags[0].answer_when_raised["actual"] == "4"
    transition = quarterly_return.transitions.last()
    assert transition.comment == "Please check indicator c."
    assert transition.flagged_answers == [
        {
            "key": f"indicator:{flagged.pk}",
            "label": "Indicator c",
            "comment": "The log shows 6 groups.",
        }
    ]
    assert "sent back" in mail.outbox[0].subject


def test_resubmission_shows_which_answers_changed_and_clears_the_flags(funded):
    quarterly_return = funded.submitted()
    flagged = funded.indicators["per_quarter"]
    services.request_changes(
        quarterly_return=quarterly_return,
        by=funded.officer,
        comment="Check c.",
        flags={f"indicator:{flagged.pk}": "Should be 6."},
    )
    services.save_indicator_answer(
        quarterly_return=quarterly_return,
        indicator=flagged,
        by=funded.provider_user,
        expected_version=None,
        actual_value=Decimal("6"),
    )

    services.submit_return(quarterly_return=quarterly_return, by=funded.provider_user)

    detail = selectors.return_detail(quarterly_return, with_history=True)
    assert detail.changed_keys == {f"indicator:{flagged.pk}"}
    assert not quarterly_return.flags.open().exists()
    assert quarterly_return.flags.get().cleared_because == "changed"
    assert list(quarterly_return.transitions.values_list("to_status", flat=True)) == [
        Status.SUBMITTED,
        Status.CHANGES_REQUESTED,
        Status.SUBMITTED,
    ]
    assert quarterly_return.submissions.count() == 2


def test_a_stale_form_is_refused_and_nothing_is_saved(funded):
    quarterly_return = funded.start()
    seen_version = quarterly_return.version
    services.save_indicator_answer(
        quarterly_return=quarterly_return,
        indicator=funded.indicators["per_quarter"],
        by=funded.provider_user,
        expected_version=seen_version,
        actual_value=Decimal("5"),
    )

    with pytest.raises(services.StaleReturnError, match="changed since you opened"):
        services.save_indicator_answer(
            quarterly_return=quarterly_return,
            indicator=funded.indicators["per_quarter"],
            by=funded.provider_user,
            expected_version=seen_version,
            actual_value=Decimal("2"),
        )
    assert quarterly_return.indicator_answers.get().actual_value == Decimal("5")


def test_another_provider_cannot_write_to_the_return(funded):
    quarterly_return = funded.start()

    with pytest.raises(PermissionDenied):
        services.save_indicator_answer(
            quarterly_return=quarterly_return,
            indicator=funded.indicators["per_quarter"],
            by=funded.other_provider_user,
            expected_version=None,
            actual_value=Decimal("5"),
        )


def test_year_to_date_and_rag_on_the_return(funded):
    first = funded.submitted(quarter=1)
    services.approve_return(quarterly_return=first, by=funded.officer)
    second = funded.complete(
        funded.start(quarter=2),
        per_year={"actual_value": Decimal("0")},
        per_quarter={"actual_value": Decimal("3")},
        percentage={"actual_value": Decimal("60")},
    )

    rows = {r.indicator.code: r for r in selectors.return_detail(second).indicator_rows}

    assert rows["b"].year_to_date == Decimal("1")
    # 1.5 expected by the end of Q2 is 2 whole events; the RAG compares 1 with those 2.
    assert rows["b"].expected_to_date == Decimal("2")
    assert rows["b"].target_wording == "3 in the year; 2 expected by the end of Q2"
    assert rows["b"].rag.value == "red"
    assert rows["c"].rag.value == "amber"
    assert rows["g"].rag.value == "red"
    assert rows["f"].rag.value == "green"
    assert [e.period.quarter for e in rows["c"].earlier] == [1]


def test_a_request_for_changes_can_name_a_minimum_requirement(funded):
    quarterly_return = funded.submitted()
    requirement = funded.agreement.requirements.get(number=2)

    services.request_changes(
        quarterly_return=quarterly_return,
        by=funded.officer,
        comment="See requirement 2.",
        flags={f"requirement:{requirement.pk}": "Which meetings were attended?"},
    )

    flag = quarterly_return.flags.get()
    assert (flag.answer_key, flag.label) == (f"requirement:{requirement.pk}", "Requirement 2")
    assert flag.comment == "Which meetings were attended?"
    assert quarterly_return.transitions.last().flagged_answers == [
        {
            "key": f"requirement:{requirement.pk}",
            "label": "Requirement 2",
            "comment": "Which meetings were attended?",
        }
    ]


def test_flagging_an_answer_of_another_return_changes_nothing(funded):
    quarterly_return = funded.submitted()

    with pytest.raises(
        ValidationError, match=r"\['A flagged answer is not part of this return\.'\]"
    ):
        services.request_changes(
            quarterly_return=quarterly_return,
            by=funded.officer,
            comment="Check it.",
            flags={"requirement:999999": "Not this return's."},
        )

    quarterly_return.refresh_from_db()
    assert quarterly_return.status == Status.SUBMITTED
    assert not quarterly_return.flags.exists()


@pytest.mark.history_by_hand
def test_a_return_started_by_someone_else_at_the_same_moment_is_theirs(funded):
    period = ReportingPeriodFactory(financial_year=2025, quarter=1)
    theirs = QuarterlyReturn.objects.create(agreement=funded.agreement, period=period)
    QuarterlyReturn.objects.create(
        agreement=funded.agreement, period=ReportingPeriodFactory(financial_year=2025, quarter=2)
    )

    # Their insert lands between our look and our own insert.
    with mock.patch.object(QuarterlyReturn.objects, "get_or_create", side_effect=IntegrityError):
        ours = services.start_return(
            agreement=funded.agreement, period=period, by=funded.provider_user
        )

    assert ours == theirs


def test_the_last_quarter_of_an_agreement_can_be_started(funded):
    Agreement.objects.filter(pk=funded.agreement.pk).update(end_date=dt.date(2026, 3, 31))
    stored.refresh_agreement(funded.agreement.pk)
    funded.agreement.refresh_from_db()
    last = ReportingPeriodFactory(financial_year=2025, quarter=4)  # ends with the agreement

    started = services.start_return(
        agreement=funded.agreement, period=last, by=funded.provider_user
    )

    assert started.period == last


@pytest.mark.parametrize(
    ("first_name", "last_name", "named"), [("Priya", "Shah", "Priya Shah"), ("", "", "officer")]
)
def test_a_decided_return_says_who_decided_it_by_name(funded, first_name, last_name, named):
    User.objects.filter(pk=funded.officer.pk).update(first_name=first_name, last_name=last_name)
    funded.officer.refresh_from_db()
    quarterly_return = funded.submitted()
    services.approve_return(quarterly_return=quarterly_return, by=funded.officer)

    with pytest.raises(services.ReturnStateError) as refused:
        services.approve_return(quarterly_return=quarterly_return, by=funded.officer)

    assert refused.value.messages == [
        f"This return is approved by {named}, so it cannot be decided now. Nothing was changed."
    ]


def test_each_missing_answer_says_which_answer_and_which_field(funded):
    quarterly_return = funded.start()
    services.save_requirement_answers(
        quarterly_return=quarterly_return,
        by=funded.provider_user,
        expected_version=None,
        answers={r.pk: (False, "") for r in funded.agreement.requirements.all()},
    )

    with pytest.raises(services.IncompleteReturnError) as refused:
        services.submit_return(quarterly_return=quarterly_return, by=funded.provider_user)

    problems = refused.value.problems
    first_requirement = funded.agreement.requirements.get(number=1)
    assert problems[0] == services.Problem(
        key=f"indicator:{funded.indicators['per_quarter'].pk}",
        label="Indicator c",
        message="Enter the actual for indicator c",
        field="actual_value",
        indicator_id=funded.indicators["per_quarter"].pk,
    )
    assert problems[-2] == services.Problem(
        key=f"requirement:{first_requirement.pk}",
        label="Requirement 1",
        message="Explain why minimum requirement 1 was not met",
        field="narrative",
        requirement_id=first_requirement.pk,
    )
    assert refused.value.messages == [p.message for p in problems]


def test_a_submission_records_no_comment(funded):
    quarterly_return = funded.submitted()

    assert quarterly_return.transitions.get().comment == ""


def test_every_save_moves_the_version_on_by_one(funded):
    quarterly_return = funded.start()
    before = quarterly_return.version

    services.save_indicator_answer(
        quarterly_return=quarterly_return,
        indicator=funded.indicators["narrative"],
        by=funded.provider_user,
        expected_version=before,
        narrative="Casework.",
    )

    quarterly_return.refresh_from_db()
    assert quarterly_return.version == before + 1
