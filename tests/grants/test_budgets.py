import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grants import budgets, selectors, services
from grants.models import BudgetLine, SpendAnswer
from tests.factories import BudgetLineFactory, FundFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("end", "share"),
    [
        (dt.date(2025, 6, 30), Decimal("0.25")),
        (dt.date(2025, 9, 30), Decimal("0.5")),
        (dt.date(2025, 12, 31), Decimal("0.75")),
        (dt.date(2026, 3, 31), Decimal("1")),
        (dt.date(2025, 4, 30), Decimal(1) / Decimal(12)),
    ],
)
def test_share_of_the_year_gone_is_counted_in_months_from_april(end, share):
    assert budgets.share_of_year_gone(end, 2025) == share


def test_share_of_the_year_is_nothing_before_it_and_all_after_it():
    assert budgets.share_of_year_gone(dt.date(2025, 3, 31), 2025) == 0
    assert budgets.share_of_year_gone(dt.date(2026, 6, 30), 2025) == 1


@pytest.mark.parametrize(
    ("spent", "beyond"),
    [
        (Decimal("115.00"), False),  # 15% over: at the threshold
        (Decimal("115.01"), True),  # over it
        (Decimal("85.00"), False),  # 15% under: at the threshold
        (Decimal("84.99"), True),  # under it
        (Decimal("100.00"), False),
    ],
)
def test_a_variance_needs_explaining_only_beyond_the_threshold_either_way(spent, beyond):
    assert budgets.beyond_threshold(spent, Decimal("100.00"), 15) is beyond


def test_any_spend_where_none_was_expected_is_beyond_the_threshold():
    assert budgets.beyond_threshold(Decimal("0.01"), Decimal("0"), 15)
    assert not budgets.beyond_threshold(Decimal("0"), Decimal("0"), 15)


@pytest.fixture
def budgeted(funded):
    """The agreement of `funded` in a fund with a 20% threshold, and a budget of £4,000 staff
    and £2,000 activities for 2025/26."""
    fund = FundFactory(council=funded.agreement.funder, variance_threshold=20)
    funded.agreement.fund = fund
    funded.agreement.save(update_fields=["fund"])
    funded.staff = BudgetLineFactory(agreement=funded.agreement, amount=Decimal("4000.00"))
    funded.activities = BudgetLineFactory(
        agreement=funded.agreement,
        heading=BudgetLine.Heading.ACTIVITIES,
        label="Events",
        amount=Decimal("2000.00"),
    )
    return funded


def spend(funded, quarterly_return, staff, activities=(Decimal("500.00"), "")):
    services.save_spend_answers(
        quarterly_return=quarterly_return,
        by=funded.provider_user,
        expected_version=None,
        answers={funded.staff.pk: staff, funded.activities.pk: activities},
    )
    quarterly_return.refresh_from_db()


def test_a_return_shows_each_line_with_its_expected_spend_and_variance(budgeted):
    quarterly_return = budgeted.complete(budgeted.start(quarter=2))
    spend(budgeted, quarterly_return, (Decimal("2100.00"), ""))

    rows = selectors.return_detail(quarterly_return).spend_rows

    staff = rows[0]
    assert staff.share_percent == 50
    assert staff.expected == Decimal("2000.00")
    assert staff.variance == Decimal("100.00")
    assert staff.variance_percent == Decimal("5.0")
    assert not staff.needs_explanation


@pytest.mark.parametrize("spent", [Decimal("1201.00"), Decimal("799.00")])
def test_submitting_is_refused_until_a_variance_beyond_the_threshold_is_explained(budgeted, spent):
    quarterly_return = budgeted.complete(budgeted.start(quarter=1))
    spend(budgeted, quarterly_return, (spent, ""))

    with pytest.raises(services.IncompleteReturnError) as refused:
        services.submit_return(quarterly_return=quarterly_return, by=budgeted.provider_user)
    [problem] = refused.value.problems
    assert problem.field == f"explanation_{budgeted.staff.pk}"
    assert "more than 20% off" in problem.message

    spend(budgeted, quarterly_return, (spent, "A post was filled early."))
    services.submit_return(quarterly_return=quarterly_return, by=budgeted.provider_user)


@pytest.mark.parametrize("spent", [Decimal("1200.00"), Decimal("800.00")])
def test_a_variance_at_the_threshold_needs_no_explanation(budgeted, spent):
    quarterly_return = budgeted.complete(budgeted.start(quarter=1))
    spend(budgeted, quarterly_return, (spent, ""))

    services.submit_return(quarterly_return=quarterly_return, by=budgeted.provider_user)


def test_submitting_is_refused_until_every_line_has_its_spend(budgeted):
    quarterly_return = budgeted.complete(budgeted.start())

    with pytest.raises(services.IncompleteReturnError) as refused:
        services.submit_return(quarterly_return=quarterly_return, by=budgeted.provider_user)
    assert [p.field for p in refused.value.problems] == [
        f"spent_{budgeted.staff.pk}",
        f"spent_{budgeted.activities.pk}",
    ]


