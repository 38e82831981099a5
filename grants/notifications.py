"""Who is told of what happens to returns and payments, and what their e-mails say.

The services call these inside their transactions: each puts a notification in the inbox of
the people concerned (`sla_monitor.inbox.notify`), which e-mails those who chose an e-mail each
time once the change commits. The e-mails say more than the inbox's one sentence (the officer's
comment, the answers to change, why a payment was withheld): they are written here, from the
notification's values, and registered with the inbox (`register`).
"""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from grants.lifecycle import CorrectionStatus
from grants.models import Reminder
from grants.models.payments import instalment_label
from sla_monitor import inbox
from sla_monitor.models import Notification, User
from sla_monitor.periods import span_label

Kind = Notification.Kind


def _name(person: User) -> str:
    return person.get_full_name() or person.username


def _provider_people(agreement) -> list[User]:
    """The agreement's provider's active people who report for it."""
    return list(
        User.objects.reporting_for_providers().filter(organisation_id=agreement.provider_id)
    )


def _instalment(instalment) -> inbox.Later:
    """The instalment's name ("2026/27, first instalment"), written in each reader's language."""
    return inbox.Later("instalment", (instalment.financial_year, instalment.place_in_year))


def _write_months(first: str, last: str) -> str:
    return span_label(dt.date.fromisoformat(first), dt.date.fromisoformat(last))


def _return_period(agreement, period) -> str | inbox.Later:
    """The period a return covers as `Agreement.return_period_label` names it, its months
    written in each reader's language."""
    first, last = agreement.covered_by(period)
    if first == period.start_date:
        return str(period)
    return inbox.Later("months", (first.isoformat(), last.isoformat()))


# Returns ---------------------------------------------------------------------------------------


def return_submitted(quarterly_return, *, by) -> None:
    """The agreement's lead officer has a return to review."""
    agreement = quarterly_return.agreement
    if agreement.lead_officer_id is None:
        return
    inbox.notify(
        recipients=[agreement.lead_officer],
        kind=Kind.RETURN_SUBMITTED,
        link=reverse("grants:return_detail", args=[quarterly_return.pk]),
        params={
            "reference": agreement.reference,
            "title": agreement.title,
            "period": str(quarterly_return.period),
            "provider": agreement.provider.name,
        },
    )


def return_decided(quarterly_return, *, by) -> None:
    """The provider's people hear that their return was approved or sent back, with the
    officer's comment and each answer flagged for change."""
    agreement = quarterly_return.agreement
    transition = quarterly_return.transitions.order_by("-at", "-pk").first()
    approved = quarterly_return.status == quarterly_return.Status.APPROVED
    inbox.notify(
        recipients=_provider_people(agreement),
        kind=Kind.RETURN_APPROVED if approved else Kind.RETURN_SENT_BACK,
        link=reverse("grants:return_detail", args=[quarterly_return.pk]),
        params={
            "reference": agreement.reference,
            "title": agreement.title,
            "period": str(quarterly_return.period),
            "by": _name(by),
            "comment": transition.comment,
            "flagged": _flagged_answers(agreement, transition.flagged_answers),
        },
    )


def _flagged_answers(agreement, flagged: list[dict]) -> list[dict[str, str]]:
    """Each answer the officer flagged: its code, its wording and what needs changing."""
    ids: dict[str, set[int]] = {"indicator": set(), "requirement": set()}
    for flag in flagged:
        kind, _sep, pk = flag.get("key", "").partition(":")
        if kind in ids and pk.isdigit():
            ids[kind].add(int(pk))
    wording = {
        f"indicator:{pk}": text
        for pk, text in agreement.indicators.filter(pk__in=ids["indicator"]).values_list(
            "pk", "wording"
        )
    } | {
        f"requirement:{pk}": text
        for pk, text in agreement.requirements.filter(pk__in=ids["requirement"]).values_list(
            "pk", "text"
        )
    }
    return [
        {
            "label": flag["label"],
            "text": wording.get(flag.get("key", ""), ""),
            "comment": flag["comment"],
        }
        for flag in flagged
    ]


