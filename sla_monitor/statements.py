"""What the accessibility statement says about how the service was tested. The figures are the
browser tests' own: a test checks each against them (tests/sla_monitor/test_statements.py)."""

import datetime as dt

# axe-core, as bundled with axe-playwright-python, run by the browser tests.
AXE_VERSION = "4.12.1"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Each kind of person the demo signs in as, and the public pages' visitor.
ROLES_TESTED = [
    "provider",
    "provider2",
    "officer",
    "equality",
    "admin",
    "counciladmin",
    "cohesion",
    "planmanager",
    "leicester",
    "finance",
    "senior",
    "anonymous",
]
WIDTHS_TESTED = [390, 1280]
LAST_REVIEWED = dt.date(2026, 12, 6)
