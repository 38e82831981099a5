"""What each grants write changes, for the parts of pages kept by version (`sla_monitor.versions`).

One table: each model whose saves and deletes change what the dashboard, an agreement's page
or a return's page shows, with what a row belongs to. A row of a return moves the return, its
agreement and the council that funds it; a row of an agreement moves the agreement and its
council; a fund's row moves its council and every agreement of the fund; a payment run moves its
council and the agreements of its instalments. Quarters, organisations and people's names are
shown across councils: they move the whole site's version.

Left out, as they change nothing these parts show or are written by reads: reminders sent,
payment columns, providers' diversity, files attached to messages, and every row of the core
written on reading (sessions, sign-ins, kept chart drawings, API tokens' last use, audit log
entries, notifications).
"""

from collections.abc import Iterable

from grants.models import (
    AddedValue,
    AddedValueEvidence,
    Agreement,
    AgreementObjective,
    AgreementTerms,
    AnswerFlag,
    BeneficiaryFigures,
    BudgetHeading,
    BudgetLine,
    EvidenceFile,
    Fund,
    FundQuestion,
    FundTheme,
    IndicatorAnswer,
    IndicatorTarget,
    InKindContribution,
    InKindUse,
    InstalmentTransition,
    Message,
    MinimumRequirement,
    MonitoringMeeting,
    PaymentInstalment,
    PaymentRun,
    PaymentRunLine,
    PerformanceIndicator,
    QuarterlyReturn,
    QuestionAnswer,
    ReportingPeriod,
    RequirementAnswer,
    ReturnCorrection,
    ReturnSubmission,
    ReturnTransition,
    SpendAnswer,
    Variation,
)
from sla_monitor import versions
from sla_monitor.models import Organisation, User


def of_return(row) -> list[str]:
    return [versions.quarterly_return(row.quarterly_return_id)]


def of_agreement(row) -> list[str]:
    return [versions.agreement(row.agreement_id)]


def of_site(row) -> list[str]:
    return [versions.SITE]


def every_agreement_of(council_pk: int) -> str:
    """A council's grants and every agreement it funds: for a write that touches many of them
    at once (an import)."""
    return f"council_agreements:{council_pk}"


def _return_itself(row: QuarterlyReturn) -> list[str]:
    # Named directly as well: once a return is deleted its agreement cannot be read from it.
    return [versions.quarterly_return(row.pk), versions.agreement(row.agreement_id)]


def _agreement_itself(row: Agreement) -> list[str]:
    return [versions.agreement(row.pk), versions.council(row.funder_id)]


def _of_message(row: Message) -> list[str]:
    # Messages about a return are shown beside its flagged answers; the agreement's own
    # conversation is drawn afresh on each request.
    return [versions.quarterly_return(row.quarterly_return_id)] if row.quarterly_return_id else []


def _of_question(row: FundQuestion) -> list[str]:
    if row.agreement_id:
        return [versions.agreement(row.agreement_id)]
    return [f"fund:{row.fund_id}"]


WATCHED = {
    # A return's rows.
    IndicatorAnswer: of_return,
    RequirementAnswer: of_return,
    EvidenceFile: of_return,
    ReturnTransition: of_return,
    ReturnSubmission: of_return,
    BeneficiaryFigures: of_return,
    SpendAnswer: of_return,
    AnswerFlag: of_return,
    ReturnCorrection: of_return,
    QuestionAnswer: of_return,
    AddedValueEvidence: of_return,
    InKindUse: of_return,
    QuarterlyReturn: _return_itself,
    Message: _of_message,
    # An agreement's rows.
    Agreement: _agreement_itself,
    AgreementObjective: of_agreement,
    MinimumRequirement: of_agreement,
    InKindContribution: of_agreement,
    AddedValue: of_agreement,
    PerformanceIndicator: of_agreement,
    IndicatorTarget: lambda row: [f"indicator:{row.indicator_id}"],
    BudgetLine: of_agreement,
    MonitoringMeeting: of_agreement,
    PaymentInstalment: of_agreement,
    InstalmentTransition: lambda row: [f"instalment:{row.instalment_id}"],
    Variation: of_agreement,
    AgreementTerms: of_agreement,
    FundQuestion: _of_question,
    # A fund's and a payment run's.
    Fund: lambda row: [f"fund:{row.pk}", versions.council(row.council_id)],
    FundTheme: lambda row: [f"fund:{row.fund_id}"],
    PaymentRun: lambda row: [f"run:{row.pk}", versions.council(row.council_id)],
    PaymentRunLine: lambda row: [f"run:{row.run_id}"],
    # Shown across councils.
    ReportingPeriod: of_site,
    BudgetHeading: of_site,
    Organisation: of_site,
}


def _parents_of_returns(pks: list[int]) -> Iterable[str]:
    for agreement_pk, funder_pk in QuarterlyReturn.objects.filter(pk__in=pks).values_list(
        "agreement_id", "agreement__funder_id"
    ):
        yield versions.agreement(agreement_pk)
        yield versions.council(funder_pk)


def _parents_of_agreements(pks: list[int]) -> Iterable[str]:
    for funder_pk in Agreement.objects.filter(pk__in=pks).values_list("funder_id", flat=True):
        yield versions.council(funder_pk)


def _agreements(rows) -> Iterable[str]:
    for agreement_pk, funder_pk in rows:
        yield versions.agreement(agreement_pk)
        yield versions.council(funder_pk)


def register() -> None:
    for model, what in WATCHED.items():
        versions.watch(model, what)
    # A person's name is shown beside what they did; signing in saves only `last_login`.
    versions.watch(User, of_site, fields={"first_name", "last_name", "username"})
    versions.expand("return", _parents_of_returns)
    versions.expand("agreement", _parents_of_agreements)
    versions.expand(
        "indicator",
        lambda pks: _agreements(
            PerformanceIndicator.objects.filter(pk__in=pks).values_list(
                "agreement_id", "agreement__funder_id"
            )
        ),
    )
    versions.expand(
        "instalment",
        lambda pks: _agreements(
            PaymentInstalment.objects.filter(pk__in=pks).values_list(
                "agreement_id", "agreement__funder_id"
            )
        ),
    )
    versions.expand(
        "fund",
        lambda pks: _agreements(
            Agreement.objects.filter(fund_id__in=pks).values_list("pk", "funder_id")
        ),
    )
    versions.expand(
        "run",
        lambda pks: _agreements(
            PaymentInstalment.objects.filter(run_lines__run_id__in=pks)
            .values_list("agreement_id", "agreement__funder_id")
            .distinct()
        ),
    )
    versions.expand(
        "council_agreements",
        lambda pks: [
            *(versions.council(pk) for pk in pks),
            *_agreements(
                Agreement.objects.filter(funder_id__in=pks).values_list("pk", "funder_id")
            ),
        ],
    )
