"""The read API's filters (django-filter). A value that is not one a filter takes (a word for a
year, a quarter 5, a status nobody has) is a 400 that says which filter refused it, never a 500
and never a silently empty list."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import (
    Agreement,
    PaymentInstalment,
    PaymentRun,
    QuarterlyReturn,
    Variation,
)
from sla_monitor.periods import financial_year_end, quarter_dates

# Grants: agreements, returns, payments and variations -----------------------------------------

# The financial years a filter takes: wide enough for any agreement, narrow enough to be a date.
FIRST_YEAR, LAST_YEAR = 1990, 2100


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number (a year, a quarter, an id): "2025.5" and "abc" are refused."""

    field_class = forms.IntegerField


def _year(**kwargs) -> WholeNumberFilter:
    return WholeNumberFilter(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("A financial year, named by the calendar year it starts in: 2025 is 2025/26."),
        **kwargs,
    )


def _reference(field_name: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        field_name=field_name, help_text=_("The agreement's reference, exactly.")
    )


class AgreementFilter(django_filters.FilterSet):
    fund = WholeNumberFilter(field_name="fund_id", min_value=1, help_text=_("The fund's id."))
    provider = WholeNumberFilter(
        field_name="provider_id", min_value=1, help_text=_("The provider organisation's id.")
    )
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices)
    active = django_filters.BooleanFilter(
        method="filter_active", help_text=_("true: active agreements only; false: all others.")
    )
    financial_year = _year(method="filter_financial_year")

    class Meta:
        model = Agreement
        fields = ["fund", "provider", "status", "active", "financial_year"]

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(status=Agreement.Status.ACTIVE)
        return queryset.exclude(status=Agreement.Status.ACTIVE)

    def filter_financial_year(self, queryset, name, value):
        """The agreements running on at least one day of the financial year."""
        if value is None:
            return queryset
        return queryset.filter(
            start_date__lte=financial_year_end(value), end_date__gte=quarter_dates(value, 1)[0]
        )


class ReturnFilter(django_filters.FilterSet):
    agreement = _reference("agreement__reference")
    status = django_filters.ChoiceFilter(choices=QuarterlyReturn.Status.choices)
    financial_year = _year(field_name="period__financial_year")
    quarter = WholeNumberFilter(
        field_name="period__quarter",
        min_value=1,
        max_value=4,
        help_text=_("1 (April to June) to 4 (January to March)."),
    )

    class Meta:
        model = QuarterlyReturn
        fields = ["agreement", "status", "financial_year", "quarter"]


class InstalmentFilter(django_filters.FilterSet):
    agreement = _reference("agreement__reference")
    status = django_filters.ChoiceFilter(choices=PaymentInstalment.Status.choices)
    financial_year = _year(field_name="financial_year")

    class Meta:
        model = PaymentInstalment
        fields = ["agreement", "status", "financial_year"]


class PaymentRunFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PaymentRun.Status.choices)

    class Meta:
        model = PaymentRun
        fields = ["status"]


class VariationFilter(django_filters.FilterSet):
    agreement = _reference("agreement__reference")
    status = django_filters.ChoiceFilter(choices=Variation.Status.choices)

    class Meta:
        model = Variation
        fields = ["agreement", "status"]
