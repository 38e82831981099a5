import django_filters
from django.utils.translation import gettext_lazy as _

from grants import permissions
from grants.models import (
    Agreement,
    Fund,
    IndicatorAnswer,
    PerformanceIndicator,
    QuarterlyReturn,
    ReportingPeriod,
)
from sla_monitor.filters import overdue_filter
from sla_monitor.forms import FilterForm
from sla_monitor.models import Organisation

# The review queue names a submitted return by what it waits for.
QUEUE_STATUSES = [
    (value, _("Awaiting review") if value == QuarterlyReturn.Status.SUBMITTED else label)
    for value, label in QuarterlyReturn.Status.choices
]


def _scope_choices(filters, user) -> None:
    """Offer only the agreements, providers, funds and quarters the user may see."""
    agreements = permissions.visible_agreements(user).select_related(None)
    filters["agreement"].queryset = agreements.only("reference", "title").order_by("reference")
    filters["provider"].queryset = Organisation.objects.filter(pk__in=agreements.values("provider"))
    filters["fund"].queryset = Fund.objects.filter(pk__in=agreements.values("fund")).select_related(
        "council"
    )
    filters["period"].queryset = ReportingPeriod.objects.filter(
        pk__in=permissions.visible_returns(user).values("period")
    ).order_by("-financial_year", "-quarter")


class ReturnFilter(django_filters.FilterSet):
    """The review queue's filters; every choice list is scoped to what the officer may see."""

    status = django_filters.ChoiceFilter(choices=QUEUE_STATUSES, empty_label=_("Any status"))
    period = django_filters.ModelChoiceFilter(
        label=_("Quarter"), queryset=ReportingPeriod.objects.none(), empty_label=_("Any quarter")
    )
    provider = django_filters.ModelChoiceFilter(
        field_name="agreement__provider",
        label=_("Provider"),
        queryset=Organisation.objects.none(),
        empty_label=_("Any provider"),
    )
    agreement = django_filters.ModelChoiceFilter(
        queryset=Agreement.objects.none(), empty_label=_("Any agreement")
    )
    fund = django_filters.ModelChoiceFilter(
        field_name="agreement__fund",
        label=_("Fund"),
        queryset=Fund.objects.none(),
        empty_label=_("Any fund"),
    )
    overdue = overdue_filter(label=_("Overdue"), any_label="Any")

    class Meta:
        model = QuarterlyReturn
        fields = ["status", "period", "provider", "agreement", "fund", "overdue"]
        form = FilterForm

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.overdue(self.today) if value else queryset.not_overdue(self.today)

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        _scope_choices(self.filters, user)


class ResultFilter(django_filters.FilterSet):
    """Filters of the indicator results list, scoped like the review queue's."""

    period = django_filters.ModelChoiceFilter(
        field_name="quarterly_return__period",
        label=_("Quarter"),
        queryset=ReportingPeriod.objects.none(),
        empty_label=_("Any quarter"),
    )
    provider = django_filters.ModelChoiceFilter(
        field_name="quarterly_return__agreement__provider",
        label=_("Provider"),
        queryset=Organisation.objects.none(),
        empty_label=_("Any provider"),
    )
    agreement = django_filters.ModelChoiceFilter(
        field_name="quarterly_return__agreement",
        label=_("Agreement"),
        queryset=Agreement.objects.none(),
        empty_label=_("Any agreement"),
    )
    fund = django_filters.ModelChoiceFilter(
        field_name="quarterly_return__agreement__fund",
        label=_("Fund"),
        queryset=Fund.objects.none(),
        empty_label=_("Any fund"),
    )
    measure = django_filters.ChoiceFilter(
        field_name="indicator__measure_type",
        label=_("Measure"),
        choices=PerformanceIndicator.MeasureType.choices,
        empty_label=_("Any measure"),
    )

    class Meta:
        model = IndicatorAnswer
        fields = ["period", "provider", "agreement", "fund", "measure"]
        form = FilterForm

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_choices(self.filters, user)
