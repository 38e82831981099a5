"""Who may see and do what on the pages that span both domains: one policy for oversight.

People and their invitations, who the grants reach, the equality information report and the
audit log. Each policy below builds on the core's role predicates and the grants' and plans'
own policies; the views ask it and never decide on their own.

People and their invitations

Each organisation looks after its own people. A council's administrator looks after the
council's staff; a provider's administrators look after the provider's people; a superuser
looks after everyone. A council that funds a provider may invite the provider's first person
(who becomes its administrator) and otherwise asks the provider's administrators, who approve
the invitation before it is sent: funding a provider, which any council may set up, gives a
council no hold over the provider's people. `visible_<things>(user)` are scoped querysets, so
another organisation's person or invitation is a 404; `can_<verb>(user, obj)` are the checks.
"""

from allauth.mfa.models import Authenticator
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value

from grants import permissions as grant_permissions
from grants.models import Agreement, ReturnTransition
from oversight.filters import PeopleFilter
from sla_monitor import roles
from sla_monitor.models import Invitation, Organisation, User

COUNCIL_ROLES = [role for role in User.Role if role in roles.COUNCIL_ROLES]
PROVIDER_ROLES = [role for role in User.Role if role in roles.PROVIDER_ROLES]


def manages_people(user) -> bool:
    """Lead officers, council and provider administrators and superusers have the people
    pages."""
    return roles.is_superuser(user) or roles.is_lead_officer(user) or roles.is_provider_admin(user)


def administers(user) -> bool:
    """Looks after an organisation's people (changes their roles, deactivates them): a
    superuser, or a council's or a provider's administrator."""
    return roles.is_superuser(user) or roles.is_council_admin(user) or roles.is_provider_admin(user)


def administers_organisation(user, organisation_id: int | None) -> bool:
    """The user is an administrator of that organisation, or a superuser."""
    return roles.is_superuser(user) or (
        (roles.is_council_admin(user) or roles.is_provider_admin(user))
        and roles.belongs_to(user, organisation_id)
    )


def _funded_providers(user) -> QuerySet:
    return Agreement.objects.filter(funder_id=user.organisation_id).values("provider_id")


def invitable_organisations(user) -> QuerySet:
    """Organisations the user may invite people into: a provider administrator's own; the
    providers a lead officer's council funds (into one that has people, the invitation waits
    for its administrators), and for a council administrator their own council too."""
    organisations = Organisation.objects.order_by("kind", "name")
    if roles.is_superuser(user):
        return organisations
    if roles.is_provider_admin(user):
        return organisations.filter(pk=user.organisation_id)
    if not roles.is_lead_officer(user):
        return organisations.none()
    funded = Q(kind=Organisation.Kind.PROVIDER, pk__in=_funded_providers(user))
    if roles.is_council_admin(user):
        return organisations.filter(funded | Q(pk=user.organisation_id))
    return organisations.filter(funded)


def invites_for_councils(user) -> bool:
    """A lead officer invites into the providers their council funds: a provider's first
    person, or a request to its administrators."""
    return roles.is_lead_officer(user)


def roles_for(user, organisation: Organisation) -> list[User.Role]:
    """The roles the user may give a person of `organisation`. A provider's people are
    providers or its administrators, and only the provider's administrators (or a superuser)
    choose; a council inviting into a provider gives the Provider role, its first person
    becoming the administrator. A council's people hold a council role, which only its
    administrator gives."""
    if organisation.kind == Organisation.Kind.PROVIDER:
        if administers_organisation(user, organisation.pk):
            return PROVIDER_ROLES
        return [User.Role.PROVIDER]
    return COUNCIL_ROLES if administers_organisation(user, organisation.pk) else []


def roles_offered(user) -> list[User.Role]:
    """Every role the user may give someone, whichever organisation they invite into: the
    invitation form asks for one when there is a choice."""
    if roles.is_superuser(user):
        return list(User.Role)
    if roles.is_provider_admin(user):
        return PROVIDER_ROLES
    if roles.is_council_admin(user):
        return [*COUNCIL_ROLES, User.Role.PROVIDER]
    return [User.Role.PROVIDER] if roles.is_lead_officer(user) else []


def needs_approval(user, organisation: Organisation) -> bool:
    """An invitation into `organisation` from this user waits for approval: anyone but its
    administrators (or a superuser) inviting into a provider, unless it is the provider's first
    person and no other council funds the provider. A provider with people is asked; one that
    another council funds too, with nobody yet, is the service's administrators' to let in."""
    if organisation.kind != Organisation.Kind.PROVIDER or administers_organisation(
        user, organisation.pk
    ):
        return False
    return not (is_unstaffed(organisation) and funds_alone(user, organisation))


def funds_alone(user, organisation: Organisation) -> bool:
    """No council but the user's funds the provider."""
    return not (
        Agreement.objects.filter(provider=organisation)
        .exclude(funder_id=user.organisation_id)
        .exists()
    )


def administrators_of(organisation: Organisation) -> QuerySet:
    """Who approves the invitations into a provider: its active administrators."""
    return User.objects.filter(
        organisation=organisation, role=User.Role.PROVIDER_ADMIN, is_active=True
    )


def is_unstaffed(organisation: Organisation) -> bool:
    """No active person and no open invitation: a council that funds it may invite its first
    person."""
    return not (
        User.objects.filter(organisation=organisation, is_active=True).exists()
        or Invitation.objects.open().filter(organisation=organisation).exists()
    )


