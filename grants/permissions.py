"""Who may see and do what in the grants domain: one policy per model.

`visible_<things>(user)` are querysets scoped to the user, so another organisation's object is
simply not found (a 404). `can_<verb>(user, obj)` say whether the user may act on the object,
whatever its status: whether its status allows the step is `grants.lifecycle`'s question.
"""

from django.db.models import Q, QuerySet

from grants.lifecycle import (
    CORRECTION,
    INSTALMENT,
    RETURN,
    VARIATION,
    Actor,
    Step,
    VariationStatus,
)
from grants.models import (
    Agreement,
    AnswerFlag,
    CorrectionLine,
    EvidenceFile,
    Fund,
    Message,
    MessageAttachment,
    MonitoringMeeting,
    OrganisationDiversity,
    PaymentInstalment,
    PaymentRun,
    QuarterlyReturn,
    ReturnCorrection,
    Variation,
)
from sla_monitor import roles
from sla_monitor.models import Organisation


def sees_grants(user) -> bool:
    """Providers, lead officers and superusers work with agreements and their returns."""
    return roles.is_superuser(user) or roles.is_provider(user) or roles.is_lead_officer(user)


def oversees_grants(user) -> bool:
    """Lead officers, and superusers, see dashboards, funds and the review queue's figures."""
    return roles.is_lead_officer(user) or roles.is_superuser(user)


def acts_for(user, actor: Actor, agreement: Agreement) -> bool:
    """The user is, for this agreement, who `actor` names: its provider, its funder's lead
    officer, or either of them (a party to it)."""
    if actor is Actor.PARTY:
        return acts_for(user, Actor.PROVIDER, agreement) or acts_for(user, Actor.FUNDER, agreement)
    if actor is Actor.PROVIDER:
        return roles.is_provider(user) and roles.belongs_to(user, agreement.provider_id)
    if actor is Actor.FUNDER:
        return roles.is_lead_officer(user) and roles.belongs_to(user, agreement.funder_id)
    if actor is Actor.FINANCE:
        return roles.is_finance_officer(user) and roles.belongs_to(user, agreement.funder_id)
    raise ValueError(f"No one acts as {actor!r}.")


# Agreements ----------------------------------------------------------------------------------


def reads_council_grants(user) -> bool:
    """Council staff who read their council's agreements and returns: its lead officers, who
    act on them, and its finance officers, who read them to pay them."""
    return roles.is_lead_officer(user) or roles.is_finance_officer(user)


def visible_agreements(user) -> QuerySet:
    agreements = Agreement.objects.select_related("funder", "provider", "fund", "lead_officer")
    if roles.is_superuser(user):
        return agreements
    if roles.is_provider(user):
        return agreements.filter(provider_id=user.organisation_id)
    if reads_council_grants(user):
        return agreements.filter(funder_id=user.organisation_id)
    return agreements.none()


def dashboard_council(user) -> int | None:
    """The council whose grants the user's dashboard shows, when every lead officer of that
    council sees the same there (`visible_agreements` and `visible_returns` of a lead officer are
    their council's, whoever they are); None for a superuser, whose dashboard spans every
    council."""
    if roles.is_lead_officer(user) and not roles.is_superuser(user):
        return user.organisation_id
    return None


def reports_for_a_provider(user) -> bool:
    """A provider's people fill in its returns and read its own list of them."""
    return roles.is_provider(user)


def reviews_returns(user) -> bool:
    """A council's lead officers (its administrators among them) review its returns, import its
    agreements and choose which are open data."""
    return roles.is_lead_officer(user)


def can_decide(user, quarterly_return: QuarterlyReturn) -> bool:
    """Approving or sending back the return is its funder's lead officers' step, whatever its
    status."""
    return may_take(user, RETURN.step("approve"), quarterly_return)


def sets_up_agreements(user) -> bool:
    """Lead officers set up their council's agreements; superusers any council's."""
    return roles.is_lead_officer(user) or roles.is_superuser(user)


