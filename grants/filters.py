import django_filters

from grants.models import Agreement, Fund, QuarterlyReturn, ReportingPeriod
from sla_monitor import access
from sla_monitor.forms import FilterForm
from sla_monitor.models import Organisation


class ReturnFilter(django_filters.FilterSet):
    """The review queue's filters; every choice list is scoped to what the officer may see."""

    status = django_filters.ChoiceFilter(
        choices=QuarterlyReturn.Status.choices, empty_label="Any status"
    )
    period = django_filters.ModelChoiceFilter(
        queryset=ReportingPeriod.objects.none(), empty_label="Any quarter"
    )
    provider = django_filters.ModelChoiceFilter(
        field_name="agreement__provider",
        queryset=Organisation.objects.none(),
        empty_label="Any provider",
    )
    agreement = django_filters.ModelChoiceFilter(
        queryset=Agreement.objects.none(), empty_label="Any agreement"
    )
    fund = django_filters.ModelChoiceFilter(
        field_name="agreement__fund", queryset=Fund.objects.none(), empty_label="Any fund"
    )

    class Meta:
        model = QuarterlyReturn
        fields = ["status", "period", "provider", "agreement", "fund"]
        form = FilterForm

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agreements = access.visible_agreements(user)
        self.filters["agreement"].queryset = agreements.order_by("reference")
        self.filters["provider"].queryset = Organisation.objects.filter(
            pk__in=agreements.values("provider")
        )
        self.filters["fund"].queryset = Fund.objects.filter(pk__in=agreements.values("fund"))
        self.filters["period"].queryset = ReportingPeriod.objects.filter(
            pk__in=access.visible_returns(user).values("period")
        ).order_by("-financial_year", "-quarter")
