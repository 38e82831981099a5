"""An agreement's variations and the versions of its terms, as their pages show them."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from grants import figures
from grants.models import (
    Agreement,
    AgreementTerms,
    BudgetLine,
    PaymentInstalment,
    PerformanceIndicator,
    Variation,
    VariationBudgetLine,
    VariationInstalment,
    VariationTransition,
)
from sla_monitor import periods
from sla_monitor.periods import financial_year_label


def _money(amount) -> str:
    return f"£{Decimal(amount):,.2f}"


def _person(person) -> str:
    if person is None:
        return ""
    return person.get_full_name() or person.username


def _plain(value) -> str:
    return f"{Decimal(value).normalize():f}"


def indicator_terms(indicator: PerformanceIndicator) -> str:
    """An indicator's targets in words, each year's own and each from a later quarter, and when
    it was added or retired: "4 groups per quarter; 2026/27: 5, from Q3 2025/26; retired from
    Q1 2027/28"."""
    parts = [figures.target_wording(indicator) or str(_("No numeric target"))]
    for row in indicator.targets.all():
        said = _("%(year)s: %(target)s") % {
            "year": financial_year_label(row.financial_year),
            "target": _plain(row.target),
        }
        if row.profile is not None:
            said += _(", profiled %(profile)s") % {
                "profile": ", ".join(_plain(q) for q in row.profile)
            }
        if row.takes_effect_from_id:
            said += _(", from %(period)s") % {"period": row.takes_effect_from}
        parts.append(said)
    if indicator.starts_from_id:
        parts.append(str(_("added from %(period)s") % {"period": indicator.starts_from}))
    if indicator.retired_from_id:
        parts.append(str(_("retired from %(period)s") % {"period": indicator.retired_from}))
    return "; ".join(str(part) for part in parts)


def _budget_said(lines) -> str:
    """A year's budget lines in words, with their total: "Staff, £4,000.00; Activities: Events,
    £2,000.00; total £6,000.00"."""
    lines = list(lines)
    if not lines:
        return str(_("No budget lines"))
    parts = [
        str(_("%(line)s, %(amount)s") % {"line": line.name, "amount": _money(line.amount)})
        for line in lines
    ]
    total = sum((line.amount for line in lines), Decimal("0.00"))
    parts.append(str(_("total %(amount)s") % {"amount": _money(total)}))
    return "; ".join(parts)


def _budget_years(lines) -> dict[int, list]:
    years: dict[int, list] = {}
    for line in lines:
        years.setdefault(line.financial_year, []).append(line)
    return years


def terms_of(agreement: Agreement) -> dict:
    """The agreement's terms now, as a version keeps them: the values a comparison and a letter
    show, in words, so that a version reads as it was whatever changes later."""
    indicators = (
        PerformanceIndicator.objects.filter(agreement=agreement)
        .select_related("starts_from", "retired_from")
        .with_targets()
        .order_by("code", "pk")
    )
    instalments = PaymentInstalment.objects.filter(agreement=agreement).labelled()
    return {
        "start_date": date_format(agreement.start_date),
        "end_date": date_format(agreement.end_date),
        "total_allocation": _money(agreement.total_allocation),
        "lead_officer": _person(agreement.lead_officer),
        "reporting_frequency": str(agreement.get_reporting_frequency_display()),
        "indicators": [
            {
                "code": indicator.code,
                "wording": indicator.wording,
                "target": indicator_terms(indicator),
            }
            for indicator in indicators
        ],
        "instalments": [
            {
                "label": instalment.label,
                "due_date": date_format(instalment.due_date),
                "amount": _money(instalment.amount),
                "status": str(instalment.get_status_display()),
            }
            for instalment in instalments
        ],
        "budget": budget_terms(agreement),
    }


def budget_terms(agreement: Agreement) -> list[dict]:
    """Each year of the agreement's budget with lines, its lines and total in words: one
    query."""
    budget = _budget_years(
        BudgetLine.objects.filter(agreement=agreement)
        .select_related("own_heading")
        .order_by("financial_year", "order", "pk")
    )
    return [
        {"year": financial_year_label(year), "said": _budget_said(lines)}
        for year, lines in budget.items()
    ]


# The rows of a comparison, in the order it shows them.
TERM_ROWS = [
    ("start_date", _("Start date")),
    ("end_date", _("End date")),
    ("total_allocation", _("Total allocation")),
    ("lead_officer", _("Lead officer")),
    ("reporting_frequency", _("How often the provider reports")),
]