def _in_scope(user) -> Q:
    """The people a user looks after: everyone for a superuser, an administrator's own
    organisation's people (never a superuser), nobody for anyone else."""
    if roles.is_superuser(user):
        return Q()
    if administers(user):
        return Q(organisation_id=user.organisation_id, is_superuser=False)
    return Q(pk__in=[])


def visible_people(user) -> QuerySet:
    """The people page's rows: the user's own organisation's people (to manage, for its
    administrators; to read, for a lead officer), everyone for a superuser. Each with
    `has_two_factor`, in the same query."""
    people = User.objects.select_related("organisation").annotate(has_two_factor=_two_factor())
    if roles.is_superuser(user):
        return people
    if not manages_people(user):
        return people.none()
    return people.filter(organisation_id=user.organisation_id)


def people_page(user, data=None) -> tuple[PeopleFilter, QuerySet]:
    """`visible_people` narrowed by the page's filters, each with `manageable`: whether the user
    may deactivate or reactivate the row, decided in the same query."""
    manageable = (
        Value(True)
        if roles.is_superuser(user)
        else ExpressionWrapper(_in_scope(user), output_field=BooleanField())
    )
    people = (
        visible_people(user)
        .annotate(manageable=manageable)
        .order_by("organisation__name", "last_name", "first_name", "pk")
    )
    filterset = PeopleFilter(data, queryset=people)
    return filterset, filterset.qs


def _two_factor():
    return Exists(Authenticator.objects.filter(user_id=OuterRef("pk")))


def can_manage(user, person: User) -> bool:
    """Deactivate or reactivate `person`: never oneself, only someone the user looks after."""
    if not manages_people(user) or person.pk == user.pk:
        return False
    if roles.is_superuser(user):
        return True
    return User.objects.filter(_in_scope(user), pk=person.pk).exists()


def can_change_role(user, person: User) -> bool:
    """An administrator changes the role of others they look after; nobody their own."""
    return (
        administers(user)
        and person.organisation_id is not None
        and not person.is_superuser
        and can_manage(user, person)
    )


def visible_invitations(user) -> QuerySet:
    """The invitations a council sent (into its own council or the providers it funds), and
    every invitation into a provider, for its administrators."""
    invitations = Invitation.objects.select_related(
        "organisation", "invited_by", "invited_by__organisation", "user"
    )
    if roles.is_superuser(user):
        return invitations
    if roles.is_provider_admin(user):
        return invitations.filter(organisation_id=user.organisation_id)
    if not roles.is_lead_officer(user):
        return invitations.none()
    sent = Q(invited_by__organisation_id=user.organisation_id)
    if roles.is_council_admin(user):
        return invitations.filter(sent | Q(organisation_id=user.organisation_id))
    return invitations.filter(sent)


def can_invite(user, organisation: Organisation, role: str) -> bool:
    return invitable_organisations(user).filter(pk=organisation.pk).exists() and role in roles_for(
        user, organisation
    )


def can_approve(user, invitation: Invitation) -> bool:
    """Approving or declining an invitation that waits is for the organisation's own
    administrators."""
    return administers_organisation(user, invitation.organisation_id)


def awaiting_approval_of(user) -> QuerySet:
    """The invitations waiting for this user's approval: into their organisation, for its
    administrators; none for anyone else (a superuser approves from the invitations list)."""
    if not (roles.is_provider_admin(user) or roles.is_council_admin(user)):
        return Invitation.objects.none()
    return Invitation.objects.awaiting_approval().filter(organisation_id=user.organisation_id)


# Who the grants reach, and the equality information report --------------------------------------


def reach_councils(user) -> QuerySet:
    """The councils whose reach the user may read: their own; any, for a superuser."""
    councils = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).order_by("name")
    if roles.is_superuser(user):
        return councils
    if grant_permissions.sees_reach(user):
        return councils.filter(pk=user.organisation_id)
    return councils.none()


def reads_equality_reports(user) -> bool:
    """Those who read who the council's grants reach read its equality information report."""
    return grant_permissions.sees_reach(user)


def chooses_council(user) -> bool:
    """A superuser chooses which council's reach and report to read; council staff read their
    own."""
    return roles.is_superuser(user)


# The audit log -------------------------------------------------------------------------------


def reads_audit_log(user) -> bool:
    """A superuser, or a council's administrator."""
    return roles.is_admin(user)


def visible_actors(user) -> QuerySet:
    """The people whose actions the user may read of in the audit log: everyone for a
    superuser; for council staff, their own council's people and the providers' people who have
    acted on the council's returns (their steps are in those returns' histories), never the rest
    of a provider's people."""
    people = User.objects.select_related("organisation").order_by("username")
    if roles.is_superuser(user):
        return people
    if not roles.is_council_staff(user):
        return people.none()
    acted = ReturnTransition.objects.filter(
        quarterly_return__in=grant_permissions.visible_returns(user).values("pk")
    ).values("by_id")
    return people.filter(Q(organisation_id=user.organisation_id) | Q(pk__in=acted))


# Home ----------------------------------------------------------------------------------------


def has_provider_tasks(user) -> bool:
    """A provider's people see what their organisation owes on their home page."""
    return roles.is_provider(user)