@pytest.mark.parametrize(
    ("spent", "message"),
    [
        (Decimal("-1.00"), "cannot be less than £0"),
        (Decimal("10000000000.00"), "no bigger than £9,999,999,999.99"),
        (Decimal("1.005"), "pounds and pence"),
    ],
)
def test_bad_spend_is_refused_beside_its_line_and_nothing_is_saved(budgeted, spent, message):
    quarterly_return = budgeted.start()
    version = quarterly_return.version

    with pytest.raises(ValidationError) as refused:
        spend(budgeted, quarterly_return, (spent, ""), activities=(Decimal("5.00"), ""))
    assert message in refused.value.message_dict[f"spent_{budgeted.staff.pk}"][0]
    assert not SpendAnswer.objects.exists()
    quarterly_return.refresh_from_db()
    assert quarterly_return.version == version


def test_a_stale_spending_page_is_refused(budgeted):
    quarterly_return = budgeted.start()

    with pytest.raises(services.StaleReturnError):
        services.save_spend_answers(
            quarterly_return=quarterly_return,
            by=budgeted.provider_user,
            expected_version=quarterly_return.version + 1,
            answers={budgeted.staff.pk: (Decimal("1.00"), "")},
        )


def test_only_the_provider_gives_spend(budgeted):
    quarterly_return = budgeted.start()

    with pytest.raises(PermissionDenied):
        services.save_spend_answers(
            quarterly_return=quarterly_return,
            by=budgeted.officer,
            expected_version=None,
            answers={budgeted.staff.pk: (Decimal("1.00"), "")},
        )


def test_the_submission_keeps_the_spend(budgeted):
    quarterly_return = budgeted.complete(budgeted.start())
    spend(budgeted, quarterly_return, (Decimal("1000.00"), ""))
    services.submit_return(quarterly_return=quarterly_return, by=budgeted.provider_user)

    kept = quarterly_return.submissions.get().answers[f"spend:{budgeted.staff.pk}"]
    assert kept["values"] == {"budget": "4000.00", "spent": "1000.00", "explanation": ""}


def test_spend_can_be_flagged_in_a_request_for_changes(budgeted):
    quarterly_return = budgeted.complete(budgeted.start())
    spend(budgeted, quarterly_return, (Decimal("1000.00"), ""))
    services.submit_return(quarterly_return=quarterly_return, by=budgeted.provider_user)

    services.request_changes(
        quarterly_return=quarterly_return,
        by=budgeted.officer,
        comment="Check staff spend.",
        flags={f"spend:{budgeted.staff.pk}": "Is this the payroll total?"},
    )

    decision = quarterly_return.transitions.last()
    assert decision.flagged_answers[0]["label"] == "Spending: Staff"
    detail = selectors.return_detail(quarterly_return)
    assert detail.spend_rows[0].flag.is_open
    assert detail.spending_status == selectors.returns.CHANGE_REQUESTED


def test_the_lead_officer_sets_a_years_budget_lines(budgeted):
    agreement = budgeted.agreement
    version = services.agreements.agreement_version(agreement)
    services.set_budget_lines(
        agreement=agreement,
        by=budgeted.officer,
        version=version,
        financial_year=2026,
        lines=[
            {"pk": None, "heading": "staff", "label": "", "amount": Decimal("30000.00")},
            {"pk": None, "heading": "running_costs", "label": "Rent", "amount": Decimal("5")},
        ],
    )

    assert [
        (line.name, line.amount) for line in agreement.budget_lines.filter(financial_year=2026)
    ] == [("Staff", Decimal("30000.00")), ("Running costs: Rent", Decimal("5.00"))]


def test_setting_a_budget_is_refused_to_the_provider_and_when_stale(budgeted):
    agreement = budgeted.agreement
    version = services.agreements.agreement_version(agreement)
    line = {"pk": None, "heading": "staff", "label": "", "amount": Decimal("1.00")}

    with pytest.raises(PermissionDenied):
        services.set_budget_lines(
            agreement=agreement,
            by=budgeted.provider_user,
            version=version,
            financial_year=2026,
            lines=[line],
        )
    with pytest.raises(ValidationError, match="changed by someone else"):
        services.set_budget_lines(
            agreement=agreement,
            by=budgeted.officer,
            version="then",
            financial_year=2026,
            lines=[line],
        )


def test_a_line_with_spend_against_it_cannot_be_removed(budgeted):
    quarterly_return = budgeted.start()
    spend(budgeted, quarterly_return, (Decimal("1.00"), ""))

    with pytest.raises(ValidationError, match="has given spend against Staff"):
        services.set_budget_lines(
            agreement=budgeted.agreement,
            by=budgeted.officer,
            version=services.agreements.agreement_version(budgeted.agreement),
            financial_year=2025,
            lines=[],
        )
    assert budgeted.agreement.budget_lines.count() == 2
