"""A variation's lifecycle (`grants.lifecycle.VARIATION`): requested or drafted, sent for
approval, approved by a second person of the council, accepted by the provider, and applied.

Each step locks the variation's row, checks that the user takes it (`grants.permissions`), that
its status allows it and that the page the person acted on showed the variation's current
version, records who, when and why, and tells the people the next step is for. Accepting applies
the variation in the same transaction: the agreement's new terms, its instalments not yet
released, the budget lines of the years it sets, and a new version of its terms from the period
the variation takes effect.
"""

import dataclasses
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from grants import notifications, permissions, stored, webhook_data
from grants.lifecycle import VARIATION, InstalmentStatus, ReturnStatus, VariationStatus
from grants.models import (
    Agreement,
    AgreementTerms,
    BudgetHeading,
    BudgetHeadingKind,
    BudgetLine,
    IndicatorAnswer,
    IndicatorTarget,
    PaymentInstalment,
    PerformanceIndicator,
    QuarterlyReturn,
    SpendAnswer,
    Variation,
    VariationBudgetLine,
    VariationIndicator,
    VariationInstalment,
    VariationTarget,
    VariationTransition,
    target_errors,
)
from grants.money import PENNY
from grants.selectors.variations import terms_of
from grants.services.agreements import ensure_reporting_periods
from sla_monitor import audit, periods, webhooks, written
from sla_monitor.models import WebhookEvent
from sla_monitor.once import AlreadySent, claim

# What a draft says: the fields of a variation its form sets.
TERMS = (
    "reason",
    "takes_effect_from",
    "past_approved_returns_acknowledged",
    "new_end_date",
    "new_total_allocation",
    "new_lead_officer",
    "new_reporting_frequency",
    "changes_instalments",
)


def _next_number(agreement: Agreement) -> int:
    """Numbers follow one another per agreement: the agreement's row is locked while one is
    taken, so two variations made at once are numbered apart."""
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    latest = Variation.objects.filter(agreement=agreement).aggregate(latest=Max("number"))
    return (latest["latest"] or 0) + 1


def _record(variation: Variation, *, step: str, from_status: str, by, reason: str = "") -> None:
    VariationTransition.objects.create(
        variation=variation,
        step=step,
        from_status=from_status,
        to_status=variation.status,
        by=by,
        reason=reason,
    )


@transaction.atomic
def request_variation(
    *, agreement: Agreement, by, request: str, once: uuid.UUID | None = None
) -> Variation:
    """The provider asks for a variation, in its own words; an officer takes it up or declines
    it. With the form's `once` token, a second send of the same form makes no second request."""
    if not permissions.can_request_variation(by, agreement):
        raise PermissionDenied(_("Only the agreement's provider asks for a variation."))
    if not request.strip():
        raise ValidationError({"request": _("Say what you would like to change, and why")})
    if once is not None:
        claim(once, already=_("your request for a variation was sent once."))
    variation = Variation.objects.create(
        agreement=agreement,
        number=_next_number(agreement),
        status=VariationStatus.REQUESTED,
        request=request.strip(),
        requested_by=by,
    )
    _record(variation, step="request", from_status="", by=by, reason=variation.request)
    notifications.variation_moved(variation, step="request", by=by)
    return variation


def _set_terms(variation: Variation, terms: dict, instalments: list[dict] | None) -> None:
    for field in TERMS:
        if field in terms:
            setattr(variation, field, terms[field])
    variation.reason = (variation.reason or "").strip()
    if instalments is not None:
        if not variation.changes_instalments:
            instalments = []
        variation.instalments.all().delete()
        VariationInstalment.objects.bulk_create(
            VariationInstalment(variation=variation, **instalment) for instalment in instalments
        )


def _set_indicator_changes(variation: Variation, changes: "IndicatorChanges") -> None:
    """Once the variation is saved: the targets, retirements and new indicators it makes."""
    variation.retire_indicators.set(changes.retire)
    variation.targets.all().delete()
    VariationTarget.objects.bulk_create(
        VariationTarget(variation=variation, **target) for target in changes.targets
    )
    variation.new_indicators.all().delete()
    VariationIndicator.objects.bulk_create(
        VariationIndicator(variation=variation, **indicator) for indicator in changes.added
    )


