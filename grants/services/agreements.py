"""Setting an agreement up (its reporting quarters and its payment schedule), and changing what
of it nothing yet depends on."""

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from grants import permissions, stored
from grants.models import (
    AddedValue,
    Agreement,
    AgreementObjective,
    IndicatorTarget,
    InKindContribution,
    MinimumRequirement,
    PaymentInstalment,
    PerformanceIndicator,
    ReportingFrequency,
    ReportingPeriod,
    RequirementAnswer,
    instalment_label,
    schedule_shortfall,
)
from grants.money import split_evenly
from grants.selectors import answered_indicators
from sla_monitor import audit, periods, versions, written


def ensure_reporting_periods(*, first_year: int, last_year: int) -> list[ReportingPeriod]:
    """Create the quarters of financial years first_year … last_year that do not exist yet."""
    return list(reporting_periods(years=range(first_year, last_year + 1)).values())


def reporting_periods(*, years: Iterable[int]) -> dict[tuple[int, int], ReportingPeriod]:
    """The quarters of the financial years by (year, quarter), those that do not exist yet
    made, in a fixed number of queries however many years."""
    years = sorted(set(years))
    found = {
        (p.financial_year, p.quarter): p
        for p in ReportingPeriod.objects.filter(financial_year__in=years)
    }
    missing = []
    for year in years:
        for quarter in range(1, 5):
            if (year, quarter) not in found:
                start, end = periods.quarter_dates(year, quarter)
                due = periods.return_due_date(year, quarter)
                missing.append(
                    ReportingPeriod(
                        financial_year=year,
                        quarter=quarter,
                        start_date=start,
                        end_date=end,
                        due_date=due,
                    )
                )
    if missing:
        found.update({(p.financial_year, p.quarter): p for p in _create_periods(missing)})
        # Agreements already running through a new quarter owe its return from now on.
        stored.refresh(
            Agreement.objects.filter(
                start_date__lte=max(p.end_date for p in missing),
                end_date__gte=min(p.start_date for p in missing),
            ).values_list("pk", flat=True)
        )
    return dict(sorted(found.items()))


def _create_periods(missing: list[ReportingPeriod]) -> list[ReportingPeriod]:
    try:
        with transaction.atomic():
            created = ReportingPeriod.objects.bulk_create(missing)
    except IntegrityError:
        # Another request made some of them at the same moment: theirs stand.
        return [
            ReportingPeriod.objects.get_or_create(
                financial_year=p.financial_year,
                quarter=p.quarter,
                defaults={
                    "start_date": p.start_date,
                    "end_date": p.end_date,
                    "due_date": p.due_date,
                },
            )[0]
            for p in missing
        ]
    audit.record_bulk_writes(created=created)
    versions.move(versions.SITE)
    return created


def set_up_agreement(*, agreement: Agreement) -> None:
    """Make the reporting quarters an agreement's returns need, and its payment schedule."""
    years = periods.financial_years(agreement.start_date, agreement.end_date)
    ensure_reporting_periods(first_year=years[0], last_year=years[-1])
    create_instalment_schedule(agreement=agreement)
    stored.refresh_agreement(agreement)


def set_up_agreements(*, agreements: list[Agreement]) -> list[PaymentInstalment]:
    """`set_up_agreement` for agreements that have no payment schedule yet, such as those an
    import has just made, in a fixed number of queries however many: their instalments, each
    agreement's in order."""
    plans = [
        (
            agreement,
            planned_instalments(
                start=agreement.start_date,
                end=agreement.end_date,
                total=agreement.total_allocation,
                frequency=agreement.reporting_frequency,
            ),
        )
        for agreement in agreements
    ]
    quarters = reporting_periods(
        years=[
            year
            for agreement in agreements
            for year in periods.financial_years(agreement.start_date, agreement.end_date)
        ]
    )
    versions.move(*(versions.agreement(agreement.pk) for agreement in agreements))
    instalments = PaymentInstalment.objects.bulk_create(
        PaymentInstalment(
            agreement=agreement,
            sequence=i.sequence,
            financial_year=i.financial_year,
            amount=i.amount,
            due_date=i.due_date,
            depends_on_period=quarters.get(i.waits_for),
        )
        for agreement, plan in plans
        for i in plan
    )
    stored.refresh(a.pk for a in agreements)
    return instalments


