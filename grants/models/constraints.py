"""What several models share: the size of a sum of money, and the checks that an amount is not
negative and that a published count of people is rounded."""

from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sla_monitor.suppression import BASE

MONEY = {"max_digits": 12, "decimal_places": 2}


def _non_negative(field: str, name: str, label: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}),
        name=name,
        violation_error_message=format_lazy(_("{label} cannot be negative."), label=label),
    )


def _rounded(field: str, name: str, label: str) -> models.CheckConstraint:
    """A published count of people: a multiple of 5, never below 0 (`sla_monitor.suppression`)."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}) & Exact(F(field) % BASE, 0),
        name=name,
        violation_error_message=format_lazy(
            _("{label} must be a multiple of {base}, not below 0."), label=label, base=BASE
        ),
    )
