"""A council's area's population: recorded in the administration or by the council's own
administrator, refused (and nothing saved) when its shares don't add up; the demo's districts."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from equality_plans import services
from equality_plans.models import PopulationProfile, PopulationShare
from sla_monitor import equality
from sla_monitor.models import Organisation, User
from tests.factories import CouncilFactory, PopulationProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_ADD = reverse("admin:equality_plans_populationprofile_add")


def admin_data(council, *shares, **fields) -> dict:
    data = {
        "council": council.pk,
        "area": "Kettering Borough",
        "source": "2021 Census",
        "year": "2021",
        "under_reach_tolerance": "5.0",
        "notes": "",
        "shares-TOTAL_FORMS": str(len(shares)),
        "shares-INITIAL_FORMS": "0",
        "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "1000",
    } | fields
    for number, (characteristic, category, share) in enumerate(shares):
        data |= {
            f"shares-{number}-characteristic": characteristic,
            f"shares-{number}-category": category,
            f"shares-{number}-share": share,
        }
    return data


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(superuser=True))
    return client


def test_the_admin_saves_a_profile_whose_shares_add_up(superuser_client):
    council = CouncilFactory()

    response = superuser_client.post(
        ADMIN_ADD,
        admin_data(
            council,
            ("sex", "female", "51"),
            ("sex", "male", "49"),
            ("race", "ethnic-minority", "7.6"),
        ),
    )

    assert response.status_code == 302
    profile = PopulationProfile.objects.get(council=council)
    assert profile.shares.count() == 3


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        (
            [("sex", "female", "60"), ("sex", "male", "50")],
            "Sex: Female, Male make 110% of the population, more than 100%.",
        ),
        (
            [("sex", "female", "40"), ("sex", "male", "40")],
            "Sex: Female, Male cover everyone but make 80%, not 100%.",
        ),
        (
            [("race", "asian", "90"), ("race", "black", "20")],
            "make 110% of the population, more than 100%.",
        ),
        ([("sex", "christian", "50")], "Sex has no category or group “christian”."),
        ([("sex", "martian", "50")], "Select a valid choice. martian is not one of"),
        ([("sex", "female", "101")], "A share is a percentage from 0 to 100."),
    ],
    ids=[
        "over 100",
        "complete set not 100",
        "groups that do not overlap over 100",
        "a category of another characteristic",
        "an unknown code",
        "a share over 100",
    ],
)
def test_the_admin_refuses_shares_that_dont_add_up_and_saves_nothing(
    superuser_client, shares, message
):
    council = CouncilFactory()

    response = superuser_client.post(ADMIN_ADD, admin_data(council, *shares))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PopulationProfile.objects.exists()
    assert not PopulationShare.objects.exists()


def test_the_admin_refuses_a_change_that_breaks_a_profile_and_keeps_it_as_it_was(
    superuser_client,
):
    profile = PopulationProfileFactory(shares={"sex": {"female": "51", "male": "49"}})
    female, male = profile.shares.order_by("category")
    data = admin_data(profile.council, area="Changed") | {
        "shares-TOTAL_FORMS": "2",
        "shares-INITIAL_FORMS": "2",
        "shares-0-id": female.pk,
        "shares-0-profile": profile.pk,
        "shares-0-characteristic": "sex",
        "shares-0-category": "female",
        "shares-0-share": "71",
        "shares-1-id": male.pk,
        "shares-1-profile": profile.pk,
        "shares-1-characteristic": "sex",
        "shares-1-category": "male",
        "shares-1-share": "49",
    }

    response = superuser_client.post(
        reverse("admin:equality_plans_populationprofile_change", args=[profile.pk]), data
    )

    assert response.status_code == 200
    assert "more than 100%" in response.content.decode()
    profile.refresh_from_db()
    assert profile.area != "Changed"
    assert sorted(profile.shares.values_list("share", flat=True)) == [Decimal(49), Decimal(51)]


# The council administrator's page --------------------------------------------------------------


@pytest.fixture
def administrator():
    return UserFactory(role=User.Role.ADMIN, organisation=CouncilFactory(name="Kettering BC"))


def page(council):
    return reverse("equality_plans:population_profile", args=[council.pk])


def page_data(**shares) -> dict:
    return {
        "area": "Kettering Borough",
        "source": "2021 Census",
        "year": "2021",
        "under_reach_tolerance": "5",
        "notes": "Age is left out.",
    } | {f"share-{key.replace('__', '-')}": value for key, value in shares.items()}


def test_the_council_administrator_records_the_areas_population(administrator, client):
    client.force_login(administrator)
    council = administrator.organisation

    response = client.post(
        page(council), page_data(sex__female="51", sex__male="49", race__ethnic_minority="")
    )

    assert response.status_code == 302
    profile = PopulationProfile.objects.get(council=council)
    assert (profile.area, profile.year, profile.notes) == (
        "Kettering Borough",
        2021,
        "Age is left out.",
    )
    assert dict(profile.shares.values_list("category", "share")) == {
        "female": Decimal(51),
        "male": Decimal(49),
    }


def test_the_change_history_keeps_who_recorded_the_population(administrator, client):
    client.force_login(administrator)

    client.post(page(administrator.organisation), page_data(sex__female="51", sex__male="49"))

    entries = LogEntry.objects.filter(
        content_type__model__in=["populationprofile", "populationshare"]
    )
    assert entries.count() == 3
    assert {entry.actor for entry in entries} == {administrator}
    log = client.get(reverse("oversight:audit_log")).content.decode()
    assert "Sex, Female: 51%" in log


def test_recording_again_replaces_the_shares(administrator, client):
    council = administrator.organisation
    PopulationProfileFactory(council=council, shares={"religion-belief": {"christian": "74"}})
    client.force_login(administrator)

    page_html = client.get(page(council)).content.decode()
    client.post(page(council), page_data(sex__female="51", sex__male="49"))

    assert 'value="74"' in page_html
    assert set(PopulationShare.objects.values_list("characteristic", "category")) == {
        ("sex", "female"),
        ("sex", "male"),
    }


def test_shares_that_dont_add_up_are_refused_with_the_error_beside_them(administrator, client):
    council = administrator.organisation
    client.force_login(administrator)

    response = client.post(page(council), page_data(sex__female="60", sex__male="50"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Area's population" in html
    assert (
        '<a href="#id_share-sex-female">Sex: Female, Male make 110% of the population, more '
        "than 100%.</a>" in html
    )
    assert 'id="share-sex_error"' in html
    assert not PopulationProfile.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "Sex, Female: the share must be a number, like 7.6"),
        ("-1", "Sex, Female: the share must be 0 or more"),
        ("100.5", "Sex, Female: the share must be 100 or less"),
        ("7.125", "Sex, Female: give the share to at most two decimal places"),
    ],
)
def test_a_share_that_is_not_a_percentage_is_refused_beside_its_field(
    administrator, client, value, message
):
    client.force_login(administrator)

    response = client.post(page(administrator.organisation), page_data(sex__female=value))

    assert f'<a href="#id_share-sex-female">{message}</a>' in response.content.decode()
    assert 'id="id_share-sex-female_error"' in response.content.decode()
    assert not PopulationProfile.objects.exists()


def test_missing_details_are_refused(administrator, client):
    client.force_login(administrator)

    response = client.post(page(administrator.organisation), {"year": "3000"})

    html = response.content.decode()
    assert "Enter the area the figures describe" in html
    assert "Enter where the figures come from" in html
    assert "The year must be this year or earlier" in html
    assert not PopulationProfile.objects.exists()


def record(council, by, shares):
    return services.record_population(
        council=council,
        by=by,
        area="Area",
        source="Census",
        year=2021,
        under_reach_tolerance=Decimal(5),
        notes="",
        shares=shares,
    )


def test_only_the_councils_administrators_record_its_population():
    council = CouncilFactory()
    officer = UserFactory(lead_officer=True, organisation=council)
    other_administrator = UserFactory(role=User.Role.ADMIN, organisation=CouncilFactory())

    for person in (officer, other_administrator):
        with pytest.raises(PermissionDenied):
            record(council, person, {})
    assert not PopulationProfile.objects.exists()


def test_the_service_refuses_unknown_characteristics_and_codes():
    council = CouncilFactory()
    administrator = UserFactory(role=User.Role.ADMIN, organisation=council)

    with pytest.raises(ValidationError) as refused:
        record(
            council,
            administrator,
            {"height": {"tall": Decimal(5)}, "sex": {"christian": Decimal(50)}},
        )

    assert refused.value.message_dict == {
        "height": ["There is no protected characteristic “height”."],
        "sex": ["Sex has no category or group “christian”."],
    }
    assert not PopulationProfile.objects.exists()


# The demo ---------------------------------------------------------------------------------------


def test_the_demo_has_seed_003s_district_figures_and_no_figures_for_kettering(demo_data):
    profiles = {p.council.short_code: p for p in PopulationProfile.objects.all()}

    assert sorted(profiles) == ["BDC", "CBC", "HBBC", "HDC", "MBC", "NWL", "OWBC"]
    blaby = profiles["BDC"]
    assert (blaby.area, blaby.year) == ("Blaby District", 2003)
    assert "Single Equality Scheme 2011-2014, section 4.2.1" in blaby.source
    assert "only as a bound (over 22%)" in blaby.notes
    assert dict(blaby.shares.values_list("category", "share")) == {
        "ethnic-minority": Decimal("7.6"),
        "christian": Decimal("74"),
        "hindu": Decimal("1.9"),
    }
    oadby = dict(profiles["OWBC"].shares.values_list("category", "share"))
    assert (oadby["sikh"], oadby["muslim"]) == (Decimal("4.2"), Decimal("2.8"))
    assert not PopulationProfile.objects.filter(council__short_code="KBC").exists()
    for profile in profiles.values():
        by_characteristic = {}
        for share in profile.shares.all():
            by_characteristic.setdefault(share.characteristic, {})[share.category] = share.share
        for code, shares in by_characteristic.items():
            assert equality.share_errors(code, shares) == []


def test_the_demo_has_kettering_s_equality_officer_with_a_second_factor(demo_data):
    from sla_monitor import accounts

    cohesion = User.objects.get(username="cohesion")

    assert cohesion.role == User.Role.ACTION_OWNER
    assert cohesion.organisation == Organisation.objects.get(short_code="KBC")
    assert cohesion.job_title == "Community Cohesion and Equalities Officer"
    assert accounts.has_two_factor(cohesion)