@dataclass(frozen=True)
class PlannedInstalment:
    sequence: int
    financial_year: int
    amount: Decimal
    due_date: dt.date
    waits_for: tuple[int, int] | None  # (financial year, quarter) whose return it waits for
    year_ordinal: int = 1  # its place among the instalments of its financial year

    @property
    def label(self) -> str:
        return instalment_label(self.financial_year, self.year_ordinal)

    @property
    def waits_for_label(self) -> str:
        """The quarter whose return it waits for, "Q1 2026/27"; empty when it waits for none."""
        if self.waits_for is None:
            return ""
        year, quarter = self.waits_for
        return f"Q{quarter} {periods.financial_year_label(year)}"


def planned_instalments(
    *,
    start: dt.date,
    end: dt.date,
    total: Decimal,
    frequency: str = ReportingFrequency.QUARTERLY,
) -> list[PlannedInstalment]:
    """The allocation as two payments a year, in advance, for as long as the agreement runs: the
    first of each of its years on the agreement's anniversary, the second six months later once
    the year's first return (at its reporting `frequency`) is approved. Only payments due
    within the agreement are made, so a part year has one or two; they are equal and add up to
    the total to the penny."""
    due_dates = []
    while (due := _add_months(start, 6 * len(due_dates))) <= end:
        due_dates.append(due)
    quarters = agreement_quarters(start, end, frequency)
    planned = []
    in_year: Counter[int] = Counter()
    for index, amount in enumerate(split_evenly(total, parts=len(due_dates))):
        year_index, half = divmod(index, 2)
        year_start = _add_months(start, 12 * year_index)
        year = periods.financial_year_of(year_start)
        in_year[year] += 1
        first_quarter = next((q for q in quarters if q[2] >= year_start), None)
        planned.append(
            PlannedInstalment(
                sequence=index + 1,
                financial_year=year,
                amount=amount,
                due_date=due_dates[index],
                waits_for=first_quarter[:2] if half == 1 and first_quarter else None,
                year_ordinal=in_year[year],
            )
        )
    return planned


def agreement_quarters(
    start: dt.date, end: dt.date, frequency: str = ReportingFrequency.QUARTERLY
) -> list[tuple[int, int, dt.date, dt.date]]:
    """(financial year, quarter, first day, last day) of each quarter an agreement reporting at
    the `frequency` sends a return in (`Agreement.reports_in`)."""
    block = ReportingFrequency(frequency).quarters
    return [
        (year, quarter, first, last)
        for year in periods.financial_years(start, end)
        for quarter in range(1, 5)
        for first, last in [periods.quarter_dates(year, quarter)]
        if periods.reports_in_block(start, end, block, year, quarter)
    ]


def quarters_between(
    start: dt.date, end: dt.date, frequency: str = ReportingFrequency.QUARTERLY
) -> list[tuple[str, dt.date, dt.date]]:
    """(quarter, last day, returns due) for each quarter an agreement's returns are sent in."""
    return [
        (
            f"Q{quarter} {periods.financial_year_label(year)}",
            last,
            periods.return_due_date(year, quarter),
        )
        for year, quarter, _, last in agreement_quarters(start, end, frequency)
    ]


@transaction.atomic
def create_instalment_schedule(*, agreement: Agreement) -> list[PaymentInstalment]:
    """Schedule the agreement's allocation (`planned_instalments`). An existing schedule is left
    alone, so calling this again changes nothing."""
    existing = list(agreement.instalments.order_by("sequence"))
    if existing:
        return existing
    return set_up_agreements(agreements=[agreement])


