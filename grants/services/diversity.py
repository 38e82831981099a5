"""A funded organisation's own diversity (`grants.diversity`): its people answer for it, once
a financial year, and may change the answers until that year ends. Nobody else answers for it.
The change history (`sla_monitor.audit`) keeps every change, with who made it and when."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from grants import diversity, permissions
from grants.models import OrganisationDiversity
from sla_monitor.models import Organisation
from sla_monitor.periods import financial_year_label, financial_year_of


@transaction.atomic
def record_diversity(
    *,
    organisation: Organisation,
    by,
    financial_year: int,
    leadership: diversity.AreaAnswer,
    mission: diversity.AreaAnswer,
    may_publish: bool,
) -> OrganisationDiversity:
    """Keep the organisation's answers for the current financial year, or change them. Only
    the fields that changed are saved; answers saved unchanged change nothing."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not permissions.can_record_diversity(by, locked):
        raise PermissionDenied(gettext("Only the organisation's own people answer for it."))
    current = financial_year_of(timezone.localdate())
    if financial_year != current:
        raise ValidationError(
            gettext(
                "Answers are given for the current financial year, %(current)s; "
                "those for %(financial_year)s can no longer be changed. Nothing was"
                " saved."
            )
            % {
                "current": financial_year_label(current),
                "financial_year": financial_year_label(financial_year),
            }
        )
    if not isinstance(may_publish, bool):
        raise ValidationError({"may_publish": gettext("Say whether your answers may be published")})
    values = {"may_publish": may_publish}
    errors = {}
    for area, answer in (
        (diversity.AREA["leadership"], leadership),
        (diversity.AREA["mission"], mission),
    ):
        answer = diversity.cleaned(answer)
        errors |= {f"{area.key}_{part}": m for part, m in diversity.problems(area, answer).items()}
        values |= {
            f"{area.key}_reply": answer.reply,
            f"{area.key}_codes": list(answer.codes),
            f"{area.key}_lived_experience": answer.lived_experience,
            f"{area.key}_geography": answer.geography,
        }
    if errors:
        raise ValidationError(errors)
    record = OrganisationDiversity.objects.filter(
        organisation=locked, financial_year=financial_year
    ).first()
    if record is None:
        record = OrganisationDiversity(
            organisation=locked, financial_year=financial_year, updated_by=by, **values
        )
        record.full_clean()
        record.save()
        return record
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    if changed:
        for name in changed:
            setattr(record, name, values[name])
        record.updated_by = by
        record.save(update_fields=[*changed, "updated_by", "updated_at"])
    return record
