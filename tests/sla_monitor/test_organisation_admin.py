"""A council's administrator of the service chooses, in the administration, the groups beyond
the protected characteristics that the council's equality impact assessments consider."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from sla_monitor.admin import OrganisationForm
from sla_monitor.models import Organisation
from tests.factories import CouncilFactory, ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


def _form(organisation, groups) -> OrganisationForm:
    data = {k: v for k, v in model_to_dict(organisation).items() if v is not None}
    data["assessment_groups"] = groups
    return OrganisationForm(data=data, instance=organisation)


def test_the_change_page_offers_each_group_as_a_checkbox(client):
    client.force_login(UserFactory(superuser=True))
    council = CouncilFactory(assessment_groups=["carers"])

    page = client.get(reverse("admin:sla_monitor_organisation_change", args=[council.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    for code in ("welsh-language", "carers", "armed-forces"):
        assert f'type="checkbox" name="assessment_groups" value="{code}"' in html
    assert 'value="carers" id="id_assessment_groups_1" checked' in html


def test_the_groups_chosen_are_kept_as_their_codes_in_order():
    council = CouncilFactory()

    form = _form(council, ["armed-forces", "welsh-language"])
    assert form.is_valid(), form.errors
    form.save()

    council.refresh_from_db()
    assert council.assessment_groups == ["welsh-language", "armed-forces"]


def test_a_group_not_offered_is_refused():
    form = _form(CouncilFactory(), ["carers", "veterans"])

    assert not form.is_valid()
    assert "assessment_groups" in form.errors


def test_a_provider_chooses_no_groups():
    provider = ProviderFactory()

    form = _form(provider, ["carers"])

    assert not form.is_valid()
    assert "Only a council" in form.errors["assessment_groups"][0]
    assert _form(provider, []).is_valid()
    assert Organisation.objects.get(pk=provider.pk).assessment_groups == []
