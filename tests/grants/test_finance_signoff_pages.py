"""What the lead officer, the finance officer and the provider are shown around finance sign-off
and payment runs: the agreement's instalments, the release page, the finance officer's home,
the inbox, and the council's amount needing sign-off."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.lifecycle import InstalmentStatus
from grants.models import PaymentInstalment
from sla_monitor.models import Notification, NotificationKind, Organisation, User
from tests.factories import CouncilFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signoff(funded):
    """The funded agreement's council asks for sign-off on every payment and has two finance
    officers and an administrator; its instalments are scheduled."""
    council = funded.agreement.funder
    council.finance_signoff_threshold = None
    council.save(update_fields=["finance_signoff_threshold"])
    services.create_instalment_schedule(agreement=funded.agreement)
    instalments = list(funded.agreement.instalments.order_by("sequence"))
    return {
        "funded": funded,
        "council": council,
        "first": instalments[0],
        "instalments": instalments,
        "finance": UserFactory(
            finance_officer=True, organisation=council, username="finance", last_name="Okafor"
        ),
        "finance2": UserFactory(
            finance_officer=True, organisation=council, username="finance2", last_name="Patel"
        ),
        "admin": UserFactory(role=User.Role.ADMIN, organisation=council, username="kbcadmin"),
    }


def _requested(signoff, instalment=None) -> PaymentInstalment:
    return services.release_instalment(
        instalment=instalment or signoff["first"],
        by=signoff["funded"].officer,
        reason="Year one begins.",
    )


def _agreement_page(client, user, signoff) -> str:
    client.force_login(user)
    agreement = signoff["funded"].agreement
    url = reverse("grants:agreement_detail", args=[agreement.pk])
    return client.get(f"{url}?year={signoff['first'].financial_year}").content.decode()


def _name(user) -> str:
    return user.get_full_name()


def _today() -> str:
    return timezone.localdate().strftime("%-d %B %Y")


# The agreement's instalments ------------------------------------------------------------------


def test_the_lead_officer_asks_finance_to_release_when_the_amount_needs_signoff(signoff, client):
    officer = signoff["funded"].officer

    html = _agreement_page(client, officer, signoff)

    assert "Ask finance to release<span" in html
    assert ">Release<span" not in html


def test_below_the_councils_amount_the_button_releases(signoff, client):
    council = signoff["council"]
    council.finance_signoff_threshold = signoff["first"].amount + Decimal("0.01")
    council.save(update_fields=["finance_signoff_threshold"])

    html = _agreement_page(client, signoff["funded"].officer, signoff)

    assert ">Release<span" in html
    assert "Ask finance to release" not in html


def test_a_request_says_who_asked_and_when_and_the_finance_officer_can_open_it(signoff, client):
    _requested(signoff)
    signoff_url = reverse("grants:instalment_signoff", args=[signoff["first"].pk])
    waiting = (
        f"Waiting for finance sign-off, requested by {_name(signoff['funded'].officer)} "
        f"on {_today()}."
    )

    officer_page = _agreement_page(client, signoff["funded"].officer, signoff)
    finance_page = _agreement_page(client, signoff["finance"], signoff)

    assert waiting in officer_page and waiting in finance_page
    assert signoff_url not in officer_page
    assert f'href="{signoff_url}"' in finance_page


def test_a_finance_officer_who_asked_is_never_offered_to_authorise_it(signoff, client):
    """Four eyes: someone who asked for the release and is now a finance officer finds no link
    to authorise it on the agreement, nor a button on its sign-off page, nor it counted among
    the payments waiting for them."""
    officer = signoff["funded"].officer
    _requested(signoff)
    User.objects.filter(pk=officer.pk).update(role=User.Role.FINANCE_OFFICER)
    officer.refresh_from_db()
    signoff_url = reverse("grants:instalment_signoff", args=[signoff["first"].pk])

    agreement_page = _agreement_page(client, officer, signoff)
    signoff_page = client.get(signoff_url).content.decode()
    home = client.get(reverse("oversight:home")).content.decode()

    assert "Waiting for finance sign-off" in agreement_page
    assert signoff_url not in agreement_page
    assert "Authorise £" not in signoff_page
    assert "waiting for your authorisation" not in home


def test_a_rejected_request_shows_the_reason_to_the_lead_officer_not_the_provider(signoff, client):
    funded = signoff["funded"]
    _requested(signoff)
    services.reject_release(
        instalment=signoff["first"], by=signoff["finance"], reason="Supplier number missing."
    )

    officer_page = _agreement_page(client, funded.officer, signoff)
    provider_page = _agreement_page(client, funded.provider_user, signoff)

    assert (
        f"Finance sign-off refused: {_name(signoff['finance'])} rejected the request to release "
        f"it on {_today()}. Reason: Supplier number missing."
    ) in officer_page
    assert "Ask finance to release<span" in officer_page  # it may be asked for again
    assert "Supplier number missing." not in provider_page
    assert "Okafor" not in provider_page
    assert "Year one begins." not in provider_page


def test_a_paid_instalment_shows_its_day_and_run_to_the_council_and_only_its_day_to_the_provider(
    signoff, client
):
    funded = signoff["funded"]
    _requested(signoff)
    services.authorise_release(instalment=signoff["first"], by=signoff["finance"])
    run = services.create_payment_run(council=signoff["council"], by=signoff["finance"])

    exported = _agreement_page(client, funded.officer, signoff)
    services.mark_run_paid(run=run, by=signoff["finance"], paid_on=timezone.localdate())
    officer_page = _agreement_page(client, funded.officer, signoff)
    finance_page = _agreement_page(client, signoff["finance"], signoff)
    provider_page = _agreement_page(client, funded.provider_user, signoff)

    assert f"In payment run {run.reference}, exported on {_today()}" in exported
    assert f"Paid on {_today()} in payment run {run.reference}." in officer_page
    assert f'href="{reverse("grants:payment_run", args=[run.pk])}"' in finance_page
    assert f"Authorised by {_name(signoff['finance'])}" in officer_page
    assert f"Paid on {_today()}." in provider_page
    assert "Released, " in provider_page
    for internal in (run.reference, "payment run", "Okafor", "Authorised by", "sign-off"):
        assert internal not in provider_page, internal


# The release page -----------------------------------------------------------------------------


def test_the_release_page_says_no_money_has_gone_yet(signoff, client):
    funded = signoff["funded"]
    client.force_login(funded.officer)
    url = reverse("grants:release_instalment", args=[funded.agreement.pk, signoff["first"].pk])

    html = client.get(url).content.decode()

    assert "<h1>Ask finance to release £12,500.00 to Cohesion Network?</h1>" in html
    assert "No money leaves the council yet." in html
    assert "Ask finance to release £12,500.00</button>" in html


# The inbox ------------------------------------------------------------------------------------


def test_the_lead_officer_is_told_in_the_inbox_of_an_authorisation_and_a_rejection(signoff):
    funded = signoff["funded"]
    second = signoff["instalments"][1]
    PaymentInstalment.objects.filter(pk=second.pk).update(depends_on_period=None)
    _requested(signoff)
    _requested(signoff, PaymentInstalment.objects.get(pk=second.pk))

    services.authorise_release(instalment=signoff["first"], by=signoff["finance"])
    services.reject_release(instalment=second, by=signoff["finance"], reason="Wrong amount.")

    told = Notification.objects.filter(recipient=funded.officer).order_by("pk")
    assert [n.kind for n in told] == [
        NotificationKind.RELEASE_AUTHORISED,
        NotificationKind.RELEASE_REJECTED,
    ]
    assert told[1].params["reason"] == "Wrong amount."


def test_the_provider_hears_of_the_release_from_the_lead_officer_not_finance(signoff):
    funded = signoff["funded"]
    _requested(signoff)

    services.authorise_release(
        instalment=signoff["first"], by=signoff["finance"], reason="Checked against ledger."
    )

    (told,) = Notification.objects.filter(recipient=funded.provider_user)
    assert told.kind == NotificationKind.INSTALMENT_RELEASED
    assert told.params["by"] == _name(funded.officer)
    assert told.params["reason"] == "Year one begins."


# The finance officer's home -------------------------------------------------------------------


def test_the_finance_officers_home_says_what_waits_for_them(signoff, client):
    instalments = signoff["instalments"]
    PaymentInstalment.objects.filter(pk__in=[i.pk for i in instalments[:3]]).update(
        status=InstalmentStatus.RELEASE_REQUESTED, requested_by=signoff["funded"].officer
    )
    # One asked for by the finance officer themself is not theirs to authorise.
    PaymentInstalment.objects.filter(pk=instalments[3].pk).update(
        status=InstalmentStatus.RELEASE_REQUESTED, requested_by=signoff["finance"]
    )
    PaymentInstalment.objects.filter(pk=instalments[4].pk).update(status="released")
    run = services.create_payment_run(council=signoff["council"], by=signoff["finance"])
    PaymentInstalment.objects.filter(pk__in=[i.pk for i in instalments[5:7]]).update(
        status="released"
    )
    client.force_login(signoff["finance"])

    html = client.get(reverse("oversight:home")).content.decode()

    payments = reverse("grants:finance_payments")
    assert (
        f'<a href="{payments}#awaiting-heading">3 payments waiting for your authorisation</a>'
        in (html)
    )
    assert (
        f'<a href="{payments}#ready-heading">2 authorised payments not yet in a payment run</a>'
        in (html)
    )
    assert (
        f'<a href="{reverse("grants:payment_run", args=[run.pk])}">Payment run 1</a> '
        f"({run.reference}, 1 payment) was exported on {_today()} and is not yet marked paid."
    ) in html

    services.mark_run_paid(run=run, by=signoff["finance"], paid_on=timezone.localdate())
    assert "not yet marked paid" not in client.get(reverse("oversight:home")).content.decode()


def test_a_finance_officer_with_nothing_waiting_is_told_so(signoff, client):
    client.force_login(signoff["finance"])

    html = client.get(reverse("oversight:home")).content.decode()

    assert "Nothing waits for you" in html


def test_another_councils_payments_are_not_on_the_home_page(signoff, client):
    _requested(signoff)
    client.force_login(UserFactory(finance_officer=True, organisation=CouncilFactory()))

    html = client.get(reverse("oversight:home")).content.decode()

    assert "waiting for your authorisation" not in html
    assert "Nothing waits for you" in html


def test_the_finance_officers_home_runs_the_same_queries_for_few_payments_and_many(
    signoff, client, same_queries
):
    instalments = signoff["instalments"]
    PaymentInstalment.objects.filter(pk=instalments[0].pk).update(
        status=InstalmentStatus.RELEASE_REQUESTED, requested_by=signoff["funded"].officer
    )
    PaymentInstalment.objects.filter(pk=instalments[1].pk).update(status="released")
    services.create_payment_run(council=signoff["council"], by=signoff["finance"])
    client.force_login(signoff["finance"])

    def grow():
        PaymentInstalment.objects.filter(pk__in=[i.pk for i in instalments[2:4]]).update(
            status="released"
        )
        services.create_payment_run(council=signoff["council"], by=signoff["finance"])
        PaymentInstalment.objects.filter(pk__in=[i.pk for i in instalments[4:6]]).update(
            status="released"
        )
        PaymentInstalment.objects.filter(pk__in=[i.pk for i in instalments[6:]]).update(
            status=InstalmentStatus.RELEASE_REQUESTED, requested_by=signoff["funded"].officer
        )

    counted = same_queries(lambda: client.get(reverse("oversight:home")), grow=grow)

    assert "Payment run 2</a>" in counted.result.content.decode()


# The council's amount needing sign-off --------------------------------------------------------


def _threshold_url() -> str:
    return reverse("grants:finance_signoff_threshold")


def test_the_council_administrator_sets_the_amount_and_blank_means_every_release(signoff, client):
    client.force_login(signoff["admin"])

    page = client.get(_threshold_url()).content.decode()
    assert "Leave it blank for every release to need finance sign-off." in page

    response = client.post(_threshold_url(), {"threshold": "5000", "shown": ""})
    assert response.status_code == 302
    council = Organisation.objects.get(pk=signoff["council"].pk)
    assert council.finance_signoff_threshold == Decimal("5000.00")

    client.post(_threshold_url(), {"threshold": "", "shown": "5000.00"})
    council.refresh_from_db()
    assert council.finance_signoff_threshold is None
    payments = client.get(reverse("grants:finance_payments")).content.decode()
    assert "Every release needs a finance officer's authorisation." in payments


def test_a_negative_amount_is_refused_beside_the_field(signoff, client):
    client.force_login(signoff["admin"])

    response = client.post(_threshold_url(), {"threshold": "-1", "shown": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert html.count("The amount cannot be less than £0") == 2
    assert Organisation.objects.get(pk=signoff["council"].pk).finance_signoff_threshold is None


def test_an_amount_changed_since_the_page_was_opened_is_not_overridden(signoff, client):
    Organisation.objects.filter(pk=signoff["council"].pk).update(
        finance_signoff_threshold=Decimal("100")
    )
    client.force_login(signoff["admin"])

    response = client.post(_threshold_url(), {"threshold": "5000", "shown": ""}, follow=True)

    assert "Someone changed the amount needing finance sign-off" in response.content.decode()
    council = Organisation.objects.get(pk=signoff["council"].pk)
    assert council.finance_signoff_threshold == Decimal("100")


@pytest.mark.parametrize("shown", ["sNaN", "NaN", "Infinity", "1e999999999", "twelve"])
def test_an_amount_the_page_never_showed_is_refused_as_changed_not_a_server_error(
    signoff, client, shown
):
    Organisation.objects.filter(pk=signoff["council"].pk).update(
        finance_signoff_threshold=Decimal("12000")
    )
    client.force_login(signoff["admin"])

    response = client.post(_threshold_url(), {"threshold": "5000", "shown": shown}, follow=True)

    assert response.status_code == 200
    assert "Someone changed the amount needing finance sign-off" in response.content.decode()
    council = Organisation.objects.get(pk=signoff["council"].pk)
    assert council.finance_signoff_threshold == Decimal("12000")


@pytest.mark.parametrize("who", ["finance", "officer", "provider"])
def test_only_a_council_administrator_sets_the_amount(signoff, client, who):
    users = {
        "finance": signoff["finance"],
        "officer": signoff["funded"].officer,
        "provider": signoff["funded"].provider_user,
    }
    client.force_login(users[who])

    assert client.get(_threshold_url()).status_code == 403
    assert client.post(_threshold_url(), {"threshold": "1", "shown": ""}).status_code == 403
    assert Organisation.objects.get(pk=signoff["council"].pk).finance_signoff_threshold is None
