"""What the equality plans contribute to the audit log (see sla_monitor.audit)."""

from collections.abc import Iterable

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equality_plans import permissions
from equality_plans.models import (
    Action,
    ActionPlan,
    Assessment,
    AssessmentTransition,
    EqualityStrand,
    GroupJudgement,
    Indicator,
    IndicatorValue,
    Mitigation,
    Objective,
    PopulationProfile,
    PopulationShare,
    ProgressUpdate,
    Section,
)
from sla_monitor import audit


def progress_events(user, filters: audit.Filters, limit: int) -> Iterable[audit.Event]:
    updates = ProgressUpdate.objects.filter(
        action__plan__in=permissions.visible_plans(user).values("pk")
    ).select_related("author", "action__plan")
    for u in audit.latest(updates, actor="author", at="created_at", filters=filters, limit=limit):
        yield audit.Event(
            u.created_at,
            "progress",
            u.author,
            gettext("%(plan)s, action %(number)s: %(period)s %(rag)s")
            % {
                "plan": u.action.plan.title,
                "number": u.action.number,
                "period": u.period_label,
                "rag": u.get_rag_status_display(),
            },
            why=u.narrative,
        )


def assessment_events(user, filters: audit.Filters, limit: int) -> Iterable[audit.Event]:
    steps = AssessmentTransition.objects.filter(
        assessment__in=permissions.visible_assessments(user).values("pk")
    ).select_related("by", "assessment")
    for t in audit.latest(steps, actor="by", at="at", filters=filters, limit=limit):
        yield audit.Event(
            t.at,
            "assessment",
            t.by,
            f"{t.assessment.reference}, {t.assessment.title}: {t.get_to_status_display()} "
            f"({t.step.replace('_', ' ')})",
            why=t.comment,
        )


def _of_visible_assessments(model):
    return lambda user: model.objects.filter(
        assessment__in=permissions.visible_assessments(user).values("pk")
    )


def _in_visible_plans(model, path: str):
    return lambda user: model.objects.filter(
        **{f"{path}__in": permissions.visible_plans(user).values("pk")}
    )


def register() -> None:
    audit.register(audit.Source("progress", _("Action progress"), progress_events))
    audit.register(audit.Source("assessment", _("Equality impact assessment"), assessment_events))
    # Its steps are the source above; what it says, field by field, is kept here.
    audit.track(
        Assessment,
        visible=permissions.visible_assessments,
        exclude_fields=["lock_version", "updated_at"],
        m2m_fields=["called_for_by"],
    )
    for model in (GroupJudgement, Mitigation):
        audit.track(
            model,
            visible=_of_visible_assessments(model),
            owner=("assessment", permissions.visible_assessments),
        )
    audit.track(ActionPlan, visible=permissions.visible_plans, m2m_fields=["partner_councils"])
    audit.track(Section, visible=_in_visible_plans(Section, "plan"))
    audit.track(Objective, visible=_in_visible_plans(Objective, "section__plan"))
    # Its latest RAG is worked out from its progress (`equality_plans.stored`), whose own
    # history is kept below.
    audit.track(
        Action,
        visible=_in_visible_plans(Action, "plan"),
        exclude_fields=["latest_rag"],
        m2m_fields=["strands", "partner_authorities", "performance_indicators"],
    )
    # Their creation is the progress event above; later corrections by their author, and edits
    # in the admin, are kept here, with when they were made.
    audit.track(
        ProgressUpdate,
        visible=_in_visible_plans(ProgressUpdate, "action__plan"),
        exclude_fields=["corrected_at"],
        creation_recorded_by="progress",
    )
    audit.track(
        Indicator,
        visible=_in_visible_plans(Indicator, "sections__plan"),
        m2m_fields=["sections", "performance_indicators"],
    )
    audit.track(
        IndicatorValue, visible=_in_visible_plans(IndicatorValue, "indicator__sections__plan")
    )
    audit.track(EqualityStrand, visible=audit.shared_rows(EqualityStrand))
    audit.track(PopulationProfile, visible=permissions.visible_population_profiles)
    audit.track(
        PopulationShare,
        visible=permissions.visible_population_shares,
        owner=("profile", permissions.visible_population_profiles),
    )