def _return_submitted_email(notification: Notification) -> inbox.Email:
    values = inbox.values(notification)
    return inbox.Email(
        subject=inbox.subject(notification),
        body=_(
            "%(provider)s submitted its %(period)s return for %(title)s (%(reference)s).\n\n"
            "Review it: %(link)s\n"
        )
        % {**values, "link": inbox.site_link(notification.link)},
    )


DECIDED = {
    Kind.RETURN_APPROVED: gettext_lazy(
        "Your %(period)s return for %(title)s (%(reference)s) was approved."
    ),
    Kind.RETURN_SENT_BACK: gettext_lazy(
        "Your %(period)s return for %(title)s (%(reference)s) was sent back for changes."
    ),
}


def _return_decided_email(notification: Notification) -> inbox.Email:
    values = inbox.values(notification)
    comment = ""
    if values["comment"]:
        comment = "\n" + _("Comment from %(by)s:") % values + f"\n{values['comment']}\n"
    flagged = values["flagged"] or []
    changes = ""
    if flagged:
        lines = [
            "\n"
            + ngettext("%(count)d answer to change:", "%(count)d answers to change:", len(flagged))
            % {"count": len(flagged)}
        ]
        for flag in flagged:
            lines.append(f"\n{flag['label']}" + (f": {flag['text']}" if flag["text"] else ""))
            lines.append("  " + _("What needs changing: %(comment)s") % flag)
        changes = "\n".join(lines) + "\n"
    return inbox.Email(
        subject=inbox.subject(notification),
        body=f"{DECIDED[notification.kind] % values}\n{comment}{changes}\n"
        + _("Open it: %(link)s") % {"link": inbox.site_link(notification.link)}
        + "\n",
    )


# Corrections to approved returns ---------------------------------------------------------------


def _correction_params(correction, *, by, reason: str) -> dict:
    quarterly_return = correction.quarterly_return
    agreement = quarterly_return.agreement
    return {
        "reference": agreement.reference,
        "title": agreement.title,
        "period": str(quarterly_return.period),
        "by": _name(by),
        "reason": reason,
    }


def _correction_link(correction) -> str:
    return reverse("grants:return_detail", args=[correction.quarterly_return_id]) + "#correction"


def correction_proposed(correction) -> None:
    """The provider's people and the agreement's lead officer hear of a correction to decide or
    to know of; not whoever proposed it."""
    agreement = correction.quarterly_return.agreement
    proposer = correction.proposed_by
    inbox.notify(
        recipients=[
            p
            for p in [*_provider_people(agreement), agreement.lead_officer]
            if p is not None and p.pk != proposer.pk
        ],
        kind=Kind.CORRECTION_PROPOSED,
        link=_correction_link(correction),
        params=_correction_params(correction, by=proposer, reason=correction.reason),
    )


CORRECTION_DECIDED = {
    CorrectionStatus.APPROVED: Kind.CORRECTION_APPROVED,
    CorrectionStatus.DECLINED: Kind.CORRECTION_DECLINED,
    CorrectionStatus.WITHDRAWN: Kind.CORRECTION_WITHDRAWN,
}


def correction_decided(correction) -> None:
    """Approved or declined: the provider's people and whoever proposed it hear so, with why it
    was declined. Withdrawn: the agreement's lead officer, who had it to decide."""
    agreement = correction.quarterly_return.agreement
    decider = correction.decided_by
    if correction.status == CorrectionStatus.WITHDRAWN:
        concerned = [agreement.lead_officer]
    else:
        concerned = [*_provider_people(agreement), correction.proposed_by]
    inbox.notify(
        recipients=[p for p in concerned if p is not None and p.pk != decider.pk],
        kind=CORRECTION_DECIDED[correction.status],
        link=_correction_link(correction),
        params=_correction_params(correction, by=decider, reason=correction.decision_reason),
    )


REASON_HEADING = {
    Kind.CORRECTION_PROPOSED: gettext_lazy("Why, from %(by)s:"),
    Kind.CORRECTION_DECLINED: gettext_lazy("Why it was declined, from %(by)s:"),
}


