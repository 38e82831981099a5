"""How a number reads wherever the app shows it: on pages, in PDFs and charts, in CSV and Excel.

One rule, by what the number measures:
- a count is a whole number, its thousands separated on a page: "3", "1,250";
- a percentage carries its sign: "45%", "67.5%";
- any other quantity drops the zeros it does not need: "2.25", "7.6".

Exports keep a number a number. An Excel cell holds it with a number format that shows the same
text (a percentage as the fraction Excel means by "45%"); a CSV cell holds the text a spreadsheet
reads back as that number ("1250", "45%").
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils import formats


class Kind(StrEnum):
    COUNT = "count"
    PERCENTAGE = "percentage"
    NUMBER = "number"


@dataclass(frozen=True)
class Figure:
    amount: Decimal
    kind: Kind = Kind.NUMBER

    def __str__(self) -> str:
        return self._text(grouped=True)

    @property
    def csv_text(self) -> str:
        return self._text(grouped=False)

    @property
    def cell_value(self) -> int | Decimal:
        """The number an Excel cell holds."""
        if self.kind == Kind.PERCENTAGE:
            return self.amount / 100
        return int(self.amount) if _is_whole(self.amount) else self.amount.normalize()

    @property
    def number_format(self) -> str:
        """The Excel number format that shows the cell as `str(self)` reads."""
        places = _places(self.amount)
        decimals = "." + "0" * places if places else ""
        if self.kind == Kind.PERCENTAGE:
            return f"0{decimals}%"
        return f"#,##0{decimals}"

    def _text(self, *, grouped: bool) -> str:
        amount = self.amount
        places = _places(amount)
        if grouped:
            # On a page, the reader's language says how the number is written.
            text = formats.number_format(amount, places, use_l10n=True, force_grouping=True)
        else:
            text = f"{int(amount)}" if _is_whole(amount) else f"{amount.normalize():f}"
        return f"{text}%" if self.kind == Kind.PERCENTAGE else text


def _is_whole(amount: Decimal) -> bool:
    return amount == amount.to_integral_value()


def _places(amount: Decimal) -> int:
    """How many decimal places the amount needs: 0 for 3.00, 1 for 67.50, 2 for 2.25."""
    if _is_whole(amount):
        return 0
    return max(0, -int(amount.normalize().as_tuple().exponent))
