from django.apps import AppConfig


class EqualityPlansConfig(AppConfig):
    name = "equality_plans"
    verbose_name = "Equality action plans"

    def ready(self):
        # The modules that register need the models, so they load once the apps are ready.
        from equality_plans import audit, reports
        from sla_monitor import reporting

        reporting.register("plan_progress", reports.build_plan_progress_pdf)
        audit.register()
