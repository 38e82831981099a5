"""Settings for the app run as server processes of its own (tests/app_servers.py): the test
settings, but with the cache CACHE_URL names, as production reads it, under the test's own key
prefix (CACHE_KEY_PREFIX), so that tests sharing a Redis never touch each other's keys."""

import os

from sla_monitor.settings.caches import shared_cache
from sla_monitor.settings.test import *  # noqa: F403

CACHES = {
    "default": {
        **shared_cache(os.environ["CACHE_URL"]),
        "KEY_PREFIX": os.environ["CACHE_KEY_PREFIX"],
    }
}
