"""What the grants' webhook events carry: identifiers, references, statuses and times, as the
read API shows them, and nothing of a person. The services emit them through
`sla_monitor.webhooks.emit`."""

from grants.models import PaymentInstalment, PaymentRun, QuarterlyReturn, Variation


def quarterly_return(locked: QuarterlyReturn) -> dict:
    agreement, period = locked.agreement, locked.period
    return {
        "return_id": locked.pk,
        "agreement_id": agreement.pk,
        "agreement_reference": agreement.reference,
        "provider_id": agreement.provider_id,
        "period": {
            "id": period.pk,
            "financial_year": period.financial_year,
            "quarter": period.quarter,
        },
        "status": locked.status,
        "submitted_at": locked.submitted_at,
        "decided_at": locked.decided_at,
    }


def instalment(locked: PaymentInstalment) -> dict:
    return {
        "instalment_id": locked.pk,
        "agreement_id": locked.agreement_id,
        "agreement_reference": locked.agreement.reference,
        "sequence": locked.sequence,
        "amount": str(locked.amount),
        "due_date": locked.due_date,
        "status": locked.status,
        "decided_at": locked.decided_at,
    }


def variation(locked: Variation) -> dict:
    return {
        "variation_id": locked.pk,
        "agreement_id": locked.agreement_id,
        "agreement_reference": locked.agreement.reference,
        "number": locked.number,
        "status": locked.status,
        "takes_effect_from_period_id": locked.takes_effect_from_id,
        "approved_at": locked.approved_at,
        "applied_at": locked.applied_at,
    }


def payment_run(locked: PaymentRun) -> dict:
    return {
        "payment_run_id": locked.pk,
        "number": locked.number,
        "status": locked.status,
        "instalment_ids": sorted(
            locked.lines.filter(live=True).values_list("instalment_id", flat=True)
        ),
        "created_at": locked.created_at,
        "paid_on": locked.paid_on,
    }
