"""Numbers as people write them: every decimal box of the app refuses what Python would read as
a number but no person means."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sla_monitor.forms import PlainDecimalField


@pytest.mark.parametrize(
    "typed", ["1e5", "1E-2", "NaN", "Infinity", "-inf", "١٢", "12 000", "0x10"]
)
def test_what_only_python_reads_as_a_number_is_refused(typed):
    field = PlainDecimalField(required=False)

    with pytest.raises(ValidationError) as refused:
        field.clean(typed)

    assert refused.value.code == "invalid"


@pytest.mark.parametrize(
    ("typed", "value"),
    [("12", "12"), (" 1250.50 ", "1250.50"), ("-3.5", "-3.5"), (".5", "0.5"), ("7.", "7")],
)
def test_numbers_as_people_write_them_are_read(typed, value):
    assert PlainDecimalField(required=False).clean(typed) == Decimal(value)


def test_an_empty_box_is_no_number():
    assert PlainDecimalField(required=False).clean("") is None
