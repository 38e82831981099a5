"""Cells read into the values an agreement's, an indicator's or a requirement's field holds, with a
message when they cannot be, and the rules of the models tried without a query a row."""

from decimal import Decimal, InvalidOperation

from django.db.models import Sum
from django.utils.translation import gettext

from grants.models import Agreement, Fund
from sla_monitor import validation, written
from sla_monitor.models import Organisation, User


class _FirstMatch:
    """Records by each of their keys, so that a cell names the first record, in their order,
    that any key matches, as `filter(Q(name__iexact=text) | ...).first()` would, without a
    query a row. `keys` says of each field whether it is matched regardless of case."""

    def __init__(self, records, keys: dict[str, bool]):
        self.keys = keys
        self.found: dict[str, dict] = {field: {} for field in keys}
        for position, record in enumerate(records):
            for field, any_case in keys.items():
                if value := getattr(record, field):
                    key = value.casefold() if any_case else value
                    self.found[field].setdefault(key, (position, record))

    def get(self, text: str):
        matches = [
            match
            for field, any_case in self.keys.items()
            if (match := self.found[field].get(text.casefold() if any_case else text))
        ]
        return min(matches, key=lambda match: match[0])[1] if matches else None


class Reader:
    """Cells read into the values a field holds, with a message when they cannot be. The
    providers, funds and lead officers a cell may name are read once, for every row."""

    def __init__(self, council: Organisation):
        self.council = council
        self.providers = _FirstMatch(
            Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).order_by("name", "pk"),
            {"name": True, "org_id": True, "charity_number": False},
        )
        # A fund by its name in either language, as the file was written.
        self.funds = {}
        for fund in Fund.objects.filter(council=council):
            for name in (fund.name_en_gb, fund.name_cy):
                if name:
                    self.funds.setdefault(name.casefold(), fund)
        self.officers = _FirstMatch(
            User.objects.lead_officers()
            .filter(organisation=council)
            .select_related("organisation"),
            {"username": True, "email": True},
        )

    def provider(self, text: str):
        if not text:
            return None, gettext("Name the provider.")
        match = self.providers.get(text)
        return match, "" if match else gettext("No provider organisation is called “%(text)s”.") % {
            "text": text
        }

    def fund(self, text: str):
        if not text:
            return None, ""
        fund = self.funds.get(text.casefold())
        return fund, "" if fund else gettext("%(council)s has no fund called “%(text)s”.") % {
            "council": self.council.name,
            "text": text,
        }

    def lead_officer(self, text: str):
        if not text:
            return None, ""
        officer = self.officers.get(text)
        if officer is None:
            return None, gettext("“%(text)s” is not a lead officer of %(council)s.") % {
                "text": text,
                "council": self.council.name,
            }
        return officer, ""


class Allocations:
    """What each of the council's funds has awarded, kept up to date as rows are checked one
    after another: an agreement's award is checked against its fund as the rows before it leave
    the fund, as saving them one by one would, without a query a row."""

    def __init__(self, council: Organisation):
        self.totals = dict(
            Agreement.objects.filter(fund__council=council)
            .order_by()
            .values("fund")
            .annotate(total=Sum("total_allocation"))
            .values_list("fund", "total")
        )

    def elsewhere(self, agreement: Agreement, stored: Agreement | None) -> Decimal:
        """What the fund's other agreements hold."""
        total = self.totals.get(agreement.fund_id) or Decimal(0)
        if stored is not None and stored.fund_id == agreement.fund_id:
            total -= stored.total_allocation
        return total

    def award(self, agreement: Agreement, stored: Agreement | None) -> None:
        """Count the agreement in its fund as the row leaves it, no longer as it was stored."""
        if stored is not None and stored.fund_id is not None:
            self.totals[stored.fund_id] -= stored.total_allocation
        if agreement.fund_id is not None:
            total = self.totals.get(agreement.fund_id) or Decimal(0)
            self.totals[agreement.fund_id] = total + agreement.total_allocation


def agreement_errors(
    agreement: Agreement, *, stored: Agreement | None, allocations: Allocations
) -> dict[str, list[str]]:
    """The model's rules for an agreement as a row leaves it (`stored`: as it was read, None for
    a new one), without a query; an agreement that keeps them counts in its fund from then on."""
    found = validation.errors(
        agreement,
        clean=lambda: agreement.clean(allocated_elsewhere=allocations.elsewhere(agreement, stored)),
    )
    if not found:
        allocations.award(agreement, stored)
    return found


def read_decimal(text: str, field, *, required=False):
    if not text:
        return None, gettext("Give an amount.") if required else ""
    try:
        value = Decimal(text.replace(",", "").replace("£", "").replace("%", "").strip())
    except InvalidOperation:
        return None, gettext("“%(text)s” is not a number.") % {"text": text}
    if not value.is_finite():
        return None, gettext("“%(text)s” is not a number.") % {"text": text}
    digits, places = field.max_digits, field.decimal_places
    if value < 0 or value >= Decimal(10) ** (digits - places):
        return None, gettext("%(text)s is outside the range this field holds.") % {"text": text}
    if value != value.quantize(Decimal(10) ** -places):
        return None, gettext("Give %(text)s to at most %(places)s decimal places.") % {
            "text": text,
            "places": places,
        }
    return value, ""


def current_value(instance, field: str):
    """A field's value, a related record's for a relation: None rather than an error when a new
    record has none yet. A text kept in both languages is read from the column the file's
    column fills (`sla_monitor.written.column`), whatever language the reader reads in."""
    model_field = instance._meta.get_field(field)
    if model_field.is_relation:
        pk = getattr(instance, model_field.attname)
        return None if pk is None else getattr(instance, field)
    return getattr(instance, written.column(instance, field))


def unsaved_copy(instance):
    """An unsaved copy to try the file's values on, leaving the one read untouched; the related
    records read with it come with it."""
    copy = type(instance)()
    copy.__dict__.update({k: v for k, v in instance.__dict__.items() if k != "_state"})
    copy._state.adding, copy._state.db = False, instance._state.db
    copy._state.fields_cache = dict(instance._state.fields_cache)
    return copy
