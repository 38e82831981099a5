"""Settings for every deployment. Each deployment value comes from the environment.

docs/deployment.md lists every variable. Without DEBUG=1 the app refuses to start until
SECRET_KEY and CACHE_URL are set, and the secure-cookie and HSTS settings switch on.
"""

import os
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .caches import cache_for
from .sso import single_sign_on

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set SECRET_KEY in the environment, "
            "or DEBUG=1 for local development."
        )
    # Used only with DEBUG on, never in production.
    SECRET_KEY = "insecure-development-key-only-used-when-debug-is-on"  # nosec B105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "sla_monitor",
    "grants",
    "equality_plans",
    "oversight",
    # Before the admin, so that its admin classes show each language's field.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "formtools",
    "crispy_forms",
    "bootstrap",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # django-allauth: sign-in, password reset and change, two-factor, and single sign-on
    # through the council's OpenID Connect provider.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # In place of Django's LocaleMiddleware: the language is the person's choice among those
    # offered to them, so it comes after authentication (sla_monitor.languages).
    "sla_monitor.languages.LanguageChoice",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Records who made each change the audit log keeps (sla_monitor.audit).
    "sla_monitor.middleware.AuditContext",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # No signed-in page kept by a browser or proxy; idle sessions end.
    "sla_monitor.middleware.SignedInResponses",
    # Council staff set up two-factor sign-in before anything else (MFA_REQUIRED_FOR_STAFF).
    "sla_monitor.middleware.TwoFactorRequired",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees the outcome of every sign-in attempt.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses sign-in after repeated failures, before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's own, by username or e-mail address, through django-allauth.
    "sla_monitor.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Sign-in takes a username or an e-mail address in its one `login` box: failures are counted
# by the account it names, however it is typed (by the login as typed when it names nobody).
AXES_USERNAME_CALLABLE = "sla_monitor.accounts.attempted_login"
# Reverse proxies in front of the app, each adding to X-Forwarded-For: sign-in throttling tells
# clients apart by the address the nearest proxy saw (sla_monitor.proxies).
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", os.environ.get("AXES_PROXY_COUNT", "0")))
AXES_CLIENT_IP_CALLABLE = "sla_monitor.proxies.client_address"

# Every script and stylesheet is a file the app serves itself: no inline script, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "sla_monitor.urls"
WSGI_APPLICATION = "sla_monitor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oversight.context_processors.navigation",
                "oversight.context_processors.inbox_count",
                "sla_monitor.languages.language_link",
            ],
        },
    },
]

# Forms are drawn by django-crispy-forms through our own template pack, templates/govuk/: a field's
# label, hint and error beside it, in the GOV.UK patterns with Bootstrap's classes.
CRISPY_TEMPLATE_PACK = "govuk"
CRISPY_ALLOWED_TEMPLATE_PACKS = ("govuk",)

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Choice lists and exports iterate querysets with .iterator(). In autocommit a server-side
    # cursor costs three extra round trips (DECLARE, FETCH, CLOSE) and breaks behind a
    # transaction-pooling PgBouncer; our result sets are small enough to fetch at once.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two requests that write at once (a double click, two tabs) wait for each other, as they
    # would on PostgreSQL, rather than one failing with "database is locked": a transaction takes
    # SQLite's write lock when it begins, not halfway through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache, shared by every process serving the app (sla_monitor/settings/caches.py): it
# keeps the two-factor codes already used and the counts of wrong codes. Without DEBUG the app
# refuses to start until CACHE_URL names Redis or a table in the database.
CACHES = {"default": cache_for(os.environ.get("CACHE_URL", "").strip(), debug=DEBUG)}

AUTH_USER_MODEL = "sla_monitor.User"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "oversight:home"
LOGOUT_REDIRECT_URL = "account_login"

