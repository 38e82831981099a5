"""A council's equality impact assessments in public: the list and page of each published one,
open to everyone, its PDF, and the council's own PDF of any of its assessments. Nothing
unpublished shows, no person is named, and reach figures are the published, rounded ones."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from equality_plans.assessments import services
from equality_plans.assessments.selectors import reach_of
from equality_plans.models import Impact, Outcome, ScreeningOutcome
from grants.models import BeneficiaryCount
from sla_monitor.models import User
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgreementFactory,
    AssessmentFactory,
    BeneficiaryFiguresFactory,
    CouncilFactory,
    EqualityStrandFactory,
    FundFactory,
    PopulationProfileFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
    UserFactory,
)
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db

OWNER = ("Priya", "Sharma")
SIGNER = ("Morgan", "Okafor")
SIGN_OFF_COMMENT = "Fine by me, Priya: the day centre plan holds."
# A sex table with a count under 5: published, female is 0 or 5, never 3.
SEX = {"female": 3, "male": 30, "not-known": 7}


def _screened(assessment):
    answers = {
        j.group: (
            j.group in ("age", "disability"),
            "Most people with dementia are older." if j.group in ("age", "disability") else "",
        )
        for j in assessment.judgements.all()
    }
    return services.record_screening(
        assessment=assessment,
        by=assessment.owner,
        version=None,
        answers=answers,
        outcome=ScreeningOutcome.FULL_ASSESSMENT,
        reason="",
    )


def _filled(assessment, *, mitigation="Keep a day centre open in each locality."):
    assessment = services.record_full_assessment(
        assessment=_screened(assessment),
        by=assessment.owner,
        version=None,
        evidence="Census 2021 and the service's own returns.",
        consultation="Two listening events with carers.",
        impacts={
            "age": (Impact.NEGATIVE, "Fewer day centre places for older people."),
            "disability": (Impact.NEGATIVE, "Longer journeys for disabled people."),
        },
        outcome=Outcome.ADJUST,
        justification="",
        review_date=timezone.localdate() + dt.timedelta(days=365),
    )
    services.add_mitigation(
        assessment=assessment, by=assessment.owner, version=None, group="age", wording=mitigation
    )
    assessment.refresh_from_db()
    return assessment


def _submitted(assessment):
    assessment = _filled(assessment)
    return services.submit_assessment(assessment=assessment, by=assessment.owner, version=None)


def _signer(council):
    return UserFactory(
        organisation=council,
        role=User.Role.SENIOR_OFFICER,
        first_name=SIGNER[0],
        last_name=SIGNER[1],
        job_title="Director of Adult Services",
    )


def _signed_off(assessment):
    submitted = _submitted(assessment)
    return services.sign_off_assessment(
        assessment=submitted,
        by=_signer(submitted.council),
        version=None,
        comment=SIGN_OFF_COMMENT,
    )


def _published(assessment):
    signed = _signed_off(assessment)
    return services.publish_assessment(assessment=signed, by=signed.owner, version=None)


def _assessment(council, **kwargs):
    return AssessmentFactory(
        council=council, owner__first_name=OWNER[0], owner__last_name=OWNER[1], **kwargs
    )


@pytest.fixture
def council():
    return CouncilFactory(name="Harborough District Council", short_code="HDC")


def _list(client, council):
    return client.get(reverse("equality_plans:public_assessments", args=[council.short_code]))


def _page(client, assessment):
    return client.get(
        reverse(
            "equality_plans:public_assessment",
            args=[assessment.council.short_code, assessment.number],
        )
    )


def _pdf(client, assessment):
    return client.get(
        reverse(
            "equality_plans:public_assessment_pdf",
            args=[assessment.council.short_code, assessment.number],
        )
    )


def test_the_public_list_shows_only_published_assessments(client, council):
    published = _published(_assessment(council, title="Day Centres Review"))
    _assessment(council, title="Library Hours Draft")
    _submitted(_assessment(council, title="Parking Charges Submitted"))
    _signed_off(_assessment(council, title="Leisure Fees Signed Off"))
    _published(_assessment(CouncilFactory(), title="Another Council's Published"))

    html = _list(client, council).content.decode()

    assert "Day Centres Review" in html
    assert published.reference in html
    for hidden in (
        "Library Hours Draft",
        "Parking Charges Submitted",
        "Leisure Fees Signed Off",
        "Another Council's Published",
    ):
        assert hidden not in html


@pytest.mark.parametrize("stage", ["draft", "submitted", "signed off"])
def test_an_unpublished_assessment_has_no_public_page_or_pdf(client, council, stage):
    make = {"draft": _filled, "submitted": _submitted, "signed off": _signed_off}[stage]
    assessment = make(_assessment(council, title="Secret Closure Plan"))

    assert "Secret Closure Plan" not in _list(client, council).content.decode()
    assert _page(client, assessment).status_code == 404
    assert _pdf(client, assessment).status_code == 404


def test_a_draft_review_leaks_nothing_and_the_published_version_stays_listed(client, council):
    published = _published(_assessment(council, title="Day Centres Review"))
    review = services.review_assessment(assessment=published, by=published.owner, version=None)
    services.update_details(
        assessment=review,
        by=review.owner,
        version=None,
        details={
            "title": "Day Centres Closure Draft",
            "subject": "policy",
            "directorate": "Adult Social Care",
            "decision": "Cabinet closes two centres.",
            "decision_date": None,
            "owner": review.owner,
        },
    )
    review.refresh_from_db()
    services.add_mitigation(
        assessment=review,
        by=review.owner,
        version=None,
        group="disability",
        wording="Secret wording of a draft mitigation.",
    )

    listed = _list(client, council).content.decode()
    page = _page(client, published).content.decode()
    _, text = response_pdf(_pdf(client, published))

    for shown in (listed, page, text):
        assert "Day Centres Review" in shown
        assert "Day Centres Closure Draft" not in shown
        assert "Secret wording of a draft mitigation." not in shown
    assert published.reference in listed
    assert review.reference not in listed


def test_a_published_review_replaces_the_earlier_version(client, council):
    first = _published(_assessment(council, title="Day Centres Review"))
    review = services.review_assessment(assessment=first, by=first.owner, version=None)
    review = _published(review)

    listed = _list(client, council).content.decode()

    assert review.reference in listed
    assert f'<th scope="row">{first.reference}</th>' not in listed
    assert listed.count("Day Centres Review") == 1


def test_the_public_page_and_pdf_name_no_person_and_show_no_comment(client, council):
    assessment = _published(_assessment(council, title="Day Centres Review"))
    owner = assessment.owner

    page = _page(client, assessment).content.decode()
    _, text = response_pdf(_pdf(client, assessment))

    signed_on = timezone.localdate(assessment.signed_off_at).strftime("%-d %B %Y")
    for shown in (page, text):
        assert "Adult Social Care" in shown
        assert f"Signed off by a senior officer on {signed_on}" in shown
        for personal in (*OWNER, *SIGNER, owner.username, owner.email, SIGN_OFF_COMMENT):
            assert personal not in shown
        assert "Director of Adult Services" not in shown


def test_unknown_council_or_number_is_not_found(client, council):
    assessment = _published(_assessment(council))

    assert (
        client.get(reverse("equality_plans:public_assessments", args=["NOPE"])).status_code == 404
    )
    assert (
        client.get(
            reverse("equality_plans:public_assessment", args=["HDC", assessment.number + 99])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("equality_plans:public_assessment", args=["hdc", assessment.number])
        ).status_code
        == 200
    )


def test_the_pdf_holds_the_title_the_outcome_and_the_mitigations_as_plan_actions(client, council):
    EqualityStrandFactory(code="A", name="Age")
    assessment = _filled(_assessment(council, title="Day Centres Review"))
    mitigation = assessment.mitigations.get()
    plan = ActionPlanFactory(owner=council, title="Harborough Equality Plan")
    manager = UserFactory(organisation=council, role=User.Role.PLAN_MANAGER)
    action = services.mitigation_to_action(
        mitigation=mitigation,
        by=manager,
        version=None,
        plan=plan,
        section=None,
        owner=assessment.owner,
        timescale="Q3 2026/27",
    )
    assessment.refresh_from_db()
    submitted = services.submit_assessment(assessment=assessment, by=assessment.owner, version=None)
    signed = services.sign_off_assessment(assessment=submitted, by=_signer(council), version=None)
    published = services.publish_assessment(assessment=signed, by=signed.owner, version=None)

    _, text = response_pdf(_pdf(client, published))

    assert "Day Centres Review" in text
    assert "Adjust the policy" in text
    assert "Keep a day centre open in each locality." in text
    assert f"Action {action.number} of Harborough Equality Plan" in text
    assert "Fewer day centre places for older people." in text


def test_the_councils_own_pdf_names_the_owner_and_is_not_found_for_another_council(client, council):
    assessment = _signed_off(_assessment(council, title="Day Centres Review"))
    url = reverse("equality_plans:assessment_pdf", args=[assessment.pk])

    client.force_login(UserFactory(lead_officer=True))
    assert client.get(url).status_code == 404

    client.force_login(UserFactory(organisation=council, role=User.Role.ACTION_OWNER))
    _, text = response_pdf(client.get(url))
    assert "Day Centres Review" in text
    assert "Priya Sharma" in text
    assert "Signed off by Morgan Okafor" in text


def _row_figure(html: str, label: str) -> str:
    """The people reached in a reach table's row, on the first table that has the row."""
    match = re.search(rf">{label}</th>\s*<td[^>]*>(\d+)</td>", html)
    assert match, f"no row {label}"
    return match.group(1)