def _correction_email(notification: Notification) -> inbox.Email:
    values = inbox.values(notification)
    heading = REASON_HEADING.get(notification.kind)
    why = f"\n{heading % values}\n{values['reason']}\n" if heading and values["reason"] else ""
    return inbox.Email(
        subject=inbox.subject(notification),
        body=f"{inbox.sentence(notification)}\n{why}\n"
        + _("Open the return: %(link)s") % {"link": inbox.site_link(notification.link)}
        + "\n",
    )


# Payments --------------------------------------------------------------------------------------


def instalment_decided(transition) -> None:
    """The provider's people hear that an instalment was released or withheld, and why; when it
    was withheld, whom to talk to."""
    instalment = transition.instalment
    agreement = instalment.agreement
    released = transition.to_status == instalment.Status.RELEASED
    by, reason = transition.by, transition.reason
    if transition.from_status == instalment.Status.RELEASE_REQUESTED:
        # The provider hears of its payment from the lead officer who released it, with their
        # note; who authorised it at the council, and what they said, is the council's own.
        request = (
            instalment.transitions.filter(to_status=instalment.Status.RELEASE_REQUESTED)
            .select_related("by")
            .order_by("-at", "-pk")
            .first()
        )
        by, reason = (request.by, request.reason) if request else (agreement.lead_officer, "")
    officer = agreement.lead_officer
    contact = {}
    if not released and officer is not None and officer.email:
        contact = {"officer": _name(officer), "officer_email": officer.email}
    link = reverse("grants:agreement_detail", args=[agreement.pk])
    inbox.notify(
        recipients=_provider_people(agreement),
        kind=Kind.INSTALMENT_RELEASED if released else Kind.INSTALMENT_WITHHELD,
        link=f"{link}?year={instalment.financial_year}#payments-heading",
        params={
            "reference": agreement.reference,
            "title": agreement.title,
            "instalment": _instalment(instalment),
            "amount": f"£{instalment.amount:,.2f}",
            "by": _name(by) if by is not None else agreement.funder.name,
            "on": inbox.day(timezone.localdate(transition.at), "j F Y"),
            "reason": reason,
            **contact,
        },
    )


INSTALMENT = {
    Kind.INSTALMENT_RELEASED: (
        gettext_lazy(
            "The %(instalment)s of %(amount)s for %(title)s (%(reference)s) was released by "
            "%(by)s on %(on)s."
        ),
        gettext_lazy("Note from %(by)s:"),
    ),
    Kind.INSTALMENT_WITHHELD: (
        gettext_lazy(
            "The %(instalment)s of %(amount)s for %(title)s (%(reference)s) was withheld by "
            "%(by)s on %(on)s."
        ),
        gettext_lazy("Reason from %(by)s:"),
    ),
}


def _instalment_email(notification: Notification) -> inbox.Email:
    values = inbox.values(notification)
    decided, why_heading = INSTALMENT[notification.kind]
    why = f"\n{why_heading % values}\n{values['reason']}\n" if values["reason"] else ""
    contact = ""
    if values["officer_email"]:
        contact = (
            "\n"
            + _("To talk it through, contact your lead officer, %(officer)s: %(officer_email)s")
            % values
            + "\n"
        )
    return inbox.Email(
        subject=inbox.subject(notification),
        body=f"{decided % values}\n{why}{contact}\n"
        + _("See the agreement's payments: %(link)s") % {"link": inbox.site_link(notification.link)}
        + "\n",
    )


def _instalment_params(instalment, transition) -> dict:
    agreement = instalment.agreement
    return {
        "reference": agreement.reference,
        "title": agreement.title,
        "provider": agreement.provider.name,
        "instalment": _instalment(instalment),
        "amount": f"£{instalment.amount:,.2f}",
        "by": _name(transition.by),
        "on": inbox.day(timezone.localdate(transition.at), "j F Y"),
        "reason": transition.reason,
    }


def release_requested(transition) -> None:
    """The funder's finance officers, but the person who asked, have a payment to authorise."""
    instalment = transition.instalment
    finance = User.objects.filter(
        role=User.Role.FINANCE_OFFICER,
        is_active=True,
        organisation_id=instalment.agreement.funder_id,
    ).exclude(pk=transition.by_id)
    inbox.notify(
        recipients=finance,
        kind=Kind.RELEASE_REQUESTED,
        link=reverse("grants:instalment_signoff", args=[instalment.pk]),
        params=_instalment_params(instalment, transition),
    )


