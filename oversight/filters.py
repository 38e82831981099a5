"""The People page's filters."""

import django_filters
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from sla_monitor.forms import FilterForm
from sla_monitor.models import User


class PeopleFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name or e-mail contains"), method="filter_name")
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=User.Role.choices, empty_label=_("Any role")
    )
    active = django_filters.BooleanFilter(
        label=_("Status"),
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = User
        fields = ["name", "role", "active"]
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["active"].field_name = "is_active"
        self.form.fields["active"].widget.choices = [
            ("", _("Active or not")),
            ("true", _("Active")),
            ("false", _("Deactivated")),
        ]

    def filter_name(self, queryset, name, value):
        full_name = Concat("first_name", Value(" "), "last_name")
        return queryset.alias(full_name=full_name).filter(
            Q(full_name__icontains=value) | Q(username__icontains=value) | Q(email__icontains=value)
        )
