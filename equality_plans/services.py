"""Every write to the equality plans goes through a function here."""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equality_plans import importing, permissions, stored, webhook_data
from equality_plans.models import (
    Action,
    ActionPlan,
    EqualityStrand,
    PopulationProfile,
    PopulationShare,
    ProgressUpdate,
    RagStatus,
    Section,
)
from sla_monitor import equality, imports, webhooks, written
from sla_monitor.models import ImportBatch, Organisation, WebhookEvent
from sla_monitor.tables import Table


@transaction.atomic
def record_progress(
    *,
    action: Action,
    by,
    financial_year: int,
    quarter: int | None,
    rag_status: str,
    narrative: str,
) -> ProgressUpdate:
    """A quarterly update on an action, or with `quarter=None` its year-end report.

    One update per quarter and one year-end report per year: a second one for the same period is
    refused, so a double submission cannot record it twice.
    """
    locked = Action.objects.select_for_update(of=("self",)).select_related("plan").get(pk=action.pk)
    if not permissions.can_update_action(by, locked):
        raise PermissionDenied(
            gettext("Only the action's owner or the plan's managers record progress.")
        )
    if rag_status not in RagStatus.values:
        raise ValidationError({"rag_status": gettext("Choose a RAG status.")})
    if not narrative.strip():
        raise ValidationError({"narrative": gettext("Describe the progress made.")})
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": gettext("Choose a quarter from 1 to 4.")})
    is_year_end = quarter is None
    update = ProgressUpdate(
        action=locked,
        financial_year=financial_year,
        quarter=quarter,
        is_year_end=is_year_end,
        rag_status=rag_status,
        narrative=narrative.strip(),
        author=by,
    )
    try:
        with transaction.atomic():
            update.save()
    except IntegrityError:
        if is_year_end:
            message = gettext(
                "%(period)s already has a year-end report for action %(number)s. Nothing was added."
            )
        else:
            message = gettext(
                "%(period)s already has an update for action %(number)s. Nothing was added."
            )
        raise ValidationError(
            message % {"period": update.period_label, "number": locked.number}
        ) from None
    stored.refresh_latest_rag([locked.pk])
    webhooks.emit(
        locked.plan.owner_id, WebhookEvent.PROGRESS_RECORDED, webhook_data.progress(update)
    )
    return update


@transaction.atomic
def correct_progress(
    *, update: ProgressUpdate, by, rag_status: str, narrative: str
) -> ProgressUpdate:
    """Its author corrects an update until the end of the quarter in which it was written (see
    `ProgressUpdate.correctable_until`); the change history keeps what it said before. Saving
    it unchanged changes nothing."""
    locked = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    if not permissions.can_correct_progress(by, locked):
        raise PermissionDenied(gettext("Only the person who wrote an update corrects it."))
    if not locked.is_correctable(timezone.localdate()):
        raise ValidationError(correction_closed_message(locked))
    if rag_status not in RagStatus.values:
        raise ValidationError({"rag_status": gettext("Choose a RAG status.")})
    if not narrative.strip():
        raise ValidationError({"narrative": gettext("Describe the progress made.")})
    if (locked.rag_status, locked.narrative) == (rag_status, narrative.strip()):
        return locked
    locked.rag_status = rag_status
    locked.narrative = narrative.strip()
    locked.corrected_at = timezone.now()
    locked.save(update_fields=["rag_status", "narrative", "corrected_at"])
    stored.refresh_latest_rag([locked.action_id])
    return locked


def correction_closed_message(update: ProgressUpdate) -> str:
    return gettext(
        "The %(period)s update can no longer be corrected: an update can be corrected until the "
        "end of the quarter in which it was written, and this one's ended on %(day)s. Say what "
        "has changed in the next quarter's update."
    ) % {"period": update.period_label, "day": date_format(update.correctable_until)}


def _plan(plan: ActionPlan, book: imports.Book) -> imports.Preview:
    return importing.preview(plan, book[importing.SHEET])


def _apply(plan: ActionPlan, preview, recorder, by, blank_fields: bool) -> None:
    _Importer(plan, by, recorder, blank_fields).apply(preview)


# A year-end report from the file is added as the importer's own, and never replaces one
# written in the app.
ACTIONS_IMPORT = imports.Importer(
    kind=importing.KIND,
    may_import=permissions.can_import_plan,
    refusal=_("Only the plan's managers and administrators import actions."),
    plan=_plan,
    apply=_apply,
)


def check_import(*, plan: ActionPlan, file_name: str, table: Table, by) -> tuple:
    """What importing the table would change; a clean check is kept for confirming."""
    book = {importing.SHEET: table}
    return imports.check(ACTIONS_IMPORT, target=plan, file_name=file_name, book=book, by=by)


def import_actions(
    *, plan: ActionPlan, batch_id: int, by, blank_fields: bool = False
) -> ImportBatch:
    """Import a checked file into the plan, all or nothing, exactly as its check showed; see
    `sla_monitor.imports.run`."""
    return imports.run(
        ACTIONS_IMPORT, target=plan, batch_id=batch_id, by=by, blank_fields=blank_fields
    )


