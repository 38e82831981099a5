"""A council's funds, with what they have awarded and released."""

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from grants import permissions
from grants.models import Agreement, PaymentInstalment


def funds_with_totals(user) -> QuerySet:
    """The user's funds with `awarded` and `released` totals: one query, however many funds."""
    money = DecimalField(max_digits=14, decimal_places=2)
    awarded = (
        Agreement.objects.filter(fund=OuterRef("pk"))
        .order_by()
        .values("fund")
        .annotate(total=Sum("total_allocation"))
        .values("total")
    )
    released = (
        PaymentInstalment.objects.filter(
            agreement__fund=OuterRef("pk"), status=PaymentInstalment.Status.RELEASED
        )
        .order_by()
        .values("agreement__fund")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return permissions.visible_funds(user).annotate(
        awarded=Coalesce(Subquery(awarded, output_field=money), Value(0), output_field=money),
        released=Coalesce(Subquery(released, output_field=money), Value(0), output_field=money),
    )


def fund_awards(fund) -> QuerySet:
    return fund.agreements.select_related("provider").order_by("reference")
