from django.utils.translation import gettext as _
from rest_framework import permissions


class HasScope(permissions.BasePermission):
    """The token holds the view's `scope` (grants, plans or payments)."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None or not request.user.is_authenticated:
            return False
        if view.scope not in token.scopes:
            self.message = _("This token may not read %(scope)s.") % {"scope": view.scope}
            return False
        return True
