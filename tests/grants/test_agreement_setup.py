"""Setting up an agreement in the app, a few questions a page, instead of the admin's fields."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import Agreement
from sla_monitor.models import User
from tests.dates import date_boxes
from tests.factories import (
    AgreementFactory,
    CouncilFactory,
    FundFactory,
    PerformanceIndicatorFactory,
    ProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("grants:set_up_agreement")
PREFIX = "agreement_set_up"


@pytest.fixture
def council(db):
    council = CouncilFactory(name="Kettering Borough Council")
    officer = UserFactory(lead_officer=True, organisation=council)
    return council, officer, ProviderFactory(name="Cohesion Network")


def step(client, name, data):
    return client.post(URL, {f"{PREFIX}-current_step": name, **data})


def details(council, provider, officer, **changes):
    data = {
        "details-funder": council.pk,
        "details-reference": "KBC-HATE-01",
        "details-title": "Hate crime reporting centre",
        "details-provider": provider.pk,
        "details-fund": "",
        "details-lead_officer": officer.pk,
        "details-status": "active",
        **date_boxes("details-start_date", "2027-04-01"),
        **date_boxes("details-end_date", "2030-03-31"),
        "details-total_allocation": "60000.01",
        "details-allocation_note": "",
        **date_boxes("details-award_date", "2027-03-01"),
        "details-department": "Community Safety",
        "details-purpose": "A third-party centre for reporting hate crime.",
    }
    for name, value in changes.items():
        if name.endswith("_date"):
            data.update(date_boxes(f"details-{name}", value))
        else:
            data[f"details-{name}"] = value
    return data


def indicators(rows):
    data = {
        "indicators-TOTAL_FORMS": str(len(rows)),
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "30",
    }
    for n, row in enumerate(rows):
        data.update({f"indicators-{n}-{k}": v for k, v in row.items()})
    return data


COUNT = {
    "code": "a",
    "wording": "Hate incidents reported through the centre",
    "measure_type": "count",
    "target": "10",
    "target_period": "quarter",
    "amber_tolerance": "20",
}


def test_a_lead_officer_sets_up_an_agreement_page_by_page(council, client):
    council, officer, provider = council
    client.force_login(officer)
    client.get(URL)

    schedule = None
    for name, data in [
        ("details", details(council, provider, officer)),
        (
            "terms",
            {
                "terms-objectives": "Run the centre\nTrain volunteers\n",
                "terms-requirements": "Attend monitoring meetings",
                "terms-outcome": "",
                "terms-in_kind": "",
                "terms-added_values": "",
                "terms-payment_terms": "",
            },
        ),
        (
            "indicators",
            indicators(
                [
                    COUNT,
                    {"code": "", "wording": "", "target_period": "none", "amber_tolerance": "10"},
                ]
            ),
        ),
        ("schedule", {}),
    ]:
        response = step(client, name, data)
        assert response.status_code == 200, name
        assert not response.context["wizard"]["form"].errors, (
            name,
            response.context["wizard"]["form"].errors,
        )
        if name == "indicators":
            schedule = response.context["schedule"]
    created = step(client, "check", {})

    agreement = Agreement.objects.get(reference="KBC-HATE-01")
    assert created.url == reverse("grants:agreement_detail", args=[agreement.pk])
    assert [o.text for o in agreement.objectives.all()] == ["Run the centre", "Train volunteers"]
    assert agreement.requirements.get().number == 1
    assert agreement.indicators.get().target == Decimal("10")
    assert [i.amount for i in agreement.instalments.all()] == [
        i.amount for i in schedule["instalments"]
    ]
    assert sum(i.amount for i in agreement.instalments.all()) == Decimal("60000.01")
    assert len(schedule["quarters"]) == 12


def test_each_page_refuses_what_the_rules_refuse_in_words(council, client):
    council, officer, provider = council
    stranger = UserFactory(lead_officer=True)
    client.force_login(officer)
    client.get(URL)

    wrong_officer = step(client, "details", details(council, provider, stranger))
    mixed_up = step(client, "details", details(council, provider, officer, end_date="2026-01-01"))
    step(client, "details", details(council, provider, officer))
    step(client, "terms", {"terms-objectives": "Run the centre"})
    no_target = step(client, "indicators", indicators([{**COUNT, "target": ""}]))

    assert "Select a valid choice" in wrong_officer.content.decode()
    assert "The agreement must end after it starts." in mixed_up.content.decode()
    assert "A count needs a target." in no_target.content.decode()
    assert "There is a problem" in no_target.content.decode()
    assert not Agreement.objects.exists()


def test_the_indicators_page_refuses_a_percentage_target_over_100_beside_it(council, client):
    council, officer, provider = council
    client.force_login(officer)
    client.get(URL)
    step(client, "details", details(council, provider, officer))
    step(client, "terms", {"terms-objectives": "Run the centre"})
    percentage = {**COUNT, "code": "g", "measure_type": "percentage", "target": "175"}

    response = step(client, "indicators", indicators([percentage]))

    form = response.context["wizard"]["form"]
    assert form.forms[0].errors == {"target": ["A percentage target cannot be more than 100."]}
    assert "There is a problem" in response.content.decode()


@pytest.mark.parametrize(
    ("total", "message"),
    [
        ("-5", "The total allocation cannot be negative."),
        ("99999999999999", "Enter a total allocation no bigger than £9,999,999,999.99"),
        ("120000.005", "Enter the total allocation in pounds and pence, like 120000.00"),
        ("lots", "Enter the total allocation as a number, like 120000.00"),
    ],
)
def test_the_first_page_refuses_a_total_it_cannot_hold_beside_it(council, client, total, message):
    council, officer, provider = council
    client.force_login(officer)
    client.get(URL)

    response = step(client, "details", details(council, provider, officer, total_allocation=total))

    assert response.context["wizard"]["form"].errors == {"total_allocation": [message]}


def test_an_award_beyond_the_fund_is_refused_on_the_first_page(council, client):
    council, officer, provider = council
    fund = FundFactory(council=council, budget=Decimal("50000"), maximum_award=Decimal("40000"))
    client.force_login(officer)
    client.get(URL)

    response = step(client, "details", details(council, provider, officer, fund=fund.pk))

    assert "maximum award of £40,000.00" in response.content.decode()


def test_copying_an_agreement_starts_from_it_for_the_period_that_follows(council, client):
    council, officer, provider = council
    source = AgreementFactory(funder=council, provider=provider, lead_officer=officer)
    PerformanceIndicatorFactory(agreement=source, code="b", target=Decimal("3"))
    client.force_login(officer)

    response = client.get(URL, {"copy": source.pk})
    form = response.context["wizard"]["form"]

    assert form.initial["reference"] == f"{source.reference}-COPY"
    assert form.initial["start_date"].isoformat() == "2029-04-01"
    assert response.context["copied_from"] == source
    step(client, "details", details(council, provider, officer))
    step(client, "terms", {"terms-objectives": ""})
    indicators_page = client.post(URL, {f"{PREFIX}-current_step": "terms", "terms-objectives": ""})
    assert indicators_page.context["wizard"]["form"].initial[0]["code"] == "b"


@pytest.mark.parametrize(
    ("start", "end", "copy_end"),
    [
        pytest.param("2027-04-01", "2028-03-31", "2029-03-31", id="a year with 29 February"),
        pytest.param("2028-04-01", "2029-03-31", "2030-03-31", id="a year after it"),
        pytest.param("2025-04-01", "2029-03-31", "2033-03-31", id="four years"),
        pytest.param("2026-07-15", "2027-07-14", "2028-07-14", id="from mid-July"),
        pytest.param("2026-10-01", "2027-03-31", "2027-09-30", id="six months"),
    ],
)
def test_a_copy_runs_as_many_months_as_its_source_from_the_day_after_it_ends(
    council, client, start, end, copy_end
):
    council, officer, provider = council
    source = AgreementFactory(
        funder=council,
        provider=provider,
        lead_officer=officer,
        start_date=dt.date.fromisoformat(start),
        end_date=dt.date.fromisoformat(end),
    )
    client.force_login(officer)

    form = client.get(URL, {"copy": source.pk}).context["wizard"]["form"]

    assert form.initial["start_date"] == source.end_date + dt.timedelta(days=1)
    assert form.initial["end_date"].isoformat() == copy_end


def test_another_councils_agreement_cannot_be_copied(council, client):
    council, officer, _ = council
    elsewhere = AgreementFactory()
    client.force_login(officer)

    assert client.get(URL, {"copy": elsewhere.pk}).status_code == 404


def test_only_lead_officers_set_up_agreements(council, client):
    client.force_login(UserFactory(role=User.Role.ACTION_OWNER, organisation=council[0]))

    assert client.get(URL).status_code == 403


def test_an_agreement_can_ask_its_returns_for_the_people_worked_with(council, client):
    council, officer, provider = council
    client.force_login(officer)
    page = client.get(URL).content.decode()
    step(client, "details", details(council, provider, officer, requires_beneficiary_figures="on"))
    step(client, "terms", {"terms-objectives": "Run the centre"})
    step(client, "indicators", indicators([COUNT]))
    check = step(client, "schedule", {}).content.decode()

    step(client, "check", {})

    assert "Ask each quarterly return for the people worked with" in page
    assert "Each quarterly return asks for them, by protected characteristic" in check
    assert Agreement.objects.get(reference="KBC-HATE-01").requires_beneficiary_figures


def test_a_copy_asks_for_the_people_worked_with_as_its_source_did(council, client):
    council, officer, provider = council
    source = AgreementFactory(
        funder=council, provider=provider, lead_officer=officer, requires_beneficiary_figures=True
    )
    client.force_login(officer)

    form = client.get(URL, {"copy": source.pk}).context["wizard"]["form"]

    assert form.initial["requires_beneficiary_figures"] is True


def _through_the_terms(client, council, provider, officer, terms=None):
    client.get(URL)
    step(client, "details", details(council, provider, officer))
    return step(client, "terms", terms or {"terms-objectives": "Run the centre"})


def test_no_page_of_setting_up_shows_djangos_placeholder(council, client):
    council, officer, provider = council
    client.force_login(officer)
    first = client.get(URL).content.decode()
    indicators_page = _through_the_terms(client, council, provider, officer).content.decode()
    schedule = step(client, "indicators", indicators([COUNT])).content.decode()
    check = step(client, "schedule", {}).content.decode()

    for page in (first, indicators_page, schedule, check):
        assert "---------" not in page
    assert ">Choose a provider</option>" in first
    assert ">Choose a lead officer</option>" in first
    assert ">Choose a measure</option>" in indicators_page


def test_optional_questions_say_so_and_required_ones_do_not(council, client):
    _, officer, _ = council
    client.force_login(officer)

    page = client.get(URL).content.decode()

    assert 'for="id_details-department">Department (optional)</label>' in page
    assert 'for="id_details-fund">Fund (optional)</label>' in page
    assert "Award date (optional)</legend>" in page
    assert 'for="id_details-reference">Reference</label>' in page
    assert 'for="id_details-provider">Provider</label>' in page
    assert "Start date</legend>" in page
    # A tick box is answered by leaving it, so it is not marked.
    assert "worked with (optional)" not in page


def test_a_page_of_optional_questions_says_so_once(council, client):
    council, officer, provider = council
    client.force_login(officer)
    client.get(URL)

    page = step(client, "details", details(council, provider, officer)).content.decode()

    assert "Every question on this page is optional" in page
    assert "(optional)" not in page


def test_the_indicators_page_starts_with_three_rows(council, client):
    council, officer, provider = council
    client.force_login(officer)

    response = _through_the_terms(client, council, provider, officer)

    assert len(response.context["wizard"]["form"].forms) == 3
    assert 'name="add_indicator"' in response.content.decode()


def test_adding_an_indicator_row_keeps_what_was_typed_without_checking_it(council, client):
    council, officer, provider = council
    client.force_login(officer)
    _through_the_terms(client, council, provider, officer)
    half_typed = {**COUNT, "code": "b", "target": ""}  # a count without its target, for now
    empty = {"code": "", "wording": "", "target_period": "none", "amber_tolerance": "10"}

    response = step(
        client, "indicators", {**indicators([COUNT, half_typed, empty]), "add_indicator": ""}
    )

    rows = response.context["wizard"]["form"].forms
    page = response.content.decode()
    assert response.context["wizard"]["steps"].current == "indicators"
    assert len(rows) == 4
    assert [row["code"].value() or "" for row in rows] == ["a", "b", "", ""]
    assert rows[0]["wording"].value() == COUNT["wording"]
    assert "Hate incidents reported through the centre" in page
    assert "There is a problem" not in page
    assert "A count needs a target." not in page


def test_ten_indicators_can_be_set_up(council, client):
    council, officer, provider = council
    client.force_login(officer)
    _through_the_terms(client, council, provider, officer)
    rows = [{**COUNT, "code": code} for code in "abcdefghij"]

    assert step(client, "indicators", indicators(rows)).context["wizard"]["steps"].current == (
        "schedule"
    )
    step(client, "schedule", {})
    step(client, "check", {})

    agreement = Agreement.objects.get(reference="KBC-HATE-01")
    assert [i.code for i in agreement.indicators.all()] == list("abcdefghij")


def test_no_more_than_thirty_indicators_are_offered(council, client):
    council, officer, provider = council
    client.force_login(officer)
    _through_the_terms(client, council, provider, officer)
    rows = [{**COUNT, "code": f"i{n}"} for n in range(30)]

    response = step(client, "indicators", {**indicators(rows), "add_indicator": ""})

    page = response.content.decode()
    assert len(response.context["wizard"]["form"].forms) == 30
    assert 'name="add_indicator"' not in page
    assert "An agreement can be set up with up to 30 indicators." in page


def test_check_your_answers_shows_every_answer_with_a_way_to_change_it(council, client):
    council, officer, provider = council
    client.force_login(officer)
    _through_the_terms(
        client,
        council,
        provider,
        officer,
        {
            "terms-outcome": "Fewer hate crimes go unreported",
            "terms-objectives": "Run the centre",
            "terms-requirements": "Attend monitoring meetings",
            "terms-in_kind": "A room at the town hall",
            "terms-added_values": "Volunteers trained",
            "terms-payment_terms": "Paid by BACS within 30 days",
        },
    )
    step(client, "indicators", indicators([COUNT]))

    page = step(client, "schedule", {}).content.decode()

    for answer in [
        "KBC-HATE-01",
        "Hate crime reporting centre",
        "Cohesion Network",
        "Active",
        "1 April 2027",
        "31 March 2030",
        "£60,000.01",
        "1 March 2027",
        "Community Safety",
        "A third-party centre for reporting hate crime.",
        "Fewer hate crimes go unreported",
        "Attend monitoring meetings",
        "A room at the town hall",
        "Volunteers trained",
        "Paid by BACS within 30 days",
        "Hate incidents reported through the centre",
    ]:
        assert answer in page, answer
    for hidden in ["the outcome", "the award date", "what the grant is for"]:
        assert f'<span class="visually-hidden"> {hidden}</span>' in page, hidden


def _to_indicators(client, council, rows):
    council, officer, provider = council
    client.force_login(officer)
    client.get(URL)
    step(client, "details", details(council, provider, officer))
    terms = ("objectives", "requirements", "outcome", "in_kind", "added_values", "payment_terms")
    step(client, "terms", {f"terms-{name}": "" for name in terms})
    return step(client, "indicators", indicators(rows))


def test_an_indicator_is_set_up_with_its_direction_targets_by_year_and_profile(council, client):
    events = {
        **COUNT,
        "code": "b",
        "wording": "Awareness events",
        "target": "3",
        "target_period": "year",
        "targets_by_year": "2028/29: 4",
        "quarterly_profile": "2028/29: 1, 2, 0, 1",
    }
    complaints = {
        **COUNT,
        "code": "c",
        "wording": "Complaints",
        "target": "2",
        "direction": "lower",
    }
    response = _to_indicators(client, council, [events, complaints])
    assert not response.context["wizard"]["form"].errors
    step(client, "schedule", {})
    step(client, "check", {})

    agreement = Agreement.objects.get(reference="KBC-HATE-01")
    b, c = agreement.indicators.order_by("code")
    assert c.direction == "lower"
    year = b.targets.get()
    assert (year.financial_year, year.target, year.profile) == (2028, 4, (1, 2, 0, 1))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"targets_by_year": "next year: 4"}, "targets_by_year", "write each year's target"),
        ({"quarterly_profile": "2028/29: 1, 2, 0"}, "quarterly_profile", "give four figures"),
        (
            {"target_period": "year", "quarterly_profile": "2028/29: 1, 1, 1, 1"},
            "quarterly_profile",
            "add up to the year's target",
        ),
        ({"direction": "range"}, "upper_bound", "A range needs an upper bound"),
        ({"upper_bound": "12"}, "upper_bound", "Only a range has an upper bound"),
    ],
)
def test_bad_targets_by_year_are_refused_beside_their_field(
    council, client, changes, field, message
):
    response = _to_indicators(client, council, [{**COUNT, **changes}])
    errors = response.context["wizard"]["form"].errors[0]
    assert message in " ".join(errors[field]), errors


def test_an_annual_agreement_is_set_up_with_one_return_a_year_its_payments_waiting_for_them(
    council, client
):
    council, officer, provider = council
    client.force_login(officer)
    client.get(URL)

    for name, data in [
        ("details", details(council, provider, officer, reporting_frequency="annual")),
        (
            "terms",
            {
                "terms-objectives": "Run the centre",
                "terms-requirements": "",
                "terms-outcome": "",
                "terms-in_kind": "",
                "terms-added_values": "",
                "terms-payment_terms": "",
            },
        ),
        ("indicators", indicators([COUNT])),
    ]:
        response = step(client, name, data)
        assert not response.context["wizard"]["form"].errors, name
    schedule = response.context["schedule"]
    checked = step(client, "schedule", {})
    step(client, "check", {})

    agreement = Agreement.objects.get(reference="KBC-HATE-01")
    assert agreement.reporting_frequency == "annual"
    assert [label for label, _, _ in schedule["quarters"]] == [
        "Q4 2027/28",
        "Q4 2028/29",
        "Q4 2029/30",
    ]
    assert "Annual" in checked.content.decode()
    waiting = agreement.instalments.exclude(depends_on_period=None)
    assert {i.depends_on_period.quarter for i in waiting} == {4}
