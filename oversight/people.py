"""Who may see, invite and manage which people: one policy for people and their invitations.

A lead officer looks after the people of the providers their council funds (an agreement with
the council as funder); a council's administrator also looks after their own council's staff; a
superuser looks after everyone. `visible_<things>(user)` are scoped querysets, so another
organisation's person or invitation is a 404; `can_<verb>(user, obj)` are the checks.
"""

from allauth.mfa.models import Authenticator
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value

from grants.models import Agreement
from sla_monitor import roles
from sla_monitor.models import Invitation, Organisation, User

COUNCIL_ROLES = [role for role in User.Role if role in roles.COUNCIL_ROLES]


def manages_people(user) -> bool:
    """Lead officers, council administrators and superusers have the people pages."""
    return roles.is_superuser(user) or roles.is_lead_officer(user)


def is_council_admin(user) -> bool:
    return roles.is_council_staff(user) and user.role == User.Role.ADMIN


def administers(user) -> bool:
    """Invites council staff and changes roles: a superuser, or a council's administrator."""
    return roles.is_superuser(user) or is_council_admin(user)


def _funded_providers(user) -> QuerySet:
    return Agreement.objects.filter(funder_id=user.organisation_id).values("provider_id")


def invitable_organisations(user) -> QuerySet:
    """Organisations the user may invite people into: the providers their council funds, and for
    an administrator their own council too."""
    organisations = Organisation.objects.order_by("kind", "name")
    if roles.is_superuser(user):
        return organisations
    if not roles.is_lead_officer(user):
        return organisations.none()
    funded = Q(kind=Organisation.Kind.PROVIDER, pk__in=_funded_providers(user))
    if is_council_admin(user):
        return organisations.filter(funded | Q(pk=user.organisation_id))
    return organisations.filter(funded)


def roles_for(user, organisation: Organisation) -> list[User.Role]:
    """The roles the user may give a person of `organisation`: a provider's people are
    providers; a council's people hold a council role, which only an administrator gives."""
    if organisation.kind == Organisation.Kind.PROVIDER:
        return [User.Role.PROVIDER]
    return COUNCIL_ROLES if administers(user) else []


def _in_scope(user) -> Q:
    """The people a user looks after: everyone for a superuser (but other superusers), the
    funded providers' people, and a council administrator's own colleagues."""
    if roles.is_superuser(user):
        return Q()
    funded = Q(role=User.Role.PROVIDER, organisation_id__in=_funded_providers(user))
    if is_council_admin(user):
        return (funded | Q(organisation_id=user.organisation_id)) & Q(is_superuser=False)
    return funded & Q(is_superuser=False)


def visible_people(user) -> QuerySet:
    """The people page's rows: those the user looks after, and a lead officer's colleagues, to
    read only. Each with `has_two_factor`, in the same query."""
    people = User.objects.select_related("organisation").annotate(has_two_factor=_two_factor())
    if roles.is_superuser(user):
        return people
    if not roles.is_lead_officer(user):
        return people.none()
    return people.filter(_in_scope(user) | Q(organisation_id=user.organisation_id))


def people_page(user) -> QuerySet:
    """`visible_people` with `manageable`: whether the user may deactivate or reactivate each
    row, decided in the same query."""
    manageable = (
        Value(True)
        if roles.is_superuser(user)
        else ExpressionWrapper(_in_scope(user), output_field=BooleanField())
    )
    return (
        visible_people(user)
        .annotate(manageable=manageable)
        .order_by("organisation__name", "last_name", "first_name", "pk")
    )


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
    invitations = Invitation.objects.select_related("organisation", "invited_by", "user")
    if roles.is_superuser(user):
        return invitations
    if not roles.is_lead_officer(user):
        return invitations.none()
    return invitations.filter(organisation__in=invitable_organisations(user).values("pk"))


def can_invite(user, organisation: Organisation, role: str) -> bool:
    return invitable_organisations(user).filter(pk=organisation.pk).exists() and role in roles_for(
        user, organisation
    )
