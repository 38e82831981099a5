"""Equality impact assessments: how a council shows due regard, under the Public Sector Equality
Duty, to the people a fund, an agreement, a plan action or a policy change affects.

An assessment is screened first: for each group (the nine protected characteristics,
socio-economic disadvantage, and the groups the council adds), whether it is relevant and why.
Screening ends in no full assessment (with the reason) or a full one: evidence, consultation, each
relevant group's likely impact, mitigations (each of which can become an action in an equality
plan), the overall outcome in the Equality and Human Rights Commission's words, and a review
date. A senior officer who did not write it signs it off; it may then be published. Reviewing a
signed-off assessment makes a new version and keeps the old one, read-only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sla_monitor.models import Organisation


class Subject(models.TextChoices):
    FUND = "fund", _("A fund or funding decision")
    AGREEMENT = "agreement", _("An agreement")
    ACTION = "action", _("An action of an equality plan")
    POLICY = "policy", _("A policy or service change")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for sign-off")
    RETURNED = "returned", _("Returned with comments")
    SIGNED_OFF = "signed_off", _("Signed off")
    PUBLISHED = "published", _("Published")
    REVIEWED = "reviewed", _("Replaced by a review")


class ScreeningOutcome(models.TextChoices):
    NO_FULL_ASSESSMENT = "no_full_assessment", _("No full assessment is needed")
    FULL_ASSESSMENT = "full_assessment", _("A full assessment is needed")


class Impact(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    NOT_KNOWN = "not_known", _("Not known")


class Outcome(models.TextChoices):
    """The four outcomes of an assessment, as the Equality and Human Rights Commission words
    them."""

    NO_MAJOR_CHANGE = "no_major_change", _("No major change")
    ADJUST = "adjust", _("Adjust the policy")
    CONTINUE = "continue", _("Continue the policy despite adverse impact")
    STOP = "stop", _("Stop and remove the policy")


class AssessmentQuerySet(models.QuerySet):
    def current(self) -> "AssessmentQuerySet":
        """Each assessment's latest version: none that a review replaced."""
        return self.exclude(status=AssessmentStatus.REVIEWED)

    def published(self) -> "AssessmentQuerySet":
        return self.filter(status=AssessmentStatus.PUBLISHED)

    def signed_off(self) -> "AssessmentQuerySet":
        """Signed off, published or not (a version that a review replaced was signed off too)."""
        return self.filter(signed_off_at__isnull=False)


