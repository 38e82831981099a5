"""Django projects run as server processes of their own, for tests that need more than the one
in-process live server: the council's OpenID Connect provider (tests/sso), or the app itself as
several processes sharing a cache (tests/hardening/test_two_factor_across_processes.py)."""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

PROJECT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def django_server(env: dict[str, str], log: Path, ready: str) -> Iterator[str]:
    """`runserver` on a free port with `env` (which names the settings), its output in `log`:
    its address, once `ready` (a path) answers 200. Stopped on leaving."""
    port = free_port()
    address = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(  # nosec B603
            [
                sys.executable,
                "-m",
                "django",
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
                "--skip-checks",
            ],
            cwd=PROJECT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(server, address + ready, log)
            yield address
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait_for(server: subprocess.Popen, url: str, log: Path) -> None:
    # A busy machine (the suite runs in a process per core) may take a while to answer its first
    # request: slow is waited for, as refused is, until the deadline.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"The server at {url} stopped:\n{log.read_text()}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.1)
    pytest.fail(f"The server at {url} did not answer:\n{log.read_text()}")
