import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command

from grants import services
from grants.models import Agreement, PerformanceIndicator, QuarterlyReturn
from sla_monitor.models import User
from tests.factories import (
    AgreementFactory,
    CouncilFactory,
    MinimumRequirementFactory,
    PerformanceIndicatorFactory,
    ProviderFactory,
    ReportingPeriodFactory,
    UserFactory,
)


@pytest.fixture
def demo_data(db, settings):
    """The demo data as `make run` loads it."""
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


def pytest_collection_modifyitems(config, items):
    """CI runs the suite on SQLite, then again on PostgreSQL. The sweeps (marked `slow`) load
    every page as every role to test the pages (markup, widths, accessibility, error handling),
    not the database, so they run once, on SQLite; a sweep that needs PostgreSQL's own behaviour
    says so by being marked `postgres` too."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    skip = pytest.mark.skip(reason="a sweep of pages: it runs on SQLite, once per CI run")
    for item in items:
        if item.get_closest_marker("slow") and not item.get_closest_marker("postgres"):
            item.add_marker(skip)


Measure = PerformanceIndicator.MeasureType
Per = PerformanceIndicator.TargetPeriod


@dataclass
class Funded:
    """An agreement with one indicator of every measure type, and the people around it."""

    agreement: Agreement
    provider_user: User
    officer: User
    other_provider_user: User
    other_officer: User
    indicators: dict[str, PerformanceIndicator]

    def start(self, quarter: int = 1) -> QuarterlyReturn:
        period = ReportingPeriodFactory(financial_year=2025, quarter=quarter)
        return services.start_return(agreement=self.agreement, period=period, by=self.provider_user)

    def complete(self, quarterly_return: QuarterlyReturn, **overrides) -> QuarterlyReturn:
        """Answer everything the return asks, as the provider."""
        values = {
            "per_quarter": {"actual_value": Decimal("4")},
            "per_year": {"actual_value": Decimal("1")},
            "percentage": {"actual_value": Decimal("80")},
            "milestone": {"achieved": True},
            "narrative": {"narrative": "Casework for the quarter."},
        }
        values.update(overrides)
        for key, indicator in self.indicators.items():
            services.save_indicator_answer(
                quarterly_return=quarterly_return,
                indicator=indicator,
                by=self.provider_user,
                expected_version=None,
                **values[key],
            )
        services.save_requirement_answers(
            quarterly_return=quarterly_return,
            by=self.provider_user,
            expected_version=None,
            answers={r.pk: (True, "") for r in self.agreement.requirements.all()},
        )
        quarterly_return.refresh_from_db()
        return quarterly_return

    def submitted(self, quarter: int = 1) -> QuarterlyReturn:
        quarterly_return = self.complete(self.start(quarter))
        return services.submit_return(quarterly_return=quarterly_return, by=self.provider_user)


@pytest.fixture
def funded(db) -> Funded:
    council = CouncilFactory(name="Kettering Borough Council", short_code="KBC")
    provider = ProviderFactory(name="Cohesion Network")
    officer = UserFactory(lead_officer=True, organisation=council, username="officer")
    agreement = AgreementFactory(funder=council, provider=provider, lead_officer=officer)
    indicators = {
        "per_quarter": PerformanceIndicatorFactory(
            agreement=agreement,
            code="c",
            order=1,
            measure_type=Measure.COUNT,
            target=Decimal("4"),
            target_period=Per.QUARTER,
            amber_tolerance=Decimal("25"),
        ),
        "per_year": PerformanceIndicatorFactory(
            agreement=agreement,
            code="b",
            order=2,
            measure_type=Measure.COUNT,
            target=Decimal("3"),
            target_period=Per.YEAR,
            amber_tolerance=Decimal("34"),
        ),
        "percentage": PerformanceIndicatorFactory(
            agreement=agreement,
            code="g",
            order=3,
            measure_type=Measure.PERCENTAGE,
            target=Decimal("75"),
            target_period=Per.YEAR,
        ),
        "milestone": PerformanceIndicatorFactory(
            agreement=agreement,
            code="f",
            order=4,
            measure_type=Measure.MILESTONE,
            target=None,
            target_period=Per.NONE,
        ),
        "narrative": PerformanceIndicatorFactory(
            agreement=agreement,
            code="d",
            order=5,
            measure_type=Measure.NARRATIVE,
            target=None,
            target_period=Per.NONE,
        ),
    }
    services.ensure_reporting_periods(first_year=2025, last_year=2025)
    MinimumRequirementFactory(agreement=agreement, number=1)
    MinimumRequirementFactory(agreement=agreement, number=2)
    return Funded(
        agreement=agreement,
        provider_user=UserFactory(organisation=provider, username="provider"),
        officer=officer,
        other_provider_user=UserFactory(username="provider2"),
        other_officer=UserFactory(lead_officer=True, username="other_officer"),
        indicators=indicators,
    )


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Sign-in rate limits and used two-factor codes are kept in the cache: each test starts
    with none."""
    from django.core.cache import cache

    cache.clear()
