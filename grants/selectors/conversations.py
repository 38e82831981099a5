"""The conversation as its pages show it: an agreement's own messages, and a flag's thread.
A return's flags and its own thread come with the return (`grants.selectors.returns`)."""

from django.db.models import F, Prefetch

from grants.models import Agreement, AnswerFlag, Message


def with_authors(messages):
    """Messages with their authors and files, for showing, and whether the author's
    organisation is the agreement's provider (`agreement_provider_id`)."""
    return (
        messages.select_related("author__organisation")
        .prefetch_related("attachments")
        .annotate(agreement_provider_id=F("agreement__provider_id"))
    )


def agreement_messages(agreement: Agreement) -> list[Message]:
    """The agreement's own thread: messages about it rather than one of its returns."""
    return list(with_authors(Message.objects.filter(agreement=agreement, quarterly_return=None)))


def latest_agreement_messages(agreement: Agreement, shown: int = 5) -> tuple[list[Message], int]:
    """The agreement's last `shown` messages, oldest first, and how many it has in all."""
    thread = Message.objects.filter(agreement=agreement, quarterly_return=None)
    latest = list(with_authors(thread.order_by("-sent_at", "-pk"))[:shown])
    total = len(latest) if len(latest) < shown else thread.count()
    return latest[::-1], total


def flag_with_thread(flag: AnswerFlag) -> AnswerFlag:
    """A flag that is no longer its answer's latest, with its thread, for reading."""
    thread = Prefetch("messages", queryset=with_authors(Message.objects.all()))
    earlier = (
        AnswerFlag.objects.select_related("raised_by", "cleared_by")
        .prefetch_related(thread)
        .get(pk=flag.pk)
    )
    provider_id = flag.quarterly_return.agreement.provider_id
    earlier.unchanged = False
    earlier.answered = any(m.author.organisation_id == provider_id for m in earlier.messages.all())
    return earlier
