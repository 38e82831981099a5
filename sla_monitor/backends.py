from django.contrib.auth import backends, get_user_model


class ModelBackend(backends.ModelBackend):
    """Django's own, fetching the user's organisation with the user: every page's navigation and
    every access check asks for it, so it saves a query on every signed-in request."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("organisation")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
