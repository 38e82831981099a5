from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """Each token's calls are limited (`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"]`), in
    the shared cache, so that every app server counts the same calls."""

    scope = "token"

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
