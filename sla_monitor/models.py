import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from sla_monitor import registers
from sla_monitor.registers import CharityRegister


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", _("Council")
    PROVIDER = "provider", _("Provider")


class OrganisationType(models.TextChoices):
    """What a provider is in law, in the words its people would use."""

    CHARITY = "charity", _("Registered charity")
    CIO = "cio", _("Charitable incorporated organisation (CIO or SCIO)")
    COMPANY = "company", _("Company limited by guarantee or by shares")
    CIC = "cic", _("Community interest company")
    COMMUNITY_GROUP = "community_group", _("Community or voluntary group that is not registered")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """A council (funder or partner authority) or a provider (a charity or community group)."""

    Kind = OrganisationKind
    Type = OrganisationType
    CharityRegister = CharityRegister

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    short_code = models.CharField(
        max_length=20,
        blank=True,
        help_text=_("Councils' short code as plans write it, for example HBBC or KBC."),
    )
    organisation_type = models.CharField(
        _("type of organisation"), max_length=20, choices=OrganisationType.choices, blank=True
    )
    charity_number = models.CharField(max_length=20, blank=True)
    charity_register = models.CharField(
        _("register of charities"),
        max_length=20,
        choices=CharityRegister.choices,
        blank=True,
        help_text=_("The register the charity number is on."),
    )
    company_number = models.CharField(max_length=20, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    contact_email = models.EmailField(blank=True)
    org_id = models.CharField(
        _("organisation identifier"),
        max_length=100,
        blank=True,
        help_text=_(
            "As org-id.guide writes it: GB-CHC- and the charity number, GB-COH- and the company "
            "number, GB-LAE- and the code of an English council. Made from the charity or "
            "company number when left empty."
        ),
    )
    threesixtygiving_prefix = models.CharField(
        _("360Giving prefix"),
        max_length=50,
        blank=True,
        help_text=_("For a council that publishes its grants: the prefix 360Giving gave it."),
    )
    area_code = models.CharField(
        max_length=9,
        blank=True,
        help_text=_("For a council: the ONS code of its area, such as E07000153."),
    )
    open_data_licence = models.CharField(
        _("open data licence"),
        max_length=200,
        blank=True,
        help_text=_(
            "For a council: the licence its open data is published under, if it is not the Open "
            "Government Licence v3.0."
        ),
    )
    open_data_licence_url = models.URLField(
        _("address of the open data licence"),
        blank=True,
        help_text=_("The web address of the licence's text, when the council names its own."),
    )
    welsh_offer = models.BooleanField(
        _("offer the service in Welsh"),
        default=False,
        help_text=_(
            "For a council: its people, the providers it funds and its public pages may choose "
            "Welsh, and what it writes can be kept in Welsh beside English."
        ),
    )
    lead_officers_approve_variations = models.BooleanField(
        _("lead officers approve variations"),
        default=False,
        help_text=_(
            "For a council: another lead officer, not only an administrator, may approve a "
            "variation of an agreement. Never the person who drafted it."
        ),
    )
    finance_signoff_threshold = models.DecimalField(
        _("amount needing finance sign-off"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "For a council: an instalment of this amount or more is paid only once a finance "
            "officer, not the person who released it, authorises it; one below it is paid on the "
            "lead officer's release. Leave empty for every instalment to need sign-off."
        ),
    )
    assessment_groups = models.JSONField(
        _("groups its equality impact assessments also consider"),
        default=list,
        blank=True,
        help_text=_(
            "For a council: beyond the nine protected characteristics and socio-economic "
            "disadvantage, which groups its assessments screen: the Welsh language, carers, the "
            "armed forces community."
        ),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
                violation_error_message="Choose council or provider.",
            ),
            models.CheckConstraint(
                condition=Q(finance_signoff_threshold__gte=0)
                | Q(finance_signoff_threshold__isnull=True),
                name="organisation_finance_threshold_not_negative",
                violation_error_message="The amount needing finance sign-off cannot be negative.",
            ),
            models.UniqueConstraint(
                fields=["short_code"],
                condition=~Q(short_code=""),
                name="organisation_short_code_unique",
                violation_error_message="Another organisation already has this short code.",
            ),
            models.CheckConstraint(
                condition=Q(organisation_type__in=["", *OrganisationType.values]),
                name="organisation_type_valid",
                violation_error_message="Choose the type of organisation.",
            ),
            models.CheckConstraint(
                condition=Q(charity_register__in=["", *CharityRegister.values]),
                name="organisation_charity_register_valid",
                violation_error_message="Choose the register of charities.",
            ),
            models.UniqueConstraint(
                fields=["charity_register", "charity_number"],
                condition=~Q(charity_number=""),
                name="organisation_charity_number_unique",
                violation_error_message="Another organisation already has this charity number.",
            ),
            models.UniqueConstraint(
                fields=["company_number"],
                condition=~Q(company_number=""),
                name="organisation_company_number_unique",
                violation_error_message="Another organisation already has this company number.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_code})" if self.short_code else self.name

    def save(self, *args, **kwargs):
        if self.charity_number and not self.charity_register:
            # A number whose shape names its register is on that one, however it was saved.
            self.charity_register = registers.register_of(self.charity_number)
        if not self.org_id:
            self.org_id = self.suggested_org_id()
        super().save(*args, **kwargs)

    @property
    def is_council(self) -> bool:
        return self.kind == self.Kind.COUNCIL

    def needs_finance_signoff(self, amount) -> bool:
        """Whether a release of `amount` from this council waits for a finance officer: at or
        above its threshold, or always when it has none."""
        threshold = self.finance_signoff_threshold
        return threshold is None or amount >= threshold

    def clean(self):
        """Numbers and postcode as their registers write them (`sla_monitor.registers`), in the
        administration as on the page that adds a provider."""
        errors = {}
        if self.charity_number.strip():
            try:
                self.charity_number, self.charity_register = registers.charity_number(
                    self.charity_number, self.charity_register
                )
            except ValidationError as error:
                field = "charity_register" if error.code == "choose_register" else "charity_number"
                errors[field] = error
        else:
            self.charity_number = self.charity_register = ""
        for field, rule in (
            ("company_number", registers.company_number),
            ("postcode", registers.postcode),
        ):
            if getattr(self, field).strip():
                try:
                    setattr(self, field, rule(getattr(self, field)))
                except ValidationError as error:
                    errors[field] = error
            else:
                setattr(self, field, "")
        named, linked = self.open_data_licence.strip(), self.open_data_licence_url.strip()
        if bool(named) != bool(linked):
            field = "open_data_licence_url" if named else "open_data_licence"
            errors[field] = _("Give the licence's name and the address of its text, or neither.")
        if errors:
            raise ValidationError(errors)

    def suggested_org_id(self) -> str:
        """The identifier its registration gives it, or nothing when it has none."""
        return registers.org_id(
            charity=self.charity_number, register=self.charity_register, company=self.company_number
        )


class Role(models.TextChoices):
    PROVIDER = "provider", _("Provider")
    PROVIDER_ADMIN = "provider_admin", _("Provider administrator")
    LEAD_OFFICER = "lead_officer", _("Lead officer")
    ACTION_OWNER = "action_owner", _("Action owner")
    PLAN_MANAGER = "plan_manager", _("Plan manager")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    SENIOR_OFFICER = "senior_officer", _("Senior officer")
    ADMIN = "admin", _("Administrator")


def normalise_email(address: str) -> str:
    """An e-mail address as it is kept and looked up: trimmed, in lower case (the password reset
    and the sign-in look addresses up in lower case)."""
    return address.strip().lower()


def validate_plain_email(address: str) -> None:
    """Addresses in plain letters only: a dotless i (U+0131) or a Kelvin sign (U+212A) reads
    like an i or a K, would let one person pass for another, and lower-cases into someone
    else's address."""
    if not address.isascii():
        raise ValidationError(
            _(
                "Enter the e-mail address in plain letters (a to z), digits and the signs "
                "an address uses: it has a character that only looks like a letter."
            ),
            code="not_plain",
        )


# Who oversees a council's grants: its lead officers, and its administrators, who do what its
# lead officers do.
LEAD_OFFICER_ROLES = (Role.LEAD_OFFICER, Role.ADMIN)
# Who reports for a funded provider: its people, and its administrators, who do what they do.
PROVIDER_ROLES = frozenset({Role.PROVIDER, Role.PROVIDER_ADMIN})


class EmailChoice(models.TextChoices):
    """How a person hears of what lands in their inbox, besides the inbox itself."""

    EACH_EVENT = "each_event", _("An e-mail each time")
    DAILY_DIGEST = "daily_digest", _("One e-mail a day listing them")
    NONE = "none", _("No e-mail: I will look in my inbox")


class UserQuerySet(models.QuerySet):
    def lead_officers(self) -> "UserQuerySet":
        """Active people who may lead a council's agreements (`LEAD_OFFICER_ROLES`)."""
        return self.filter(role__in=LEAD_OFFICER_ROLES, is_active=True)

    def reporting_for_providers(self) -> "UserQuerySet":
        """Active people who report for providers (`PROVIDER_ROLES`), told of their returns."""
        return self.filter(role__in=PROVIDER_ROLES, is_active=True)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. Every user but a superuser belongs to one organisation."""

    Role = Role
    EmailChoice = EmailChoice

    objects = UserManager()

    email = models.EmailField(_("e-mail address"), blank=True, validators=[validate_plain_email])
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PROVIDER)
    job_title = models.CharField(max_length=200, blank=True)
    email_choice = models.CharField(
        _("e-mails about your inbox"),
        max_length=20,
        choices=EmailChoice.choices,
        default=EmailChoice.EACH_EVENT,
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language the person chose for pages, e-mails and reports."),
    )
    session_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_("Moved on to end every session the person has open, such as on deactivation."),
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="user_role_valid",
                violation_error_message="Choose a role.",
            ),
            models.CheckConstraint(
                condition=Q(email_choice__in=EmailChoice.values),
                name="user_email_choice_valid",
                violation_error_message="Choose how you hear of what lands in your inbox.",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_email_unique_ignoring_case",
                violation_error_message="Another person already has this e-mail address.",
            ),
        ]

    def __str__(self) -> str:
        full_name = self.get_full_name()
        return f"{full_name} ({self.username})" if full_name else self.username

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret=None):
        """Django checks a session against this on every request: moving `session_version` on
        ends the person's sessions whatever the session store. Until then it is Django's own,
        so sessions open before this existed carry on."""
        if not self.session_version:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "sla_monitor.User.session",
            f"{self.password}:{self.session_version}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Checked, not imported")
    IMPORTED = "imported", _("Imported")
    UNDONE = "undone", _("Undone")


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
    rows = models.JSONField(
        default=list, blank=True, help_text=_("The file's rows, until imported.")
    )
    digest = models.CharField(max_length=64, help_text=_("What the check showed would change."))
    counts = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(
        default=list, blank=True, help_text=_("Each record the import created or changed.")
    )
    checked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-checked_at", "-pk"]
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
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Form {self.token} sent {self.submitted_at:%d %B %Y %H:%M}"


def token_digest(token: str) -> str:
    """What is kept of a link's token: its SHA-256, so a copy of the database opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationState(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for the organisation's approval")
    PENDING = "pending", _("Pending")
    EXPIRED = "expired", _("Expired")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    DECLINED = "declined", _("Declined by the organisation")


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted, revoked nor declined, expired or not: the address is spoken for."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, declined_at__isnull=True
        )

    def awaiting_approval(self):
        return self.open().filter(needs_approval=True, approved_at__isnull=True)


class Invitation(models.Model):
    """A person asked by e-mail to make their account, with the organisation and role they will
    have. The link carries a random token; only its digest is kept. Services in
    `oversight.services` send, re-send, revoke and accept it.

    An organisation's own administrators let people in: a council asking for someone to join a
    provider that already has people waits for the provider's approval (`needs_approval`), and
    nothing is sent until a provider's administrator approves it."""

    State = InvitationState

    email = models.EmailField(_("e-mail address"), validators=[validate_plain_email])
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_sent_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Empty until the invitation is sent.")
    )
    needs_approval = models.BooleanField(
        default=False,
        help_text=_("The organisation's administrators approve it before it is sent."),
    )
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        help_text=_("The account made by accepting it."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="invitation_role_valid",
                violation_error_message="Choose a role.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(accepted_at__isnull=True, revoked_at__isnull=True)
                    | Q(accepted_at__isnull=True, declined_at__isnull=True)
                    | Q(revoked_at__isnull=True, declined_at__isnull=True)
                ),
                name="invitation_ended_once",
                violation_error_message="An invitation is accepted, revoked or declined, once.",
            ),
            models.CheckConstraint(
                condition=Q(declined_at__isnull=True) | Q(needs_approval=True),
                name="invitation_declined_only_when_asked",
                violation_error_message="Only an invitation waiting for approval is declined.",
            ),
            models.CheckConstraint(
                condition=Q(last_sent_at__isnull=False)
                | Q(needs_approval=True, approved_at__isnull=True),
                name="invitation_sent_unless_waiting",
                violation_error_message="An invitation is sent unless it waits for approval.",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(
                    accepted_at__isnull=True, revoked_at__isnull=True, declined_at__isnull=True
                ),
                name="invitation_one_open_per_email",
                violation_error_message="This address already has an invitation.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"

    def new_token(self) -> str:
        """A fresh token for the link; the one sent before stops working."""
        token = secrets.token_urlsafe(32)
        self.token_hash = token_digest(token)
        return token

    def matches(self, token: str) -> bool:
        return hmac.compare_digest(self.token_hash, token_digest(token))

    def state(self, now=None) -> InvitationState:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.declined_at is not None:
            return InvitationState.DECLINED
        if self.needs_approval and self.approved_at is None:
            return InvitationState.AWAITING_APPROVAL
        if self.expires_at <= (now or timezone.now()):
            return InvitationState.EXPIRED
        return InvitationState.PENDING


class AccountEventKind(models.TextChoices):
    SIGNED_IN = "signed_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed to sign in")
    SIGNED_OUT = "signed_out", _("Signed out")
    PASSWORD_CHANGED = "password_changed", _("Changed their password")
    PASSWORD_RESET = "password_reset", _("Reset their password from an e-mailed link")
    PASSWORD_SET = "password_set", _("Set their password")
    TWO_FACTOR_ADDED = "two_factor_added", _("Set up two-factor sign-in")
    TWO_FACTOR_REMOVED = "two_factor_removed", _("Switched off two-factor sign-in")
    RECOVERY_CODES_GENERATED = "recovery_codes_generated", _("Made new recovery codes")
    RECOVERY_CODE_USED = "recovery_code_used", _("Signed in with a recovery code")
    TWO_FACTOR_FAILED = "two_factor_failed", _("Gave a wrong two-factor code")


