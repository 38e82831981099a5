"""Two people acting on one return at the same moment: exactly one wins, the other is told."""

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from grants import services
from grants.models import QuarterlyReturn

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs it there"
    ),
]


def race(*actions: Callable[[], object]) -> list[object]:
    """Run the actions in threads released together; each result or the error it raised."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except ValidationError as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_officers_approving_at_once_make_one_approval(funded):
    qr = funded.submitted()
    second_officer = type(funded.officer).objects.create(
        username="officer2", organisation=funded.officer.organisation, role=funded.officer.role
    )

    results = race(
        lambda: services.approve_return(quarterly_return=qr, by=funded.officer),
        lambda: services.approve_return(quarterly_return=qr, by=second_officer),
    )

    errors = [r for r in results if isinstance(r, services.ReturnStateError)]
    assert len(errors) == 1
    assert "approved by" in errors[0].messages[0]
    qr.refresh_from_db()
    assert qr.status == QuarterlyReturn.Status.APPROVED
    assert qr.transitions.filter(to_status="approved").count() == 1


def test_submitting_while_the_officer_sends_back_makes_one_transition(funded):
    qr = funded.submitted()
    seen = QuarterlyReturn.objects.get(pk=qr.pk).version

    results = race(
        lambda: services.submit_return(
            quarterly_return=qr, by=funded.provider_user, expected_version=seen
        ),
        lambda: services.request_changes(
            quarterly_return=qr, by=funded.officer, comment="Check c.", expected_version=seen
        ),
    )

    assert sum(isinstance(r, ValidationError) for r in results) == 1
    qr.refresh_from_db()
    assert qr.status == QuarterlyReturn.Status.CHANGES_REQUESTED
    assert qr.transitions.count() == 2  # the first submission and the one decision


def test_two_saves_of_the_same_page_keep_the_first_and_refuse_the_second(funded):
    qr = funded.start()
    seen = qr.version
    indicator = funded.indicators["per_quarter"]

    def save(value):
        return lambda: services.save_indicator_answer(
            quarterly_return=qr,
            indicator=indicator,
            by=funded.provider_user,
            expected_version=seen,
            actual_value=value,
        )

    results = race(save(5), save(6))

    refused = [r for r in results if isinstance(r, services.StaleReturnError)]
    assert len(refused) == 1
    saved = qr.indicator_answers.get(indicator=indicator).actual_value
    assert saved in (5, 6)
    winner = 5 if not isinstance(results[0], ValidationError) else 6
    assert saved == winner


def test_two_people_accepting_a_variation_at_once_apply_it_once(funded):
    """Two of the provider's people accept the same variation at the same moment, without a
    version (a service call, not a page): the row lock makes the second find it applied."""
    import datetime as dt

    from grants.models import AgreementTerms, ReportingPeriod
    from grants.services import variations
    from sla_monitor.models import User
    from tests.factories import UserFactory

    council = funded.agreement.funder
    admin = UserFactory(organisation=council, role=User.Role.ADMIN, username="council_admin")
    colleague = UserFactory(organisation=funded.agreement.provider, username="provider_b")
    drafted = variations.draft_variation(
        agreement=funded.agreement,
        by=funded.officer,
        terms={
            "reason": "A year longer.",
            "takes_effect_from": ReportingPeriod.objects.get(financial_year=2025, quarter=3),
            "new_end_date": dt.date(2030, 3, 31),
        },
    )
    sent = variations.submit_variation(variation=drafted, by=funded.officer)
    approved = variations.approve_variation(variation=sent, by=admin)

    results = race(
        lambda: variations.accept_variation(variation=approved, by=funded.provider_user),
        lambda: variations.accept_variation(variation=approved, by=colleague),
    )

    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert AgreementTerms.objects.filter(agreement=funded.agreement).count() == 2
    assert approved.transitions.filter(step="accept").count() == 1