def release_signed_off(transition) -> None:
    """The lead officer who asked for the payment, and the agreement's own, hear that finance
    authorised it or rejected the request, and why."""
    instalment = transition.instalment
    agreement = instalment.agreement
    authorised = transition.to_status == instalment.Status.RELEASED
    link = reverse("grants:agreement_detail", args=[agreement.pk])
    inbox.notify(
        recipients=[instalment.requested_by, agreement.lead_officer],
        kind=Kind.RELEASE_AUTHORISED if authorised else Kind.RELEASE_REJECTED,
        link=f"{link}?year={instalment.financial_year}#payments-heading",
        params=_instalment_params(instalment, transition),
    )


SIGNOFF_REASON = {
    Kind.RELEASE_REQUESTED: gettext_lazy("Note from %(by)s:"),
    Kind.RELEASE_AUTHORISED: gettext_lazy("Note from %(by)s:"),
    Kind.RELEASE_REJECTED: gettext_lazy("Reason from %(by)s:"),
}


def _signoff_email(notification: Notification) -> inbox.Email:
    values = inbox.values(notification)
    why = ""
    if values["reason"]:
        why = f"\n{SIGNOFF_REASON[notification.kind] % values}\n{values['reason']}\n"
    return inbox.Email(
        subject=inbox.subject(notification),
        body=f"{inbox.sentence(notification)}\n{why}\n"
        + _("Open it: %(link)s") % {"link": inbox.site_link(notification.link)}
        + "\n",
    )


def remittance_advice(run, lines_by_provider: dict) -> None:
    """Each provider paid in the run hears what it was paid, for which instalments, under which
    payment references, and on which day: its remittance advice."""
    council = run.council
    paid_on = inbox.day(run.paid_on, "j F Y")
    for lines in lines_by_provider.values():
        agreement = lines[0].instalment.agreement
        total = sum((line.instalment.amount for line in lines), start=Decimal(0))
        inbox.notify(
            recipients=_provider_people(agreement),
            kind=Kind.REMITTANCE_ADVICE,
            link=reverse("grants:agreement_detail", args=[agreement.pk]) + "#payments-heading",
            params={
                "council": council.name,
                "run": run.reference,
                "paid_on": paid_on,
                "total": f"£{total:,.2f}",
                "lines": [
                    {
                        "reference": line.instalment.agreement.reference,
                        "instalment": _instalment(line.instalment),
                        "amount": f"£{line.instalment.amount:,.2f}",
                        "payment_reference": line.payment_reference,
                    }
                    for line in lines
                ],
            },
        )


def _remittance_email(notification: Notification) -> inbox.Email:
    values = inbox.values(notification)
    lines = "".join(
        _("%(reference)s, %(instalment)s: %(amount)s, payment reference %(payment_reference)s")
        % line
        + "\n"
        for line in values["lines"] or []
    )
    return inbox.Email(
        subject=inbox.subject(notification),
        body=_("Remittance advice from %(council)s") % values
        + "\n\n"
        + inbox.sentence(notification)
        + "\n\n"
        + lines
        + "\n"
        + _("Total: %(total)s") % values
        + "\n"
        + _("Paid on: %(paid_on)s") % values
        + "\n\n"
        + _("See the agreement's payments: %(link)s") % {"link": inbox.site_link(notification.link)}
        + "\n",
    )


# Reminders -------------------------------------------------------------------------------------


REMINDER_KINDS = {
    Reminder.Kind.DUE_SOON: Kind.REMINDER_DUE_SOON,
    Reminder.Kind.OVERDUE: Kind.REMINDER_OVERDUE,
    Reminder.Kind.ESCALATION: Kind.REMINDER_ESCALATION,
    Reminder.Kind.AWAITING_REVIEW: Kind.REMINDER_AWAITING_REVIEW,
}
REMINDER_TEXT = {
    Kind.REMINDER_DUE_SOON: gettext_lazy(
        "Your %(period)s return for %(title)s (%(reference)s) is due on %(due)s."
    ),
    Kind.REMINDER_OVERDUE: gettext_lazy(
        "Your %(period)s return for %(title)s (%(reference)s) was due on %(due)s and has not "
        "been submitted."
    ),
    Kind.REMINDER_ESCALATION: gettext_lazy(
        "%(provider)s's %(period)s return for %(title)s (%(reference)s) was due on %(due)s and "
        "has not been submitted."
    ),
    Kind.REMINDER_AWAITING_REVIEW: gettext_lazy(
        "%(provider)s's %(period)s return for %(title)s (%(reference)s) has waited for your "
        "review since it was submitted."
    ),
}


