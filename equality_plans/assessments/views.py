"""The council staff's pages for equality impact assessments.

Views read the request, call a service and render: the rules (what an answer must say, who may
take which step, whether the page was stale) are the services' and the permissions'. An
assessment outside the user's council is a 404; a person who may read it but not do what they
asked is a 403; a page sent from an old version of the assessment is refused with a message,
and nothing changes.
"""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from equality_plans import groups, permissions
from equality_plans.assessments import selectors, services
from equality_plans.assessments.forms import (
    DetailsForm,
    EvidenceForm,
    FullAssessmentForm,
    MitigationActionForm,
    MitigationForm,
    ScreeningForm,
    SignOffForm,
    VersionForm,
    initial_details,
    is_stale,
)
from equality_plans.models import (
    Assessment,
    AssessmentStatus,
    Mitigation,
)
from sla_monitor import roles
from sla_monitor.once import AlreadySent
from sla_monitor.pagination import paginate

LIST_PAGE_SIZE = 50

STEP_LABELS = {
    "start": gettext_lazy("Started"),
    "submit": gettext_lazy("Sent for sign-off"),
    "sign_off": gettext_lazy("Signed off"),
    "return": gettext_lazy("Returned with comments"),
    "publish": gettext_lazy("Published"),
    "review": gettext_lazy("Review started as a new version"),
    "replaced": gettext_lazy("Replaced by the signed-off review"),
}

# The page on which each thing `problems_before_submission` finds missing is put right.
PROBLEM_PAGES = {
    "screening_outcome": ("equality_plans:assessment_screening", ""),
    "evidence": ("equality_plans:assessment_full", "#id_evidence"),
    "impacts": ("equality_plans:assessment_full", "#impacts"),
    "outcome": ("equality_plans:assessment_full", "#id_outcome_0"),
    "justification": ("equality_plans:assessment_full", "#id_justification"),
    "review_date": ("equality_plans:assessment_full", "#id_review_date_day"),
}


# Finding the assessment ------------------------------------------------------------------------


def _assessment(request, pk) -> Assessment:
    """The assessment, if the user may read it: a provider is refused, another council's
    assessment is not found."""
    if not permissions.reads_assessments(request.user):
        raise PermissionDenied
    assessment = permissions.visible_assessment(request.user, pk)
    if assessment is None:
        raise Http404(_("No such assessment."))
    return assessment


def _detail(assessment):
    return redirect("equality_plans:assessment_detail", pk=assessment.pk)


def _editable(request, pk) -> Assessment:
    """The assessment, if the user may change it now; one that can no longer change is a
    message on its page (`_NotEditable`)."""
    assessment = _assessment(request, pk)
    if not assessment.is_editable:
        raise _NotEditable(assessment)
    if not permissions.can_edit_assessment(request.user, assessment):
        raise PermissionDenied
    return assessment


class _NotEditable(Exception):
    def __init__(self, assessment):
        self.assessment = assessment


def _editing(view):
    """A page that changes the assessment: when it can no longer change, back to its page with
    why."""

    @functools.wraps(view)
    def wrapped(request, pk, *args, **kwargs):
        try:
            return view(request, pk, *args, **kwargs)
        except _NotEditable as refused:
            assessment = refused.assessment
            messages.error(
                request,
                _("This assessment is %(status)s: it can no longer be changed.")
                % {"status": assessment.get_status_display().lower()},
            )
            return _detail(assessment)

    return wrapped


def _refused(request, error: ValidationError, form=None) -> bool:
    """Put a service's refusal where it belongs: beside the form's fields when it names them,
    else as a message. True when the page must be opened again (stale, or no longer editable)
    rather than shown with its errors."""
    if form is not None and hasattr(error, "error_dict"):
        form.add_service_error(error)
        return False
    messages.error(request, " ".join(error.messages))
    return True


def _stale_form(request) -> None:
    messages.error(request, _("Reload the page and try again: it was sent without its version."))


# The list ------------------------------------------------------------------------------------


