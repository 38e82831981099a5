import io

import pytest
from django.core.management import CommandError, call_command

from equality_plans.models import Action, ActionPlan
from grants.models import Agreement, IndicatorAnswer, PerformanceIndicator, QuarterlyReturn

pytestmark = pytest.mark.django_db


def test_the_scale_data_set_has_the_shape_asked_for():
    call_command(
        "make_scale_data",
        "--councils=3",
        "--providers=6",
        "--agreements=6",
        "--plans=3",
        "--actions=520",
        stdout=io.StringIO(),
    )

    assert Agreement.objects.count() == 6
    assert PerformanceIndicator.objects.count() == 6 * 7
    assert QuarterlyReturn.objects.count() == 6 * 16
    assert IndicatorAnswer.objects.count() == 6 * 16 * 7
    assert Action.objects.count() == 520
    assert ActionPlan.objects.get(title="Scale equality plan 00").actions.count() == 500
    with pytest.raises(CommandError, match="already loaded"):
        call_command("make_scale_data", "--agreements=1", stdout=io.StringIO())