class AccountEvent(models.Model):
    """Something that happened to a person's account: a sign-in, a failed one, a password or
    second factor changed. Kept for the audit log, with the address the request came from."""

    Kind = AccountEventKind

    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="account_events"
    )
    login = models.CharField(
        max_length=254,
        blank=True,
        help_text=_(
            "The person's username, or the username or e-mail address a failed sign-in gave."
        ),
    )
    kind = models.CharField(max_length=30, choices=AccountEventKind.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AccountEventKind.values),
                name="account_event_kind_valid",
                violation_error_message="Choose a kind of account event.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.login}: {self.get_kind_display()}"


class ChartDrawing(models.Model):
    """A chart drawn once and kept, found by a hash of everything it shows (`sla_monitor.charts`):
    the same figures give the same drawing, so a kept drawing never goes stale and needs no
    version; changed figures are simply another drawing."""

    key = models.CharField(max_length=64, unique=True)
    svg = models.TextField()
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chart drawing")
        verbose_name_plural = _("chart drawings")

    def __str__(self) -> str:
        return f"Chart {self.key[:12]}"


class NotificationKind(models.TextChoices):
    """What a notification tells its reader; each kind's wording is in `sla_monitor.inbox`."""

    MESSAGE = "message", _("A new message")
    RETURN_SUBMITTED = "return_submitted", _("A return submitted for review")
    RETURN_SENT_BACK = "return_sent_back", _("A return sent back for changes")
    RETURN_APPROVED = "return_approved", _("A return approved")
    CORRECTION_PROPOSED = "correction_proposed", _("A correction to a return proposed")
    CORRECTION_APPROVED = "correction_approved", _("A correction to a return approved")
    CORRECTION_DECLINED = "correction_declined", _("A correction to a return declined")
    CORRECTION_WITHDRAWN = "correction_withdrawn", _("A correction to a return withdrawn")
    INSTALMENT_RELEASED = "instalment_released", _("An instalment released")
    INSTALMENT_WITHHELD = "instalment_withheld", _("An instalment withheld")
    RELEASE_REQUESTED = "release_requested", _("A payment waiting for authorisation")
    RELEASE_AUTHORISED = "release_authorised", _("A payment authorised")
    RELEASE_REJECTED = "release_rejected", _("A payment request rejected")
    REMITTANCE_ADVICE = "remittance_advice", _("A remittance advice")
    INVITATION_ASKED = "invitation_asked", _("An invitation waiting for approval")
    INVITATION_DECLINED = "invitation_declined", _("An invitation declined")
    REMINDER_DUE_SOON = "reminder_due_soon", _("A return due soon")
    REMINDER_OVERDUE = "reminder_overdue", _("A return overdue")
    REMINDER_ESCALATION = "reminder_escalation", _("A provider's return overdue")
    REMINDER_AWAITING_REVIEW = "reminder_awaiting_review", _("A return waiting for review")
    VARIATION_REQUESTED = "variation_requested", _("A variation requested by a provider")
    VARIATION_TO_APPROVE = "variation_to_approve", _("A variation waiting for approval")
    VARIATION_TO_ACCEPT = "variation_to_accept", _("A variation waiting for acceptance")
    VARIATION_RETURNED = "variation_returned", _("A variation back in draft")
    VARIATION_DECLINED = "variation_declined", _("A variation request declined")
    VARIATION_APPLIED = "variation_applied", _("A variation applied")
    ASSESSMENT_TO_SIGN_OFF = "assessment_to_sign_off", _("An impact assessment to sign off")
    ASSESSMENT_SIGNED_OFF = "assessment_signed_off", _("An impact assessment signed off")
    ASSESSMENT_RETURNED = "assessment_returned", _("An impact assessment returned with comments")
    ASSESSMENT_REVIEW_DUE = "assessment_review_due", _("An assessment's review due soon")
    ASSESSMENT_REVIEW_OVERDUE = "assessment_review_overdue", _("An assessment's review overdue")
    WEBHOOK_PAUSED = "webhook_paused", _("A webhook paused after failed deliveries")


