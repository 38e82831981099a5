"""A funded organisation's own answers about its diversity."""

from grants import permissions


def diversity_answers(user, organisation) -> list:
    """An organisation's own answers about its diversity, newest year first, as far as the user
    may read them."""
    return list(
        permissions.visible_diversity(user)
        .filter(organisation=organisation)
        .select_related("updated_by")
        .order_by("-financial_year")
    )
