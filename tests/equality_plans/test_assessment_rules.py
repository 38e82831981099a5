"""The rules of an equality impact assessment: screening, the full assessment, four-eyes
sign-off, publication and review into a new version."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from equality_plans import groups
from equality_plans.assessments import services
from equality_plans.models import (
    Action,
    Assessment,
    AssessmentStatus,
    Impact,
    Outcome,
    ScreeningOutcome,
)
from sla_monitor.models import User
from tests.factories import (
    ActionPlanFactory,
    AssessmentFactory,
    EqualityStrandFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _senior(council):
    return UserFactory(organisation=council, role=User.Role.SENIOR_OFFICER)


def _screen(assessment, *, relevant=("age", "disability"), outcome=None, reason=""):
    answers = {
        j.group: (
            j.group in relevant,
            "Most people with dementia are older." if j.group in relevant else "",
        )
        for j in assessment.judgements.all()
    }
    return services.record_screening(
        assessment=assessment,
        by=assessment.owner,
        version=assessment.lock_version,
        answers=answers,
        outcome=outcome or ScreeningOutcome.FULL_ASSESSMENT,
        reason=reason,
    )


def _full(assessment, **changes):
    impacts = {
        j.group: (Impact.NEGATIVE, "Fewer day centre places.")
        for j in assessment.judgements.filter(relevant=True)
    }
    values = {
        "evidence": "Census 2021 and the service's own returns.",
        "consultation": "Two listening events with carers.",
        "impacts": impacts,
        "outcome": Outcome.ADJUST,
        "justification": "",
        "review_date": timezone.localdate() + dt.timedelta(days=365),
    } | changes
    return services.record_full_assessment(
        assessment=assessment, by=assessment.owner, version=assessment.lock_version, **values
    )


def _submitted(**kwargs):
    assessment = _full(_screen(AssessmentFactory(**kwargs)))
    return services.submit_assessment(
        assessment=assessment, by=assessment.owner, version=assessment.lock_version
    )


def test_screening_asks_every_group_and_why_each_relevant_one_is():
    assessment = AssessmentFactory()
    answers = {j.group: (False, "") for j in assessment.judgements.all()}
    answers["age"] = (True, " ")
    del answers["race"]

    with pytest.raises(ValidationError) as refused:
        services.record_screening(
            assessment=assessment,
            by=assessment.owner,
            version=1,
            answers=answers,
            outcome=ScreeningOutcome.NO_FULL_ASSESSMENT,
            reason="",
        )

    assert set(refused.value.message_dict) == {"why-age", "relevant-race", "screening_reason"}
    assessment.refresh_from_db()
    assert assessment.lock_version == 1
    assert not assessment.judgements.filter(relevant__isnull=False).exists()


def test_a_council_chooses_the_welsh_language_carers_and_the_armed_forces():
    assessment = AssessmentFactory(council__assessment_groups=["welsh-language", "carers"])

    codes = list(assessment.judgements.values_list("group", flat=True))

    assert codes == [g.code for g in groups.ALWAYS] + ["welsh-language", "carers"]
    assert len(codes) == 12


def test_a_full_assessment_judges_every_group_screened_relevant():
    assessment = _screen(AssessmentFactory())

    with pytest.raises(ValidationError) as refused:
        _full(assessment, impacts={"age": (Impact.POSITIVE, "More places.")})

    assert set(refused.value.message_dict) == {"impact-disability"}
    assessment.refresh_from_db()
    assert assessment.evidence == ""


def test_continuing_despite_adverse_impact_needs_a_justification_and_a_future_review():
    assessment = _screen(AssessmentFactory())

    with pytest.raises(ValidationError) as refused:
        _full(assessment, outcome=Outcome.CONTINUE, review_date=timezone.localdate())

    assert set(refused.value.message_dict) == {"justification", "review_date"}


def test_sign_off_is_by_a_senior_officer_who_is_not_the_author():
    assessment = _submitted()
    author_promoted = assessment.owner
    author_promoted.role = User.Role.SENIOR_OFFICER
    author_promoted.save()
    officer = UserFactory(organisation=assessment.council, role=User.Role.LEAD_OFFICER)
    other_council_senior = _senior(UserFactory(lead_officer=True).organisation)

    for who in (author_promoted, officer, other_council_senior):
        with pytest.raises(PermissionDenied):
            services.sign_off_assessment(assessment=assessment, by=who, version=None)

    senior = _senior(assessment.council)
    signed = services.sign_off_assessment(assessment=assessment, by=senior, version=None)
    assert signed.status == AssessmentStatus.SIGNED_OFF
    assert signed.signed_off_by == senior
    assert list(signed.transitions.values_list("step", flat=True)) == ["submit", "sign_off"]


def test_whoever_submitted_it_does_not_sign_it_off():
    assessment = _full(_screen(AssessmentFactory()))
    senior = _senior(assessment.council)
    services.submit_assessment(assessment=assessment, by=senior, version=None)

    with pytest.raises(PermissionDenied):
        services.sign_off_assessment(assessment=assessment, by=senior, version=None)


def test_returned_with_comments_it_can_be_changed_and_sent_again():
    assessment = _submitted()
    senior = _senior(assessment.council)

    with pytest.raises(ValidationError):
        services.return_assessment(assessment=assessment, by=senior, version=None, comments=" ")
    returned = services.return_assessment(
        assessment=assessment, by=senior, version=None, comments="Add the carers' survey."
    )

    assert returned.status == AssessmentStatus.RETURNED
    assert returned.transitions.get(step="return").comment == "Add the carers' survey."
    again = services.submit_assessment(assessment=returned, by=returned.owner, version=None)
    assert again.status == AssessmentStatus.SUBMITTED


def test_a_stale_page_changes_nothing():
    assessment = _full(_screen(AssessmentFactory()))
    opened_at = assessment.lock_version - 1

    with pytest.raises(ValidationError) as refused:
        services.submit_assessment(assessment=assessment, by=assessment.owner, version=opened_at)

    assert refused.value.code == "stale"
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_a_review_is_a_new_version_and_the_old_one_is_kept_until_it_is_signed_off():
    signed = services.sign_off_assessment(
        assessment=(submitted := _submitted()), by=_senior(submitted.council), version=None
    )
    published = services.publish_assessment(assessment=signed, by=signed.owner, version=None)

    review = services.review_assessment(assessment=published, by=published.owner, version=None)

    assert (review.number, review.version, review.status) == (published.number, 2, "draft")
    assert review.reference == f"EqIA {published.number}.2"
    assert review.judgements.filter(relevant=True).count() == 2
    assert review.review_date is None
    with pytest.raises(ValidationError):
        services.review_assessment(assessment=published, by=published.owner, version=None)
    with pytest.raises(ValidationError):
        services.record_screening(
            assessment=published,
            by=published.owner,
            version=None,
            answers={},
            outcome=ScreeningOutcome.FULL_ASSESSMENT,
            reason="",
        )

    _full(review)
    services.submit_assessment(assessment=review, by=review.owner, version=None)
    services.sign_off_assessment(assessment=review, by=_senior(review.council), version=None)

    published.refresh_from_db()
    assert published.status == AssessmentStatus.REVIEWED
    assert list(Assessment.objects.current().filter(number=published.number)) == [review]


def test_a_mitigation_becomes_an_action_of_a_plan_the_person_may_edit():
    EqualityStrandFactory(code="A", name="Age")
    assessment = _full(_screen(AssessmentFactory()))
    mitigation = services.add_mitigation(
        assessment=assessment,
        by=assessment.owner,
        version=None,
        group="age",
        wording="Keep a day centre open in each locality.",
    )
    plan = ActionPlanFactory(owner=assessment.council)
    SectionFactory(plan=plan)
    officer = assessment.owner

    with pytest.raises(ValidationError) as refused:
        services.mitigation_to_action(
            mitigation=mitigation,
            by=officer,
            version=None,
            plan=plan,
            section=None,
            owner=None,
            timescale="Q3 2026/27",
        )
    assert set(refused.value.message_dict) == {"plan"}
    assert not Action.objects.filter(plan=plan).exists()

    manager = UserFactory(organisation=assessment.council, role=User.Role.PLAN_MANAGER)
    action = services.mitigation_to_action(
        mitigation=mitigation,
        by=manager,
        version=None,
        plan=plan,
        section=None,
        owner=officer,
        timescale="Q3 2026/27",
    )

    assert action.wording == "Keep a day centre open in each locality."
    assert list(action.strands.values_list("code", flat=True)) == ["A"]
    assert action.due_date == dt.date(2026, 12, 31)
    assert action.mitigation.assessment == assessment
    with pytest.raises(ValidationError):
        services.mitigation_to_action(
            mitigation=mitigation,
            by=manager,
            version=None,
            plan=plan,
            section=None,
            owner=officer,
            timescale="Q3 2026/27",
        )


@pytest.mark.django_db(transaction=True)
def test_two_sign_offs_at_once_apply_once():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no row locks; PostgreSQL runs this test.")
    assessment = _submitted()
    seniors = [_senior(assessment.council), _senior(assessment.council)]
    outcomes = []

    def sign(senior):
        try:
            services.sign_off_assessment(
                assessment=assessment, by=senior, version=assessment.lock_version
            )
            outcomes.append("signed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=sign, args=(s,)) for s in seniors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "signed"]
    assert assessment.transitions.filter(step="sign_off").count() == 1


def test_the_audit_log_keeps_each_step_and_each_group_answered():
    from sla_monitor import audit

    assessment = _submitted()
    admin = UserFactory(organisation=assessment.council, role=User.Role.ADMIN)
    other_admin = UserFactory(
        organisation=UserFactory(lead_officer=True).organisation, role=User.Role.ADMIN
    )

    events = audit.recent_events(admin, filters=audit.Filters())
    steps = [e.what for e in events if e.kind == "assessment"]
    changes = " ".join(e.details for e in events if e.kind == audit.HISTORY)

    assert any("Submitted for sign-off" in what for what in steps)
    assert "Fewer day centre places." in changes
    assert "Most people with dementia are older." in changes
    assert not [
        e for e in audit.recent_events(other_admin, filters=audit.Filters()) if "Dementia" in e.what
    ]