# Accounts (django-allauth). People sign in by username or e-mail address; nobody signs up:
# accounts come from invitations and administrators. A password reset never says whether an
# address has an account, and mails nothing to an address without one.
ACCOUNT_ADAPTER = "sla_monitor.accounts.AccountAdapter"
# The forms in the app's words (sla_monitor/forms.py). Bandit reads a "password" key as a
# password: these are dotted paths to forms.
ACCOUNT_FORMS = {
    "login": "sla_monitor.forms.LoginForm",
    "change_password": "sla_monitor.forms.ChangePasswordForm",  # nosec B105
    "set_password": "sla_monitor.forms.SetPasswordForm",  # nosec B105
    "reset_password": "sla_monitor.forms.ResetPasswordForm",  # nosec B105
    "reset_password_from_key": "sla_monitor.forms.ResetPasswordKeyForm",  # nosec B105
    "reauthenticate": "sla_monitor.forms.ReauthenticateForm",
}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# The reset's links record nothing about the address they were asked for (a stranger may ask).
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "sla_monitor.accounts.PasswordResetTokens"  # nosec B105
ACCOUNT_UNIQUE_EMAIL = True
# Sessions last as SESSION_HOURS says, with no "remember me" box.
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL
ACCOUNT_EMAIL_SUBJECT_PREFIX = "SLA Monitor: "
# Wrong passwords are counted by django-axes (per account and address); wrong two-factor codes
# by django-allauth: at most 5 per person in 5 minutes and 10 a minute from one address.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
MFA_ADAPTER = "sla_monitor.accounts.TwoFactorAdapter"
MFA_FORMS = {
    "authenticate": "sla_monitor.forms.TwoFactorForm",
    "reauthenticate": "sla_monitor.forms.TwoFactorAgainForm",
    "activate_totp": "sla_monitor.forms.ActivateAuthenticatorForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "SLA Monitor"
# Setting up a second factor right after signing in asks for no password again (allauth would
# otherwise ask at once). Staff sessions end after SESSION_IDLE_MINUTES_STAFF without activity,
# and staff cannot switch their second factor off.
MFA_REAUTHENTICATION_REQUIRED = False
# Recovery codes are shown, downloaded or made anew only within this many seconds of signing in
# or of confirming who one is (sla_monitor.accounts.recent_sign_in_required): setting up an app
# shows them straight after the first sign-in, and a session left open asks for the password.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# One 30-second step either side, for a phone whose clock is a little out.
MFA_TOTP_TOLERANCE = 1
# Council staff and administrators must sign in with a second factor; providers may choose to.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", default=True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Each language is named in itself, as the language link shows it (docs/welsh.md).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language chosen with the header's link, kept for a year, for visitors as for people signed
# in; sent, like the session's, only over HTTPS and never to scripts.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# What councils write is kept in both languages, as columns beside each other on the same row
# (title_en_gb, title_cy: docs/welsh.md, "What councils write"). A reader sees their own
# language's text, or the other's where theirs is blank.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en-gb"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en-gb", "cy"), "en-gb": ("cy",)}
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Dates read "1 October 2026". The locale's formats win over these two settings in Django, so
# sla_monitor/formats/en_GB says the same for British English.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
FORMAT_MODULE_PATH = ["sla_monitor.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Evidence files: on this server's disk under MEDIA_ROOT, or, for several app servers sharing one
# store, in a private S3-compatible bucket (django-storages). Either way they are only ever served
# through the permission-checked download view, never by a public URL.
EVIDENCE_BUCKET = os.environ.get("EVIDENCE_BUCKET", "")
EVIDENCE_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EVIDENCE_BUCKET,
            "endpoint_url": os.environ.get("EVIDENCE_ENDPOINT_URL") or None,
            "region_name": os.environ.get("EVIDENCE_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if EVIDENCE_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": EVIDENCE_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

if DEBUG:
    # WhiteNoise serves from the finders in development; STATIC_ROOT exists after collectstatic.
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

# The change history of tracked models (sla_monitor.audit): values kept as JSON, related
# records by their name; the client's address as the nearest trusted proxy saw it
# (sla_monitor.middleware.AuditContext).
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_USE_FK_STRING_REPRESENTATION = True
AUDITLOG_DISABLE_REMOTE_ADDR = False

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SLA Monitor <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# A session lasts at most SESSION_HOURS, and ends sooner after a spell without activity:
# SESSION_IDLE_MINUTES_STAFF for council staff and administrators, SESSION_IDLE_MINUTES for others.
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_HOURS", "12")) * 3600)
SESSION_IDLE_MINUTES_STAFF = int(os.environ.get("SESSION_IDLE_MINUTES_STAFF", "30"))
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "120"))
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Single sign-on (sla_monitor/settings/sso.py, docs/deployment.md): a person signing in
# through it is matched to their existing account by verified e-mail (sla_monitor.sso).
_single_sign_on = single_sign_on(os.environ)
SOCIALACCOUNT_PROVIDERS = _single_sign_on.providers
SSO_ORGANISATION = _single_sign_on.organisation
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += _single_sign_on.form_action
SOCIALACCOUNT_ADAPTER = "sla_monitor.sso.SingleSignOnAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10

# The app's address, for the links in e-mails the task worker sends with no request to take it
# from. `make run` sets it from PORT, as does its default.
SITE_URL = os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"

# Evidence files an answer, and a whole return, may carry.
MAX_EVIDENCE_PER_ANSWER = int(os.environ.get("MAX_EVIDENCE_PER_ANSWER", "10"))
MAX_EVIDENCE_PER_RETURN = int(os.environ.get("MAX_EVIDENCE_PER_RETURN", "50"))

# E-mail and large reports go through Django's task framework. In production they are queued in
# the database for `manage.py db_worker`; with DEBUG on they run in-process when enqueued (and a
# large report, which needs a worker, is refused). TASKS_BACKEND chooses either way.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}
# A PDF report of more rows than this (actions, answers, quarters) is made by the task worker,
# not in the web request (sla_monitor/reporting.py).
REPORT_WORKER_ROWS = int(os.environ.get("REPORT_WORKER_ROWS", "200"))

# Only benchmarks/run.py turns this on: it adds a bare page to measure the stack's ceiling.
BENCHMARK_VIEWS = env_bool("BENCHMARK_VIEWS")

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "sla-monitor-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Report rendering logs every step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "matplotlib": {"level": "WARNING"},
        # Every task's start and end is logged at INFO; failures are logged as errors.
        "django_tasks": {"level": "WARNING"},
    },
}

