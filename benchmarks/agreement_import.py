"""Seconds and queries of the agreements import: reading a workbook, checking it, confirming it.

    .venv/bin/python benchmarks/agreement_import.py [--rows 5000] [--step read|check|confirm]
                                                    [--changed]

Builds a workbook of new agreements in the sample's thirteen columns (`grants.demo`), one a row,
sets up a council with its fund, lead officer and provider in a test database of its own
(SQLite in memory, or a new database beside the one DATABASE_URL names), and prints for each step
its seconds and its number of queries, with DEBUG off as in production. `--step` stops after
that step, so that a timer outside can measure one step with its set-up. `--changed` imports the
workbook first, unmeasured, then measures a workbook that changes every agreement's title.
"""

import argparse
import datetime as dt
import io
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sla_monitor.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from grants import services  # noqa: E402
from grants.importing import sample_workbook  # noqa: E402
from grants.models import Fund  # noqa: E402
from sla_monitor.models import Organisation, User  # noqa: E402
from sla_monitor.tables import read_book  # noqa: E402

STEPS = ["read", "check", "confirm"]


def agreements_workbook(rows: int, *, title: str = "") -> bytes:
    """`rows` agreements, each as the sample's agreement with its own reference, the title
    starting with `title`."""
    english_council = Organisation(welsh_offer=False)
    sample = read_book("sample.xlsx", sample_workbook(english_council))["Agreements"]
    book = Workbook()
    sheet = book.active
    sheet.title = "Agreements"
    sheet.append(sample.headers)
    for n in range(1, rows + 1):
        reference, name = f"KBC-{n:05}", f"{title}{sample.rows[0][1]}"
        sheet.append([reference, name, *sample.rows[0][2:8], "1000", *sample.rows[0][9:]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def council_with_its_fund() -> tuple[Organisation, User]:
    council = Organisation.objects.create(
        name="Kettering Borough Council", short_code="KBC", kind=Organisation.Kind.COUNCIL
    )
    officer = User.objects.create(
        username="officer",
        email="officer@example.org",
        organisation=council,
        role=User.Role.LEAD_OFFICER,
    )
    Organisation.objects.create(
        name="Kettering Community Cohesion Network", kind=Organisation.Kind.PROVIDER
    )
    Fund.objects.create(
        council=council,
        name="Voluntary and Community Sector Service Specifications",
        budget=Decimal("1000000000"),
        start_date=dt.date(2030, 4, 1),
        end_date=dt.date(2034, 3, 31),
    )
    return council, officer


def measure(label: str, step):
    counted = []

    def count(execute, sql, params, many, context):
        counted.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = step()
        seconds = time.perf_counter() - started
    print(f"{label:8} {seconds:8.2f} s {len(counted):8} queries", flush=True)
    return result


def check(council, officer, book):
    return services.check_agreement_import(
        council=council, file_name="agreements.xlsx", book=book, by=officer
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--step", choices=STEPS, default="confirm")
    parser.add_argument("--changed", action="store_true")
    arguments = parser.parse_args()
    content = agreements_workbook(arguments.rows)
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        council, officer = council_with_its_fund()
        if arguments.changed:
            _, batch = check(council, officer, read_book("agreements.xlsx", content))
            services.import_agreements(council=council, batch_id=batch.pk, by=officer)
            content = agreements_workbook(arguments.rows, title="Renamed: ")
        book = measure("read", lambda: read_book("agreements.xlsx", content))
        if arguments.step == "read":
            return
        preview, batch = measure("check", lambda: check(council, officer, book))
        if preview.problems:
            raise SystemExit(f"The check found problems: {preview.problems[:3]}")
        if arguments.step == "check":
            return
        measure(
            "confirm",
            lambda: services.import_agreements(council=council, batch_id=batch.pk, by=officer),
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
