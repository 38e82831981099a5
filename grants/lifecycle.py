"""The lifecycles of a quarterly return, of a correction to an approved return and of a payment
instalment, each declared once.

A lifecycle is a table of steps: the statuses a step may leave, the status it leads to and who
takes it. Services refuse a step the table does not allow from the record's status; views and
templates offer only the steps it allows; the messages that name a step come from it too. Whether
*this user* may take a step is a separate question, answered by `grants.permissions`.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")


class InstalmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    RELEASE_REQUESTED = "release_requested", _("Awaiting finance sign-off")
    RELEASED = "released", _("Released")
    WITHHELD = "withheld", _("Withheld")


class CorrectionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Actor(StrEnum):
    """Who takes a step: someone of the agreement's provider, a lead officer of its funder,
    either of them (a party to the agreement), a finance officer of its funder, or the person
    who proposed the record."""

    PROVIDER = "provider"
    FUNDER = "funder"
    FINANCE = "finance"
    PARTY = "party"
    PROPOSER = "proposer"


@dataclass(frozen=True)
class Step:
    name: str
    sources: frozenset[str]
    target: str | None  # None: the step changes the record, not its status
    actor: Actor
    label: str
    done: str  # what the person who took it is told; placeholders name the record
    refused: str  # why it cannot be taken from a status outside `sources`
    # The same, naming who moved the record on, where the refusal may know it ({by}).
    refused_by: str = ""


@dataclass(frozen=True)
class Lifecycle:
    statuses: type[models.TextChoices]
    steps: dict[str, Step]
    # How a status reads in a sentence ("This return is sent back for changes"), where its label
    # alone would not.
    phrases: dict[str, str] = field(default_factory=dict)

    def step(self, name: str) -> Step:
        return self.steps[name]

    def allows(self, name: str, status: str) -> bool:
        return status in self.steps[name].sources

    def steps_from(self, status: str) -> list[Step]:
        """The steps the table allows from `status`, in the order it declares them."""
        return [step for step in self.steps.values() if status in step.sources]

    def refusal(self, name: str, status: str, by: str = "", **record) -> str:
        """Why the step cannot be taken from `status`; `by` names who moved the record there,
        when the step says so."""
        label = self.phrases.get(status) or self.statuses(status).label.lower()
        step = self.steps[name]
        if by and step.refused_by:
            return step.refused_by.format(status=label, by=by, **record)
        return step.refused.format(status=label, **record)


def _table(*steps: Step) -> dict[str, Step]:
    return {step.name: step for step in steps}


# A return the provider has still to submit: it may change it.
NOT_YET_SUBMITTED = frozenset({ReturnStatus.DRAFT, ReturnStatus.CHANGES_REQUESTED})
# A return never submitted: it is late once its due date passes. Lateness runs from the due date
# to the first submission; a return sent back for changes was submitted, and the days it spends
# with the provider again are reported apart.
NEVER_SUBMITTED = frozenset({ReturnStatus.DRAFT})

RETURN = Lifecycle(
    ReturnStatus,
    _table(
        Step(
            "edit",
            NOT_YET_SUBMITTED,
            None,
            Actor.PROVIDER,
            _("Save"),
            _("{section} saved."),
            _("This return is {status}, so it can no longer be changed."),
        ),
        Step(
            "submit",
            NOT_YET_SUBMITTED,
            ReturnStatus.SUBMITTED,
            Actor.PROVIDER,
            _("Submit return"),
            _("Your {period} return was submitted. The lead officer will review it."),
            _("This return is {status}, so it can no longer be submitted."),
        ),
        Step(
            "approve",
            frozenset({ReturnStatus.SUBMITTED}),
            ReturnStatus.APPROVED,
            Actor.FUNDER,
            _("Approve the return"),
            _("You approved the {period} return."),
            _("This return is {status}, so it cannot be decided now. Nothing was changed."),
            _("This return is {status} by {by}, so it cannot be decided now. Nothing was changed."),
        ),
        Step(
            "request_changes",
            frozenset({ReturnStatus.SUBMITTED}),
            ReturnStatus.CHANGES_REQUESTED,
            Actor.FUNDER,
            _("Request changes"),
            _("You sent the {period} return back for changes."),
            _("This return is {status}, so it cannot be decided now. Nothing was changed."),
            _("This return is {status} by {by}, so it cannot be decided now. Nothing was changed."),
        ),
        # An approved return is never un-approved: a wrong answer in it is corrected by a
        # correction (`CORRECTION`) that its funder approves.
        Step(
            "correct",
            frozenset({ReturnStatus.APPROVED}),
            None,
            Actor.PARTY,
            _("Propose a correction"),
            _("You proposed a correction to the {period} return. The lead officer will decide it."),
            _("This return is {status}, so it is not corrected: change its answers instead."),
        ),
    ),
    phrases={
        ReturnStatus.DRAFT: _("in draft"),
        ReturnStatus.CHANGES_REQUESTED: _("sent back for changes"),
    },
)

# A correction to an approved return: proposed by the provider's people or the funder's lead
# officers, then approved or declined by the funder's lead officers, or withdrawn by whoever
# proposed it. A lead officer may approve a correction they proposed themselves: the return's
# answers were already reviewed once, and a second person is not asked for.
CORRECTION = Lifecycle(
    CorrectionStatus,
    _table(
        Step(
            "approve",
            frozenset({CorrectionStatus.PROPOSED}),
            CorrectionStatus.APPROVED,
            Actor.FUNDER,
            _("Approve the correction"),
            _(
                "You approved the correction to the {period} return: its answers now show the "
                "corrected values."
            ),
            _("This correction was {status}, so it cannot be approved now. Nothing was changed."),
            _(
                "This correction was {status} by {by}, so it cannot be approved now. Nothing was "
                "changed."
            ),
        ),
        Step(
            "decline",
            frozenset({CorrectionStatus.PROPOSED}),
            CorrectionStatus.DECLINED,
            Actor.FUNDER,
            _("Decline the correction"),
            _("You declined the correction to the {period} return. Its answers are unchanged."),
            _("This correction was {status}, so it cannot be declined now. Nothing was changed."),
            _(
                "This correction was {status} by {by}, so it cannot be declined now. Nothing was "
                "changed."
            ),
        ),
        Step(
            "withdraw",
            frozenset({CorrectionStatus.PROPOSED}),
            CorrectionStatus.WITHDRAWN,
            Actor.PROPOSER,
            _("Withdraw the correction"),
            _("You withdrew your correction to the {period} return."),
            _("This correction was {status}, so it cannot be withdrawn now. Nothing was changed."),
            _(
                "This correction was {status} by {by}, so it cannot be withdrawn now. Nothing was "
                "changed."
            ),
        ),
    ),
)

# An instalment is released by a lead officer of the funder. Where the council asks for finance
# sign-off on its amount (`Organisation.needs_finance_signoff`), pressing Release requests it
# instead, and a finance officer of the council who did not request it authorises the payment or
# rejects the request with a reason (`grants.permissions.can_sign_off`).
INSTALMENT = Lifecycle(
    InstalmentStatus,
    _table(
        Step(
            "release",
            frozenset({InstalmentStatus.SCHEDULED, InstalmentStatus.WITHHELD}),
            InstalmentStatus.RELEASED,
            Actor.FUNDER,
            _("Release"),
            _("The {instalment} was released."),
            _("The {instalment} has already been {status}. Nothing was changed."),
        ),
        Step(
            "request_release",
            frozenset({InstalmentStatus.SCHEDULED, InstalmentStatus.WITHHELD}),
            InstalmentStatus.RELEASE_REQUESTED,
            Actor.FUNDER,
            _("Release"),
            _("The {instalment} is waiting for a finance officer to authorise it."),
            _("The {instalment} has already been {status}. Nothing was changed."),
        ),
        Step(
            "withhold",
            frozenset({InstalmentStatus.SCHEDULED}),
            InstalmentStatus.WITHHELD,
            Actor.FUNDER,
            _("Withhold"),
            _("The {instalment} was withheld."),
            _("The {instalment} is {status}, so it cannot be withheld. Nothing was changed."),
        ),
        Step(
            "authorise",
            frozenset({InstalmentStatus.RELEASE_REQUESTED}),
            InstalmentStatus.RELEASED,
            Actor.FINANCE,
            _("Authorise the payment"),
            _("You authorised the {instalment} of {reference}: it is released."),
            _("The {instalment} is {status}, so it cannot be authorised. Nothing was changed."),
        ),
        Step(
            "reject",
            frozenset({InstalmentStatus.RELEASE_REQUESTED}),
            InstalmentStatus.SCHEDULED,
            Actor.FINANCE,
            _("Reject the request"),
            _("You rejected the request to release the {instalment} of {reference}."),
            _(
                "The {instalment} is {status}, so its request cannot be rejected. Nothing was "
                "changed."
            ),
        ),
    ),
    phrases={InstalmentStatus.RELEASE_REQUESTED: _("sent for finance sign-off")},
)


class VariationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested by the provider")
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Awaiting acceptance")
    APPLIED = "applied", _("Applied")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# How each step of a variation reads in its history.
VARIATION_HISTORY = {
    "request": _("Asked for a variation"),
    "draft": _("Drafted the variation"),
    "take_up": _("Took up the request"),
    "edit": _("Changed the draft"),
    "decline": _("Declined the request"),
    "submit": _("Sent it for approval"),
    "approve": _("Approved it"),
    "return": _("Returned it to draft"),
    "accept": _("Accepted the varied terms: the variation applied"),
    "reject": _("Did not accept the varied terms"),
    "withdraw": _("Withdrew the variation"),
}

# A variation whose terms the council may still change.
VARIATION_OPEN = frozenset(
    {
        VariationStatus.REQUESTED,
        VariationStatus.DRAFT,
        VariationStatus.AWAITING_APPROVAL,
        VariationStatus.AWAITING_ACCEPTANCE,
    }
)

# A variation changes an agreement's terms once four people have each done their part: an officer
# drafts it (or takes up the provider's request), a second council person approves it (never the
# one who drafted it: `grants.permissions.can_approve_variation`), and the provider accepts it,
# which applies it.
VARIATION = Lifecycle(
    VariationStatus,
    _table(
        Step(
            "edit",
            frozenset({VariationStatus.DRAFT}),
            None,
            Actor.FUNDER,
            _("Save the variation"),
            _("Variation {number} was saved."),
            _("Variation {number} is {status}, so it can no longer be changed."),
        ),
        Step(
            "take_up",
            frozenset({VariationStatus.REQUESTED}),
            VariationStatus.DRAFT,
            Actor.FUNDER,
            _("Take up the request"),
            _("You took up the provider's request as variation {number}: draft what changes."),
            _("Variation {number} is {status}, so it cannot be taken up. Nothing was changed."),
        ),
        Step(
            "decline",
            frozenset({VariationStatus.REQUESTED}),
            VariationStatus.DECLINED,
            Actor.FUNDER,
            _("Decline the request"),
            _("You declined the request for variation {number}."),
            _("Variation {number} is {status}, so it cannot be declined. Nothing was changed."),
        ),
        Step(
            "submit",
            frozenset({VariationStatus.DRAFT}),
            VariationStatus.AWAITING_APPROVAL,
            Actor.FUNDER,
            _("Send for approval"),
            _("Variation {number} was sent for approval by a second person of the council."),
            _(
                "Variation {number} is {status}, so it cannot be sent for approval. Nothing was "
                "changed."
            ),
        ),
        Step(
            "approve",
            frozenset({VariationStatus.AWAITING_APPROVAL}),
            VariationStatus.AWAITING_ACCEPTANCE,
            Actor.FUNDER,
            _("Approve the variation"),
            _("You approved variation {number}. The provider is asked to accept the varied terms."),
            _("Variation {number} is {status}, so it cannot be approved now. Nothing was changed."),
        ),
        Step(
            "return",
            frozenset({VariationStatus.AWAITING_APPROVAL}),
            VariationStatus.DRAFT,
            Actor.FUNDER,
            _("Return it to draft"),
            _("You returned variation {number} to draft."),
            _(
                "Variation {number} is {status}, so it cannot be returned to draft. Nothing was "
                "changed."
            ),
        ),
        Step(
            "accept",
            frozenset({VariationStatus.AWAITING_ACCEPTANCE}),
            VariationStatus.APPLIED,
            Actor.PROVIDER,
            _("Accept the varied terms"),
            _("You accepted variation {number}. The agreement's terms are varied from {period}."),
            _("Variation {number} is {status}, so it cannot be accepted now. Nothing was changed."),
        ),
        Step(
            "reject",
            frozenset({VariationStatus.AWAITING_ACCEPTANCE}),
            VariationStatus.DRAFT,
            Actor.PROVIDER,
            _("Do not accept"),
            _("You did not accept variation {number}: the council is told why."),
            _("Variation {number} is {status}, so it cannot be refused now. Nothing was changed."),
        ),
        Step(
            "withdraw",
            frozenset({VariationStatus.DRAFT, VariationStatus.AWAITING_APPROVAL}),
            VariationStatus.WITHDRAWN,
            Actor.FUNDER,
            _("Withdraw the variation"),
            _("You withdrew variation {number}."),
            _("Variation {number} is {status}, so it cannot be withdrawn. Nothing was changed."),
        ),
    ),
    phrases={
        VariationStatus.REQUESTED: _("a request from the provider"),
        VariationStatus.DRAFT: _("in draft"),
        VariationStatus.AWAITING_APPROVAL: _("awaiting approval"),
        VariationStatus.AWAITING_ACCEPTANCE: _("awaiting the provider's acceptance"),
    },
)
