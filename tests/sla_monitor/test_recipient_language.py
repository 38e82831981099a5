"""E-mails, inbox notices and PDFs go out in the language of the person they are for: each
e-mail in its reader's chosen language, whoever's request or which worker sends it; each PDF in
the language of the person who asked for it, made at once or by the task worker.

Each test reads a known phrase's Welsh from the catalogue, checks it differs from the English
(so that no test passes on an untranslated phrase), and finds the one and not the other."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from grants import services
from grants.models import PaymentInstalment
from grants.services import variations
from oversight import services as oversight_services
from sla_monitor import inbox, reporting
from sla_monitor.models import Notification, Organisation, User
from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    AssessmentFactory,
    CouncilFactory,
    UserFactory,
)
from tests.pdf_text import read_pdf, response_pdf

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
LINK = "/returns/1/"


def welsh(phrase: str, values: dict | None = None) -> str:
    """The phrase as the Welsh catalogue has it, filled with `values`, after checking that it is
    translated: a phrase the catalogue lacks would read the same in both languages."""
    with translation.override("cy"):
        translated = gettext(phrase)
    assert translated != phrase, f"The Welsh catalogue does not translate {phrase!r}."
    return translated % values if values else translated


def english(phrase: str, values: dict | None = None) -> str:
    with translation.override("en-gb"):
        return gettext(phrase) % values if values else gettext(phrase)


def in_welsh_only(text: str, phrase: str, values: dict | None = None) -> None:
    assert welsh(phrase, values) in text
    assert english(phrase, values) not in text


def in_english_only(text: str, phrase: str, values: dict | None = None) -> None:
    assert english(phrase, values) in text
    assert welsh(phrase, values) not in text


def _person(language: str, **kwargs) -> User:
    council = CouncilFactory(welsh_offer=True)
    return UserFactory(organisation=council, language=language, **kwargs)


# E-mails from the inbox ------------------------------------------------------------------------

PARAMS = {
    "reference": "KBC-CCE-01",
    "title": "Community cohesion",
    "period": "Q2 2025/26",
    "author": "Dana Reid",
    "about": "Indicator c",
    "body": "Can you send the register?",
    "files": [],
    "provider": "Harborough Voluntary Action",
    "by": "Priya Shah",
    "comment": "",
    "flagged": [],
    "reason": "",
    "instalment": "2025/26, first instalment",
    "amount": "£12,500.00",
    "on": "3 June 2025",
    "council": "Kettering Borough Council",
    "run": "PR-2025-07",
    "paid_on": "4 July 2025",
    "total": "£12,500.00",
    "lines": [],
    "asker": "Priya Shah",
    "person": "Ana Lee",
    "email": "ana@example.org",
    "organisation": "Harborough Voluntary Action",
    "due": "31 October 2025",
    "number": 2,
    "url": "https://hooks.example.org/in",
    "failures": 5,
}


def _emailed(recipient: User, kind: str, django_capture_on_commit_callbacks) -> mail.EmailMessage:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        inbox.notify(recipients=[recipient], kind=kind, link=LINK, params=PARAMS)
    (message,) = mail.outbox
    return message


def source(lazy) -> str:
    """A lazily translated phrase as it is written in the code."""
    with translation.override(None):
        return str(lazy)


def _subject_phrase(kind: str) -> str:
    return source(inbox.WORDING[kind].subject)


@pytest.mark.parametrize("kind", sorted(inbox.WORDING))
def test_every_kind_of_inbox_email_is_written_in_the_readers_welsh(
    kind, django_capture_on_commit_callbacks
):
    message = _emailed(_person("cy"), kind, django_capture_on_commit_callbacks)

    with translation.override("cy"):
        assert message.subject == gettext(_subject_phrase(kind)) % PARAMS
    in_welsh_only(message.body, source(inbox.EACH_EVENT_FOOTER))


@pytest.mark.parametrize("kind", sorted(inbox.WORDING))
def test_every_kind_of_inbox_email_is_in_english_for_whoever_chose_english_or_nothing(
    kind, django_capture_on_commit_callbacks
):
    for language in ("en-gb", ""):
        message = _emailed(_person(language), kind, django_capture_on_commit_callbacks)

        assert message.subject == english(_subject_phrase(kind), PARAMS)
        in_english_only(message.body, source(inbox.EACH_EVENT_FOOTER))


# Each app's own e-mail, by a phrase only it writes.
BODIES = {
    Kind.MESSAGE: "Read it and reply: %(link)s",
    Kind.VARIATION_REQUESTED: "Open the variation: %(link)s",
    Kind.RETURN_SUBMITTED: (
        "%(provider)s submitted its %(period)s return for %(title)s (%(reference)s).\n\n"
        "Review it: %(link)s\n"
    ),
    Kind.RETURN_APPROVED: "Your %(period)s return for %(title)s (%(reference)s) was approved.",
    Kind.CORRECTION_PROPOSED: "Open the return: %(link)s",
    Kind.INSTALMENT_RELEASED: "See the agreement's payments: %(link)s",
    Kind.RELEASE_REQUESTED: "Open it: %(link)s",
    Kind.REMITTANCE_ADVICE: "Remittance advice from %(council)s",
    Kind.REMINDER_DUE_SOON: "Open SLA Monitor: %(link)s",
    Kind.INVITATION_ASKED: (
        "%(asker)s of %(council)s asks to invite %(person)s (%(email)s) to SLA Monitor as "
        "one of the people of %(organisation)s.\n\n"
        "Nothing has been sent to them. Approve the invitation to send it, or decline it, "
        "here:\n%(link)s\n"
    ),
    Kind.INVITATION_DECLINED: (
        "%(organisation)s declined your invitation to %(person)s (%(email)s): nothing was "
        "sent to them. Ask %(organisation)s who should work with you in SLA Monitor; its "
        "administrators invite their own people.\n"
    ),
    Kind.ASSESSMENT_SIGNED_OFF: "Open the assessment: %(link)s",
    Kind.WEBHOOK_PAUSED: (
        "The webhook to %(url)s was paused after %(failures)s failed deliveries in a row: "
        "check the address and resume it."
    ),
}


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_each_apps_own_email_is_written_in_the_readers_language(
    kind, django_capture_on_commit_callbacks
):
    values = {**PARAMS, "link": inbox.site_link(LINK)}

    in_welsh_only(
        _emailed(_person("cy"), kind, django_capture_on_commit_callbacks).body,
        BODIES[kind],
        values,
    )
    in_english_only(
        _emailed(_person("en-gb"), kind, django_capture_on_commit_callbacks).body,
        BODIES[kind],
        values,
    )


def test_the_daily_digest_is_written_in_the_readers_language():
    readers = {
        language: _person(language, email_choice=User.EmailChoice.DAILY_DIGEST)
        for language in ("cy", "en-gb")
    }
    inbox.notify(recipients=readers.values(), kind=Kind.MESSAGE, link=LINK, params=PARAMS)

    assert inbox.send_digests() == 2

    sent = {message.to[0]: message for message in mail.outbox}
    link = {"link": inbox.site_link(reverse("oversight:inbox"))}
    in_welsh_only(sent[readers["cy"].email].body, "Open your inbox: %(link)s", link)
    in_english_only(sent[readers["en-gb"].email].body, "Open your inbox: %(link)s", link)
    with translation.override("cy"):
        welsh_sentence = str(inbox.WORDING[Kind.MESSAGE].sentence) % PARAMS
    assert welsh_sentence in sent[readers["cy"].email].body


def test_a_notice_made_by_a_welsh_request_reads_in_english_for_an_english_reader(
    funded, django_capture_on_commit_callbacks
):
    """Dates, instalments and words a service puts in a notice are written when it is read, in
    the reader's language, not in the language of the request that caused it."""
    services.create_instalment_schedule(agreement=funded.agreement)
    PaymentInstalment.objects.filter(agreement=funded.agreement).update(depends_on_period=None)
    instalment = funded.agreement.instalments.order_by("sequence").first()
    # The provider reads in Welsh because the council funding it offers Welsh.
    Organisation.objects.filter(pk=funded.agreement.funder_id).update(welsh_offer=True)
    welsh_reader = UserFactory(
        organisation=funded.agreement.provider, role=User.Role.PROVIDER, language="cy"
    )
    with translation.override("cy"), django_capture_on_commit_callbacks(execute=True):
        services.release_instalment(instalment=instalment, by=funded.officer, reason="")

    decided = instalment.transitions.latest("at").at
    sent = {message.to[0]: message.body for message in mail.outbox}
    with translation.override("en-gb"):
        english_day = inbox._write_day(decided.date().isoformat(), "j F Y")
    with translation.override("cy"):
        welsh_day = inbox._write_day(decided.date().isoformat(), "j F Y")
    assert english_day != welsh_day
    assert english_day in sent[funded.provider_user.email]
    assert welsh_day in sent[welsh_reader.email]
    notice = Notification.objects.get(recipient=funded.provider_user)
    with translation.override("en-gb"):
        assert inbox.values(notice)["on"] == english_day
    with translation.override("cy"):
        assert inbox.values(notice)["on"] == welsh_day


