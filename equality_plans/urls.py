from django.urls import path

from equality_plans import views

app_name = "equality_plans"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/progress.pdf", views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/actions/export/<str:fmt>/", views.actions_export, name="actions_export"),
]