def can_set_up_agreement_for(user, council) -> bool:
    return roles.is_superuser(user) or (
        roles.is_lead_officer(user) and roles.belongs_to(user, council.pk)
    )


def councils_setting_up_for(user) -> QuerySet:
    """The councils whose agreements the user may set up: any for a superuser, else their own."""
    councils = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL)
    if roles.is_superuser(user):
        return councils
    if not roles.is_lead_officer(user):
        return councils.none()
    return councils.filter(pk=user.organisation_id)


def can_edit_agreement(user, agreement: Agreement) -> bool:
    """Changing an agreement's wording, award details, lead officer, unanswered indicators and
    unreleased instalments is for the funder's lead officers, its administrators among them. Not
    only the officer it names: every lead officer of the council acts for it here as in every
    step of the funder's (reviewing returns, releasing payments, importing and publishing its
    agreements, any of which an agreement's own officer may be away for). Superusers change
    agreements in the administration."""
    return acts_for(user, Actor.FUNDER, agreement)


def can_record_meeting(user, agreement: Agreement) -> bool:
    return acts_for(user, Actor.FUNDER, agreement)


def can_change_meeting(user, meeting: MonitoringMeeting) -> bool:
    """Correcting or deleting a meeting's record is for those who record meetings: the funder's
    lead officers, its administrators among them."""
    return can_record_meeting(user, meeting.agreement)


def can_publish(user, agreement: Agreement) -> bool:
    """The funder's lead officers choose which of its grants are open data."""
    return acts_for(user, Actor.FUNDER, agreement)


# Returns -------------------------------------------------------------------------------------


def visible_returns(user) -> QuerySet:
    """Returns of the agreements the user may see: a provider's own, a lead officer's council's."""
    returns = QuarterlyReturn.objects.select_related(
        "agreement__provider", "agreement__funder", "agreement__lead_officer", "period"
    )
    if roles.is_superuser(user):
        return returns
    if roles.is_provider(user):
        return returns.filter(agreement__provider_id=user.organisation_id)
    if reads_council_grants(user):
        return returns.filter(agreement__funder_id=user.organisation_id)
    return returns.none()


def visible_evidence(user) -> QuerySet:
    return EvidenceFile.objects.select_related("quarterly_return").filter(
        quarterly_return__in=visible_returns(user).values("pk")
    )


# Conversations: as the agreement or the return they are about -------------------------------


def can_converse(user, agreement: Agreement) -> bool:
    """The two parties to an agreement write to each other: its provider's people and its
    funder's lead officers. Others who may read it (a superuser) read the conversation only."""
    return acts_for(user, Actor.PROVIDER, agreement) or acts_for(user, Actor.FUNDER, agreement)


def visible_flags(user) -> QuerySet:
    return AnswerFlag.objects.select_related("quarterly_return").filter(
        quarterly_return__in=visible_returns(user).values("pk")
    )


def visible_messages(user) -> QuerySet:
    """Messages about a return as the return; the others as the agreement they are about."""
    return Message.objects.filter(
        Q(quarterly_return__in=visible_returns(user).values("pk"))
        | Q(quarterly_return__isnull=True, agreement__in=visible_agreements(user).values("pk"))
    )


def visible_attachments(user) -> QuerySet:
    """Files sent with messages, as their message."""
    return MessageAttachment.objects.select_related("message").filter(
        message__in=visible_messages(user).values("pk")
    )


def can_start_return(user, agreement: Agreement) -> bool:
    return acts_for(user, Actor.PROVIDER, agreement)


def may_take(user, step: Step, quarterly_return: QuarterlyReturn) -> bool:
    """The user is the one who takes this step of this return, whatever its status."""
    return acts_for(user, step.actor, quarterly_return.agreement)


def can_edit_return(user, quarterly_return: QuarterlyReturn) -> bool:
    """The provider may change its return, and the lifecycle allows changes in its status."""
    return may_take(user, RETURN.step("edit"), quarterly_return) and RETURN.allows(
        "edit", quarterly_return.status
    )


