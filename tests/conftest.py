import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponseBase
from django.test.client import Client
from django.test.utils import CaptureQueriesContext

from grants import services
from grants.models import Agreement, PerformanceIndicator, QuarterlyReturn
from sla_monitor import versions
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

    # The sweeps run first, so that the suite's processes do not end waiting on the one still
    # sweeping; the rest keep their order.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if connection.vendor != "postgresql":
        return
    skip = pytest.mark.skip(reason="a sweep of pages: it runs on SQLite, once per CI run")
    for item in items:
        if item.get_closest_marker("slow") and not item.get_closest_marker("postgres"):
            item.add_marker(skip)


@dataclass(frozen=True)
class Counted:
    """What `same_queries` measured: the queries of one run with many rows, and what that run
    returned (the response, for the test to check it shows the rows)."""

    queries: int
    result: Any


def _listed(captured: CaptureQueriesContext) -> str:
    return "\n".join(f"  {n}. {q['sql']}" for n, q in enumerate(captured.captured_queries, 1))


@pytest.fixture
def same_queries() -> Callable[..., Counted]:
    """A list, dashboard, export or PDF runs the same number of queries for few rows and many.

    `same_queries(run, grow=add_rows)` calls `run` once to warm up (a session's first request
    writes to it; charts are drawn and kept the first time), counts the queries of a second
    call, calls `grow` to add many rows, counts a third call, and fails, listing both runs' SQL,
    unless the two counts are equal. `run` is a request (`lambda: client.get(url)`), a service
    or a selector; a response must be a 200, since an error page runs few queries whatever the
    rows. It returns the count and the last call's result, for a test that also holds the
    count to a ceiling or checks the many rows are shown.
    """

    def measure(run: Callable[[], Any]) -> tuple[CaptureQueriesContext, Any]:
        # Counted cold: a part of a page kept from the run before would hide its queries; and
        # what the rows added before it moved is moved before counting, as it is on commit.
        move_queued_versions()
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            result = run()
        if isinstance(result, HttpResponseBase):
            assert result.status_code == 200, f"{result.status_code}, not a 200"
        return captured, result

    def check(run: Callable[[], Any], *, grow: Callable[[], Any]) -> Counted:
        measure(run)
        few, _ = measure(run)
        grow()
        many, result = measure(run)
        if len(few) != len(many):
            pytest.fail(
                f"{len(few)} queries with few rows but {len(many)} with many.\n"
                f"With few rows:\n{_listed(few)}\nWith many rows:\n{_listed(many)}"
            )
        return Counted(queries=len(many), result=result)

    return check


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
    """Sign-in rate limits, used two-factor codes and the parts of pages kept by version are
    kept in the cache: each test starts with none."""
    cache.clear()


# A statement that writes to the tables stored figures are worked out from.
WRITES_HISTORY = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM) "(grants|equality_plans)_', re.I)


@pytest.fixture(autouse=True)
def _stored_figures_hold(request):
    """Whatever a test did through the services, the figures stored from history
    (`grants.stored`, `equality_plans.stored`) are what working them out from that history again
    gives: no service may leave one out of step. The check runs after every test that wrote to
    the grants' or the plans' tables. A test that writes history by hand rather than through the
    services stores its figures as the services would (`stored.refresh`), or, where being out of
    step is its point, is marked `history_by_hand`."""
    checked = (
        "db" in request.fixturenames
        and "transactional_db" not in request.fixturenames
        and "live_server" not in request.fixturenames
        and not request.node.get_closest_marker("history_by_hand")
    )
    if not checked:
        yield
        return
    request.getfixturevalue("db")
    wrote = []

    def watch(execute, sql, params, many, context):
        if not wrote and WRITES_HISTORY.match(sql):
            wrote.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield
    if wrote:
        from equality_plans import stored as plans_stored
        from grants import stored

        wrong = {
            figure: n
            for figure, n in [
                *stored.rebuild(write=False).items(),
                *plans_stored.rebuild(write=False).items(),
            ]
            if n
        }
        assert not wrong, f"Stored figures out of step with history: {wrong}"


def move_queued_versions() -> None:
    """Move now the versions that writes queued to move when their transaction commits. Each
    queued move is left in its place as one that does nothing, since
    `django_capture_on_commit_callbacks` finds the callbacks it runs by their position."""
    queued = connection.run_on_commit
    for n, (savepoints, func, robust) in enumerate(queued):
        if isinstance(func, versions._Move):
            func()
            queued[n] = (savepoints, _moved, robust)


def _moved() -> None:
    """A queued move already made."""


@pytest.fixture(autouse=True)
def _versions_move_between_requests(monkeypatch):
    """In production a request's writes have committed before the next request reads. A test
    runs in one transaction that never commits, so the versions its writes queued to move on
    commit move before and after each request of the test client, as if committed then; a
    write rolled back has taken its queued moves with it, as it would have."""
    request = Client.request

    def committed(self, **kwargs):
        move_queued_versions()
        response = request(self, **kwargs)
        move_queued_versions()
        return response

    monkeypatch.setattr(Client, "request", committed)