@require_GET
def assessment_list(request):
    """The council's assessments, each by its latest version."""
    if not permissions.reads_assessments(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    current = [s for s in AssessmentStatus if s != AssessmentStatus.REVIEWED]
    assessments = (
        permissions.visible_assessments(request.user)
        .current()
        .select_related("fund", "agreement", "action__plan")
        .order_by("council__name", "-number")
    )
    if status in AssessmentStatus.values:
        assessments = assessments.filter(status=status)
    else:
        status = ""
    return render(
        request,
        "equality_plans/assessments/assessment_list.html",
        {
            **paginate(request, assessments, LIST_PAGE_SIZE),
            "statuses": current,
            "status": status,
            "can_start": permissions.writes_assessments(request.user)
            and request.user.organisation_id is not None,
        },
    )


# Details -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def assessment_start(request):
    user = request.user
    council = user.organisation if user.is_authenticated else None
    if not permissions.writes_assessments(user) or council is None or not council.is_council:
        raise PermissionDenied
    form = DetailsForm(request.POST or None, user=user, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.start_assessment(
                council=council, by=user, details=form.details(), once=form.cleaned_data["once"]
            )
        except AlreadySent as error:
            messages.info(request, " ".join(error.messages))
            return redirect("equality_plans:assessment_list")
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("%(reference)s was started. Screen it next.")
                % {"reference": assessment.reference},
            )
            return redirect("equality_plans:assessment_screening", pk=assessment.pk)
    return render(
        request,
        "equality_plans/assessments/assessment_details.html",
        {"form": form, "assessment": None},
    )


@require_http_methods(["GET", "POST"])
@_editing
def assessment_details(request, pk):
    assessment = _editable(request, pk)
    form = DetailsForm(
        request.POST or None,
        user=request.user,
        council=assessment.council,
        assessment=assessment,
        initial=initial_details(assessment),
    )
    if request.method == "POST":
        if not form.is_valid() and is_stale(form):
            _stale_form(request)
            return redirect(request.path)
        if form.is_valid():
            try:
                services.update_details(
                    assessment=assessment,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    details=form.details(),
                )
            except ValidationError as error:
                if _refused(request, error, form):
                    return redirect(request.path)
            else:
                messages.success(request, _("The details were saved."))
                return _detail(assessment)
    return render(
        request,
        "equality_plans/assessments/assessment_details.html",
        {"form": form, "assessment": assessment},
    )


# Screening and the full assessment -----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@_editing
def assessment_screening(request, pk):
    assessment = _editable(request, pk)
    form = ScreeningForm(
        request.POST or None,
        judgements=assessment.judgements.all(),
        initial={
            "version": assessment.lock_version,
            "screening_outcome": assessment.screening_outcome,
            "screening_reason": assessment.screening_reason,
        },
    )
    if request.method == "POST":
        if not form.is_valid() and is_stale(form):
            _stale_form(request)
            return redirect(request.path)
        if form.is_valid():
            try:
                saved = services.record_screening(
                    assessment=assessment,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    answers=form.answers(),
                    outcome=form.cleaned_data["screening_outcome"],
                    reason=form.cleaned_data["screening_reason"],
                )
            except ValidationError as error:
                if _refused(request, error, form):
                    return redirect(request.path)
            else:
                messages.success(request, _("The screening was saved."))
                if saved.is_full:
                    return redirect("equality_plans:assessment_full", pk=saved.pk)
                return _detail(saved)
    return render(
        request,
        "equality_plans/assessments/assessment_screening.html",
        {"form": form, "assessment": assessment},
    )


@require_http_methods(["GET", "POST"])
@_editing
def assessment_full(request, pk):
    assessment = _editable(request, pk)
    if not assessment.is_full:
        messages.info(
            request,
            _("Screening found no full assessment needed: change the screening first."),
        )
        return _detail(assessment)
    form = FullAssessmentForm(
        request.POST or None,
        judgements=assessment.judgements.all(),
        welsh=assessment.council.welsh_offer,
        initial={
            "version": assessment.lock_version,
            "evidence": assessment.evidence,
            "consultation": assessment.consultation,
            "outcome": assessment.outcome,
            "justification": assessment.justification_en_gb,
            "justification_cy": assessment.justification_cy,
            "review_date": assessment.review_date,
        },
    )
    if request.method == "POST":
        if not form.is_valid() and is_stale(form):
            _stale_form(request)
            return redirect(request.path)
        if form.is_valid():
            try:
                services.record_full_assessment(
                    assessment=assessment,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    evidence=form.cleaned_data["evidence"],
                    consultation=form.cleaned_data["consultation"],
                    impacts=form.impacts(),
                    outcome=form.cleaned_data["outcome"],
                    justification=form.cleaned_data["justification"],
                    justification_cy=form.cleaned_data.get("justification_cy"),
                    review_date=form.cleaned_data["review_date"],
                )
            except ValidationError as error:
                if _refused(request, error, form):
                    return redirect(request.path)
            else:
                messages.success(request, _("The full assessment was saved."))
                return redirect("equality_plans:assessment_mitigations", pk=assessment.pk)
    return render(
        request,
        "equality_plans/assessments/assessment_full.html",
        {"form": form, "assessment": assessment},
    )


# Mitigations ---------------------------------------------------------------------------------


def _mitigations(assessment):
    return assessment.mitigations.select_related("action__plan")


def _named(mitigations) -> list[Mitigation]:
    listed = list(mitigations)
    for mitigation in listed:
        mitigation.group_name = groups.name_of(mitigation.group) if mitigation.group else ""
    return listed


@require_http_methods(["GET", "POST"])
@_editing
def assessment_mitigations(request, pk):
    """The mitigations, each with the action it became; while the assessment is editable, a
    form to add one."""
    assessment = _assessment(request, pk)
    can_edit = permissions.can_edit_assessment(request.user, assessment)
    if request.method == "POST" and not can_edit:
        if not assessment.is_editable:
            raise _NotEditable(assessment)
        raise PermissionDenied
    form = None
    if can_edit:
        form = MitigationForm(
            request.POST or None,
            judgements=assessment.judgements.all(),
            initial={"version": assessment.lock_version},
        )
        if request.method == "POST":
            if not form.is_valid() and is_stale(form):
                _stale_form(request)
                return redirect(request.path)
            if form.is_valid():
                try:
                    services.add_mitigation(
                        assessment=assessment,
                        by=request.user,
                        version=form.cleaned_data["version"],
                        group=form.cleaned_data["group"],
                        wording=form.cleaned_data["wording"],
                    )
                except ValidationError as error:
                    if _refused(request, error, form):
                        return redirect(request.path)
                else:
                    messages.success(request, _("The mitigation was added."))
                    return redirect(request.path)
    return render(
        request,
        "equality_plans/assessments/assessment_mitigations.html",
        {
            "assessment": assessment,
            "mitigations": _named(_mitigations(assessment)),
            "form": form,
            "can_edit": can_edit,
            "can_make_actions": _can_make_actions(request.user, assessment),
        },
    )


def _can_make_actions(user, assessment) -> bool:
    """Whether to offer to turn mitigations into actions: the service decides in the end."""
    return assessment.status != AssessmentStatus.REVIEWED and (
        permissions.can_edit_assessment(user, assessment)
        or permissions.can_publish_assessment(user, assessment)
    )


def _remove(request, assessment, row, *, remove, gone: str, done: str, page: str):
    """Take a mitigation or an evidence file off the assessment, back to its page with what
    happened: removed, removed already (a second click), or refused."""
    back = redirect(page, pk=assessment.pk)
    if row is None:
        messages.info(request, gone)
        return back
    form = VersionForm(request.POST)
    if not form.is_valid():
        _stale_form(request)
        return back
    try:
        remove(row, by=request.user, version=form.cleaned_data["version"])
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, done)
    return back


