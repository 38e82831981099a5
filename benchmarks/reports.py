"""Time and memory of each PDF report, on data made for the purpose and rolled back after.

    .venv/bin/python benchmarks/reports.py [--runs 3] [--actions 200] [--plan-only]

Each report is made as the task worker makes it (laid out, written to a file and kept in
storage, then deleted here). Prints, for each report, the best wall-clock seconds of the runs,
the peak Python memory of one run (tracemalloc) and the PDF's size, with the process's peak
resident size at the end.
"""

import argparse
import datetime as dt
import os
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sla_monitor.settings.base")

import django

django.setup()

from django.core.files.storage import default_storage  # noqa: E402
from django.db import transaction  # noqa: E402

from equality_plans import stored  # noqa: E402
from equality_plans.models import (  # noqa: E402
    Action,
    ActionPlan,
    EqualityStrand,
    PopulationProfile,
    PopulationShare,
    ProgressUpdate,
    Section,
)
from equality_plans.strands import STRANDS  # noqa: E402
from grants import services  # noqa: E402
from grants.models import (  # noqa: E402
    Agreement,
    MinimumRequirement,
    PerformanceIndicator,
    QuarterlyReturn,
    ReportingPeriod,
)
from sla_monitor import reporting  # noqa: E402
from sla_monitor.equality import CHARACTERISTICS  # noqa: E402
from sla_monitor.models import Organisation, User  # noqa: E402


class Rollback(Exception):
    """Raised to undo everything the benchmark made."""


def measure_reports(*, runs: int, actions: int, plan_only: bool) -> None:
    results = []
    try:
        with transaction.atomic():
            admin, qr, agreement, plan = _make_data(actions)

            def make(kind, pk, query=""):
                stored = reporting.render_report.call(kind, pk, admin.pk, query, "en-gb")
                size = default_storage.size(stored["path"])
                default_storage.delete(stored["path"])
                return size

            reports = [
                ("Quarterly return PDF", lambda: make("return", qr.pk)),
                (
                    "Agreement year report PDF (4 quarters, charts)",
                    lambda: make("agreement_year", agreement.pk, "year=2025"),
                ),
                (
                    f"Action plan progress PDF ({actions} actions)",
                    lambda: make("plan_progress", plan.pk),
                ),
                (
                    f"Equality information report PDF ({actions} actions)",
                    lambda: make("equality_report", plan.owner_id, "year=2025"),
                ),
            ]
            if plan_only:
                reports = reports[2:3]
            make("return", qr.pk)  # warm up fonts and imports once
            for name, render in reports:
                results.append((name, *_measure(render, runs)))
            raise Rollback
    except Rollback:
        pass
    print(f"{'Report':<52} {'best s':>8} {'peak MiB':>9} {'PDF KiB':>10}")
    for name, seconds, peak, size in results:
        print(f"{name:<52} {seconds:>8.2f} {peak:>9.1f} {size / 1024:>10.0f}")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Process peak resident memory: {maxrss:.0f} MiB")


def _measure(render, runs):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        size = render()
        timings.append(time.perf_counter() - start)
    tracemalloc.start()
    render()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return min(timings), peak / 1024 / 1024, size


