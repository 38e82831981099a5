"""Which languages a request may use, which one it uses, and a person's choice between them.

English is always offered. Welsh is offered (docs/welsh.md):
- to a person of a council that offers it (`Organisation.welsh_offer`);
- to a person of an organisation that delivers services on such a council's behalf: the apps say
  what ties an organisation to a council (a provider funded by it), each registering from its
  `AppConfig.ready()` a subquery with `register_reach`, since the core imports no app;
- to a person of no organisation (the service's own administrators), and to a visitor (signing
  in, resetting a password, the public pages), when any council offers it.

What a signed-in person is offered is read with the person, in the query that loads them on
every request (`sla_monitor.backends`); a visitor's costs one query a request, kept on it.

The language in use is the first offered of: the person's own choice (`User.language`), the
language cookie, the browser's Accept-Language, and English (`LanguageChoice`).
"""

from collections.abc import Callable
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header

from sla_monitor.models import Organisation, User

ENGLISH = "en-gb"
WELSH = "cy"
NAMES = dict(settings.LANGUAGES)
# As HTML's lang and hreflang attributes write them.
HTML_LANG = {ENGLISH: "en-GB", WELSH: "cy"}
# The attribute kept on a user loaded with what they are offered, and on a visitor's request.
OFFERED = "welsh_offered"

# Each takes an expression for an organisation's id and gives a condition that holds when that
# organisation delivers services on behalf of a council that offers Welsh.
Reach = Callable[[OuterRef], Exists]
_reaches: list[Reach] = []


def register_reach(reach: Reach) -> None:
    """An app says how an organisation comes to deliver a council's services."""
    _reaches.append(reach)


def _councils_offering():
    return Organisation.objects.filter(kind=Organisation.Kind.COUNCIL, welsh_offer=True)


def offer_annotation() -> dict[str, ExpressionWrapper]:
    """For `User.objects.annotate(**offer_annotation())`: whether Welsh is offered to each
    person, worked out in the query that loads them."""
    organisation = OuterRef("organisation")
    own = Exists(_councils_offering().filter(pk=organisation))
    unattached = Q(organisation__isnull=True) & Exists(_councils_offering())
    reached = [reach(organisation) for reach in _reaches]
    offered = reduce(or_, [own, unattached, *reached])
    return {OFFERED: ExpressionWrapper(offered, output_field=BooleanField())}


def welsh_offered_to(user) -> bool:
    """Whether Welsh is offered to this person, or to a visitor. Loaded with the user
    (`sla_monitor.backends`), else asked once and kept on the user."""
    offered = getattr(user, OFFERED, None)
    if offered is None:
        if user.is_authenticated:
            offered = (
                User.objects.filter(pk=user.pk)
                .annotate(**offer_annotation())
                .values_list(OFFERED, flat=True)
                .get()
            )
        else:
            offered = _councils_offering().exists()
        setattr(user, OFFERED, bool(offered))
    return bool(offered)


def offered_to(request) -> list[str]:
    """The codes of the languages this request may use, English first."""
    if not hasattr(request, "_languages_offered"):
        welsh = welsh_offered_to(request.user) if hasattr(request, "user") else False
        request._languages_offered = [ENGLISH, WELSH] if welsh else [ENGLISH]
    return request._languages_offered


def _browser_languages(request) -> list[str]:
    """The supported languages the browser asks for, most wanted first."""
    found = []
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            continue
        try:
            found.append(translation.get_supported_language_variant(code))
        except LookupError:
            continue
    return found


def language_for(request) -> str:
    """The language this request uses: the person's choice, the cookie, the browser's, English;
    the first of them the request is offered."""
    user = getattr(request, "user", None)
    wanted = [
        getattr(user, "language", "") if user is not None and user.is_authenticated else "",
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        *_browser_languages(request),
    ]
    # English is always offered: what is offered is asked only of a request that wants Welsh,
    # so a visitor's health check or download asks the database nothing.
    return next(
        (
            code
            for code in wanted
            if code == ENGLISH or (code in NAMES and code in offered_to(request))
        ),
        ENGLISH,
    )


class LanguageChoice:
    """In place of Django's LocaleMiddleware: the request's language is the one `language_for`
    gives, among those the person is offered. After authentication, since it reads the person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for(request)
        request.LANGUAGE_CODE = language
        # Restored afterwards, so that the language does not outlive the request in the thread.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def language_link(request) -> dict:
    """For the header: the other language, when the request is offered more than one."""
    offered = offered_to(request)
    if len(offered) < 2:
        return {}
    other = WELSH if getattr(request, "LANGUAGE_CODE", ENGLISH) != WELSH else ENGLISH
    return {"language_link": {"code": other, "name": NAMES[other], "lang": HTML_LANG[other]}}


CHOOSE_ONE = _("Choose a language")


def choose_language(*, person: User, by: User, language: str) -> User:
    """A person chooses, for themselves, the language of their pages, e-mails and reports: one
    they are offered. Kept in the change history of their account."""
    if person.pk != by.pk:
        raise PermissionDenied
    if language not in NAMES or (language == WELSH and not welsh_offered_to(person)):
        raise ValidationError({"language": CHOOSE_ONE})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=person.pk)
        if locked.language != language:
            locked.language = language
            locked.save(update_fields=["language"])
    return locked


def keep_visitors_choice(sender, request, user, **kwargs) -> None:
    """On signing in, a language the person chose before (the language link's cookie) becomes
    their account's, where they have not chosen one on it and it is offered to them: their
    e-mails and reports then follow it too. A choice already on the account is kept."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "") if request else ""
    if user.language or chosen not in NAMES:
        return
    try:
        choose_language(person=user, by=user, language=chosen)
    except ValidationError:
        return  # not offered to them: the cookie is read again on each page, as before
    user.language = chosen


def language_of(person) -> str:
    """The language a person reads what is sent to them in (e-mails, notices, reports made for
    them): their own choice, when it is offered to them, else English."""
    chosen = getattr(person, "language", "") or ENGLISH
    if chosen == ENGLISH or chosen not in NAMES:
        return ENGLISH
    return chosen if welsh_offered_to(person) else ENGLISH