@dataclass(frozen=True)
class TermRow:
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def compare_terms(before: dict, after: dict) -> list[TermRow]:
    """Two versions side by side: each term, each indicator's target and each instalment."""
    rows = [
        TermRow(str(label), before.get(key, ""), after.get(key, "")) for key, label in TERM_ROWS
    ]

    def keyed(terms, collection, key):
        return {item[key]: item for item in terms.get(collection, [])}

    old, new = keyed(before, "indicators", "code"), keyed(after, "indicators", "code")
    for code in sorted(old.keys() | new.keys()):
        either = new.get(code) or old[code]
        label = f"{code}: {either['wording']}"
        rows.append(
            TermRow(
                label, old.get(code, {}).get("target", "—"), new.get(code, {}).get("target", "—")
            )
        )
    old, new = keyed(before, "instalments", "label"), keyed(after, "instalments", "label")
    for label in sorted(old.keys() | new.keys(), key=lambda text: text):

        def said(item):
            if not item:
                return "—"
            return _("%(amount)s due %(due)s (%(status)s)") % {
                "amount": item["amount"],
                "due": item["due_date"],
                "status": item["status"].lower(),
            }

        rows.append(TermRow(label, said(old.get(label)), said(new.get(label))))
    # Versions kept before budgets were part of the terms say nothing of them either way.
    if "budget" in before and "budget" in after:
        old, new = keyed(before, "budget", "year"), keyed(after, "budget", "year")
        for year in sorted(old.keys() | new.keys()):
            rows.append(
                TermRow(
                    str(_("Budget for %(year)s") % {"year": year}),
                    old[year]["said"] if year in old else str(_("No budget lines")),
                    new[year]["said"] if year in new else str(_("No budget lines")),
                )
            )
    return rows


def agreement_variations(agreement: Agreement, visible: QuerySet) -> list[Variation]:
    """The agreement's variations the user may see (`visible`: `visible_variations(user)`),
    newest first."""
    return list(visible.filter(agreement=agreement).order_by("-number"))


def agreement_versions(agreement: Agreement) -> list[AgreementTerms]:
    return list(
        AgreementTerms.objects.filter(agreement=agreement)
        .select_related("takes_effect_from", "variation")
        .order_by("number")
    )


def variation_detail(variation: Variation) -> Variation:
    """The variation with its proposed instalments and its history, each fetched once."""
    return (
        Variation.objects.select_related(
            "agreement__funder",
            "agreement__provider",
            "agreement__lead_officer",
            "takes_effect_from",
            "new_lead_officer",
            "requested_by",
            "drafted_by",
            "approved_by",
            "accepted_by",
        )
        .prefetch_related(
            Prefetch(
                "instalments",
                queryset=VariationInstalment.objects.select_related("depends_on_period"),
            ),
            Prefetch("transitions", queryset=VariationTransition.objects.select_related("by")),
            Prefetch(
                "budget_lines",
                queryset=VariationBudgetLine.objects.select_related("own_heading").order_by("pk"),
            ),
        )
        .get(pk=variation.pk)
    )


def _schedule(rows) -> str:
    return "; ".join(
        _("%(amount)s due %(due)s")
        % {"amount": _money(row.amount), "due": date_format(row.due_date)}
        for row in rows
    ) or str(_("None"))


