from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sla_monitor import accounts, inbox, languages, statements
from sla_monitor.forms import EmailChoiceForm, LanguageForm
from sla_monitor.models import EmailChoice


@login_not_required
@never_cache
@require_GET
def health(request):
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means this server cannot serve
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
@require_GET
def bare(request):
    """The ceiling of this stack for the benchmark: a minimal template and no database."""
    return render(request, "sla_monitor/bare.html", {"message": "Hello"})


@require_GET
def signed_in_floor(request):
    """What every signed-in page costs before its own work: the session, the user and the
    layout with its navigation, for the benchmark."""
    return render(request, "sla_monitor/signed_in_floor.html", {"message": "Hello"})


@login_not_required
@require_GET
def accessibility(request):
    """The accessibility statement, on the GOV.UK model."""
    return render(
        request,
        "sla_monitor/accessibility.html",
        {
            "statements": statements,
            "operator": settings.SERVICE_OPERATOR,
            "support_email": settings.SUPPORT_EMAIL,
            "signed_in_roles": len(statements.ROLES_TESTED) - 1,
        },
    )


@login_not_required
@require_GET
def privacy(request):
    """What personal data the service keeps, why, for how long, and people's rights."""
    return render(
        request,
        "sla_monitor/privacy.html",
        {
            "operator": settings.SERVICE_OPERATOR,
            "data_protection_email": settings.DATA_PROTECTION_EMAIL,
            "idle_minutes_staff": settings.SESSION_IDLE_MINUTES_STAFF,
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
            # A whole number of hours as an int, which the sentence's plural is chosen by.
            "lockout_hours": (
                int(settings.AXES_COOLOFF_TIME)
                if int(settings.AXES_COOLOFF_TIME) == settings.AXES_COOLOFF_TIME
                else settings.AXES_COOLOFF_TIME
            ),
        },
    )


@require_GET
@login_not_required
def not_offered(request, key: str = ""):
    """A page of a library's that the service does not offer: not found, whoever asks."""
    raise Http404


def account(request):
    """The signed-in person's own account: who they are, their language, and where to change
    their password and second factor."""
    offered = languages.offered_to(request)
    language_form = LanguageForm(
        offered=offered,
        initial={"language": request.LANGUAGE_CODE, "next": reverse("account")},
    )
    return render(
        request,
        "sla_monitor/account.html",
        {
            "two_factor": accounts.has_two_factor(request.user),
            "language_form": language_form if len(offered) > 1 else None,
        },
    )


@login_not_required
@require_POST
def choose_language(request):
    """The header's language link and the account page's choice: kept on the account of a person
    signed in, and in the language cookie for everyone, then back to the page it came from."""
    form = LanguageForm(request.POST, offered=languages.offered_to(request))
    if not form.is_valid():
        return render(request, "sla_monitor/language_refused.html", {"form": form}, status=400)
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        try:
            languages.choose_language(person=request.user, by=request.user, language=language)
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "sla_monitor/language_refused.html", {"form": form}, status=400)
    back = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("oversight:home")
    response = redirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


CHOSEN = {
    EmailChoice.EACH_EVENT: _(
        "Saved: you will have an e-mail each time something lands in your inbox."
    ),
    EmailChoice.DAILY_DIGEST: _(
        "Saved: you will have one e-mail a day listing what landed in your inbox, when there is "
        "something new."
    ),
    EmailChoice.NONE: _(
        "Saved: you will have no e-mail about your inbox. Look in it when you sign in."
    ),
}


@require_http_methods(["GET", "POST"])
def account_emails(request):
    """The person chooses how they hear of what lands in their inbox."""
    form = EmailChoiceForm(
        request.POST if request.method == "POST" else None,
        initial={"email_choice": request.user.email_choice},
    )
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["email_choice"]
        try:
            inbox.choose_emails(person=request.user, by=request.user, choice=choice)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, CHOSEN[choice])
            return redirect("account")
    return render(request, "sla_monitor/account_emails.html", {"form": form})
