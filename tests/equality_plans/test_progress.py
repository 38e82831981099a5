import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from equality_plans import selectors, services
from equality_plans.models import ProgressUpdate
from grants import stored as grants_stored
from grants.models import IndicatorAnswer
from sla_monitor.models import User
from tests.factories import (
    ActionFactory,
    PerformanceIndicatorFactory,
    ProgressUpdateFactory,
    QuarterlyReturnFactory,
    SectionFactory,
    UserFactory,
)

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


def test_the_action_page_runs_the_same_queries_for_few_updates_and_results_and_many(
    plan, manager, client, same_queries
):
    action = ActionFactory(section=SectionFactory(plan=plan))
    client.force_login(manager)

    def history(years) -> None:
        """A year's updates, half of them the manager's, and a funded indicator with an
        approved result, for each year."""
        for year in years:
            for quarter in (1, 2, 3, 4):
                author = manager if quarter % 2 else UserFactory(role=User.Role.PLAN_MANAGER)
                ProgressUpdateFactory(
                    action=action, financial_year=year, quarter=quarter, author=author
                )
            indicator = PerformanceIndicatorFactory()
            action.performance_indicators.add(indicator)
            IndicatorAnswer.objects.create(
                quarterly_return=QuarterlyReturnFactory(
                    agreement=indicator.agreement, approved=True
                ),
                indicator=indicator,
                actual_value=Decimal("4"),
            )
            grants_stored.refresh_agreement(indicator.agreement_id)

    history([2015])

    counted = same_queries(
        lambda: client.get(reverse("equality_plans:action_detail", args=[plan.pk, action.pk])),
        grow=lambda: history(range(2016, 2026)),
    )

    assert len(counted.result.context["history"]) == 44
    assert len(counted.result.context["funded_results"]) == 11


# Coverage ------------------------------------------------------------------------------------


NINE = [
    "Age",
    "Disability",
    "Gender reassignment",
    "Marriage and civil partnership",
    "Pregnancy and maternity",
    "Race",
    "Religion or belief",
    "Sex",
    "Sexual orientation",
]


def _tag(plan, strands, *tagging):
    section = SectionFactory(plan=plan)
    for codes in tagging:
        ActionFactory(section=section).strands.set(strands[c] for c in codes)


def test_coverage_counts_actions_naming_a_characteristic_apart_from_those_tagged_all(plan, strands):
    _tag(plan, strands, ["D"], ["D", "R"], ["ALL"], ["SE", "ALL"], ["D", "ALL"], ["CC"], [])

    coverage = selectors.strand_coverage(plan)

    rows = {row.label: row for row in coverage.characteristics}
    assert (rows["Disability"].specific, rows["Disability"].through_all) == (3, 2)
    assert (rows["Race"].specific, rows["Race"].through_all) == (1, 3)
    assert (rows["Age"].specific, rows["Age"].through_all, rows["Age"].total) == (0, 3, 3)
    assert rows["Age"].unaddressed and not rows["Race"].unaddressed
    others = {row.label: row for row in coverage.other_strands}
    assert (others["Community cohesion"].specific, others["Community cohesion"].total) == (1, 4)
    assert others["Socio-economic deprivation"].specific == 1
    assert (coverage.actions, coverage.tagged_all) == (7, 3)


def test_sex_and_gender_reassignment_are_counted_apart(plan, strands):
    _tag(plan, strands, ["G"], ["S"], ["S", "GR"])

    rows = {row.label: row for row in selectors.strand_coverage(plan).characteristics}

    assert (rows["Sex"].specific, rows["Gender reassignment"].specific) == (3, 2)
    assert rows["Sex"].codes == ["G", "S"]
    assert rows["Gender reassignment"].codes == ["G", "GR"]


def test_the_coverage_page_lists_the_nine_and_flags_those_no_action_names(
    plan, strands, manager, client
):
    _tag(plan, strands, ["D"], ["ALL"], ["G"])
    client.force_login(manager)

    response = client.get(reverse("equality_plans:strand_coverage", args=[plan.pk]))

    html = response.content.decode()
    listed = re.findall(r'<tr(?: class="table-danger")?>\s*<th scope="row">([^<]+)</th>', html)
    assert listed[:9] == NINE
    flagged = re.findall(r'<tr class="table-danger">\s*<th scope="row">([^<]+)</th>', html)
    assert flagged == [c for c in NINE if c not in ("Disability", "Gender reassignment", "Sex")]
    assert html.count("No action addresses this specifically") == 6


