"""An indicator's numbers read the same everywhere: a percentage with "%", a count whole, and a
per-year count's target to date as a whole number of what it counts."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants import figures, selectors, services
from tests.factories import PerformanceIndicatorFactory
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(funded):
    """Indicator b counts events, 3 a year."""
    indicator = funded.indicators["per_year"]
    indicator.unit = "events"
    indicator.save(update_fields=["unit"])
    return funded


def _submitted_up_to(funded, last_quarter: int):
    """Returns of 2025/26 submitted up to the quarter, the earlier ones approved: one event in
    each quarter."""
    for quarter in range(1, last_quarter + 1):
        qr = funded.submitted(quarter)
        if quarter < last_quarter:
            services.approve_return(quarterly_return=qr, by=funded.officer)
    return qr


@pytest.mark.parametrize(
    ("quarter", "wording"),
    [
        (1, "3 events in the year; 1 expected by the end of Q1"),
        (2, "3 events in the year; 2 expected by the end of Q2"),
        (3, "3 events in the year; 2 expected by the end of Q3"),
        (4, "3 events in the year"),
    ],
)
def test_a_per_year_count_expects_a_whole_number_by_the_end_of_each_quarter(
    events, quarter, wording
):
    assert figures.target_wording(events.indicators["per_year"], quarter) == wording


def test_other_targets_read_with_their_unit_or_sign(events):
    indicators = events.indicators
    indicators["per_quarter"].unit = "groups"

    assert indicators["per_quarter"].target_wording == "4 groups per quarter"
    assert indicators["percentage"].target_wording == "75% per year"
    assert indicators["milestone"].target_wording == ""


def test_the_rag_still_compares_with_the_exact_pro_rata_target(events):
    """2 events by the end of Q3 read as the 2 expected, but 2.25 is what green needs."""
    qr = _submitted_up_to(events, 3)

    row = next(r for r in selectors.return_detail(qr).indicator_rows if r.indicator.code == "b")

    assert (row.year_to_date, row.expected_to_date) == (Decimal("3"), Decimal("2"))
    assert row.rag.value == "green"


def test_a_counts_target_is_a_whole_number():
    indicator = PerformanceIndicatorFactory.build(
        measure_type="count", target=Decimal("2.5"), target_period="year"
    )

    with pytest.raises(ValidationError) as refused:
        indicator.clean()

    assert refused.value.message_dict["target"] == ["A count's target is a whole number, like 3."]


def test_the_return_page_shows_percentages_with_their_sign_and_counts_whole(events, client):
    qr = _submitted_up_to(events, 3)
    client.force_login(events.officer)

    page = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    assert "3 events in the year; 2 expected by the end of Q3" in page
    assert "2.25" not in page
    assert '<dd class="col-sm-9">80%</dd>' in page  # this quarter's percentage
    assert "75% per year" in page
    assert '<dd class="col-sm-9">4</dd>' in page  # this quarter's count
    assert "4.00" not in page and "80.00" not in page


def test_the_provider_sees_the_same_on_the_answer_and_check_pages(events, client):
    for quarter in (1, 2):
        services.approve_return(quarterly_return=events.submitted(quarter), by=events.officer)
    draft = events.complete(events.start(3))
    client.force_login(events.provider_user)
    indicator = events.indicators["per_year"]

    answer = client.get(reverse("grants:indicator_answer", args=[draft.pk, indicator.pk]))
    check = client.get(reverse("grants:check_answers", args=[draft.pk]))

    assert "3 events in the year; 2 expected by the end of Q3" in answer.content.decode()
    assert "3, including this quarter's 1" in answer.content.decode()
    assert "80%" in check.content.decode()
    assert "2.25" not in answer.content.decode() + check.content.decode()


def test_the_return_pdf_shows_percentages_with_their_sign_and_the_expected_count(events, client):
    qr = _submitted_up_to(events, 3)
    client.force_login(events.officer)

    _, text = response_pdf(client.get(reverse("grants:return_pdf", args=[qr.pk])))

    assert "75% per year" in text
    assert "80%" in text
    assert "3 events in the year; 2 expected by the end of Q3" in text
    assert "2.25" not in text and "4.00" not in text


def test_the_year_report_and_agreement_page_show_whole_targets_to_date(events, client):
    _submitted_up_to(events, 4)
    client.force_login(events.officer)
    agreement = events.agreement

    page = client.get(reverse("grants:agreement_detail", args=[agreement.pk]), {"year": 2025})
    _, text = response_pdf(
        client.get(reverse("grants:agreement_year_pdf", args=[agreement.pk, 2025]))
    )

    html = page.content.decode()
    assert "Target: 3 events in the year" in html
    assert "0.75" not in html and "2.25" not in html
    assert "target 3 events in the year" in text
    # Quarter, target to date, actual, year to date: whole numbers, pro rata rounded.
    assert "Q1 1 1 1 Green" in text
    assert "Q3 2 1 3 Green" in text
    assert "Q1 75% 80% Green" in text
    assert "0.75" not in text and "2.25" not in text


def test_indicator_results_show_percentages_with_their_sign_and_whole_targets(events, client):
    _submitted_up_to(events, 3)
    client.force_login(events.officer)

    results = client.get(reverse("grants:indicator_results"), {"measure": "percentage"})
    counts = client.get(reverse("grants:indicator_results"), {"measure": "count"})

    assert '<td class="text-end">80%</td>' in results.content.decode()
    assert '<td class="text-end">2</td>' in counts.content.decode()
    assert "2.25" not in counts.content.decode()


def test_an_equality_indicator_reads_with_its_unit():
    from equality_plans.models import Indicator

    assert Indicator(unit="%").reading(Decimal("45.00")) == "45%"
    assert Indicator(unit="people").reading(Decimal("1250.00")) == "1,250 people"
    assert Indicator(unit="").reading(Decimal("7.60")) == "7.6"