def reminder(reminder: Reminder, recipients: list[User]) -> None:
    """The people a reminder is for: the provider's, or the lead officer."""
    agreement, period = reminder.agreement, reminder.period
    inbox.notify(
        recipients=recipients,
        kind=REMINDER_KINDS[reminder.kind],
        link=reverse("grants:agreement_detail", args=[agreement.pk]),
        params={
            "reference": agreement.reference,
            "title": agreement.title,
            "period": _return_period(agreement, period),
            "due": inbox.day(period.due_date),
            "provider": agreement.provider.name,
        },
    )


def _reminder_email(notification: Notification) -> inbox.Email:
    values = inbox.values(notification)
    return inbox.Email(
        subject=inbox.subject(notification),
        body=f"{REMINDER_TEXT[notification.kind] % values}\n\n"
        + _("Open SLA Monitor: %(link)s") % {"link": inbox.site_link(notification.link)}
        + "\n",
    )


# Messages --------------------------------------------------------------------------------------


def message_sent(message, *, people_in_thread) -> None:
    """The other side of the conversation hears of a message: the agreement's lead officer when
    the provider writes, the provider's people when the council does; and everyone who wrote in
    the thread before (a flag's officer among them), but its author."""
    agreement = message.agreement
    author = message.author
    from_provider = author.organisation_id == agreement.provider_id
    recipients = [agreement.lead_officer] if from_provider else _provider_people(agreement)
    recipients = [p for p in [*recipients, *people_in_thread] if p is not None]
    if message.flag_id:
        about = message.flag.label
        link = reverse("grants:flag_thread", args=[message.quarterly_return_id, message.flag_id])
    elif message.quarterly_return_id:
        about = gettext_lazy("the return")
        link = reverse("grants:return_detail", args=[message.quarterly_return_id]) + "#messages"
    else:
        about = gettext_lazy("the agreement")
        link = reverse("grants:agreement_detail", args=[agreement.pk]) + "#messages"
    inbox.notify(
        recipients=[p for p in recipients if p.pk != author.pk],
        kind=Kind.MESSAGE,
        link=link,
        params={
            "reference": agreement.reference,
            "title": agreement.title,
            "period": str(message.quarterly_return.period) if message.quarterly_return_id else "",
            "author": _name(author),
            "about": about,
            "body": message.body,
            "files": [a.original_name for a in message.attachments.all()],
        },
    )


def _message_email(notification: Notification) -> inbox.Email:
    values = inbox.values(notification)
    files = values["files"] or []
    attached = (
        ngettext("With %(count)s file: %(names)s.", "With %(count)s files: %(names)s.", len(files))
        % {"count": len(files), "names": ", ".join(files)}
        + "\n\n"
        if files
        else ""
    )
    said = f"{values['body']}\n\n" if values["body"] else ""
    return inbox.Email(
        subject=inbox.subject(notification),
        body=inbox.sentence(notification)
        + "\n\n"
        + said
        + attached
        + _("Read it and reply: %(link)s") % {"link": inbox.site_link(notification.link)}
        + "\n",
    )


# Variations -----------------------------------------------------------------------------------


def _approvers(variation) -> list[User]:
    """Who may approve the variation: the funding council's administrators, and its other lead
    officers where it lets them; never the person who drafted it."""
    council = variation.agreement.funder
    people = User.objects.lead_officers().filter(organisation=council)
    if not council.lead_officers_approve_variations:
        people = people.filter(role=User.Role.ADMIN)
    return list(people.exclude(pk=variation.drafted_by_id))


