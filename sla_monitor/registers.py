"""Registration numbers as each register writes them, and the organisation identifier
(org-id.guide) they give an organisation. One rule, used by the form that adds a provider, by
`Organisation.save` and so by the open data.

Pure: no database. Each function takes what a person typed, with any spaces and in any case,
and returns the number as its register writes it, or raises a `ValidationError` whose message
is a sentence to show beside the field.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CharityRegister(models.TextChoices):
    ENGLAND_WALES = "england_wales", _("England and Wales (the Charity Commission)")
    SCOTLAND = "scotland", _("Scotland (the Scottish Charity Regulator, OSCR)")
    NORTHERN_IRELAND = (
        "northern_ireland",
        _("Northern Ireland (the Charity Commission for Northern Ireland)"),
    )


# org-id.guide's lists: GB-CHC (England and Wales), GB-SC (Scotland, the number keeps its SC),
# GB-NIC (Northern Ireland, the 6 digits without NIC, as the Commission writes them:
# GB-NIC-100005), GB-COH (Companies House).
ORG_ID_PREFIX = {
    CharityRegister.ENGLAND_WALES: "GB-CHC",
    CharityRegister.SCOTLAND: "GB-SC",
    CharityRegister.NORTHERN_IRELAND: "GB-NIC",
}
COMPANY_PREFIX = "GB-COH"

ENGLAND_WALES = re.compile(r"[0-9]{6,7}")
SCOTLAND = re.compile(r"SC[0-9]{6}")
NORTHERN_IRELAND = re.compile(r"(?:NIC)?([0-9]{6})")
# Companies House numbers are 8 characters: digits (written without their leading zeros by
# many), a two-letter prefix and 6 digits (SC Scotland, NI Northern Ireland, OC limited
# liability partnership, SO Scottish LLP, NC Northern Irish LLP), or R and 7 digits (a Northern
# Irish company registered before 1922).
COMPANY_DIGITS = re.compile(r"[0-9]{1,8}")
COMPANY = re.compile(r"(?:SC|NI|OC|SO|NC)[0-9]{6}|R[0-9]{7}")
# The Royal Mail's pattern: outward code (area, district) and inward code (sector, unit).
POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")

ENGLAND_WALES_ERROR = _("A charity number in England and Wales is 6 or 7 digits, like 1234567.")
SCOTLAND_ERROR = _("A Scottish charity number is SC followed by 6 digits, like SC012345.")
NORTHERN_IRELAND_ERROR = _(
    "A Northern Ireland charity number is 6 digits, or NIC followed by 6 digits, like NIC100001."
)
COMPANY_ERROR = _(
    "A company number is 8 digits, like 01234567, or 2 letters for where it is registered "
    "followed by 6 digits, like SC123456."
)
CHOOSE_REGISTER = _(
    "Choose the register of charities this number is on: a 6-digit number can be on the "
    "register for England and Wales or the one for Northern Ireland."
)
POSTCODE_ERROR = _("Enter a UK postcode, like SW1A 1AA.")


def compact(text: str) -> str:
    """The text without spaces, in capitals: "sc 012345" is SC012345."""
    return "".join(text.split()).upper()


def england_wales_charity_number(text: str) -> str:
    number = compact(text)
    if not ENGLAND_WALES.fullmatch(number):
        raise ValidationError(ENGLAND_WALES_ERROR, code="england_wales")
    return number


def scottish_charity_number(text: str) -> str:
    """OSCR writes its numbers with their SC; 6 digits alone are taken as a Scottish number when
    the register is chosen as Scotland's."""
    number = compact(text)
    if re.fullmatch(r"[0-9]{6}", number):
        number = f"SC{number}"
    if not SCOTLAND.fullmatch(number):
        raise ValidationError(SCOTLAND_ERROR, code="scotland")
    return number


def northern_ireland_charity_number(text: str) -> str:
    """The Commission for Northern Ireland writes its numbers as 6 digits (its web addresses add
    NIC): both are taken, and the 6 digits kept."""
    found = NORTHERN_IRELAND.fullmatch(compact(text))
    if found is None:
        raise ValidationError(NORTHERN_IRELAND_ERROR, code="northern_ireland")
    return found[1]


CHARITY_NUMBER = {
    CharityRegister.ENGLAND_WALES: england_wales_charity_number,
    CharityRegister.SCOTLAND: scottish_charity_number,
    CharityRegister.NORTHERN_IRELAND: northern_ireland_charity_number,
}