def sees_figures_as_entered(user, quarterly_return: QuarterlyReturn) -> bool:
    """Only the return's provider sees its counts of people as it entered them; everyone else
    reads them as published, rounded to multiples of 5 (`grants.beneficiaries`)."""
    return acts_for(user, Actor.PROVIDER, quarterly_return.agreement)


def steps_for(user, quarterly_return: QuarterlyReturn) -> list[Step]:
    """The steps of its lifecycle this user may take on the return now."""
    return [
        step
        for step in RETURN.steps_from(quarterly_return.status)
        if step.target is not None and may_take(user, step, quarterly_return)
    ]


# Corrections to approved returns: as the return they correct ------------------------------


def visible_corrections(user) -> QuerySet:
    return ReturnCorrection.objects.select_related(
        "quarterly_return__agreement", "quarterly_return__period", "proposed_by"
    ).filter(quarterly_return__in=visible_returns(user).values("pk"))


def visible_correction_lines(user) -> QuerySet:
    return CorrectionLine.objects.filter(correction__in=visible_corrections(user).values("pk"))


def can_propose_correction(user, quarterly_return: QuarterlyReturn) -> bool:
    """The provider's people and the funder's lead officers propose corrections, and the
    lifecycle allows one in the return's status (approved)."""
    return may_take(user, RETURN.step("correct"), quarterly_return) and RETURN.allows(
        "correct", quarterly_return.status
    )


def may_take_correction(user, step: Step, correction: ReturnCorrection) -> bool:
    """The user is the one who takes this step of this correction, whatever its status: its
    proposer withdraws it (while still a party to the agreement), the funder's lead officers
    decide it."""
    agreement = correction.quarterly_return.agreement
    if step.actor is Actor.PROPOSER:
        return user.pk == correction.proposed_by_id and acts_for(user, Actor.PARTY, agreement)
    return acts_for(user, step.actor, agreement)


def correction_steps_for(user, correction: ReturnCorrection) -> list[Step]:
    """The steps of its lifecycle this user may take on the correction now."""
    return [
        step
        for step in CORRECTION.steps_from(correction.status)
        if may_take_correction(user, step, correction)
    ]


# Payment instalments -------------------------------------------------------------------------


def can_decide_instalments(user, agreement: Agreement) -> bool:
    """Releasing and withholding are the funder's lead officer's steps."""
    return acts_for(user, Actor.FUNDER, agreement)


def can_sign_off(user, instalment: PaymentInstalment) -> bool:
    """Authorising a payment, or rejecting its request, is for a finance officer of the funder
    who did not ask for its release: four eyes on every payment that needs them."""
    return (
        acts_for(user, Actor.FINANCE, instalment.agreement)
        and user.pk != instalment.requested_by_id
    )


def sees_signoff(user, agreement: Agreement) -> bool:
    """Who asked for a payment, who authorised or rejected it and why, and the payment run it
    went out in are the funder's own business: its staff see them, the provider never."""
    return roles.is_superuser(user) or (
        roles.is_council_staff(user) and roles.belongs_to(user, agreement.funder_id)
    )


def may_take_instalment_step(user, step: Step, instalment: PaymentInstalment) -> bool:
    if step.actor is Actor.FINANCE:
        return can_sign_off(user, instalment)
    return acts_for(user, step.actor, instalment.agreement)


def instalment_steps_for(user, instalment: PaymentInstalment) -> list[Step]:
    return [
        step
        for step in INSTALMENT.steps_from(instalment.status)
        if may_take_instalment_step(user, step, instalment)
    ]


# Payment runs: a council's finance officers (its administrators read them) -------------------


def sees_payments(user) -> bool:
    """The payments page: a council's finance officers, who act on it, and its administrators,
    who read it and set the columns of its payment files."""
    return roles.is_finance_officer(user) or roles.is_council_admin(user)


