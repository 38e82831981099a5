"""Every write to an equality impact assessment goes through a function here.

Each takes the assessment's `version` (its `lock_version` when the person opened the page) and
locks the row: a change made by someone else since, or a double submission, is refused and saves
nothing. Each lifecycle step is an `AssessmentTransition`, with who took it, when and what they
said; changes to the fields are kept by the audit log (`equality_plans.audit`).
"""

import copy
import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from equality_plans import groups, permissions, webhook_data
from equality_plans.assessments import notifications
from equality_plans.models import (
    Action,
    ActionPlan,
    Assessment,
    AssessmentEvidence,
    AssessmentStatus,
    AssessmentTransition,
    EqualityStrand,
    GroupJudgement,
    Impact,
    Mitigation,
    Outcome,
    ScreeningOutcome,
    Section,
    Subject,
)
from equality_plans.timescales import parse_due_date
from grants.evidence import check_evidence_file
from sla_monitor import audit, roles, webhooks, written
from sla_monitor.models import WebhookEvent
from sla_monitor.once import claim
from sla_monitor.text import has_words

# What each step may start from, where it leads, and how it is refused from anywhere else.
STEPS = {
    "submit": ((AssessmentStatus.DRAFT, AssessmentStatus.RETURNED), AssessmentStatus.SUBMITTED),
    "sign_off": ((AssessmentStatus.SUBMITTED,), AssessmentStatus.SIGNED_OFF),
    "return": ((AssessmentStatus.SUBMITTED,), AssessmentStatus.RETURNED),
    "publish": ((AssessmentStatus.SIGNED_OFF,), AssessmentStatus.PUBLISHED),
}


def _stale() -> str:
    return _(
        "This assessment was changed by someone else since you opened it, or your request was "
        "sent twice. Nothing was saved: look at it again and make your change."
    )


def _lock(assessment: Assessment, version: int | None) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if version is not None and locked.lock_version != version:
        raise ValidationError(_stale(), code="stale")
    return locked


def _saved(locked: Assessment, fields: list[str]) -> Assessment:
    locked.lock_version += 1
    locked.save(update_fields=[*fields, "lock_version", "updated_at"])
    return locked


def _editable(by, assessment: Assessment, version: int | None) -> Assessment:
    locked = _lock(assessment, version)
    if not locked.is_editable:
        raise ValidationError(
            _("This assessment is %(status)s: it can no longer be changed.")
            % {"status": locked.get_status_display().lower()},
            code="not_editable",
        )
    if not permissions.can_edit_assessment(by, locked):
        raise PermissionDenied(
            _("Only the assessment's owner and its council's officers change it.")
        )
    # Whoever changes what it says is one of its authors, and does not sign it off.
    locked.contributors.add(by)
    return locked


# Details -------------------------------------------------------------------------------------


def _subject_problems(council, subject, fund, agreement, action, title) -> dict[str, str]:
    problems = {}
    if not has_words(title or ""):
        problems["title"] = _("Enter what is assessed.")
    if subject not in Subject.values:
        problems["subject"] = _("Choose what the assessment is of.")
    elif subject == Subject.FUND and (fund is None or fund.council_id != council.pk):
        problems["fund"] = _("Choose one of the council's funds.")
    elif subject == Subject.AGREEMENT and (agreement is None or agreement.funder_id != council.pk):
        problems["agreement"] = _("Choose one of the council's agreements.")
    elif subject == Subject.ACTION and (action is None or action.plan.owner_id != council.pk):
        problems["action"] = _("Choose an action of one of the council's plans.")
    return problems


def _detail_problems(council, details: dict) -> dict[str, str]:
    problems = _subject_problems(
        council,
        details.get("subject"),
        details.get("fund"),
        details.get("agreement"),
        details.get("action"),
        details.get("title"),
    )
    owner = details.get("owner")
    if owner is None or not (roles.is_council_staff(owner) and roles.belongs_to(owner, council.pk)):
        problems["owner"] = _("Choose an officer of the council to own the assessment.")
    if not has_words(details.get("directorate") or ""):
        problems["directorate"] = _("Enter the lead directorate.")
    if not has_words(details.get("decision") or ""):
        problems["decision"] = _("Describe the decision the assessment informs.")
    for action in details.get("called_for_by") or ():
        if action.plan.owner_id != council.pk:
            problems["called_for_by"] = _("Choose actions of the council's own plans.")
    return problems


