"""An agreement's specification as its page shows it, and as the page that changes it does."""

from grants.models import Agreement, IndicatorAnswer, PaymentInstalment


def agreement_specification(agreement: Agreement) -> dict:
    """The parts of an agreement as its specification writes them."""
    return {
        "objectives": list(agreement.objectives.all()),
        "requirements": list(agreement.requirements.all()),
        "in_kind": list(agreement.in_kind_contributions.all()),
        "added_values": list(agreement.added_values.all()),
    }


def answered_indicators(agreement: Agreement) -> set[int]:
    """The ids of the agreement's indicators that a return, of whatever status, has answered."""
    return set(
        IndicatorAnswer.objects.filter(indicator__agreement=agreement).values_list(
            "indicator_id", flat=True
        )
    )


def agreement_for_editing(agreement: Agreement) -> dict:
    """The agreement's indicators and instalments, each marked `editable` or not, as the page
    that changes it shows them: an indicator until a return answers it, an instalment until it
    is released or withheld."""
    answered = answered_indicators(agreement)
    indicators = list(agreement.indicators.all())
    instalments = list(
        PaymentInstalment.objects.filter(agreement=agreement)
        .select_related("depends_on_period")
        .labelled()
        .order_by("sequence")
    )
    for indicator in indicators:
        indicator.editable = indicator.pk not in answered
    for instalment in instalments:
        instalment.editable = instalment.is_undecided
    return {"indicators": indicators, "instalments": instalments}
