"""Throughput and latency of the main pages at council scale, against the stack's ceiling.

    .venv/bin/python benchmarks/run.py [--duration 10] [--connections 8] [--workers 4] [--cold]

Makes (once) the scale data set in a PostgreSQL database `sla_bench` on 127.0.0.1, starts the
app under gunicorn with production settings, and loads each page with wrk (from Debian's
packages) from 8 concurrent connections. Prints one table: requests per second, p50 and p95
latency, and each page's throughput as a share of a bare Django page measured in the same run.
A signed-in empty page (the session, the user and the layout, no reads of its own) is measured
beside it: the least any signed-in page costs. With --cold Django's cache is a dummy one that
keeps nothing, so nothing any library or page keeps in it helps.
"""

import argparse
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
TARGET_SHARE, TARGET_P95 = 0.5, 150.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--cold",
        action="store_true",
        help="a dummy cache that keeps nothing between requests",
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
    }
    if args.cold:
        env["CACHE_BACKEND"] = "django.core.cache.backends.dummy.DummyCache"
    _prepare_database(env)
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
            _run_wrk(wrk, path, cookie, 2, args.connections)  # warm the workers
            results.append(
                (name, path, *_run_wrk(wrk, path, cookie, args.duration, args.connections))
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
    _print_table(results, args)


def _manage(env, *args) -> str:
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
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
    loaded = _manage(
        env,
        "shell",
        "-c",
        "from sla_monitor.models import Organisation;"
        "print(Organisation.objects.filter(short_code='SCALE001').exists())",
    )
    if "True" not in loaded:
        print("Making the scale data set (once)…", flush=True)
        print(_manage(env, "make_scale_data"), flush=True)


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
plan = ActionPlan.objects.get(title="Scale equality plan 00")
print("OFFICER", session("scale-officer-1"))
print("PROVIDER", session("scale-provider-1"))
print("RETURN", returned.pk)
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
        ("Officer dashboard", "/dashboard/", officer),
        ("Review queue", "/review/", officer),
        ("Return page", f"/returns/{values['RETURN']}/", officer),
        ("Provider dashboard", "/returns/", provider),
        (f"Plan page ({plan_actions} actions)", f"/plans/{plan_pk}/", officer),
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


def _print_table(results, args) -> None:
    ceiling = results[0][2]
    print(
        f"\n{args.connections} concurrent connections, {args.duration} s per page, "
        f"{args.workers} gunicorn workers, PostgreSQL, scale data set, "
        f"{'dummy cache' if args.cold else 'configured cache'}. "
        f"Targets: p95 under "
        f"{TARGET_P95:.0f} ms and at least {TARGET_SHARE:.0%} of the bare page's throughput.\n"
    )
    header = (
        f"{'Page':<34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'share':>7} {'errors':>7}"
        f"  {'p95 target':<11} share target"
    )
    print(header)
    print("-" * len(header))
    for name, _path, rps, p50, p95, errors in results:
        share = rps / ceiling if ceiling else 0
        if name.startswith(("Bare", "Signed-in")):
            p95_met = share_met = "reference"
        else:
            p95_met = "met" if p95 < TARGET_P95 else "MISSED"
            share_met = "met" if share >= TARGET_SHARE else "MISSED"
        print(
            f"{name:<34} {rps:>8.1f} {p50:>8.1f} {p95:>8.1f} {share:>6.0%} {errors:>7}"
            f"  {p95_met:<11} {share_met}"
        )


if __name__ == "__main__":
    main()