def _set_details(assessment: Assessment, details: dict) -> list[str]:
    subject = details["subject"]
    # Each language to its own column, whatever language the writer reads in.
    assessment.title_en_gb = details["title"].strip()
    assessment.subject = subject
    assessment.fund = details.get("fund") if subject == Subject.FUND else None
    assessment.agreement = details.get("agreement") if subject == Subject.AGREEMENT else None
    assessment.action = details.get("action") if subject == Subject.ACTION else None
    assessment.owner = details["owner"]
    assessment.directorate = details["directorate"].strip()
    assessment.decision_en_gb = details["decision"].strip()
    for welsh in ("title_cy", "decision_cy"):
        if welsh in details:
            setattr(assessment, welsh, (details[welsh] or "").strip())
    assessment.decision_date = details.get("decision_date")
    return [
        *written.saved_with(assessment, "title_en_gb"),
        "subject",
        "fund",
        "agreement",
        "action",
        "owner",
        "directorate",
        *written.saved_with(assessment, "decision_en_gb"),
        "decision_date",
    ]


@transaction.atomic
def start_assessment(*, council, by, details: dict, once: uuid.UUID | None = None) -> Assessment:
    """A draft assessment of the council's: what it is of, its owner, lead directorate and the
    decision it informs (with its date). `details` holds those, and `called_for_by`, the plan
    actions that call for it. It considers the groups the council chooses
    (`equality_plans.groups.groups_of`), each unanswered."""
    if not (
        permissions.writes_assessments(by)
        and (roles.is_superuser(by) or roles.belongs_to(by, council.pk))
    ):
        raise PermissionDenied(_("Only the council's officers start its assessments."))
    problems = _detail_problems(council, details)
    if problems:
        raise ValidationError(problems)
    if once is not None:
        claim(once, already=_("the assessment was started once; find it among the assessments."))
    # The council's row is the lock that numbers its assessments one at a time.
    type(council).objects.select_for_update().get(pk=council.pk)
    number = (Assessment.objects.filter(council=council).aggregate(n=Max("number"))["n"] or 0) + 1
    assessment = Assessment(council=council, number=number)
    _set_details(assessment, details)
    assessment.save()
    assessment.called_for_by.set(details.get("called_for_by") or ())
    assessment.contributors.add(by)
    GroupJudgement.objects.bulk_create(
        GroupJudgement(assessment=assessment, group=group.code, order=order)
        for order, group in enumerate(groups.groups_of(council), start=1)
    )
    _record(assessment, "start", AssessmentStatus.DRAFT, AssessmentStatus.DRAFT, by)
    return assessment


@transaction.atomic
def update_details(*, assessment: Assessment, by, version: int | None, details: dict) -> Assessment:
    locked = _editable(by, assessment, version)
    problems = _detail_problems(locked.council, details)
    if problems:
        raise ValidationError(problems)
    fields = _set_details(locked, details)
    _saved(locked, fields)
    locked.called_for_by.set(details.get("called_for_by") or ())
    return locked


# Screening -----------------------------------------------------------------------------------


@transaction.atomic
def record_screening(
    *,
    assessment: Assessment,
    by,
    version: int | None,
    answers: dict[str, tuple[bool | None, str]],
    outcome: str,
    reason: str,
) -> Assessment:
    """For each group, whether it is relevant (True or False) and why; and the outcome: a full
    assessment, or none (with the reason). Every group must be answered, and a relevant one
    with why."""
    locked = _editable(by, assessment, version)
    judgements = list(locked.judgements.all())
    problems = {}
    for judgement in judgements:
        relevant, why = answers.get(judgement.group, (None, ""))
        name = groups.name_of(judgement.group)
        if relevant is None:
            problems[f"relevant-{judgement.group}"] = _(
                "Say whether the assessment is relevant to %(group)s."
            ) % {"group": name.lower()}
        elif relevant and not has_words(why or ""):
            problems[f"why-{judgement.group}"] = _("Say why it is relevant to %(group)s.") % {
                "group": name.lower()
            }
    if outcome not in ScreeningOutcome.values:
        problems["screening_outcome"] = _("Choose whether a full assessment is needed.")
    elif outcome == ScreeningOutcome.NO_FULL_ASSESSMENT and not has_words(reason or ""):
        problems["screening_reason"] = _("Say why no full assessment is needed.")
    if problems:
        raise ValidationError(problems)
    read = [copy.copy(judgement) for judgement in judgements]
    for judgement in judgements:
        relevant, why = answers[judgement.group]
        judgement.relevant = relevant
        judgement.relevance = (why or "").strip()
        if not relevant:
            judgement.impact, judgement.explanation = "", ""
    GroupJudgement.objects.bulk_update(
        judgements, ["relevant", "relevance", "impact", "explanation"]
    )
    audit.record_bulk_writes(changed=list(zip(read, judgements, strict=True)))
    locked.screening_outcome = outcome
    locked.screening_reason = (
        reason.strip() if outcome == ScreeningOutcome.NO_FULL_ASSESSMENT else ""
    )
    return _saved(locked, ["screening_outcome", "screening_reason"])