# Invitations and allauth's e-mails -------------------------------------------------------------


def test_an_invitation_is_written_in_the_language_of_the_request_that_sends_it(
    django_capture_on_commit_callbacks,
):
    council = CouncilFactory(welsh_offer=True)
    officer = UserFactory(role=User.Role.LEAD_OFFICER, organisation=council, language="en-gb")
    subject = "You are invited to SLA Monitor for %(organisation)s"
    for language, address in (("cy", "cy@example.org"), ("en-gb", "en@example.org")):
        provider = AgreementFactory(funder=council).provider
        mail.outbox.clear()
        with translation.override(language), django_capture_on_commit_callbacks(execute=True):
            oversight_services.invite_person(
                by=officer,
                email=address,
                first_name="Ana",
                last_name="Lee",
                organisation=provider,
                role=User.Role.PROVIDER,
            )
        (message,) = mail.outbox
        named = {"organisation": provider.name}
        if language == "cy":
            assert message.subject == welsh(subject, named)
        else:
            assert message.subject == english(subject, named)
            assert message.subject != welsh(subject, named)


def test_a_password_reset_is_written_in_the_language_of_the_account(client):
    site = {"site_name": "SLA Monitor"}
    for language in ("cy", "en-gb"):
        person = _person(language, email=f"{language}@example.org")
        mail.outbox.clear()

        client.post(reverse("account_reset_password"), {"email": person.email})

        (message,) = mail.outbox
        if language == "cy":
            in_welsh_only(message.body, "Hello from %(site_name)s!", site)
        else:
            in_english_only(message.body, "Hello from %(site_name)s!", site)


