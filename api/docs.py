"""The API's documentation page: Redoc, served from this server (drf-spectacular-sidecar's
static files, through WhiteNoise), with no font or script from anywhere else, so that it works
on a council network that reaches nothing outside and under the site's Content Security Policy.

Redoc writes its styles into the page as it draws it, and runs its search in a worker it makes
from a blob: this page alone allows those two."""

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from drf_spectacular.views import SpectacularRedocView


class RedocPage(SpectacularRedocView):
    template_name = "api/redoc.html"

    @classmethod
    def as_view(cls, *args, **kwargs):
        view = super().as_view(*args, **kwargs)
        return login_not_required(
            csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})(view)
        )
