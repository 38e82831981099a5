"""Rules every signed-in response follows: nothing kept by a browser or a proxy, and a session
that ends after a while without activity (OWASP ASVS level 2, sessions and caching)."""

import time

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext, ngettext

from sla_monitor import proxies, roles
from sla_monitor.accounts import has_two_factor, needs_two_factor_setup

LAST_SEEN = "last_seen"
# The session is written at most this often just to say its user is still there.
SEEN_EVERY = 60


class SignedInResponses:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN, now)
            if now - last_seen > idle_limit(user):
                logout(request)
                messages.info(
                    request,
                    ngettext(
                        "You were signed out after %(minutes)d minute without activity. Sign in "
                        "again to carry on.",
                        "You were signed out after %(minutes)d minutes without activity. Sign in "
                        "again to carry on.",
                        idle_limit(user) // 60,
                    )
                    % {"minutes": idle_limit(user) // 60},
                )
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= SEEN_EVERY or LAST_SEEN not in request.session:
                request.session[LAST_SEEN] = now
        response = self.get_response(request)
        if user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True, max_age=0)
        return response


def mark_seen(sender, request, user, **kwargs):
    """A new session starts as seen, so the first page after signing in writes nothing more."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


def idle_limit(user) -> int:
    """Seconds a session may stay idle: shorter for council staff, who approve payments."""
    staff = roles.is_council_staff(user) or roles.is_superuser(user)
    minutes = settings.SESSION_IDLE_MINUTES_STAFF if staff else settings.SESSION_IDLE_MINUTES
    return minutes * 60


class AuditContext(AuditlogMiddleware):
    """Records who made each change, and from which address: the one sign-in throttling trusts
    (`sla_monitor.proxies`), not the first X-Forwarded-For entry, which a client can make up."""

    @staticmethod
    def _get_remote_addr(request):
        return proxies.client_address(request)


# Set at sign-in for a person who must use a second factor and has none yet.
TWO_FACTOR_SETUP = "two_factor_setup_required"


class TwoFactorRequired:
    """Council staff without a second factor set one up before anything else.

    Whether they need to is decided once, at sign-in (`note_two_factor_setup`), and kept in the
    session until they have an authenticator, so other people's pages cost nothing more."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and request.session.get(TWO_FACTOR_SETUP)
            and not request.path.startswith(open_paths())
        ):
            if has_two_factor(request.user):
                del request.session[TWO_FACTOR_SETUP]
                return self.get_response(request)
            messages.warning(
                request,
                gettext(
                    "Council staff and administrators sign in with a second factor. Set up an "
                    "authenticator app before you carry on."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def open_paths() -> tuple[str, ...]:
    """What a person who still has to set up a second factor may reach."""
    return (
        reverse("mfa_index"),
        reverse("account_logout"),
        reverse("account_reauthenticate"),
        reverse("health"),
        # Their language, and the words of the set-up page's scripts.
        reverse("choose_language"),
        reverse("javascript_catalog"),
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}",
    )


def note_two_factor_setup(sender, request, user, **kwargs):
    """At sign-in: whether the person must set up a second factor before anything else. Signing
    in through the council's own sign-in (single sign-on) is the council's second factor."""
    if getattr(request, "signed_in_by_council", False):
        return
    if request is not None and hasattr(request, "session") and needs_two_factor_setup(user):
        request.session[TWO_FACTOR_SETUP] = True
