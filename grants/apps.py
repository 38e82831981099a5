from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Funds and agreements"

    def ready(self):
        # The modules that register need the models, so they load once the apps are ready.
        from grants import audit, reports
        from sla_monitor import reporting

        reporting.register("return", reports.build_return_pdf)
        reporting.register("agreement_year", reports.build_agreement_year_pdf)
        audit.register()