@transaction.atomic
def create_agreement(
    *,
    by,
    details: dict,
    outcome: str = "",
    payment_terms: str = "",
    objectives: list[str],
    requirements: list[str],
    in_kind: list[str | tuple[str, str]],
    added_values: list[str],
    indicators: list[dict],
    objectives_cy: list[str] | None = None,
    requirements_cy: list[str] | None = None,
) -> Agreement:
    """An agreement with its parts, quarters and payment schedule, all or nothing, checked by the
    model's own rules (the lead officer of the funder, the award within the fund). Each in-kind
    contribution is its description, or a (description, condition) pair. A text kept in both
    languages is given in English under its name (`title`, an indicator's `wording`) and in
    Welsh, where the council writes it, under `<name>_cy`; the Welsh objectives and requirements
    go with the English ones in the same places."""
    funder = details["funder"]
    if not permissions.can_set_up_agreement_for(by, funder):
        raise PermissionDenied(
            gettext("Only a lead officer of the funding council sets up its agreements.")
        )
    agreement = Agreement(
        **written.in_columns(
            Agreement, {**details, "outcome": outcome, "payment_terms": payment_terms}
        )
    )
    agreement.full_clean()
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError:
        # Set up at the same moment from another tab or a double click: theirs stands.
        raise ValidationError(
            {
                "reference": gettext("Another agreement already has the reference %(reference)s.")
                % {"reference": agreement.reference}
            }
        ) from None
    AgreementObjective.objects.bulk_create(
        AgreementObjective(
            agreement=agreement,
            order=n,
            **written.in_columns(
                AgreementObjective, {"text": text, "text_cy": _nth(objectives_cy or [], n - 1)}
            ),
        )
        for n, text in enumerate(objectives, start=1)
    )
    MinimumRequirement.objects.bulk_create(
        MinimumRequirement(
            agreement=agreement,
            number=n,
            **written.in_columns(
                MinimumRequirement, {"text": text, "text_cy": _nth(requirements_cy or [], n - 1)}
            ),
        )
        for n, text in enumerate(requirements, start=1)
    )
    InKindContribution.objects.bulk_create(
        InKindContribution(
            agreement=agreement,
            order=n,
            condition=condition,
            **written.in_columns(InKindContribution, {"description": text}),
        )
        for n, (text, condition) in enumerate(
            ((item, "") if isinstance(item, str) else item for item in in_kind), start=1
        )
    )
    AddedValue.objects.bulk_create(
        AddedValue(agreement=agreement, order=n, **written.in_columns(AddedValue, {"text": text}))
        for n, text in enumerate(added_values, start=1)
    )
    for order, values in enumerate(indicators, start=1):
        values = dict(values)
        targets = values.pop("targets", [])
        indicator = PerformanceIndicator(
            agreement=agreement, order=order, **written.in_columns(PerformanceIndicator, values)
        )
        indicator.full_clean()
        indicator.save()
        for target in targets:
            row = IndicatorTarget(indicator=indicator, **target)
            row.full_clean()
            row.save()
    set_up_agreement(agreement=agreement)
    return agreement


