"""A council, a provider it funds, and its lead officer and administrator: the people the
invitation and People page tests act as."""

import pytest

from sla_monitor.models import User
from tests.factories import AgreementFactory, CouncilFactory, UserFactory


@pytest.fixture
def council(db):
    return CouncilFactory()


@pytest.fixture
def funded(council):
    return AgreementFactory(funder=council).provider


@pytest.fixture
def officer(council):
    return UserFactory(role=User.Role.LEAD_OFFICER, organisation=council)


@pytest.fixture
def council_admin(council):
    return UserFactory(role=User.Role.ADMIN, organisation=council)