# PDFs ------------------------------------------------------------------------------------------


def _lang(reader) -> str:
    return str(reader.trailer["/Root"]["/Lang"])


def _asked_in(language: str, client, url: str):
    """The PDF as the signed-in person downloads it having chosen `language`, their council
    offering Welsh."""
    Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).update(welsh_offer=True)
    User.objects.filter(pk=client.session["_auth_user_id"]).update(language=language)
    return response_pdf(client.get(url))


def _both(client, url, phrase, values=None):
    reader, text = _asked_in("cy", client, url)
    assert _lang(reader) == "cy"
    in_welsh_only(text, phrase, values)
    reader, text = _asked_in("en-gb", client, url)
    assert _lang(reader) == "en-GB"
    in_english_only(text, phrase, values)


@pytest.fixture
def year_of_returns(funded):
    for quarter in (1, 2):
        qr = funded.complete(
            funded.start(quarter),
            per_year={"actual_value": Decimal(1)},
            per_quarter={"actual_value": Decimal(3)},
            narrative={"narrative": "Casework."},
        )
        services.submit_return(quarterly_return=qr, by=funded.provider_user)
        services.approve_return(quarterly_return=qr, by=funded.officer, comment="Clear.")
    funded.provider_user.language = "cy"
    funded.provider_user.save(update_fields=["language"])
    return funded


def test_the_return_pdf_is_made_in_the_askers_language(year_of_returns, client):
    qr = year_of_returns.agreement.returns.get(period__quarter=1)
    client.force_login(year_of_returns.provider_user)

    _both(client, reverse("grants:return_pdf", args=[qr.pk]), "Performance indicators")


def test_the_agreement_year_pdf_is_made_in_the_askers_language(year_of_returns, client):
    agreement = year_of_returns.agreement
    client.force_login(year_of_returns.provider_user)
    url = reverse("grants:agreement_year_pdf", args=[agreement.pk, 2025])

    _both(client, url, "Allocation for the year")


