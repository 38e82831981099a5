"""The council staff's pages for equality impact assessments: each page shows what it must, puts
every refusal beside its field, and does only what the person may do."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from equality_plans import groups
from equality_plans.assessments import services
from equality_plans.models import (
    Assessment,
    AssessmentStatus,
    Impact,
    Outcome,
    ScreeningOutcome,
)
from sla_monitor.models import Notification, User
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AssessmentFactory,
    CouncilFactory,
    FundFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def council():
    return CouncilFactory()


@pytest.fixture
def writer(council):
    return UserFactory(organisation=council, role=User.Role.LEAD_OFFICER)


@pytest.fixture
def senior(council):
    return UserFactory(organisation=council, role=User.Role.SENIOR_OFFICER)


@pytest.fixture
def assessment(council, writer):
    return AssessmentFactory(council=council, owner=writer)


def _once(client) -> str:
    """The start page's once-only token, as the page gives it."""
    return client.get(reverse("equality_plans:assessment_start")).context["form"]["once"].value()


def url(name, assessment, *args):
    return reverse(f"equality_plans:{name}", args=[assessment.pk, *args])


def _screening_data(assessment, relevant=("age", "disability"), **changes):
    data = {
        "version": assessment.lock_version,
        "screening_outcome": ScreeningOutcome.FULL_ASSESSMENT,
        "screening_reason": "",
    }
    for judgement in assessment.judgements.all():
        chosen = judgement.group in relevant
        data[f"relevant-{judgement.group}"] = "yes" if chosen else "no"
        data[f"why-{judgement.group}"] = "Most people with dementia are older." if chosen else ""
    return data | changes


def _full_data(assessment, **changes):
    review = timezone.localdate() + dt.timedelta(days=365)
    data = {
        "version": assessment.lock_version,
        "evidence": "Census 2021 and the service's own returns.",
        "consultation": "Two listening events with carers.",
        "outcome": Outcome.ADJUST,
        "justification": "",
        "review_date_day": review.day,
        "review_date_month": review.month,
        "review_date_year": review.year,
    }
    for judgement in assessment.judgements.filter(relevant=True):
        data[f"impact-{judgement.group}"] = Impact.NEGATIVE
        data[f"explanation-{judgement.group}"] = "Fewer day centre places."
    return data | changes


def _complete(assessment):
    """Screened (age and disability relevant) and fully assessed, through the services."""
    answers = {
        j.group: (j.group in ("age", "disability"), "Relevant." if j.group != "race" else "")
        for j in assessment.judgements.all()
    }
    assessment = services.record_screening(
        assessment=assessment,
        by=assessment.owner,
        version=assessment.lock_version,
        answers=answers,
        outcome=ScreeningOutcome.FULL_ASSESSMENT,
        reason="",
    )
    return services.record_full_assessment(
        assessment=assessment,
        by=assessment.owner,
        version=assessment.lock_version,
        evidence="Census 2021.",
        consultation="Two listening events.",
        impacts={
            j.group: (Impact.NEGATIVE, "Fewer places.")
            for j in assessment.judgements.filter(relevant=True)
        },
        outcome=Outcome.ADJUST,
        justification="",
        review_date=timezone.localdate() + dt.timedelta(days=365),
    )


def _errors_beside(response, field_id):
    """The error paragraph the field template puts beside the field with this id."""
    return f'id="{field_id}_error"' in response.content.decode()


# The pages render for a writer ---------------------------------------------------------------


