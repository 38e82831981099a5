import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from equality_plans import selectors, services
from equality_plans.models import ProgressUpdate
from tests.factories import ActionFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


# Progress ------------------------------------------------------------------------------------


def test_the_owner_records_quarterly_progress(plan, strands):
    owner = UserFactory(action_owner=True, organisation=plan.owner)
    action = ActionFactory(section=SectionFactory(plan=plan), owner=owner)

    update = services.record_progress(
        action=action,
        by=owner,
        financial_year=2015,
        quarter=2,
        rag_status="amber",
        narrative="Survey analysed; report drafted.",
    )

    assert (update.author, update.period_label, update.rag_status) == (owner, "Q2 2015/16", "amber")


def test_the_year_end_report_is_an_update_without_a_quarter(plan, manager):
    action = ActionFactory(section=SectionFactory(plan=plan))

    update = services.record_progress(
        action=action,
        by=manager,
        financial_year=2015,
        quarter=None,
        rag_status="completed",
        narrative="Delivered in full.",
    )

    assert update.is_year_end and update.period_label == "Year end 2015/16"


def test_others_cannot_record_progress_on_an_action(plan):
    action = ActionFactory(section=SectionFactory(plan=plan))
    colleague = UserFactory(action_owner=True, organisation=plan.owner)

    with pytest.raises(PermissionDenied):
        services.record_progress(
            action=action,
            by=colleague,
            financial_year=2015,
            quarter=1,
            rag_status="green",
            narrative="Not mine.",
        )


def test_a_second_update_for_the_same_quarter_is_refused(plan, manager):
    action = ActionFactory(section=SectionFactory(plan=plan))
    args = dict(action=action, by=manager, financial_year=2015, quarter=1, rag_status="green")
    services.record_progress(**args, narrative="First.")

    with pytest.raises(ValidationError, match="already has an update"):
        services.record_progress(**args, narrative="Double click.")
    assert ProgressUpdate.objects.count() == 1


def test_the_action_page_form_shows_errors_and_records_progress(plan, manager, client):
    action = ActionFactory(section=SectionFactory(plan=plan))
    client.force_login(manager)
    url = reverse("equality_plans:action_detail", args=[plan.pk, action.pk])

    invalid = client.post(url, {"period": "2015-2", "narrative": ""})
    valid = client.post(
        url, {"period": "2015-2", "rag_status": "green", "narrative": "On track."}, follow=True
    )

    html = invalid.content.decode()
    assert '<a href="#id_rag_status_0">Choose a RAG status</a>' in html
    assert '<a href="#id_narrative">Describe the progress made</a>' in html
    assert "Progress for Q2 2015/16 recorded." in valid.content.decode()
    assert action.progress_updates.get().narrative == "On track."


def test_the_plan_page_shows_progress_as_soon_as_it_is_recorded(plan, manager, client):
    action = ActionFactory(section=SectionFactory(plan=plan))
    client.force_login(manager)
    plan_url = reverse("equality_plans:plan_detail", args=[plan.pk])

    before = client.get(plan_url).content.decode()
    client.post(
        reverse("equality_plans:action_detail", args=[plan.pk, action.pk]),
        {"period": "2015-2", "rag_status": "red", "narrative": "Behind."},
    )
    after = client.get(plan_url).content.decode()

    assert "Red: <strong>0</strong>" in before
    assert "Red: <strong>1</strong>" in after


def test_a_plan_page_is_not_shown_to_a_council_that_may_not_read_the_plan(plan, client):
    client.force_login(UserFactory(action_owner=True, organisation=plan.owner))
    assert client.get(reverse("equality_plans:plan_detail", args=[plan.pk])).status_code == 200

    client.force_login(UserFactory(action_owner=True))

    assert client.get(reverse("equality_plans:plan_detail", args=[plan.pk])).status_code == 404


def test_a_reader_sees_the_action_but_no_form_and_cannot_post(plan, client):
    action = ActionFactory(section=SectionFactory(plan=plan))
    reader = UserFactory(action_owner=True, organisation=plan.owner)
    client.force_login(reader)
    url = reverse("equality_plans:action_detail", args=[plan.pk, action.pk])

    page = client.get(url)
    post = client.post(url, {"period": "2015-2", "rag_status": "green", "narrative": "x"})

    assert page.status_code == 200
    assert "Record progress" not in page.content.decode()
    assert post.status_code == 403


# Coverage ------------------------------------------------------------------------------------


def test_strand_coverage_counts_all_for_every_strand_and_flags_the_missing(plan, strands):
    section = SectionFactory(plan=plan)
    for codes in [["D"], ["D", "R"], ["ALL"], ["CC"]]:
        action = ActionFactory(section=section)
        action.strands.set(strands[c] for c in codes)

    rows = {r.strand.code: r for r in selectors.strand_coverage(plan)}

    assert (rows["D"].direct, rows["D"].through_all, rows["D"].total) == (2, 1, 3)
    assert rows["R"].total == 2
    assert rows["SO"].total == 1
    assert "ALL" not in rows


def test_the_coverage_page_flags_characteristics_no_action_addresses(
    plan, strands, manager, client
):
    action = ActionFactory(section=SectionFactory(plan=plan))
    action.strands.set([strands["D"]])
    client.force_login(manager)

    html = client.get(reverse("equality_plans:strand_coverage", args=[plan.pk])).content.decode()

    assert html.count("Not addressed by any action") == 7  # every protected characteristic but D
