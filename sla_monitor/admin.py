from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from sla_monitor.models import FormSubmission, ImportBatch, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "short_code", "org_id", "charity_number", "company_number"]
    list_filter = ["kind"]
    search_fields = ["name", "short_code", "org_id", "charity_number", "company_number"]


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


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Imports are made and undone on their pages; here they are only read."""

    list_display = ["file_name", "kind", "status", "checked_by", "imported_at", "undone_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["checked_by"]
    exclude = ["rows"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FormSubmission)
class FormSubmissionAdmin(admin.ModelAdmin):
    """The one-time tokens of forms already acted on: read only, and gone after two days."""

    list_display = ["token", "submitted_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