class Notification(models.Model):
    """Something that needs one person, in their inbox: made by `sla_monitor.inbox.notify` in
    the transaction of the change it tells of, read when they open it, and e-mailed as they
    chose (`User.email_choice`)."""

    Kind = NotificationKind

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    params = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("The values its wording names: reference, period, who."),
    )
    link = models.CharField(max_length=500, help_text=_("A path within the site."))
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values),
                name="notification_kind_valid",
                violation_error_message="Choose a kind of notification.",
            ),
            models.CheckConstraint(
                condition=Q(link__startswith="/") & ~Q(link__startswith="//"),
                name="notification_link_within_site",
                violation_error_message="A notification links to a path within the site.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"


class ApiScope(models.TextChoices):
    """What a token may read: a council's grants (funds, agreements, returns, variations and
    assessments), its equality plans (plans, actions, progress), its payments (instalments and
    payment runs)."""

    GRANTS = "grants", _("Grants")
    PLANS = "plans", _("Equality plans")
    PAYMENTS = "payments", _("Payments")


TOKEN_PREFIX = "slm_"  # nosec B105: how a token begins, not a secret


class ApiTokenQuerySet(models.QuerySet):
    def live(self, today) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_on__gte=today)


class ApiToken(models.Model):
    """A named key to the read API, made by an organisation's administrator: a council's reads
    its council's data in the scopes it names, a provider's its own organisation's agreements.
    Shown once when made; only its digest and its first characters are kept."""

    Scope = ApiScope

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("what it may read"), default=list)
    prefix = models.CharField(max_length=16, help_text=_("Its first characters, to tell it by."))
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens_made")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(_("expires on"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["organisation", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=Q(revoked_at__isnull=True),
                name="api_token_name_unique_while_live",
                violation_error_message="The organisation has a live token of that name.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_live(self, today) -> bool:
        return self.revoked_at is None and self.expires_on >= today