def test_every_page_renders_for_a_writer(client, writer, assessment):
    assessment = _complete(assessment)
    client.force_login(writer)
    pages = [
        reverse("equality_plans:assessment_list"),
        reverse("equality_plans:assessment_start"),
        url("assessment_detail", assessment),
        url("assessment_details", assessment),
        url("assessment_screening", assessment),
        url("assessment_full", assessment),
        url("assessment_mitigations", assessment),
        url("assessment_evidence", assessment),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert response.content.decode().count("<h1") == 1, page


def test_the_plan_list_links_to_the_assessments(client, writer):
    client.force_login(writer)

    response = client.get(reverse("equality_plans:plan_list"))

    assert reverse("equality_plans:assessment_list") in response.content.decode()


def test_a_writer_starts_an_assessment_of_a_plan_action_called_for_by_another(
    client, council, writer
):
    plan = ActionPlanFactory(owner=council)
    manager = UserFactory(organisation=council, role=User.Role.PLAN_MANAGER)
    assessed = ActionFactory(section__plan=plan, wording="Close a centre")
    calling = ActionFactory(section__plan=plan, wording="Assess closures")
    client.force_login(manager)

    response = client.post(
        reverse("equality_plans:assessment_start"),
        {
            "title": "Closing the Eastfield day centre",
            "subject": "action",
            "action": assessed.pk,
            "owner": writer.pk,
            "directorate": "Adult Social Care",
            "decision": "Cabinet decides whether to close the centre.",
            "decision_date_day": "3",
            "decision_date_month": "9",
            "decision_date_year": "2026",
            "called_for_by": [calling.pk],
            "once": _once(client),
        },
    )

    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("assessment_screening", assessment)
    assert assessment.action == assessed
    assert list(assessment.called_for_by.all()) == [calling]
    assert assessment.decision_date == dt.date(2026, 9, 3)


def test_starting_shows_the_services_refusals_beside_the_fields(client, writer):
    client.force_login(writer)

    response = client.post(
        reverse("equality_plans:assessment_start"), {"subject": "fund", "once": _once(client)}
    )

    assert response.status_code == 200
    assert "Enter what is assessed." in response.content.decode()
    assert _errors_beside(response, "id_title")
    assert _errors_beside(response, "id_fund")
    assert _errors_beside(response, "id_owner")
    assert not Assessment.objects.exists()


def test_another_councils_fund_cannot_be_chosen(client, writer):
    theirs = FundFactory()
    client.force_login(writer)

    response = client.get(reverse("equality_plans:assessment_start"))

    assert theirs.name not in response.content.decode()


# Errors beside their fields ------------------------------------------------------------------


def test_screening_with_a_missing_answer_says_so_beside_that_group(client, writer, assessment):
    client.force_login(writer)
    data = _screening_data(assessment)
    del data["relevant-race"]
    data["why-age"] = ""

    response = client.post(url("assessment_screening", assessment), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Say whether the assessment is relevant to race." in page
    assert _errors_beside(response, "id_relevant-race")
    assert _errors_beside(response, "id_why-age")
    # The error summary links to the first radio of the group's question.
    assert 'href="#id_relevant-race_0"' in page
    assessment.refresh_from_db()
    assert assessment.screening_outcome == ""


def test_screening_saved_leads_to_the_full_assessment(client, writer, assessment):
    client.force_login(writer)

    response = client.post(url("assessment_screening", assessment), _screening_data(assessment))

    assert response["Location"] == url("assessment_full", assessment)
    assessment.refresh_from_db()
    assert assessment.is_full
    assert assessment.judgements.get(group="age").relevant is True


def test_no_full_assessment_needs_a_reason_beside_it(client, writer, assessment):
    client.force_login(writer)
    data = _screening_data(
        assessment, relevant=(), screening_outcome=ScreeningOutcome.NO_FULL_ASSESSMENT
    )

    response = client.post(url("assessment_screening", assessment), data)

    assert _errors_beside(response, "id_screening_reason")


def _screened(client, writer, assessment):
    client.force_login(writer)
    client.post(url("assessment_screening", assessment), _screening_data(assessment))
    assessment.refresh_from_db()
    return assessment


def test_the_full_assessment_missing_a_relevant_groups_impact_says_so_beside_it(
    client, writer, assessment
):
    assessment = _screened(client, writer, assessment)
    data = _full_data(assessment)
    del data["impact-disability"]

    response = client.post(url("assessment_full", assessment), data)

    assert response.status_code == 200
    assert "Choose the likely impact on disability." in response.content.decode()
    assert _errors_beside(response, "id_impact-disability")
    assessment.refresh_from_db()
    assert assessment.evidence == ""


def test_continuing_despite_adverse_impact_needs_a_justification(client, writer, assessment):
    assessment = _screened(client, writer, assessment)

    response = client.post(
        url("assessment_full", assessment), _full_data(assessment, outcome=Outcome.CONTINUE)
    )

    assert "Give the justification for continuing despite the adverse impact." in (
        response.content.decode()
    )
    assert _errors_beside(response, "id_justification")


def test_a_review_date_in_the_past_is_refused_beside_it(client, writer, assessment):
    assessment = _screened(client, writer, assessment)
    past = timezone.localdate() - dt.timedelta(days=1)

    response = client.post(
        url("assessment_full", assessment),
        _full_data(
            assessment,
            review_date_day=past.day,
            review_date_month=past.month,
            review_date_year=past.year,
        ),
    )

    assert "The review date must be in the future." in response.content.decode()
    assert _errors_beside(response, "id_review_date")


def test_the_full_assessment_lists_only_the_groups_screened_relevant(client, writer, assessment):
    assessment = _screened(client, writer, assessment)

    page = client.get(url("assessment_full", assessment)).content.decode()

    assert 'name="impact-age"' in page
    assert 'name="impact-race"' not in page


# Who may see and do what ---------------------------------------------------------------------


def test_another_councils_assessment_is_not_found(client, assessment):
    stranger = UserFactory(lead_officer=True)
    client.force_login(stranger)

    for name in ("assessment_detail", "assessment_screening", "assessment_evidence"):
        assert client.get(url(name, assessment)).status_code == 404, name
    assert client.post(url("assessment_submit", assessment), {"version": 1}).status_code == 404


def test_a_provider_is_refused_every_assessment_page(client, assessment):
    client.force_login(UserFactory())

    assert client.get(reverse("equality_plans:assessment_list")).status_code == 403
    assert client.get(url("assessment_detail", assessment)).status_code == 403
    assert client.get(reverse("equality_plans:assessment_start")).status_code == 403


def test_an_action_owner_reads_an_assessment_but_cannot_change_it(client, council, assessment):
    owner = UserFactory(organisation=council, role=User.Role.ACTION_OWNER)
    client.force_login(owner)

    assert client.get(url("assessment_detail", assessment)).status_code == 200
    page = client.get(reverse("equality_plans:assessment_list")).content.decode()
    assert "Start an assessment" not in page
    assert assessment.reference in page
    response = client.post(url("assessment_screening", assessment), _screening_data(assessment))
    assert response.status_code == 403
    response = client.post(
        url("assessment_mitigations", assessment),
        {"version": assessment.lock_version, "wording": "More places."},
    )
    assert response.status_code == 403
    assert not assessment.mitigations.exists()


def test_a_stale_page_is_refused_with_a_message_and_changes_nothing(client, writer, assessment):
    client.force_login(writer)
    stale = _screening_data(assessment)
    client.post(url("assessment_screening", assessment), stale)
    assessment.refresh_from_db()
    saved_version = assessment.lock_version

    changed = stale | {"screening_outcome": ScreeningOutcome.NO_FULL_ASSESSMENT}
    changed["screening_reason"] = "No group is affected."
    response = client.post(url("assessment_screening", assessment), changed, follow=True)

    assert response.status_code == 200
    assert "changed by someone else since you opened it" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.lock_version == saved_version
    assert assessment.is_full


def test_a_step_sent_twice_is_refused_with_a_message(client, writer, assessment):
    assessment = _complete(assessment)
    client.force_login(writer)
    data = {"version": assessment.lock_version}

    client.post(url("assessment_submit", assessment), data)
    response = client.post(url("assessment_submit", assessment), data, follow=True)

    assert response.status_code == 200
    assert "changed by someone else since you opened it" in response.content.decode()
    assert assessment.transitions.filter(step="submit").count() == 1


def test_a_step_without_its_version_is_refused(client, writer, assessment):
    assessment = _complete(assessment)
    client.force_login(writer)

    response = client.post(url("assessment_submit", assessment), {}, follow=True)

    assert response.status_code == 200
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_a_senior_officer_who_wrote_it_cannot_sign_it_off(client, council, senior):
    assessment = _complete(AssessmentFactory(council=council, owner=senior))
    services.submit_assessment(assessment=assessment, by=senior, version=assessment.lock_version)
    assessment.refresh_from_db()
    client.force_login(senior)

    detail = client.get(url("assessment_detail", assessment)).content.decode()
    page = client.get(url("assessment_signoff", assessment))
    posted = client.post(
        url("assessment_signoff", assessment),
        {"version": assessment.lock_version, "decision": "sign_off"},
    )

    assert "so another senior officer of the council signs it off" in detail
    assert url("assessment_signoff", assessment) not in detail
    assert page.status_code == 200
    assert "Sign it off" not in page.content.decode()
    assert posted.status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_a_lead_officer_cannot_open_the_sign_off_page(client, writer, assessment):
    assessment = _complete(assessment)
    services.submit_assessment(assessment=assessment, by=writer, version=assessment.lock_version)
    client.force_login(writer)

    assert client.get(url("assessment_signoff", assessment)).status_code == 403


# The whole lifecycle through the pages -------------------------------------------------------


def test_problems_before_submission_link_to_the_page_that_fixes_them(client, writer, assessment):
    client.force_login(writer)

    page = client.get(url("assessment_detail", assessment)).content.decode()

    assert "Complete the screening." in page
    assert f'href="{url("assessment_screening", assessment)}"' in page
    assert url("assessment_submit", assessment) not in page


def test_submit_sign_off_publish_and_review_through_the_pages(
    client, council, writer, senior, assessment, django_capture_on_commit_callbacks
):
    assessment = _complete(assessment)
    client.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("assessment_submit", assessment), {"version": assessment.lock_version}
        )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    told = Notification.objects.get(recipient=senior)
    assert told.kind == Notification.Kind.ASSESSMENT_TO_SIGN_OFF
    assert told.link == url("assessment_detail", assessment)
    assert [m.to for m in mail.outbox] == [[senior.email]]

    client.force_login(senior)
    refused = client.post(
        url("assessment_signoff", assessment),
        {"version": assessment.lock_version, "decision": "return", "comments": ""},
    )
    assert refused.status_code == 200
    assert _errors_beside(refused, "id_comments")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("assessment_signoff", assessment),
            {
                "version": assessment.lock_version,
                "decision": "return",
                "comments": "Add the views of carers.",
            },
        )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED
    returned = Notification.objects.get(recipient=writer)
    assert returned.kind == Notification.Kind.ASSESSMENT_RETURNED
    assert "Add the views of carers." in mail.outbox[-1].body
    assert (
        "Add the views of carers."
        in client.get(url("assessment_detail", assessment)).content.decode()
    )

    client.force_login(writer)
    client.post(url("assessment_submit", assessment), {"version": assessment.lock_version})
    assessment.refresh_from_db()
    client.force_login(senior)
    response = client.post(
        url("assessment_signoff", assessment),
        {"version": assessment.lock_version, "decision": "sign_off", "comments": ""},
    )
    assert response["Location"] == url("assessment_detail", assessment)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    assert Notification.objects.filter(
        recipient=writer, kind=Notification.Kind.ASSESSMENT_SIGNED_OFF
    ).exists()

    client.force_login(writer)
    detail = client.get(url("assessment_detail", assessment)).content.decode()
    assert url("assessment_publish", assessment) in detail
    client.post(url("assessment_publish", assessment), {"version": assessment.lock_version})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.PUBLISHED

    response = client.post(
        url("assessment_review", assessment), {"version": assessment.lock_version}
    )
    review = Assessment.objects.get(previous=assessment)
    assert response["Location"] == url("assessment_detail", review)
    assert review.status == AssessmentStatus.DRAFT
    new_page = client.get(url("assessment_detail", review)).content.decode()
    assert f"This version reviews {assessment.reference}." in new_page
    old_page = client.get(url("assessment_detail", assessment)).content.decode()
    assert url("assessment_detail", review) in old_page
    assert url("assessment_review", assessment) not in old_page


