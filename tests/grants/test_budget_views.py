import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from grants import services
from grants.dashboard import council_dashboard
from grants.models import BudgetLine, ReportingPeriod, SpendAnswer
from grants.permissions import visible_agreements
from grants.selectors import spend_alerts
from tests.factories import (
    AgreementFactory,
    BudgetLineFactory,
    FundFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
)
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def budgeted(funded):
    fund = FundFactory(council=funded.agreement.funder, variance_threshold=15)
    funded.agreement.fund = fund
    funded.agreement.save(update_fields=["fund"])
    funded.staff = BudgetLineFactory(agreement=funded.agreement, amount=Decimal("4000.00"))
    return funded


def spending_url(qr):
    return reverse("grants:spend_answers", args=[qr.pk])


def test_the_task_list_has_a_spending_section_after_the_requirements(budgeted, client):
    qr = budgeted.start()
    client.force_login(budgeted.provider_user)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    assert html.index("Minimum requirements") < html.index(spending_url(qr))


def test_saving_spend_goes_on_to_check_answers(budgeted, client):
    qr = budgeted.start()
    client.force_login(budgeted.provider_user)

    response = client.post(
        spending_url(qr),
        {"version": qr.version, f"spent_{budgeted.staff.pk}": "1000.50"},
    )

    assert response.status_code == 302
    assert response.url == reverse("grants:check_answers", args=[qr.pk])
    assert SpendAnswer.objects.get().spent_to_date == Decimal("1000.50")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "The amount cannot be less than £0"),
        ("lots", "Enter an amount in pounds, like 1250.50"),
        ("99999999999", "Enter an amount no bigger than £9,999,999,999.99"),
        ("1.234", "Give the amount in pounds and pence"),
        # Python reads these as numbers (100,000 and 12,000); a person means neither.
        ("1e5", "Enter an amount in pounds, like 1250.50"),
        ("\u0661\u0662\u0660\u0660\u0660", "Enter an amount in pounds, like 1250.50"),
    ],
)
def test_bad_spend_is_refused_in_the_summary_and_beside_the_field(budgeted, client, typed, message):
    qr = budgeted.start()
    client.force_login(budgeted.provider_user)
    field = f"spent_{budgeted.staff.pk}"

    response = client.post(spending_url(qr), {"version": qr.version, field: typed})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f'<a href="#id_{field}">{message}' in html
    assert f'id="id_{field}_error"' in html
    assert not SpendAnswer.objects.exists()


def test_a_stale_spending_page_is_refused_and_nothing_saved(budgeted, client):
    qr = budgeted.start()
    client.force_login(budgeted.provider_user)

    response = client.post(
        spending_url(qr),
        {"version": qr.version + 1, f"spent_{budgeted.staff.pk}": "10"},
    )

    assert "has changed since you opened the page" in response.content.decode()
    assert not SpendAnswer.objects.exists()


def test_check_answers_links_a_missing_explanation_to_its_box(budgeted, client):
    qr = budgeted.complete(budgeted.start())
    services.save_spend_answers(
        quarterly_return=qr,
        by=budgeted.provider_user,
        expected_version=None,
        answers={budgeted.staff.pk: (Decimal("2000.00"), "")},
    )
    qr.refresh_from_db()
    client.force_login(budgeted.provider_user)

    response = client.post(reverse("grants:check_answers", args=[qr.pk]), {"version": qr.version})

    html = response.content.decode()
    field = f"explanation_{budgeted.staff.pk}"
    assert f'href="{spending_url(qr)}#id_{field}"' in html
    assert "Explain why the spend on Staff is more than 15% off" in html
    qr.refresh_from_db()
    assert qr.status == "draft"


def submitted_with_spend(funded, spent=Decimal("2000.00"), why="A worker started early."):
    qr = funded.complete(funded.start())
    services.save_spend_answers(
        quarterly_return=qr,
        by=funded.provider_user,
        expected_version=None,
        answers={funded.staff.pk: (spent, why)},
    )
    return services.submit_return(quarterly_return=qr, by=funded.provider_user)


def test_the_review_shows_budget_spend_expected_variance_and_share_with_a_flag(budgeted, client):
    qr = submitted_with_spend(budgeted)
    client.force_login(budgeted.officer)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    assert "£4,000.00" in html  # budget
    assert "25%" in html  # share of the year gone at the end of Q1
    assert "£1,000.00" in html  # expected to date
    assert "£2,000.00" in html  # spent
    assert "+£1,000.00 (+100.0%)" in html
    assert "A worker started early." in html
    assert f'name="flag_spend_{budgeted.staff.pk}"' in html


