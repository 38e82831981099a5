"""What the grants domain contributes to the audit log (see sla_monitor.audit)."""

from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grants import permissions
from grants.models import (
    AddedValue,
    Agreement,
    AgreementObjective,
    AnswerFlag,
    BeneficiaryFigures,
    CharacteristicNotCollected,
    CorrectionLine,
    EvidenceFile,
    Fund,
    FundQuestion,
    FundTheme,
    IndicatorAnswer,
    IndicatorTarget,
    InKindContribution,
    InstalmentTransition,
    Message,
    MessageAttachment,
    MinimumRequirement,
    MonitoringMeeting,
    OrganisationDiversity,
    PaymentInstalment,
    PerformanceIndicator,
    QuarterlyReturn,
    QuestionAnswer,
    ReportingPeriod,
    RequirementAnswer,
    ReturnCorrection,
    ReturnTransition,
    Variation,
    VariationTransition,
    instalment_label,
    instalment_year_ordinal,
)
from sla_monitor import audit
from sla_monitor.models import Organisation


def return_events(user, filters: audit.Filters, limit: int) -> Iterable[audit.Event]:
    transitions = ReturnTransition.objects.filter(
        quarterly_return__in=permissions.visible_returns(user).values("pk")
    ).select_related("by", "quarterly_return__agreement", "quarterly_return__period")
    for t in audit.latest(transitions, actor="by", at="at", filters=filters, limit=limit):
        yield audit.Event(
            t.at,
            "return",
            t.by,
            f"{t.quarterly_return}: {t.get_from_status_display()} to {t.get_to_status_display()}",
            why=t.comment,
        )


def instalment_events(user, filters: audit.Filters, limit: int) -> Iterable[audit.Event]:
    transitions = (
        InstalmentTransition.objects.filter(
            instalment__agreement__in=permissions.visible_agreements(user).values("pk")
        )
        .select_related("by", "instalment__agreement")
        .annotate(year_ordinal=instalment_year_ordinal("instalment__"))
    )
    for t in audit.latest(transitions, actor="by", at="at", filters=filters, limit=limit):
        label = instalment_label(t.instalment.financial_year, t.year_ordinal)
        yield audit.Event(
            t.at,
            "instalment",
            t.by,
            f"{t.instalment.agreement.reference} {label} (£{t.instalment.amount:,.2f}): "
            f"{t.get_from_status_display()} to {t.get_to_status_display()}",
            why=t.reason,
        )


def variation_events(user, filters: audit.Filters, limit: int) -> Iterable[audit.Event]:
    transitions = VariationTransition.objects.filter(
        variation__in=permissions.visible_variations(user).values("pk")
    ).select_related("by", "variation__agreement")
    for t in audit.latest(transitions, actor="by", at="at", filters=filters, limit=limit):
        yield audit.Event(
            t.at,
            "variation",
            t.by,
            f"{t.variation}: {t.get_from_status_display() or '-'} to {t.get_to_status_display()}",
            why=t.reason,
        )


def _of_visible(model, path: str, visible):
    return lambda user: model.objects.filter(**{f"{path}__in": visible(user).values("pk")})


def register() -> None:
    audit.register(audit.Source("return", _("Return status"), return_events))
    audit.register(audit.Source("instalment", _("Payment instalment"), instalment_events))
    audit.register(audit.Source("variation", "Variation", variation_events))
    agreements = permissions.visible_agreements
    returns = permissions.visible_returns
    audit.track(Fund, visible=permissions.visible_funds)
    audit.track(FundTheme, visible=_of_visible(FundTheme, "fund", permissions.visible_funds))
    # Figures stored from history (`grants.stored`) are not changes anyone made.
    audit.track(
        Agreement,
        visible=agreements,
        exclude_fields=["rag_period", "rag_red", "rag_amber", "rag_green"],
    )
    for part in (
        AgreementObjective,
        MinimumRequirement,
        InKindContribution,
        AddedValue,
        PerformanceIndicator,
        PaymentInstalment,
    ):
        audit.track(part, visible=_of_visible(part, "agreement", agreements))
    audit.track(
        IndicatorTarget,
        visible=_of_visible(IndicatorTarget, "indicator__agreement", agreements),
    )
    audit.track(
        MonitoringMeeting,
        visible=_of_visible(MonitoringMeeting, "agreement", agreements),
        owner=("agreement", agreements),
    )
    # Quarters are shared by every council: who added one, and from where, is the service's to
    # read, not another council's.
    audit.track(ReportingPeriod, visible=audit.shared_rows(ReportingPeriod))
    # A return's status changes are its transitions; what is kept here is its creation and
    # every answer and evidence file given in it.
    audit.track(
        QuarterlyReturn,
        visible=returns,
        exclude_fields=["version", "updated_at", "days_late", "days_to_decide"],
    )
    audit.track(
        FundQuestion,
        visible=lambda user: FundQuestion.objects.filter(
            Q(fund__in=permissions.visible_funds(user).values("pk"))
            | Q(agreement__in=agreements(user).values("pk"))
        ),
    )
    audit.track(
        IndicatorAnswer,
        visible=_of_visible(IndicatorAnswer, "quarterly_return", returns),
        exclude_fields=["rag", "year_total", "judged_target"],
    )
    for answer in (RequirementAnswer, QuestionAnswer, EvidenceFile):
        audit.track(answer, visible=_of_visible(answer, "quarterly_return", returns))
    # Who changed a return's figures of people, and when; never a count as entered, which only
    # the provider reads. The service records what changed in the published figures. Reasons
    # for not collecting a characteristic are kept as written.
    audit.track(
        BeneficiaryFigures,
        visible=_of_visible(BeneficiaryFigures, "quarterly_return", returns),
        exclude_fields=["people_reached", "people_reached_published"],
    )
    audit.track(
        CharacteristicNotCollected,
        visible=_of_visible(CharacteristicNotCollected, "figures__quarterly_return", returns),
    )
    # The conversation: flags raised and cleared, messages and their files, as what they are about.
    audit.track(AnswerFlag, visible=_of_visible(AnswerFlag, "quarterly_return", returns))
    audit.track(Message, visible=permissions.visible_messages)
    audit.track(MessageAttachment, visible=permissions.visible_attachments)
    # Corrections to approved returns: proposed and decided, and the answers' values before and
    # after, as the return they correct. The answers themselves record the corrected values.
    audit.track(
        ReturnCorrection, visible=permissions.visible_corrections, exclude_fields=["version"]
    )
    audit.track(CorrectionLine, visible=permissions.visible_correction_lines)
    audit.track(OrganisationDiversity, visible=permissions.visible_diversity)
    # A variation's steps are its transitions; what is kept here is each change to its draft.
    audit.track(
        Variation, visible=permissions.visible_variations, exclude_fields=["version", "status"]
    )
    # A council reads the history of the providers it funds (their names and addresses); their
    # people's accounts are the providers' own (oversight.permissions), never a council's.
    audit.track(
        Organisation,
        visible=lambda user: Organisation.objects.filter(
            pk__in=agreements(user).values("provider_id")
        ),
    )
