"""Registration numbers as each register writes them, and the identifiers they give."""

import pytest
from django.core.exceptions import ValidationError

from sla_monitor import registers
from sla_monitor.registers import CharityRegister

EW, SCOT, NI = (
    CharityRegister.ENGLAND_WALES,
    CharityRegister.SCOTLAND,
    CharityRegister.NORTHERN_IRELAND,
)


@pytest.mark.parametrize(
    ("typed", "register", "written"),
    [
        ("1234567", EW, "1234567"),
        ("202918", EW, "202918"),
        (" 1 234 567 ", EW, "1234567"),
        ("SC012345", SCOT, "SC012345"),
        ("sc 012345", SCOT, "SC012345"),
        ("012345", SCOT, "SC012345"),
        ("NIC100001", NI, "100001"),
        ("nic 100001", NI, "100001"),
        ("100001", NI, "100001"),
    ],
)
def test_a_charity_number_is_written_as_its_register_writes_it(typed, register, written):
    assert registers.charity_number(typed, register) == (written, register)


@pytest.mark.parametrize(
    ("typed", "register"),
    [("1234567", EW), ("SC012345", SCOT), ("sc012345", SCOT), ("NIC100001", NI)],
)
def test_the_register_is_read_from_the_number_when_it_names_it(typed, register):
    assert registers.charity_number(typed)[1] == register


@pytest.mark.parametrize(
    ("typed", "register", "message"),
    [
        ("12345", EW, registers.ENGLAND_WALES_ERROR),
        ("12345678", EW, registers.ENGLAND_WALES_ERROR),
        ("12345A", EW, registers.ENGLAND_WALES_ERROR),
        ("SC12345", SCOT, registers.SCOTLAND_ERROR),
        ("SC0123456", SCOT, registers.SCOTLAND_ERROR),
        ("NIC10001", NI, registers.NORTHERN_IRELAND_ERROR),
        ("1000012", NI, registers.NORTHERN_IRELAND_ERROR),
    ],
)
def test_a_charity_number_its_register_would_not_write_is_refused(typed, register, message):
    with pytest.raises(ValidationError) as refused:
        registers.charity_number(typed, register)

    assert refused.value.messages == [str(message)]


def test_the_scottish_refusal_says_how_the_number_is_written():
    with pytest.raises(ValidationError) as refused:
        registers.scottish_charity_number("SC12345")

    assert refused.value.messages == [
        "A Scottish charity number is SC followed by 6 digits, like SC012345."
    ]


def test_a_six_digit_number_needs_its_register_chosen():
    with pytest.raises(ValidationError) as refused:
        registers.charity_number("123456")

    assert refused.value.code == "choose_register"


def test_a_prefix_naming_another_register_than_the_one_chosen_is_refused():
    with pytest.raises(ValidationError) as refused:
        registers.charity_number("SC012345", EW)

    assert refused.value.code == "other_register"
    assert "Scotland" in refused.value.messages[0]


def test_a_number_of_letters_alone_is_refused():
    with pytest.raises(ValidationError) as refused:
        registers.charity_number("ABCDEF")

    assert refused.value.code == "invalid"


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("1234567", "01234567"),
        ("01234567", "01234567"),
        ("SC123456", "SC123456"),
        ("sc 123456", "SC123456"),
        ("NI012345", "NI012345"),
        ("OC301234", "OC301234"),
        ("SO301234", "SO301234"),
        ("NC001234", "NC001234"),
        ("R0000123", "R0000123"),
    ],
)
def test_a_company_number_is_written_as_companies_house_writes_it(typed, written):
    assert registers.company_number(typed) == written


@pytest.mark.parametrize("typed", ["123456789", "SC12345", "XX123456", "OC1234567", "R123456"])
def test_a_company_number_companies_house_would_not_write_is_refused(typed):
    with pytest.raises(ValidationError) as refused:
        registers.company_number(typed)

    assert refused.value.messages == [str(registers.COMPANY_ERROR)]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("NN16 8AA", "NN16 8AA"),
        (" le1  6zg ", "LE1 6ZG"),
        ("M11AE", "M1 1AE"),
    ],
)
def test_a_postcode_is_in_capitals_with_one_space(typed, written):
    assert registers.postcode(typed) == written


@pytest.mark.parametrize("typed", ["NN16", "12345", "SW1A 1AAA", "ZZZ 1AA"])
def test_a_postcode_that_is_not_one_is_refused(typed):
    with pytest.raises(ValidationError):
        registers.postcode(typed)


@pytest.mark.parametrize(
    ("numbers", "org_id"),
    [
        ({"charity": "1234567"}, "GB-CHC-1234567"),
        ({"charity": "202918", "register": EW}, "GB-CHC-202918"),
        ({"charity": "sc012345"}, "GB-SC-SC012345"),
        ({"charity": "NIC100001"}, "GB-NIC-100001"),
        ({"charity": "100001", "register": NI}, "GB-NIC-100001"),
        ({"company": "1234567"}, "GB-COH-01234567"),
        ({"company": "oc301234"}, "GB-COH-OC301234"),
        ({"charity": "1234567", "company": "01234567"}, "GB-CHC-1234567"),
        ({"charity": "12", "company": "SC123456"}, "GB-COH-SC123456"),
        ({"charity": "123456"}, ""),
        ({}, ""),
    ],
)
def test_the_identifier_comes_from_the_charity_number_first_then_the_company_number(
    numbers, org_id
):
    assert registers.org_id(**numbers) == org_id
