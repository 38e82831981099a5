"""A milestone achieved in an earlier quarter of the agreement is shown achieved and not asked."""

import re

import pytest
from django.urls import reverse

from grants import reports, selectors, services
from grants.models import QuarterlyReturn
from grants.rag import Rag
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db


def answer_all_but_the_milestone(funded, qr) -> QuarterlyReturn:
    for key, values in {
        "per_quarter": {"actual_value": 4},
        "per_year": {"actual_value": 1},
        "percentage": {"actual_value": 80},
        "narrative": {"narrative": "Casework."},
    }.items():
        services.save_indicator_answer(
            quarterly_return=qr,
            indicator=funded.indicators[key],
            by=funded.provider_user,
            expected_version=None,
            **values,
        )
    services.save_requirement_answers(
        quarterly_return=qr,
        by=funded.provider_user,
        expected_version=None,
        answers={r.pk: (True, "") for r in funded.agreement.requirements.all()},
    )
    qr.refresh_from_db()
    return qr


def test_a_milestone_achieved_earlier_is_not_asked_and_shows_when(funded, client):
    funded.submitted(quarter=1)
    milestone = funded.indicators["milestone"]
    later = answer_all_but_the_milestone(funded, funded.start(quarter=2))
    client.force_login(funded.provider_user)

    task_list = client.get(reverse("grants:return_detail", args=[later.pk])).content.decode()
    answer_page = client.get(reverse("grants:indicator_answer", args=[later.pk, milestone.pk]))

    asked = task_list.split('aria-label="Sections of the return"')[1].split("</ol>")[0]
    assert f"/indicators/{milestone.pk}/" not in asked
    assert asked.count("<li") == 5  # four indicators and the minimum requirements
    achieved = task_list.split('id="achieved-heading"')[1].split("</section>")[0]
    assert "Indicator f:" in achieved
    assert re.search(r"Achieved in Q1 2025/26 \(reported on \d+ \w+ 20\d\d\)", achieved)
    assert "You have completed 5 of 5 sections." in task_list
    assert answer_page.status_code == 302
    assert answer_page.url == reverse("grants:return_detail", args=[later.pk])
    assert services.missing_answers(later) == []


def test_the_return_before_the_milestone_goes_on_to_the_one_after_it(funded, client):
    funded.submitted(quarter=1)
    later = funded.start(quarter=2)
    client.force_login(funded.provider_user)
    percentage, narrative = funded.indicators["percentage"], funded.indicators["narrative"]

    response = client.post(
        reverse("grants:indicator_answer", args=[later.pk, percentage.pk]),
        {"version": later.version, "actual_value": "80", "save_continue": "1"},
    )

    assert response.url == reverse("grants:indicator_answer", args=[later.pk, narrative.pk])


def test_a_return_submits_without_the_milestone_and_shows_it_achieved(funded, client):
    funded.submitted(quarter=1)
    later = answer_all_but_the_milestone(funded, funded.start(quarter=2))
    services.submit_return(quarterly_return=later, by=funded.provider_user)
    client.force_login(funded.officer)

    html = client.get(reverse("grants:return_detail", args=[later.pk])).content.decode()
    pdf = client.get(reverse("grants:return_pdf", args=[later.pk]))

    milestone = funded.indicators["milestone"]
    card = html.split(f'id="indicator-{milestone.pk}"')[1].split('<div class="card mb-3')[0]
    assert "Yes, achieved in Q1 2025/26 (reported on" in card
    assert "Not given" not in card
    assert "Green" in card
    assert f"flag_indicator_{milestone.pk}" not in html
    _, text = response_pdf(pdf)
    assert "Yes, achieved in Q1 2025/26" in text
    kept = later.submissions.get().answers[f"indicator:{milestone.pk}"]["values"]
    assert kept["achieved"] == "Yes, achieved in Q1 2025/26"


@pytest.mark.parametrize(
    ("achieved", "then"),
    [(False, "submitted"), (True, "draft"), (True, "sent back")],
    ids=["reported not achieved", "achieved in a draft", "achieved, then sent back"],
)
def test_a_milestone_not_reported_achieved_earlier_is_still_asked(funded, achieved, then):
    milestone = funded.indicators["milestone"]
    first = funded.complete(funded.start(quarter=1), milestone={"achieved": achieved})
    if then != "draft":
        services.submit_return(quarterly_return=first, by=funded.provider_user)
    if then == "sent back":
        services.request_changes(quarterly_return=first, by=funded.officer, comment="Check.")

    later = answer_all_but_the_milestone(funded, funded.start(quarter=2))

    detail = selectors.return_detail(later)
    assert milestone in [row.indicator for row in detail.rows_to_answer]
    assert [p.label for p in services.missing_answers(later)] == ["Indicator f"]


def test_a_milestone_achieved_later_does_not_change_an_earlier_return(funded):
    funded.submitted(quarter=2)
    earlier = funded.start(quarter=1)

    detail = selectors.return_detail(earlier)

    assert detail.achieved_earlier == []


def test_a_milestone_achieved_in_an_earlier_year_shows_achieved_in_each_later_quarter(
    funded, client
):
    funded.submitted(quarter=1)
    services.ensure_reporting_periods(first_year=2026, last_year=2026)
    milestone = funded.indicators["milestone"]
    client.force_login(funded.officer)

    year = reports.agreement_year(funded.agreement, 2026, charts=False)
    page = client.get(
        reverse("grants:agreement_detail", args=[funded.agreement.pk]), {"year": 2026}
    ).content.decode()
    _, text = response_pdf(
        client.get(reverse("grants:agreement_year_pdf", args=[funded.agreement.pk, 2026]))
    )

    (row,) = [row for row in year.indicators if row.indicator == milestone]
    assert [str(q.achieved_earlier.period) for q in row.quarters] == ["Q1 2025/26"] * 4
    assert [q.rag for q in row.quarters] == [Rag.GREEN] * 4
    card = page.split(f"Indicator {milestone.code}</h3>")[1].split("</table>")[0]
    assert card.count("Achieved in Q1 2025/26") == 4
    assert "Not reported" not in card
    assert text.count("Achieved in Q1 2025/26") == 4
    assert "Gre en" not in text


def test_a_milestone_achieved_in_a_quarter_shows_achieved_in_the_later_quarters_of_its_year(
    funded, client
):
    funded.submitted(quarter=2)
    milestone = funded.indicators["milestone"]

    year = reports.agreement_year(funded.agreement, 2025, charts=False)

    (row,) = [row for row in year.indicators if row.indicator == milestone]
    assert [q.reported for q in row.quarters] == [False, True, False, False]
    assert [q.achieved_earlier and q.achieved_earlier.period.quarter for q in row.quarters] == [
        None,
        None,
        2,
        2,
    ]
    assert [q.rag for q in row.quarters] == [None, Rag.GREEN, Rag.GREEN, Rag.GREEN]
