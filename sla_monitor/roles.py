"""Who a user is: their role and their organisation. The apps' permission policies
(`grants.permissions`, `equality_plans.permissions`) build on these and on nothing else."""

from sla_monitor.models import LEAD_OFFICER_ROLES, PROVIDER_ROLES, User

COUNCIL_ROLES = frozenset(
    {
        User.Role.LEAD_OFFICER,
        User.Role.ACTION_OWNER,
        User.Role.PLAN_MANAGER,
        User.Role.FINANCE_OFFICER,
        User.Role.SENIOR_OFFICER,
        User.Role.ADMIN,
    }
)


def is_superuser(user) -> bool:
    return user.is_authenticated and user.is_superuser


def is_admin(user) -> bool:
    """A superuser, or a council's administrator."""
    return is_superuser(user) or is_council_admin(user)


def is_provider(user) -> bool:
    """Someone working for a funded provider organisation."""
    return (
        user.is_authenticated
        and not user.is_superuser
        and user.role in PROVIDER_ROLES
        and user.organisation_id is not None
    )


def is_provider_admin(user) -> bool:
    """A provider's own administrator: lets its people in and manages them."""
    return is_provider(user) and user.role == User.Role.PROVIDER_ADMIN


def is_council_admin(user) -> bool:
    return is_council_staff(user) and user.role == User.Role.ADMIN


def is_council_staff(user) -> bool:
    return (
        user.is_authenticated
        and user.role in COUNCIL_ROLES
        and user.organisation_id is not None
        and user.organisation.is_council
    )


def is_lead_officer(user) -> bool:
    """Council staff who oversee their council's grants: lead officers and administrators."""
    return is_council_staff(user) and user.role in LEAD_OFFICER_ROLES


def is_finance_officer(user) -> bool:
    """Council staff who authorise their council's payments and send them to its finance
    system."""
    return is_council_staff(user) and user.role == User.Role.FINANCE_OFFICER


def is_senior_officer(user) -> bool:
    """Council staff who sign off their council's equality impact assessments (never one they
    wrote)."""
    return is_council_staff(user) and user.role == User.Role.SENIOR_OFFICER


def is_plan_manager(user) -> bool:
    return is_council_staff(user) and user.role == User.Role.PLAN_MANAGER


def belongs_to(user, organisation_id: int | None) -> bool:
    """The user works for that organisation."""
    return (
        user.is_authenticated
        and organisation_id is not None
        and user.organisation_id == organisation_id
    )
