from django.apps import AppConfig


class EqualityPlansConfig(AppConfig):
    name = "equality_plans"
    verbose_name = "Equality action plans"
