"""Each person's inbox: what needs them, and the e-mails that tell them of it.

A service of any app tells people of a change by calling `notify` inside its transaction: one
`Notification` per person concerned, in the same commit as the change, so that nobody is told of
a change that was rolled back. Once it commits, the task worker e-mails those who chose an
e-mail each time (`User.email_choice`); `send_digests` (run daily) e-mails the others who chose
a daily digest; the rest read their inbox. E-mail never leaves in the web request, and each is
written in its reader's language.

How each kind reads is written here once (`WORDING`), a whole sentence with named placeholders
filled from the notification's `params`, so that the inbox and the e-mails can be read in each
reader's language. A value whose words depend on the language (a date's month, "the return",
"first instalment") is kept as what it is made from (`Later`) and written when it is read. An
app whose e-mails say more than the sentence (a return's flagged answers, an instalment's reason)
registers how they are written (`register_email`).
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks import task

from sla_monitor.languages import language_of
from sla_monitor.models import EmailChoice, Notification, NotificationKind, User

Kind = NotificationKind


@dataclass(frozen=True)
class Wording:
    """How a kind of notification reads: the inbox's sentence and an e-mail's subject, each whole,
    with named placeholders. `without` gives the sentence to use instead when a value it names
    is empty (a message about a whole agreement has no quarter)."""

    sentence: str
    subject: str
    without: Mapping[str, str] = field(default_factory=dict)


WORDING: dict[str, Wording] = {
    Kind.MESSAGE: Wording(
        gettext_lazy("New message from %(author)s about %(about)s: %(reference)s, %(period)s."),
        gettext_lazy("New message: %(reference)s"),
        without={
            "period": gettext_lazy("New message from %(author)s about %(about)s: %(reference)s.")
        },
    ),
    Kind.RETURN_SUBMITTED: Wording(
        gettext_lazy("%(provider)s submitted its %(period)s return for %(reference)s."),
        gettext_lazy("Return submitted: %(reference)s %(period)s"),
    ),
    Kind.RETURN_SENT_BACK: Wording(
        gettext_lazy("Your %(period)s return for %(reference)s was sent back for changes."),
        gettext_lazy("Return sent back for changes: %(reference)s %(period)s"),
    ),
    Kind.RETURN_APPROVED: Wording(
        gettext_lazy("Your %(period)s return for %(reference)s was approved."),
        gettext_lazy("Return approved: %(reference)s %(period)s"),
    ),
    Kind.CORRECTION_PROPOSED: Wording(
        gettext_lazy(
            "%(by)s proposed a correction to the %(period)s return for %(reference)s: decide it."
        ),
        gettext_lazy("Correction proposed: %(reference)s %(period)s"),
    ),
    Kind.CORRECTION_APPROVED: Wording(
        gettext_lazy("%(by)s approved the correction to the %(period)s return for %(reference)s."),
        gettext_lazy("Correction approved: %(reference)s %(period)s"),
    ),
    Kind.CORRECTION_DECLINED: Wording(
        gettext_lazy("%(by)s declined the correction to the %(period)s return for %(reference)s."),
        gettext_lazy("Correction declined: %(reference)s %(period)s"),
    ),
    Kind.CORRECTION_WITHDRAWN: Wording(
        gettext_lazy("%(by)s withdrew the correction to the %(period)s return for %(reference)s."),
        gettext_lazy("Correction withdrawn: %(reference)s %(period)s"),
    ),
    Kind.INSTALMENT_RELEASED: Wording(
        gettext_lazy("The %(instalment)s of %(amount)s for %(reference)s was released."),
        gettext_lazy("Payment released: %(reference)s %(instalment)s"),
    ),
    Kind.INSTALMENT_WITHHELD: Wording(
        gettext_lazy("The %(instalment)s of %(amount)s for %(reference)s was withheld."),
        gettext_lazy("Payment withheld: %(reference)s %(instalment)s"),
    ),
    Kind.RELEASE_REQUESTED: Wording(
        gettext_lazy(
            "%(by)s asks for the %(instalment)s of %(amount)s for %(reference)s to be paid: "
            "authorise or reject it."
        ),
        gettext_lazy("Payment to authorise: %(reference)s %(instalment)s"),
    ),
    Kind.RELEASE_AUTHORISED: Wording(
        gettext_lazy(
            "%(by)s authorised the %(instalment)s of %(amount)s for %(reference)s: it is released."
        ),
        gettext_lazy("Payment authorised: %(reference)s %(instalment)s"),
    ),
    Kind.RELEASE_REJECTED: Wording(
        gettext_lazy(
            "%(by)s rejected the request to pay the %(instalment)s of %(amount)s for %(reference)s."
        ),
        gettext_lazy("Payment request rejected: %(reference)s %(instalment)s"),
    ),
    Kind.REMITTANCE_ADVICE: Wording(
        gettext_lazy("%(council)s paid you %(total)s on %(paid_on)s (%(run)s)."),
        gettext_lazy("Remittance advice: %(council)s paid %(total)s on %(paid_on)s"),
    ),
    Kind.INVITATION_ASKED: Wording(
        gettext_lazy(
            "%(council)s asks to invite %(person)s to %(organisation)s: approve or decline it."
        ),
        gettext_lazy("%(council)s asks to invite someone to %(organisation)s"),
    ),
    Kind.INVITATION_DECLINED: Wording(
        gettext_lazy("%(organisation)s declined your invitation to %(person)s."),
        gettext_lazy("%(organisation)s declined your invitation"),
    ),
    Kind.REMINDER_DUE_SOON: Wording(
        gettext_lazy("Your %(period)s return for %(reference)s is due on %(due)s."),
        gettext_lazy("Return due soon: %(reference)s %(period)s"),
    ),
    Kind.REMINDER_OVERDUE: Wording(
        gettext_lazy(
            "Your %(period)s return for %(reference)s was due on %(due)s and has not been "
            "submitted."
        ),
        gettext_lazy("Return overdue: %(reference)s %(period)s"),
    ),
    Kind.REMINDER_ESCALATION: Wording(
        gettext_lazy(
            "%(provider)s's %(period)s return for %(reference)s was due on %(due)s and has not "
            "been submitted."
        ),
        gettext_lazy("Overdue return: %(provider)s, %(reference)s %(period)s"),
    ),
    Kind.REMINDER_AWAITING_REVIEW: Wording(
        gettext_lazy(
            "%(provider)s's %(period)s return for %(reference)s has waited for your review "
            "since it was submitted."
        ),
        gettext_lazy("Return waiting for review: %(reference)s %(period)s"),
    ),
    Kind.VARIATION_REQUESTED: Wording(
        gettext_lazy(
            "%(provider)s asks for a variation of %(reference)s: take it up or decline it."
        ),
        gettext_lazy("Variation requested: %(reference)s"),
    ),
    Kind.VARIATION_TO_APPROVE: Wording(
        gettext_lazy("Variation %(number)s of %(reference)s is waiting for your approval."),
        gettext_lazy("Variation to approve: %(reference)s variation %(number)s"),
    ),
    Kind.VARIATION_TO_ACCEPT: Wording(
        gettext_lazy(
            "%(council)s asks you to accept variation %(number)s of %(reference)s, from %(period)s."
        ),
        gettext_lazy("Variation to accept: %(reference)s variation %(number)s"),
    ),
    Kind.VARIATION_RETURNED: Wording(
        gettext_lazy("Variation %(number)s of %(reference)s is back in draft."),
        gettext_lazy("Variation back in draft: %(reference)s variation %(number)s"),
    ),
    Kind.VARIATION_DECLINED: Wording(
        gettext_lazy("Your request for a variation of %(reference)s was declined."),
        gettext_lazy("Variation request declined: %(reference)s"),
    ),
    Kind.VARIATION_APPLIED: Wording(
        gettext_lazy(
            "Variation %(number)s of %(reference)s was accepted and applies from %(period)s."
        ),
        gettext_lazy("Variation applied: %(reference)s variation %(number)s"),
    ),
    Kind.ASSESSMENT_TO_SIGN_OFF: Wording(
        gettext_lazy("%(by)s sent %(reference)s, “%(title)s”, for your sign-off."),
        gettext_lazy("Impact assessment to sign off: %(reference)s"),
    ),
    Kind.ASSESSMENT_SIGNED_OFF: Wording(
        gettext_lazy("%(by)s signed off %(reference)s, “%(title)s”."),
        gettext_lazy("Impact assessment signed off: %(reference)s"),
    ),
    Kind.ASSESSMENT_RETURNED: Wording(
        gettext_lazy("%(by)s returned %(reference)s, “%(title)s”, with comments."),
        gettext_lazy("Impact assessment returned with comments: %(reference)s"),
    ),
    Kind.ASSESSMENT_REVIEW_DUE: Wording(
        gettext_lazy(
            "Your equality impact assessment %(reference)s, %(title)s, is due for review on "
            "%(due)s."
        ),
        gettext_lazy("Assessment review due: %(reference)s"),
    ),
    Kind.ASSESSMENT_REVIEW_OVERDUE: Wording(
        gettext_lazy(
            "Your equality impact assessment %(reference)s, %(title)s, was due for review on "
            "%(due)s: review it."
        ),
        gettext_lazy("Assessment review overdue: %(reference)s"),
    ),
    Kind.WEBHOOK_PAUSED: Wording(
        gettext_lazy(
            "The webhook to %(url)s was paused after %(failures)s failed deliveries in a row: "
            "check the address and resume it."
        ),
        gettext_lazy("Webhook paused: %(url)s"),
    ),
}

EACH_EVENT_FOOTER = gettext_lazy(
    "SLA Monitor e-mails you each time something lands in your inbox. To have one e-mail a day "
    "instead, or none, change it under Your account."
)
DIGEST_FOOTER = gettext_lazy(
    "You chose one e-mail a day about your SLA Monitor inbox. To have one each time instead, or "
    "none, change it under Your account."
)
# A digest lists this many at most; the rest wait in the inbox.
DIGEST_MOST = 50


class _Values(dict):
    def __missing__(self, key):
        return ""


@dataclass(frozen=True)
class Later:
    """A value of a notification written in the language it is read in, not the one it was
    made in: `writer` names a function registered with `register_writer`, called with `args`
    (text and numbers) when the notification is read."""

    writer: str
    args: tuple = ()


WRITERS: dict[str, Callable[..., str]] = {}


def register_writer(name: str, write: Callable[..., str]) -> None:
    """Let notifications keep values as `Later(name, args)`, written by `write(*args)` in the
    reader's language. Apps register from `AppConfig.ready()`."""
    WRITERS[name] = write


