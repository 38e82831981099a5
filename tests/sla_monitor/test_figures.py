from decimal import Decimal

import pytest

from sla_monitor.figures import Figure, Kind


@pytest.mark.parametrize(
    ("amount", "kind", "page", "csv", "cell", "number_format"),
    [
        (Decimal("3.00"), Kind.COUNT, "3", "3", 3, "#,##0"),
        (Decimal("1250.00"), Kind.COUNT, "1,250", "1250", 1250, "#,##0"),
        (Decimal("45.00"), Kind.PERCENTAGE, "45%", "45%", Decimal("0.45"), "0%"),
        (Decimal("67.50"), Kind.PERCENTAGE, "67.5%", "67.5%", Decimal("0.675"), "0.0%"),
        (Decimal("7.60"), Kind.NUMBER, "7.6", "7.6", Decimal("7.6"), "#,##0.0"),
    ],
)
def test_a_figure_reads_the_same_on_a_page_in_csv_and_in_excel(
    amount, kind, page, csv, cell, number_format
):
    figure = Figure(amount, kind)

    assert (str(figure), figure.csv_text, figure.cell_value) == (page, csv, cell)
    assert figure.number_format == number_format
