import django_filters
from django.db.models import Q
from django.utils import timezone

from grants.models import (
    Agreement,
    Fund,
    IndicatorAnswer,
    PerformanceIndicator,
    QuarterlyReturn,
    ReportingPeriod,
)
from sla_monitor import access
from sla_monitor.filters import overdue_filter
from sla_monitor.forms import FilterForm
from sla_monitor.models import Organisation


def _scope_choices(filters, user) -> None:
    """Offer only the agreements, providers, funds and quarters the user may see."""
    agreements = access.visible_agreements(user).select_related(None)
    filters["agreement"].queryset = agreements.only("reference", "title").order_by("reference")
    filters["provider"].queryset = Organisation.objects.filter(pk__in=agreements.values("provider"))
    filters["fund"].queryset = Fund.objects.filter(pk__in=agreements.values("fund")).select_related(
        "council"
    )
    filters["period"].queryset = ReportingPeriod.objects.filter(
        pk__in=access.visible_returns(user).values("period")
    ).order_by("-financial_year", "-quarter")


class ReturnFilter(django_filters.FilterSet):
    """The review queue's filters; every choice list is scoped to what the officer may see."""

    status = django_filters.ChoiceFilter(
        choices=QuarterlyReturn.Status.choices, empty_label="Any status"
    )
    period = django_filters.ModelChoiceFilter(
        label="Quarter", queryset=ReportingPeriod.objects.none(), empty_label="Any quarter"
    )
    provider = django_filters.ModelChoiceFilter(
        field_name="agreement__provider",
        label="Provider",
        queryset=Organisation.objects.none(),
        empty_label="Any provider",
    )
    agreement = django_filters.ModelChoiceFilter(
        queryset=Agreement.objects.none(), empty_label="Any agreement"
    )
    fund = django_filters.ModelChoiceFilter(
        field_name="agreement__fund",
        label="Fund",
        queryset=Fund.objects.none(),
        empty_label="Any fund",
    )
    overdue = overdue_filter(label="Overdue", any_label="Any")

    class Meta:
        model = QuarterlyReturn
        fields = ["status", "period", "provider", "agreement", "fund", "overdue"]
        form = FilterForm

    def filter_overdue(self, queryset, name, value):
        """Past its due date and not yet submitted: a draft or a return sent back."""
        if value is None:
            return queryset
        overdue = Q(period__due_date__lt=timezone.localdate()) & Q(
            status__in=QuarterlyReturn.EDITABLE_STATUSES
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_choices(self.filters, user)


class ResultFilter(django_filters.FilterSet):
    """Filters of the indicator results list, scoped like the review queue's."""

    period = django_filters.ModelChoiceFilter(
        field_name="quarterly_return__period",
        label="Quarter",
        queryset=ReportingPeriod.objects.none(),
        empty_label="Any quarter",
    )
    provider = django_filters.ModelChoiceFilter(
        field_name="quarterly_return__agreement__provider",
        label="Provider",
        queryset=Organisation.objects.none(),
        empty_label="Any provider",
    )
    agreement = django_filters.ModelChoiceFilter(
        field_name="quarterly_return__agreement",
        label="Agreement",
        queryset=Agreement.objects.none(),
        empty_label="Any agreement",
    )
    fund = django_filters.ModelChoiceFilter(
        field_name="quarterly_return__agreement__fund",
        label="Fund",
        queryset=Fund.objects.none(),
        empty_label="Any fund",
    )
    measure = django_filters.ChoiceFilter(
        field_name="indicator__measure_type",
        label="Measure",
        choices=PerformanceIndicator.MeasureType.choices,
        empty_label="Any measure",
    )

    class Meta:
        model = IndicatorAnswer
        fields = ["period", "provider", "agreement", "fund", "measure"]
        form = FilterForm

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_choices(self.filters, user)