def test_a_fund_assessment_shows_the_rounded_figures_the_reach_page_shows(client, council):
    fund = FundFactory(council=council, name="Community Cohesion Fund")
    agreement = AgreementFactory(funder=council, fund=fund)
    quarterly_return = QuarterlyReturnFactory(
        agreement=agreement,
        period=ReportingPeriodFactory(financial_year=2025, quarter=1),
        approved=True,
    )
    BeneficiaryFiguresFactory(
        quarterly_return=quarterly_return, people_reached=40, counts={"sex": SEX}
    )
    PopulationProfileFactory(council=council, shares={"sex": {"female": "51", "male": "49"}})
    assessment = _published(_assessment(council, subject="fund", fund=fund))
    published_female = BeneficiaryCount.objects.get(
        characteristic="sex", category="female"
    ).published

    page = _page(client, assessment).content.decode()
    _, text = response_pdf(_pdf(client, assessment))
    client.force_login(UserFactory(organisation=council, role=User.Role.LEAD_OFFICER))
    reach_page = client.get(
        reverse("oversight:reach"), {"year": 2025, "fund": fund.pk}
    ).content.decode()

    assert published_female in (0, 5)
    assert _row_figure(page, "Female") == str(published_female)
    assert _row_figure(page, "Female") == _row_figure(reach_page, "Female")
    assert _row_figure(page, "Male") == _row_figure(reach_page, "Male")
    assert "Community Cohesion Fund" in page
    assert "Who the funded services reached" in text
    assert "51.0%" in page


