"""An agreement's specification as its page shows it."""

from grants.models import Agreement


def agreement_specification(agreement: Agreement) -> dict:
    """The parts of an agreement as its specification writes them."""
    return {
        "objectives": list(agreement.objectives.all()),
        "requirements": list(agreement.requirements.all()),
        "in_kind": list(agreement.in_kind_contributions.all()),
        "added_values": list(agreement.added_values.all()),
    }