def _set_budget_lines(variation: Variation, lines: list[dict] | None) -> None:
    """Once the variation is saved: the budget lines it sets (None: those it had stay)."""
    if lines is None:
        return
    variation.budget_lines.all().delete()
    VariationBudgetLine.objects.bulk_create(
        VariationBudgetLine(
            variation=variation,
            financial_year=line["financial_year"],
            heading=line["heading"],
            own_heading_id=_heading_id(line.get("own_heading"))
            if line["heading"] == BudgetHeadingKind.OWN
            else None,
            label=(line.get("label") or "").strip(),
            amount=line["amount"],
        )
        for line in lines
    )


def _heading_id(own) -> int | None:
    return own.pk if isinstance(own, BudgetHeading) else own


def _budget_of(variation: Variation) -> list[dict]:
    return [
        {
            "financial_year": line.financial_year,
            "heading": line.heading,
            "own_heading": line.own_heading_id,
            "label": line.label,
            "amount": line.amount,
        }
        for line in variation.budget_lines.all()
    ]


@dataclass(frozen=True)
class IndicatorChanges:
    """What a variation does to the agreement's indicators: new targets by year (`targets`:
    indicator, financial_year, target, q1 to q4), indicators retired, and indicators added
    (`added`: code, wording, measure_type, target, target_period, unit, direction)."""

    targets: list[dict] = dataclasses.field(default_factory=list)
    retire: list = dataclasses.field(default_factory=list)
    added: list[dict] = dataclasses.field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.targets or self.retire or self.added)

    @classmethod
    def of(cls, variation: Variation) -> "IndicatorChanges":
        return cls(
            targets=[
                {
                    "indicator": t.indicator,
                    "financial_year": t.financial_year,
                    "target": t.target,
                    **{q: getattr(t, q) for q in ("q1", "q2", "q3", "q4")},
                }
                for t in variation.targets.select_related("indicator")
            ],
            retire=list(variation.retire_indicators.all()),
            added=[
                {
                    name: getattr(new, name)
                    for name in (
                        "code",
                        "wording",
                        "measure_type",
                        "target",
                        "target_period",
                        "unit",
                        "direction",
                    )
                }
                for new in variation.new_indicators.all()
            ],
        )


@transaction.atomic
def draft_variation(
    *,
    agreement: Agreement,
    by,
    terms: dict,
    instalments: list[dict] | None = None,
    indicators: IndicatorChanges | None = None,
    budget_lines: list[dict] | None = None,
    once: uuid.UUID | None = None,
) -> Variation:
    """An officer of the funding council drafts a variation of the agreement's terms.
    `budget_lines` (each {"financial_year", "heading", "own_heading", "label", "amount"}) set
    the lines of each year they name."""
    if not permissions.can_draft_variation(by, agreement):
        raise PermissionDenied(_("Only a lead officer of the funding council drafts variations."))
    if once is not None:
        claim(once, already=_("the variation was drafted once."))
    variation = Variation(
        agreement=agreement, number=_next_number(agreement), drafted_by=by, status="draft"
    )
    indicators = indicators or IndicatorChanges()
    _set_terms(variation, terms, None)
    check_variation(
        variation, instalments or [], indicators, complete=False, budget=budget_lines or []
    )
    variation.save()
    _set_terms(variation, {}, instalments)
    _set_indicator_changes(variation, indicators)
    _set_budget_lines(variation, budget_lines or [])
    _record(variation, step="draft", from_status="", by=by, reason=variation.reason)
    return variation


def _take(step_name: str, variation: Variation, by, version: int | None) -> tuple[Variation, str]:
    locked = (
        Variation.objects.select_for_update(of=("self",))
        .select_related("agreement__funder", "agreement__provider", "takes_effect_from")
        .get(pk=variation.pk)
    )
    step = VARIATION.step(step_name)
    if not permissions.may_take_variation_step(by, step, locked):
        if step_name in permissions.SECOND_PERSON_STEPS and permissions.wrote_variation(by, locked):
            raise PermissionDenied(
                _("A second person approves a variation: you drafted or changed this one.")
            )
        raise PermissionDenied(_("You cannot take this step on this variation."))
    if version is not None and locked.version != version:
        last = locked.transitions.order_by("-at", "-pk").first()
        if last is not None and last.by_id == by.pk and last.step == step_name:
            raise AlreadySent(
                _("You have already done this: %(step)s.") % {"step": step.label.lower()}
            )
        raise ValidationError(
            _(
                "Variation %(number)s was changed by someone else after you opened the page. "
                "Nothing was changed: read it again before you act on it."
            )
            % {"number": locked.number}
        )
    if not VARIATION.allows(step_name, locked.status):
        raise ValidationError(VARIATION.refusal(step_name, locked.status, number=locked.number))
    return locked, locked.status