# Full assessment -----------------------------------------------------------------------------


# The furthest ahead a review may be set: an assessment is looked at again within five years.
LONGEST_REVIEW = dt.timedelta(days=5 * 366)


def review_date_problem(review_date: dt.date | None, today: dt.date) -> str | None:
    if review_date is None:
        return _("Enter the date by which the assessment is reviewed.")
    if review_date <= today:
        return _("The review date must be in the future.")
    if review_date > today + LONGEST_REVIEW:
        return _("Review the assessment within five years: choose an earlier date.")
    return None


@transaction.atomic
def record_full_assessment(
    *,
    assessment: Assessment,
    by,
    version: int | None,
    evidence: str,
    consultation: str,
    impacts: dict[str, tuple[str, str]],
    outcome: str,
    justification: str,
    review_date: dt.date | None,
    justification_cy: str | None = None,
) -> Assessment:
    """The full assessment: evidence, consultation and engagement, the likely impact on each
    group screened relevant with its explanation, the overall outcome (with the justification
    where the policy continues despite adverse impact, in English and, where the council writes
    it, in Welsh) and a future review date. All of it at once: a part missing or wrong refuses
    the whole and saves nothing."""
    locked = _editable(by, assessment, version)
    if not locked.is_full:
        raise ValidationError(
            _("Screening found no full assessment needed: change the screening first."),
            code="not_full",
        )
    relevant = [j for j in locked.judgements.all() if j.relevant]
    problems = {}
    if not has_words(evidence or ""):
        problems["evidence"] = _("Describe the evidence the assessment draws on.")
    if not has_words(consultation or ""):
        problems["consultation"] = _(
            "Describe the consultation and engagement done, or why there was none."
        )
    for judgement in relevant:
        impact, explanation = impacts.get(judgement.group, ("", ""))
        name = groups.name_of(judgement.group).lower()
        if impact not in Impact.values:
            problems[f"impact-{judgement.group}"] = _("Choose the likely impact on %(group)s.") % {
                "group": name
            }
        elif not has_words(explanation or ""):
            problems[f"explanation-{judgement.group}"] = _(
                "Explain the likely impact on %(group)s."
            ) % {"group": name}
    if outcome not in Outcome.values:
        problems["outcome"] = _("Choose the outcome of the assessment.")
    elif outcome == Outcome.CONTINUE and not has_words(justification or ""):
        problems["justification"] = _(
            "Give the justification for continuing despite the adverse impact."
        )
    date_problem = review_date_problem(review_date, timezone.localdate())
    if date_problem:
        problems["review_date"] = date_problem
    if problems:
        raise ValidationError(problems)
    read = [copy.copy(judgement) for judgement in relevant]
    for judgement in relevant:
        judgement.impact, explanation = impacts[judgement.group]
        judgement.explanation = explanation.strip()
    GroupJudgement.objects.bulk_update(relevant, ["impact", "explanation"])
    audit.record_bulk_writes(changed=list(zip(read, relevant, strict=True)))
    locked.evidence = evidence.strip()
    locked.consultation = consultation.strip()
    locked.outcome = outcome
    continues = outcome == Outcome.CONTINUE
    locked.justification_en_gb = justification.strip() if continues else ""
    if justification_cy is not None or not continues:
        locked.justification_cy = (justification_cy or "").strip() if continues else ""
    locked.review_date = review_date
    return _saved(
        locked,
        [
            "evidence",
            "consultation",
            "outcome",
            *written.saved_with(locked, "justification_en_gb"),
            "review_date",
        ],
    )


# Mitigations ---------------------------------------------------------------------------------