def test_a_policy_assessment_draws_in_no_reach(client, council):
    assessment = _published(_assessment(council))

    assert "Who the funded services reached" not in _page(client, assessment).content.decode()


def test_the_public_list_runs_the_same_queries_for_one_assessment_and_five(
    client, council, same_queries
):
    fund = FundFactory(council=council)
    _published(_assessment(council, subject="fund", fund=fund))

    def more():
        for _ in range(3):
            _published(_assessment(council))
        action = ActionFactory(section__plan__owner=council)
        _published(_assessment(council, subject="action", action=action))

    counted = same_queries(lambda: _list(client, council), grow=more)

    assert counted.result.content.decode().count('<th scope="row">EqIA') == 5


def test_the_councils_open_data_page_links_its_assessments(client, council):
    AgreementFactory(funder=council, published=True, award_date=dt.date(2025, 4, 1))

    html = client.get(reverse("grants:council_open_data", args=["HDC"])).content.decode()

    assert reverse("equality_plans:public_assessments", args=["HDC"]) in html


def _fund_with_figures(council, year=2025, agreements=1):
    fund = FundFactory(council=council, name="Community Cohesion Fund")
    for _ in range(agreements):
        _returns_with_figures(fund, year)
    return fund


def _returns_with_figures(fund, year):
    agreement = AgreementFactory(funder=fund.council, fund=fund)
    for quarter in (1, 2):
        quarterly_return = QuarterlyReturnFactory(
            agreement=agreement,
            period=ReportingPeriodFactory(financial_year=year, quarter=quarter),
            approved=True,
        )
        BeneficiaryFiguresFactory(
            quarterly_return=quarterly_return, people_reached=40, counts={"sex": SEX}
        )


