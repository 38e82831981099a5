"""Throughput and latency of the main pages at council scale, against the signed-in floor.

    .venv/bin/python benchmarks/run.py [--cold | --warm] [--writer same-council|other-council]
                                       [--scale N] [--compare-scale] [--pdf] [--breakdown]
                                       [--duration 10] [--connections 8] [--workers 4]

Makes (once) the scale data set in a PostgreSQL database on 127.0.0.1 (`sla_bench`, or
`sla_bench_x2` and so on for `--scale 2`), analyses it, starts the app under gunicorn with
production settings, and loads each page with wrk (from Debian's packages) from 8 concurrent
connections. Prints one table: requests per second, p50 and p95 latency, and each page's
throughput as a share of the signed-in floor page measured in the same run (the session, the
user and the layout, no reads of its own: the least any signed-in page costs). A bare Django
page is measured too, as the stack's ceiling.

--cold (the default): Django's DummyCache (`benchmarks/cold_settings.py`), so nothing is kept
between requests (target: each page at least 25% of the floor, p95 under 150 ms). --warm: the
shared cache on, Redis database 5 on this machine, emptied before the run; each page is asked
for a few times before it is measured (target: each page at least 60% of the floor).
--writer other-council (or same-council): each page is measured again while a provider funded
by another council than the measured officer's (or by the same council) saves a draft return
every 100 ms, and the table shows the ratio of the two (target, for another council: at least
0.9; for the same council the ratio is shown, not judged). --scale N: the data set N times over
(`benchmarks/scale_data.py --scale N`). --compare-scale: measures cold at scale 1 and at scale 2
(or N) in one run and prints each page's change in time (target: none more than 20%). --pdf:
the seconds and peak memory of the action plan PDF at 500 and 5,000 actions, made as the task
worker makes it. --breakdown: where each page's time goes inside one process with nothing kept
(`benchmarks/breakdown.py`): the database's share, the templates' share and the rest of the
Python, in milliseconds, and the Python function calls of one request (the same however busy
the machine is).
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
PORT = 8765
# The warm runs' shared cache: a Redis database of its own, emptied before each run.
REDIS_URL = "redis://127.0.0.1:6379/5"
PRIMING_REQUESTS = 5
TARGET_P95 = 150.0  # cold
TARGET_SHARE = {"cold": 0.25, "warm": 0.60}  # of the floor's requests per second
TARGET_WRITER_RATIO = 0.9  # with the writer in another council
TARGET_SCALE_CHANGE = 0.20  # of a page's cold time, from scale 1 to scale 2
REFERENCES = 2  # the ceiling and the floor, the first two pages measured


@dataclass
class Page:
    name: str
    path: str
    rps: float
    p50: float
    p95: float
    errors: int
    with_writer: float | None = None


@dataclass
class Run:
    scale: int
    mode: str
    pages: list[Page] = field(default_factory=list)
    shows: str = ""
    writer_saves: str = ""
    breakdown: list[dict] | None = None

    @property
    def floor(self) -> float:
        return self.pages[1].rps


def database(scale: int) -> str:
    """Each scale has a database of its own, so each is made once."""
    return "sla_bench" if scale == 1 else f"sla_bench_x{scale}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument(
        "--cold",
        dest="mode",
        action="store_const",
        const="cold",
        help="Django's DummyCache: nothing kept between requests (the default)",
    )
    modes.add_argument(
        "--warm",
        dest="mode",
        action="store_const",
        const="warm",
        help="the shared cache on (Redis), emptied, then each page primed before it is measured",
    )
    parser.set_defaults(mode="cold")
    parser.add_argument(
        "--writer",
        nargs="?",
        const="other-council",
        choices=["other-council", "same-council"],
        help="measure each page again while a provider saves a draft every 100 ms",
    )
    parser.add_argument("--scale", type=int, default=1, help="the data set N times over")
    parser.add_argument(
        "--compare-scale",
        action="store_true",
        help="measure cold at scale 1 and at --scale (2 unless given) and compare",
    )
    parser.add_argument("--pdf", action="store_true", help="time the 500 and 5,000 action PDFs")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also split each page's time in one process into database, templates and Python",
    )
    args = parser.parse_args()
    if args.compare_scale and args.mode == "warm":
        parser.error("--compare-scale compares cold times: it does not take --warm")
    if args.scale < 1:
        parser.error("--scale is 1 or more")

    wrk = shutil.which("wrk") or _install_wrk()
    static_root = tempfile.mkdtemp(prefix="sla-static-")
    try:
        if args.compare_scale:
            scales = [1, args.scale if args.scale > 1 else 2]
            runs = [_measure(scale, args, wrk, static_root) for scale in scales]
            for run in runs:
                _report(run, args)
            _print_scales(*runs)
        else:
            _report(_measure(args.scale, args, wrk, static_root), args)
        if args.pdf:
            _print_pdfs(_environment(args.scale, "cold", static_root))
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


def _environment(scale: int, mode: str, static_root: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database(scale)}",
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": static_root,
        "BENCHMARK_VIEWS": "1",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        # The production settings read CACHE_URL; the cold settings then put the dummy cache
        # in its place.
        "CACHE_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": (
            "benchmarks.cold_settings" if mode == "cold" else "sla_monitor.settings.base"
        ),
    }


def _measure(scale: int, args, wrk: str, static_root: str) -> Run:
    """One run at one scale in one mode: every page, then with the writer if asked for."""
    env = _environment(scale, args.mode, static_root)
    _prepare_database(env, scale)
    _analyse(database(scale))
    _manage(env, "collectstatic", "--noinput", "-v0")
    targets, shows = _targets(env)
    run = Run(scale=scale, mode=args.mode, shows=shows)
    if args.mode == "warm":
        _manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")
    server = _start_server(env, args.workers)
    try:
        _wait_for_server()
        for name, path, cookie in targets:
            if args.mode == "warm":
                _prime(path, cookie)
            _run_wrk(wrk, path, cookie, 2, args.connections)  # warm the workers
            run.pages.append(
                Page(name, path, *_run_wrk(wrk, path, cookie, args.duration, args.connections))
            )
        if args.writer:
            run.writer_saves = _with_writer(env, run, targets, args, wrk)
        # In its own process, with the collected static files still there, nothing kept.
        if args.breakdown:
            run.breakdown = _breakdown(_environment(scale, "cold", static_root), targets)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return run


def _start_server(env, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "sla_monitor.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )


def _prime(path: str, cookie: str) -> None:
    """Ask for the page a few times, one after another, so the shared cache holds what it
    keeps of it before it is measured."""
    for _ in range(PRIMING_REQUESTS):
        request = urllib.request.Request(
            f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": cookie} if cookie else {}
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # nosec B310
            response.read()


def _with_writer(env, run: Run, targets, args, wrk: str) -> str:
    writer = subprocess.Popen(
        [str(PYTHON), "manage.py", "shell", "-c", WRITER],
        cwd=ROOT,
        env={**env, "BENCHMARK_WRITER": args.writer},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)  # the writer has started and is saving
        if writer.poll() is not None:
            sys.exit("The writer stopped before the pages were measured.")
        for page, (_name, path, cookie) in zip(run.pages, targets, strict=True):
            page.with_writer = _run_wrk(wrk, path, cookie, args.duration, args.connections)[0]
    finally:
        writer.send_signal(signal.SIGTERM)
        saves = writer.communicate(timeout=30)[0].strip().splitlines()
    return saves[-1] if saves else "nothing"


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


def _prepare_database(env, scale: int) -> None:
    name = database(scale)
    exists = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    _manage(env, "migrate", "--noinput", "-v0")
    loaded = _manage(
        env,
        "shell",
        "-c",
        "from sla_monitor.models import Organisation, User;"
        "print(Organisation.objects.filter(short_code='SCALE001').exists(),"
        " User.objects.filter(username='scale-finance-1').exists())",
    ).split()[-2:]
    if loaded == ["True", "False"]:
        sys.exit(
            f"The database {name} holds the scale data of an earlier benchmarks/scale_data.py, "
            f"without the people and records the pages measured now need. Remove it "
            f"(dropdb -h 127.0.0.1 -U postgres {name}) and run again: it is made anew."
        )
    if loaded[0] != "True":
        print(f"Making the scale data set at scale {scale} in {name} (once)…", flush=True)
        print(_python(env, "benchmarks/scale_data.py", "--scale", str(scale)), flush=True)


def _analyse(name: str) -> None:
    """Fresh planner statistics, as autovacuum keeps them on a database in use."""
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-qc", "ANALYZE"],
        check=True,
    )


# A provider saves a draft every 100 ms, through the same service the return form uses, until
# stopped, and prints how many saves it made. BENCHMARK_WRITER says whose: a provider funded by
# another council than the measured officer's (other-council) or by the same (same-council).
WRITER = """
import os, signal, sys, time
from grants import services
from grants.models import QuarterlyReturn
from sla_monitor.models import User

