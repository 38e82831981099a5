"""Adding a provider organisation: a council's lead officer adds one it is to fund, with its
registration numbers checked as their registers write them (`sla_monitor.registers`) and its
organisation identifier made from them. An organisation already listed is never added twice.
The change history (`sla_monitor.audit`) records who added it."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Lower, Replace
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants import permissions
from sla_monitor.models import Organisation, normalise_email
from sla_monitor.text import visible

# What refuses an organisation already listed, by the field it shares; `{name}` is the listed
# organisation's name (a link to its page where the person may open it).
DUPLICATE = {
    "charity_number": _(
        "{name} is already listed with this charity number: choose it from the providers, or "
        "check the number."
    ),
    "company_number": _(
        "{name} is already listed with this company number: choose it from the providers, or "
        "check the number."
    ),
    "name": _("{name} is already listed at this postcode: choose it from the providers."),
    "name_elsewhere": _(
        "Another organisation, {name}, already has this name. If it is the one you mean, choose "
        "it from the providers; if not, add what tells them apart to the name, such as its town."
    ),
}

# Which number a provider of a type is registered by.
NEEDS_NUMBER = {
    Organisation.Type.CHARITY: (
        "charity_number",
        _("Enter the charity number of a registered charity."),
    ),
    Organisation.Type.CIO: (
        "charity_number",
        _("Enter the charity number of a charitable incorporated organisation."),
    ),
    Organisation.Type.COMPANY: ("company_number", _("Enter the company number.")),
    Organisation.Type.CIC: (
        "company_number",
        _("Enter the company number of a community interest company."),
    ),
}


@dataclass(frozen=True)
class Duplicate:
    field: str  # the field the form shows the refusal beside
    reason: str  # a key of DUPLICATE
    existing: Organisation


class DuplicateProviderError(ValidationError):
    """The organisation is already listed: `duplicate` says which one, and by what."""

    def __init__(self, duplicate: Duplicate):
        self.duplicate = duplicate
        message = DUPLICATE[duplicate.reason].format(name=duplicate.existing.name)
        super().__init__({duplicate.field: message})


def _squashed(field: str):
    return Lower(Replace(field, Value(" "), Value("")))


def duplicate_of(organisation: Organisation) -> Duplicate | None:
    """An organisation already listed that this one would repeat: the same charity number on
    the same register, the same company number, or the same name (case and spaces aside), at
    the same postcode or, since names are unique, at another."""
    organisations = Organisation.objects.exclude(pk=organisation.pk)
    if organisation.charity_number:
        same = organisations.filter(
            charity_register=organisation.charity_register,
            charity_number=organisation.charity_number,
        ).first()
        if same:
            return Duplicate("charity_number", "charity_number", same)
    if organisation.company_number:
        same = organisations.filter(company_number=organisation.company_number).first()
        if same:
            return Duplicate("company_number", "company_number", same)
    name = "".join(organisation.name.split()).lower()
    same = organisations.alias(squashed=_squashed("name")).filter(squashed=name).first()
    if same:
        postcode = "".join(organisation.postcode.split()).lower()
        at_same_postcode = "".join(same.postcode.split()).lower() == postcode
        return Duplicate("name", "name" if at_same_postcode else "name_elsewhere", same)
    return None


def _plain_name(name: str) -> str:
    """The name as it reads: invisible characters (a zero-width space, a direction mark) taken
    out, so that a name cannot look the same as one listed and pass as another; runs of spaces as
    one."""
    return " ".join(visible(name).split())


@transaction.atomic
def add_provider(
    *,
    by,
    name: str,
    organisation_type: str,
    address: str,
    postcode: str,
    charity_number: str = "",
    charity_register: str = "",
    company_number: str = "",
    contact_email: str = "",
) -> Organisation:
    """Add a provider organisation, its numbers and postcode written as their registers write
    them and its identifier made from them. Refused, with nothing saved, when a number or the
    postcode is not one its register would write, when its type's number is missing, or when
    the organisation is already listed (`DuplicateProviderError`)."""
    if not permissions.can_add_provider(by):
        raise PermissionDenied(
            gettext("Only a council's lead officers add provider organisations.")
        )
    organisation = Organisation(
        kind=Organisation.Kind.PROVIDER,
        name=_plain_name(name),
        organisation_type=organisation_type,
        address=address.strip(),
        postcode=postcode,
        charity_number=charity_number,
        charity_register=charity_register,
        company_number=company_number,
        contact_email=normalise_email(contact_email),
    )
    errors = {}
    try:
        organisation.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if organisation_type in NEEDS_NUMBER:
        field, message = NEEDS_NUMBER[organisation_type]
        if not getattr(organisation, field).strip():
            errors.setdefault(field, []).append(ValidationError(message, code="required"))
    if errors:
        raise ValidationError(errors)
    duplicate = duplicate_of(organisation)
    if duplicate is not None:
        raise DuplicateProviderError(duplicate)
    organisation.full_clean()
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as error:
        # Added by someone else between the check and the save.
        raise ValidationError(
            _(
                "An organisation with these details was added a moment ago: choose it from "
                "the providers."
            ),
            code="added_meanwhile",
        ) from error
    return organisation