def period_after(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period that follows an agreement's, as long as it: as many months from the day after
    it ends, or, for a period not of whole months, as many days."""
    following = end + dt.timedelta(days=1)
    months = (following.year - start.year) * 12 + following.month - start.month
    if months > 0 and _add_months(start, months) == following:
        return following, _add_months(following, months) - dt.timedelta(days=1)
    return following, following + (end - start)


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# Changing an agreement ------------------------------------------------------------------------

# What of an agreement is changed directly; its period, allocation, answered indicators and
# decided instalments are what returns and payments rest on, and change through a variation.
EDITABLE_DETAILS = (
    "title",
    "title_cy",
    "purpose",
    "purpose_cy",
    "award_date",
    "department",
    "lead_officer",
    "supplier_reference",
    "reporting_frequency",
)
EDITABLE_INDICATOR_FIELDS = ("wording", "wording_cy", "unit", "target", "amber_tolerance")
EDITABLE_INSTALMENT_FIELDS = ("amount", "due_date", "depends_on_period")


def agreement_version(agreement: Agreement) -> str:
    """What a form to change the agreement carries, to tell whether it was changed since."""
    return agreement.modified_at.isoformat()


def edit_field(kind: str, pk: int, name: str) -> str:
    """The name under which `edit_agreement` reports an error of a field of one of the
    agreement's indicators or instalments (kind "indicator" or "instalment"), which is the name
    of that field in the form that changes the agreement."""
    return f"{kind}_{pk}_{name}"


@transaction.atomic
def edit_agreement(
    *,
    agreement: Agreement,
    by,
    version: str,
    details: dict,
    objectives: list[str],
    requirements: list[str],
    indicators: dict[int, dict],
    instalments: dict[int, dict],
    objectives_cy: list[str] | None = None,
    requirements_cy: list[str] | None = None,
) -> Agreement:
    """Change the agreement's `details` (of `EDITABLE_DETAILS`), its objectives and minimum
    requirements (their lines in order), and, by id, the indicators no return has answered and
    the instalments not yet released or withheld, all or nothing, recorded in the change history
    as `by`'s. A text kept in both languages is given in English under its name (`title`) and in
    Welsh under `<name>_cy`; the Welsh lines of the objectives and requirements, where given,
    go with the English lines in the same places.

    `version` is the agreement's as the form was opened (`agreement_version`): a change made
    since by someone else is not overwritten unseen. An indicator answered or an instalment
    decided since is refused too. Both refusals are a ValidationError with no field; a value
    the rules refuse is one keyed by its field (`edit_field` for indicators and instalments)."""
    locked = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    if not permissions.can_edit_agreement(by, locked):
        raise PermissionDenied(
            gettext("Only a lead officer of the funding council changes its agreements.")
        )
    if agreement_version(locked) != version:
        raise ValidationError(
            _(
                "This agreement was changed by someone else since you opened the page. Nothing "
                "was saved: the page now shows it as it is; make your changes again."
            )
        )
    held_indicators = {
        i.pk: i for i in PerformanceIndicator.objects.select_for_update().filter(agreement=locked)
    }
    held_instalments = {
        i.pk: i
        for i in PaymentInstalment.objects.select_for_update()
        .filter(agreement=locked)
        .labelled()
        .order_by("sequence")
    }
    _refuse_what_is_no_longer_editable(
        held_indicators, held_instalments, indicators, instalments, answered_indicators(locked)
    )

    errors: dict[str, list] = {}
    changed_details = _apply(locked, details, errors, edited_instalments=set(instalments))
    changed_indicators = [
        (held_indicators[pk], fields)
        for pk, values in indicators.items()
        if (fields := _apply_indicator(held_indicators[pk], values, errors))
    ]
    changed_instalments = [
        (held_instalments[pk], fields)
        for pk, values in instalments.items()
        if (fields := _apply_instalment(held_instalments[pk], locked, values, errors))
    ]
    if instalments:
        _check_schedule(locked, held_instalments.values(), first=min(instalments), errors=errors)
    answered_requirements = set(
        RequirementAnswer.objects.filter(requirement__agreement=locked).values_list(
            "requirement_id", flat=True
        )
    )
    held_requirements = list(locked.requirements.order_by("number"))
    for requirement in held_requirements[len(requirements) :]:
        if requirement.pk in answered_requirements:
            errors.setdefault("requirements", []).append(
                _(
                    "Minimum requirement %(number)s has been answered in a return, so it stays: "
                    "change its wording, or keep its line."
                )
                % {"number": requirement.number}
            )
    if errors:
        raise ValidationError(errors)

    with audit.acting_as(by):
        for indicator, fields in changed_indicators:
            indicator.save(update_fields=fields)
        for instalment, fields in changed_instalments:
            instalment.save(update_fields=fields)
        lines_changed = _replace_lines(
            list(locked.objectives.order_by("order", "pk")),
            objectives,
            make=lambda n, text: AgreementObjective(agreement=locked, order=n, text=text),
            place="order",
            welsh=objectives_cy,
        )
        lines_changed |= _replace_lines(
            held_requirements,
            requirements,
            make=lambda n, text: MinimumRequirement(agreement=locked, number=n, text=text),
            place="number",
            welsh=requirements_cy,
        )
        if changed_details or changed_indicators or changed_instalments or lines_changed:
            # Its modified time moves on with any change of its parts: the version a form holds.
            locked.save(update_fields=[*changed_details, "modified_at"])
    stored.refresh_agreement(locked)
    return locked


def _refuse_what_is_no_longer_editable(
    held_indicators, held_instalments, indicators, instalments, answered
) -> None:
    refused = []
    for pk in indicators:
        indicator = held_indicators.get(pk)
        if indicator is None:
            refused.append(_("An indicator on the page is no longer part of the agreement."))
        elif indicator.pk in answered:
            refused.append(
                _(
                    "Indicator %(code)s has been answered in a return since you opened the page: "
                    "it is changed through a variation now."
                )
                % {"code": indicator.code}
            )
    for pk in instalments:
        instalment = held_instalments.get(pk)
        if instalment is None:
            refused.append(_("An instalment on the page is no longer part of the agreement."))
        elif not instalment.is_undecided:
            refused.append(
                _(
                    "The %(instalment)s has been %(status)s since you opened the page: it is "
                    "changed through a variation now."
                )
                % {
                    "instalment": instalment.label,
                    "status": instalment.get_status_display().lower(),
                }
            )
    if refused:
        raise ValidationError([*refused, _("Nothing was saved.")])


def _apply(
    agreement: Agreement, details: dict, errors: dict, *, edited_instalments: set[int]
) -> list[str]:
    unknown = set(details) - set(EDITABLE_DETAILS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} change through a variation.")
    changed = _set(agreement, details)
    try:
        agreement.validate_lead_officer()
    except ValidationError as error:
        _merge(errors, error, lambda name: name)
    if "reporting_frequency" in changed:
        _check_frequency_change(agreement, errors, edited_instalments=edited_instalments)
    if agreement.published:
        if agreement.award_date is None:
            errors.setdefault("award_date", []).append(
                _("A published grant needs its award date: give it, or take the grant down first.")
            )
        if not agreement.purpose.strip():
            errors.setdefault("purpose", []).append(
                _("A published grant needs its purpose: give it, or take the grant down first.")
            )
    return changed


def _check_frequency_change(
    agreement: Agreement, errors: dict, *, edited_instalments: set[int]
) -> None:
    """How often a provider reports changes by editing only while no return exists; after,
    a variation names the quarter it changes from. Each instalment must still wait for a
    quarter the agreement reports in (those edited with it are checked with their new
    values)."""
    if agreement.returns.exists():
        errors.setdefault("reporting_frequency", []).append(
            _(
                "Returns have already been made at the present frequency, so it cannot be "
                "changed here: use a variation, which names the quarter it changes from."
            )
        )
        return
    waiting = (
        PaymentInstalment.objects.filter(agreement=agreement, depends_on_period__isnull=False)
        .exclude(pk__in=edited_instalments)
        .select_related("depends_on_period")
    )
    for instalment in waiting:
        if not agreement.reports_in(instalment.depends_on_period):
            errors.setdefault("reporting_frequency", []).append(
                _(
                    "Instalment %(sequence)s waits for the %(period)s return, which the agreement "
                    "would no longer make: change what it waits for first."
                )
                % {"sequence": instalment.sequence, "period": instalment.depends_on_period}
            )


def _apply_indicator(indicator: PerformanceIndicator, values: dict, errors: dict) -> list[str]:
    changed = _set(indicator, {k: values[k] for k in EDITABLE_INDICATOR_FIELDS if k in values})
    try:
        indicator.clean()
    except ValidationError as error:
        _merge(errors, error, lambda name: _field_of("indicator", indicator.pk, name, "target"))
    return changed


def _apply_instalment(
    instalment: PaymentInstalment, agreement: Agreement, values: dict, errors: dict
) -> list[str]:
    changed = _set(instalment, {k: values[k] for k in EDITABLE_INSTALMENT_FIELDS if k in values})
    instalment.agreement = agreement
    try:
        instalment.clean()
    except ValidationError as error:
        _merge(errors, error, lambda name: _field_of("instalment", instalment.pk, name, "due_date"))
    return changed


def _check_schedule(agreement: Agreement, held, *, first: int, errors: dict) -> None:
    total = schedule_shortfall((i.amount for i in held), agreement.total_allocation)
    if total is not None:
        errors.setdefault(edit_field("instalment", first, "amount"), []).append(
            _(
                "The instalments add up to £%(total)s but the total allocation is "
                "£%(allocation)s: make them add up."
            )
            % {"total": f"{total:,.2f}", "allocation": f"{agreement.total_allocation:,.2f}"}
        )


def _field_of(kind: str, pk: int, name: str, otherwise: str) -> str:
    editable = EDITABLE_INDICATOR_FIELDS if kind == "indicator" else EDITABLE_INSTALMENT_FIELDS
    return edit_field(kind, pk, name if name in editable else otherwise)


def _set(record, values: dict) -> list[str]:
    """Give the record the values; the names of the columns that changed. A text kept in both
    languages is given in English under its own name, whatever language the writer reads in."""
    changed = []
    for name, value in values.items():
        column = written.column(record, name)
        if getattr(record, column) != value:
            setattr(record, column, value)
            changed.extend(written.saved_with(record, column))
    return changed


def _merge(errors: dict, error: ValidationError, name_of) -> None:
    for name, messages in error.message_dict.items():
        key = NON_FIELD_ERRORS if name == NON_FIELD_ERRORS else name_of(name)
        errors.setdefault(key, []).extend(messages)


def _replace_lines(
    held: list, lines: list[str], *, make, place: str, welsh: list[str] | None = None
) -> bool:
    """The rows of a numbered list given as its lines in order: the nth row takes the nth line
    (in English, and the nth Welsh line where `welsh` is given), rows beyond the lines are
    deleted, lines beyond the rows added, each one by one so the change history keeps every
    wording as it was and as it is. Whether any changed."""
    changed = False
    texts = [
        {"text_en_gb": text, **({"text_cy": _nth(welsh, n)} if welsh is not None else {})}
        for n, text in enumerate(lines)
    ]
    for row, text in zip(held, texts, strict=False):
        fields = [name for name, value in text.items() if getattr(row, name) != value]
        if fields:
            for name in fields:
                setattr(row, name, text[name])
            row.save(update_fields=written.saved_with(row, "text_en_gb"))
            changed = True
    for row in held[len(lines) :]:
        row.delete()
        changed = True
    last = max((getattr(row, place) for row in held[: len(lines)]), default=0)
    for n, text in enumerate(texts[len(held) :], start=last + 1):
        row = make(n, text["text_en_gb"])
        # Made in whatever language the writer reads in: each column is set for itself.
        row.text_en_gb, row.text_cy = text["text_en_gb"], text.get("text_cy", "")
        row.save()
        changed = True
    return changed


def _nth(lines: list[str], n: int) -> str:
    return lines[n] if n < len(lines) else ""
