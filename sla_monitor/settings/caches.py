"""Django's cache, named by CACHE_URL.

django-allauth keeps in the cache the two-factor codes already used and the count of wrong
codes, so every process serving the app must share one cache: with a cache in each process's
memory, a code would be accepted once by every process and wrong codes counted in each apart.

- `redis://host:6379/1`, or `rediss://…` for Redis over TLS (with `:password@` before the
  host if it asks for one): Redis, database 1.
- `db://sla_monitor_cache`: a table in the app's own database, made by
  `manage.py createcachetable` (which does nothing for any other cache).
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

SHARED = (
    "CACHE_URL must name a cache that every app server shares: Redis "
    "(redis://host:6379/1, or rediss:// over TLS) or a table in the database "
    "(db://sla_monitor_cache)."
)
TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The database cache deletes a third of its rows when it holds more than this. Rows are few
# (each is a used code or a count of recent attempts, kept for minutes), and a cull could forget
# a code that was just used, so it is set far above what the app ever keeps.
DATABASE_CACHE_ENTRIES = 100_000


def shared_cache(url: str) -> dict:
    """The CACHES entry for CACHE_URL."""
    parts = urlsplit(url)
    if parts.scheme in {"redis", "rediss"} and parts.hostname:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme == "db" and TABLE_NAME.fullmatch(parts.netloc):
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": parts.netloc,
            "OPTIONS": {"MAX_ENTRIES": DATABASE_CACHE_ENTRIES},
        }
    # The URL itself is left out of the message: it may carry Redis's password.
    raise ImproperlyConfigured(SHARED)


def cache_for(url: str, *, debug: bool) -> dict:
    """The shared cache CACHE_URL names; without one, with DEBUG on, this process's memory, which
    is enough for one development server."""
    if url:
        return shared_cache(url)
    if debug:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(
        f"{SHARED} Set CACHE_URL in the environment when DEBUG is off, or DEBUG=1 for local "
        "development."
    )