class WebhookEvent(models.TextChoices):
    """What a council's other systems may be told of, as the webhooks name it: `<thing>.<what
    happened>`. The payload of each carries identifiers, references, statuses and times, never
    more of a person than the read API shows."""

    RETURN_SUBMITTED = "return.submitted", _("A return submitted")
    RETURN_APPROVED = "return.approved", _("A return approved")
    RETURN_SENT_BACK = "return.sent_back", _("A return sent back for changes")
    INSTALMENT_RELEASED = "instalment.released", _("An instalment released")
    PROGRESS_RECORDED = "progress.recorded", _("Progress recorded on a plan action")
    VARIATION_SUBMITTED = "variation.submitted", _("A variation submitted for approval")
    VARIATION_APPROVED = "variation.approved", _("A variation approved")
    VARIATION_APPLIED = "variation.applied", _("A variation accepted and applied")
    PAYMENT_RUN_CREATED = "payment_run.created", _("A payment run exported")
    PAYMENT_RUN_PAID = "payment_run.paid", _("A payment run marked paid")
    ASSESSMENT_SIGNED_OFF = "assessment.signed_off", _("An impact assessment signed off")
    ASSESSMENT_PUBLISHED = "assessment.published", _("An impact assessment published")


# The event a council administrator sends to try an address; nobody subscribes to it.
WEBHOOK_TEST_EVENT = "webhook.test"
WEBHOOK_SECRET_PREFIX = "whsec_"  # nosec B105: how a secret begins, not a secret


