"""Indicator results: every reported answer, with the year's total so far, and the columns of
their export."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from grants import figures, permissions
from grants.filters import ResultFilter
from grants.models import IndicatorAnswer, QuarterlyReturn, targets_prefetch
from grants.rag import Measure, Rag, rag_status
from grants.selectors.returns import YES_NO


@dataclass
class ResultRow:
    """An answer read with `with_year_to_date()`, and its RAG."""

    answer: IndicatorAnswer

    @cached_property
    def rag(self) -> Rag | None:
        answer, period = self.answer, self.answer.quarterly_return.period
        return rag_status(
            self.measure,
            quarter=period.quarter,
            first_quarter=self.first_quarter,
            actual=answer.actual_value,
            year_to_date=self.year_to_date,
            achieved=answer.achieved,
            narrative=answer.narrative,
        )

    @cached_property
    def first_quarter(self) -> int:
        """The first quarter of the year the answer's return covers."""
        quarterly_return = self.answer.quarterly_return
        return quarterly_return.agreement.first_quarter_covered(quarterly_return.period)

    @cached_property
    def measure(self) -> Measure:
        """The target in force in the answer's quarter."""
        return self.answer.indicator.measure_for(self.answer.quarterly_return.period)

    @property
    def year_to_date(self) -> Decimal | None:
        return self.answer.year_to_date if self.answer.indicator.is_cumulative else None

    @property
    def expected_to_date(self) -> Decimal | None:
        return figures.expected_by(
            self.measure, self.answer.quarterly_return.period.quarter, self.first_quarter
        )


class StoredResult(ResultRow):
    """An answer's result as `grants.stored` keeps it: its RAG, year to date and the target it
    was judged against are read from the answer, not worked out again."""

    def __init__(self, answer: IndicatorAnswer):
        super().__init__(answer)
        answer.year_to_date = answer.year_total

    @cached_property
    def rag(self) -> Rag | None:
        return Rag(self.answer.rag) if self.answer.rag else None

    @property
    def expected_to_date(self) -> Decimal | None:
        return self.answer.judged_target


def indicator_results(user, data) -> tuple:
    """Answers of submitted and approved returns the user may see, newest quarter first."""
    answers = (
        IndicatorAnswer.objects.reported()
        .filter(quarterly_return__in=permissions.visible_returns(user).values("pk"))
        .select_related(
            "indicator",
            "quarterly_return__period",
            "quarterly_return__agreement__provider",
            "quarterly_return__agreement__fund",
        )
        .prefetch_related(targets_prefetch("indicator__"))
        .with_year_to_date()
    )
    filterset = ResultFilter(data, queryset=answers, user=user)
    rows = filterset.qs.order_by(
        "-quarterly_return__period__financial_year",
        "-quarterly_return__period__quarter",
        "quarterly_return__agreement__reference",
        "indicator__order",
        "indicator__code",
    )
    return filterset, [ResultRow(answer) for answer in rows]


def latest_approved_results(indicators) -> list[ResultRow]:
    """For each performance indicator, its latest answer in an approved return, with RAG."""
    answers = (
        IndicatorAnswer.objects.filter(
            indicator__in=indicators, quarterly_return__status=QuarterlyReturn.Status.APPROVED
        )
        .select_related(
            "indicator", "quarterly_return__period", "quarterly_return__agreement__provider"
        )
        .prefetch_related(targets_prefetch("indicator__"))
        .order_by(
            "indicator_id",
            "-quarterly_return__period__financial_year",
            "-quarterly_return__period__quarter",
        )
        .with_year_to_date()
    )
    latest: dict[int, IndicatorAnswer] = {}
    for answer in answers:
        latest.setdefault(answer.indicator_id, answer)
    return [ResultRow(answer) for answer in latest.values()]


RESULT_EXPORT_HEADERS = [
    _("Quarter"),
    _("Agreement"),
    _("Provider"),
    _("Indicator"),
    _("Wording"),
    _("Measure"),
    _("Target"),
    _("Target period"),
    _("Target to date"),
    _("Actual"),
    _("Achieved"),
    _("Year to date"),
    _("RAG"),
    _("Narrative"),
    _("Return status"),
]


def result_export_rows(rows: Iterable[ResultRow]) -> Iterable[list]:
    """The rows under `RESULT_EXPORT_HEADERS`, for the rows of `indicator_results`."""
    for row in rows:
        answer = row.answer
        indicator, qr = answer.indicator, answer.quarterly_return
        rag = row.rag
        measure = indicator.measure_type
        yield [
            str(qr.period),
            qr.agreement.reference,
            qr.agreement.provider.name,
            indicator.code,
            indicator.wording,
            indicator.get_measure_type_display(),
            figures.figure(measure, row.measure.target),
            indicator.get_target_period_display(),
            figures.figure(measure, row.expected_to_date),
            figures.figure(measure, answer.actual_value),
            YES_NO[answer.achieved],
            figures.figure(measure, row.year_to_date),
            rag.label if rag else "",
            answer.narrative,
            qr.get_status_display(),
        ]
