"""Every write to the grants domain goes through a function of this package, one module per
concern: agreements (quarters and payment schedule), returns, corrections to approved returns,
payments, meetings, reminders, providers (adding one) and providers' own diversity."""

from grants.services.agreements import (
    create_agreement,
    create_instalment_schedule,
    edit_agreement,
    ensure_reporting_periods,
    set_up_agreement,
)
from grants.services.budgets import set_budget_lines, year_allocation
from grants.services.conversations import FlagStateError, resolve_flag, send_message
from grants.services.corrections import (
    CorrectionStateError,
    StaleCorrectionError,
    approve_correction,
    decline_correction,
    propose_correction,
    withdraw_correction,
)
from grants.services.diversity import record_diversity
from grants.services.imports import check_import as check_agreement_import
from grants.services.imports import import_agreements
from grants.services.imports import undo_import as undo_agreement_import
from grants.services.meetings import change_meeting, delete_meeting, record_meeting
from grants.services.payments import (
    authorise_release,
    create_payment_run,
    mark_run_paid,
    reject_release,
    release_instalment,
    reverse_payment_run,
    set_finance_signoff_threshold,
    set_payment_columns,
    withhold_instalment,
)
from grants.services.providers import DuplicateProviderError, add_provider
from grants.services.publication import set_published
from grants.services.questions import (
    QuestionChange,
    StaleQuestionsError,
    questions_version,
    save_question_answers,
    set_fund_questions,
)
from grants.services.reminders import send_reminders
from grants.services.returns import (
    BENEFICIARIES,
    IncompleteReturnError,
    InKindAnswer,
    LeftAsFlaggedError,
    Problem,
    ReturnStateError,
    StaleReturnError,
    approve_return,
    missing_answers,
    remove_evidence,
    request_changes,
    save_beneficiary_figures,
    save_indicator_answer,
    save_requirement_answers,
    save_spend_answers,
    save_support_answers,
    start_return,
    submit_return,
)

__all__ = [
    "BENEFICIARIES",
    "CorrectionStateError",
    "DuplicateProviderError",
    "FlagStateError",
    "InKindAnswer",
    "IncompleteReturnError",
    "LeftAsFlaggedError",
    "Problem",
    "QuestionChange",
    "ReturnStateError",
    "StaleCorrectionError",
    "StaleQuestionsError",
    "StaleReturnError",
    "add_provider",
    "approve_correction",
    "approve_return",
    "authorise_release",
    "change_meeting",
    "check_agreement_import",
    "create_agreement",
    "create_instalment_schedule",
    "create_payment_run",
    "decline_correction",
    "delete_meeting",
    "edit_agreement",
    "ensure_reporting_periods",
    "import_agreements",
    "mark_run_paid",
    "missing_answers",
    "propose_correction",
    "questions_version",
    "record_diversity",
    "record_meeting",
    "reject_release",
    "release_instalment",
    "remove_evidence",
    "request_changes",
    "resolve_flag",
    "reverse_payment_run",
    "save_beneficiary_figures",
    "save_indicator_answer",
    "save_question_answers",
    "save_requirement_answers",
    "save_spend_answers",
    "save_support_answers",
    "send_message",
    "send_reminders",
    "set_budget_lines",
    "set_finance_signoff_threshold",
    "set_fund_questions",
    "set_payment_columns",
    "set_published",
    "set_up_agreement",
    "start_return",
    "submit_return",
    "undo_agreement_import",
    "withdraw_correction",
    "withhold_instalment",
    "year_allocation",
]
