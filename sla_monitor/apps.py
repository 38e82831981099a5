from django.apps import AppConfig


class SlaMonitorConfig(AppConfig):
    name = "sla_monitor"
    verbose_name = "Organisations and users"