class _Importer:
    def __init__(self, plan: ActionPlan, by, recorder: imports.Recorder, blank_fields: bool):
        self.plan, self.by, self.recorder, self.blank_fields = plan, by, recorder, blank_fields
        self.strands = {s.code: s for s in EqualityStrand.objects.all()}
        self.sections = importing.sections_by_name(plan.sections.all())
        self.actions = {a.number: a for a in plan.actions.prefetch_related("strands")}
        self.next_order = max([a.order for a in self.actions.values()] + [0]) + 1
        self.year = importing.plan_year(plan)

    def apply(self, preview) -> None:
        reported = []
        for planned in preview.rows:
            if planned.change == imports.CREATE:
                action = self._create(planned.values)
            elif planned.change == imports.UPDATE:
                action = self._update(self.actions[planned.key], planned.values)
            else:
                continue
            if planned.values.get("year_end_report"):
                self._add_report(action, planned.values)
                reported.append(action.pk)
        stored.refresh_latest_rag(reported)

    def _section(self, title: str, welsh: str = "") -> Section:
        """The plan's section named `title` in either language; a new one named in English and,
        where the file gives it, in Welsh."""
        if title not in self.sections:
            order = max([s.order for s in self.sections.values()] + [0]) + 1
            section = Section.objects.create(
                plan=self.plan,
                order=order,
                **written.in_columns(Section, {"title": title, "title_cy": welsh or None}),
            )
            self.recorder.created(section, ["plan", "title", "title_cy", "order"])
            self.sections[title] = section
        return self.sections[title]

    def _create(self, values: dict) -> Action:
        action = Action.objects.create(
            plan=self.plan,
            number=values["number"],
            order=self.next_order,
            section=self._section(values["section"], values.get("section_cy")),
            due_date=values.get("due_date"),
            **written.in_columns(
                Action, {name: values.get(name, "") for name in importing.TEXT_FIELDS}
            ),
        )
        self.next_order += 1
        action.strands.set(self.strands[code] for code in values.get("strands", []))
        self.recorder.created(action, ["number", "order", *importing.ACTION_FIELDS])
        return action

    def _update(self, action: Action, values: dict) -> Action:
        before = imports.snapshot(action, importing.ACTION_FIELDS)
        for name in [*importing.TEXT_FIELDS, "due_date"]:
            # A text kept in both languages to the column the file's column names.
            column = written.column(action, name)
            if name in values and self._may_set(getattr(action, column), values[name]):
                setattr(action, column, values[name])
        if values.get("section"):
            action.section = self._section(values["section"], values.get("section_cy"))
        # Its own fields only: the latest RAG it was read with may have moved on since.
        texts = {c for name in importing.TEXT_FIELDS for c in written.columns_of(Action, name)}
        action.save(update_fields=[*sorted(texts), "due_date", "section"])
        codes = values.get("strands")
        if codes is not None and self._may_set(list(action.strands.all()), codes):
            action.strands.set(self.strands[code] for code in codes)
        self.recorder.changed(action, before)
        return action

    def _may_set(self, current, new) -> bool:
        """A value replaces another, but blanks one only when the person said so."""
        return bool(new) or not current or self.blank_fields

    def _add_report(self, action: Action, values: dict) -> None:
        report = ProgressUpdate.objects.create(
            action=action,
            financial_year=self.year,
            quarter=None,
            is_year_end=True,
            rag_status=values["year_end_rag"],
            narrative=values["year_end_report"],
            author=self.by,
        )
        self.recorder.created(
            report, ["action", "financial_year", "is_year_end", "rag_status", "narrative"]
        )


@transaction.atomic
def undo_import(*, plan: ActionPlan, batch: ImportBatch, by) -> ImportBatch:
    """Put the plan back as it was before the import; see `sla_monitor.imports.undo`. The
    year-end reports it added go, so its actions' latest RAG is worked out again."""
    undone = imports.undo(ACTIONS_IMPORT, target=plan, batch=batch, by=by)
    stored.refresh_latest_rag(plan.actions.values_list("pk", flat=True))
    return undone


# The area's population -----------------------------------------------------------------------

Shares = Mapping[str, Mapping[str, Decimal]]  # characteristic -> category or group -> per cent


def population_errors(shares: Shares) -> dict[str, list[str]]:
    """What is wrong with a profile's shares, by characteristic: a characteristic, category or
    group the app does not know, a share that is not a percentage, or shares that do not add up
    (`sla_monitor.equality.share_errors`). Empty when nothing is."""
    errors = {}
    for code, given in shares.items():
        if code not in equality.BY_CODE:
            errors[code] = [
                gettext("There is no protected characteristic “%(code)s”.") % {"code": code}
            ]
        elif found := equality.share_errors(code, dict(given)):
            errors[code] = found
    return errors


@transaction.atomic
def record_population(
    *,
    council: Organisation,
    by,
    area: str,
    source: str,
    year: int,
    under_reach_tolerance: Decimal,
    notes: str,
    shares: Shares,
) -> PopulationProfile:
    """Record the council's area's population: its description and every share, replacing the
    shares recorded before. Shares that do not add up are refused and nothing is saved."""
    locked = Organisation.objects.select_for_update().get(pk=council.pk)
    if not permissions.can_record_population(by, locked):
        raise PermissionDenied(
            gettext("Only the council's administrators record its area's population.")
        )
    if not locked.is_council:
        raise ValidationError(gettext("Only a council has an area's population."))
    errors = population_errors(shares)
    if errors:
        raise ValidationError(errors)
    profile = PopulationProfile.objects.filter(council=locked).first() or PopulationProfile(
        council=locked
    )
    profile.area, profile.source, profile.notes = area.strip(), source.strip(), notes.strip()
    profile.year, profile.under_reach_tolerance = year, under_reach_tolerance
    profile.full_clean()
    profile.save()
    wanted = {(c, code): share for c, given in shares.items() for code, share in given.items()}
    for share in profile.shares.all():
        value = wanted.pop((share.characteristic, share.category), None)
        if value is None:
            share.delete()
        elif share.share != value:
            share.share = value
            share.save(update_fields=["share"])
    # One by one, so that the change history keeps each share.
    for (characteristic, category), value in wanted.items():
        PopulationShare.objects.create(
            profile=profile, characteristic=characteristic, category=category, share=value
        )
    return profile
