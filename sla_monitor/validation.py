"""Checking many unsaved records against their models' rules, as `full_clean` does, without a
query for each: an import checks thousands of rows at once.

`full_clean` asks the database whether each check constraint holds and whether each related
record exists. Here a check constraint is worked out in Python where its condition is plain
comparisons of the record's own fields, as most are; any other is still asked of the database,
so no rule is skipped. Related records, and uniqueness, are the caller's to vouch
for: it reads them all at once, sets each relation from what it read, and matches rows against
it; a relation left empty is still checked.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q


class _NotPlain(Exception):
    """A condition that only the database can work out."""


COMPARISONS = {
    "exact": lambda value, other: value == other,
    "gt": lambda value, other: value > other,
    "gte": lambda value, other: value >= other,
    "lt": lambda value, other: value < other,
    "lte": lambda value, other: value <= other,
}


def errors(
    instance: models.Model,
    *,
    exclude: Iterable[str] = (),
    clean: Callable[[], None] | None = None,
) -> dict[str, list[str]]:
    """What `full_clean(exclude=exclude, validate_unique=False)` would say of the instance, by
    field (`NON_FIELD_ERRORS` for the record as a whole). `clean` stands for the model's own
    `clean()`, for a caller that gives it what it would otherwise read."""
    exclude = set(exclude)
    vouched = {
        field.name
        for field in instance._meta.concrete_fields
        if field.is_relation and getattr(instance, field.attname) is not None
    }
    found: dict = {}
    try:
        instance.clean_fields(exclude=exclude | vouched)
    except ValidationError as error:
        found = error.update_error_dict(found)
    try:
        (clean or instance.clean)()
    except ValidationError as error:
        found = error.update_error_dict(found)
    # As `full_clean` does, a constraint on a field already in error is not checked.
    exclude |= {name for name in found if name != NON_FIELD_ERRORS}
    for constraint in instance._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue  # uniqueness: the caller's to check against the rows it has read
        try:
            holds = _holds(constraint.condition, instance, exclude)
        except _NotPlain:
            try:
                constraint.validate(type(instance), instance, exclude=exclude)
            except ValidationError as error:
                found = error.update_error_dict(found)
            continue
        if holds is False:
            found.setdefault(NON_FIELD_ERRORS, []).append(
                ValidationError(
                    constraint.get_violation_error_message(), code=constraint.violation_error_code
                )
            )
    return ValidationError(found).message_dict if found else {}


class _Skipped(Exception):
    """A condition on a field left out, which `full_clean` does not check either."""


def _holds(condition, instance: models.Model, exclude: set[str]) -> bool | None:
    """Whether the condition holds for the instance: True, False, or None where the database
    would find it unknown (a comparison with NULL), which a check constraint lets pass."""
    try:
        return _evaluate(condition, instance, exclude)
    except _Skipped:
        return None


def _evaluate(condition, instance, exclude) -> bool | None:
    if isinstance(condition, Q):
        results = [_evaluate(child, instance, exclude) for child in condition.children]
        if condition.connector == Q.AND:
            result = False if False in results else None if None in results else True
        elif condition.connector == Q.OR:
            result = True if True in results else None if None in results else False
        else:
            raise _NotPlain
        return result if result is None or not condition.negated else not result
    if not isinstance(condition, tuple):
        raise _NotPlain  # an expression, such as a remainder
    lookup, expected = condition
    name, _, kind = lookup.partition("__")
    value = _value(instance, name, exclude)
    if isinstance(expected, F):
        expected = _value(instance, expected.name, exclude)
    elif hasattr(expected, "resolve_expression"):
        raise _NotPlain
    kind = kind or "exact"
    if kind == "exact" and expected is None:
        kind, expected = "isnull", True
    if kind == "isnull":
        return (value is None) == bool(expected)
    if kind == "in":
        if value is None:
            return None
        return value in expected
    if kind not in COMPARISONS:
        raise _NotPlain
    if value is None or expected is None:
        return None
    try:
        return COMPARISONS[kind](value, expected)
    except TypeError as error:  # a value not yet of its field's type: the database converts it
        raise _NotPlain from error


def _value(instance, name: str, exclude: set[str]):
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist as error:
        raise _NotPlain from error
    if not field.concrete:
        raise _NotPlain
    if field.name in exclude:
        raise _Skipped
    return getattr(instance, field.attname)