def test_a_replaced_version_says_so(client, council, writer, senior, assessment):
    assessment = _complete(assessment)
    assessment = services.submit_assessment(
        assessment=assessment, by=writer, version=assessment.lock_version
    )
    assessment = services.sign_off_assessment(
        assessment=assessment, by=senior, version=assessment.lock_version
    )
    review = _complete(
        services.review_assessment(
            assessment=assessment, by=writer, version=assessment.lock_version
        )
    )
    review = services.submit_assessment(assessment=review, by=writer, version=review.lock_version)
    services.sign_off_assessment(assessment=review, by=senior, version=review.lock_version)
    client.force_login(writer)

    page = client.get(url("assessment_detail", assessment)).content.decode()

    assert f"This version is replaced by its review, {review.reference}." in page
    listed = client.get(reverse("equality_plans:assessment_list")).content.decode()
    assert review.reference in listed
    assert f">{assessment.reference}<" not in listed


# Mitigations ---------------------------------------------------------------------------------


def test_a_mitigation_becomes_a_plan_action_through_the_page(client, council, writer, assessment):
    assessment = _complete(assessment)
    plan = ActionPlanFactory(owner=council)
    admin = UserFactory(organisation=council, role=User.Role.ADMIN)
    mitigation = services.add_mitigation(
        assessment=assessment,
        by=writer,
        version=assessment.lock_version,
        group="disability",
        wording="Keep two accessible places at the nearest centre.",
    )
    assessment.refresh_from_db()
    client.force_login(admin)

    response = client.post(
        url("mitigation_action", assessment, mitigation.pk),
        {
            "version": assessment.lock_version,
            "plan": plan.pk,
            "section": "",
            "owner": writer.pk,
            "timescale": "Q3 2026/27",
            "lead_responsibility": "Head of Adult Social Care",
        },
    )

    assert response["Location"] == url("assessment_mitigations", assessment)
    mitigation.refresh_from_db()
    action = mitigation.action
    assert action.plan == plan
    assert action.owner == writer
    page = client.get(url("assessment_mitigations", assessment)).content.decode()
    assert reverse("equality_plans:action_detail", args=[plan.pk, action.pk]) in page


