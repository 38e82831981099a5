from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Oversight")

    def ready(self):
        # Registering needs the models, so it happens once the apps are ready.
        from oversight import notifications, permissions, reports
        from sla_monitor import audit, reporting
        from sla_monitor.models import Invitation, User

        reporting.register(
            "equality_report",
            build=reports.build_equality_report_pdf,
            rows=reports.equality_report_pdf_rows,
        )

        # An invitation's sending, re-sending, revoking and acceptance are changes to its row;
        # its token's digest is never shown.
        audit.track(
            Invitation, visible=permissions.visible_invitations, exclude_fields=["token_hash"]
        )
        # Those who look after people read the history of their accounts: deactivations,
        # reactivations and role changes.
        audit.track(User, visible=permissions.visible_people)
        notifications.register()
