"""Variations of an agreement's terms: drafted by an officer or asked for by the provider,
approved by a second person of the council, accepted by the provider, applied all at once; every
version of the terms kept."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grants import services
from grants.lifecycle import InstalmentStatus, VariationStatus
from grants.models import AgreementTerms, ReportingPeriod, Variation
from grants.services import variations
from sla_monitor.models import Notification, User
from sla_monitor.once import AlreadySent
from tests.factories import UserFactory
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(funded):
    """The funded agreement with its instalments, a council administrator beside its lead
    officer, and another lead officer of the same council."""
    services.create_instalment_schedule(agreement=funded.agreement)
    council = funded.agreement.funder
    funded.admin = UserFactory(organisation=council, role=User.Role.ADMIN, username="council_admin")
    funded.colleague = UserFactory(lead_officer=True, organisation=council, username="colleague")
    return funded


def _period(year, quarter):
    return ReportingPeriod.objects.get(financial_year=year, quarter=quarter)


def _extension(funded, **terms):
    """A draft that extends the agreement by a year without money, from Q3 2025/26."""
    values = {
        "reason": "The service starts a quarter late, so it runs a year longer.",
        "takes_effect_from": _period(2025, 3),
        "new_end_date": dt.date(2030, 3, 31),
    }
    values.update(terms)
    return variations.draft_variation(agreement=funded.agreement, by=funded.officer, terms=values)


def _applied(funded, variation):
    variation = variations.submit_variation(variation=variation, by=funded.officer)
    variation = variations.approve_variation(variation=variation, by=funded.admin)
    return variations.accept_variation(variation=variation, by=funded.provider_user)


# The lifecycle ------------------------------------------------------------------------------


def test_a_variation_goes_from_draft_to_applied_with_four_eyes_and_the_provider_accepting(
    council,
):
    draft = _extension(council)
    assert (draft.number, draft.status, draft.drafted_by) == (1, "draft", council.officer)

    sent = variations.submit_variation(variation=draft, by=council.officer)
    assert sent.status == VariationStatus.AWAITING_APPROVAL
    approved = variations.approve_variation(variation=sent, by=council.admin)
    assert approved.status == VariationStatus.AWAITING_ACCEPTANCE
    assert approved.approved_by == council.admin
    council.agreement.refresh_from_db()
    assert council.agreement.end_date == dt.date(2029, 3, 31), "nothing applies before acceptance"

    applied = variations.accept_variation(variation=approved, by=council.provider_user)

    assert applied.status == VariationStatus.APPLIED and applied.applied_at is not None
    council.agreement.refresh_from_db()
    assert council.agreement.end_date == dt.date(2030, 3, 31)
    assert [t.step for t in applied.transitions.all()] == ["draft", "submit", "approve", "accept"]
    versions = list(AgreementTerms.objects.filter(agreement=council.agreement).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].terms["end_date"] == "31 March 2029"
    assert versions[1].terms["end_date"] == "31 March 2030"
    assert versions[1].variation == applied and versions[1].takes_effect_from == _period(2025, 3)
    assert _period(2029, 4).end_date == dt.date(2030, 3, 31), "the extension's quarters exist"


def test_the_person_who_drafted_a_variation_cannot_approve_it(council):
    council.officer.role = User.Role.ADMIN
    council.officer.save()
    sent = variations.submit_variation(variation=_extension(council), by=council.officer)

    with pytest.raises(PermissionDenied, match="you drafted or changed this one"):
        variations.approve_variation(variation=sent, by=council.officer)

    sent.refresh_from_db()
    assert sent.status == VariationStatus.AWAITING_APPROVAL


def test_an_administrator_who_changed_the_draft_cannot_approve_it_either(council, client):
    draft = _extension(council)
    changed = variations.update_variation(
        variation=draft,
        by=council.admin,
        version=draft.version,
        terms={"new_end_date": dt.date(2031, 3, 31)},
        instalments=None,
    )
    sent = variations.submit_variation(variation=changed, by=council.admin)

    with pytest.raises(PermissionDenied, match="you drafted or changed this one"):
        variations.approve_variation(variation=sent, by=council.admin)
    client.force_login(council.admin)
    page = client.get(reverse("grants:variation_detail", args=[sent.pk])).content.decode()
    assert "Approve the variation" not in page
    assert "Changed the draft" in page


def test_a_provider_reads_its_request_and_the_terms_it_is_asked_to_accept_not_the_councils_drafts(
    council, client
):
    asked = variations.request_variation(
        agreement=council.agreement, by=council.provider_user, request="A year longer, please."
    )
    url = reverse("grants:variation_detail", args=[asked.pk])
    client.force_login(council.provider_user)
    assert client.get(url).status_code == 200

    drafted = variations.take_up_variation(variation=asked, by=council.officer)
    drafted = variations.update_variation(
        variation=drafted,
        by=council.officer,
        version=drafted.version,
        terms={
            "reason": "A year longer.",
            "takes_effect_from": _period(2025, 3),
            "new_end_date": dt.date(2030, 3, 31),
        },
        instalments=None,
    )
    sent = variations.submit_variation(variation=drafted, by=council.officer)
    back = variations.return_variation(
        variation=sent, by=council.admin, reason="Internal: check the budget first."
    )
    assert client.get(url).status_code == 404, "the council's draft is its own"

    sent = variations.submit_variation(variation=back, by=council.officer)
    variations.approve_variation(variation=sent, by=council.admin)
    page = client.get(url).content.decode()
    assert "Accept the varied terms" in page
    assert "Internal: check the budget first." not in page
    assert "Approved it" in page and "Asked for a variation" in page


def test_another_lead_officer_approves_only_where_the_council_allows_it(council):
    sent = variations.submit_variation(variation=_extension(council), by=council.officer)
    with pytest.raises(PermissionDenied):
        variations.approve_variation(variation=sent, by=council.colleague)

    council.agreement.funder.lead_officers_approve_variations = True
    council.agreement.funder.save()
    sent.refresh_from_db()

    approved = variations.approve_variation(variation=sent, by=council.colleague)
    assert approved.approved_by == council.colleague


def test_the_provider_asks_for_a_variation_and_an_officer_takes_it_up_or_declines_it(council):
    asked = variations.request_variation(
        agreement=council.agreement, by=council.provider_user, request="A year longer, please."
    )
    assert (asked.status, asked.requested_by) == ("requested", council.provider_user)
    assert Notification.objects.filter(
        recipient=council.officer, kind=Notification.Kind.VARIATION_REQUESTED
    ).exists()

    taken = variations.take_up_variation(variation=asked, by=council.officer)
    assert (taken.status, taken.drafted_by) == ("draft", council.officer)

    other = variations.request_variation(
        agreement=council.agreement, by=council.provider_user, request="More money, please."
    )
    with pytest.raises(ValidationError) as refused:
        variations.decline_variation(variation=other, by=council.officer, reason=" ")
    assert "Say why the request is declined" in str(refused.value)
    declined = variations.decline_variation(
        variation=other, by=council.officer, reason="The fund has no more money this year."
    )
    assert declined.status == VariationStatus.DECLINED and other.number == 2
    assert Notification.objects.filter(
        recipient=council.provider_user, kind=Notification.Kind.VARIATION_DECLINED
    ).exists()


def test_the_provider_declining_the_terms_sends_the_variation_back_to_draft(council):
    sent = variations.submit_variation(variation=_extension(council), by=council.officer)
    approved = variations.approve_variation(variation=sent, by=council.admin)

    back = variations.reject_variation(
        variation=approved, by=council.provider_user, reason="We cannot staff a fifth year."
    )

    assert back.status == VariationStatus.DRAFT and back.approved_by is None
    council.agreement.refresh_from_db()
    assert council.agreement.end_date == dt.date(2029, 3, 31)
    told = Notification.objects.filter(kind=Notification.Kind.VARIATION_RETURNED)
    assert {n.recipient for n in told} == {council.officer, council.admin}


def test_the_approver_returns_a_variation_to_draft_with_a_reason_and_it_can_be_withdrawn(council):
    sent = variations.submit_variation(variation=_extension(council), by=council.officer)
    back = variations.return_variation(variation=sent, by=council.admin, reason="Say why.")
    assert back.status == "draft"
    gone = variations.withdraw_variation(variation=back, by=council.officer, reason="Not needed.")
    assert gone.status == VariationStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="cannot be sent for approval"):
        variations.submit_variation(variation=gone, by=council.officer)


def test_the_provider_cannot_take_the_councils_steps_nor_the_council_the_providers(council):
    draft = _extension(council)
    with pytest.raises(PermissionDenied):
        variations.submit_variation(variation=draft, by=council.provider_user)
    approved = variations.approve_variation(
        variation=variations.submit_variation(variation=draft, by=council.officer),
        by=council.admin,
    )
    with pytest.raises(PermissionDenied):
        variations.accept_variation(variation=approved, by=council.officer)
    with pytest.raises(PermissionDenied):
        variations.accept_variation(variation=approved, by=council.other_provider_user)


def test_two_people_accepting_at_once_apply_it_once(council):
    sent = variations.submit_variation(variation=_extension(council), by=council.officer)
    approved = variations.approve_variation(variation=sent, by=council.admin)
    shown = approved.version
    colleague = UserFactory(organisation=council.agreement.provider, username="provider_b")

    variations.accept_variation(variation=approved, by=council.provider_user, version=shown)
    with pytest.raises(ValidationError, match="changed by someone else"):
        variations.accept_variation(variation=approved, by=colleague, version=shown)
    with pytest.raises(AlreadySent, match="already done this"):
        variations.accept_variation(variation=approved, by=council.provider_user, version=shown)

    assert AgreementTerms.objects.filter(agreement=council.agreement).count() == 2
    assert approved.transitions.filter(step="accept").count() == 1


# What a variation may change ---------------------------------------------------------------


def test_a_variation_must_say_why_from_when_and_change_something(council):
    draft = variations.draft_variation(
        agreement=council.agreement, by=council.officer, terms={"reason": ""}
    )
    with pytest.raises(ValidationError) as refused:
        variations.submit_variation(variation=draft, by=council.officer)
    errors = refused.value.message_dict
    assert errors["reason"] == ["Say why the terms change"]
    assert errors["takes_effect_from"] == [
        "Choose the reporting period the variation takes effect from"
    ]
    assert errors["__all__"] == ["A variation changes something: say what changes"]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_variation_cannot_end_the_agreement_before_a_submitted_returns_period(council):
    council.submitted(quarter=2)
    with pytest.raises(ValidationError) as refused:
        _extension(council, new_end_date=dt.date(2025, 8, 31))
    assert refused.value.message_dict["new_end_date"] == [
        "The agreement cannot end before 30 September 2025: its return for Q2 2025/26 is "
        "already submitted"
    ]
    assert not Variation.objects.exists()


def test_a_variation_taking_effect_where_a_return_is_approved_must_say_so(council):
    approved = council.submitted(quarter=3)
    services.approve_return(quarterly_return=approved, by=council.officer)

    with pytest.raises(ValidationError) as refused:
        _extension(council)
    assert "The return for Q3 2025/26 is already approved" in str(
        refused.value.message_dict["takes_effect_from"]
    )

    said = _extension(council, past_approved_returns_acknowledged=True)
    assert said.takes_effect_from == _period(2025, 3)


def test_new_money_needs_instalments_that_add_up_to_it(council):
    first = council.agreement.instalments.order_by("sequence").first()
    services.release_instalment(instalment=first, by=council.officer)
    terms = {"new_total_allocation": Decimal("120000"), "changes_instalments": False}
    with pytest.raises(ValidationError) as refused:
        _extension(council, **terms)
    assert "needs a new schedule" in str(refused.value.message_dict["changes_instalments"])

    short = [{"due_date": dt.date(2026, 4, 1), "amount": Decimal("100000")}]
    terms["changes_instalments"] = True
    with pytest.raises(ValidationError) as refused:
        variations.draft_variation(
            agreement=council.agreement,
            by=council.officer,
            terms={**terms, "reason": "More money", "takes_effect_from": _period(2025, 3)},
            instalments=short,
        )
    assert refused.value.message_dict["instalments"] == [
        "The instalments add up to £112,500.00 with the £12,500.00 already released or withheld, "
        "but the allocation is £120,000.00: they must add up to it"
    ]


def test_applying_new_money_reschedules_only_what_is_not_yet_released(council):
    first = council.agreement.instalments.order_by("sequence").first()
    services.release_instalment(instalment=first, by=council.officer)
    schedule = [
        {"due_date": dt.date(2026, 4, 1), "amount": Decimal("53750")},
        {"due_date": dt.date(2027, 4, 1), "amount": Decimal("53750")},
    ]
    draft = variations.draft_variation(
        agreement=council.agreement,
        by=council.officer,
        terms={
            "reason": "Two payments a year are one now, and £20,000 more.",
            "takes_effect_from": _period(2025, 3),
            "new_total_allocation": Decimal("120000"),
            "changes_instalments": True,
        },
        instalments=schedule,
    )

    _applied(council, draft)

    council.agreement.refresh_from_db()
    assert council.agreement.total_allocation == Decimal("120000")
    rows = list(council.agreement.instalments.order_by("sequence"))
    assert [(r.amount, r.status) for r in rows] == [
        (Decimal("12500"), InstalmentStatus.RELEASED),
        (Decimal("53750"), InstalmentStatus.SCHEDULED),
        (Decimal("53750"), InstalmentStatus.SCHEDULED),
    ]
    assert rows[0].pk == first.pk and rows[0].due_date == first.due_date


def test_a_variation_that_no_longer_fits_when_accepted_applies_nothing(council):
    sent = variations.submit_variation(
        variation=_extension(council, new_end_date=dt.date(2025, 12, 31)), by=council.officer
    )
    approved = variations.approve_variation(variation=sent, by=council.admin)
    council.submitted(quarter=4)  # a return after the new end, submitted meanwhile

    with pytest.raises(ValidationError, match="cannot end before 31 March 2026"):
        variations.accept_variation(variation=approved, by=council.provider_user)

    council.agreement.refresh_from_db()
    approved.refresh_from_db()
    assert council.agreement.end_date == dt.date(2029, 3, 31)
    assert approved.status == VariationStatus.AWAITING_ACCEPTANCE
    assert not AgreementTerms.objects.exists()


def test_a_new_lead_officer_works_for_the_funding_council(council):
    with pytest.raises(ValidationError) as refused:
        _extension(council, new_lead_officer=council.other_officer)
    assert "not the funding council" in str(refused.value.message_dict["new_lead_officer"])

    applied = _applied(council, _extension(council, new_lead_officer=council.colleague))
    council.agreement.refresh_from_db()
    assert council.agreement.lead_officer == council.colleague
    assert applied.status == "applied"


# Pages --------------------------------------------------------------------------------------


def test_an_officer_drafts_a_variation_on_its_page_and_errors_show_beside_the_fields(
    council, client
):
    client.force_login(council.officer)
    url = reverse("grants:new_variation", args=[council.agreement.pk])
    form = client.get(url).context["form"]
    period = _period(2025, 3)

    refused = client.post(
        url,
        {
            "once": form["once"].initial,
            "reason": "Longer",
            "takes_effect_from": period.pk,
            "new_total_allocation": "150000",
            "instalments-TOTAL_FORMS": "0",
            "instalments-INITIAL_FORMS": "0",
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
            "new-TOTAL_FORMS": "0",
            "new-INITIAL_FORMS": "0",
            "budget-TOTAL_FORMS": "0",
            "budget-INITIAL_FORMS": "0",
        },
    )
    html = refused.content.decode()
    assert refused.status_code == 200 and "There is a problem" in html
    assert "A new allocation needs a new schedule" in html
    assert not Variation.objects.exists()

    saved = client.post(
        url,
        {
            "once": form["once"].initial,
            "reason": "Longer",
            "takes_effect_from": period.pk,
            "new_end_date_day": "31",
            "new_end_date_month": "3",
            "new_end_date_year": "2030",
            "instalments-TOTAL_FORMS": "0",
            "instalments-INITIAL_FORMS": "0",
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
            "new-TOTAL_FORMS": "0",
            "new-INITIAL_FORMS": "0",
            "budget-TOTAL_FORMS": "0",
            "budget-INITIAL_FORMS": "0",
        },
    )
    variation = Variation.objects.get()
    assert saved.status_code == 302 and saved.url == reverse(
        "grants:variation_detail", args=[variation.pk]
    )
    page = client.get(saved.url).content.decode()
    assert "31 March 2029" in page and "31 March 2030" in page
    assert "Send for approval" in page


def test_the_variation_page_offers_each_person_their_step_and_takes_it(council, client):
    sent = variations.submit_variation(variation=_extension(council), by=council.officer)
    url = reverse("grants:variation_detail", args=[sent.pk])

    client.force_login(council.officer)
    assert "Approve the variation" not in client.get(url).content.decode()
    client.force_login(council.admin)
    assert "Approve the variation" in client.get(url).content.decode()
    step = reverse("grants:variation_step", args=[sent.pk, "approve"])
    response = client.post(step, {"approve-version": sent.version}, follow=True)
    assert "You approved variation 1" in response.content.decode()

    client.force_login(council.provider_user)
    page = client.get(url).content.decode()
    assert "Accept the varied terms" in page
    refused = client.post(
        reverse("grants:variation_step", args=[sent.pk, "reject"]),
        {"reject-version": sent.version + 1, "reject-reason": ""},
    )
    assert refused.status_code == 400
    assert "Say why you do not accept the varied terms" in refused.content.decode()
    accepted = client.post(
        reverse("grants:variation_step", args=[sent.pk, "accept"]),
        {"accept-version": sent.version + 1},
        follow=True,
    )
    assert "You accepted variation 1" in accepted.content.decode()


def test_a_provider_sees_no_council_draft_and_another_council_no_variation(council, client):
    draft = _extension(council)
    url = reverse("grants:variation_detail", args=[draft.pk])
    client.force_login(council.provider_user)
    assert client.get(url).status_code == 404
    client.force_login(council.other_officer)
    assert client.get(url).status_code == 404
    client.force_login(council.other_provider_user)
    assert client.get(url).status_code == 404


def test_the_letter_and_the_comparison_show_the_terms_before_and_after(council, client):
    applied = _applied(council, _extension(council))
    client.force_login(council.provider_user)

    reader, text = response_pdf(client.get(reverse("grants:variation_letter", args=[applied.pk])))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in catalog
    assert reader.metadata.title == f"{council.agreement.reference} variation 1"
    assert "Variation 1" in text and "31 March 2029" in text and "31 March 2030" in text
    assert "The service starts a quarter late" in text

    page = client.get(reverse("grants:agreement_terms", args=[council.agreement.pk]))
    html = page.content.decode()
    assert "Version 1: the terms as set up" in html
    assert "Version 2: variation 1, from Q3 2025/26" in html
    assert "31 March 2030" in html


# Targets, indicators and the terms in force --------------------------------------------------


def test_a_new_target_judges_the_quarters_from_its_effective_date_and_leaves_earlier_rag_alone(
    council, client
):
    """Events: 3 a year. Q1 and Q2 report 1 each, green against 1 and 2 expected. A variation
    from Q3 raises the year's target to 8: Q3 is judged against 6 expected, while Q1 and Q2 keep
    their green."""
    events = council.indicators["per_year"]
    q1 = council.submitted(quarter=1)
    q2 = council.submitted(quarter=2)
    before = {qr.pk: client_rag(client, council.officer, qr, events) for qr in (q1, q2)}
    draft = variations.draft_variation(
        agreement=council.agreement,
        by=council.officer,
        terms={
            "reason": "More events, funded by the council's events budget.",
            "takes_effect_from": _period(2025, 3),
        },
        indicators=variations.IndicatorChanges(
            targets=[
                {
                    "indicator": events,
                    "financial_year": 2025,
                    "target": Decimal("8"),
                    "q1": None,
                    "q2": None,
                    "q3": None,
                    "q4": None,
                }
            ]
        ),
    )
    _applied(council, draft)

    after = {qr.pk: client_rag(client, council.officer, qr, events) for qr in (q1, q2)}
    assert after == before == {q1.pk: "Green", q2.pk: "Green"}
    q3 = council.submitted(quarter=3)
    events.refresh_from_db()
    assert events.measure_for(_period(2025, 2)).target == Decimal("3")
    assert events.measure_for(_period(2025, 3)).target == Decimal("8")
    assert client_rag(client, council.officer, q3, events) == "Red"


def client_rag(client, user, quarterly_return, indicator) -> str:
    from grants import selectors

    detail = selectors.return_detail(quarterly_return)
    row = next(r for r in detail.indicator_rows if r.indicator.pk == indicator.pk)
    return row.rag.label


def test_an_indicator_retired_or_added_is_asked_only_from_the_quarter_the_variation_takes_effect(
    council,
):
    from grants import selectors

    narrative = council.indicators["narrative"]
    draft = variations.draft_variation(
        agreement=council.agreement,
        by=council.officer,
        terms={
            "reason": "Casework moves to another service; complaints are counted instead.",
            "takes_effect_from": _period(2025, 3),
        },
        indicators=variations.IndicatorChanges(
            retire=[narrative],
            added=[
                {
                    "code": "h",
                    "wording": "Complaints received",
                    "measure_type": "count",
                    "target": Decimal("2"),
                    "target_period": "quarter",
                    "unit": "complaints",
                    "direction": "lower",
                }
            ],
        ),
    )
    _applied(council, draft)

    def asked(quarter):
        qr = council.start(quarter)
        return {row.indicator.code for row in selectors.return_detail(qr).indicator_rows}

    assert asked(2) == {"b", "c", "d", "f", "g"}
    assert asked(3) == {"b", "c", "f", "g", "h"}
    added = council.agreement.indicators.get(code="h")
    assert added.starts_from == _period(2025, 3) and added.direction == "lower"


def test_an_indicator_a_draft_return_answers_cannot_be_retired(council):
    draft = council.complete(council.start(3))
    narrative = council.indicators["narrative"]
    with pytest.raises(ValidationError) as refused:
        variations.draft_variation(
            agreement=council.agreement,
            by=council.officer,
            terms={"reason": "x", "takes_effect_from": _period(2025, 3)},
            indicators=variations.IndicatorChanges(retire=[narrative]),
        )
    assert refused.value.message_dict["retire_indicators"] == [
        f"Indicator d is answered in the draft return for {draft.period}: it cannot be retired "
        "from Q3 2025/26 while that answer stands"
    ]


def test_a_new_target_is_checked_as_a_years_target_is(council):
    events = council.indicators["per_year"]
    with pytest.raises(ValidationError) as refused:
        variations.draft_variation(
            agreement=council.agreement,
            by=council.officer,
            terms={"reason": "x", "takes_effect_from": _period(2025, 3)},
            indicators=variations.IndicatorChanges(
                targets=[
                    {
                        "indicator": events,
                        "financial_year": 2025,
                        "target": Decimal("4.5"),
                        "q1": None,
                        "q2": None,
                        "q3": None,
                        "q4": None,
                    },
                    {
                        "indicator": events,
                        "financial_year": 2040,
                        "target": Decimal("4"),
                        "q1": None,
                        "q2": None,
                        "q3": None,
                        "q4": None,
                    },
                ]
            ),
        )
    problems = refused.value.message_dict["targets"]
    assert any(p.startswith("Indicator b, 2025/26: ") for p in problems)
    assert "Indicator b, 2040/41: the year is not one of the agreement's" in problems


# Fixed queries -------------------------------------------------------------------------------


def test_the_agreement_page_lists_its_variations_in_the_same_queries_however_many(
    council, client, same_queries
):
    client.force_login(council.officer)
    url = reverse("grants:agreement_detail", args=[council.agreement.pk])
    _applied(council, _extension(council))

    def more():
        for _ in range(6):
            variations.submit_variation(variation=_extension(council), by=council.officer)

    counted = same_queries(lambda: client.get(url), grow=more)
    assert counted.result.content.decode().count("Awaiting approval") == 6


def test_a_variations_page_shows_its_changes_in_the_same_queries_however_many(
    council, client, same_queries
):
    client.force_login(council.officer)
    events = council.indicators["per_year"]
    draft = _extension(council)
    url = reverse("grants:variation_detail", args=[draft.pk])

    def more():
        variations.update_variation(
            variation=draft,
            by=council.officer,
            version=Variation.objects.get(pk=draft.pk).version,
            terms={},
            instalments=None,
            indicators=variations.IndicatorChanges(
                targets=[
                    {
                        "indicator": events,
                        "financial_year": year,
                        "target": Decimal("4"),
                        **dict.fromkeys(("q1", "q2", "q3", "q4"), Decimal("1")),
                    }
                    for year in (2025, 2026, 2027, 2028)
                ],
                retire=[council.indicators["narrative"], council.indicators["milestone"]],
            ),
        )

    counted = same_queries(lambda: client.get(url), grow=more)
    assert "Indicator b, target for 2028/29" in counted.result.content.decode()


def test_a_reason_of_one_long_word_stays_on_the_letters_page(council, client):
    from sla_monitor.pdf import laid_out

    long_word = "x" * 2000
    draft = _extension(council, reason=long_word)
    variation = Variation.objects.get(pk=draft.pk)
    document = laid_out(
        "grants/pdf/variation_letter.html",
        {"variation": variation, "agreement": council.agreement, "changes": []},
    )
    page_width = document.pages[0].width

    def boxes(box):
        yield box
        for child in getattr(box, "children", []):
            yield from boxes(child)

    widest = max(
        box.position_x + box.width
        for page in document.pages
        for box in boxes(page._page_box)
        if getattr(box, "text", None) and "xxxx" in box.text
    )
    assert widest <= page_width
