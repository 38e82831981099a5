"""Who is told of an equality impact assessment's steps, and what their e-mails say.

The services call these inside their transactions, as the grants' services do: each puts a
notification in the inbox of the people concerned (`sla_monitor.inbox.notify`), in the same
commit as the step, and the inbox e-mails those who chose an e-mail each time once it commits.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from equality_plans.models import Assessment
from sla_monitor import inbox
from sla_monitor.models import Notification, User

Kind = Notification.Kind


def _name(person: User) -> str:
    return person.get_full_name() or person.username


def _params(assessment: Assessment, *, by: User, comment: str = "") -> dict:
    return {
        "reference": assessment.reference,
        "title": assessment.title,
        "by": _name(by),
        "comment": comment,
    }


def _link(assessment: Assessment) -> str:
    return reverse("equality_plans:assessment_detail", args=[assessment.pk])


def _submitters(assessment: Assessment) -> list[User]:
    """Whoever sent it for sign-off, the last time."""
    submit = (
        assessment.transitions.filter(step="submit").select_related("by").order_by("at", "pk")
    ).last()
    return [submit.by] if submit else []


def assessment_submitted(assessment: Assessment, *, by: User) -> None:
    """The council's senior officers have an assessment to sign off; its owner, who may be one,
    does not sign off their own."""
    seniors = User.objects.filter(
        organisation_id=assessment.council_id, role=User.Role.SENIOR_OFFICER, is_active=True
    ).exclude(pk__in=[assessment.owner_id, by.pk])
    inbox.notify(
        recipients=seniors,
        kind=Kind.ASSESSMENT_TO_SIGN_OFF,
        link=_link(assessment),
        params=_params(assessment, by=by),
    )


def assessment_decided(assessment: Assessment, *, by: User, signed_off: bool, comment: str):
    """Its owner and whoever submitted it hear that it was signed off, or returned with the
    senior officer's comments."""
    inbox.notify(
        recipients=[p for p in [assessment.owner, *_submitters(assessment)] if p and p.pk != by.pk],
        kind=Kind.ASSESSMENT_SIGNED_OFF if signed_off else Kind.ASSESSMENT_RETURNED,
        link=_link(assessment),
        params=_params(assessment, by=by, comment=comment),
    )


def _decided_email(notification: Notification) -> inbox.Email:
    """The inbox's sentence, the senior officer's comments where there are any, and the link."""
    values = inbox.values(notification)
    said = _("Their comments:") + f"\n{values['comment']}\n\n" if values["comment"] else ""
    return inbox.Email(
        subject=inbox.subject(notification),
        body=inbox.sentence(notification)
        + "\n\n"
        + said
        + _("Open the assessment: %(link)s") % {"link": inbox.site_link(notification.link)}
        + "\n",
    )


def register() -> None:
    """How the e-mails of signed-off and returned assessments are written
    (`EqualityPlansConfig.ready`)."""
    for kind in (Kind.ASSESSMENT_SIGNED_OFF, Kind.ASSESSMENT_RETURNED):
        inbox.register_email(kind, _decided_email)
