import pytest
from django.contrib import admin
from django.urls import reverse

from sla_monitor.models import User
from tests.demo_db import demo_module_fixture

demo_module = demo_module_fixture()

ADMIN_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def admin_client_with_demo(demo_module, db, client):
    client.force_login(User.objects.get(username="admin"))
    return client


@pytest.mark.ignore_template_errors
@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.label)
def test_every_changelist_and_add_page_opens_for_the_superuser(admin_client_with_demo, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    assert admin_client_with_demo.get(changelist).status_code == 200
    assert admin_client_with_demo.get(changelist, {"q": "Kettering"}).status_code == 200
    model_admin = admin.site._registry[model]
    if model_admin.has_add_permission(_request_for(admin_client_with_demo)):
        add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        assert admin_client_with_demo.get(add).status_code == 200


@pytest.mark.ignore_template_errors
def test_the_seed_agreement_change_page_shows_its_indicators_inline(admin_client_with_demo):
    from grants.models import Agreement

    agreement = Agreement.objects.get(reference="KBC-CCE-01")
    response = admin_client_with_demo.get(
        reverse("admin:grants_agreement_change", args=[agreement.pk])
    )

    assert response.status_code == 200
    assert "Adopt the Borough Council" in response.content.decode()
    assert "British Citizenship tests" in response.content.decode()


def _request_for(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = User.objects.get(username="admin")
    return request


def test_every_model_of_the_domain_is_in_the_admin():
    from django.apps import apps

    domain = {
        model
        for app in ("sla_monitor", "grants", "equality_plans")
        for model in apps.get_app_config(app).get_models()
    }
    assert domain <= set(admin.site._registry)


@pytest.mark.ignore_template_errors
def test_an_agreement_typed_into_the_admin_gets_its_quarters_and_instalments(
    admin_client_with_demo,
):
    from grants.models import Agreement, ReportingPeriod
    from sla_monitor.models import Organisation

    funder = Organisation.objects.get(short_code="KBC")
    provider = Organisation.objects.get(name="Kettering Volunteer Centre")
    data = {
        "reference": "KBC-NEW-01",
        "title_en_gb": "Hate crime reporting centre",
        "status": "active",
        "funder": funder.pk,
        "provider": provider.pk,
        "start_date": "2031-04-01",
        "end_date": "2033-03-31",
        "total_allocation": "30000.01",
    }
    for prefix in [
        "objectives",
        "requirements",
        "indicators",
        "in_kind_contributions",
        "added_values",
        "instalments",
        "budget_lines",
        "questions",
    ]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(
        {
            "indicators-TOTAL_FORMS": "1",
            "indicators-0-code": "a",
            "indicators-0-order": "1",
            "indicators-0-wording_en_gb": "Hate incidents reported through the centre",
            "indicators-0-measure_type": "count",
            "indicators-0-target": "10",
            "indicators-0-target_period": "quarter",
            "indicators-0-amber_tolerance": "10",
            "indicators-0-direction": "higher",
        }
    )

    response = admin_client_with_demo.post(reverse("admin:grants_agreement_add"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get(reference="KBC-NEW-01")
    assert agreement.indicators.get().code == "a"
    assert [str(i.amount) for i in agreement.instalments.all()] == [
        "7500.00",
        "7500.00",
        "7500.00",
        "7500.01",
    ]
    assert ReportingPeriod.objects.filter(financial_year__in=[2031, 2032]).count() == 8


@pytest.mark.ignore_template_errors
def test_a_funds_questions_are_set_inline_and_an_answered_one_is_never_deleted(
    admin_client_with_demo,
):
    from grants.models import Fund

    fund = Fund.objects.get(council__short_code="KBC")
    answered = fund.questions.get(wording="How many volunteers helped this quarter?")

    page = admin_client_with_demo.get(reverse("admin:grants_fund_change", args=[fund.pk]))
    delete = admin_client_with_demo.get(
        reverse("admin:grants_fundquestion_delete", args=[answered.pk])
    )

    assert "Has your safeguarding policy been reviewed this year?" in page.content.decode()
    assert answered.answers.exists()
    assert delete.status_code == 403