@require_POST
@_editing
def mitigation_remove(request, pk, mitigation_pk):
    assessment = _editable(request, pk)
    return _remove(
        request,
        assessment,
        assessment.mitigations.filter(pk=mitigation_pk).first(),
        remove=lambda row, **kw: services.remove_mitigation(mitigation=row, **kw),
        gone=_("That mitigation was removed already."),
        done=_("The mitigation was removed."),
        page="equality_plans:assessment_mitigations",
    )


@require_http_methods(["GET", "POST"])
def mitigation_action(request, pk, mitigation_pk):
    """A mitigation becomes an action of one of the council's plans, in one step."""
    assessment = _assessment(request, pk)
    mitigation = get_object_or_404(_mitigations(assessment), pk=mitigation_pk)
    if not _can_make_actions(request.user, assessment):
        raise PermissionDenied
    back = redirect("equality_plans:assessment_mitigations", pk=assessment.pk)
    if mitigation.action_id is not None:
        messages.info(
            request,
            _("This mitigation is already action %(number)s of %(plan)s.")
            % {"number": mitigation.action.number, "plan": mitigation.action.plan.title},
        )
        return back
    form = MitigationActionForm(
        request.POST or None,
        user=request.user,
        council=assessment.council,
        initial={"version": assessment.lock_version},
    )
    if request.method == "POST":
        if not form.is_valid() and is_stale(form):
            _stale_form(request)
            return redirect(request.path)
        if form.is_valid():
            try:
                action = services.mitigation_to_action(
                    mitigation=mitigation,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    plan=form.cleaned_data["plan"],
                    section=form.cleaned_data["section"],
                    owner=form.cleaned_data["owner"],
                    timescale=form.cleaned_data["timescale"],
                    lead_responsibility=form.cleaned_data["lead_responsibility"],
                )
            except PermissionDenied as error:
                messages.error(request, str(error))
                return back
            except ValidationError as error:
                if _refused(request, error, form):
                    return back
            else:
                messages.success(
                    request,
                    _("The mitigation is now action %(number)s of %(plan)s.")
                    % {"number": action.number, "plan": action.plan.title},
                )
                return back
    return render(
        request,
        "equality_plans/assessments/mitigation_action.html",
        {
            "assessment": assessment,
            "mitigation": _named([mitigation])[0],
            "form": form,
            "no_plans": not form.fields["plan"].queryset.exists(),
        },
    )


