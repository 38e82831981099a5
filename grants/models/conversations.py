"""The conversation between a provider's people and the council's officers: messages on an
agreement, on one of its returns, or on one answer an officer flagged; files attached to them;
and the flags themselves, each the start of a thread on its answer until it is cleared."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.agreements import Agreement
from grants.models.returns import QuarterlyReturn, ReturnTransition


class FlagQuerySet(models.QuerySet):
    def open(self) -> "FlagQuerySet":
        return self.filter(cleared_at__isnull=True)


class AnswerFlag(models.Model):
    """An officer's request to change one answer of a return, with the answer as it was then.

    It stays open, through resubmissions, until the provider changes the answer or an officer
    resolves it (approving the return resolves those still open). Written only through
    grants.services."""

    class Cleared(models.TextChoices):
        CHANGED = "changed", _("The provider changed the answer")
        RESOLVED = "resolved", _("An officer resolved it")

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="flags"
    )
    # "indicator:<id>" or "requirement:<id>", as the return's pages key its answers.
    answer_key = models.CharField(max_length=40)
    label = models.CharField(max_length=100, help_text=_("The answer's name: “Indicator 1.2”."))
    comment = models.TextField(help_text=_("What the officer asked to change."))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    decision = models.ForeignKey(
        ReturnTransition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="flags",
        help_text=_("The request for changes that raised it."),
    )
    answer_when_raised = models.JSONField(
        default=dict, blank=True, help_text=_("The answer's values when it was flagged.")
    )
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cleared_because = models.CharField(max_length=20, choices=Cleared.choices, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer flag")
        verbose_name_plural = _("answer flags")
        ordering = ["quarterly_return", "raised_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "answer_key"],
                condition=Q(cleared_at__isnull=True),
                name="one_open_flag_per_answer",
                violation_error_message=_("This answer is already flagged."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(cleared_at__isnull=True, cleared_because="")
                    | (Q(cleared_at__isnull=False) & ~Q(cleared_because=""))
                ),
                name="flag_cleared_with_a_reason",
                violation_error_message=_("A cleared flag says why it was cleared."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarterly_return}: {self.label}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


class Message(models.Model):
    """One message in a conversation: about an agreement, one of its returns, or one flagged
    answer of a return. Messages are never edited or deleted: they are the record of what was
    said."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="messages")
    quarterly_return = models.ForeignKey(
        QuarterlyReturn,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    flag = models.ForeignKey(
        AnswerFlag, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(flag__isnull=True) | Q(quarterly_return__isnull=False),
                name="message_on_a_flag_belongs_to_its_return",
                violation_error_message=_("A message on a flagged answer belongs to its return."),
            ),
        ]
        indexes = [models.Index(fields=["agreement", "quarterly_return", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.author} on {self.quarterly_return or self.agreement}"


def attachment_upload_to(instance: "MessageAttachment", filename: str) -> str:
    message = instance.message
    return f"messages/{message.agreement_id}/{message.pk}/{filename}"


class MessageAttachment(models.Model):
    """A file sent with a message, checked as evidence files are and served only through a
    permission-checked view."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("message attachment")
        verbose_name_plural = _("message attachments")
        ordering = ["message", "pk"]

    def __str__(self) -> str:
        return self.original_name
