"""The production settings with Django's DummyCache, for `benchmarks/run.py --cold`: nothing is
kept between requests, so every page is worked out from the database each time.

The app itself refuses a cache that its processes do not share (`sla_monitor/settings/caches.py`:
the two-factor codes already used are kept in it), so only the benchmark's own settings name
the dummy cache. CACHE_URL must still name a shared cache, as the production settings read it.
"""

from sla_monitor.settings.base import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