# The steps of a variation that the council's other systems are told of.
WEBHOOK_EVENTS = {
    "submit": WebhookEvent.VARIATION_SUBMITTED,
    "approve": WebhookEvent.VARIATION_APPROVED,
    "accept": WebhookEvent.VARIATION_APPLIED,
}


def _move(locked: Variation, *, step: str, from_status: str, by, reason: str, fields=()) -> None:
    target = VARIATION.step(step).target
    if target is not None:
        locked.status = target
    locked.version += 1
    locked.save(update_fields=["status", "version", *fields])
    _record(locked, step=step, from_status=from_status, by=by, reason=reason)
    notifications.variation_moved(locked, step=step, by=by, reason=reason)
    if step in WEBHOOK_EVENTS:
        webhooks.emit(
            locked.agreement.funder_id, WEBHOOK_EVENTS[step], webhook_data.variation(locked)
        )


@transaction.atomic
def update_variation(
    *,
    variation: Variation,
    by,
    version: int,
    terms: dict,
    instalments: list[dict] | None,
    indicators: IndicatorChanges | None = None,
    budget_lines: list[dict] | None = None,
) -> Variation:
    """Change a draft; `budget_lines` None keeps the budget lines it sets."""
    locked, _status = _take("edit", variation, by, version)
    indicators = indicators or IndicatorChanges()
    _set_terms(locked, terms, None)
    budget = _budget_of(locked) if budget_lines is None else budget_lines
    check_variation(locked, instalments or [], indicators, complete=False, budget=budget)
    locked.version += 1
    locked.save(update_fields=[*TERMS, "version"])
    _set_terms(locked, {}, instalments)
    _set_indicator_changes(locked, indicators)
    _set_budget_lines(locked, budget_lines)
    _record(locked, step="edit", from_status=locked.status, by=by, reason="")
    return locked


@transaction.atomic
def take_up_variation(*, variation: Variation, by, version: int | None = None) -> Variation:
    locked, from_status = _take("take_up", variation, by, version)
    locked.drafted_by = by
    _move(locked, step="take_up", from_status=from_status, by=by, reason="", fields=["drafted_by"])
    return locked


