import pytest
from django.urls import reverse

from sla_monitor import caching
from sla_monitor.models import DataVersion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_kept_figure_is_worked_out_again_once_data_changes():
    worked_out = []

    def figure():
        worked_out.append(1)
        return len(worked_out)

    first = caching.remember("figure", figure)
    again = caching.remember("figure", figure)
    caching.data_changed()
    after = caching.remember("figure", figure)

    assert (first, again, after) == (1, 1, 2)


def test_the_data_version_starts_itself_when_its_row_is_missing():
    DataVersion.objects.all().delete()

    before = caching.data_version()
    caching.data_changed()

    assert caching.data_version() > before


def test_a_post_moves_the_data_version_on_and_a_get_does_not(client):
    client.force_login(UserFactory(lead_officer=True))
    before = caching.data_version()

    client.get(reverse("home"))
    after_get = caching.data_version()
    client.post(reverse("logout"))

    assert after_get == before
    assert caching.data_version() == before + 1


def test_a_refused_post_moves_the_data_version_on_too(client):
    before = caching.data_version()

    client.post(reverse("login"), {"username": "nobody", "password": "wrong"})

    assert caching.data_version() == before + 1
