"""The demo data loaded once for a whole test module, for read-mostly tests such as the access
matrix. Each test still runs in a transaction that is rolled back; the module flushes at the end."""

import io

import pytest
from django.core.management import call_command
from django.test.utils import override_settings


def demo_module_fixture(prepare=None):
    @pytest.fixture(scope="module")
    def demo_module(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), override_settings(DEBUG=True):
            call_command("load_demo", stdout=io.StringIO())
            extra = prepare() if prepare else None
        yield extra
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)

    return demo_module
