"""A plan's, its sections' and its actions' wording, and an assessment's, in Welsh and English."""

import pytest
from django.urls import reverse
from django.utils import translation

from equality_plans.assessments import services
from equality_plans.models import Action, ActionPlan, Assessment, Section
from sla_monitor.models import Organisation, User
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AssessmentFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _reads_welsh(person):
    """The person's council offers Welsh, and the person chooses it for their pages."""
    Organisation.objects.filter(pk=person.organisation_id).update(welsh_offer=True)
    User.objects.filter(pk=person.pk).update(language="cy")


def _plan_with(count: int):
    plan = ActionPlanFactory(title="Equality Plan")
    ActionPlan.objects.filter(pk=plan.pk).update(title_cy="Cynllun Cydraddoldeb")
    owner = UserFactory(action_owner=True, organisation=plan.owner)
    section = SectionFactory(plan=plan, title="Staff")
    for n in range(count):
        ActionFactory(section=section, number=str(n + 1), order=n, wording="Train the staff")
    return plan, owner, section


def test_the_plan_page_shows_the_plan_sections_and_actions_in_welsh(client):
    plan, owner, section = _plan_with(2)
    Section.objects.filter(pk=section.pk).update(title_cy="Staff y cyngor")
    Action.objects.filter(plan=plan, number="1").update(wording_cy="Hyfforddi'r staff")
    _reads_welsh(owner)
    client.force_login(owner)

    page = client.get(reverse("equality_plans:plan_detail", args=[plan.pk])).content.decode()

    assert "<h1>Cynllun Cydraddoldeb</h1>" in page
    assert "Staff y cyngor" in page
    assert "Hyfforddi&#x27;r staff" in page
    # Action 2 has no Welsh: its English is marked as such.
    assert '<span lang="en">Train the staff</span>' in page


def test_the_action_page_shows_its_wording_in_english_marked_where_there_is_no_welsh(client):
    plan, owner, _ = _plan_with(1)
    action = plan.actions.get()
    _reads_welsh(owner)
    client.force_login(owner)

    page = client.get(
        reverse("equality_plans:action_detail", args=[plan.pk, action.pk])
    ).content.decode()
    with translation.override("cy"):
        note = translation.gettext("Only in English")

    marked = (
        '<span lang="en">Train the staff</span> <small class="text-body-secondary written-note">'
    )
    assert f"{marked}({note})</small>" in page


def test_the_assessment_page_shows_its_title_and_decision_in_welsh(client):
    assessment = AssessmentFactory()
    Assessment.objects.filter(pk=assessment.pk).update(
        title_cy="Strategaeth dementia", decision_cy="Mabwysiadu'r strategaeth"
    )
    _reads_welsh(assessment.owner)
    client.force_login(assessment.owner)

    page = client.get(
        reverse("equality_plans:assessment_detail", args=[assessment.pk])
    ).content.decode()

    assert "<h1>Strategaeth dementia</h1>" in page
    assert "Mabwysiadu&#x27;r strategaeth" in page


def test_the_plan_page_runs_the_same_queries_with_welsh_text_as_without(client, same_queries):
    plan, owner, section = _plan_with(5)
    _reads_welsh(owner)
    client.force_login(owner)
    url = reverse("equality_plans:plan_detail", args=[plan.pk])

    def in_welsh():
        return client.get(url)

    def write_welsh():
        Section.objects.filter(pk=section.pk).update(title_cy="Staff y cyngor")
        Action.objects.filter(plan=plan).update(wording_cy="Hyfforddi'r staff")

    counted = same_queries(in_welsh, grow=write_welsh)

    assert "Hyfforddi&#x27;r staff" in counted.result.content.decode()


def test_the_assessment_details_have_welsh_fields_only_where_the_council_offers_welsh(client):
    assessment = AssessmentFactory()
    client.force_login(assessment.owner)
    url = reverse("equality_plans:assessment_details", args=[assessment.pk])

    english_only = client.get(url).context["form"]
    assessment.council.welsh_offer = True
    assessment.council.save(update_fields=["welsh_offer"])
    both = client.get(url).context["form"]

    assert not {"title_cy", "decision_cy"} & set(english_only.fields)
    assert {"title_cy", "decision_cy"} <= set(both.fields)
    assert str(both.fields["decision_cy"].label) == "The decision it informs (Welsh)"


def test_an_assessments_details_are_saved_in_both_languages_whatever_the_writer_reads():
    assessment = AssessmentFactory()
    details = {
        "subject": assessment.subject,
        "title": "Dementia strategy",
        "title_cy": "Strategaeth dementia",
        "owner": assessment.owner,
        "directorate": assessment.directorate,
        "decision": "Cabinet adopts the strategy.",
        "decision_cy": "Y Cabinet yn mabwysiadu'r strategaeth.",
        "decision_date": None,
        "called_for_by": [],
    }

    with translation.override("cy"):
        services.update_details(
            assessment=assessment,
            by=assessment.owner,
            version=assessment.lock_version,
            details=details,
        )

    assessment.refresh_from_db()
    assert (assessment.title_en_gb, assessment.title_cy) == (
        "Dementia strategy",
        "Strategaeth dementia",
    )
    assert (assessment.decision_en_gb, assessment.decision_cy) == (
        "Cabinet adopts the strategy.",
        "Y Cabinet yn mabwysiadu'r strategaeth.",
    )


def test_the_section_filter_marks_a_section_named_only_in_english():
    from equality_plans.filters import ActionFilter

    plan = ActionPlanFactory(title="Equality Plan")
    SectionFactory(plan=plan, title="Staff")
    welsh = SectionFactory(plan=plan, title="Community")
    Section.objects.filter(pk=welsh.pk).update(title_cy="Cymuned")
    with translation.override("cy"):
        form = ActionFilter({}, queryset=Action.objects.none(), plan=plan, today=None).form
        html = str(form["section"])
    assert '<option value="{}" lang="en">'.format(plan.sections.get(title_en_gb="Staff").pk) in html
    assert ">Cymuned<" in html or "Cymuned</option>" in html
