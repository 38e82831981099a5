"""An agreement's budget: setting a financial year's lines."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grants import permissions
from grants.models import Agreement, BudgetHeading, BudgetHeadingKind, BudgetLine
from grants.services.agreements import agreement_version
from sla_monitor import audit, periods


def year_allocation(agreement: Agreement, financial_year: int) -> Decimal:
    """The agreement's allocation for a financial year: its instalments due in that year."""
    return sum(
        (
            i.amount
            for i in agreement.instalments.all()
            if periods.financial_year_of(i.due_date) == financial_year
        ),
        Decimal("0.00"),
    )


@transaction.atomic
def set_budget_lines(
    *, agreement: Agreement, by, version: str, financial_year: int, lines: list[dict]
) -> list[BudgetLine]:
    """Set the lines of one financial year of the agreement's budget: `lines` in order, each
    {"pk" (an existing line's, or None), "heading", "own_heading", "label", "amount"}. A line
    left out is removed, unless a return has given spend against it. The year's lines may add
    up to more or less than its allocation: the page shows the difference. Recorded in the
    change history as `by`'s."""
    locked = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    if not permissions.can_edit_agreement(by, locked):
        raise PermissionDenied(_("Only a lead officer of the funding council sets its budget."))
    if agreement_version(locked) != version:
        raise ValidationError(
            _(
                "This agreement was changed by someone else since you opened the page. Nothing "
                "was saved: the page now shows it as it is; make your changes again."
            )
        )
    if financial_year not in periods.financial_years(locked.start_date, locked.end_date):
        raise ValidationError(_("That financial year is outside the agreement."))
    held = {
        line.pk: line
        for line in BudgetLine.objects.select_for_update().filter(
            agreement=locked, financial_year=financial_year
        )
    }
    headings = {h.pk: h for h in BudgetHeading.objects.filter(council_id=locked.funder_id)}
    kept = {item["pk"] for item in lines if item.get("pk")}
    errors = []
    if kept - held.keys():
        errors.append(_("A budget line on the page is no longer part of the agreement."))
    removed = [line for pk, line in held.items() if pk not in kept]
    for line in removed:
        if line.spend_answers.exists():
            errors.append(
                _(
                    "A return has given spend against %(line)s, so it stays: change its amount, "
                    "or keep its row."
                )
                % {"line": line.name}
            )
    if errors:
        raise ValidationError([*errors, _("Nothing was saved.")])
    saved = []
    with audit.acting_as(by):
        for line in removed:
            line.delete()
        for order, item in enumerate(lines, start=1):
            own = item.get("own_heading")
            own_id = own.pk if isinstance(own, BudgetHeading) else own
            if item["heading"] == BudgetHeadingKind.OWN and own_id not in headings:
                raise ValidationError(_("Choose one of the council's own headings."))
            line = held.get(item.get("pk")) or BudgetLine(
                agreement=locked, financial_year=financial_year
            )
            line.heading = item["heading"]
            line.own_heading = (
                headings.get(own_id) if line.heading == BudgetHeadingKind.OWN else None
            )
            line.label = (item.get("label") or "").strip()
            line.amount = item["amount"]
            line.order = order
            line.full_clean(exclude=["agreement"])
            line.save()
            saved.append(line)
        locked.save(update_fields=["modified_at"])
    return saved
