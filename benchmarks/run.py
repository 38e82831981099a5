"""Throughput and latency of the main pages at council scale, against the signed-in floor.

    .venv/bin/python benchmarks/run.py [--duration 10] [--connections 8] [--workers 4]
                                       [--cold] [--writer] [--pdf] [--breakdown]

Makes (once) the scale data set in a PostgreSQL database `sla_bench` on 127.0.0.1, analyses it,
starts the app under gunicorn with production settings, and loads each page with wrk (from
Debian's packages) from 8 concurrent connections. Prints one table: requests per second, p50 and
p95 latency, and each page's throughput as a share of the signed-in floor page measured in the
same run (the session, the user and the layout, no reads of its own: the least any signed-in
page costs). A bare Django page is measured too, as the stack's ceiling.

--cold: Django's cache (a table in the benchmark's database, as production needs one that every
worker shares) is emptied before each page, so nothing kept helps (target: each page at least
25% of the floor, p95 under 150 ms). --writer: each page is measured again while a
provider of another council saves a draft return every 100 ms, and the table shows the ratio of
the two (target: at least 0.9, and 50% of the floor). --pdf: the seconds and peak memory of the
action plan PDF at 500 and 5,000 actions, made as the task worker makes it. --breakdown: where
each page's time goes inside one process, the cache emptied first (`benchmarks/breakdown.py`): the
database's share, the templates' share and the rest of the Python, in milliseconds, and the
Python function calls of one request (the same however busy the machine is).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
DATABASE = "sla_bench"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
PORT = 8765
CACHE_TABLE = "sla_bench_cache"
TARGET_P95 = 150.0
TARGET_SHARE = {"cold": 0.25, "warm": 0.5}  # of the floor's requests per second
TARGET_WRITER_RATIO = 0.9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--cold",
        action="store_true",
        help="empty the cache before each page is measured",
    )
    parser.add_argument(
        "--writer",
        action="store_true",
        help="measure each page again while another council's provider saves every 100 ms",
    )
    parser.add_argument("--pdf", action="store_true", help="time the 500 and 5,000 action PDFs")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also split each page's time in one process into database, templates and Python",
    )
    args = parser.parse_args()

    wrk = shutil.which("wrk") or _install_wrk()
    static_root = tempfile.mkdtemp(prefix="sla-static-")
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": static_root,
        "BENCHMARK_VIEWS": "1",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "sla_monitor.settings.base",
        "CACHE_URL": f"db://{CACHE_TABLE}",
    }
    _prepare_database(env)
    _analyse()
    _manage(env, "collectstatic", "--noinput", "-v0")
    targets = _targets(env)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "sla_monitor.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_for_server()
        results = []
        for name, path, cookie in targets:
            if args.cold:
                _manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")
            _run_wrk(wrk, path, cookie, 2, args.connections)  # warm the workers
            results.append(
                (name, path, *_run_wrk(wrk, path, cookie, args.duration, args.connections))
            )
        with_writer = []
        if args.writer:
            writer = subprocess.Popen(
                [str(PYTHON), "manage.py", "shell", "-c", WRITER],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            try:
                time.sleep(3)  # the writer has started and is saving
                for _name, path, cookie in targets:
                    with_writer.append(
                        _run_wrk(wrk, path, cookie, args.duration, args.connections)[0]
                    )
            finally:
                writer.send_signal(signal.SIGTERM)
                saves = writer.communicate(timeout=30)[0].strip().splitlines()
            print(f"The writer saved {saves[-1] if saves else 'nothing'}.")
        # In its own process, with the collected static files still there.
        breakdown = _breakdown(env, targets) if args.breakdown else None
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
    _print_table(results, with_writer, args)
    if breakdown:
        _print_breakdown(breakdown)
    if args.pdf:
        _print_pdfs(env)


def _manage(env, *args) -> str:
    return _python(env, "manage.py", *args)


def _python(env, script, *args) -> str:
    """Run one of the project's scripts (manage.py, or a benchmark beside this one)."""
    done = subprocess.run(
        [str(PYTHON), script, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"{script} {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _prepare_database(env) -> None:
    exists = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "createcachetable")
    loaded = _manage(
        env,
        "shell",
        "-c",
        "from sla_monitor.models import Organisation;"
        "print(Organisation.objects.filter(short_code='SCALE001').exists())",
    )
    if "True" not in loaded:
        print("Making the scale data set (once)…", flush=True)
        print(_python(env, "benchmarks/scale_data.py"), flush=True)


def _analyse() -> None:
    """Fresh planner statistics, as autovacuum keeps them on a database in use."""
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE, "-qc", "ANALYZE"],
        check=True,
    )


