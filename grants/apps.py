from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Funds and agreements"

    def ready(self):
        # The modules that register need the models, so they load once the apps are ready.
        from grants import audit, notifications, reports, versions
        from sla_monitor import reporting

        reporting.register("return", build=reports.build_return_pdf, rows=reports.return_pdf_rows)
        reporting.register(
            "agreement_year",
            build=reports.build_agreement_year_pdf,
            rows=reports.agreement_year_pdf_rows,
        )
        audit.register()
        notifications.register()
        versions.register()
