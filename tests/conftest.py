import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_data(db, settings):
    """The demo data as `make run` loads it."""
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"
