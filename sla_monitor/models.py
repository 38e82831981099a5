from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", "Council"
    PROVIDER = "provider", "Provider"


class Organisation(models.Model):
    """A council (funder or partner authority) or a provider (a charity or community group)."""

    Kind = OrganisationKind

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    short_code = models.CharField(
        max_length=20,
        blank=True,
        help_text="Councils' short code as plans write it, for example HBBC or KBC.",
    )
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    address = models.TextField(blank=True)
    contact_email = models.EmailField(blank=True)
    org_id = models.CharField(
        "organisation identifier",
        max_length=100,
        blank=True,
        help_text=(
            "As org-id.guide writes it: GB-CHC- and the charity number, GB-COH- and the company "
            "number, GB-LAE- and the code of an English council. Made from the charity or "
            "company number when left empty."
        ),
    )
    threesixtygiving_prefix = models.CharField(
        "360Giving prefix",
        max_length=50,
        blank=True,
        help_text="For a council that publishes its grants: the prefix 360Giving gave it.",
    )
    area_code = models.CharField(
        max_length=9,
        blank=True,
        help_text="For a council: the ONS code of its area, such as E07000153.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
                violation_error_message="Choose council or provider.",
            ),
            models.UniqueConstraint(
                fields=["short_code"],
                condition=~Q(short_code=""),
                name="organisation_short_code_unique",
                violation_error_message="Another organisation already has this short code.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_code})" if self.short_code else self.name

    def save(self, *args, **kwargs):
        if not self.org_id:
            self.org_id = self.suggested_org_id()
        super().save(*args, **kwargs)

    @property
    def is_council(self) -> bool:
        return self.kind == self.Kind.COUNCIL

    def suggested_org_id(self) -> str:
        """The identifier its registration gives it, or nothing when it has none."""
        if self.charity_number.strip():
            return f"GB-CHC-{self.charity_number.strip()}"
        if self.company_number.strip():
            return f"GB-COH-{self.company_number.strip().upper()}"
        return ""


class Role(models.TextChoices):
    PROVIDER = "provider", "Provider"
    LEAD_OFFICER = "lead_officer", "Lead officer"
    ACTION_OWNER = "action_owner", "Action owner"
    PLAN_MANAGER = "plan_manager", "Plan manager"
    ADMIN = "admin", "Administrator"


class User(AbstractUser):
    """A person who signs in. Every user but a superuser belongs to one organisation."""

    Role = Role

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PROVIDER)
    job_title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="user_role_valid",
                violation_error_message="Choose a role.",
            ),
        ]

    def __str__(self) -> str:
        full_name = self.get_full_name()
        return f"{full_name} ({self.username})" if full_name else self.username


class ImportStatus(models.TextChoices):
    CHECKED = "checked", "Checked, not imported"
    IMPORTED = "imported", "Imported"
    UNDONE = "undone", "Undone"


class ImportBatch(models.Model):
    """One spreadsheet brought into the app: checked first, then imported, perhaps undone.

    While checked it holds the file's rows, so that confirming imports exactly what was shown;
    once imported it holds what it changed, so that it can be undone (sla_monitor.imports)."""

    Status = ImportStatus

    kind = models.CharField(max_length=40)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    file_name = models.CharField(max_length=255)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED
    )
    rows = models.JSONField(default=list, blank=True, help_text="The file's rows, until imported.")
    digest = models.CharField(max_length=64, help_text="What the check showed would change.")
    counts = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(
        default=list, blank=True, help_text="Each record the import created or changed."
    )
    checked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        verbose_name_plural = "import batches"
        indexes = [models.Index(fields=["target_type", "target_id", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values),
                name="import_batch_status_valid",
                violation_error_message="An import is checked, imported or undone.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display().lower()})"


class FormSubmission(models.Model):
    """A form's one-time token, kept once the form has been acted on, so that a double click or
    a replay of the same form is refused rather than done twice (sla_monitor.once)."""

    token = models.UUIDField(unique=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Form {self.token} sent {self.submitted_at:%d %B %Y %H:%M}"