# A provider of another council than the measured officer's saves a draft every 100 ms, through
# the same service the return form uses, until stopped; it prints how many saves it made.
WRITER = """
import signal, sys, time
from grants import services
from grants.models import QuarterlyReturn
from sla_monitor.models import User

saves = 0
def stop(*_):
    print(f"{saves} drafts in {time.perf_counter() - started:.0f} s", flush=True)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
officer = User.objects.get(username="scale-officer-1")
draft = (
    QuarterlyReturn.objects.filter(status="draft")
    .exclude(agreement__funder=officer.organisation)
    .select_related("agreement")
    .order_by("pk")
    .first()
)
provider = User.objects.filter(organisation=draft.agreement.provider).first()
indicator = draft.agreement.indicators.filter(measure_type="count").first()
started = time.perf_counter()
while True:
    draft.refresh_from_db()
    services.save_indicator_answer(
        quarterly_return=draft, indicator=indicator, by=provider,
        expected_version=None, actual_value=saves % 50,
    )
    saves += 1
    time.sleep(0.1)
"""

SESSIONS = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from equality_plans.models import ActionPlan
from grants.models import QuarterlyReturn
from sla_monitor.models import User

def session(username):
    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "sla_monitor.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

officer = User.objects.get(username="scale-officer-1")
returned = QuarterlyReturn.objects.filter(
    agreement__funder=officer.organisation, status="submitted").order_by("-pk").first()