def test_the_variation_letter_is_made_in_the_askers_language(funded, client):
    variation = variations.draft_variation(
        agreement=funded.agreement,
        by=funded.officer,
        terms={"reason": "The events move online.", "end_date": dt.date(2029, 3, 31)},
        budget_lines=None,
    )
    client.force_login(funded.officer)

    _both(
        client,
        reverse("grants:variation_letter", args=[variation.pk]),
        "Variation %(number)s: %(title)s",
        {"number": variation.number, "title": funded.agreement.title},
    )


def test_the_impact_assessment_pdf_is_made_in_the_askers_language(client):
    assessment = AssessmentFactory(council=CouncilFactory(welsh_offer=True))
    client.force_login(assessment.owner)

    _both(
        client,
        reverse("equality_plans:assessment_pdf", args=[assessment.pk]),
        "%(council)s: equality impact assessment",
        {"council": assessment.council.name},
    )


def test_the_plan_progress_pdf_is_made_in_the_askers_language(client):
    plan = ActionPlanFactory()
    client.force_login(UserFactory(action_owner=True, organisation=plan.owner, language="cy"))

    _both(client, reverse("equality_plans:plan_pdf", args=[plan.pk]), "Summary")


@pytest.fixture
def council_with_plan():
    council = CouncilFactory(welsh_offer=True)
    ActionPlanFactory(
        owner=council,
        title="Equality objectives 2025-26",
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2026, 3, 31),
    )
    return council


def test_the_equality_information_report_is_made_in_the_askers_language(council_with_plan, client):
    client.force_login(UserFactory(lead_officer=True, organisation=council_with_plan))
    url = reverse("oversight:equality_report_pdf", args=[council_with_plan.pk, 2025])

    _both(client, url, "Equality impact assessments")


def _made_by_worker(kind: str, object_id: int, user: User, query: str, language: str) -> str:
    stored = reporting.render_report.call(kind, object_id, user.pk, query, language)
    with default_storage.open(stored["path"], "rb") as made:
        reader, text = read_pdf(made.read())
    default_storage.delete(stored["path"])
    assert _lang(reader) == {"cy": "cy", "en-gb": "en-GB"}[language]
    return text


@pytest.mark.parametrize(
    ("kind", "phrase"),
    [
        ("return", "Performance indicators"),
        ("agreement_year", "Allocation for the year"),
        ("plan_progress", "Summary"),
        ("equality_report", "Equality impact assessments"),
    ],
)
def test_a_report_the_worker_makes_is_in_the_language_it_was_asked_in(
    kind, phrase, year_of_returns, council_with_plan
):
    funded = year_of_returns
    plan = ActionPlanFactory()
    asks = {
        "return": (funded.agreement.returns.get(period__quarter=1).pk, funded.provider_user, ""),
        "agreement_year": (funded.agreement.pk, funded.provider_user, "year=2025"),
        "plan_progress": (plan.pk, UserFactory(action_owner=True, organisation=plan.owner), ""),
        "equality_report": (
            council_with_plan.pk,
            UserFactory(lead_officer=True, organisation=council_with_plan),
            "year=2025",
        ),
    }
    object_id, user, query = asks[kind]

    # The worker's own language is English whatever the report was asked in.
    with translation.override("en-gb"):
        in_welsh_only(_made_by_worker(kind, object_id, user, query, "cy"), phrase)
    with translation.override("cy"):
        in_english_only(_made_by_worker(kind, object_id, user, query, "en-gb"), phrase)


# Inbox notices -----------------------------------------------------------------------------------


def test_an_inbox_notice_is_written_when_it_is_read_in_the_readers_language(client):
    reader = _person("en-gb")
    message = "New message from %(author)s about %(about)s: %(reference)s, %(period)s."
    with translation.override("cy"):
        inbox.notify(
            recipients=[reader],
            kind=Kind.MESSAGE,
            link=LINK,
            params={**PARAMS, "about": gettext_lazy("the return")},
        )
    assert reader.notifications.get().params["about"] == {"later": "words", "args": ["the return"]}
    client.force_login(reader)

    html = client.get(reverse("oversight:inbox")).content.decode()
    assert english(message, {**PARAMS, "about": "the return"}) in html
    User.objects.filter(pk=reader.pk).update(language="cy")
    html = client.get(reverse("oversight:inbox")).content.decode()
    assert welsh(message, {**PARAMS, "about": welsh("the return")}) in html
