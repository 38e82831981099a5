from django.urls import path

from oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.council_dashboard, name="council_dashboard"),
    path("audit/", views.audit_log, name="audit_log"),
]