saves = 0
def stop(*_):
    print(f"{saves} drafts in {time.perf_counter() - started:.0f} s", flush=True)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
officer = User.objects.get(username="scale-officer-1")
drafts = QuarterlyReturn.objects.filter(status="draft").select_related("agreement").order_by("pk")
if os.environ["BENCHMARK_WRITER"] == "same-council":
    drafts = drafts.filter(agreement__funder=officer.organisation)
else:
    drafts = drafts.exclude(agreement__funder=officer.organisation)
draft = drafts.first()
if draft is None:
    sys.exit("No draft return for the writer to save.")
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

# The people and records measured: the same at every scale (the first council's lead officer,
# finance officer and provider, its newest submitted return, its first variation, the first
# plan), with how much the new pages show, so that runs at two scales can be compared.
SESSIONS = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from equality_plans.models import ActionPlan, Assessment
from grants.models import PaymentRun, QuarterlyReturn, Variation
from oversight import search
from sla_monitor import inbox
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
council = officer.organisation
returned = QuarterlyReturn.objects.filter(
    agreement__funder=council, status="submitted").order_by("-pk").first()
latest = QuarterlyReturn.objects.filter(
    agreement__funder=council, status__in=["submitted", "approved"]
).order_by("-period__start_date").first()
plan = ActionPlan.objects.get(title="Scale equality plan 00")
variation = Variation.objects.filter(agreement__funder=council).order_by("pk").first()
found = sum(len(group.results) for group in search.search(officer, SEARCH_FOR))
print("OFFICER", session("scale-officer-1"))
print("PROVIDER", session("scale-provider-1"))
print("FINANCE", session("scale-finance-1"))
print("RETURN", returned.pk)
print("AGREEMENT", returned.agreement_id)
print("LATEST", latest.period_id)
print("PLAN", plan.pk, plan.actions.count())
print("VARIATION", variation.pk)
print(
    "SHOWS",
    f"inbox {inbox.visible_notifications(officer).count()} notifications,",
    f"search {found} results,",
    f"{Variation.objects.filter(agreement__funder=council).count()} variations,",
    f"{PaymentRun.objects.filter(council=council).count()} payment runs,",
    f"{Assessment.objects.filter(council=council).count()} assessments",
)
"""
SEARCH_FOR = "community"


def _targets(env) -> tuple[list[tuple[str, str, str]], str]:
    out = _manage(env, "shell", "-c", f"SEARCH_FOR = {SEARCH_FOR!r}\n{SESSIONS}")
    values = dict(line.split(" ", 1) for line in out.strip().splitlines() if " " in line)
    officer = f"sessionid={values['OFFICER']}"
    provider = f"sessionid={values['PROVIDER']}"
    finance = f"sessionid={values['FINANCE']}"
    plan_pk, plan_actions = values["PLAN"].split()
    targets = [
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
        ("Inbox (officer)", "/inbox/", officer),
        ("Search with results", f"/search/?q={SEARCH_FOR}", officer),
        ("Variation page", f"/variations/{values['VARIATION']}/", officer),
        ("Payments and payment runs (finance)", "/payments/", finance),
        ("Assessments list", "/assessments/", officer),
    ]
    return targets, values["SHOWS"]


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


def _report(run: Run, args) -> None:
    _print_table(run, args)
    if run.breakdown:
        _print_breakdown(run.breakdown)


def _print_table(run: Run, args) -> None:
    target_share = TARGET_SHARE[run.mode]
    cache = {
        "cold": "Django's DummyCache (nothing kept)",
        "warm": "the shared cache on (Redis), emptied, each page primed",
    }[run.mode]
    targets = f"at least {target_share:.0%} of the signed-in floor's requests per second"
    if run.mode == "cold":
        targets = f"p95 under {TARGET_P95:.0f} ms and " + targets
    if args.writer == "other-council":
        targets += f"; with the writer, at least {TARGET_WRITER_RATIO} of the same page without"
    print(
        f"\nScale {run.scale} ({database(run.scale)}: {run.shows}). {args.connections} "
        f"concurrent connections, {args.duration} s per page, {args.workers} gunicorn workers, "
        f"PostgreSQL (analysed), {cache}"
        + (
            f", then again with a provider funded by {_writer_council(args.writer)} saving a "
            "draft every 100 ms"
            if args.writer
            else ""
        )
        + f". Targets: {targets}.\n"
    )
    header = f"{'Page':<40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'floor':>6} {'errors':>7}"
    if args.writer:
        header += f" {'writer':>7} {'ratio':>6}"
    header += "  targets"
    print(header)
    print("-" * len(header))
    for index, page in enumerate(run.pages):
        share = page.rps / run.floor if run.floor else 0
        line = (
            f"{page.name:<40} {page.rps:>8.1f} {page.p50:>8.1f} {page.p95:>8.1f} "
            f"{share:>6.0%} {page.errors:>7}"
        )
        ratio = None
        if page.with_writer is not None:
            ratio = page.with_writer / page.rps if page.rps else 0
            line += f" {page.with_writer:>7.1f} {ratio:>6.2f}"
        if not page.rps:
            verdict = "NONE COMPLETED (a longer --duration?)"
        elif index < REFERENCES:
            verdict = "reference"
        else:
            missed = []
            if run.mode == "cold" and page.p95 >= TARGET_P95:
                missed.append("p95")
            if share < target_share:
                missed.append("floor share")
            if args.writer == "other-council" and ratio < TARGET_WRITER_RATIO:
                missed.append("writer")
            verdict = "met" if not missed else "MISSED " + ", ".join(missed)
        print(f"{line}  {verdict}")
    if run.writer_saves:
        print(f"\nThe writer saved {run.writer_saves}.")


def _writer_council(writer: str) -> str:
    return {"other-council": "another council", "same-council": "the officer's council"}[writer]


def _print_scales(small: Run, large: Run) -> None:
    """Each page's cold time at both scales, in floors (its time over the floor's time in the
    same run, which a busy machine moves less than milliseconds), and how much it changed."""
    print(
        f"\nScale {small.scale} against scale {large.scale}, cold. A page's time is counted in "
        "floors (the floor's requests per second over its own, in the same run); the reference "
        "pages' change is of their own time. Target: no page's time changes by more than "
        f"{TARGET_SCALE_CHANGE:.0%}.\n"
    )
    header = (
        f"{'Page':<40} {'req/s ' + str(small.scale):>9} {'req/s ' + str(large.scale):>9} "
        f"{'p95 ' + str(small.scale):>7} {'p95 ' + str(large.scale):>7} "
        f"{'floors ' + str(small.scale):>9} {'floors ' + str(large.scale):>9} {'change':>7}"
        "  target"
    )
    print(header)
    print("-" * len(header))
    for index, (one, other) in enumerate(zip(small.pages, large.pages, strict=True)):
        if not (one.rps and other.rps):
            print(f"{one.name:<40} no request completed at one of the scales")
            continue
        if index < REFERENCES:
            before, after = 1 / one.rps, 1 / other.rps
        else:
            before, after = small.floor / one.rps, large.floor / other.rps
        change = after / before - 1
        if index < REFERENCES:
            verdict = "reference"
        elif abs(change) <= TARGET_SCALE_CHANGE:
            verdict = "met"
        else:
            verdict = "MISSED"
        print(
            f"{one.name:<40} {one.rps:>9.1f} {other.rps:>9.1f} {one.p95:>7.1f} {other.p95:>7.1f} "
            f"{small.floor / one.rps:>9.2f} {large.floor / other.rps:>9.2f} {change:>+7.0%}"
            f"  {verdict}"
        )


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