def day(value: dt.date, format: str = "DATE_FORMAT") -> Later:
    """A date, written out in the reader's language (`format` as `date_format` takes it)."""
    return Later("day", (value.isoformat(), format))


def _write_day(iso: str, format: str) -> str:
    return date_format(dt.date.fromisoformat(iso), format)


def _translate(text: str) -> str:
    return _(text)


register_writer("day", _write_day)
register_writer("words", _translate)


def _written(value):
    """A kept value as the active language writes it."""
    if isinstance(value, Mapping):
        if set(value) == {"later", "args"} and value["later"] in WRITERS:
            return WRITERS[value["later"]](*value["args"])
        return _Values({key: _written(inner) for key, inner in value.items()})
    if isinstance(value, list):
        return [_written(inner) for inner in value]
    return value


def values(notification: Notification) -> Mapping[str, object]:
    """A notification's values as its wording reads them, in the language now active: one it
    lacks reads as nothing rather than breaking the page or the e-mail."""
    return _written(notification.params)


def sentence(notification: Notification) -> str:
    """The notification's line in the inbox, in the language now active."""
    wording = WORDING[notification.kind]
    chosen = wording.sentence
    for name, instead in wording.without.items():
        if not notification.params.get(name):
            chosen = instead
    return str(chosen) % values(notification)


