"""The grants domain's models, one module per topic, with the names `grants.services` uses:
funds, agreements (their specifications and reporting quarters), returns and corrections to
approved returns, payments, reminders, meetings, beneficiaries (who a return's service reached)
and providers' own diversity.

Every model is imported here, where Django looks for an app's models and where the rest of the
code imports them from (`from grants.models import Agreement`)."""

# isort: off
# In the order the models were declared in when they were one module: Django registers them in
# the order they are imported, and that order is the order of their related objects (which a
# cascading delete follows).
from grants.models.funds import Fund, FundTheme
from grants.models.agreements import (
    AddedValue,
    Agreement,
    AgreementObjective,
    AgreementStatus,
    Direction,
    IndicatorTarget,
    InKindContribution,
    MeasureType,
    MinimumRequirement,
    PerformanceIndicator,
    ReportingFrequency,
    ReportingPeriod,
    TargetPeriod,
    target_errors,
    targets_prefetch,
)
from grants.models.returns import (
    EvidenceFile,
    IndicatorAnswer,
    QuarterlyReturn,
    RequirementAnswer,
    ReturnDue,
    ReturnSubmission,
    ReturnTransition,
    add_year_to_date,
    evidence_upload_to,
    overdue_on,
    reported_before_quarter,
)
from grants.models.payments import (
    DEFAULT_PAYMENT_COLUMNS,
    InstalmentTransition,
    PaymentColumn,
    PaymentField,
    PaymentInstalment,
    PaymentRun,
    PaymentRunLine,
    PaymentRunStatus,
    WaitingFor,
    instalment_label,
    instalment_year_ordinal,
    schedule_shortfall,
)
from grants.models.reminders import Reminder
from grants.models.meetings import MonitoringMeeting, meeting_outside
from grants.models.beneficiaries import (
    BeneficiaryCount,
    BeneficiaryFigures,
    CharacteristicNotCollected,
)
from grants.models.diversity import OrganisationDiversity
from grants.models.conversations import AnswerFlag, Message, MessageAttachment
from grants.models.corrections import CorrectionLine, ReturnCorrection
from grants.models.variations import (
    AgreementTerms,
    Variation,
    VariationIndicator,
    VariationInstalment,
    VariationTarget,
    VariationTransition,
)
from grants.models.budgets import (
    BudgetHeading,
    BudgetHeadingKind,
    BudgetLine,
    SpendAnswer,
    VariationBudgetLine,
)
from grants.models.support import AddedValueEvidence, InKindUse
from grants.models.questions import FundQuestion, QuestionAnswer, QuestionKind

# isort: on

__all__ = [
    "DEFAULT_PAYMENT_COLUMNS",
    "AddedValue",
    "AddedValueEvidence",
    "Agreement",
    "AgreementObjective",
    "AgreementStatus",
    "AgreementTerms",
    "AnswerFlag",
    "BeneficiaryCount",
    "BeneficiaryFigures",
    "BudgetHeading",
    "BudgetHeadingKind",
    "BudgetLine",
    "CharacteristicNotCollected",
    "CorrectionLine",
    "Direction",
    "EvidenceFile",
    "Fund",
    "FundQuestion",
    "FundTheme",
    "InKindContribution",
    "InKindUse",
    "IndicatorAnswer",
    "IndicatorTarget",
    "InstalmentTransition",
    "MeasureType",
    "Message",
    "MessageAttachment",
    "MinimumRequirement",
    "MonitoringMeeting",
    "OrganisationDiversity",
    "PaymentColumn",
    "PaymentField",
    "PaymentInstalment",
    "PaymentRun",
    "PaymentRunLine",
    "PaymentRunStatus",
    "PerformanceIndicator",
    "QuarterlyReturn",
    "QuestionAnswer",
    "QuestionKind",
    "Reminder",
    "ReportingFrequency",
    "ReportingPeriod",
    "RequirementAnswer",
    "ReturnCorrection",
    "ReturnDue",
    "ReturnSubmission",
    "ReturnTransition",
    "SpendAnswer",
    "TargetPeriod",
    "Variation",
    "VariationBudgetLine",
    "VariationIndicator",
    "VariationInstalment",
    "VariationTarget",
    "VariationTransition",
    "WaitingFor",
    "add_year_to_date",
    "evidence_upload_to",
    "instalment_label",
    "instalment_year_ordinal",
    "meeting_outside",
    "overdue_on",
    "reported_before_quarter",
    "schedule_shortfall",
    "target_errors",
    "targets_prefetch",
]
