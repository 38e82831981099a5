"""Pieces the lists' django-filter FilterSets share."""

import django_filters
from django.utils.translation import gettext_lazy as _


class OverdueWidget(django_filters.widgets.BooleanWidget):
    def __init__(self, attrs=None, *, any_label: str):
        super().__init__(attrs)
        self.choices = [("", any_label), ("true", _("Overdue only")), ("false", _("Not overdue"))]


def overdue_filter(*, label: str, any_label: str) -> django_filters.BooleanFilter:
    """A filter for overdue rows; the FilterSet says what overdue means in `filter_overdue`."""
    return django_filters.BooleanFilter(
        label=label, method="filter_overdue", widget=OverdueWidget(any_label=any_label)
    )
