"""Two-factor sign-in served by two processes, as gunicorn's workers serve it: both share the cache
that CACHE_URL names (Redis, or a table in the database) and one database, so a code signs in
once, whichever process sees it first, and wrong codes are counted together.

Each process is `runserver` with the test settings but the cache as production reads it
(tests/app_server_settings.py). They share the test's own database: on SQLite a copy of it in a
file, taken after the test has made its people; on PostgreSQL the test database itself.

The tests with Redis need it at TEST_REDIS_URL (redis://127.0.0.1:6379/7 if unset); without one
answering there they are skipped, unless TEST_REDIS_URL is set, as .ci/run sets it, when they
fail."""

import os
import re
import sqlite3
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from html import unescape
from urllib.parse import urlsplit

import pytest
import redis
import requests
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from sla_monitor import accounts
from sla_monitor.settings.caches import shared_cache
from tests.app_servers import django_server
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SIGNED_IN = "signed in"
INCORRECT = "That code is not right."
ALREADY_USED = "That code has already been used."
TOO_MANY = "There have been too many failed attempts to sign in."


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if "TEST_REDIS_URL" in os.environ:
            pytest.fail(f"Redis does not answer at TEST_REDIS_URL ({url}).")
        pytest.skip(f"Needs Redis at {url} (set TEST_REDIS_URL to another).")
    return url


@pytest.fixture
def app_servers(tmp_path):
    """Starts `count` app servers sharing the cache `cache_url` names and the test's database as
    it is when called: their addresses. Afterwards removes the keys they made in Redis."""
    prefix = f"two-processes-{uuid.uuid4().hex}"
    redis_urls = []
    try:
        with ExitStack() as running:

            def start(count: int, cache_url: str) -> list[str]:
                if cache_url.startswith("db://"):
                    with override_settings(CACHES={"default": shared_cache(cache_url)}):
                        call_command("createcachetable")
                else:
                    redis_urls.append(cache_url)
                env = {
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": "tests.app_server_settings",
                    "DATABASE_URL": _shared_database(tmp_path),
                    "CACHE_URL": cache_url,
                    "CACHE_KEY_PREFIX": prefix,
                }
                return [
                    running.enter_context(
                        django_server(env, tmp_path / f"server{number}.log", ready="/healthz/")
                    )
                    for number in range(count)
                ]

            yield start
    finally:
        for url in redis_urls:
            keys = redis.Redis.from_url(url)
            for key in keys.scan_iter(f"{prefix}:*"):
                keys.delete(key)


def _shared_database(folder) -> str:
    """A database URL both servers can open, holding what the test has made so far."""
    if connection.vendor == "sqlite":
        path = folder / "app.sqlite3"
        path.unlink(missing_ok=True)
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return parts._replace(path="/" + connection.settings_dict["NAME"]).geturl()


class Browser:
    """One person's browser, talking to one server."""

    def __init__(self, address: str):
        self.address = address
        self.session = requests.Session()

    def _token(self, path: str) -> str:
        page = self.session.get(self.address + path, timeout=10)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        return unescape(match.group(1))

    def post(self, path: str, data: dict) -> requests.Response:
        data = {"csrfmiddlewaretoken": self._token(path), **data}
        return self.session.post(
            self.address + path,
            data=data,
            headers={"Referer": self.address + path},
            allow_redirects=False,
            timeout=30,
        )

    def sign_in_to_the_code(self, login: str) -> None:
        answer = self.post("/accounts/login/", {"login": login, "password": settings.DEMO_PASSWORD})
        assert answer.status_code == 302, answer.text[:2000]
        assert answer.headers["Location"] == "/accounts/2fa/authenticate/"

    def give_code(self, code: str) -> str:
        """Signed in, or the error the two-factor form shows."""
        answer = self.post("/accounts/2fa/authenticate/", {"code": code})
        if answer.status_code == 302:
            home = self.session.get(self.address + "/", allow_redirects=False, timeout=10)
            assert home.status_code == 200, home.headers.get("Location")
            return SIGNED_IN
        assert answer.status_code == 200, answer.status_code
        for error in (INCORRECT, ALREADY_USED, TOO_MANY):
            if error in unescape(answer.text):
                return error
        pytest.fail(f"Neither signed in nor an error:\n{answer.text[:2000]}")


@pytest.mark.parametrize("cache", ["redis", "database"])
def test_a_code_signs_in_once_though_two_processes_are_given_it_at_once(
    app_servers, request, cache
):
    cache_url = request.getfixturevalue("redis_url") if cache == "redis" else "db://shared_cache"
    officer = UserFactory(lead_officer=True)
    browsers = [Browser(address) for address in app_servers(2, cache_url)]
    for browser in browsers:
        browser.sign_in_to_the_code(officer.username)

    code = accounts.current_code(officer)
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda browser: browser.give_code(code), browsers))

    assert sorted(outcomes) == sorted([SIGNED_IN, ALREADY_USED])


def test_wrong_codes_are_counted_together_by_two_processes(app_servers, redis_url):
    officer = UserFactory(lead_officer=True)
    first, second = (Browser(address) for address in app_servers(2, redis_url))
    first.sign_in_to_the_code(officer.username)
    second.sign_in_to_the_code(officer.username)
    wrong = _a_wrong_code()

    outcomes = [(first if attempt % 2 else second).give_code(wrong) for attempt in range(6)]

    # ACCOUNT_RATE_LIMITS: 5 wrong codes per person in 5 minutes, wherever they were given.
    assert outcomes == [INCORRECT] * 5 + [TOO_MANY]
    assert first.give_code(accounts.current_code(officer)) == TOO_MANY


def _a_wrong_code() -> str:
    """A code the demo's authenticator app shows at no time the code would be accepted now."""
    now = int(time.time()) // mfa_settings.TOTP_PERIOD
    secret = accounts.DEMO_TOTP_SECRET
    accepted = {format_hotp_value(hotp_value(secret, now + step)) for step in range(-2, 3)}
    return next(code for code in ("000000", "111111", "222222") if code not in accepted)