def test_a_plan_the_person_cannot_add_actions_to_is_refused_beside_the_plan(
    client, council, writer, assessment
):
    assessment = _complete(assessment)
    plan = ActionPlanFactory(owner=council)
    mitigation = services.add_mitigation(
        assessment=assessment,
        by=writer,
        version=assessment.lock_version,
        group="age",
        wording="Transport to the nearest centre.",
    )
    assessment.refresh_from_db()
    client.force_login(writer)  # a lead officer, who adds no actions to plans

    response = client.post(
        url("mitigation_action", assessment, mitigation.pk),
        {"version": assessment.lock_version, "plan": plan.pk, "timescale": "Q3 2026/27"},
    )

    assert response.status_code == 200
    assert _errors_beside(response, "id_plan")
    assert "You may not add actions to any of the council" in response.content.decode()
    mitigation.refresh_from_db()
    assert mitigation.action is None
    assert not plan.actions.exists()


def test_mitigations_are_added_and_removed_on_their_page(client, writer, assessment):
    assessment = _complete(assessment)
    client.force_login(writer)
    page = url("assessment_mitigations", assessment)

    refused = client.post(page, {"version": assessment.lock_version, "wording": ""})
    assert _errors_beside(refused, "id_wording")
    client.post(
        page, {"version": assessment.lock_version, "group": "age", "wording": "Free transport."}
    )
    mitigation = assessment.mitigations.get()
    assessment.refresh_from_db()
    client.post(
        url("mitigation_remove", assessment, mitigation.pk), {"version": assessment.lock_version}
    )

    assert not assessment.mitigations.exists()