def test_an_agreements_reach_is_of_the_decisions_year_when_it_has_a_date(council):
    fund = _fund_with_figures(council, year=2025)
    agreement = fund.agreements.get()
    assessment = _assessment(
        council, subject="agreement", agreement=agreement, decision_date=dt.date(2024, 6, 1)
    )

    before = reach_of(assessment)
    assessment.decision_date = dt.date(2025, 6, 1)
    during = reach_of(assessment)

    assert (before.year_label, before.has_figures) == ("2024/25", False)
    # 40 people a return is a multiple of 5: published as it is.
    assert (during.year_label, during.returns, during.people) == ("2025/26", 2, 80)


def test_the_reach_of_a_fund_runs_the_same_queries_however_many_returns(council, same_queries):
    fund = _fund_with_figures(council)
    PopulationProfileFactory(council=council, shares={"sex": {"female": "51"}})
    assessment = _assessment(council, subject="fund", fund=fund)

    counted = same_queries(
        lambda: reach_of(assessment),
        grow=lambda: [_returns_with_figures(fund, 2025) for _ in range(4)],
    )

    assert counted.result.returns == 10


def test_the_councils_own_pdf_of_a_fresh_draft_says_what_is_still_to_do(client, council):
    action = ActionFactory(section__plan__owner=council, section__plan__title="Access Plan")
    assessment = _assessment(council, subject="action", action=action, title="Ramp Works")
    client.force_login(assessment.owner)

    _, text = response_pdf(
        client.get(reverse("equality_plans:assessment_pdf", args=[assessment.pk]))
    )

    assert "Ramp Works" in text
    assert f"action {action.number} of Access Plan" in text
    assert "Draft" in text
    assert "Not signed off" in text
    assert "Screening is not finished." in text


def test_a_signed_off_review_not_yet_published_leaves_the_published_version_listed(client, council):
    first = _published(_assessment(council, title="Day Centres Review"))
    review = services.review_assessment(assessment=first, by=first.owner, version=None)
    services.record_full_assessment(
        assessment=review,
        by=review.owner,
        version=None,
        evidence="Evidence only the review holds.",
        consultation="Two listening events with carers.",
        impacts={
            "age": (Impact.NEGATIVE, "Fewer day centre places for older people."),
            "disability": (Impact.NEGATIVE, "Longer journeys for disabled people."),
        },
        outcome=Outcome.ADJUST,
        justification="",
        review_date=timezone.localdate() + dt.timedelta(days=365),
    )
    review = services.submit_assessment(assessment=review, by=review.owner, version=None)
    services.sign_off_assessment(assessment=review, by=_signer(council), version=None)

    listed = _list(client, council).content.decode()
    page = _page(client, first).content.decode()

    assert f'<th scope="row">{first.reference}</th>' in listed
    assert "Census 2021 and the service&#x27;s own returns." in page
    assert "Evidence only the review holds." not in page
