from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaMonitorConfig(AppConfig):
    name = "sla_monitor"
    verbose_name = _("Organisations and users")

    def ready(self):
        # Registering needs the models, so it happens once the apps are ready.
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from sla_monitor import (
            account_events,
            api_tokens,
            audit,
            database,
            imports,
            languages,
            middleware,
            roles,
        )
        from sla_monitor.models import ApiToken, Organisation, User

        connection_created.connect(
            database.use_sqlite_variable_limit, dispatch_uid="sla_monitor.sqlite_variable_limit"
        )
        user_logged_in.connect(middleware.mark_seen, dispatch_uid="sla_monitor.mark_seen")
        user_logged_in.connect(
            middleware.note_two_factor_setup, dispatch_uid="sla_monitor.note_two_factor_setup"
        )
        user_logged_in.connect(
            languages.keep_visitors_choice, dispatch_uid="sla_monitor.keep_visitors_choice"
        )
        account_events.connect()
        audit.register(
            audit.Source(account_events.KIND, _("Account"), account_events.account_events)
        )
        audit.register(audit.Source("import", _("Spreadsheet import"), imports.import_events))
        audit.track(
            Organisation, visible=lambda user: Organisation.objects.filter(pk=user.organisation_id)
        )
        audit.track(
            User,
            visible=lambda user: User.objects.filter(organisation_id=user.organisation_id),
            # A password's hash is never shown; a sign-in is not a change to the person.
            exclude_fields=["password", "last_login", "session_version"],
        )
        # A token's making and revoking are read by its organisation's administrators, and by
        # the service's; its digest is never shown, and its every use is not a change to it.
        audit.track(
            ApiToken,
            visible=lambda user: (
                ApiToken.objects.all() if roles.is_superuser(user) else api_tokens.tokens_of(user)
            ),
            exclude_fields=["digest", "last_used_at"],
        )