def register_of(text: str) -> str:
    """The register a charity number's own shape names: its prefix (SC, NIC), or 7 digits for
    England and Wales; "" when the number could be on more than one (6 digits: England and Wales
    or Northern Ireland) or on none."""
    number = compact(text)
    if number.startswith("SC"):
        return CharityRegister.SCOTLAND
    if number.startswith("NIC"):
        return CharityRegister.NORTHERN_IRELAND
    if re.fullmatch(r"[0-9]{7}", number):
        return CharityRegister.ENGLAND_WALES
    return ""


def charity_number(text: str, register: str = "") -> tuple[str, str]:
    """The number as its register writes it, and that register: the one chosen, or else the one
    the number's shape names. A prefix naming another register than the one chosen is refused,
    as a 6-digit number with no register chosen is."""
    named = register_of(text)
    prefixed = named in (CharityRegister.SCOTLAND, CharityRegister.NORTHERN_IRELAND)
    if register and prefixed and named != register:
        raise ValidationError(
            _("This number is on the register of %(named)s: choose that register, or check it.")
            % {"named": _short(named)},
            code="other_register",
        )
    register = register or named
    if not register:
        if re.fullmatch(r"[0-9]{6}", compact(text)):
            raise ValidationError(CHOOSE_REGISTER, code="choose_register")
        raise ValidationError(
            _(
                "Enter the charity number as its register writes it: 6 or 7 digits in England "
                "and Wales, SC and 6 digits in Scotland, NIC and 6 digits in Northern Ireland."
            ),
            code="invalid",
        )
    return CHARITY_NUMBER[register](text), register


def _short(register: str) -> str:
    return {
        CharityRegister.ENGLAND_WALES: _("England and Wales"),
        CharityRegister.SCOTLAND: _("Scotland"),
        CharityRegister.NORTHERN_IRELAND: _("Northern Ireland"),
    }[register]


def company_number(text: str) -> str:
    """Companies House's 8 characters: digits given without their leading zeros get them back
    (1234567 is 01234567)."""
    number = compact(text)
    if COMPANY_DIGITS.fullmatch(number):
        return number.zfill(8)
    if not COMPANY.fullmatch(number):
        raise ValidationError(COMPANY_ERROR, code="company")
    return number


def postcode(text: str) -> str:
    """A UK postcode in capitals with one space before its last three characters."""
    found = POSTCODE.fullmatch(compact(text))
    if found is None:
        raise ValidationError(POSTCODE_ERROR, code="postcode")
    return f"{found[1]} {found[2]}"


def org_id(*, charity: str = "", register: str = "", company: str = "") -> str:
    """The organisation's identifier: from its charity number first, else from its company
    number, else none. A number its register would not write gives no identifier, since open
    data with a wrong one is worse than with none (the open data then uses the council's own)."""
    if charity.strip():
        try:
            number, register = charity_number(charity, register)
        except ValidationError:
            pass
        else:
            return f"{ORG_ID_PREFIX[register]}-{number}"
    if company.strip():
        try:
            return f"{COMPANY_PREFIX}-{company_number(company)}"
        except ValidationError:
            pass
    return ""


# The registers' own names, as a Transparency Code register names where each number is held.
REGISTER_NAMES = {
    CharityRegister.ENGLAND_WALES: _("Charity Commission for England and Wales"),
    CharityRegister.SCOTLAND: _("Scottish Charity Regulator (OSCR)"),
    CharityRegister.NORTHERN_IRELAND: _("Charity Commission for Northern Ireland"),
}
COMPANIES_HOUSE = _("Companies House")

# What each register's part of an identifier looks like, as the 360Giving Data Quality Tool and
# org-id.guide's lists read it: a number the register would not write is no identifier.
ORG_ID_SHAPES = {
    "GB-CHC": ENGLAND_WALES,
    "GB-SC": SCOTLAND,
    "GB-NIC": re.compile(r"[0-9]{6}"),
    COMPANY_PREFIX: re.compile(r"[0-9]{8}|" + COMPANY.pattern),
}


def org_id_is_valid(identifier: str) -> bool:
    """Whether an identifier on one of the UK registers above is written as its register writes
    its numbers; an identifier from any other list (GB-LAE, GB-MPR, ...) is taken as given."""
    for prefix, shape in ORG_ID_SHAPES.items():
        if identifier.startswith(f"{prefix}-"):
            return bool(shape.fullmatch(identifier[len(prefix) + 1 :]))
    return bool(identifier)
