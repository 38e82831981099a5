"""Every write to the equality plans goes through a function here."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from equality_plans import importing, permissions
from equality_plans.models import (
    Action,
    ActionPlan,
    EqualityStrand,
    ProgressUpdate,
    RagStatus,
    Section,
)


@transaction.atomic
def record_progress(
    *,
    action: Action,
    by,
    financial_year: int,
    quarter: int | None,
    rag_status: str,
    narrative: str,
) -> ProgressUpdate:
    """A quarterly update on an action, or with `quarter=None` its year-end report.

    One update per quarter and one year-end report per year: a second one for the same period is
    refused, so a double submission cannot record it twice.
    """
    locked = Action.objects.select_for_update(of=("self",)).select_related("plan").get(pk=action.pk)
    if not permissions.can_update_action(by, locked):
        raise PermissionDenied("Only the action's owner or the plan's managers record progress.")
    if rag_status not in RagStatus.values:
        raise ValidationError({"rag_status": "Choose a RAG status."})
    if not narrative.strip():
        raise ValidationError({"narrative": "Describe the progress made."})
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": "Choose a quarter from 1 to 4."})
    is_year_end = quarter is None
    update = ProgressUpdate(
        action=locked,
        financial_year=financial_year,
        quarter=quarter,
        is_year_end=is_year_end,
        rag_status=rag_status,
        narrative=narrative.strip(),
        author=by,
    )
    try:
        with transaction.atomic():
            update.save()
    except IntegrityError:
        raise ValidationError(
            f"{update.period_label} already has "
            f"{'a year-end report' if is_year_end else 'an update'} for action {locked.number}. "
            "Nothing was added.",
        ) from None
    return update


@transaction.atomic
def import_actions(*, plan, rows: list[dict[str, str]], by) -> importing.Preview:
    """Create and update the plan's actions from spreadsheet rows, all or nothing.

    The rows are checked again inside the transaction; if any has a problem nothing is
    imported. Rows that match the plan already change nothing, so importing the same file
    twice changes nothing the second time.
    """
    if not permissions.can_import_plan(by, plan):
        raise PermissionDenied("Only the plan's managers and administrators import actions.")
    ActionPlan.objects.select_for_update().get(pk=plan.pk)
    result = importing.preview(plan, rows)
    if result.problems:
        raise ValidationError(
            f"The file has {len(result.problems)} problem(s); nothing was imported.",
        )
    strands = {s.code: s for s in EqualityStrand.objects.all()}
    sections = {s.title: s for s in plan.sections.all()}
    actions = {a.number: a for a in plan.actions.all()}
    next_order = max([a.order for a in actions.values()] + [0]) + 1
    year = importing.plan_year(plan)
    for planned in result.rows:
        if planned.change == "unchanged":
            continue
        values = planned.values
        section = sections.get(values["section"])
        if section is None:
            section = sections[values["section"]] = Section.objects.create(
                plan=plan, title=values["section"], order=len(sections) + 1
            )
        fields = {
            "section": section,
            "wording": values["wording"],
            "linked_strategies": values["linked_strategies"],
            "lead_responsibility": values["lead_responsibility"],
            "timescale": values["timescale"],
            "due_date": values["due_date"],
            "monitored_by": values["monitored_by"],
        }
        action = actions.get(planned.number)
        if action is None:
            action = Action.objects.create(
                plan=plan, number=planned.number, order=next_order, **fields
            )
            next_order += 1
        else:
            for name, value in fields.items():
                setattr(action, name, value)
            action.save(update_fields=list(fields))
        action.strands.set(strands[code] for code in values["strands"])
        if values["year_end_report"]:
            ProgressUpdate.objects.update_or_create(
                action=action,
                financial_year=year,
                is_year_end=True,
                defaults={
                    "quarter": None,
                    "rag_status": values["year_end_rag"],
                    "narrative": values["year_end_report"],
                    "author": by,
                },
            )
    return result
