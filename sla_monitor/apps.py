from django.apps import AppConfig


class SlaMonitorConfig(AppConfig):
    name = "sla_monitor"
    verbose_name = "Organisations and users"

    def ready(self):
        # Registering needs the models, so it happens once the apps are ready.
        from django.contrib.auth.signals import user_logged_in

        from sla_monitor import audit, imports, middleware
        from sla_monitor.models import Organisation, User

        user_logged_in.connect(middleware.mark_seen, dispatch_uid="sla_monitor.mark_seen")
        audit.register(audit.Source("import", "Spreadsheet import", imports.import_events))
        audit.track(
            Organisation, visible=lambda user: Organisation.objects.filter(pk=user.organisation_id)
        )
        audit.track(
            User,
            visible=lambda user: User.objects.filter(organisation_id=user.organisation_id),
            # A password's hash is never shown; a sign-in is not a change to the person.
            exclude_fields=["password", "last_login"],
        )
