import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "x7Qp9#vR2mL8wZ4tB6nY1cF5hJ0sD3gK" * 2,
    "ALLOWED_HOSTS": "sla.example.gov.uk",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "CACHE_URL",
        }
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_app_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage("check", DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_mode_starts_without_a_secret_key():
    result = run_manage("check", DEBUG="1")

    assert result.returncode == 0, result.stderr


def test_deployment_checks_pass_with_production_values():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_evidence_goes_to_a_private_bucket_when_one_is_named():
    show = "from django.core.files.storage import default_storage as s; print(s.__class__.__name__"
    on_disk = run_manage("shell", "-c", show + ")", DEBUG="1")
    in_bucket = run_manage(
        "shell",
        "-c",
        show + ", s.bucket_name, s.default_acl)",
        DEBUG="1",
        EVIDENCE_BUCKET="council-evidence",
        EVIDENCE_REGION="eu-west-2",
    )

    assert on_disk.stdout.split()[-1] == "FileSystemStorage"
    assert in_bucket.stdout.split()[-3:] == ["S3Storage", "council-evidence", "private"]


def test_production_leaves_email_and_large_reports_to_the_worker():
    show = (
        "from django.conf import settings as s; "
        "print(s.TASKS['default']['BACKEND'], s.REPORT_WORKER_ROWS)"
    )
    production = run_manage(
        "shell",
        "-c",
        show,
        **PRODUCTION,
    )
    development = run_manage("shell", "-c", show, DEBUG="1", REPORT_WORKER_ROWS="50")

    assert production.stdout.split()[-2:] == ["django_tasks_db.DatabaseBackend", "200"]
    assert development.stdout.split()[-2:] == [
        "django_tasks.backends.immediate.ImmediateBackend",
        "50",
    ]


SHOW_CACHE = (
    "from django.conf import settings as s; c = s.CACHES['default']; "
    "print(c['BACKEND'], c.get('LOCATION'))"
)


def test_production_refuses_to_start_without_a_cache_every_process_shares():
    without = {**PRODUCTION}
    del without["CACHE_URL"]

    result = run_manage("check", "--deploy", **without)

    assert result.returncode != 0
    assert "CACHE_URL must name a cache that every app server shares" in result.stderr


@pytest.mark.parametrize("url", ["locmem://", "dummy://", "memcached://127.0.0.1:11211", "redis"])
def test_production_refuses_a_cache_url_that_names_no_shared_cache(url):
    result = run_manage("check", **{**PRODUCTION, "CACHE_URL": url})

    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        (
            "redis://127.0.0.1:6379/1",
            "django.core.cache.backends.redis.RedisCache",
            "redis://127.0.0.1:6379/1",
        ),
        (
            "rediss://:secret@cache.example.gov.uk:6380/0",
            "django.core.cache.backends.redis.RedisCache",
            "rediss://:secret@cache.example.gov.uk:6380/0",
        ),
        (
            "db://sla_monitor_cache",
            "django.core.cache.backends.db.DatabaseCache",
            "sla_monitor_cache",
        ),
    ],
)
def test_production_uses_the_shared_cache_cache_url_names(url, backend, location):
    result = run_manage("shell", "-c", SHOW_CACHE, **{**PRODUCTION, "CACHE_URL": url})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == [backend, location]


def test_development_keeps_its_cache_in_memory_without_a_cache_url():
    result = run_manage("shell", "-c", SHOW_CACHE, DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2] == "django.core.cache.backends.locmem.LocMemCache"


def test_gunicorn_serves_nothing_in_production_without_a_shared_cache():
    without = {**PRODUCTION}
    del without["CACHE_URL"]
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    server = subprocess.Popen(  # nosec B603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "sla_monitor.wsgi",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "2",
        ],
        cwd=PROJECT,
        env={**environment, **without},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = server.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
        pytest.fail(f"gunicorn was still serving after a minute:\n{output}")

    assert server.returncode != 0
    assert "CACHE_URL must name a cache that every app server shares" in output


def test_the_deployment_guide_lists_every_variable_the_settings_read():
    read = set()
    for module in (PROJECT / "sla_monitor" / "settings").glob("*.py"):
        read |= set(
            re.findall(
                r'(?:environ\.get|env_bool|env_list)\(\s*"([A-Z][A-Z0-9_]*)"', module.read_text()
            )
        )
    guide = (PROJECT / "docs" / "deployment.md").read_text()

    assert {"SECRET_KEY", "CACHE_URL", "OIDC_SERVER_URL", "SUPPORT_EMAIL"} <= read
    assert sorted(name for name in read if f"`{name}`" not in guide) == []


def test_the_example_environment_names_only_variables_the_guide_lists():
    guide = (PROJECT / "docs" / "deployment.md").read_text()
    example = (PROJECT / ".env.example").read_text()
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))

    assert named
    assert sorted(name for name in named if f"`{name}`" not in guide) == []
