from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from sla_monitor.models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "short_code", "charity_number", "company_number"]
    list_filter = ["kind"]
    search_fields = ["name", "short_code", "charity_number", "company_number"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "organisation",
        "is_staff",
    ]
    list_filter = ["role", "organisation__kind", "is_staff", "is_superuser", "is_active"]
    list_select_related = ["organisation"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Organisation and role", {"fields": ["organisation", "role", "job_title"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        ("Organisation and role", {"fields": ["organisation", "role", "job_title"]}),
    ]
