import pytest
from django.db.models import Count

from benchmarks.scale_data import AlreadyLoaded, make_scale_data
from equality_plans.models import Action, ActionPlan, Assessment
from grants.models import (
    Agreement,
    IndicatorAnswer,
    Message,
    PaymentInstalment,
    PaymentRun,
    PerformanceIndicator,
    QuarterlyReturn,
    ReturnTransition,
    Variation,
)
from sla_monitor.models import Notification, Organisation, User

pytestmark = pytest.mark.django_db


def test_the_scale_data_set_has_the_shape_asked_for():
    make_scale_data(councils=3, providers=6, agreements=6, plans=3, actions=520)

    assert Agreement.objects.count() == 6
    assert PerformanceIndicator.objects.count() == 6 * 7
    assert QuarterlyReturn.objects.count() == 6 * 16
    assert IndicatorAnswer.objects.count() == 6 * 16 * 7
    assert Action.objects.count() == 520
    assert ActionPlan.objects.get(title="Scale equality plan 00").actions.count() == 500
    with pytest.raises(AlreadyLoaded):
        make_scale_data(agreements=1)


def test_the_scale_data_set_keeps_the_rules_of_the_services():
    make_scale_data(councils=2, providers=3, agreements=4, plans=2, actions=510)

    for quarterly_return in QuarterlyReturn.objects.select_related("agreement"):
        steps = list(quarterly_return.transitions.order_by("pk"))
        expected = {
            "draft": [],
            "submitted": ["submitted"],
            "changes_requested": ["submitted", "changes_requested"],
            "approved": ["submitted", "approved"],
        }[quarterly_return.status]
        assert [s.to_status for s in steps] == expected
        if steps:
            assert steps[0].by.organisation_id == quarterly_return.agreement.provider_id
        if len(steps) == 2:
            assert steps[1].by_id == quarterly_return.agreement.lead_officer_id
    released = PaymentInstalment.objects.filter(status="released")
    assert released.count() == 4 * 6
    assert all(i.transitions.get().by_id == i.agreement.lead_officer_id for i in released)
    assert ReturnTransition.objects.count() > 0
    assert all(a.progress_updates.get().author_id == a.owner_id for a in Action.objects.all())


def test_scale_two_doubles_the_councils_the_plans_and_the_years_but_not_their_sizes():
    make_scale_data(councils=2, providers=4, agreements=4, plans=2, actions=510, scale=2)

    assert Organisation.objects.filter(kind="council").count() == 4
    assert Agreement.objects.count() == 8
    assert QuarterlyReturn.objects.count() == 8 * 32
    council = Organisation.objects.get(short_code="SCALE001")
    assert Agreement.objects.filter(funder=council).count() == 2
    sizes = ActionPlan.objects.annotate(size=Count("actions")).order_by("title")
    assert [p.size for p in sizes] == [500, 10, 500, 10]


def test_the_pages_measured_have_something_to_show_in_each_council():
    make_scale_data(councils=2, providers=6, agreements=6, plans=2, actions=510)

    officer = User.objects.get(username="scale-officer-1")
    assert Message.objects.filter(agreement__funder=officer.organisation).count() == 3
    assert Notification.objects.filter(recipient=officer).count() >= 3
    assert Variation.objects.filter(agreement__funder=officer.organisation).count() == 2
    assert Assessment.objects.filter(council=officer.organisation).count() == 3
    # A run for each year whose instalments were released: the three years before last.
    assert PaymentRun.objects.filter(council=officer.organisation).count() == 3
    assert User.objects.get(username="scale-finance-1").organisation == officer.organisation