latest = QuarterlyReturn.objects.filter(
    agreement__funder=officer.organisation, status__in=["submitted", "approved"]
).order_by("-period__start_date").first()
plan = ActionPlan.objects.get(title="Scale equality plan 00")
print("OFFICER", session("scale-officer-1"))
print("PROVIDER", session("scale-provider-1"))
print("RETURN", returned.pk)
print("AGREEMENT", returned.agreement_id)
print("LATEST", latest.period_id)
print("PLAN", plan.pk, plan.actions.count())
"""


def _targets(env):
    out = _manage(env, "shell", "-c", SESSIONS)
    values = dict(line.split(" ", 1) for line in out.strip().splitlines() if " " in line)
    officer, provider = f"sessionid={values['OFFICER']}", f"sessionid={values['PROVIDER']}"
    plan_pk, plan_actions = values["PLAN"].split()
    return [
        ("Bare Django page (ceiling)", "/bench/bare/", ""),
        ("Signed-in empty page (floor)", "/bench/signed-in/", officer),
        ("Officer dashboard, current quarter", "/dashboard/", officer),
        (
            "Officer dashboard, latest with returns",
            f"/dashboard/?period={values['LATEST']}",
            officer,
        ),
        ("Review queue", "/review/", officer),
        ("Return page (officer)", f"/returns/{values['RETURN']}/", officer),
        ("Agreement page", f"/agreements/{values['AGREEMENT']}/", officer),
        ("Provider dashboard", "/returns/", provider),
        (f"Plan page ({plan_actions} actions)", f"/plans/{plan_pk}/", officer),
        ("Plan strand coverage", f"/plans/{plan_pk}/coverage/", officer),
    ]


def _wait_for_server() -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not start")


def _run_wrk(wrk, path, cookie, duration, connections):
    command = [
        wrk,
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "benchmarks" / "p95.lua"),
        f"http://127.0.0.1:{PORT}{path}",
    ]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(
        r"RESULT rps=([\d.]+) p50=([\d.]+) p95=([\d.]+) errors=(\d+) non2xx=(\d+)", out
    )
    if not match:
        sys.exit(f"wrk printed no result for {path}:\n{out}")
    rps, p50, p95, errors, non2xx = match.groups()
    return float(rps), float(p50), float(p95), int(errors) + int(non2xx)


def _install_wrk() -> str:
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("wrk")


def _print_table(results, with_writer, args) -> None:
    floor = results[1][2]
    kind = "cold" if args.cold else "warm"
    target_share = TARGET_SHARE[kind]
    print(
        f"\n{args.connections} concurrent connections, {args.duration} s per page, "
        f"{args.workers} gunicorn workers, PostgreSQL (analysed), scale data set, "
        f"{'cache emptied before each page' if args.cold else 'database cache'}. "
        f"Targets: p95 under {TARGET_P95:.0f} ms and at least {target_share:.0%} of the "
        f"signed-in floor's requests per second"
        + (
            f"; with the writer, at least {TARGET_WRITER_RATIO} of the same page without."
            if with_writer
            else "."
        )
        + "\n"
    )
    header = f"{'Page':<40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'floor':>6} {'errors':>7}"
    if with_writer:
        header += f" {'writer':>7} {'ratio':>6}"
    header += "  targets"
    print(header)
    print("-" * len(header))
    for index, (name, _path, rps, p50, p95, errors) in enumerate(results):
        share = rps / floor if floor else 0
        line = f"{name:<40} {rps:>8.1f} {p50:>8.1f} {p95:>8.1f} {share:>6.0%} {errors:>7}"
        ratio = None
        if with_writer:
            ratio = with_writer[index] / rps if rps else 0
            line += f" {with_writer[index]:>7.1f} {ratio:>6.2f}"
        if index < 2:
            verdict = "reference"
        else:
            missed = []
            if p95 >= TARGET_P95:
                missed.append("p95")
            if share < target_share:
                missed.append("floor share")
            if ratio is not None and (
                ratio < TARGET_WRITER_RATIO or with_writer[index] / floor < target_share
            ):
                missed.append("writer")
            verdict = "met" if not missed else "MISSED " + ", ".join(missed)
        print(f"{line}  {verdict}")


def _breakdown(env, targets) -> list[dict]:
    done = subprocess.run(
        [str(PYTHON), str(ROOT / "benchmarks" / "breakdown.py")],
        input=json.dumps(targets[1:]),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("BREAKDOWN ")), None)
    if line is None:
        sys.exit(f"The breakdown failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(line.removeprefix("BREAKDOWN "))


def _print_breakdown(rows) -> None:
    print(
        "\nWhere the time goes, in one process with nothing kept (median of "
        f"{rows[0]['runs']} requests, ms):\n"
    )
    header = (
        f"{'Page':<40} {'whole':>7} {'queries':>8} {'database':>9} {'templates':>10} "
        f"{'Python':>7} {'x floor':>8} {'calls':>8} {'x floor':>8}"
    )
    print(header)
    print("-" * len(header))
    floor, floor_calls = rows[0]["whole"], rows[0]["calls"]
    for row in rows:
        print(
            f"{row['name']:<40} {row['whole']:>7.1f} {row['queries']:>8} {row['sql']:>9.1f} "
            f"{row['templates']:>10.1f} {row['python']:>7.1f} {row['whole'] / floor:>8.1f} "
            f"{row['calls']:>8} {row['calls'] / floor_calls:>8.1f}"
        )


def _print_pdfs(env) -> None:
    """The plan PDF made as the task worker makes it, at 500 and 5,000 actions."""
    for actions in (500, 5000):
        print(
            _python(
                env,
                "benchmarks/reports.py",
                "--runs",
                "1",
                "--actions",
                str(actions),
                "--plan-only",
            )
        )


if __name__ == "__main__":
    main()
