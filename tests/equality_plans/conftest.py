import pytest

from equality_plans.demo import load_strands
from sla_monitor.models import User
from tests.factories import ActionPlanFactory, UserFactory


@pytest.fixture
def strands(db):
    return load_strands()


@pytest.fixture
def plan(strands):
    return ActionPlanFactory(title="Kingston plan")


@pytest.fixture
def manager(plan):
    return UserFactory(role=User.Role.PLAN_MANAGER, organisation=plan.owner)
