"""What councils write, in Welsh and English: kept in both languages, shown in the reader's, or
in the other marked as such; written in both where the council offers Welsh."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from grants import services
from grants.models import (
    Agreement,
    AgreementObjective,
    Fund,
    FundTheme,
    MinimumRequirement,
    PerformanceIndicator,
)
from grants.services.agreements import agreement_version, edit_field
from sla_monitor.models import User
from tests.factories import CouncilFactory, FundFactory, ProviderFactory, UserFactory
from tests.grants import test_agreement_setup as set_up_pages

pytestmark = pytest.mark.django_db

WELSH_TITLE = "Manyleb Gwasanaeth Cydlyniant Cymunedol"


@pytest.fixture
def agreement(funded):
    services.set_up_agreement(agreement=funded.agreement)
    funded.agreement.refresh_from_db()
    return funded.agreement


def _page(client, agreement):
    return client.get(reverse("grants:agreement_detail", args=[agreement.pk])).content.decode()


def _offer_welsh(agreement):
    council = agreement.funder
    council.welsh_offer = True
    council.save(update_fields=["welsh_offer"])


def _reads(person, language):
    """The person chooses the language of their pages, as on their account page."""
    User.objects.filter(pk=person.pk).update(language=language)


def test_an_agreements_title_is_kept_in_both_languages_and_shown_in_the_readers(
    funded, agreement, client
):
    Agreement.objects.filter(pk=agreement.pk).update(
        title_en_gb="Community Cohesion Specification", title_cy=WELSH_TITLE
    )
    _offer_welsh(agreement)
    client.force_login(funded.provider_user)

    _reads(funded.provider_user, "cy")
    welsh = _page(client, agreement)
    _reads(funded.provider_user, "en-gb")
    english = _page(client, agreement)

    assert f"<h1>{WELSH_TITLE}</h1>" in welsh
    assert "<h1>Community Cohesion Specification</h1>" in english
    assert WELSH_TITLE not in english


def test_a_welsh_reader_sees_the_english_marked_as_english_where_there_is_no_welsh(
    funded, agreement, client
):
    indicator = funded.indicators["per_quarter"]
    _offer_welsh(agreement)
    _reads(funded.provider_user, "cy")
    client.force_login(funded.provider_user)

    page = _page(client, agreement)

    assert f'<span lang="en">{indicator.wording_en_gb}</span>' in page
    with translation.override("cy"):
        note = translation.gettext("Only in English")
    assert f"({note})" in page


def test_an_english_reader_sees_the_welsh_marked_as_welsh_where_there_is_no_english(
    funded, agreement, client
):
    AgreementObjective.objects.create(
        agreement=agreement, order=1, text_en_gb="", text_cy="Lleihau troseddau casineb"
    )
    _reads(funded.provider_user, "en-gb")
    client.force_login(funded.provider_user)

    page = _page(client, agreement)

    assert '<span lang="cy">Lleihau troseddau casineb</span>' in page
    assert "(Only in Welsh)" in page


def test_the_return_pages_show_the_indicators_wording_in_the_readers_language(funded, client):
    indicator = funded.indicators["per_quarter"]
    PerformanceIndicator.objects.filter(pk=indicator.pk).update(
        wording_cy="Grwpiau a gefnogwyd sy'n hyrwyddo perthynas dda rhwng cymunedau."
    )
    quarterly_return = funded.start()
    _offer_welsh(funded.agreement)
    _reads(funded.provider_user, "cy")
    client.force_login(funded.provider_user)

    page = client.get(
        reverse("grants:indicator_answer", args=[quarterly_return.pk, indicator.pk])
    ).content.decode()

    assert "Grwpiau a gefnogwyd sy&#x27;n hyrwyddo perthynas dda rhwng cymunedau." in page


def test_the_fund_page_shows_its_name_and_themes_in_welsh(funded, client):
    fund = FundFactory(council=funded.agreement.funder, name="Community Fund")
    Fund.objects.filter(pk=fund.pk).update(name_cy="Cronfa Gymunedol")
    FundTheme.objects.create(fund=fund, order=1, name_en_gb="Volunteering", name_cy="Gwirfoddoli")
    _offer_welsh(funded.agreement)
    _reads(funded.officer, "cy")
    client.force_login(funded.officer)

    page = client.get(reverse("grants:fund_detail", args=[fund.pk])).content.decode()

    assert "<h1>Cronfa Gymunedol</h1>" in page
    assert "Gwirfoddoli" in page
    assert "Volunteering" not in page


# Writing both languages -----------------------------------------------------------------------


def _edit_form(client, agreement):
    response = client.get(reverse("grants:edit_agreement", args=[agreement.pk]))
    assert response.status_code == 200
    return response.context["form"]


def test_the_edit_page_has_only_english_fields_where_the_council_does_not_offer_welsh(
    funded, agreement, client
):
    client.force_login(funded.officer)

    form = _edit_form(client, agreement)

    assert not {"title_cy", "purpose_cy", "objectives_cy", "requirements_cy"} & set(form.fields)
    assert str(form.fields["title"].label) == "Title"


def test_the_edit_page_has_both_languages_where_the_council_offers_welsh(funded, agreement, client):
    _offer_welsh(agreement)
    indicator = funded.indicators["per_quarter"]
    client.force_login(funded.officer)

    form = _edit_form(client, agreement)

    assert {"title_cy", "purpose_cy", "objectives_cy", "requirements_cy"} <= set(form.fields)
    assert edit_field("indicator", indicator.pk, "wording_cy") in form.fields
    assert str(form.fields["title"].label) == "Title (English)"
    assert str(form.fields["title_cy"].label) == "Title (Welsh)"
    assert form.fields["title_cy"].widget.attrs["lang"] == "cy"
    _reads(funded.officer, "cy")
    welsh_form = _edit_form(client, agreement)
    with translation.override("cy"):
        assert str(welsh_form.fields["title_cy"].label) == translation.gettext(
            "%(label)s (Welsh)"
        ) % {"label": welsh_form.fields["title_cy"].label.split(" (")[0]}


def test_a_lead_officer_saves_the_welsh_beside_the_english_whatever_language_they_read(
    funded, agreement, client
):
    _offer_welsh(agreement)
    indicator = funded.indicators["per_quarter"]
    client.force_login(funded.officer)
    data = {
        name: value
        for name, value in _edit_form(client, agreement).initial.items()
        if value is not None
    }
    data.update(
        {
            "version": agreement_version(agreement),
            "title": "Community Cohesion Specification",
            "title_cy": WELSH_TITLE,
            "lead_officer": str(funded.officer.pk),
            "objectives": "Reduce hate crime\nSupport new arrivals",
            "objectives_cy": "Lleihau troseddau casineb\n",
            "requirements": "\n".join(r.text for r in agreement.requirements.all()),
            "award_date": "",
        }
    )
    for i in agreement.indicators.all():
        data[edit_field("indicator", i.pk, "wording")] = i.wording
        data[edit_field("indicator", i.pk, "unit")] = i.unit
        data[edit_field("indicator", i.pk, "target")] = "" if i.target is None else i.target
        data[edit_field("indicator", i.pk, "amber_tolerance")] = i.amber_tolerance
    data[edit_field("indicator", indicator.pk, "wording_cy")] = "Grwpiau a gefnogwyd"
    for i in agreement.instalments.all():
        data[edit_field("instalment", i.pk, "amount")] = i.amount
        data[edit_field("instalment", i.pk, "due_date")] = i.due_date.isoformat()
        data[edit_field("instalment", i.pk, "depends_on_period")] = i.depends_on_period_id or ""

    _reads(funded.officer, "cy")
    response = client.post(reverse("grants:edit_agreement", args=[agreement.pk]), data)

    assert response.status_code == 302, response.context["form"].errors
    assert response["Content-Language"] == "cy"
    agreement.refresh_from_db()
    assert (agreement.title_en_gb, agreement.title_cy) == (
        "Community Cohesion Specification",
        WELSH_TITLE,
    )
    assert [(o.text_en_gb, o.text_cy) for o in agreement.objectives.order_by("order")] == [
        ("Reduce hate crime", "Lleihau troseddau casineb"),
        ("Support new arrivals", ""),
    ]
    indicator.refresh_from_db()
    assert indicator.wording_cy == "Grwpiau a gefnogwyd"
    assert indicator.wording_en_gb == funded.indicators["per_quarter"].wording_en_gb


def test_an_agreement_set_up_in_welsh_keeps_its_english_in_the_english_column(funded):
    council = funded.agreement.funder
    with translation.override("cy"):
        agreement = services.create_agreement(
            by=funded.officer,
            details={
                "reference": "CY-01",
                "title": "Hub Specification",
                "title_cy": "Manyleb yr Hyb",
                "funder": council,
                "provider": funded.agreement.provider,
                "lead_officer": funded.officer,
                "start_date": funded.agreement.start_date,
                "end_date": funded.agreement.end_date,
                "total_allocation": Decimal("1000.00"),
            },
            objectives=["Open the hub"],
            objectives_cy=["Agor yr hyb"],
            requirements=["Keep a register"],
            in_kind=[],
            added_values=[],
            indicators=[],
        )

    agreement.refresh_from_db()
    assert (agreement.title_en_gb, agreement.title_cy) == ("Hub Specification", "Manyleb yr Hyb")
    objective = agreement.objectives.get()
    assert (objective.text_en_gb, objective.text_cy) == ("Open the hub", "Agor yr hyb")
    requirement = agreement.requirements.get()
    assert (requirement.text_en_gb, requirement.text_cy) == ("Keep a register", "")


def test_the_administration_saves_both_languages(funded, agreement, client):
    requirement = agreement.requirements.order_by("number").first()
    admin = UserFactory(
        username="superuser", is_staff=True, is_superuser=True, role=User.Role.ADMIN
    )
    client.force_login(admin)
    url = reverse("admin:grants_minimumrequirement_change", args=[requirement.pk])

    form = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "agreement": agreement.pk,
            "number": requirement.number,
            "text_en_gb": "Attend the monitoring meetings.",
            "text_cy": "Mynychu'r cyfarfodydd monitro.",
        },
    )

    assert 'name="text_en_gb"' in form and 'name="text_cy"' in form
    assert '<script src="http' not in form
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert (requirement.text_en_gb, requirement.text_cy) == (
        "Attend the monitoring meetings.",
        "Mynychu'r cyfarfodydd monitro.",
    )


# Pages ask no more of the database in Welsh ----------------------------------------------------


def test_the_agreement_page_runs_the_same_queries_with_welsh_text_as_without(
    funded, agreement, client, same_queries
):
    _offer_welsh(agreement)
    _reads(funded.officer, "cy")
    client.force_login(funded.officer)
    url = reverse("grants:agreement_detail", args=[agreement.pk])

    def in_welsh():
        return client.get(url, {"year": 2025})

    def write_welsh():
        Agreement.objects.filter(pk=agreement.pk).update(title_cy=WELSH_TITLE)
        PerformanceIndicator.objects.filter(agreement=agreement).update(wording_cy="Dangosydd")
        MinimumRequirement.objects.filter(agreement=agreement).update(text_cy="Gofyniad")

    counted = same_queries(in_welsh, grow=write_welsh)

    assert WELSH_TITLE in counted.result.content.decode()


# The migration --------------------------------------------------------------------------------


def _migrate(*targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets) or executor.loader.graph.leaf_nodes())
    return executor


@pytest.fixture
def schema_left_as_found():
    yield
    _migrate()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("schema_left_as_found")
def test_the_migration_keeps_the_text_written_before_as_the_english():
    council = CouncilFactory()
    before = ("grants", "0022_stored_figures")
    executor = _migrate(before)
    old = executor.loader.project_state([before]).apps
    fund = old.get_model("grants", "Fund").objects.create(
        council_id=council.pk,
        name="Community Fund",
        description="For community groups.",
        budget=Decimal("1000.00"),
        start_date="2025-04-01",
        end_date="2026-03-31",
    )

    _migrate()

    migrated = Fund.objects.get(pk=fund.pk)
    assert (migrated.name_en_gb, migrated.description_en_gb) == (
        "Community Fund",
        "For community groups.",
    )
    assert not migrated.name_cy
    with translation.override("cy"):
        assert Fund.objects.get(pk=fund.pk).name == "Community Fund"


def test_a_council_that_offers_welsh_sets_up_an_agreement_in_both_languages(client):
    council = CouncilFactory(name="Ceredigion County Council", welsh_offer=True)
    officer = UserFactory(lead_officer=True, organisation=council)
    provider = ProviderFactory(name="Aberaeron Community Association")
    client.force_login(officer)
    client.get(set_up_pages.URL)
    _reads(officer, "cy")

    for name, data in [
        (
            "details",
            {
                **set_up_pages.details(council, provider, officer),
                "details-title_cy": "Canolfan adrodd troseddau casineb",
                "details-purpose_cy": "Canolfan trydydd parti i adrodd troseddau casineb.",
            },
        ),
        (
            "terms",
            {
                "terms-objectives": "Run the centre\nTrain volunteers\n",
                "terms-objectives_cy": "Cynnal y ganolfan\n",
                "terms-requirements": "Attend monitoring meetings",
                "terms-requirements_cy": "Mynychu cyfarfodydd monitro",
                "terms-outcome": "",
                "terms-outcome_cy": "",
                "terms-in_kind": "",
                "terms-added_values": "",
                "terms-payment_terms": "",
            },
        ),
        ("indicators", set_up_pages.indicators([set_up_pages.COUNT])),
        ("schedule", {}),
    ]:
        response = set_up_pages.step(client, name, data)
        assert response.status_code == 200, name
        assert response["Content-Language"] == "cy", name
        assert not response.context["wizard"]["form"].errors, name
    set_up_pages.step(client, "check", {})

    agreement = Agreement.objects.get(reference="KBC-HATE-01")
    assert (agreement.title_en_gb, agreement.title_cy) == (
        "Hate crime reporting centre",
        "Canolfan adrodd troseddau casineb",
    )
    assert agreement.purpose_cy == "Canolfan trydydd parti i adrodd troseddau casineb."
    assert [(o.text_en_gb, o.text_cy) for o in agreement.objectives.order_by("order")] == [
        ("Run the centre", "Cynnal y ganolfan"),
        ("Train volunteers", ""),
    ]
    assert agreement.requirements.get().text_cy == "Mynychu cyfarfodydd monitro"


def test_the_set_up_pages_ask_for_english_alone_where_the_council_does_not_offer_welsh(client):
    council = CouncilFactory()
    officer = UserFactory(lead_officer=True, organisation=council)
    client.force_login(officer)

    form = client.get(set_up_pages.URL).context["wizard"]["form"]

    assert "title_cy" not in form.fields


def test_a_requirement_written_only_in_english_is_marked_so_in_a_welsh_readers_form(agreement):
    from grants.forms.returns import written_label

    requirement = agreement.requirements.first()
    with translation.override("cy"):
        label = written_label(requirement.number, requirement, "text")
    assert f'<span lang="en">{requirement.text_en_gb}</span>' in label
    with translation.override("en-gb"):
        assert written_label(requirement.number, requirement, "text") == (
            f"{requirement.number}. {requirement.text_en_gb}"
        )