# Evidence files ------------------------------------------------------------------------------


def test_evidence_is_uploaded_downloaded_and_removed(
    client, writer, assessment, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(writer)
    page = url("assessment_evidence", assessment)

    client.post(
        page,
        {
            "version": assessment.lock_version,
            "file": SimpleUploadedFile("survey.pdf", PDF, content_type="application/pdf"),
        },
    )
    evidence = assessment.evidence_files.get()
    download = client.get(url("assessment_evidence_download", assessment, evidence.pk))

    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF

    stranger = UserFactory(lead_officer=True)
    client.force_login(stranger)
    assert (
        client.get(url("assessment_evidence_download", assessment, evidence.pk)).status_code == 404
    )

    client.force_login(writer)
    assessment.refresh_from_db()
    client.post(
        url("assessment_evidence_remove", assessment, evidence.pk),
        {"version": assessment.lock_version},
    )
    assert not assessment.evidence_files.exists()


def test_a_fake_evidence_file_is_refused_beside_the_file(
    client, writer, assessment, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(writer)

    response = client.post(
        url("assessment_evidence", assessment),
        {
            "version": assessment.lock_version,
            "file": SimpleUploadedFile(
                "survey.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"
            ),
        },
    )

    assert response.status_code == 200
    assert _errors_beside(response, "id_file")
    assert not assessment.evidence_files.exists()


# The list ------------------------------------------------------------------------------------


def test_the_list_filters_by_status(client, council, writer):
    draft = AssessmentFactory(council=council, owner=writer, title="Library opening hours")
    AssessmentFactory(
        council=council, owner=writer, title="Parks strategy", status=AssessmentStatus.SUBMITTED
    )
    client.force_login(writer)

    page = client.get(
        reverse("equality_plans:assessment_list"), {"status": AssessmentStatus.DRAFT}
    ).content.decode()

    assert draft.title in page
    assert "Parks strategy" not in page
    assert "Start an assessment" in page


def test_the_list_runs_as_many_queries_for_ten_assessments_as_for_two(
    client, council, writer, same_queries
):
    plan = ActionPlanFactory(owner=council)

    def add(count):
        for _n in range(count):
            action = ActionFactory(section__plan=plan)
            AssessmentFactory(council=council, owner=writer, subject="action", action=action)

    add(2)
    client.force_login(writer)

    counted = same_queries(
        lambda: client.get(reverse("equality_plans:assessment_list")), grow=lambda: add(8)
    )

    assert counted.result.content.decode().count("<tr>") == 11


def test_the_group_names_come_from_the_councils_groups(client, council, writer):
    council.assessment_groups = ["carers"]
    council.save()
    assessment = AssessmentFactory(council=council, owner=writer)
    client.force_login(writer)

    page = client.get(url("assessment_screening", assessment)).content.decode()

    assert str(groups.BY_CODE["carers"].name) in page
    assert 'name="relevant-carers"' in page


# What a careless or crafty person tried on the running pages ----------------------------------


def test_a_senior_officer_who_wrote_an_assessment_does_not_sign_it_off(
    client, council, assessment, senior
):
    """Owning or submitting it is not all that makes an author: changing what it says does."""
    _complete(assessment)
    services.record_screening(
        assessment=assessment,
        by=senior,
        version=None,
        answers={
            j.group: (j.relevant, j.relevance or "Relevant.") for j in assessment.judgements.all()
        },
        outcome=ScreeningOutcome.FULL_ASSESSMENT,
        reason="",
    )
    services.submit_assessment(assessment=assessment, by=assessment.owner, version=None)
    client.force_login(senior)

    response = client.post(
        url("assessment_signoff", assessment),
        {"version": Assessment.objects.get(pk=assessment.pk).lock_version, "decision": "sign_off"},
    )

    assert response.status_code == 403
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED


def test_a_start_sent_twice_starts_one_assessment(client, council, writer):
    client.force_login(writer)
    data = {
        "once": _once(client),
        "title": "Libraries review",
        "subject": "policy",
        "owner": writer.pk,
        "directorate": "Communities",
        "decision": "Cabinet decides the opening hours.",
    }

    first = client.post(reverse("equality_plans:assessment_start"), data)
    second = client.post(reverse("equality_plans:assessment_start"), data, follow=True)

    assert first.status_code == 302
    assert Assessment.objects.filter(council=council, title="Libraries review").count() == 1
    assert "the assessment was started once" in second.content.decode()


def test_questions_the_assessment_needs_are_not_called_optional(client, assessment, writer):
    client.force_login(writer)
    services.record_screening(
        assessment=assessment,
        by=writer,
        version=None,
        answers={j.group: (j.group == "age", "Older people.") for j in assessment.judgements.all()},
        outcome=ScreeningOutcome.FULL_ASSESSMENT,
        reason="",
    )

    for page in ("assessment_screening", "assessment_full"):
        html = client.get(url(page, assessment)).content.decode()
        assert "(optional)" not in html, page
    for page in (url("assessment_details", assessment), reverse("equality_plans:assessment_start")):
        html = client.get(page).content.decode()
        assert "Date of the decision (optional)" in html
        assert "Lead directorate (optional)" not in html


def test_a_mitigation_is_for_a_group_screened_relevant(client, assessment, writer):
    _complete(assessment)
    client.force_login(writer)

    form = client.get(url("assessment_mitigations", assessment)).context["form"]

    assert [code for code, _ in form.fields["group"].choices] == ["", "age", "disability"]


def test_a_change_sent_after_submission_is_told_it_can_no_longer_change(client, assessment, writer):
    _complete(assessment)
    opened_at = Assessment.objects.get(pk=assessment.pk).lock_version
    services.submit_assessment(assessment=assessment, by=writer, version=None)
    client.force_login(writer)

    response = client.post(
        url("assessment_mitigations", assessment),
        {"version": opened_at, "group": "age", "wording": "Day centres stay open."},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("assessment_detail", assessment)
    assert "it can no longer be changed" in response.content.decode()
    assert not assessment.mitigations.exists()


def test_removing_a_mitigation_twice_says_it_is_gone(client, assessment, writer):
    mitigation = services.add_mitigation(
        assessment=assessment, by=writer, version=None, group="", wording="Respite care."
    )
    client.force_login(writer)
    version = Assessment.objects.get(pk=assessment.pk).lock_version

    client.post(url("mitigation_remove", assessment, mitigation.pk), {"version": version})
    again = client.post(
        url("mitigation_remove", assessment, mitigation.pk), {"version": version}, follow=True
    )

    assert again.status_code == 200
    assert "That mitigation was removed already." in again.content.decode()


def test_a_review_date_years_away_and_a_decision_pages_long_are_refused(client, assessment, writer):
    _complete(assessment)
    client.force_login(writer)
    far = timezone.localdate().replace(year=timezone.localdate().year + 7)
    assessment.refresh_from_db()

    full = client.post(
        url("assessment_full", assessment),
        _full_data(
            assessment,
            review_date_day=far.day,
            review_date_month=far.month,
            review_date_year=far.year,
        ),
    )
    details = client.post(
        url("assessment_details", assessment),
        {
            "version": assessment.lock_version,
            "title": assessment.title,
            "subject": "policy",
            "owner": writer.pk,
            "directorate": "Adult Social Care",
            "decision": "word " * 2_001,
        },
    )

    assert "Review the assessment within five years" in full.content.decode()
    assert "Ensure this value has at most 10000 characters" in details.content.decode()
