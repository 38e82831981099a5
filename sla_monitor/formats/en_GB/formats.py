"""How dates read in British English across the app: "1 October 2026", as GOV.UK writes them.

Django's own en-GB formats abbreviate the month ("1 Oct 2026") and take precedence over the
settings, so the app gives its own.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
