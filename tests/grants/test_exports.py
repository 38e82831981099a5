import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.values)


def test_returns_export_matches_the_filtered_queue(funded, client):
    funded.submitted(quarter=1)
    funded.start(quarter=2)
    client.force_login(funded.officer)
    query = {"status": "submitted"}
    shown = list(client.get(reverse("grants:review_queue"), query).context["returns"])

    rows = csv_rows(client.get(reverse("grants:review_queue_export", args=["csv"]), query))
    sheet = xlsx_rows(client.get(reverse("grants:review_queue_export", args=["xlsx"]), query))

    assert rows[0][:3] == ["Due date", "Quarter", "Agreement"]
    assert [(r[1], r[2], r[6]) for r in rows[1:]] == [
        (str(qr.period), qr.agreement.reference, "Submitted") for qr in shown
    ]
    assert [tuple(r[1:3]) for r in sheet[1:]] == [
        (str(qr.period), qr.agreement.reference) for qr in shown
    ]
    assert len(rows) == 2


def test_indicator_results_export_has_the_rows_of_the_page(funded, client):
    funded.submitted(quarter=1)
    funded.complete(funded.start(quarter=2))  # a draft: not a result yet
    client.force_login(funded.officer)
    query = {"measure": "count"}
    page_rows = client.get(reverse("grants:indicator_results"), query).context["rows"]

    rows = csv_rows(client.get(reverse("grants:indicator_results_export", args=["csv"]), query))
    sheet = xlsx_rows(client.get(reverse("grants:indicator_results_export", args=["xlsx"]), query))

    assert rows[0][:4] == ["Quarter", "Agreement", "Provider", "Indicator"]
    assert [(r[0], r[3], r[9], r[12]) for r in rows[1:]] == [
        ("Q1 2025/26", "c", "4", "Green"),
        ("Q1 2025/26", "b", "1", "Green"),
    ]
    assert len(page_rows) == 2
    assert [r[3] for r in sheet[1:]] == ["c", "b"]
    assert sheet[1][9] == 4


def test_results_page_runs_the_same_queries_for_few_and_many_results(funded, client, same_queries):
    client.force_login(funded.officer)
    funded.submitted(quarter=1)

    def three_more_quarters():
        for quarter in (2, 3, 4):
            funded.submitted(quarter=quarter)

    counted = same_queries(
        lambda: client.get(reverse("grants:indicator_results")), grow=three_more_quarters
    )

    assert len(counted.result.context["rows"]) == 20


@pytest.mark.parametrize(
    ("url_name", "rows_for_four_returns"),
    [("grants:review_queue_export", 4), ("grants:indicator_results_export", 20)],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_exports_run_the_same_queries_for_few_and_many_returns(
    funded, client, same_queries, url_name, rows_for_four_returns, fmt
):
    client.force_login(funded.officer)
    funded.submitted(quarter=1)

    def three_more_quarters():
        for quarter in (2, 3, 4):
            funded.submitted(quarter=quarter)

    counted = same_queries(
        lambda: client.get(reverse(url_name, args=[fmt])), grow=three_more_quarters
    )

    read = csv_rows if fmt == "csv" else xlsx_rows
    assert len(read(counted.result)) == 1 + rows_for_four_returns