def test_an_underspend_reads_with_a_minus_before_the_pound_sign(budgeted, client):
    qr = submitted_with_spend(budgeted, spent=Decimal("500.00"), why="Recruitment took longer.")
    client.force_login(budgeted.officer)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()
    _, text = response_pdf(client.get(reverse("grants:return_pdf", args=[qr.pk])))

    assert "\u2212£500.00 (\u221250.0%)" in html
    assert "£-" not in html
    assert "\u2212£500.00" in text


def test_the_return_pdf_shows_the_spending(budgeted, client):
    qr = submitted_with_spend(budgeted)
    client.force_login(budgeted.provider_user)

    _, text = response_pdf(client.get(reverse("grants:return_pdf", args=[qr.pk])))

    assert "Spending" in text
    assert "Share of the year gone" in text
    assert "+£1,000.00" in text
    assert "A worker started early." in text


def test_the_agreement_page_charts_spend_against_budget_with_a_table(budgeted, client):
    submitted_with_spend(budgeted)
    client.force_login(budgeted.officer)

    html = client.get(
        reverse("grants:agreement_detail", args=[budgeted.agreement.pk])
    ).content.decode()

    assert "<svg" in html
    table = html[html.index("<caption>Spend against budget by year</caption>") :]
    table = table[: table.index("</table>")]
    assert "2025/26" in table
    assert "£4,000.00" in table  # the year's budget
    assert "£2,000.00" in table  # spent to date
    assert "Q1 2025/26" in table


def test_the_lead_officer_sets_a_years_budget_on_its_page(budgeted, client):
    client.force_login(budgeted.officer)
    url = reverse("grants:agreement_budget", args=[budgeted.agreement.pk])
    page = client.get(url + "?year=2025")
    version = page.context["version"]

    response = client.post(
        url,
        {
            "year": "2025",
            "version": version,
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-pk": str(budgeted.staff.pk),
            "form-0-heading": "staff",
            "form-0-amount": "5000",
            "form-1-heading": "activities",
            "form-1-label": "Events",
            "form-1-amount": "750.25",
        },
    )

    assert response.status_code == 302
    assert [(line.name, line.amount) for line in BudgetLine.objects.all()] == [
        ("Staff", Decimal("5000.00")),
        ("Activities: Events", Decimal("750.25")),
    ]


def test_a_budget_line_with_a_bad_amount_is_refused_beside_it(budgeted, client):
    client.force_login(budgeted.officer)
    url = reverse("grants:agreement_budget", args=[budgeted.agreement.pk])

    response = client.post(
        url,
        {
            "year": "2025",
            "version": "x",
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-heading": "staff",
            "form-0-amount": "-3",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_form-0-amount">The amount cannot be less than £0' in html
    assert BudgetLine.objects.get().amount == Decimal("4000.00")


def test_the_dashboard_lists_spend_off_budget_in_a_fixed_number_of_queries(
    budgeted, django_assert_num_queries
):
    submitted_with_spend(budgeted)
    with django_assert_num_queries(2):
        alerts = spend_alerts(visible_agreements(budgeted.officer))
    assert [a.agreement for a in alerts] == [budgeted.agreement]
    assert alerts[0].overspent[0].line == budgeted.staff

    # An agreement whose latest submitted spend is on budget is not listed; one under is.
    for spent in [Decimal("1000.00"), Decimal("100.00"), Decimal("100.00")]:
        agreement = AgreementFactory(funder=budgeted.agreement.funder, fund=budgeted.agreement.fund)
        line = BudgetLineFactory(agreement=agreement, amount=Decimal("4000.00"))
        earlier = QuarterlyReturnFactory(agreement=agreement, approved=True)
        SpendAnswer.objects.create(quarterly_return=earlier, budget_line=line, spent_to_date=0)
        latest = QuarterlyReturnFactory(
            agreement=agreement, submitted=True, period=ReportingPeriodFactory(quarter=2)
        )
        SpendAnswer.objects.create(
            quarterly_return=latest, budget_line=line, spent_to_date=spent * 2
        )
    with django_assert_num_queries(2):
        alerts = spend_alerts(visible_agreements(budgeted.officer))
    assert len(alerts) == 3
    assert all(alert.quarterly_return.period.quarter == 2 for alert in alerts[1:])
    assert alerts[-1].underspent


def test_the_dashboard_shows_the_agreements_off_budget(budgeted):
    submitted_with_spend(budgeted)

    dashboard = council_dashboard(
        budgeted.officer,
        ReportingPeriod.objects.get(financial_year=2025, quarter=1),
        dt.date(2025, 7, 15),
    )
    assert [a.agreement for a in dashboard.spend_alerts] == [budgeted.agreement]
