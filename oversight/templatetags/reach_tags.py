"""How the reach page writes its shares and differences."""

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.text import get_text_list
from django.utils.translation import gettext

from sla_monitor.figures import Figure
from sla_monitor.periods import financial_year_label

register = template.Library()


def _at_least_one_place(value: Decimal) -> str:
    """21 -> 21.0 and 7.60 -> 7.6, so that a column of shares lines up; 69.55 stays. Written
    as the reader's language writes a decimal."""
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if exponent < -1 else 1
    return formats.number_format(value, places, use_l10n=True)


@register.filter
def percent(value: Decimal | None) -> str:
    """7.6 -> "7.6%", 21 -> "21.0%"; empty for no share."""
    return "" if value is None else f"{_at_least_one_place(value)}%"


@register.filter
def points(value: Decimal | None) -> str:
    """A difference in percentage points with its sign: "+2.1", "0", and below zero a
    minus sign (not a hyphen) before the number."""
    if value is None:
        return ""
    if value > 0:
        return f"+{_at_least_one_place(value)}"
    if value < 0:
        return f"\N{MINUS SIGN}{_at_least_one_place(-value)}"
    return _at_least_one_place(Decimal(0))


@register.filter
def under_by(difference: Decimal) -> str:
    """How far under the population's share: the difference without its minus sign."""
    return _at_least_one_place(-difference)


@register.filter
def number(value: Decimal) -> str:
    """5.0 -> "5"; 2.5 -> "2.5"."""
    return str(Figure(value))


@register.filter
def financial_year(year: int) -> str:
    return financial_year_label(year)


@register.filter
def characteristic_names(tables) -> str:
    """The characteristics of some tables, in lower case, as a list ending in "or": "sex, age
    or ethnicity"."""
    return get_text_list(
        [str(table.characteristic.name).lower() for table in tables], gettext("or")
    )