# Evidence files ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@_editing
def assessment_evidence(request, pk):
    assessment = _assessment(request, pk)
    can_edit = permissions.can_edit_assessment(request.user, assessment)
    if request.method == "POST" and not can_edit:
        if not assessment.is_editable:
            raise _NotEditable(assessment)
        raise PermissionDenied
    form = None
    if can_edit:
        form = EvidenceForm(
            request.POST or None,
            request.FILES or None,
            initial={"version": assessment.lock_version},
        )
        if request.method == "POST":
            if not form.is_valid() and is_stale(form):
                _stale_form(request)
                return redirect(request.path)
            if form.is_valid():
                try:
                    evidence = services.add_evidence_file(
                        assessment=assessment,
                        by=request.user,
                        version=form.cleaned_data["version"],
                        upload=form.cleaned_data["file"],
                    )
                except ValidationError as error:
                    if _refused(request, error, form):
                        return redirect(request.path)
                else:
                    messages.success(
                        request,
                        _("“%(name)s” was uploaded.") % {"name": evidence.original_name},
                    )
                    return redirect(request.path)
    return render(
        request,
        "equality_plans/assessments/assessment_evidence.html",
        {
            "assessment": assessment,
            "files": assessment.evidence_files.select_related("uploaded_by"),
            "form": form,
            "can_edit": can_edit,
        },
    )


@require_GET
def assessment_evidence_download(request, pk, evidence_pk):
    """A file of evidence, to those who may read its assessment only."""
    assessment = _assessment(request, pk)
    evidence = get_object_or_404(assessment.evidence_files.all(), pk=evidence_pk)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@require_POST
@_editing
def assessment_evidence_remove(request, pk, evidence_pk):
    assessment = _editable(request, pk)
    evidence = assessment.evidence_files.filter(pk=evidence_pk).first()
    return _remove(
        request,
        assessment,
        evidence,
        remove=lambda row, **kw: services.remove_evidence_file(evidence=row, **kw),
        gone=_("That file was removed already."),
        done=_("“%(name)s” was removed.") % {"name": evidence.original_name} if evidence else "",
        page="equality_plans:assessment_evidence",
    )


# The whole assessment and its lifecycle ------------------------------------------------------


def _problems(assessment) -> list[dict]:
    """What the assessment lacks before it can be sent for sign-off, each with the page that
    puts it right."""
    found = services.problems_before_submission(assessment, timezone.localdate())
    listed = []
    for key, message in found.items():
        name, anchor = PROBLEM_PAGES.get(key, ("equality_plans:assessment_detail", ""))
        listed.append({"message": message, "url": reverse(name, args=[assessment.pk]) + anchor})
    return listed


