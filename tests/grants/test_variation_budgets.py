"""A variation that changes the money: a year's budget lines set by the variation and applied when
the provider accepts it, the lines that spend was given against kept, a warning where a year's
lines no longer add up to its allocation; and the new reporting frequency drafted on the form."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants import selectors, services
from grants.models import (
    BudgetHeading,
    BudgetLine,
    PaymentInstalment,
    ReportingPeriod,
    SpendAnswer,
    Variation,
)
from grants.services import variations
from sla_monitor.models import User
from tests.factories import BudgetLineFactory, UserFactory
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db

STAFF, RUNNING, ACTIVITIES, OWN = (
    BudgetLine.Heading.STAFF,
    BudgetLine.Heading.RUNNING_COSTS,
    BudgetLine.Heading.ACTIVITIES,
    BudgetLine.Heading.OWN,
)


@pytest.fixture
def budgeted(funded):
    """The funded agreement (£100,000 over four years, £25,000 a year in two instalments, none
    waiting for a return), a council administrator to approve, and a 2025/26 budget of £20,000
    staff and £5,000 activities (events)."""
    services.create_instalment_schedule(agreement=funded.agreement)
    PaymentInstalment.objects.filter(agreement=funded.agreement).update(depends_on_period=None)
    funded.admin = UserFactory(
        organisation=funded.agreement.funder, role=User.Role.ADMIN, username="council_admin"
    )
    funded.staff = BudgetLineFactory(
        agreement=funded.agreement, heading=STAFF, amount=Decimal("20000.00")
    )
    funded.events = BudgetLineFactory(
        agreement=funded.agreement, heading=ACTIVITIES, label="Events", amount=Decimal("5000.00")
    )
    return funded


def _period(year, quarter):
    return ReportingPeriod.objects.get(financial_year=year, quarter=quarter)


def _line(heading, amount, label="", year=2025, own=None):
    return {
        "financial_year": year,
        "heading": heading,
        "own_heading": own,
        "label": label,
        "amount": amount,
    }


def _draft(funded, budget_lines, **terms):
    values = {
        "reason": "The events move online; the money goes to a part-time worker.",
        "takes_effect_from": _period(2025, 3),
        **terms,
    }
    return variations.draft_variation(
        agreement=funded.agreement, by=funded.officer, terms=values, budget_lines=budget_lines
    )


def _applied(funded, variation):
    variation = variations.submit_variation(variation=variation, by=funded.officer)
    variation = variations.approve_variation(variation=variation, by=funded.admin)
    return variations.accept_variation(variation=variation, by=funded.provider_user)


def _lines(funded, year=2025):
    return [
        (line.name, line.amount)
        for line in BudgetLine.objects.filter(
            agreement=funded.agreement, financial_year=year
        ).select_related("own_heading")
    ]


def _spend_against(funded, line, amount="9000.00"):
    quarterly_return = funded.start(quarter=1)
    return SpendAnswer.objects.create(
        quarterly_return=quarterly_return, budget_line=line, spent_to_date=Decimal(amount)
    )


# The service ---------------------------------------------------------------------------------


def test_a_variation_sets_a_years_lines_which_replace_the_years_lines_when_accepted(budgeted):
    draft = _draft(
        budgeted,
        [_line(STAFF, Decimal("23000.00")), _line(RUNNING, Decimal("2000.00"), "Online hosting")],
    )
    assert _lines(budgeted) == [("Staff", Decimal("20000.00")), ("Activities: Events", 5000)]

    _applied(budgeted, draft)

    assert _lines(budgeted) == [
        ("Staff", Decimal("23000.00")),
        ("Running costs: Online hosting", Decimal("2000.00")),
    ]
    # The staff line is the same row, so what was said against it stays with it.
    assert BudgetLine.objects.get(pk=budgeted.staff.pk).amount == Decimal("23000.00")
    assert not BudgetLine.objects.filter(pk=budgeted.events.pk).exists()
    assert _lines(budgeted, 2026) == []
    before, after = budgeted.agreement.versions.order_by("number")
    assert before.terms["budget"] == [
        {
            "year": "2025/26",
            "said": "Staff, £20,000.00; Activities: Events, £5,000.00; total £25,000.00",
        }
    ]
    assert after.terms["budget"][0]["said"] == (
        "Staff, £23,000.00; Running costs: Online hosting, £2,000.00; total £25,000.00"
    )


def test_a_line_that_spend_was_given_against_keeps_its_row_and_takes_the_new_amount(budgeted):
    said = _spend_against(budgeted, budgeted.staff)

    _applied(budgeted, _draft(budgeted, [_line(STAFF, Decimal("15000.00"))]))

    said.refresh_from_db()
    assert said.budget_line_id == budgeted.staff.pk
    assert said.budget_line.amount == Decimal("15000.00")
    assert _lines(budgeted) == [("Staff", Decimal("15000.00"))]


def test_leaving_out_a_line_that_spend_was_given_against_is_refused_when_drafted(budgeted):
    _spend_against(budgeted, budgeted.events)

    with pytest.raises(ValidationError) as refused:
        _draft(budgeted, [_line(STAFF, Decimal("25000.00"))])

    assert refused.value.message_dict["budget_lines"] == [
        "A return has given spend against Activities: Events in 2025/26, so the year's budget "
        "keeps it: give it a line here, with the same heading and label (its amount may change)"
    ]
    assert not Variation.objects.exists()


def test_spend_given_after_the_draft_stops_the_acceptance_and_nothing_applies(budgeted):
    sent = variations.submit_variation(
        variation=_draft(budgeted, [_line(STAFF, Decimal("25000.00"))]), by=budgeted.officer
    )
    approved = variations.approve_variation(variation=sent, by=budgeted.admin)
    _spend_against(budgeted, budgeted.events)

    with pytest.raises(ValidationError, match="spend against Activities: Events"):
        variations.accept_variation(variation=approved, by=budgeted.provider_user)

    assert _lines(budgeted) == [("Staff", Decimal("20000.00")), ("Activities: Events", 5000)]
    approved.refresh_from_db()
    assert approved.status == Variation.Status.AWAITING_ACCEPTANCE


@pytest.mark.parametrize(
    ("amount", "problem"),
    [
        (Decimal("-1.00"), "the amount cannot be less than £0"),
        ("a lot", "enter its amount in pounds, like 1250.50"),
        (2.5, "enter its amount in pounds, like 1250.50"),
        (Decimal("10000000000.00"), "enter an amount no bigger than £9,999,999,999.99"),
        (Decimal("1.005"), "give the amount in pounds and pence, to 2 decimal places"),
    ],
)
def test_a_budget_line_that_is_not_an_amount_of_money_is_refused_beside_the_lines(
    budgeted, amount, problem
):
    with pytest.raises(ValidationError) as refused:
        _draft(budgeted, [_line(STAFF, amount)])

    assert refused.value.message_dict["budget_lines"] == [f"Budget line Staff, 2025/26: {problem}"]
    assert not Variation.objects.exists()


def test_a_line_for_a_year_outside_the_agreement_or_already_over_is_refused(budgeted):
    heading = BudgetHeading.objects.create(council=budgeted.other_officer.organisation, name="X")
    with pytest.raises(ValidationError) as refused:
        _draft(
            budgeted,
            [
                _line(STAFF, Decimal("1.00"), year=2040),
                _line(STAFF, Decimal("1.00"), year=2025),
                _line(OWN, Decimal("1.00"), year=2026, own=heading.pk),
            ],
            takes_effect_from=_period(2026, 1),
        )

    assert refused.value.message_dict["budget_lines"] == [
        "Budget line Staff, 2040/41: the year is not one of the agreement's",
        "Budget line Staff, 2025/26: the year ended before the variation takes effect in "
        "Q1 2026/27",
        "Budget line The council's own heading, 2026/27: choose one of the council's own headings",
    ]


def test_budget_lines_alone_are_a_change_to_send_for_approval(budgeted):
    sent = variations.submit_variation(
        variation=_draft(budgeted, [_line(STAFF, Decimal("25000.00"))]), by=budgeted.officer
    )
    assert sent.status == Variation.Status.AWAITING_APPROVAL


def test_moving_a_years_allocation_away_from_its_lines_warns_and_does_not_refuse(budgeted):
    first = budgeted.agreement.instalments.order_by("sequence").first()
    services.release_instalment(instalment=first, by=budgeted.officer)
    money = {
        "new_total_allocation": Decimal("120000"),
        "changes_instalments": True,
    }
    schedule = [
        {"due_date": dt.date(2025, 10, 1), "amount": Decimal("32500")},
        {"due_date": dt.date(2026, 10, 1), "amount": Decimal("75000")},
    ]
    draft = variations.draft_variation(
        agreement=budgeted.agreement,
        by=budgeted.officer,
        terms={"reason": "More money", "takes_effect_from": _period(2025, 3), **money},
        instalments=schedule,
    )

    assert selectors.budget_warnings(selectors.variation_detail(draft)) == [
        "The 2025/26 budget lines add up to £25,000.00, but the variation makes the year's "
        "allocation £45,000.00: set the year's lines in the variation, or on the budget page "
        "once it applies"
    ]

    matched = variations.update_variation(
        variation=draft,
        by=budgeted.officer,
        version=draft.version,
        terms={},
        instalments=schedule,
        budget_lines=[_line(STAFF, Decimal("40000.00")), _line(ACTIVITIES, Decimal("5000"))],
    )
    assert selectors.budget_warnings(selectors.variation_detail(matched)) == []
    _applied(budgeted, matched)
    assert sum(amount for _name, amount in _lines(budgeted)) == Decimal("45000.00")


# Pages and the letter ------------------------------------------------------------------------

EMPTY = {
    "instalments-TOTAL_FORMS": "0",
    "instalments-INITIAL_FORMS": "0",
    "targets-TOTAL_FORMS": "0",
    "targets-INITIAL_FORMS": "0",
    "new-TOTAL_FORMS": "0",
    "new-INITIAL_FORMS": "0",
    "budget-TOTAL_FORMS": "0",
    "budget-INITIAL_FORMS": "0",
}


def _budget_rows(*rows):
    data = {"budget-TOTAL_FORMS": str(len(rows)), "budget-INITIAL_FORMS": "0"}
    for index, (year, heading, label, amount) in enumerate(rows):
        data |= {
            f"budget-{index}-financial_year": str(year),
            f"budget-{index}-heading": heading,
            f"budget-{index}-label": label,
            f"budget-{index}-amount": amount,
        }
    return data


def _form_post(client, funded, **data):
    url = reverse("grants:new_variation", args=[funded.agreement.pk])
    form = client.get(url).context["form"]
    return client.post(
        url,
        {
            **EMPTY,
            "once": form["once"].initial,
            "reason": "The events move online.",
            "takes_effect_from": _period(2025, 3).pk,
            **data,
        },
    )


def test_an_officer_sets_a_years_lines_on_the_form_and_the_page_shows_them_before_and_after(
    budgeted, client
):
    client.force_login(budgeted.officer)
    page = client.get(reverse("grants:new_variation", args=[budgeted.agreement.pk]))
    html = page.content.decode()
    assert "Budget lines" in html and 'name="budget-0-amount"' in html
    assert "2025/26: Staff, £20,000.00; Activities: Events, £5,000.00; total £25,000.00" in html

    saved = _form_post(
        client,
        budgeted,
        **_budget_rows((2025, "staff", "", "23000"), (2025, "running_costs", "Hosting", "2000")),
    )

    variation = Variation.objects.get()
    assert saved.status_code == 302 and saved.url == reverse(
        "grants:variation_detail", args=[variation.pk]
    )
    html = client.get(saved.url).content.decode()
    assert "Budget for 2025/26" in html
    assert "Staff, £20,000.00; Activities: Events, £5,000.00; total £25,000.00" in html
    assert "Staff, £23,000.00; Running costs: Hosting, £2,000.00; total £25,000.00" in html
    edit = client.get(reverse("grants:edit_variation", args=[variation.pk])).content.decode()
    assert 'name="budget-1-label" value="Hosting"' in edit


@pytest.mark.parametrize(
    ("amount", "problem"),
    [
        ("-5", "The amount cannot be less than £0"),
        ("lots", "Enter an amount in pounds, like 1250.50"),
        ("10000000000", "Enter an amount no bigger than £9,999,999,999.99"),
    ],
)
def test_a_bad_amount_on_the_form_is_refused_beside_its_box(budgeted, client, amount, problem):
    client.force_login(budgeted.officer)

    refused = _form_post(client, budgeted, **_budget_rows((2025, "staff", "", amount)))

    html = refused.content.decode()
    assert refused.status_code == 200 and "There is a problem" in html
    assert problem in html and 'aria-invalid="true"' in html
    assert not Variation.objects.exists()


def test_leaving_out_a_spent_line_on_the_form_shows_why_above_the_lines(budgeted, client):
    _spend_against(budgeted, budgeted.events)
    client.force_login(budgeted.officer)

    refused = _form_post(client, budgeted, **_budget_rows((2025, "staff", "", "25000")))

    html = refused.content.decode()
    assert refused.status_code == 200 and "There is a problem" in html
    assert html.count("A return has given spend against Activities: Events in 2025/26") == 2
    assert not Variation.objects.exists()


def test_the_officer_sees_the_budget_warning_on_the_variations_page_and_the_provider_does_not(
    budgeted, client
):
    draft = variations.draft_variation(
        agreement=budgeted.agreement,
        by=budgeted.officer,
        terms={
            "reason": "Payments move to the autumn.",
            "takes_effect_from": _period(2025, 3),
            "changes_instalments": True,
        },
        instalments=[
            {"due_date": dt.date(2025, 10, 1), "amount": Decimal("50000")},
            {"due_date": dt.date(2027, 10, 1), "amount": Decimal("50000")},
        ],
    )
    url = reverse("grants:variation_detail", args=[draft.pk])
    client.force_login(budgeted.officer)
    assert "The 2025/26 budget lines add up to £25,000.00" in client.get(url).content.decode()

    sent = variations.submit_variation(variation=draft, by=budgeted.officer)
    variations.approve_variation(variation=sent, by=budgeted.admin)
    client.force_login(budgeted.provider_user)
    page = client.get(url).content.decode()
    assert "Accept the varied terms" in page and "budget lines add up to" not in page


def test_the_letter_and_the_versions_show_the_years_lines_before_and_after(budgeted, client):
    applied = _applied(
        budgeted,
        _draft(budgeted, [_line(STAFF, Decimal("23000.00")), _line(RUNNING, Decimal("2000"))]),
    )
    client.force_login(budgeted.provider_user)

    _reader, text = response_pdf(client.get(reverse("grants:variation_letter", args=[applied.pk])))
    assert "Budget for 2025/26" in text
    assert "Staff, £20,000.00; Activities: Events, £5,000.00; total £25,000.00" in text
    assert "Staff, £23,000.00; Running costs, £2,000.00; total £25,000.00" in text

    html = client.get(
        reverse("grants:agreement_terms", args=[budgeted.agreement.pk])
    ).content.decode()
    assert "Budget for 2025/26" in html
    assert "Running costs, £2,000.00" in html


def test_an_officer_drafts_a_new_reporting_frequency_on_the_form_and_it_reaches_the_letter(
    budgeted, client
):
    client.force_login(budgeted.officer)
    page = client.get(reverse("grants:new_variation", args=[budgeted.agreement.pk]))
    html = page.content.decode()
    assert "New reporting frequency" in html and 'name="new_reporting_frequency"' in html

    saved = _form_post(client, budgeted, new_reporting_frequency="six_monthly")

    variation = Variation.objects.get()
    assert saved.status_code == 302
    assert variation.new_reporting_frequency == "six_monthly"
    html = client.get(saved.url).content.decode()
    assert "How often the provider reports" in html
    assert "Quarterly" in html and "Six-monthly" in html
    edit = client.get(reverse("grants:edit_variation", args=[variation.pk])).content.decode()
    assert '<option value="six_monthly" selected>' in edit

    applied = _applied(budgeted, variation)
    client.force_login(budgeted.provider_user)
    _reader, text = response_pdf(client.get(reverse("grants:variation_letter", args=[applied.pk])))
    assert "How often the provider reports Quarterly Six-monthly" in text


def test_a_variations_page_shows_its_budget_lines_in_the_same_queries_however_many(
    budgeted, client, same_queries
):
    client.force_login(budgeted.officer)
    draft = _draft(budgeted, [_line(STAFF, Decimal("25000.00"))])
    url = reverse("grants:variation_detail", args=[draft.pk])

    def more():
        variations.update_variation(
            variation=draft,
            by=budgeted.officer,
            version=Variation.objects.get(pk=draft.pk).version,
            terms={},
            instalments=None,
            budget_lines=[
                _line(heading, Decimal("1000.00"), label=f"Line {n}", year=year)
                for year in (2025, 2026, 2027)
                for n, heading in enumerate((STAFF, RUNNING, ACTIVITIES))
            ],
        )

    counted = same_queries(lambda: client.get(url), grow=more)
    assert "Budget for 2027/28" in counted.result.content.decode()
