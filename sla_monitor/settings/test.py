"""Test overrides: fast hashing and mail kept in memory.

Missing template variables fail the test through pytest-django's --fail-on-template-vars.
"""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# pytest-django runs the tests with DEBUG off: WhiteNoise still serves the static files from the
# apps, as it does in DEBUG, so that a page's own scripts can be fetched in a test.
WHITENOISE_USE_FINDERS = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Each test process keeps its own cache, whatever CACHE_URL says: every test starts by emptying
# it. Tests of a shared cache start app servers of their own (tests/app_servers.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sign-in throttling is switched on by the tests that are about it.
AXES_ENABLED = False