@require_GET
def assessment_detail(request, pk):
    user = request.user
    assessment = _assessment(request, pk)
    assessment = selectors.assessment_for_page(assessment, user)
    judgements = list(assessment.judgements.all())
    for judgement in judgements:
        judgement.name = groups.name_of(judgement.group)
    transitions = list(assessment.transitions.all())
    for transition in transitions:
        transition.label = STEP_LABELS.get(transition.step, transition.step)
    returned = next((t for t in reversed(transitions) if t.step == "return"), None)
    can_edit = permissions.can_edit_assessment(user, assessment)
    next_version = permissions.visible_assessments(user).filter(previous=assessment).first()
    submitted = assessment.status == AssessmentStatus.SUBMITTED
    return render(
        request,
        "equality_plans/assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "judgements": judgements,
            "relevant": [j for j in judgements if j.relevant],
            "mitigations": _named(assessment.mitigations.all()),
            "transitions": transitions,
            "returned": returned,
            "next_version": next_version,
            "can_edit": can_edit,
            "problems": _problems(assessment) if can_edit else [],
            "can_sign_off": submitted and permissions.can_sign_off_assessment(user, assessment),
            "author_cannot_sign_off": submitted
            and roles.is_senior_officer(user)
            and permissions.is_author(user, assessment),
            "can_publish": assessment.status == AssessmentStatus.SIGNED_OFF
            and permissions.can_publish_assessment(user, assessment),
            "can_review": next_version is None
            and permissions.can_review_assessment(user, assessment),
            "version_form": VersionForm(initial={"version": assessment.lock_version}),
            "reach": selectors.reach_of(assessment),
            "subject_name": selectors.subject_name(assessment),
        },
    )


def _step(request, pk, run, done: str):
    """A lifecycle step sent from the assessment's page: refused with a message when it is
    stale or not allowed now."""
    assessment = _assessment(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        _stale_form(request)
        return _detail(assessment), None
    try:
        taken = run(assessment=assessment, by=request.user, version=form.cleaned_data["version"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _detail(assessment), None
    messages.success(request, done % {"reference": taken.reference})
    return _detail(taken), taken


@require_POST
def assessment_submit(request, pk):
    assessment = _assessment(request, pk)
    if not permissions.can_edit_assessment(request.user, assessment) and assessment.is_editable:
        raise PermissionDenied
    response, _taken = _step(
        request,
        pk,
        services.submit_assessment,
        _("%(reference)s was sent to the council's senior officers for sign-off."),
    )
    return response


@require_POST
def assessment_publish(request, pk):
    assessment = _assessment(request, pk)
    if not permissions.can_publish_assessment(request.user, assessment):
        raise PermissionDenied
    response, _taken = _step(
        request,
        pk,
        services.publish_assessment,
        _("%(reference)s was published."),
    )
    return response


@require_POST
def assessment_review(request, pk):
    assessment = _assessment(request, pk)
    if not permissions.can_publish_assessment(request.user, assessment):
        raise PermissionDenied
    response, _taken = _step(
        request,
        pk,
        services.review_assessment,
        _("%(reference)s is the new version, to review. The signed-off one stays as it is."),
    )
    return response


@require_http_methods(["GET", "POST"])
def assessment_signoff(request, pk):
    """A senior officer who did not write it signs it off, or returns it with comments; a
    senior officer who wrote it is told why they cannot."""
    user = request.user
    assessment = _assessment(request, pk)
    # The council's senior officers only (the assessment is their council's, or a 404 already).
    if not roles.is_senior_officer(user):
        raise PermissionDenied
    if assessment.status != AssessmentStatus.SUBMITTED:
        messages.info(
            request,
            _("This assessment is %(status)s: there is nothing to sign off.")
            % {"status": assessment.get_status_display().lower()},
        )
        return _detail(assessment)
    author = permissions.is_author(user, assessment)
    if author and request.method == "POST":
        raise PermissionDenied
    form = None
    if not author:
        form = SignOffForm(request.POST or None, initial={"version": assessment.lock_version})
        if request.method == "POST":
            if not form.is_valid() and is_stale(form):
                _stale_form(request)
                return redirect(request.path)
            if form.is_valid():
                signing = form.cleaned_data["decision"] == "sign_off"
                try:
                    if signing:
                        services.sign_off_assessment(
                            assessment=assessment,
                            by=user,
                            version=form.cleaned_data["version"],
                            comment=form.cleaned_data["comments"],
                        )
                    else:
                        services.return_assessment(
                            assessment=assessment,
                            by=user,
                            version=form.cleaned_data["version"],
                            comments=form.cleaned_data["comments"],
                        )
                except ValidationError as error:
                    if _refused(request, error, form):
                        return _detail(assessment)
                else:
                    done = (
                        _("%(reference)s was signed off.")
                        if signing
                        else _("%(reference)s was returned to its owner with your comments.")
                    )
                    messages.success(request, done % {"reference": assessment.reference})
                    return _detail(assessment)
    return render(
        request,
        "equality_plans/assessments/assessment_signoff.html",
        {"assessment": assessment, "form": form, "author": author},
    )