def _approver(variation) -> User | None:
    """Who approved the variation last: told when the provider does not accept it."""
    approval = variation.transitions.filter(step="approve").select_related("by").last()
    return approval.by if approval else None


def variation_moved(variation, *, step: str, by, reason: str = "") -> None:
    """The people the variation's next step is for hear of it: the lead officer of a provider's
    request, the council's approvers of a draft sent to them, the provider's people of terms to
    accept, the drafter of a variation back in draft, the provider of a declined request, and
    everyone who took part once it applies."""
    agreement = variation.agreement
    recipients_and_kind = {
        "request": (
            [agreement.lead_officer]
            if agreement.lead_officer_id
            else list(User.objects.lead_officers().filter(organisation_id=agreement.funder_id)),
            Kind.VARIATION_REQUESTED,
        ),
        "submit": (_approvers(variation), Kind.VARIATION_TO_APPROVE),
        "approve": (_provider_people(agreement), Kind.VARIATION_TO_ACCEPT),
        "return": ([variation.drafted_by], Kind.VARIATION_RETURNED),
        "reject": ([variation.drafted_by, _approver(variation)], Kind.VARIATION_RETURNED),
        "decline": ([variation.requested_by], Kind.VARIATION_DECLINED),
        # A request the council took up and then withdrew ends as one declined, for the provider.
        "withdraw": ([variation.requested_by], Kind.VARIATION_DECLINED),
        "accept": (
            [variation.drafted_by, variation.approved_by, agreement.lead_officer],
            Kind.VARIATION_APPLIED,
        ),
    }
    if step not in recipients_and_kind:
        return
    recipients, kind = recipients_and_kind[step]
    inbox.notify(
        recipients=[p for p in recipients if p is not None and p.pk != by.pk],
        kind=kind,
        link=reverse("grants:variation_detail", args=[variation.pk]),
        params={
            "reference": agreement.reference,
            "title": agreement.title,
            "number": variation.number,
            "council": agreement.funder.name,
            "provider": agreement.provider.name,
            "period": str(variation.takes_effect_from) if variation.takes_effect_from_id else "",
            "reason": reason,
        },
    )


def _variation_email(notification: Notification) -> inbox.Email:
    """The inbox's sentence, and why, where someone said why (a draft sent back, a request
    declined), with the link."""
    values = inbox.values(notification)
    said = (
        _("They said: %(reason)s") % {"reason": values["reason"]} + "\n\n"
        if values["reason"]
        else ""
    )
    return inbox.Email(
        subject=inbox.subject(notification),
        body=inbox.sentence(notification)
        + "\n\n"
        + said
        + _("Open the variation: %(link)s") % {"link": inbox.site_link(notification.link)}
        + "\n",
    )


VARIATION_KINDS = (
    Kind.VARIATION_REQUESTED,
    Kind.VARIATION_TO_APPROVE,
    Kind.VARIATION_TO_ACCEPT,
    Kind.VARIATION_RETURNED,
    Kind.VARIATION_DECLINED,
    Kind.VARIATION_APPLIED,
)


def register() -> None:
    """How the e-mails of returns, corrections, payments, reminders and messages are written,
    and the names of instalments and of returns' months in them (`GrantsConfig.ready`)."""
    inbox.register_writer("instalment", instalment_label)
    inbox.register_writer("months", _write_months)
    inbox.register_email(Kind.MESSAGE, _message_email)
    for kind in VARIATION_KINDS:
        inbox.register_email(kind, _variation_email)
    inbox.register_email(Kind.RETURN_SUBMITTED, _return_submitted_email)
    for kind in DECIDED:
        inbox.register_email(kind, _return_decided_email)
    for kind in INSTALMENT:
        inbox.register_email(kind, _instalment_email)
    for kind in SIGNOFF_REASON:
        inbox.register_email(kind, _signoff_email)
    inbox.register_email(Kind.REMITTANCE_ADVICE, _remittance_email)
    for kind in (Kind.CORRECTION_PROPOSED, *CORRECTION_DECIDED.values()):
        inbox.register_email(kind, _correction_email)
    for kind in REMINDER_TEXT:
        inbox.register_email(kind, _reminder_email)
