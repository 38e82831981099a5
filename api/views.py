"""The read API's endpoints. Each is a read-only viewset over what the token's maker may see
(the scoping functions the pages use), narrowed by its `scope`, paginated, filtered as the pages
are, and answered with an ETag so that an unchanged page costs the caller nothing."""

from django.contrib.auth.decorators import login_not_required
from django.middleware.http import ConditionalGetMiddleware
from django.utils.decorators import decorator_from_middleware
from rest_framework import viewsets

from api import serializers
from grants import permissions as grant_permissions
from sla_monitor.models import ApiScope

# ETag and If-None-Match for a read: Django's ConditionalGetMiddleware, on these views alone.
conditional = decorator_from_middleware(ConditionalGetMiddleware)


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    """What every endpoint shares: the token's scope, and an ETag on each answer."""

    scope: str = ""

    @classmethod
    def as_view(cls, *args, **kwargs):
        # The API signs its callers in by their token, not by the session the pages use.
        return login_not_required(conditional(super().as_view(*args, **kwargs)))


class FundViewSet(ReadOnly):
    """A council's funds and their themes."""

    scope = ApiScope.GRANTS
    serializer_class = serializers.FundSerializer

    def get_queryset(self):
        return (
            grant_permissions.visible_funds(self.request.user)
            .select_related("council")
            .prefetch_related("themes")
            .order_by("pk")
        )
