"""Changing an agreement after it is set up: what nothing depends on yet, by the funder's lead
officers, all or nothing, never over someone else's change, every change in the audit log."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grants import selectors, services
from grants.models import Agreement, IndicatorAnswer, PaymentInstalment, PerformanceIndicator
from grants.services.agreements import agreement_version, edit_field
from sla_monitor.models import User
from tests.factories import QuarterlyReturnFactory, ReportingPeriodFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(funded):
    services.set_up_agreement(agreement=funded.agreement)
    funded.agreement.refresh_from_db()
    return funded.agreement


@pytest.fixture
def council_admin(funded):
    return UserFactory(
        role=User.Role.ADMIN, organisation=funded.agreement.funder, username="counciladmin"
    )


def _url(agreement):
    return reverse("grants:edit_agreement", args=[agreement.pk])


def _form_data(agreement, **overrides) -> dict:
    """The page's form as it opens, with `overrides` typed in."""
    agreement.refresh_from_db()
    parts = selectors.agreement_for_editing(agreement)
    data = {
        "version": agreement_version(agreement),
        "title": agreement.title,
        "purpose": agreement.purpose,
        "award_date": agreement.award_date.isoformat() if agreement.award_date else "",
        "department": agreement.department,
        "lead_officer": str(agreement.lead_officer_id or ""),
        "objectives": "\n".join(o.text for o in agreement.objectives.all()),
        "requirements": "\n".join(r.text for r in agreement.requirements.all()),
    }
    for i in parts["indicators"]:
        if i.editable:
            data[edit_field("indicator", i.pk, "wording")] = i.wording
            data[edit_field("indicator", i.pk, "unit")] = i.unit
            data[edit_field("indicator", i.pk, "target")] = "" if i.target is None else i.target
            data[edit_field("indicator", i.pk, "amber_tolerance")] = i.amber_tolerance
    for i in parts["instalments"]:
        if i.editable:
            data[edit_field("instalment", i.pk, "amount")] = i.amount
            data[edit_field("instalment", i.pk, "due_date")] = i.due_date.isoformat()
            data[edit_field("instalment", i.pk, "depends_on_period")] = i.depends_on_period_id or ""
    data.update(overrides)
    return data


def _changes(agreement, **overrides) -> dict:
    """The service's arguments for the agreement as it is, with `overrides`."""
    agreement.refresh_from_db()
    parts = selectors.agreement_for_editing(agreement)
    changes = {
        "version": agreement_version(agreement),
        "details": {
            "title": agreement.title,
            "purpose": agreement.purpose,
            "award_date": agreement.award_date,
            "department": agreement.department,
            "lead_officer": agreement.lead_officer,
        },
        "objectives": [o.text for o in agreement.objectives.all()],
        "requirements": [r.text for r in agreement.requirements.all()],
        "indicators": {
            i.pk: {
                "wording": i.wording,
                "unit": i.unit,
                "target": i.target,
                "amber_tolerance": i.amber_tolerance,
            }
            for i in parts["indicators"]
            if i.editable
        },
        "instalments": {
            i.pk: {
                "amount": i.amount,
                "due_date": i.due_date,
                "depends_on_period": i.depends_on_period,
            }
            for i in parts["instalments"]
            if i.editable
        },
    }
    changes.update(overrides)
    return changes


def _history(record) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(record)),
            object_id=record.pk,
            action=LogEntry.Action.UPDATE,
        ).order_by("pk")
    )


def _answer(funded, indicator):
    period = ReportingPeriodFactory(financial_year=2025, quarter=1)
    quarterly_return = QuarterlyReturnFactory(agreement=funded.agreement, period=period)
    IndicatorAnswer.objects.create(
        quarterly_return=quarterly_return, indicator=indicator, actual_value=Decimal("4")
    )


# Who changes an agreement --------------------------------------------------------------------


def test_the_lead_officer_changes_the_title_and_award_date_and_both_are_audited(
    funded, agreement, client
):
    client.force_login(funded.officer)
    response = client.post(
        _url(agreement),
        _form_data(agreement, title="Community cohesion 2025-29", award_date="2025-03-14"),
        follow=True,
    )

    assert response.redirect_chain == [
        (reverse("grants:agreement_detail", args=[agreement.pk]), 302)
    ]
    assert f"Your changes to {agreement.reference} were saved." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.title == "Community cohesion 2025-29"
    assert agreement.award_date == dt.date(2025, 3, 14)
    [entry] = _history(agreement)
    assert entry.actor == funded.officer
    assert entry.changes_dict["title"][1] == "Community cohesion 2025-29"
    assert entry.changes_dict["title"][0].startswith("Service Specification")
    assert entry.changes_dict["award_date"] == [None, "2025-03-14"]


def test_an_administrator_of_the_council_changes_the_agreement(agreement, council_admin):
    services.edit_agreement(
        agreement=agreement,
        by=council_admin,
        **_changes(agreement, details={**_changes(agreement)["details"], "department": "Housing"}),
    )

    agreement.refresh_from_db()
    assert agreement.department == "Housing"
    assert _history(agreement)[-1].actor == council_admin


def test_another_lead_officer_of_the_council_changes_it_as_every_funder_step_allows(
    funded, agreement, client
):
    # The house lets every lead officer of the funding council act for it (review, release,
    # import, publish), not only the officer an agreement names: changing it is the same.
    colleague = UserFactory(lead_officer=True, organisation=agreement.funder)
    client.force_login(colleague)

    response = client.post(_url(agreement), _form_data(agreement, department="Communities"))

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.department == "Communities"


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_provider_user", 404), ("other_officer", 404), ("provider_user", 403)],
)
def test_others_do_not_change_it(funded, agreement, client, who, status):
    """Another provider and another council do not learn the agreement exists; its own provider
    reads it, but is refused."""
    client.force_login(getattr(funded, who))
    before = agreement.title

    assert client.get(_url(agreement)).status_code == status
    assert client.post(_url(agreement), _form_data(agreement, title="Taken")).status_code == status
    agreement.refresh_from_db()
    assert agreement.title == before


def test_the_service_refuses_someone_without_the_right(funded, agreement):
    with pytest.raises(PermissionDenied):
        services.edit_agreement(agreement=agreement, by=funded.provider_user, **_changes(agreement))


def test_the_agreement_page_links_to_the_edit_page_only_for_those_who_may(
    funded, agreement, client
):
    link = f'href="{_url(agreement)}"'
    client.force_login(funded.officer)
    assert (
        link in client.get(reverse("grants:agreement_detail", args=[agreement.pk])).content.decode()
    )
    client.force_login(funded.provider_user)
    assert (
        link
        not in client.get(reverse("grants:agreement_detail", args=[agreement.pk])).content.decode()
    )


def test_the_lead_officer_is_one_of_the_funding_council(funded, agreement):
    with pytest.raises(ValidationError) as refused:
        services.edit_agreement(
            agreement=agreement,
            by=funded.officer,
            **_changes(
                agreement,
                details={**_changes(agreement)["details"], "lead_officer": funded.other_officer},
            ),
        )

    assert "lead_officer" in refused.value.message_dict


# The page ------------------------------------------------------------------------------------


@pytest.mark.history_by_hand
def test_the_page_shows_answered_indicators_and_released_instalments_read_only(
    funded, agreement, client
):
    answered = funded.indicators["per_quarter"]
    _answer(funded, answered)
    first = agreement.instalments.get(sequence=1)
    services.release_instalment(instalment=first, by=funded.officer)
    client.force_login(funded.officer)

    response = client.get(_url(agreement))

    form = response.context["form"]
    assert edit_field("indicator", answered.pk, "wording") not in form.fields
    assert edit_field("indicator", funded.indicators["per_year"].pk, "wording") in form.fields
    assert edit_field("instalment", first.pk, "amount") not in form.fields
    assert (
        edit_field("instalment", agreement.instalments.get(sequence=2).pk, "amount") in form.fields
    )
    html = response.content.decode()
    assert "Changed through a variation" in html
    assert "Instalments already decided" in html


def test_objectives_and_requirements_are_changed_line_by_line_and_audited(funded, agreement):
    held = list(agreement.requirements.order_by("number"))

    services.edit_agreement(
        agreement=agreement,
        by=funded.officer,
        **_changes(
            agreement,
            objectives=["Reduce hate crime", "Support new arrivals"],
            requirements=[held[0].text, "Report each quarter", "Attend the forum"],
        ),
    )

    assert [o.text for o in agreement.objectives.order_by("order")] == [
        "Reduce hate crime",
        "Support new arrivals",
    ]
    assert [(r.number, r.text) for r in agreement.requirements.order_by("number")] == [
        (1, held[0].text),
        (2, "Report each quarter"),
        (3, "Attend the forum"),
    ]
    [entry] = _history(held[1])
    assert entry.changes_dict["text"] == [held[1].text, "Report each quarter"]


def test_an_unanswered_indicator_and_an_undecided_instalment_change(funded, agreement):
    indicator = funded.indicators["per_year"]
    first, second = agreement.instalments.order_by("sequence")[:2]
    changes = _changes(agreement)
    changes["indicators"][indicator.pk].update(target=Decimal("5"), unit="events")
    changes["instalments"][first.pk]["amount"] = Decimal("10000.00")
    changes["instalments"][second.pk]["amount"] = Decimal("15000.00")

    services.edit_agreement(agreement=agreement, by=funded.officer, **changes)

    indicator.refresh_from_db()
    assert (indicator.target, indicator.unit) == (Decimal("5"), "events")
    assert _history(indicator)[-1].changes_dict["target"] == ["3.00", "5"]
    assert PaymentInstalment.objects.get(pk=first.pk).amount == Decimal("10000.00")


# Refused, and nothing saved ------------------------------------------------------------------


