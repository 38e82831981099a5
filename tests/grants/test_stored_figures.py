"""The figures stored from history (`grants.stored`): written by the services in the transaction
of the change, the same as working them out again, and rebuilt by `rebuild_figures`."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from grants import services, stored
from grants.models import (
    Agreement,
    IndicatorAnswer,
    QuarterlyReturn,
    ReturnDue,
    ReturnTransition,
    add_year_to_date,
)
from grants.rag import Rag
from grants.selectors import ResultRow

pytestmark = pytest.mark.django_db


def _live(answer: IndicatorAnswer) -> ResultRow:
    """The answer's result worked out from history, as before anything was stored."""
    add_year_to_date([answer])
    return ResultRow(answer)


def test_an_answer_keeps_the_rag_year_to_date_and_target_it_was_judged_by(funded):
    q1 = funded.submitted(quarter=1)
    per_year = funded.indicators["per_year"]

    answer = IndicatorAnswer.objects.get(quarterly_return=q1, indicator=per_year)
    row = _live(answer)

    assert (answer.rag, answer.year_total, answer.judged_target) == (
        row.rag.value,
        row.year_to_date,
        row.expected_to_date,
    )
    assert (answer.rag, answer.year_total, answer.judged_target) == ("green", 1, 1)


def test_sending_back_an_earlier_quarter_moves_a_later_quarters_year_to_date(funded):
    """Q2's year to date counts Q1 only while Q1 is submitted or approved."""
    q1 = funded.submitted(quarter=1)
    q2 = funded.submitted(quarter=2)
    per_year = funded.indicators["per_year"]
    later = IndicatorAnswer.objects.filter(quarterly_return=q2, indicator=per_year)
    assert later.get().year_total == 2

    services.request_changes(quarterly_return=q1, by=funded.officer, comment="Check Q1, please.")

    assert later.get().year_total == 1
    assert later.get().rag == _live(later.get()).rag.value


def test_a_return_owed_is_stored_until_it_is_first_submitted(funded):
    owed = ReturnDue.objects.filter(agreement=funded.agreement, period__financial_year=2025)
    assert owed.filter(period__quarter=1, quarterly_return=None).exists()

    draft = funded.start(quarter=1)
    assert owed.get(period__quarter=1).quarterly_return == draft

    services.submit_return(quarterly_return=funded.complete(draft), by=funded.provider_user)
    assert not owed.filter(period__quarter=1).exists()

    services.request_changes(quarterly_return=draft, by=funded.officer, comment="Once more.")
    # Sent back, it was submitted once: owed no longer, and never overdue again.
    assert not owed.filter(period__quarter=1).exists()


def test_a_return_keeps_its_days_late_and_the_days_its_decision_took(funded):
    q1 = funded.submitted(quarter=1)
    due = q1.period.due_date
    submitted_at = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=4), dt.time(9)))
    ReturnTransition.objects.filter(quarterly_return=q1).update(at=submitted_at)
    stored.refresh_agreement(q1.agreement_id)

    services.approve_return(quarterly_return=q1, by=funded.officer)

    q1.refresh_from_db()
    decided = q1.transitions.get(to_status=QuarterlyReturn.Status.APPROVED)
    assert q1.days_late == 4
    assert q1.days_to_decide == pytest.approx((decided.at - submitted_at).total_seconds() / 86400)
    assert decided.timing == ReturnTransition.Timing.DECIDED


def test_an_agreement_keeps_the_rag_counts_of_its_latest_reported_return(funded):
    funded.submitted(quarter=1)
    q2 = funded.complete(funded.start(quarter=2), per_quarter={"actual_value": Decimal("0")})
    agreement = Agreement.objects.get(pk=funded.agreement.pk)
    assert agreement.rag_period.quarter == 1

    services.submit_return(quarterly_return=q2, by=funded.provider_user)

    agreement.refresh_from_db()
    answers = IndicatorAnswer.objects.filter(quarterly_return=q2)
    assert agreement.rag_period.quarter == 2
    assert agreement.rag_red == answers.filter(rag=Rag.RED).count() >= 1
    assert agreement.rag_green == answers.filter(rag=Rag.GREEN).count()


def test_rebuilding_puts_right_what_was_changed_by_hand_and_nothing_else(funded):
    funded.submitted(quarter=1)
    assert not any(stored.rebuild(write=False).values())
    IndicatorAnswer.objects.update(rag="", year_total=None)
    Agreement.objects.update(rag_red=9)
    ReturnDue.objects.all().delete()

    wrong = stored.rebuild()

    assert wrong[stored.ANSWERS] == 5
    assert wrong[stored.AGREEMENTS] == 1
    assert wrong[stored.DUE] > 0
    assert not any(stored.rebuild(write=False).values())


def test_the_command_checks_and_rebuilds(funded, capsys):
    funded.submitted(quarter=1)
    call_command("rebuild_figures", "--check")
    IndicatorAnswer.objects.update(rag="")

    with pytest.raises(CommandError):
        call_command("rebuild_figures", "--check")
    assert IndicatorAnswer.objects.filter(rag="").count() == 5

    call_command("rebuild_figures")
    call_command("rebuild_figures", "--check")
    assert "answers' RAG, year to date and target: 0 wrong" in capsys.readouterr().out


def test_refreshing_is_a_fixed_number_of_queries_however_many_returns(funded, same_queries):
    funded.submitted(quarter=1)

    same_queries(
        lambda: stored.refresh([funded.agreement.pk], write=False),
        grow=lambda: [funded.submitted(quarter=q) for q in (2, 3, 4)],
    )


def test_the_demo_data_stores_its_figures_as_its_history_gives_them(demo_data):
    assert not any(stored.rebuild(write=False).values())