def variation_changes(variation: Variation) -> list[TermRow]:
    """What the variation changes, each term before and after it: for one applied, as the two
    versions of the terms recorded them; otherwise the agreement's terms now and as the
    variation would make them."""
    applied = getattr(variation, "terms", None) if variation.status == "applied" else None
    if applied is not None:
        before = (
            AgreementTerms.objects.filter(
                agreement_id=variation.agreement_id, number=applied.number - 1
            )
            .values_list("terms", flat=True)
            .first()
        )
        return [row for row in compare_terms(before or {}, applied.terms) if row.changed]
    agreement = variation.agreement
    rows = []
    if variation.new_end_date:
        rows.append(
            TermRow(
                str(_("End date")),
                date_format(agreement.end_date),
                date_format(variation.new_end_date),
            )
        )
    if variation.new_total_allocation is not None:
        rows.append(
            TermRow(
                str(_("Total allocation")),
                _money(agreement.total_allocation),
                _money(variation.new_total_allocation),
            )
        )
    if variation.new_lead_officer_id:
        rows.append(
            TermRow(
                str(_("Lead officer")),
                _person(agreement.lead_officer),
                _person(variation.new_lead_officer),
            )
        )
    if variation.new_reporting_frequency:
        rows.append(
            TermRow(
                str(_("How often the provider reports")),
                str(agreement.get_reporting_frequency_display()),
                str(variation.get_new_reporting_frequency_display()),
            )
        )
    if variation.changes_instalments:
        waiting = PaymentInstalment.objects.filter(
            agreement=agreement, status=PaymentInstalment.Status.SCHEDULED
        ).order_by("sequence")
        rows.append(
            TermRow(
                str(_("Instalments not yet released")),
                _schedule(waiting),
                _schedule(variation.instalments.all()),
            )
        )
    for target in variation.targets.select_related("indicator"):
        said = _plain(target.target)
        if target.profile is not None:
            said += str(
                _(", profiled %(profile)s")
                % {"profile": ", ".join(_plain(q) for q in target.profile)}
            )
        label = _("Indicator %(code)s, target for %(year)s") % {
            "code": target.indicator.code,
            "year": financial_year_label(target.financial_year),
        }
        rows.append(TermRow(str(label), target.indicator.target_wording, said))
    for indicator in variation.retire_indicators.all():
        label = _("Indicator %(code)s") % {"code": indicator.code}
        rows.append(TermRow(str(label), indicator.wording, str(_("Retired"))))
    for added in variation.new_indicators.all():
        label = _("Indicator %(code)s") % {"code": added.code}
        rows.append(TermRow(str(label), str(_("Not asked")), added.wording))
    rows += _budget_changes(variation)
    return rows


def _budget_changes(variation: Variation) -> list[TermRow]:
    """Each year whose lines the variation sets: the year's lines now and the variation's, each
    with its total."""
    given = _budget_years(variation.budget_lines.all())
    if not given:
        return []
    held = _budget_years(
        BudgetLine.objects.filter(agreement_id=variation.agreement_id, financial_year__in=given)
        .select_related("own_heading")
        .order_by("order", "pk")
    )
    return [
        TermRow(
            str(_("Budget for %(year)s") % {"year": financial_year_label(year)}),
            _budget_said(held.get(year, [])),
            _budget_said(lines),
        )
        for year, lines in sorted(given.items())
    ]


def budget_warnings(variation: Variation) -> list[str]:
    """For an open variation that changes how much of the allocation falls in a year: each such
    year whose budget lines (the variation's, where it sets them) would no longer add up to the
    year's allocation. A warning, not a refusal: a year's lines may differ from its allocation,
    as the budget page shows."""
    if not (variation.is_open and variation.changes_instalments):
        return []
    before: dict[int, Decimal] = {}
    after: dict[int, Decimal] = {}

    def add(totals, instalment):
        year = periods.financial_year_of(instalment.due_date)
        totals[year] = totals.get(year, Decimal("0.00")) + instalment.amount

    for instalment in PaymentInstalment.objects.filter(agreement_id=variation.agreement_id):
        add(before, instalment)
        if instalment.status != PaymentInstalment.Status.SCHEDULED:
            add(after, instalment)
    for planned in variation.instalments.all():
        add(after, planned)
    changed = sorted(
        year
        for year in before.keys() | after.keys()
        if before.get(year, Decimal(0)) != after.get(year, Decimal(0))
    )
    if not changed:
        return []
    given = _budget_years(variation.budget_lines.all())
    held = _budget_years(
        BudgetLine.objects.filter(agreement_id=variation.agreement_id, financial_year__in=changed)
    )
    warnings = []
    for year in changed:
        lines = given.get(year) or held.get(year)
        if not lines:
            continue
        total = sum((line.amount for line in lines), Decimal("0.00"))
        allocation = after.get(year, Decimal("0.00"))
        if total != allocation:
            warnings.append(
                str(
                    _(
                        "The %(year)s budget lines add up to %(total)s, but the variation makes "
                        "the year's allocation %(allocation)s: set the year's lines in the "
                        "variation, or on the budget page once it applies"
                    )
                    % {
                        "year": financial_year_label(year),
                        "total": _money(total),
                        "allocation": _money(allocation),
                    }
                )
            )
    return warnings