def subject(notification: Notification) -> str:
    return str(WORDING[notification.kind].subject) % values(notification)


def site_link(path: str) -> str:
    """A path of the site as a link an e-mail can carry: the task worker has no request to take
    the address from, so it comes from SITE_URL."""
    return settings.SITE_URL.rstrip("/") + path


# E-mails ---------------------------------------------------------------------------------------


class Email(NamedTuple):
    subject: str
    body: str


Composer = Callable[[Notification], Email]
EMAILS: dict[str, Composer] = {}


def register_email(kind: str, compose: Composer) -> None:
    """Write the e-mails of `kind` with `compose(notification)`, from its `params` and `link`,
    instead of its sentence and a link. Apps register from `AppConfig.ready()`."""
    EMAILS[kind] = compose


def plain_email(notification: Notification) -> Email:
    """The e-mail of a kind no app writes for itself: its sentence and its link."""
    return Email(
        subject=subject(notification),
        body=_("%(sentence)s\n\nOpen it: %(link)s\n")
        % {"sentence": sentence(notification), "link": site_link(notification.link)},
    )


def email_of(notification: Notification) -> Email:
    return EMAILS.get(notification.kind, plain_email)(notification)


# Telling people --------------------------------------------------------------------------------


def _plain(value):
    """A value as the notification keeps it (JSON): text, numbers and lists and mappings of them;
    a lazy translation as its English words and a `Later` as what it is made from, to be written
    in the reader's language; anything else (a quarter) as its text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Promise):
        with translation.override(None):
            value = Later("words", (str(value),))
    if isinstance(value, Later):
        return {"later": value.writer, "args": _plain(list(value.args))}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def notify(
    *, recipients: Iterable[User], kind: str, link: str, params: Mapping[str, object]
) -> None:
    """Put a notification of `kind` in the inbox of each distinct active person of `recipients`,
    linking to `link` (a path of the site, from `reverse`), its wording filled from `params`.
    Called inside the transaction of the change it tells of; once that commits, the task worker
    e-mails each of them who chose an e-mail each time."""
    if kind not in WORDING:
        raise ValueError(f"{kind!r} is not a kind of notification.")
    if not link.startswith("/") or not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        raise ValueError(f"{link!r} is not a path of this site.")
    wanted = {person.pk for person in recipients if person is not None}
    people = list(
        User.objects.filter(pk__in=wanted, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not people:
        return
    now = timezone.now()
    values = _plain(dict(params))
    made = Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=kind, params=values, link=link, created_at=now)
        for pk in people
    )
    ids = [notification.pk for notification in made]
    transaction.on_commit(lambda: email_each_event.enqueue(ids))


@task()
def email_each_event(notification_ids: list[int]) -> None:
    """E-mail each notification to its reader, if they chose an e-mail each time and have an
    address: one e-mail a person, so that nobody sees who else was told."""
    due = (
        Notification.objects.filter(
            pk__in=notification_ids,
            emailed_at__isnull=True,
            recipient__is_active=True,
            recipient__email_choice=EmailChoice.EACH_EVENT,
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    for notification in due:
        # In the reader's language, not whichever the worker happens to have active.
        with translation.override(language_of(notification.recipient)):
            email = email_of(notification)
            message = f"{email.body}\n{EACH_EVENT_FOOTER}\n"
        send_mail(
            subject=email.subject,
            message=message,
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


# The daily digest ------------------------------------------------------------------------------


def _waiting_for_digest() -> QuerySet[Notification]:
    """What a digest tells of: neither read nor e-mailed yet."""
    return Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)


def digest_readers() -> QuerySet[User]:
    """Active people with an address who chose a daily digest and have something to read in it."""
    return (
        User.objects.filter(is_active=True, email_choice=EmailChoice.DAILY_DIGEST)
        .exclude(email="")
        .filter(pk__in=_waiting_for_digest().values("recipient_id"))
        .order_by("pk")
    )


def send_digests() -> int:
    """Queue one digest for each person who chose one and has something new: what `manage.py
    send_digests` does once a day. Returns how many were queued."""
    readers = list(digest_readers().values_list("pk", flat=True))
    for pk in readers:
        email_digest.enqueue(pk)
    return len(readers)


@task()
def email_digest(user_id: int) -> None:
    """One e-mail listing what landed in the person's inbox and is still unread, each with its
    link; each is marked e-mailed with it, so that no digest tells of it again. The person's row
    is locked while it is sent: of two digests at once, the second finds nothing left."""
    with transaction.atomic():
        person = (
            User.objects.select_for_update()
            .filter(pk=user_id, is_active=True, email_choice=EmailChoice.DAILY_DIGEST)
            .exclude(email="")
            .first()
        )
        if person is None:
            return
        waiting = _waiting_for_digest().filter(recipient=person).order_by("-created_at", "-pk")
        ids = list(waiting.values_list("pk", flat=True))
        if not ids:
            return
        listed = list(waiting[:DIGEST_MOST])
        with translation.override(language_of(person)):
            subject = ngettext(
                "Your SLA Monitor inbox: %(count)d new item",
                "Your SLA Monitor inbox: %(count)d new items",
                len(ids),
            ) % {"count": len(ids)}
            body = _digest_body(listed, len(ids))
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[person.email])
        Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())


def _digest_body(listed: list[Notification], count: int) -> str:
    lines = [
        ngettext(
            "%(count)d item landed in your SLA Monitor inbox since your last daily e-mail and "
            "is still unread:",
            "%(count)d items landed in your SLA Monitor inbox since your last daily e-mail and "
            "are still unread:",
            count,
        )
        % {"count": count},
        "",
    ]
    for notification in listed:
        lines += [f"- {sentence(notification)}", f"  {site_link(notification.link)}", ""]
    if count > len(listed):
        more = count - len(listed)
        lines += [
            ngettext("%(count)d more is in your inbox.", "%(count)d more are in your inbox.", more)
            % {"count": more},
            "",
        ]
    lines += [
        _("Open your inbox: %(link)s") % {"link": site_link(reverse("oversight:inbox"))},
        "",
        str(DIGEST_FOOTER),
    ]
    return "\n".join(lines) + "\n"


# Reading ---------------------------------------------------------------------------------------


def visible_notifications(user) -> QuerySet[Notification]:
    """A person's own notifications, newest first: nobody reads anyone else's, an
    administrator included."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


