"""Which language a person reads the service in."""

from django.conf import settings


def language_for(user) -> str:
    """The language chosen by `user`, or the service's own when they have chosen none."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE
