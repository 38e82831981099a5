"""A return's section of added value and support in kind, as its pages show it: one row per
added-value statement and per kind of in-kind support of the agreement, each with its answer (a
blank, unsaved one until answered), and the year's totals of support in kind on the agreement
page."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from grants.models import (
    AddedValue,
    AddedValueEvidence,
    AnswerFlag,
    EvidenceFile,
    InKindContribution,
    InKindUse,
    QuarterlyReturn,
)
from grants.models.returns import REPORTED

SECTION = gettext_lazy("Added value and support in kind")
NOT_STARTED = gettext_noop("Not started")
COMPLETED = gettext_noop("Completed")
CHANGE_REQUESTED = gettext_noop("Change requested")


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


@dataclass
class AddedValueRow:
    """One added-value statement and the quarter's evidence of it. `statement` is None for an
    answer whose statement has since been removed from the agreement."""

    statement: AddedValue | None
    answer: AddedValueEvidence
    previous: dict = field(default_factory=dict)
    flag: AnswerFlag | None = None
    # Whether the answer shows the wording it was given against rather than the agreement's
    # current wording: once its return has left the provider's hands.
    kept: bool = False

    @property
    def key(self) -> str:
        if self.statement is None:
            return f"added_value_evidence:{self.answer.pk}"
        return f"added_value:{self.statement.pk}"

    @property
    def anchor(self) -> str:
        return self.key.replace(":", "-").replace("_", "-")

    @property
    def numeral(self) -> str:
        if (self.kept or self.statement is None) and self.answer.pk:
            return self.answer.numeral
        return self.statement.numeral

    @property
    def wording(self) -> str:
        if (self.kept or self.statement is None) and self.answer.pk:
            return self.answer.statement
        return self.statement.text

    @property
    def label(self) -> str:
        return gettext("Added value %(numeral)s") % {"numeral": self.numeral}

    @property
    def evidence(self) -> list[EvidenceFile]:
        return list(self.answer.evidence_files.all()) if self.answer.pk else []

    def snapshot(self) -> dict:
        return {
            "label": self.label,
            "values": {
                "statement": self.wording,
                "narrative": self.answer.narrative,
                "evidence": sorted(e.original_name for e in self.evidence),
            },
        }


@dataclass
class InKindRow:
    """One kind of the council's support in kind and what of it the quarter used."""

    contribution: InKindContribution | None
    answer: InKindUse
    position: int
    previous: dict = field(default_factory=dict)
    flag: AnswerFlag | None = None
    kept: bool = False

    @property
    def key(self) -> str:
        if self.contribution is None:
            return f"in_kind_use:{self.answer.pk}"
        return f"in_kind:{self.contribution.pk}"

    @property
    def anchor(self) -> str:
        return self.key.replace(":", "-").replace("_", "-")

    @property
    def wording(self) -> str:
        if (self.kept or self.contribution is None) and self.answer.pk:
            return self.answer.description
        return self.contribution.description

    @property
    def label(self) -> str:
        return gettext("Support in kind %(number)s") % {"number": self.position}

    def snapshot(self) -> dict:
        answer = self.answer
        return {
            "label": self.label,
            "values": {
                "contribution": self.wording,
                "used": answer.used,
                "quantity": _number(answer.quantity),
                "value": _money(answer.value),
            },
        }


@dataclass
class SupportSection:
    added_value_rows: list[AddedValueRow]
    in_kind_rows: list[InKindRow]

    @property
    def rows(self) -> list["AddedValueRow | InKindRow"]:
        return [*self.added_value_rows, *self.in_kind_rows]

    @property
    def asked(self) -> bool:
        return bool(self.rows)

    @property
    def flagged(self) -> list["AddedValueRow | InKindRow"]:
        return [row for row in self.rows if row.flag and row.flag.is_open]

    @property
    def status(self) -> str:
        """Every answer is optional: the section is complete once the provider has saved it."""
        if self.flagged:
            return CHANGE_REQUESTED
        return COMPLETED if any(row.answer.pk for row in self.rows) else NOT_STARTED

    @property
    def in_kind_total(self) -> Decimal:
        return sum((r.answer.value or Decimal(0) for r in self.in_kind_rows), Decimal("0.00"))


def support_section(quarterly_return: QuarterlyReturn) -> SupportSection:
    """The section's rows in the order the agreement lists them, then any answers whose statement
    or contribution has since been removed. Four queries."""
    kept = not quarterly_return.awaits_submission
    evidence = Prefetch("evidence_files", queryset=EvidenceFile.objects.order_by("uploaded_at"))
    evidence_answers = list(
        AddedValueEvidence.objects.filter(quarterly_return=quarterly_return).prefetch_related(
            evidence
        )
    )
    by_statement = {a.added_value_id: a for a in evidence_answers if a.added_value_id}
    statements = AddedValue.objects.filter(agreement_id=quarterly_return.agreement_id)
    added = [
        AddedValueRow(s, by_statement.get(s.pk) or AddedValueEvidence(added_value=s), kept=kept)
        for s in statements
    ]
    added += [
        AddedValueRow(None, a, kept=True) for a in evidence_answers if a.added_value_id is None
    ]
    uses = list(InKindUse.objects.filter(quarterly_return=quarterly_return))
    by_contribution = {u.contribution_id: u for u in uses if u.contribution_id}
    contributions = InKindContribution.objects.filter(agreement_id=quarterly_return.agreement_id)
    in_kind = [
        InKindRow(c, by_contribution.get(c.pk) or InKindUse(contribution=c), 0, kept=kept)
        for c in contributions
    ]
    in_kind += [InKindRow(None, u, 0, kept=True) for u in uses if u.contribution_id is None]
    for position, row in enumerate(in_kind, start=1):
        row.position = position
    return SupportSection(added, in_kind)


# The agreement's year -----------------------------------------------------------------------


@dataclass(frozen=True)
class InKindYearLine:
    description: str
    used: list[str]
    value: Decimal


@dataclass
class SupportYear:
    """The support in kind reported in a financial year's submitted and approved returns, by
    contribution, and the whole value of the council's support: the year's allocation and it."""

    lines: list[InKindYearLine]
    allocation: Decimal

    @property
    def in_kind_total(self) -> Decimal:
        return sum((line.value for line in self.lines), Decimal("0.00"))

    @property
    def whole_value(self) -> Decimal:
        return self.allocation + self.in_kind_total


def support_year(agreement, financial_year: int, *, allocation: Decimal) -> SupportYear:
    """Two queries: the agreement's contributions, and the year's reported uses grouped."""
    contributions = list(InKindContribution.objects.filter(agreement=agreement))
    reported = InKindUse.objects.filter(
        quarterly_return__agreement=agreement,
        quarterly_return__period__financial_year=financial_year,
        quarterly_return__status__in=REPORTED,
    )
    totals: dict[int | None, Decimal] = defaultdict(lambda: Decimal("0.00"))
    used: dict[int | None, list[str]] = defaultdict(list)
    removed: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for contribution_id, description, what, value in reported.order_by(
        "quarterly_return__period__quarter", "pk"
    ).values_list("contribution_id", "description", "used", "value"):
        if contribution_id is None:
            removed[description] += value or 0
            continue
        totals[contribution_id] += value or 0
        if what:
            used[contribution_id].append(what)
    lines = [InKindYearLine(c.description, used[c.pk], totals[c.pk]) for c in contributions]
    lines += [InKindYearLine(text, [], value) for text, value in removed.items()]
    return SupportYear(lines, allocation)