@transaction.atomic
def add_mitigation(
    *, assessment: Assessment, by, version: int | None, group: str, wording: str
) -> Mitigation:
    locked = _editable(by, assessment, version)
    problems = {}
    codes = {j.group for j in locked.judgements.all()}
    if group and group not in codes:
        problems["group"] = _("Choose one of the groups the assessment considers.")
    if not has_words(wording or ""):
        problems["wording"] = _("Describe what will be done to lessen the impact.")
    if problems:
        raise ValidationError(problems)
    order = (locked.mitigations.aggregate(n=Max("order"))["n"] or 0) + 1
    mitigation = Mitigation.objects.create(
        assessment=locked, group=group, wording=wording.strip(), order=order
    )
    _saved(locked, [])
    return mitigation


@transaction.atomic
def remove_mitigation(*, mitigation: Mitigation, by, version: int | None) -> None:
    """A mitigation not yet an action is removed; one that became an action stays, as the
    action does."""
    locked = _editable(by, mitigation.assessment, version)
    held = Mitigation.objects.filter(pk=mitigation.pk, assessment=locked).first()
    if held is None:
        return
    if held.action_id is not None:
        raise ValidationError(
            _("This mitigation is an action of an equality plan now: it cannot be removed."),
            code="has_action",
        )
    held.delete()
    _saved(locked, [])


@transaction.atomic
def mitigation_to_action(
    *,
    mitigation: Mitigation,
    by,
    version: int | None,
    plan: ActionPlan,
    section: Section | None,
    owner,
    timescale: str,
    lead_responsibility: str = "",
) -> Action:
    """In one step, the mitigation becomes a new action of one of the council's equality plans
    that the person may add actions to: its wording, tagged with the group's strand, with its
    owner and timescale (its due date read from the timescale), linked back to the mitigation."""
    locked = _lock(mitigation.assessment, version)
    held = Mitigation.objects.select_for_update().get(pk=mitigation.pk)
    if held.assessment_id != locked.pk:
        raise ValidationError(_stale(), code="stale")
    if locked.status == AssessmentStatus.REVIEWED:
        raise ValidationError(
            _("A later version replaces this assessment: turn its mitigations into actions there."),
            code="reviewed",
        )
    if not permissions.can_edit_assessment(by, locked) and not permissions.can_publish_assessment(
        by, locked
    ):
        raise PermissionDenied(_("Only the council's officers turn mitigations into actions."))
    if held.action_id is not None:
        raise ValidationError(
            _("This mitigation is already action %(number)s of %(plan)s.")
            % {"number": held.action.number, "plan": held.action.plan.title},
            code="already",
        )
    problems = {}
    if (
        plan is None
        or plan.owner_id != locked.council_id
        or not permissions.can_add_actions(by, plan)
    ):
        problems["plan"] = _("Choose a plan of the council's that you may add actions to.")
    elif section is not None and section.plan_id != plan.pk:
        problems["section"] = _("Choose a section of that plan.")
    if (
        owner is not None
        and plan is not None
        and not (roles.is_council_staff(owner) and roles.belongs_to(owner, plan.owner_id))
    ):
        problems["owner"] = _("Choose an officer of the plan's council.")
    if not has_words(timescale or ""):
        problems["timescale"] = _("Enter the timescale, such as “Q3 2026/27”.")
    if problems:
        raise ValidationError(problems)
    if section is None:
        section, _created = Section.objects.get_or_create(
            plan=plan,
            title=_("Mitigations from equality impact assessments"),
            defaults={
                "order": (plan.sections.aggregate(n=Max("order"))["n"] or 0) + 1,
            },
        )
    numbers = set(plan.actions.values_list("number", flat=True))
    number = f"{locked.reference}-{held.order}"
    while number in numbers:
        number += "a"
    action = Action.objects.create(
        plan=plan,
        section=section,
        number=number,
        order=(plan.actions.aggregate(n=Max("order"))["n"] or 0) + 1,
        wording=held.wording,
        lead_responsibility=lead_responsibility.strip(),
        timescale=timescale.strip(),
        due_date=parse_due_date(timescale),
        owner=owner,
        linked_strategies=_("Mitigation in %(reference)s: %(title)s")
        % {"reference": locked.reference, "title": locked.title},
    )
    strand = groups.BY_CODE[held.group].strand if held.group in groups.BY_CODE else ""
    if strand:
        action.strands.set(EqualityStrand.objects.filter(code=strand))
    held.action = action
    held.save(update_fields=["action"])
    _saved(locked, [])
    return action