class Assessment(models.Model):
    """One version of an equality impact assessment of a council's."""

    council = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="assessments",
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
        verbose_name=_("council"),
    )
    number = models.PositiveIntegerField(
        _("number"),
        help_text=_("The council's number for the assessment, kept by all its versions."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        help_text=_("The signed-off version this one reviews."),
        verbose_name=_("previous"),
    )
    title = models.CharField(_("what is assessed"), max_length=250)
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    fund = models.ForeignKey(
        "grants.Fund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("fund"),
    )
    agreement = models.ForeignKey(
        "grants.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("agreement"),
    )
    action = models.ForeignKey(
        "equality_plans.Action",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments_of",
        help_text=_("The plan action assessed, where it is one."),
        verbose_name=_("action"),
    )
    called_for_by = models.ManyToManyField(
        "equality_plans.Action",
        blank=True,
        related_name="assessments",
        help_text=_("The plan actions that call for this assessment."),
        verbose_name=_("called for by"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_assessments",
        help_text=_("The council officer who writes the assessment."),
        verbose_name=_("owner"),
    )
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text=_("Everyone who started or changed what this version says: none signs it off."),
        verbose_name=_("contributors"),
    )
    directorate = models.CharField(_("lead directorate"), max_length=200)
    decision = models.TextField(_("the decision it informs"))
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    lock_version = models.PositiveIntegerField(_("lock version"), default=1)

    screening_outcome = models.CharField(
        _("screening outcome"), max_length=30, choices=ScreeningOutcome.choices, blank=True
    )
    screening_reason = models.TextField(
        _("why no full assessment is needed"),
        blank=True,
    )
    evidence = models.TextField(_("evidence"), blank=True)
    consultation = models.TextField(_("consultation and engagement"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    justification = models.TextField(
        _("why the policy continues despite adverse impact"), blank=True
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_off_assessments",
        verbose_name=_("signed off by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    review_reminded_on = models.DateField(
        _("review reminded on"),
        null=True,
        blank=True,
        help_text=_("When its owner was last reminded of its review."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["council", "-number", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number", "version"], name="assessment_version_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(subject=Subject.FUND, fund__isnull=False, agreement__isnull=True)
                    | Q(subject=Subject.AGREEMENT, agreement__isnull=False, fund__isnull=True)
                    | Q(
                        subject=Subject.ACTION,
                        action__isnull=False,
                        fund__isnull=True,
                        agreement__isnull=True,
                    )
                    | Q(subject=Subject.POLICY, fund__isnull=True, agreement__isnull=True)
                )
                & (Q(subject=Subject.ACTION) | Q(action__isnull=True)),
                name="assessment_subject_matches",
                violation_error_message=_("Choose what the assessment is of."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"EqIA {self.number}" if self.version == 1 else f"EqIA {self.number}.{self.version}"

    @property
    def is_full(self) -> bool:
        return self.screening_outcome == ScreeningOutcome.FULL_ASSESSMENT

    @property
    def is_editable(self) -> bool:
        return self.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)

    @property
    def is_signed_off(self) -> bool:
        return self.status in (AssessmentStatus.SIGNED_OFF, AssessmentStatus.PUBLISHED)


class GroupJudgement(models.Model):
    """What the assessment says of one group: whether it is relevant and why (screening), and,
    in a full assessment, the likely impact on it and why."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="judgements",
        verbose_name=_("assessment"),
    )
    group = models.CharField(_("group"), max_length=40)
    relevant = models.BooleanField(_("relevant"), null=True)
    relevance = models.TextField(_("why"), blank=True)
    impact = models.CharField(_("impact"), max_length=20, choices=Impact.choices, blank=True)
    explanation = models.TextField(_("explanation of the likely impact"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("group judgement")
        verbose_name_plural = _("group judgements")
        ordering = ["assessment", "order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "group"], name="one_judgement_per_group"),
        ]

    def __str__(self) -> str:
        return self.group

    def get_additional_data(self) -> dict:
        """Kept beside each change in the change history: the assessment, so that a row taken
        out stays readable by those who read the assessment."""
        return {"assessment": self.assessment_id}


class Mitigation(models.Model):
    """What the council will do about a likely negative impact; it may become an action of one
    of the council's equality plans, which then links back to it."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="mitigations",
        verbose_name=_("assessment"),
    )
    group = models.CharField(_("group"), max_length=40, blank=True)
    wording = models.TextField(_("wording"))
    action = models.OneToOneField(
        "equality_plans.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mitigation",
        verbose_name=_("action"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("mitigation")
        verbose_name_plural = _("mitigations")
        ordering = ["assessment", "order", "pk"]

    def __str__(self) -> str:
        return self.wording[:80]

    def get_additional_data(self) -> dict:
        """Kept beside each change in the change history: the assessment, so that a row taken
        out stays readable by those who read the assessment."""
        return {"assessment": self.assessment_id}


def assessment_evidence_upload_to(instance: "AssessmentEvidence", filename: str) -> str:
    return f"assessments/{instance.assessment.council_id}/{instance.assessment_id}/{filename}"


class AssessmentEvidence(models.Model):
    """A file of evidence, checked as returns' evidence is and served only through a
    permission-checked view."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="evidence_files",
        verbose_name=_("assessment"),
    )
    file = models.FileField(_("file"), upload_to=assessment_evidence_upload_to)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment evidence")
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = _("assessment evidence")

    def __str__(self) -> str:
        return self.original_name


class AssessmentTransition(models.Model):
    """One step of an assessment's lifecycle: who took it, when, and what they said."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("assessment"),
    )
    step = models.CharField(_("step"), max_length=30)
    from_status = models.CharField(
        _("from status"), max_length=20, choices=AssessmentStatus.choices
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=AssessmentStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("assessment transition")
        verbose_name_plural = _("assessment transitions")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.step} ({self.at:%Y-%m-%d})"
