"""Choosing which agreements a council publishes as open data."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from grants import permissions
from grants.models import Agreement
from grants.publishing import missing_for_publication


@transaction.atomic
def set_published(*, agreement: Agreement, by, published: bool) -> Agreement:
    """Publish the agreement as open data, or take it down; a grant is published only once it
    has what publication needs."""
    locked = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("funder")
        .get(pk=agreement.pk)
    )
    if not permissions.can_publish(by, locked):
        raise PermissionDenied(
            gettext("Only a lead officer of the funding council publishes its grants.")
        )
    if published and (missing := missing_for_publication(locked)):
        raise ValidationError(
            gettext("%(reference)s cannot be published until it has %(missing)s.")
            % {"reference": locked.reference, "missing": gettext(" and ").join(missing)}
        )
    locked.published = published
    locked.save(update_fields=["published", "modified_at"])
    return locked