class WebhookEndpoint(models.Model):
    """An address of a council's own system that is told of the events it chose, each delivery
    signed with its secret as the Standard Webhooks specification says. Paused (by its
    administrators, or after failing again and again), it is sent nothing until resumed."""

    Event = WebhookEvent

    council = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("address"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    # Kept, not digested: every delivery is signed with it, and the receiver checks with it.
    secret = models.CharField(max_length=100, editable=False)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_reason = models.CharField(max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="webhook_endpoints_made"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["council", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(secret__startswith=WEBHOOK_SECRET_PREFIX),
                name="webhook_secret_standard",
                violation_error_message="A webhook's secret starts with whsec_.",
            ),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def active(self) -> bool:
        return self.paused_at is None

    def event_labels(self) -> list[str]:
        labels = dict(WebhookEvent.choices)
        return [str(labels.get(event, event)) for event in self.events]


class WebhookDelivery(models.Model):
    """One event sent, or to be sent, to one address: what was sent, each try's outcome, and
    when it is tried next. Delivered or failed for good, it is tried no more."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40)
    message_id = models.CharField(max_length=40, unique=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["next_attempt_at"], name="webhook_delivery_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(delivered_at__isnull=True) | Q(failed_at__isnull=True),
                name="webhook_delivery_one_outcome",
                violation_error_message="A delivery is delivered or failed, not both.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.message_id}"