@pytest.mark.history_by_hand
def test_an_indicator_answered_since_the_form_opened_is_refused_and_nothing_saved(
    funded, agreement, client
):
    indicator = funded.indicators["per_quarter"]
    client.force_login(funded.officer)
    data = _form_data(
        agreement,
        title="Changed title",
        **{edit_field("indicator", indicator.pk, "wording"): "Groups met"},
    )
    _answer(funded, indicator)

    response = client.post(_url(agreement), data, follow=True)

    assert response.redirect_chain == [(_url(agreement), 302)]
    html = response.content.decode()
    assert "Indicator c has been answered in a return since you opened the page" in html
    agreement.refresh_from_db()
    indicator.refresh_from_db()
    assert agreement.title != "Changed title"
    assert indicator.wording != "Groups met"
    assert _history(agreement) == []


def test_an_instalment_released_since_the_form_opened_is_refused_and_nothing_saved(
    funded, agreement
):
    first = agreement.instalments.get(sequence=1)
    changes = _changes(agreement, objectives=["Changed"])
    services.release_instalment(instalment=first, by=funded.officer)

    with pytest.raises(ValidationError) as refused:
        services.edit_agreement(agreement=agreement, by=funded.officer, **changes)

    assert "has been released since you opened the page" in " ".join(refused.value.messages)
    assert not agreement.objectives.exists()


def test_instalments_that_do_not_add_up_are_refused_beside_the_amount(funded, agreement, client):
    first = agreement.instalments.get(sequence=1)
    client.force_login(funded.officer)
    amount = edit_field("instalment", first.pk, "amount")

    response = client.post(
        _url(agreement), _form_data(agreement, title="Changed title", **{amount: "20000.00"})
    )

    assert response.status_code == 200
    message = (
        "The instalments add up to £107,500.00 but the total allocation is £100,000.00: make "
        "them add up."
    )
    assert response.context["form"].errors[amount] == [message]
    html = response.content.decode()
    assert f'<a href="#id_{amount}">{first.label}: {message}</a>' in html
    agreement.refresh_from_db()
    assert agreement.title != "Changed title"
    assert PaymentInstalment.objects.get(pk=first.pk).amount == Decimal("12500.00")


def test_a_due_date_outside_the_agreement_is_refused_beside_it(funded, agreement):
    first = agreement.instalments.get(sequence=1)
    changes = _changes(agreement)
    changes["instalments"][first.pk]["due_date"] = dt.date(2030, 1, 1)

    with pytest.raises(ValidationError) as refused:
        services.edit_agreement(agreement=agreement, by=funded.officer, **changes)

    assert list(refused.value.message_dict) == [edit_field("instalment", first.pk, "due_date")]


def test_a_form_opened_before_someone_elses_change_is_refused(
    funded, agreement, council_admin, client
):
    client.force_login(funded.officer)
    stale = _form_data(agreement, title="Officer's title")
    services.edit_agreement(
        agreement=agreement,
        by=council_admin,
        **_changes(agreement, details={**_changes(agreement)["details"], "title": "Admin's title"}),
    )

    response = client.post(_url(agreement), stale, follow=True)

    assert (
        "This agreement was changed by someone else since you opened the page"
        in response.content.decode()
    )
    agreement.refresh_from_db()
    assert agreement.title == "Admin's title"


def test_a_change_of_an_indicator_alone_moves_the_version_on(funded, agreement):
    indicator = funded.indicators["per_year"]
    changes = _changes(agreement)
    changes["indicators"][indicator.pk]["wording"] = "Events held"

    services.edit_agreement(agreement=agreement, by=funded.officer, **changes)

    with pytest.raises(ValidationError, match="changed by someone else"):
        services.edit_agreement(
            agreement=agreement,
            by=funded.officer,
            **_changes(agreement, version=changes["version"]),
        )


def test_an_invalid_indicator_refuses_every_other_change(funded, agreement):
    count = funded.indicators["per_year"]
    changes = _changes(agreement, objectives=["Never saved"])
    changes["indicators"][count.pk]["target"] = Decimal("2.5")
    changes["details"]["title"] = "Never saved either"

    with pytest.raises(ValidationError) as refused:
        services.edit_agreement(agreement=agreement, by=funded.officer, **changes)

    assert refused.value.message_dict == {
        edit_field("indicator", count.pk, "target"): ["A count's target is a whole number, like 3."]
    }
    agreement.refresh_from_db()
    assert agreement.title != "Never saved either"
    assert not agreement.objectives.exists()
    assert PerformanceIndicator.objects.get(pk=count.pk).target == Decimal("3")
    assert _history(agreement) == []


def test_an_answered_requirement_is_not_removed(funded, agreement):
    quarterly_return = funded.complete(funded.start())
    assert quarterly_return.requirement_answers.exists()

    with pytest.raises(ValidationError) as refused:
        services.edit_agreement(
            agreement=agreement, by=funded.officer, **_changes(agreement, requirements=["One"])
        )

    assert "requirements" in refused.value.message_dict
    assert agreement.requirements.count() == 2


def test_a_published_grant_keeps_its_award_date(funded, agreement):
    Agreement.objects.filter(pk=agreement.pk).update(
        published=True, award_date=dt.date(2025, 3, 1), purpose="Cohesion work."
    )
    changes = _changes(agreement)
    changes["details"]["award_date"] = None

    with pytest.raises(ValidationError) as refused:
        services.edit_agreement(agreement=agreement, by=funded.officer, **changes)

    assert "award_date" in refused.value.message_dict
