from django.apps import AppConfig
from django.db.models import Exists
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The migration that added the stored figures: when a database takes it, they are worked out
# from the history it already holds, once every migration has run (`grants.stored`).
STORED_FIGURES = ("grants", "0022_stored_figures")


def _fill_stored_figures(sender, plan=None, using="default", **kwargs):
    if any(
        (migration.app_label, migration.name) == STORED_FIGURES and not backwards
        for migration, backwards in plan or ()
    ):
        from grants import stored

        stored.rebuild()


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Funds and agreements")

    def ready(self):
        # The modules that register need the models, so they load once the apps are ready.
        from grants import audit, notifications, reports, versions
        from grants.models import Agreement
        from sla_monitor import languages, reporting

        # A provider delivers services on behalf of the councils that fund it: Welsh is offered
        # to its people when one of them offers it.
        languages.register_reach(
            lambda organisation: Exists(
                Agreement.objects.filter(provider=organisation, funder__welsh_offer=True)
            )
        )

        reporting.register("return", build=reports.build_return_pdf, rows=reports.return_pdf_rows)
        reporting.register(
            "agreement_year",
            build=reports.build_agreement_year_pdf,
            rows=reports.agreement_year_pdf_rows,
        )
        audit.register()
        notifications.register()
        versions.register()
        post_migrate.connect(_fill_stored_figures, sender=self)
