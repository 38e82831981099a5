"""Figures saved before they were published: the migration rounds them as the service does."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from grants import beneficiaries
from grants.models import BeneficiaryCount, BeneficiaryFigures
from tests.factories import BeneficiaryFiguresFactory

BEFORE = ("grants", "0010_organisation_diversity")
AFTER = ("grants", "0011_published_beneficiary_figures")


def _migrate(*targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets) or executor.loader.graph.leaf_nodes())


@pytest.fixture
def schema_left_as_found():
    """The schema migrated back to the latest migrations afterwards: the tests after this one
    share its database, and an older schema would fail them (a column since removed)."""
    yield
    _migrate()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("schema_left_as_found")
def test_the_migration_publishes_saved_figures_as_the_service_would():
    saved = [
        BeneficiaryFiguresFactory(
            people_reached=people,
            counts={"sex": sex, "race": {"white-british": people - 1, "asian-indian": 1}},
        )
        for people, sex in [(7, {"female": 3, "male": 4}), (43, {"female": 3, "male": 40})]
    ]
    expected = {
        figures.pk: beneficiaries.publish(
            return_id=figures.quarterly_return_id,
            people_reached=figures.people_reached,
            counts={
                code: {c.category: c.count for c in figures.counts.filter(characteristic=code)}
                for code in ("sex", "race")
            },
        )
        for figures in saved
    }

    _migrate(BEFORE)
    _migrate(AFTER)

    for pk, published in expected.items():
        assert BeneficiaryFigures.objects.get(pk=pk).people_reached_published == (
            published.people_reached
        )
        for count in BeneficiaryCount.objects.filter(figures_id=pk):
            assert count.published == published.counts[count.characteristic][count.category]