def _reason(reason: str, message: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": message})
    return reason.strip()


def _step_with_reason(
    step: str, variation: Variation, *, by, reason: str, version: int | None, asked: str
) -> Variation:
    """A step whose person says why (`asked`: what they are told when they do not); a variation
    back in the council's draft loses its approval."""
    reason = _reason(reason, asked)
    locked, from_status = _take(step, variation, by, version)
    fields = []
    if VARIATION.step(step).target == VariationStatus.DRAFT and locked.approved_by_id:
        locked.approved_by, locked.approved_at = None, None
        fields = ["approved_by", "approved_at"]
    _move(locked, step=step, from_status=from_status, by=by, reason=reason, fields=fields)
    return locked


@transaction.atomic
def decline_variation(*, variation: Variation, by, reason: str, version: int | None = None):
    asked = _("Say why the request is declined")
    return _step_with_reason(
        "decline", variation, by=by, reason=reason, version=version, asked=asked
    )


@transaction.atomic
def submit_variation(*, variation: Variation, by, version: int | None = None) -> Variation:
    locked, from_status = _take("submit", variation, by, version)
    check_variation(
        locked,
        _instalments_of(locked),
        IndicatorChanges.of(locked),
        complete=True,
        budget=_budget_of(locked),
    )
    _move(locked, step="submit", from_status=from_status, by=by, reason="")
    return locked


@transaction.atomic
def approve_variation(*, variation: Variation, by, version: int | None = None) -> Variation:
    locked, from_status = _take("approve", variation, by, version)
    check_variation(
        locked,
        _instalments_of(locked),
        IndicatorChanges.of(locked),
        complete=True,
        budget=_budget_of(locked),
    )
    locked.approved_by, locked.approved_at = by, timezone.now()
    _move(
        locked,
        step="approve",
        from_status=from_status,
        by=by,
        reason="",
        fields=["approved_by", "approved_at"],
    )
    return locked


@transaction.atomic
def return_variation(*, variation: Variation, by, reason: str, version: int | None = None):
    asked = _("Say what needs to change before you would approve it")
    return _step_with_reason(
        "return", variation, by=by, reason=reason, version=version, asked=asked
    )


@transaction.atomic
def reject_variation(*, variation: Variation, by, reason: str, version: int | None = None):
    """The provider does not accept the varied terms: the variation goes back to the council's
    draft, with the provider's reason."""
    asked = _("Say why you do not accept the varied terms")
    return _step_with_reason(
        "reject", variation, by=by, reason=reason, version=version, asked=asked
    )


@transaction.atomic
def withdraw_variation(*, variation: Variation, by, reason: str, version: int | None = None):
    asked = _("Say why the variation is withdrawn")
    return _step_with_reason(
        "withdraw", variation, by=by, reason=reason, version=version, asked=asked
    )


@transaction.atomic
def accept_variation(*, variation: Variation, by, version: int | None = None) -> Variation:
    """The provider accepts the varied terms, and the variation applies: all of it, or, if the
    agreement has moved on so that it no longer fits (a return submitted since), none of it."""
    locked, from_status = _take("accept", variation, by, version)
    agreement = Agreement.objects.select_for_update().get(pk=locked.agreement_id)
    check_variation(
        locked,
        _instalments_of(locked),
        IndicatorChanges.of(locked),
        complete=True,
        budget=_budget_of(locked),
    )
    if not AgreementTerms.objects.filter(agreement=agreement).exists():
        AgreementTerms.objects.create(agreement=agreement, number=1, terms=terms_of(agreement))
    with audit.acting_as(by):
        _apply(locked, agreement)
    latest = AgreementTerms.objects.filter(agreement=agreement).aggregate(n=Max("number"))["n"]
    AgreementTerms.objects.create(
        agreement=agreement,
        number=latest + 1,
        variation=locked,
        takes_effect_from=locked.takes_effect_from,
        terms=terms_of(agreement),
    )
    locked.accepted_by, locked.applied_at = by, timezone.now()
    _move(
        locked,
        step="accept",
        from_status=from_status,
        by=by,
        reason="",
        fields=["accepted_by", "applied_at"],
    )
    return locked


def _apply(variation: Variation, agreement: Agreement) -> None:
    changed = []
    if variation.new_end_date:
        agreement.end_date = variation.new_end_date
        changed.append("end_date")
        # An extension reports in quarters that may not exist yet.
        ensure_reporting_periods(
            first_year=periods.financial_year_of(agreement.start_date),
            last_year=periods.financial_year_of(agreement.end_date),
        )
    if variation.new_total_allocation is not None:
        agreement.total_allocation = variation.new_total_allocation
        changed.append("total_allocation")
    if variation.new_lead_officer_id:
        agreement.lead_officer_id = variation.new_lead_officer_id
        changed.append("lead_officer")
    if variation.new_reporting_frequency:
        # The quarters before keep the frequency in force then: returns made are untouched.
        agreement.earlier_reporting_frequency = agreement.frequency_in(variation.takes_effect_from)
        agreement.reporting_frequency = variation.new_reporting_frequency
        agreement.reporting_frequency_from = variation.takes_effect_from.start_date
        changed += [
            "reporting_frequency",
            "earlier_reporting_frequency",
            "reporting_frequency_from",
        ]
    if changed:
        agreement.save(update_fields=[*changed, "modified_at"])
    if variation.changes_instalments:
        _reschedule(variation, agreement)
    _apply_indicator_changes(variation, agreement, IndicatorChanges.of(variation))
    _apply_budget(variation, agreement)
    stored.refresh_agreement(agreement)


def _line_key(line) -> tuple:
    """What makes two budget lines the same line: heading, the council's heading, label."""
    own = line["own_heading"] if isinstance(line, dict) else line.own_heading_id
    heading = line["heading"] if isinstance(line, dict) else line.heading
    label = line.get("label", "") if isinstance(line, dict) else line.label
    return (heading, _heading_id(own), (label or "").strip().casefold())


def _match_lines(held: list[BudgetLine], given: list) -> tuple[list, list[BudgetLine]]:
    """Pair each of a year's `given` lines with the agreement's line of the same heading and
    label, if there is one not yet paired: (given, held or None) pairs, and the held lines
    left over."""
    left = list(held)
    pairs = []
    for line in given:
        match = next((h for h in left if _line_key(h) == _line_key(line)), None)
        if match is not None:
            left.remove(match)
        pairs.append((line, match))
    return pairs, left


def _apply_budget(variation: Variation, agreement: Agreement) -> None:
    """Each year the variation sets takes its lines: a line of the same heading and label
    keeps its row (so the spend returns gave against it stays with it) and takes the new
    amount; a line the variation does not give is removed (the checks made sure no return gave
    spend against it); the rest are added."""
    given: dict[int, list[VariationBudgetLine]] = {}
    for line in variation.budget_lines.order_by("pk"):
        given.setdefault(line.financial_year, []).append(line)
    for year, lines in given.items():
        held = list(
            BudgetLine.objects.select_for_update()
            .filter(agreement=agreement, financial_year=year)
            .order_by("order", "pk")
        )
        pairs, removed = _match_lines(held, lines)
        for line in removed:
            line.delete()
        for order, (planned, kept) in enumerate(pairs, start=1):
            row = kept or BudgetLine(agreement=agreement, financial_year=year)
            row.heading, row.own_heading_id = planned.heading, planned.own_heading_id
            row.label, row.amount, row.order = planned.label, planned.amount, order
            row.save()


def _apply_indicator_changes(variation, agreement, changes: IndicatorChanges) -> None:
    """New targets from the quarter the variation takes effect, so that earlier quarters keep
    being judged by the targets they had; indicators retired and added from that quarter."""
    period = variation.takes_effect_from
    for target in changes.targets:
        IndicatorTarget.objects.update_or_create(
            indicator=target["indicator"],
            financial_year=target["financial_year"],
            takes_effect_from=period,
            defaults={name: target[name] for name in ("target", "q1", "q2", "q3", "q4")},
        )
    for indicator in changes.retire:
        indicator.retired_from = period
        indicator.save(update_fields=["retired_from"])
    order = (
        PerformanceIndicator.objects.filter(agreement=agreement).aggregate(n=Max("order"))["n"] or 0
    )
    for number, added in enumerate(changes.added, start=order + 1):
        # Its wording is the English, whatever language the approver reads in.
        PerformanceIndicator.objects.create(
            agreement=agreement,
            order=number,
            starts_from=period,
            **written.in_columns(PerformanceIndicator, added),
        )


def _reschedule(variation: Variation, agreement: Agreement) -> None:
    """The instalments not yet decided become the variation's schedule: each kept row takes the
    next of the new instalments (so that what refers to it still does), the rest are added, and
    any left over are removed."""
    waiting = list(
        PaymentInstalment.objects.select_for_update()
        .filter(agreement=agreement, status=InstalmentStatus.SCHEDULED)
        .order_by("sequence")
    )
    schedule = list(variation.instalments.order_by("due_date", "pk"))
    next_sequence = (
        PaymentInstalment.objects.filter(agreement=agreement).aggregate(n=Max("sequence"))["n"] or 0
    ) + 1
    for index, planned in enumerate(schedule):
        values = {
            "amount": planned.amount,
            "due_date": planned.due_date,
            "financial_year": periods.financial_year_of(planned.due_date),
            "depends_on_period": planned.depends_on_period,
        }
        if index < len(waiting):
            instalment = waiting[index]
            for field, value in values.items():
                setattr(instalment, field, value)
            instalment.save(update_fields=list(values))
        else:
            PaymentInstalment.objects.create(agreement=agreement, sequence=next_sequence, **values)
            next_sequence += 1
    for instalment in waiting[len(schedule) :]:
        instalment.delete()


def _instalments_of(variation: Variation) -> list[dict]:
    return [
        {
            "due_date": planned.due_date,
            "amount": planned.amount,
            "depends_on_period": planned.depends_on_period,
        }
        for planned in variation.instalments.all()
    ]


def check_variation(
    variation: Variation,
    instalments: list[dict],
    indicators: "IndicatorChanges | None" = None,
    *,
    complete: bool,
    budget: list[dict] | None = None,
) -> None:
    """Refuse a variation that does not fit the agreement as it stands, each reason beside the
    field it is about. A draft may be incomplete (`complete=False`); one sent for approval,
    approved or accepted must say why and from when, and change something."""
    agreement = variation.agreement
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    end_date = variation.new_end_date or agreement.end_date
    if complete and not variation.reason.strip():
        refuse("reason", _("Say why the terms change"))
    indicators = indicators or IndicatorChanges()
    if complete and not (
        variation.new_end_date
        or variation.new_total_allocation is not None
        or variation.new_lead_officer_id
        or variation.new_reporting_frequency
        or variation.changes_instalments
        or indicators.any
        or budget
    ):
        refuse(NON_FIELD_ERRORS, _("A variation changes something: say what changes"))
    period = variation.takes_effect_from
    if period is None:
        if complete:
            refuse(
                "takes_effect_from",
                _("Choose the reporting period the variation takes effect from"),
            )
    else:
        if not (agreement.start_date <= period.start_date and period.end_date <= end_date):
            refuse("takes_effect_from", _("Choose a reporting period within the agreement"))
        approved = (
            QuarterlyReturn.objects.filter(
                agreement=agreement,
                status=ReturnStatus.APPROVED,
                period__start_date__gte=period.start_date,
            )
            .select_related("period")
            .order_by("period__start_date")
            .first()
        )
        if approved and not variation.past_approved_returns_acknowledged:
            refuse(
                "takes_effect_from",
                _(
                    "The return for %(period)s is already approved: tick the box to say the "
                    "variation also applies to it, or choose a later period"
                )
                % {"period": approved.period},
            )
    if variation.new_end_date:
        if variation.new_end_date <= agreement.start_date:
            refuse("new_end_date", _("The agreement must end after it starts"))
        submitted = (
            QuarterlyReturn.objects.filter(agreement=agreement)
            .exclude(status=ReturnStatus.DRAFT)
            .select_related("period")
            .order_by("-period__end_date")
            .first()
        )
        if submitted and variation.new_end_date < submitted.period.end_date:
            refuse(
                "new_end_date",
                _(
                    "The agreement cannot end before %(day)s: its return for %(period)s is "
                    "already submitted"
                )
                % {"day": date_format(submitted.period.end_date), "period": submitted.period},
            )
    if variation.new_lead_officer_id:
        trial = Agreement(
            funder=agreement.funder,
            lead_officer=variation.new_lead_officer,
            start_date=agreement.start_date,
            end_date=agreement.end_date,
        )
        try:
            trial.validate_lead_officer()
        except ValidationError as error:
            for message in error.message_dict.get("lead_officer", []):
                refuse("new_lead_officer", message)
    if variation.new_reporting_frequency:
        _check_frequency(variation, instalments, agreement, end_date, refuse)
    elif variation.changes_instalments:
        trial = Agreement(
            start_date=agreement.start_date,
            end_date=end_date,
            reporting_frequency=agreement.reporting_frequency,
            reporting_frequency_from=agreement.reporting_frequency_from,
            earlier_reporting_frequency=agreement.earlier_reporting_frequency,
        )
        _check_waits_for(instalments, trial, refuse)
    _check_money(variation, instalments, agreement, end_date, refuse, complete=complete)
    _check_indicators(variation, indicators, agreement, end_date, refuse)
    _check_budget(variation, budget or [], agreement, end_date, refuse)
    if errors:
        raise ValidationError(errors)


def _check_frequency(variation, instalments, agreement, end_date, refuse) -> None:
    """A new reporting frequency applies from a quarter no return has been started for (those
    made stay as they are), and every instalment still waiting then waits for a return the
    agreement makes at it."""
    period = variation.takes_effect_from
    if period is None:
        refuse(
            "takes_effect_from",
            _("Choose the reporting period the new reporting frequency applies from"),
        )
        return
    made = (
        QuarterlyReturn.objects.filter(
            agreement=agreement, period__start_date__gte=period.start_date
        )
        .select_related("period")
        .order_by("period__start_date")
        .first()
    )
    if made is not None:
        refuse(
            "new_reporting_frequency",
            _(
                "A return for %(period)s has already been started: choose a later period for "
                "the new reporting frequency to apply from"
            )
            % {"period": made.period},
        )
    trial = Agreement(
        start_date=agreement.start_date,
        end_date=end_date,
        reporting_frequency=variation.new_reporting_frequency,
        reporting_frequency_from=period.start_date,
        earlier_reporting_frequency=agreement.frequency_in(period),
    )
    if not variation.changes_instalments:
        waiting = PaymentInstalment.objects.filter(
            agreement=agreement, status=InstalmentStatus.SCHEDULED
        ).select_related("depends_on_period")
        if any(
            i.depends_on_period is not None and not trial.reports_in(i.depends_on_period)
            for i in waiting
        ):
            refuse(
                "new_reporting_frequency",
                _(
                    "An instalment waits for a return the agreement would no longer make: set "
                    "a new schedule of the instalments with it"
                ),
            )
    _check_waits_for(instalments, trial, refuse)


def _check_waits_for(instalments, agreement: Agreement, refuse) -> None:
    """Each instalment of a new schedule waits, if at all, for a quarter the agreement (as the
    variation leaves it) reports in."""
    for item in instalments:
        waited = item.get("depends_on_period")
        if waited is not None and not agreement.reports_in(waited):
            refuse(
                "instalments",
                _(
                    "An instalment waits for the %(period)s return, which the agreement does not "
                    "make: choose a quarter it reports in"
                )
                % {"period": waited},
            )
            break


def _check_money(variation, instalments, agreement, end_date, refuse, *, complete) -> None:
    allocation = (
        variation.new_total_allocation
        if variation.new_total_allocation is not None
        else agreement.total_allocation
    )
    fund = agreement.fund
    if (
        variation.new_total_allocation is not None
        and fund is not None
        and fund.maximum_award is not None
        and variation.new_total_allocation > fund.maximum_award
    ):
        refuse(
            "new_total_allocation",
            _("%(allocation)s is more than the %(fund)s maximum award of %(maximum)s")
            % {
                "allocation": f"£{variation.new_total_allocation:,.2f}",
                "fund": fund.name,
                "maximum": f"£{fund.maximum_award:,.2f}",
            },
        )
    if variation.new_total_allocation is not None and not variation.changes_instalments:
        refuse(
            "changes_instalments",
            _("A new allocation needs a new schedule of the instalments not yet released"),
        )
        return
    if not variation.changes_instalments:
        return
    decided = PaymentInstalment.objects.filter(agreement=agreement).exclude(
        status=InstalmentStatus.SCHEDULED
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    planned = sum((Decimal(item["amount"]) for item in instalments), Decimal(0))
    for item in instalments:
        if not (agreement.start_date <= item["due_date"] <= end_date):
            refuse(
                "instalments",
                _("Each instalment falls due within the agreement, by %(day)s")
                % {"day": date_format(end_date)},
            )
            break
    if (complete or instalments) and decided + planned != allocation:
        refuse(
            "instalments",
            _(
                "The instalments add up to %(total)s with the %(decided)s already released or "
                "withheld, but the allocation is %(allocation)s: they must add up to it"
            )
            % {
                "total": f"£{decided + planned:,.2f}",
                "decided": f"£{decided:,.2f}",
                "allocation": f"£{allocation:,.2f}",
            },
        )


def _check_indicators(variation, changes: IndicatorChanges, agreement, end_date, refuse) -> None:
    period = variation.takes_effect_from
    years = range(
        periods.financial_year_of(agreement.start_date), periods.financial_year_of(end_date) + 1
    )
    for target in changes.targets:
        indicator, year = target["indicator"], target["financial_year"]
        label = _("Indicator %(code)s, %(year)s") % {
            "code": indicator.code,
            "year": periods.financial_year_label(year),
        }
        if indicator.agreement_id != agreement.pk:
            refuse("targets", _("Choose an indicator of this agreement"))
            continue
        if year not in years:
            refuse(
                "targets", _("%(label)s: the year is not one of the agreement's") % {"label": label}
            )
        elif period is not None and year < period.financial_year:
            refuse(
                "targets",
                _("%(label)s: the year ended before the variation takes effect in %(period)s")
                % {"label": label, "period": period},
            )
        profile = tuple(target[q] for q in ("q1", "q2", "q3", "q4"))
        for problem in target_errors(
            indicator, target["target"], None if None in profile else profile
        ):
            refuse("targets", f"{label}: {problem}")
    if changes.retire and period is not None:
        answered = (
            IndicatorAnswer.objects.filter(
                indicator__in=changes.retire,
                quarterly_return__status=ReturnStatus.DRAFT,
                quarterly_return__period__start_date__gte=period.start_date,
            )
            .exclude(actual_value__isnull=True, achieved__isnull=True, narrative="")
            .select_related("indicator", "quarterly_return__period")
            .order_by("indicator__order")
        )
        for answer in answered:
            refuse(
                "retire_indicators",
                _(
                    "Indicator %(code)s is answered in the draft return for %(period)s: it cannot "
                    "be retired from %(from)s while that answer stands"
                )
                % {
                    "code": answer.indicator.code,
                    "period": answer.quarterly_return.period,
                    "from": period,
                },
            )
    # Codes are compared as people read them: "A" is the indicator "a" already has.
    codes = {
        code.casefold()
        for code in PerformanceIndicator.objects.filter(agreement=agreement).values_list(
            "code", flat=True
        )
    }
    new_codes: set[str] = set()
    for added in changes.added:
        code = added["code"].strip().casefold()
        if code in codes:
            refuse(
                "new_indicators",
                _("The agreement already has an indicator %(code)s: give the new one another code")
                % {"code": added["code"]},
            )
            continue
        if code in new_codes:
            refuse(
                "new_indicators",
                _("Two new indicators have the code %(code)s: give each its own")
                % {"code": added["code"]},
            )
            continue
        new_codes.add(code)
        trial = PerformanceIndicator(agreement=agreement, **added)
        try:
            trial.full_clean(exclude=["agreement", "order", "amber_tolerance"])
        except ValidationError as error:
            for messages in error.message_dict.values():
                for message in messages:
                    refuse(
                        "new_indicators",
                        _("New indicator %(code)s: %(problem)s")
                        % {"code": added["code"], "problem": message},
                    )


# The largest amount a budget line holds: 9,999,999,999.99.
_LINE_AMOUNT = VariationBudgetLine._meta.get_field("amount")
LARGEST_LINE = Decimal(10) ** (_LINE_AMOUNT.max_digits - _LINE_AMOUNT.decimal_places) - PENNY


def _amount_problem(amount) -> str | None:
    """Why a budget line's amount is not an amount of money the line can hold, if it is not."""
    biggest = f"£{LARGEST_LINE:,.2f}"
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int, str)):
        return _("enter its amount in pounds, like 1250.50")
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        return _("enter its amount in pounds, like 1250.50")
    if not value.is_finite():
        return _("enter its amount in pounds, like 1250.50")
    if value < 0:
        return _("the amount cannot be less than £0")
    if value > LARGEST_LINE:
        return _("enter an amount no bigger than %(biggest)s") % {"biggest": biggest}
    if value != value.quantize(PENNY):
        return _("give the amount in pounds and pence, to 2 decimal places")
    return None


