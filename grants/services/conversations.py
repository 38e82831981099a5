"""The conversation on agreements and returns: sending a message (with files), replying to a
flag, and an officer resolving a flag. Flags are raised by a request for changes and cleared by
the provider changing the answer (`grants.services.returns`); messages are never changed."""

import uuid
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from grants import notifications, permissions
from grants.evidence import check_evidence_file
from grants.models import AnswerFlag, Message, MessageAttachment, QuarterlyReturn
from sla_monitor import once
from sla_monitor.text import has_words

MESSAGE_LENGTH = 5000
MAX_ATTACHMENTS = 5


class FlagStateError(ValidationError):
    """The flag was cleared since the page was loaded; nothing was changed."""


def _check_body(body: str) -> str:
    body = body.replace("\r\n", "\n").strip()
    if not has_words(body):
        raise ValidationError({"body": _("Enter your message")})
    if len(body) > MESSAGE_LENGTH:
        raise ValidationError(
            {
                "body": _("Your message must be %(limit)s characters or fewer")
                % {"limit": MESSAGE_LENGTH}
            }
        )
    return body


def _check_attachments(attachments: Sequence[UploadedFile]) -> list:
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "attachments": _("Attach up to %(limit)s files to one message")
                % {"limit": MAX_ATTACHMENTS}
            }
        )
    try:
        return [(upload, check_evidence_file(upload)) for upload in attachments]
    except ValidationError as error:
        raise ValidationError({"attachments": error.messages}) from None


@transaction.atomic
def send_message(
    *,
    by,
    body: str,
    token: uuid.UUID,
    agreement=None,
    quarterly_return: QuarterlyReturn | None = None,
    flag: AnswerFlag | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> Message:
    """A message from the provider's people or the funding council's lead officers: on the
    agreement, on one of its returns, or on a flagged answer of a return (name the narrowest).
    `token` is the form's one-time token: a double click or a replay sends nothing twice."""
    if flag is not None:
        quarterly_return = flag.quarterly_return
    if quarterly_return is not None:
        agreement = quarterly_return.agreement
    if agreement is None:
        raise ValueError("A message is about an agreement, a return or a flagged answer.")
    if not permissions.can_converse(by, agreement):
        raise PermissionDenied(
            _("Only the provider's people and the council's lead officers can send messages here.")
        )
    if flag is not None:
        flag = (
            AnswerFlag.objects.select_for_update(of=("self",))
            .select_related("cleared_by")
            .get(pk=flag.pk)
        )
        if not flag.is_open:
            raise FlagStateError(_already_cleared(flag))
    body = _check_body(body)
    checked = _check_attachments(attachments)
    once.claim(token, already=_("your message was sent."))
    return _write(agreement, quarterly_return, flag, by, body, checked)


def _write(agreement, quarterly_return, flag, by, body: str, checked) -> Message:
    message = Message.objects.create(
        agreement=agreement,
        quarterly_return=quarterly_return,
        flag=flag,
        author=by,
        body=body,
    )
    for upload, details in checked:
        attachment = MessageAttachment(
            message=message,
            original_name=details.name,
            content_type=details.content_type,
            size=details.size,
        )
        attachment.file.save(details.name, upload, save=False)
        attachment.save()
    earlier = Message.objects.filter(
        agreement=agreement, quarterly_return=quarterly_return, flag=flag
    ).exclude(pk=message.pk)
    people = {m.author for m in earlier.select_related("author")}
    if flag is not None:
        people.add(flag.raised_by)
    notifications.message_sent(
        message, people_in_thread=[p for p in people if permissions.can_converse(p, agreement)]
    )
    return message


@transaction.atomic
def resolve_flag(
    *,
    flag: AnswerFlag,
    by,
    comment: str = "",
    token: uuid.UUID,
    attachments: Sequence[UploadedFile] = (),
) -> AnswerFlag:
    """An officer is content with a flagged answer as it is: the flag is cleared, with what they
    say about it (and any files) in its thread."""
    locked = (
        AnswerFlag.objects.select_for_update(of=("self",))
        .select_related("quarterly_return__agreement", "cleared_by")
        .get(pk=flag.pk)
    )
    if not permissions.can_decide(by, locked.quarterly_return):
        raise PermissionDenied(_("Only a lead officer of the funding council can resolve a flag."))
    if not locked.is_open:
        raise FlagStateError(_already_cleared(locked))
    checked = _check_attachments(attachments)
    body = _check_body(comment) if has_words(comment) or checked else ""
    once.claim(token, already=_("the flag was resolved."))
    if body:
        quarterly_return = locked.quarterly_return
        _write(quarterly_return.agreement, quarterly_return, locked, by, body, checked)
    clear_flag(locked, by=by, because=AnswerFlag.Cleared.RESOLVED)
    return locked


def clear_flag(flag: AnswerFlag, *, by, because: str) -> None:
    """Clears an open flag the caller has locked."""
    flag.cleared_at = timezone.now()
    flag.cleared_by = by
    flag.cleared_because = because
    flag.save(update_fields=["cleared_at", "cleared_by", "cleared_because"])


def _already_cleared(flag: AnswerFlag) -> str:
    who = flag.cleared_by.get_full_name() or flag.cleared_by.username
    when = date_format(timezone.localtime(flag.cleared_at), "j F Y")
    if flag.cleared_because == AnswerFlag.Cleared.CHANGED:
        return _(
            "The flag on %(label)s was already cleared: %(who)s changed the answer on %(when)s."
        ) % {"label": flag.label, "who": who, "when": when}
    return _("The flag on %(label)s was already resolved by %(who)s on %(when)s.") % {
        "label": flag.label,
        "who": who,
        "when": when,
    }