# Who runs this service, for its accessibility statement and privacy notice.
SERVICE_OPERATOR = os.environ.get("SERVICE_OPERATOR", "Kettering Borough Council")
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "grants@example.org")
DATA_PROTECTION_EMAIL = os.environ.get("DATA_PROTECTION_EMAIL", "dpo@example.org")

# How long an invitation's link works, in days, from when it was last sent.
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))


# The read API (`api`): tokens only, read only, paginated, each token rate-limited in the
# shared cache; its OpenAPI description is generated by drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_RATE", "600/minute")},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SLA Monitor API",
    "DESCRIPTION": (
        "Read a council's funds, agreements, returns, payments, equality plans and assessments. "
        "Every call gives a token in `Authorization: Bearer <token>`; a council's administrator "
        "makes tokens, each limited to the council and to the scopes it names."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for the RAG statuses, however many fields carry them.
    "ENUM_NAME_OVERRIDES": {"RagStatusEnum": "equality_plans.models.RagStatus"},
}

# Webhooks (sla_monitor/webhooks.py): how long a receiver has to answer, in seconds, and whether
# an address on this machine (127.0.0.1, ::1, over plain HTTP too) may receive them: only for
# the tests and a developer's own machine, never in production.
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", "5"))
WEBHOOK_ALLOW_LOOPBACK = env_bool("WEBHOOK_ALLOW_LOOPBACK")