def runs_payments(user) -> bool:
    """Authorising payments and exporting, reversing and paying runs: finance officers."""
    return roles.is_finance_officer(user)


def sets_payment_columns(user) -> bool:
    return roles.is_council_admin(user)


def sets_finance_signoff(user) -> bool:
    """The amount from which the council's releases need a finance officer: its administrators."""
    return roles.is_council_admin(user)


def visible_payment_runs(user) -> QuerySet:
    runs = PaymentRun.objects.select_related("council", "created_by", "paid_by", "reversed_by")
    if sees_payments(user):
        return runs.filter(council_id=user.organisation_id)
    return runs.none()


def signoff_instalments(user) -> QuerySet:
    """The instalments of the user's council that the payments page lists."""
    instalments = PaymentInstalment.objects.all()
    if sees_payments(user):
        return instalments.filter(agreement__funder_id=user.organisation_id)
    return instalments.none()


# Variations ----------------------------------------------------------------------------------

# What a provider sees of its agreements' variations: its own request, terms it is asked to
# accept, what applies, and how its request ended. A council's drafts, and what its people say to
# each other about them, are its own until they are approved.
SHOWN_TO_PROVIDERS = frozenset(
    {
        VariationStatus.REQUESTED,
        VariationStatus.AWAITING_ACCEPTANCE,
        VariationStatus.APPLIED,
    }
)
ENDS_OF_REQUESTS = frozenset({VariationStatus.DECLINED, VariationStatus.WITHDRAWN})
# The steps of a variation's history a provider reads: its own, and the council's answers to it.
STEPS_SHOWN_TO_PROVIDERS = frozenset(
    {"request", "take_up", "decline", "approve", "accept", "reject", "withdraw"}
)


def visible_variations(user) -> QuerySet:
    variations = Variation.objects.select_related(
        "agreement__funder", "agreement__provider", "takes_effect_from"
    ).filter(agreement__in=visible_agreements(user).values("pk"))
    if roles.is_provider(user):
        return variations.filter(
            Q(status__in=SHOWN_TO_PROVIDERS)
            | Q(status__in=ENDS_OF_REQUESTS, requested_by__isnull=False)
        )
    return variations


def visible_variation_history(user, transitions) -> list:
    """The steps of a variation's history the user reads: all of them for the council, the
    provider's own and the council's answers to it for the provider."""
    if roles.is_provider(user):
        return [t for t in transitions if t.step in STEPS_SHOWN_TO_PROVIDERS]
    return list(transitions)


def can_draft_variation(user, agreement: Agreement) -> bool:
    """The funder's lead officers (its administrators among them) draft variations."""
    return acts_for(user, Actor.FUNDER, agreement)


def can_request_variation(user, agreement: Agreement) -> bool:
    return acts_for(user, Actor.PROVIDER, agreement)


# The steps that write a variation's terms: whoever took one of them is not the second person.
AUTHORING_STEPS = frozenset({"draft", "take_up", "edit"})


def wrote_variation(user, variation: Variation) -> bool:
    return (
        user.pk == variation.drafted_by_id
        or variation.transitions.filter(by_id=user.pk, step__in=AUTHORING_STEPS).exists()
    )


def can_approve_variation(user, variation: Variation) -> bool:
    """A second person of the funding council approves a variation: one of its administrators,
    or another lead officer where the council allows it; never anyone who drafted, took up or
    changed it."""
    agreement = variation.agreement
    if not acts_for(user, Actor.FUNDER, agreement):
        return False
    if not (roles.is_council_admin(user) or agreement.funder.lead_officers_approve_variations):
        return False
    return not wrote_variation(user, variation)


# The steps that are the second person's, under the four-eyes rule.
SECOND_PERSON_STEPS = frozenset({"approve", "return"})


def may_take_variation_step(user, step: Step, variation: Variation) -> bool:
    if step.name in SECOND_PERSON_STEPS:
        return can_approve_variation(user, variation)
    return acts_for(user, step.actor, variation.agreement)


