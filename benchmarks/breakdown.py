"""Where each page's time goes, measured inside one process: run by `benchmarks/run.py --breakdown`
with the benchmark's settings, reading the pages and sessions to measure as JSON on its input.

For each page, the median over the runs of: the whole request through the middleware, the time
the database driver spent executing the page's queries (round trips included), the time spent
rendering templates, and the rest, which is Python: the middleware, the views, building the
queries and the model instances. Then the number of Python function calls one request makes,
which unlike a time is the same on a busy machine. `run.py` starts it with the cold settings
(`benchmarks/cold_settings.py`, Django's DummyCache), so nothing is kept between requests, in
whichever mode the pages were measured; run with a cache that keeps, it empties it before each
page.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sla_monitor.settings.base")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.backends.django import Template  # noqa: E402
from django.test import Client  # noqa: E402

RUNS = 30


class Timers:
    def __init__(self):
        self.sql = 0.0
        self.templates = 0.0  # rendering, less the queries run while rendering
        self.queries = 0
        self._depth = 0

    def reset(self):
        self.sql = self.templates = 0.0
        self.queries = 0

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.sql += spent
            self.queries += 1
            if self._depth:  # a lazy query read by a template
                self.templates -= spent

    def wrap_render(self, render):
        timers = self

        def timed(template, context=None, request=None):
            if timers._depth:
                return render(template, context, request)
            timers._depth += 1
            started = time.perf_counter()
            try:
                return render(template, context, request)
            finally:
                timers._depth -= 1
                timers.templates += time.perf_counter() - started

        return timed


def _python_calls(client, path) -> int:
    """How many Python functions one request calls: a measure of its work that, unlike its
    time, does not change with what else the machine is doing."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        client.get(path, secure=True)
    finally:
        sys.setprofile(None)
    return calls


def measure(targets: list[tuple[str, str, str]], runs: int = RUNS) -> list[dict]:
    timers = Timers()
    Template.render = timers.wrap_render(Template.render)
    rows = []
    with connection.execute_wrapper(timers.execute):
        for name, path, cookie in targets:
            cache.clear()
            client = Client(headers={"host": "localhost"})
            if cookie:
                key, value = cookie.split("=", 1)
                client.cookies[key] = value
            samples = []
            for run in range(runs + 3):
                timers.reset()
                started = time.perf_counter()
                response = client.get(path, secure=True)
                whole = time.perf_counter() - started
                if response.status_code != 200:
                    sys.exit(f"{path} answered {response.status_code}")
                if run >= 3:  # the first requests warm the process
                    samples.append((whole, timers.sql, timers.templates, timers.queries))
            whole, sql, templates, _ = (statistics.median(s[i] for s in samples) for i in range(4))
            calls = _python_calls(client, path)
            rows.append(
                {
                    "name": name,
                    "whole": whole * 1000,
                    "sql": sql * 1000,
                    "templates": templates * 1000,
                    "python": (whole - sql - templates) * 1000,
                    "queries": samples[-1][3],
                    "calls": calls,
                    "runs": runs,
                }
            )
    return rows


if __name__ == "__main__":
    print("BREAKDOWN", json.dumps(measure(json.loads(sys.stdin.read()))))