def _check_budget(variation, budget: list[dict], agreement, end_date, refuse) -> None:
    """Each line of a year the variation sets is for a year of the agreement not over before
    the variation takes effect, under a heading of the council, with an amount of money; and a
    line a return has given spend against is given again (its amount may change), so that the
    spend keeps its line."""
    if not budget:
        return
    period = variation.takes_effect_from
    years = range(
        periods.financial_year_of(agreement.start_date), periods.financial_year_of(end_date) + 1
    )
    headings = {h.pk: h for h in BudgetHeading.objects.filter(council_id=agreement.funder_id)}

    def named(line: dict) -> str:
        own = headings.get(_heading_id(line.get("own_heading")))
        kind = line.get("heading")
        if kind == BudgetHeadingKind.OWN:
            heading = own.name if own is not None else str(BudgetHeadingKind.OWN.label)
        elif kind in BudgetHeadingKind.values:
            heading = str(BudgetHeadingKind(kind).label)
        else:
            heading = _("A line")
        label = (line.get("label") or "").strip()
        return f"{heading}: {label}" if label else heading

    set_years = set()
    for line in budget:
        year = line.get("financial_year")
        label = _("Budget line %(line)s, %(year)s") % {
            "line": named(line),
            "year": periods.financial_year_label(year) if isinstance(year, int) else "—",
        }
        if year not in years:
            refuse(
                "budget_lines",
                _("%(label)s: the year is not one of the agreement's") % {"label": label},
            )
        elif period is not None and year < period.financial_year:
            refuse(
                "budget_lines",
                _("%(label)s: the year ended before the variation takes effect in %(period)s")
                % {"label": label, "period": period},
            )
        else:
            set_years.add(year)
        kind = line.get("heading")
        if kind not in BudgetHeadingKind.values:
            refuse("budget_lines", _("%(label)s: choose a heading") % {"label": label})
        elif kind == BudgetHeadingKind.OWN and _heading_id(line.get("own_heading")) not in headings:
            refuse(
                "budget_lines",
                _("%(label)s: choose one of the council's own headings") % {"label": label},
            )
        problem = _amount_problem(line.get("amount"))
        if problem:
            refuse("budget_lines", f"{label}: {problem}")
    spent = set(
        SpendAnswer.objects.filter(
            budget_line__agreement=agreement, budget_line__financial_year__in=set_years
        ).values_list("budget_line_id", flat=True)
    )
    if not spent:
        return
    held = list(
        BudgetLine.objects.filter(agreement=agreement, financial_year__in=set_years)
        .select_related("own_heading")
        .order_by("order", "pk")
    )
    for year in sorted(set_years):
        of_year = [h for h in held if h.financial_year == year]
        given = [line for line in budget if line.get("financial_year") == year]
        _pairs, removed = _match_lines(of_year, given)
        for line in removed:
            if line.pk in spent:
                refuse(
                    "budget_lines",
                    _(
                        "A return has given spend against %(line)s in %(year)s, so the year's "
                        "budget keeps it: give it a line here, with the same heading and label "
                        "(its amount may change)"
                    )
                    % {"line": line.name, "year": periods.financial_year_label(year)},
                )