# The header shows the count up to this, and "99+" beyond: counting stops there.
COUNTED_UP_TO = 100


def unread_count(user) -> int:
    """How many of the person's notifications are unread, up to COUNTED_UP_TO: one query on the
    (recipient, read_at) index, for the header of every page."""
    unread = visible_notifications(user).filter(read_at__isnull=True).order_by()
    return unread.values("pk")[:COUNTED_UP_TO].count()


@dataclass(frozen=True)
class Entry:
    """A notification as the inbox lists it."""

    pk: int
    sentence: str
    created_at: object
    unread: bool


def entries(notifications: Iterable[Notification]) -> list[Entry]:
    return [Entry(n.pk, sentence(n), n.created_at, n.read_at is None) for n in notifications]


# Changing --------------------------------------------------------------------------------------


def mark_read(*, notification: Notification, by: User) -> None:
    """The person opened their notification: it is read from now on."""
    if notification.recipient_id != by.pk:
        raise PermissionDenied
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_all_read(*, by: User) -> int:
    """Every unread notification of the person is read; returns how many were unread."""
    return (
        visible_notifications(by)
        .filter(read_at__isnull=True)
        .order_by()
        .update(read_at=timezone.now())
    )


CHOOSE_ONE = gettext_lazy("Choose how you want to hear of what lands in your inbox")


def choose_emails(*, person: User, by: User, choice: str) -> User:
    """A person chooses for themselves how they hear of their inbox: an e-mail each time, a
    daily digest, or none. Kept in the change history of their account."""
    if person.pk != by.pk:
        raise PermissionDenied
    if choice not in EmailChoice.values:
        raise ValidationError({"email_choice": CHOOSE_ONE})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=person.pk)
        if locked.email_choice != choice:
            locked.email_choice = choice
            locked.save(update_fields=["email_choice"])
    return locked
