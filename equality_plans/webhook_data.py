"""What the plans' webhook events carry: identifiers, references, statuses and times, as the
read API shows them, and nothing of a person. The services emit them through
`sla_monitor.webhooks.emit`."""

from equality_plans.models import Assessment, ProgressUpdate


def progress(update: ProgressUpdate) -> dict:
    action = update.action
    return {
        "progress_update_id": update.pk,
        "plan_id": action.plan_id,
        "action_id": action.pk,
        "action_number": action.number,
        "financial_year": update.financial_year,
        "quarter": update.quarter,
        "is_year_end": update.is_year_end,
        "rag_status": update.rag_status,
        "created_at": update.created_at,
    }


def assessment(locked: Assessment) -> dict:
    return {
        "assessment_id": locked.pk,
        "reference": locked.reference,
        "number": locked.number,
        "version": locked.version,
        "title": locked.title,
        "subject": locked.subject,
        "status": locked.status,
        "signed_off_at": locked.signed_off_at,
        "published_at": locked.published_at,
    }
