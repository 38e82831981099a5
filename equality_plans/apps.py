from django.apps import AppConfig


class EqualityPlansConfig(AppConfig):
    name = "equality_plans"
    verbose_name = "Equality action plans"

    def ready(self):
        # The modules that register need the models, so they load once the apps are ready.
        from equality_plans import audit, reports, versions
        from equality_plans.assessments import notifications
        from equality_plans.assessments import reminders as assessment_reminders
        from sla_monitor import reminders, reporting

        reporting.register(
            "plan_progress",
            build=reports.build_plan_progress_pdf,
            rows=reports.plan_progress_pdf_rows,
        )
        audit.register()
        notifications.register()
        versions.register()
        reminders.register("assessment_reviews", assessment_reminders.send_review_reminders)
