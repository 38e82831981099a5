from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from sla_monitor.equality import OPTIONAL_ASSESSMENT_GROUPS
from sla_monitor.models import (
    AccountEvent,
    ApiToken,
    ChartDrawing,
    FormSubmission,
    ImportBatch,
    Invitation,
    Notification,
    Organisation,
    User,
    WebhookDelivery,
    WebhookEndpoint,
)


class UniqueEmailMixin:
    """An address another person has, in any mix of capitals, is refused beside the field."""

    def clean_email(self):
        email = self.cleaned_data.get("email", "")
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another person already has this e-mail address."))
        return email


class UserCreationForm(UniqueEmailMixin, AdminUserCreationForm):
    pass


class UserEditForm(UniqueEmailMixin, UserChangeForm):
    pass


class OrganisationForm(forms.ModelForm):
    """The groups a council's assessments also consider are ticked from those offered, and
    kept as their codes."""

    assessment_groups = forms.MultipleChoiceField(
        label=_("Groups its equality impact assessments also consider"),
        choices=OPTIONAL_ASSESSMENT_GROUPS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=Organisation._meta.get_field("assessment_groups").help_text,
    )

    class Meta:
        model = Organisation
        # The admin shows every field; this form only changes how one is chosen.
        exclude: list[str] = []

    def clean_assessment_groups(self):
        chosen = set(self.cleaned_data.get("assessment_groups") or ())
        # Kept in the order they are offered, each once.
        return [code for code, _name in OPTIONAL_ASSESSMENT_GROUPS if code in chosen]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("assessment_groups") and cleaned.get("kind") != Organisation.Kind.COUNCIL:
            self.add_error(
                "assessment_groups",
                _(
                    "Only a council's equality impact assessments consider groups: leave "
                    "these unticked."
                ),
            )
        return cleaned


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ["name", "kind", "short_code", "org_id", "charity_number", "company_number"]
    list_filter = ["kind"]
    search_fields = ["name", "short_code", "org_id", "charity_number", "company_number"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
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
        (_("Organisation and role"), {"fields": ["organisation", "role", "job_title"]}),
        (_("Inbox"), {"fields": ["email_choice"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Organisation and role"), {"fields": ["organisation", "role", "job_title"]}),
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


@admin.register(ChartDrawing)
class ChartDrawingAdmin(admin.ModelAdmin):
    """Charts drawn once and kept: read only. Deleting them is safe; they are drawn again."""

    list_display = ["key", "drawn_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent, re-sent and revoked on the People pages; here they are only read."""

    list_display = ["email", "organisation", "role", "invited_by", "created", "expires_at"]
    list_filter = ["role", "organisation__kind"]
    list_select_related = ["organisation", "invited_by"]
    search_fields = ["email", "first_name", "last_name", "organisation__name"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """Sign-ins and changes to accounts, as the audit log shows them: read only."""

    list_display = ["at", "kind", "user", "login", "address"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["login", "user__username", "address"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What landed in whose inbox, when it was read and e-mailed: read only, for answering
    "was I told?"."""

    list_display = ["created_at", "kind", "recipient", "read_at", "emailed_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "recipient__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made on their organisation's API tokens page, which shows the secret once;
    here they are read, and revoked by setting when."""

    list_display = ["name", "organisation", "prefix", "scopes", "expires_on", "last_used_at"]
    list_filter = ["organisation"]
    readonly_fields = [
        "organisation",
        "name",
        "scopes",
        "prefix",
        "digest",
        "created_by",
        "created_at",
        "expires_on",
        "last_used_at",
        "revoked_by",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Addresses are added on the council's webhooks page, which checks where they lead; here
    they are read, and paused by setting when."""

    list_display = ["url", "council", "events", "paused_at", "consecutive_failures"]
    list_filter = ["council"]
    readonly_fields = ["council", "url", "events", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "endpoint",
        "attempts",
        "last_status_code",
        "delivered_at",
        "failed_at",
    ]
    list_filter = ["event"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