def _make_data(action_count):
    council = Organisation.objects.create(
        name="Benchmark Borough Council", kind="council", short_code="BENCH"
    )
    provider_org = Organisation.objects.create(name="Benchmark Trust", kind="provider")
    admin = User.objects.create(username="bench-admin", is_superuser=True, is_staff=True)
    officer = User.objects.create(
        username="bench-officer", role="lead_officer", organisation=council
    )
    provider = User.objects.create(username="bench-provider", organisation=provider_org)
    agreement = Agreement.objects.create(
        reference="BENCH-01",
        title="Benchmark service specification",
        funder=council,
        provider=provider_org,
        lead_officer=officer,
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2029, 3, 31),
        total_allocation=Decimal("100000.00"),
        requires_beneficiary_figures=True,
    )
    measures = [
        ("count", "4", "quarter"),
        ("count", "3", "year"),
        ("percentage", "75", "year"),
        ("milestone", None, "none"),
        ("narrative", None, "none"),
        ("count", "10", "quarter"),
        ("narrative", None, "none"),
    ]
    indicators = [
        PerformanceIndicator.objects.create(
            agreement=agreement,
            code=chr(ord("a") + n),
            order=n,
            wording=f"Benchmark indicator {n + 1} with wording as long as a real one is.",
            measure_type=measure,
            target=Decimal(target) if target else None,
            target_period=period,
        )
        for n, (measure, target, period) in enumerate(measures)
    ]
    for number in range(1, 9):
        MinimumRequirement.objects.create(
            agreement=agreement, number=number, text=f"Requirement {number}."
        )
    services.set_up_agreement(agreement=agreement)
    last = None
    for quarter in range(1, 5):
        period = ReportingPeriod.objects.get(financial_year=2025, quarter=quarter)
        qr = services.start_return(agreement=agreement, period=period, by=provider)
        for indicator in indicators:
            services.save_indicator_answer(
                quarterly_return=qr,
                indicator=indicator,
                by=provider,
                expected_version=None,
                actual_value=Decimal(quarter + 2) if indicator.needs_value else None,
                achieved=True if indicator.measure_type == "milestone" else None,
                narrative="A paragraph of narrative about the quarter's work. " * 4,
            )
        services.save_requirement_answers(
            quarterly_return=qr,
            by=provider,
            expected_version=None,
            answers={r.pk: (True, "") for r in agreement.requirements.all()},
        )
        _beneficiary_figures(qr, provider)
        services.submit_return(quarterly_return=qr, by=provider)
        services.approve_return(quarterly_return=qr, by=officer)
        last = QuarterlyReturn.objects.get(pk=qr.pk)
    _population(council)
    plan = ActionPlan.objects.create(
        title="Benchmark plan",
        owner=council,
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2026, 3, 31),
    )
    strands = [
        EqualityStrand.objects.get_or_create(code=s.code, defaults={"name": s.name})[0]
        for s in STRANDS
    ]
    sections = [
        Section.objects.create(plan=plan, title=f"Directorate {n}", order=n) for n in range(6)
    ]
    actions = Action.objects.bulk_create(
        Action(
            plan=plan,
            section=sections[n % 6],
            number=str(n + 1),
            order=n,
            wording="Ensure equality implications are taken into account in decisions. " * 2,
            lead_responsibility="Head of Service",
            timescale="2025-2026",
            due_date=dt.date(2026, 3, 31),
        )
        for n in range(action_count)
    )
    Action.strands.through.objects.bulk_create(
        Action.strands.through(action=a, equalitystrand=strands[n % len(strands)])
        for n, a in enumerate(actions)
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            action=a,
            financial_year=2025,
            quarter=2,
            rag_status=["red", "amber", "green", "completed"][n % 4],
            narrative="Progress reported to the board this quarter.",
            author=officer,
        )
        for n, a in enumerate(actions)
    )
    stored.refresh_latest_rag(a.pk for a in actions)
    return admin, last, agreement, plan


def _beneficiary_figures(quarterly_return, by):
    """Someone in every category of every characteristic: the report's longest tables."""
    services.save_beneficiary_figures(
        quarterly_return=quarterly_return,
        by=by,
        expected_version=None,
        people_reached=1000,
        counts={
            characteristic.code: {
                code: 1000 // len(characteristic.codes)
                + (1000 % len(characteristic.codes) if n == 0 else 0)
                for n, code in enumerate(characteristic.codes)
            }
            for characteristic in CHARACTERISTICS
        },
        not_collected={},
    )


def _population(council):
    profile = PopulationProfile.objects.create(
        council=council, area="Benchmark", source="2021 Census", year=2021
    )
    PopulationShare.objects.bulk_create(
        PopulationShare(
            profile=profile,
            characteristic=characteristic.code,
            category=code,
            share=(Decimal(100) / len(characteristic.answered)).quantize(Decimal("0.01")),
        )
        for characteristic in CHARACTERISTICS
        for code in (c.code for c in characteristic.answered)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument(
        "--plan-only", action="store_true", help="measure the action plan PDF alone"
    )
    args = parser.parse_args()
    measure_reports(runs=args.runs, actions=args.actions, plan_only=args.plan_only)


if __name__ == "__main__":
    main()
