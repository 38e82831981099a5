import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


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
        DEBUG="0",
        SECRET_KEY="k3y-" + "x7Qp9#vR2mL8wZ4tB6nY1cF5hJ0sD3gK" * 2,
        ALLOWED_HOSTS="sla.example.gov.uk",
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
        DEBUG="0",
        SECRET_KEY="k3y-" + "x7Qp9#vR2mL8wZ4tB6nY1cF5hJ0sD3gK" * 2,
        ALLOWED_HOSTS="sla.example.gov.uk",
    )
    development = run_manage("shell", "-c", show, DEBUG="1", REPORT_WORKER_ROWS="50")

    assert production.stdout.split()[-2:] == ["django_tasks_db.DatabaseBackend", "200"]
    assert development.stdout.split()[-2:] == [
        "django_tasks.backends.immediate.ImmediateBackend",
        "50",
    ]
