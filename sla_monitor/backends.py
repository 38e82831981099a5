from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model

from sla_monitor import languages


class ModelBackend(AuthenticationBackend):
    """Django's own, through django-allauth so that a person may sign in by username or by
    e-mail address, fetching the user's organisation with the user, and whether Welsh is
    offered to them (`sla_monitor.languages`): every page's navigation, language link and access
    checks ask for them, so it saves queries on every signed-in request."""

    def get_user(self, user_id):
        users = (
            get_user_model()
            ._default_manager.select_related("organisation")
            .annotate(**languages.offer_annotation())
        )
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