def test_the_coverage_page_runs_the_same_queries_however_many_actions(
    plan, strands, manager, client, same_queries
):
    client.force_login(manager)
    _tag(plan, strands, ["D"])

    same_queries(
        lambda: client.get(reverse("equality_plans:strand_coverage", args=[plan.pk])),
        grow=lambda: _tag(plan, strands, *[["R", "ALL"], ["A"], ["SO", "G"]] * 10),
    )


# Correcting an update -------------------------------------------------------------------------


def _correct_url(update):
    action = update.action
    return reverse("equality_plans:progress_correct", args=[action.plan_id, action.pk, update.pk])


@pytest.fixture
def owned_update(plan):
    owner = UserFactory(action_owner=True, organisation=plan.owner)
    action = ActionFactory(section=SectionFactory(plan=plan), owner=owner)
    return services.record_progress(
        action=action,
        by=owner,
        financial_year=2015,
        quarter=2,
        rag_status="amber",
        narrative="Survey analysed.",
    )


def test_the_author_corrects_an_update_in_the_quarter_and_the_audit_log_keeps_the_change(
    owned_update, plan, client
):
    author = owned_update.author
    client.force_login(author)
    action_url = reverse("equality_plans:action_detail", args=[plan.pk, owned_update.action.pk])

    link = client.get(action_url).content.decode()
    response = client.post(
        _correct_url(owned_update),
        {"rag_status": "green", "narrative": "Survey analysed and reported to the Board."},
        follow=True,
    )

    assert f'href="{_correct_url(owned_update)}">Correct' in link
    assert "The Q2 2015/16 update was corrected." in response.content.decode()
    owned_update.refresh_from_db()
    assert owned_update.rag_status == "green"
    assert owned_update.corrected_at is not None
    client.force_login(UserFactory(superuser=True))
    log = client.get(reverse("oversight:audit_log"), {"kind": "history"}).context["events"]
    change = next(e for e in log if "progress update" in e.what)
    assert change.who == author
    assert "Rag status: Amber → Green" in change.details
    assert "Narrative: Survey analysed. → Survey analysed and reported to the Board." in (
        change.details
    )


def test_nobody_but_the_author_may_correct_an_update(owned_update, plan, manager, client):
    other_council = UserFactory(action_owner=True)

    client.force_login(manager)
    page = client.get(
        reverse("equality_plans:action_detail", args=[plan.pk, owned_update.action.pk])
    )
    by_manager = client.post(_correct_url(owned_update), {"rag_status": "red", "narrative": "x"})
    client.force_login(other_council)
    by_other_council = client.get(_correct_url(owned_update))

    assert _correct_url(owned_update) not in page.content.decode()
    assert by_manager.status_code == 403
    assert by_other_council.status_code == 404
    with pytest.raises(PermissionDenied):
        services.correct_progress(update=owned_update, by=manager, rag_status="red", narrative="x")
    owned_update.refresh_from_db()
    assert (owned_update.rag_status, owned_update.corrected_at) == ("amber", None)


def test_after_the_quarter_it_was_written_in_an_update_can_no_longer_be_corrected(
    owned_update, plan, client
):
    # Written on the last day of a quarter that has since ended.
    ProgressUpdate.objects.filter(pk=owned_update.pk).update(
        created_at=dt.datetime(2025, 12, 31, 17, 0, tzinfo=dt.UTC)
    )
    client.force_login(owned_update.author)
    action_url = reverse("equality_plans:action_detail", args=[plan.pk, owned_update.action.pk])

    page = client.get(action_url).content.decode()
    refused = client.post(
        _correct_url(owned_update), {"rag_status": "green", "narrative": "Late."}, follow=True
    )

    assert _correct_url(owned_update) not in page
    assert refused.redirect_chain == [(action_url, 302)]
    assert (
        "The Q2 2015/16 update can no longer be corrected: an update can be corrected until the "
        "end of the quarter in which it was written, and this one&#x27;s ended on "
        "31 December 2025."
    ) in refused.content.decode()
    owned_update.refresh_from_db()
    assert (owned_update.rag_status, owned_update.narrative) == ("amber", "Survey analysed.")
    with pytest.raises(ValidationError, match="can no longer be corrected"):
        services.correct_progress(
            update=owned_update, by=owned_update.author, rag_status="green", narrative="Late."
        )


def test_a_correction_without_words_is_refused_beside_the_box(owned_update, client):
    client.force_login(owned_update.author)

    response = client.post(_correct_url(owned_update), {"rag_status": "green", "narrative": " "})

    assert '<a href="#id_narrative">Describe the progress made</a>' in response.content.decode()
    owned_update.refresh_from_db()
    assert owned_update.rag_status == "amber"
