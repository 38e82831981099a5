"""Rules every signed-in response follows: nothing kept by a browser or a proxy, and a session
that ends after a while without activity (OWASP ASVS level 2, sessions and caching)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import patch_cache_control

from sla_monitor import roles

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
                    f"You were signed out after {idle_limit(user) // 60} minutes without "
                    "activity. Sign in again to carry on.",
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
