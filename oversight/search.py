"""One search box across both domains: agreements, returns, providers, plans, actions and people,
each scoped by its own policy (the same `visible_<things>` its list and pages ask), so a search
finds nothing a person could not open. One query a kind, however many rows there are.

On PostgreSQL words are matched by full-text search (stemmed, in any order, ranked), and a
reference, a number or an account's name by any part of it; elsewhere (SQLite) every word must
appear, in any case, in one of the kind's fields."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from equality_plans import permissions as plan_permissions
from grants import permissions as grant_permissions
from oversight import permissions

SHOWN = 20
LONGEST_QUERY = 200
LANGUAGE = "english"


@dataclass(frozen=True)
class Kind:
    """What a search looks through: the records a policy lets the user see, the fields whose
    words are searched, those also found by any part of them (references, codes, usernames),
    and the order results are listed in. A text kept in both languages is searched in each
    language's column, so that either language's words find it whatever the reader's."""

    key: str
    label: Promise
    visible: Callable[..., QuerySet]
    fields: tuple[str, ...]
    codes: tuple[str, ...]
    order: tuple[str, ...]


KINDS = (
    Kind(
        key="agreements",
        label=_("Agreements"),
        visible=grant_permissions.visible_agreements,
        fields=("reference", "title_en_gb", "title_cy"),
        codes=("reference",),
        order=("reference",),
    ),
    Kind(
        key="returns",
        label=_("Returns"),
        visible=grant_permissions.visible_returns,
        fields=(
            "agreement__reference",
            "agreement__title_en_gb",
            "agreement__title_cy",
            "agreement__provider__name",
        ),
        codes=("agreement__reference",),
        order=("agreement__reference", "-period__start_date"),
    ),
    Kind(
        key="providers",
        label=_("Providers"),
        visible=grant_permissions.visible_providers,
        fields=("name", "charity_number", "company_number"),
        codes=("charity_number", "company_number"),
        order=("name",),
    ),
    Kind(
        key="plans",
        label=_("Equality plans"),
        visible=plan_permissions.visible_plans,
        fields=("title_en_gb", "title_cy", "owner__name"),
        codes=(),
        order=("title",),
    ),
    Kind(
        key="actions",
        label=_("Plan actions"),
        visible=plan_permissions.visible_actions,
        fields=("number", "wording_en_gb", "wording_cy", "lead_responsibility"),
        codes=("number",),
        order=("plan__title", "order", "pk"),
    ),
    Kind(
        key="people",
        label=_("People"),
        visible=permissions.visible_people,
        fields=("first_name", "last_name", "username", "email", "job_title"),
        codes=("username", "email"),
        order=("last_name", "first_name", "pk"),
    ),
)


@dataclass(frozen=True)
class Group:
    """One kind's results: the first `SHOWN`, and whether there are more."""

    kind: Kind
    results: list
    more: bool


def search(user, query: str) -> list[Group]:
    """The kinds with a record the user may see that matches `query`, each with its first
    `SHOWN` matches."""
    groups = []
    for kind in KINDS:
        found = list(matching(kind.visible(user), kind, query)[: SHOWN + 1])
        if found:
            groups.append(Group(kind=kind, results=found[:SHOWN], more=len(found) > SHOWN))
    return groups


def matching(records: QuerySet, kind: Kind, query: str) -> QuerySet:
    if connection.vendor == "postgresql":
        return _full_text(records, kind, query)
    return _every_word(records, kind, query)


def _full_text(records: QuerySet, kind: Kind, query: str) -> QuerySet:
    # websearch_to_tsquery reads any text without a syntax error: quotes, "or", "-" and stray
    # operators such as & ! :* are words or nothing to it, never a broken query.
    vector = SearchVector(*kind.fields, config=LANGUAGE)
    words = SearchQuery(query, config=LANGUAGE, search_type="websearch")
    found = Q(document=words)
    for field in kind.codes:
        found |= Q(**{f"{field}__icontains": query})
    return (
        records.annotate(document=vector, rank=SearchRank(vector, words))
        .filter(found)
        .order_by("-rank", *kind.order)
    )


def _every_word(records: QuerySet, kind: Kind, query: str) -> QuerySet:
    found = Q()
    for word in dict.fromkeys(query.split()):
        found &= reduce(or_, (Q(**{f"{field}__icontains": word}) for field in kind.fields))
    return records.filter(found).order_by(*kind.order)