# Evidence files ------------------------------------------------------------------------------


@transaction.atomic
def add_evidence_file(
    *, assessment: Assessment, by, version: int | None, upload
) -> AssessmentEvidence:
    """A file checked by its content as returns' evidence is (`grants.evidence`)."""
    locked = _editable(by, assessment, version)
    try:
        checked = check_evidence_file(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    evidence = AssessmentEvidence(
        assessment=locked,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=by,
    )
    evidence.file.save(checked.name, upload, save=False)
    evidence.save()
    _saved(locked, [])
    return evidence


@transaction.atomic
def remove_evidence_file(*, evidence: AssessmentEvidence, by, version: int | None) -> None:
    locked = _editable(by, evidence.assessment, version)
    held = AssessmentEvidence.objects.filter(pk=evidence.pk, assessment=locked).first()
    if held is None:
        return
    stored = held.file
    held.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
    _saved(locked, [])


# The lifecycle -------------------------------------------------------------------------------


def _record(assessment, step: str, from_status: str, to_status: str, by, comment: str = ""):
    AssessmentTransition.objects.create(
        assessment=assessment,
        step=step,
        from_status=from_status,
        to_status=to_status,
        by=by,
        comment=comment,
    )


def _step(name: str, assessment: Assessment, by, version: int | None) -> tuple[Assessment, str]:
    locked = _lock(assessment, version)
    sources, _target = STEPS[name]
    if locked.status not in sources:
        raise ValidationError(
            _("This assessment is %(status)s: that step cannot be taken now.")
            % {"status": locked.get_status_display().lower()},
            code="wrong_status",
        )
    return locked, locked.status


def _move(locked: Assessment, name: str, from_status: str, by, comment: str = "", fields=()):
    locked.status = STEPS[name][1]
    _saved(locked, ["status", *fields])
    _record(locked, name, from_status, locked.status, by, comment)
    return locked


def problems_before_submission(assessment: Assessment, today: dt.date) -> dict[str, str]:
    """What an assessment lacks before it can be sent for sign-off, by the field that lacks it."""
    problems = {}
    judgements = list(assessment.judgements.all())
    if not assessment.screening_outcome or any(j.relevant is None for j in judgements):
        problems["screening_outcome"] = _("Complete the screening.")
        return problems
    if not assessment.is_full:
        return problems
    if not assessment.evidence or not assessment.consultation:
        problems["evidence"] = _("Complete the full assessment: its evidence and consultation.")
    missing = [
        groups.name_of(j.group).lower()
        for j in judgements
        if j.relevant and (not j.impact or not j.explanation)
    ]
    if missing:
        problems["impacts"] = _(
            "Give the likely impact, with its explanation, on each group screened relevant: "
            "%(groups)s."
        ) % {"groups": ", ".join(missing)}
    if not assessment.outcome:
        problems["outcome"] = _("Choose the outcome of the assessment.")
    elif assessment.outcome == Outcome.CONTINUE and not assessment.justification:
        problems["justification"] = _(
            "Give the justification for continuing despite the adverse impact."
        )
    date_problem = review_date_problem(assessment.review_date, today)
    if date_problem:
        problems["review_date"] = date_problem
    return problems


@transaction.atomic
def submit_assessment(*, assessment: Assessment, by, version: int | None) -> Assessment:
    """Its owner or the council's officers send a complete assessment for sign-off."""
    locked, from_status = _step("submit", assessment, by, version)
    if not permissions.can_edit_assessment(by, locked):
        raise PermissionDenied(
            _("Only the assessment's owner and its council's officers submit it.")
        )
    problems = problems_before_submission(locked, timezone.localdate())
    if problems:
        raise ValidationError(problems)
    locked.submitted_at = timezone.now()
    _move(locked, "submit", from_status, by, fields=["submitted_at"])
    notifications.assessment_submitted(locked, by=by)
    return locked


@transaction.atomic
def sign_off_assessment(*, assessment: Assessment, by, version: int | None, comment: str = ""):
    """A senior officer of the council who neither owns nor submitted it signs it off. When it
    reviews an earlier version, that version is now replaced (kept, read-only)."""
    locked, from_status = _step("sign_off", assessment, by, version)
    if not permissions.can_sign_off_assessment(by, locked):
        raise PermissionDenied(
            _("A senior officer of the council signs off an assessment, never its author.")
        )
    locked.signed_off_at = timezone.now()
    locked.signed_off_by = by
    _move(locked, "sign_off", from_status, by, comment.strip(), ["signed_off_at", "signed_off_by"])
    if locked.previous_id is not None:
        previous = Assessment.objects.select_for_update().get(pk=locked.previous_id)
        from_previous = previous.status
        previous.status = AssessmentStatus.REVIEWED
        _saved(previous, ["status"])
        _record(previous, "replaced", from_previous, previous.status, by)
    notifications.assessment_decided(locked, by=by, signed_off=True, comment=comment.strip())
    webhooks.emit(
        locked.council_id, WebhookEvent.ASSESSMENT_SIGNED_OFF, webhook_data.assessment(locked)
    )
    return locked


@transaction.atomic
def return_assessment(*, assessment: Assessment, by, version: int | None, comments: str):
    """A senior officer sends it back to its owner with comments."""
    locked, from_status = _step("return", assessment, by, version)
    if not permissions.can_sign_off_assessment(by, locked):
        raise PermissionDenied(
            _("A senior officer of the council returns an assessment, never its author.")
        )
    if not has_words(comments or ""):
        raise ValidationError({"comments": _("Say what needs to change.")})
    _move(locked, "return", from_status, by, comments.strip())
    notifications.assessment_decided(locked, by=by, signed_off=False, comment=comments.strip())
    return locked


@transaction.atomic
def publish_assessment(*, assessment: Assessment, by, version: int | None) -> Assessment:
    """A signed-off assessment is published on the council's public assessments page."""
    locked, from_status = _step("publish", assessment, by, version)
    if not permissions.can_publish_assessment(by, locked):
        raise PermissionDenied(_("Only the council's officers publish its assessments."))
    locked.published_at = timezone.now()
    published = _move(locked, "publish", from_status, by, fields=["published_at"])
    webhooks.emit(
        locked.council_id, WebhookEvent.ASSESSMENT_PUBLISHED, webhook_data.assessment(locked)
    )
    return published


@transaction.atomic
def review_assessment(*, assessment: Assessment, by, version: int | None) -> Assessment:
    """A new draft version of a signed-off assessment, holding all it says; the signed-off one
    stays as it is, read-only, until the new one is signed off."""
    locked = _lock(assessment, version)
    if not permissions.can_review_assessment(by, locked):
        if locked.status not in (AssessmentStatus.SIGNED_OFF, AssessmentStatus.PUBLISHED):
            raise ValidationError(
                _("Only a signed-off assessment is reviewed."), code="wrong_status"
            )
        raise PermissionDenied(_("Only the council's officers review its assessments."))
    if Assessment.objects.filter(previous=locked).exists():
        raise ValidationError(
            _("This assessment is being reviewed already: open its new version."),
            code="already",
        )
    fresh = Assessment.objects.get(pk=locked.pk)
    judgements = list(fresh.judgements.all())
    mitigations = list(fresh.mitigations.all())
    called_for = list(fresh.called_for_by.all())
    fresh.pk = None
    fresh.id = None
    fresh.version = locked.version + 1
    fresh.previous = locked
    fresh.status = AssessmentStatus.DRAFT
    fresh.lock_version = 1
    fresh.submitted_at = fresh.signed_off_at = fresh.published_at = None
    fresh.signed_off_by = None
    fresh.review_reminded_on = None
    fresh.review_date = None
    fresh._state.adding = True
    try:
        with transaction.atomic():
            fresh.save()
    except IntegrityError:
        raise ValidationError(
            _("This assessment is being reviewed already: open its new version."),
            code="already",
        ) from None
    fresh.called_for_by.set(called_for)
    fresh.contributors.set([by])
    GroupJudgement.objects.bulk_create(
        GroupJudgement(
            assessment=fresh,
            group=j.group,
            order=j.order,
            relevant=j.relevant,
            relevance=j.relevance,
            impact=j.impact,
            explanation=j.explanation,
        )
        for j in judgements
    )
    # The actions the mitigations became stay linked to the version that made them; the new
    # version carries the wording, to be turned into actions anew where still needed.
    Mitigation.objects.bulk_create(
        Mitigation(assessment=fresh, group=m.group, wording=m.wording, order=m.order)
        for m in mitigations
    )
    _record(fresh, "review", AssessmentStatus.DRAFT, AssessmentStatus.DRAFT, by)
    return fresh