def variation_steps_for(user, variation: Variation) -> list[Step]:
    """The steps of its lifecycle this user may take on the variation now."""
    return [
        step
        for step in VARIATION.steps_from(variation.status)
        if step.target is not None and may_take_variation_step(user, step, variation)
    ]


def can_edit_variation(user, variation: Variation) -> bool:
    return VARIATION.allows("edit", variation.status) and may_take_variation_step(
        user, VARIATION.step("edit"), variation
    )


# Funds ---------------------------------------------------------------------------------------


def visible_funds(user) -> QuerySet:
    funds = Fund.objects.select_related("council")
    if roles.is_superuser(user):
        return funds
    if roles.is_lead_officer(user):
        return funds.filter(council_id=user.organisation_id)
    return funds.none()


def can_set_fund_questions(user, fund: Fund) -> bool:
    """The questions a fund adds to its returns are set by its council's lead officers (its
    administrators among them), and by superusers."""
    return roles.is_superuser(user) or (
        roles.is_lead_officer(user) and roles.belongs_to(user, fund.council_id)
    )


# Who the grants reach ------------------------------------------------------------------------


def sees_reach(user) -> bool:
    """Council staff (lead officers and equality officers alike) and superusers read who their
    council's grants reach; providers see only their own returns' figures."""
    return roles.is_superuser(user) or roles.is_council_staff(user)


def reach_agreements(user) -> QuerySet:
    """The agreements whose beneficiary figures the user may read summed up: their council's."""
    agreements = Agreement.objects.all()
    if roles.is_superuser(user):
        return agreements
    if roles.is_council_staff(user):
        return agreements.filter(funder_id=user.organisation_id)
    return agreements.none()


# Providers and their own diversity ------------------------------------------------------------


def visible_providers(user) -> QuerySet:
    """The provider organisations the user may read about: a provider its own, a lead officer
    those its council funds."""
    providers = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
    if roles.is_superuser(user):
        return providers
    if roles.is_provider(user):
        return providers.filter(pk=user.organisation_id)
    if roles.is_lead_officer(user):
        return providers.filter(
            pk__in=Agreement.objects.filter(funder_id=user.organisation_id).values("provider_id")
        )
    return providers.none()


def visible_diversity(user) -> QuerySet:
    """A provider's answers about itself: its own, and, for a council, those of the providers
    that have sent the council a return. Any council may name any provider in an agreement;
    only a provider that has reported to it shares what it says of itself."""
    answers = OrganisationDiversity.objects.all()
    if roles.is_superuser(user):
        return answers
    if roles.is_provider(user):
        return answers.filter(organisation_id=user.organisation_id)
    if roles.is_lead_officer(user):
        return answers.filter(organisation__in=providers_reporting_to(user.organisation_id))
    return answers.none()


def providers_reporting_to(council_id: int) -> QuerySet:
    """The providers that have sent the council a return: those that share with it, and with its
    open data, what they say of themselves."""
    return (
        QuarterlyReturn.objects.reported()
        .filter(agreement__funder_id=council_id)
        .values("agreement__provider_id")
    )


def diversity_shared_with(user, organisation: Organisation) -> bool:
    """Whether the organisation's answers about itself, if it gave any, are the user's to read."""
    if roles.is_superuser(user) or roles.belongs_to(user, organisation.pk):
        return True
    return (
        roles.is_lead_officer(user)
        and providers_reporting_to(user.organisation_id)
        .filter(agreement__provider_id=organisation.pk)
        .exists()
    )


def can_record_diversity(user, organisation: Organisation) -> bool:
    """An organisation's own people answer for it; nobody answers for another."""
    return (
        roles.is_provider(user)
        and roles.belongs_to(user, organisation.pk)
        and organisation.kind == Organisation.Kind.PROVIDER
    )


def can_add_provider(user) -> bool:
    """A council's lead officers (its administrators among them) add the provider organisations
    they fund, as superusers may; providers do not add one another."""
    return roles.is_lead_officer(user) or roles.is_superuser(user)
