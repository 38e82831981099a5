"""Reads of the grants domain: scoped to the user, joined once, a fixed number of queries.

One module per topic, named as its services are (`grants.services`): returns (a return as its
pages show it), queues (the provider's quarters and the lead officer's review queue), results
(indicator results), agreements, funds, payments, meetings, imports, beneficiaries (who the
grants reach) and diversity. Every public name is imported here too, so that callers write
`selectors.return_detail`."""

from grants.selectors.agreements import (
    agreement_for_editing,
    agreement_specification,
    answered_indicators,
)
from grants.selectors.beneficiaries import (
    CouncilReach,
    DeliveredReach,
    Reach,
    beneficiary_reach,
    beneficiary_section,
    delivered_reach,
    returns_reach,
    years_with_figures,
)
from grants.selectors.conversations import (
    agreement_messages,
    flag_with_thread,
    latest_agreement_messages,
)
from grants.selectors.diversity import diversity_answers
from grants.selectors.funds import fund_awards, funds_with_totals
from grants.selectors.imports import agreement_import_history, agreements_workbook
from grants.selectors.meetings import meeting_of
from grants.selectors.payments import (
    WAITING_RETURN,
    AgreementPayments,
    Dependency,
    InstalmentRow,
    agreement_payments,
    instalment_dependency,
    instalment_rows,
    instalments_waiting_on,
    waiting_message,
)
from grants.selectors.questions import QuestionRow, answer_text, question_rows
from grants.selectors.queues import (
    RETURN_EXPORT_HEADERS,
    AgreementOverview,
    PeriodRow,
    provider_overview,
    return_export_rows,
    review_queue,
)
from grants.selectors.results import (
    RESULT_EXPORT_HEADERS,
    ResultRow,
    indicator_results,
    latest_approved_results,
    result_export_rows,
)
from grants.selectors.returns import (
    CHANGE_REQUESTED,
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    SNAPSHOT_FIELDS,
    YES_NO,
    Achievement,
    EarlierAnswer,
    HistoryEvent,
    IndicatorRow,
    RequirementRow,
    ReturnDetail,
    SubmissionDetail,
    SubmittedAnswer,
    answers_snapshot,
    beneficiaries_shown,
    milestone_achievements,
    return_detail,
    submission_detail,
)
from grants.selectors.variations import (
    TermRow,
    agreement_variations,
    agreement_versions,
    compare_terms,
    terms_of,
    variation_changes,
    variation_detail,
)

__all__ = [
    "CHANGE_REQUESTED",
    "COMPLETED",
    "IN_PROGRESS",
    "NOT_STARTED",
    "RESULT_EXPORT_HEADERS",
    "RETURN_EXPORT_HEADERS",
    "SNAPSHOT_FIELDS",
    "WAITING_RETURN",
    "YES_NO",
    "Achievement",
    "AgreementOverview",
    "AgreementPayments",
    "CouncilReach",
    "DeliveredReach",
    "Dependency",
    "EarlierAnswer",
    "HistoryEvent",
    "IndicatorRow",
    "InstalmentRow",
    "PeriodRow",
    "QuestionRow",
    "Reach",
    "RequirementRow",
    "ResultRow",
    "ReturnDetail",
    "SubmissionDetail",
    "SubmittedAnswer",
    "TermRow",
    "agreement_for_editing",
    "agreement_import_history",
    "agreement_messages",
    "agreement_payments",
    "agreement_specification",
    "agreement_variations",
    "agreement_versions",
    "agreements_workbook",
    "answer_text",
    "answered_indicators",
    "answers_snapshot",
    "beneficiaries_shown",
    "beneficiary_reach",
    "beneficiary_section",
    "compare_terms",
    "delivered_reach",
    "diversity_answers",
    "flag_with_thread",
    "fund_awards",
    "funds_with_totals",
    "indicator_results",
    "instalment_dependency",
    "instalment_rows",
    "instalments_waiting_on",
    "latest_agreement_messages",
    "latest_approved_results",
    "meeting_of",
    "milestone_achievements",
    "provider_overview",
    "question_rows",
    "result_export_rows",
    "return_detail",
    "return_export_rows",
    "returns_reach",
    "review_queue",
    "submission_detail",
    "terms_of",
    "variation_changes",
    "variation_detail",
    "waiting_message",
    "years_with_figures",
]
