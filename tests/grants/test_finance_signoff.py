"""Finance sign-off of payments: a release at or above the council's amount is a request that a
finance officer of the council, never the person who asked, authorises or rejects with a reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grants import services
from grants.lifecycle import INSTALMENT, InstalmentStatus
from grants.models import InstalmentTransition, PaymentInstalment
from sla_monitor.models import Notification, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signoff(funded):
    """The funded agreement's council asks for sign-off on every payment; it has two finance
    officers; its instalments are scheduled."""
    council = funded.agreement.funder
    council.finance_signoff_threshold = None
    council.save(update_fields=["finance_signoff_threshold"])
    services.create_instalment_schedule(agreement=funded.agreement)
    first = funded.agreement.instalments.order_by("sequence").first()
    return {
        "funded": funded,
        "first": first,
        "finance": UserFactory(finance_officer=True, organisation=council, username="finance"),
        "finance2": UserFactory(finance_officer=True, organisation=council, username="finance2"),
    }


def _requested(signoff) -> PaymentInstalment:
    funded = signoff["funded"]
    return services.release_instalment(
        instalment=signoff["first"], by=funded.officer, reason="Year one begins."
    )


# The threshold --------------------------------------------------------------------------------


def test_a_release_at_or_above_the_threshold_becomes_a_request(signoff):
    council = signoff["funded"].agreement.funder
    council.finance_signoff_threshold = Decimal("12500.00")
    council.save()

    instalment = _requested(signoff)

    instalment.refresh_from_db()
    assert instalment.status == InstalmentStatus.RELEASE_REQUESTED
    assert instalment.requested_by == signoff["funded"].officer
    assert instalment.decided_by is None
    (transition,) = instalment.transitions.all()
    assert (transition.from_status, transition.to_status) == ("scheduled", "release_requested")
    assert transition.reason == "Year one begins."


def test_a_release_below_the_threshold_is_released_by_the_lead_officer_alone(signoff):
    council = signoff["funded"].agreement.funder
    council.finance_signoff_threshold = Decimal("12500.01")
    council.save()

    instalment = _requested(signoff)

    instalment.refresh_from_db()
    assert instalment.status == InstalmentStatus.RELEASED
    assert instalment.decided_by == signoff["funded"].officer


def test_without_a_threshold_every_release_needs_signoff(signoff):
    assert _requested(signoff).status == InstalmentStatus.RELEASE_REQUESTED


def test_the_lifecycle_table_has_the_signoff_steps():
    assert [s.name for s in INSTALMENT.steps_from(InstalmentStatus.RELEASE_REQUESTED)] == [
        "authorise",
        "reject",
    ]
    assert INSTALMENT.step("authorise").target == InstalmentStatus.RELEASED
    assert INSTALMENT.step("reject").target == InstalmentStatus.SCHEDULED


# Authorising ----------------------------------------------------------------------------------


def test_a_finance_officer_authorises_and_the_instalment_is_released(signoff):
    _requested(signoff)

    instalment = services.authorise_release(
        instalment=signoff["first"], by=signoff["finance"], expected_status="release_requested"
    )

    instalment.refresh_from_db()
    assert instalment.status == InstalmentStatus.RELEASED
    assert instalment.decided_by == signoff["finance"]
    assert [(t.to_status, t.by.username) for t in instalment.transitions.all()] == [
        ("release_requested", "officer"),
        ("released", "finance"),
    ]


def test_a_finance_officer_never_authorises_their_own_request(signoff):
    """Four eyes: a finance officer who is also made to ask (here, by the service directly)
    cannot then authorise it."""
    instalment = signoff["first"]
    PaymentInstalment.objects.filter(pk=instalment.pk).update(
        status=InstalmentStatus.RELEASE_REQUESTED, requested_by=signoff["finance"]
    )

    with pytest.raises(ValidationError, match="another finance officer authorises"):
        services.authorise_release(instalment=instalment, by=signoff["finance"])

    instalment.refresh_from_db()
    assert instalment.status == InstalmentStatus.RELEASE_REQUESTED
    assert not instalment.transitions.exists()


@pytest.mark.parametrize("who", ["officer", "provider", "other council's finance officer"])
def test_only_a_finance_officer_of_the_council_authorises(signoff, who):
    _requested(signoff)
    funded = signoff["funded"]
    person = {
        "officer": funded.officer,
        "provider": funded.provider_user,
        "other council's finance officer": UserFactory(finance_officer=True),
    }[who]

    with pytest.raises(PermissionDenied):
        services.authorise_release(instalment=signoff["first"], by=person)

    assert PaymentInstalment.objects.get(pk=signoff["first"].pk).status == "release_requested"


def test_a_scheduled_instalment_cannot_be_authorised(signoff):
    with pytest.raises(ValidationError, match="is scheduled, so it cannot be authorised"):
        services.authorise_release(instalment=signoff["first"], by=signoff["finance"])


def test_authorising_what_another_finance_officer_rejected_since_is_refused(signoff):
    _requested(signoff)
    services.reject_release(
        instalment=signoff["first"], by=signoff["finance2"], reason="Wrong year."
    )

    with pytest.raises(ValidationError, match="is scheduled, so it cannot be authorised"):
        services.authorise_release(
            instalment=signoff["first"],
            by=signoff["finance"],
            expected_status="release_requested",
        )
    assert InstalmentTransition.objects.filter(to_status="released").count() == 0


# Rejecting ------------------------------------------------------------------------------------


def test_a_rejected_request_is_scheduled_again_with_its_reason(signoff):
    _requested(signoff)

    services.reject_release(
        instalment=signoff["first"],
        by=signoff["finance"],
        reason="  The supplier number is wrong. ",
    )

    instalment = PaymentInstalment.objects.get(pk=signoff["first"].pk)
    assert instalment.status == InstalmentStatus.SCHEDULED
    assert instalment.reason == "The supplier number is wrong."
    assert instalment.transitions.last().by == signoff["finance"]
    # The lead officer may put it right and release it again.
    again = services.release_instalment(instalment=instalment, by=signoff["funded"].officer)
    assert again.status == InstalmentStatus.RELEASE_REQUESTED


@pytest.mark.parametrize("reason", [" ", " \u200b ", "\u202e\u200d"])
def test_a_rejection_needs_a_reason(signoff, reason):
    _requested(signoff)

    with pytest.raises(ValidationError) as refused:
        services.reject_release(instalment=signoff["first"], by=signoff["finance"], reason=reason)

    assert refused.value.message_dict == {"reason": ["Enter why the request is rejected"]}
    assert PaymentInstalment.objects.get(pk=signoff["first"].pk).status == "release_requested"


# Who is told ----------------------------------------------------------------------------------


def test_finance_officers_are_told_of_a_request_and_the_lead_officer_of_the_answer(
    signoff, django_capture_on_commit_callbacks, mailoutbox
):
    funded = signoff["funded"]
    with django_capture_on_commit_callbacks(execute=True):
        _requested(signoff)

    assert sorted(m.to[0] for m in mailoutbox) == ["finance2@example.org", "finance@example.org"]
    assert mailoutbox[0].subject.startswith(f"Payment to authorise: {funded.agreement.reference}")
    assert "Year one begins." in mailoutbox[0].body
    assert not Notification.objects.filter(recipient=funded.provider_user).exists()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_release(instalment=signoff["first"], by=signoff["finance"], reason="Hold.")

    (mail,) = mailoutbox
    assert mail.to == [funded.officer.email]
    assert mail.subject.startswith("Payment request rejected: ")
    assert "Reason from Alex" in mail.body and "Hold." in mail.body


def test_on_authorisation_the_lead_officer_and_the_provider_are_told(
    signoff, django_capture_on_commit_callbacks, mailoutbox
):
    funded = signoff["funded"]
    _requested(signoff)

    with django_capture_on_commit_callbacks(execute=True):
        services.authorise_release(instalment=signoff["first"], by=signoff["finance"])

    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects[funded.officer.email].startswith("Payment authorised: ")
    assert subjects[funded.provider_user.email].startswith("Payment released: ")


# Pages ----------------------------------------------------------------------------------------


def test_the_release_page_says_a_finance_officer_will_authorise(signoff, client):
    funded = signoff["funded"]
    client.force_login(funded.officer)
    url = reverse("grants:release_instalment", args=[funded.agreement.pk, signoff["first"].pk])

    assert (
        "A finance officer of the council authorises this payment"
        in client.get(url).content.decode()
    )
    response = client.post(url, {"status": "scheduled", "reason": ""}, follow=True)

    assert "is waiting for a finance officer to authorise it." in response.content.decode()


def test_the_finance_officer_authorises_on_the_signoff_page(signoff, client):
    _requested(signoff)
    client.force_login(signoff["finance"])
    url = reverse("grants:instalment_signoff", args=[signoff["first"].pk])

    page = client.get(url).content.decode()
    assert "Pay £12,500.00 to Cohesion Network?" in page
    assert "Authorise £12,500.00" in page
    response = client.post(
        url, {"step": "authorise", "authorise-status": "release_requested"}, follow=True
    )

    assert "You authorised the 2025/26, first instalment" in response.content.decode()
    assert PaymentInstalment.objects.get(pk=signoff["first"].pk).status == "released"


def test_a_rejection_without_a_reason_is_shown_beside_the_field(signoff, client):
    _requested(signoff)
    client.force_login(signoff["finance"])
    url = reverse("grants:instalment_signoff", args=[signoff["first"].pk])

    response = client.post(url, {"step": "reject", "reject-status": "release_requested"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert html.count("Enter why the request is rejected") == 2


def test_the_requester_is_shown_no_buttons_on_their_own_request(signoff, client):
    instalment = signoff["first"]
    PaymentInstalment.objects.filter(pk=instalment.pk).update(
        status=InstalmentStatus.RELEASE_REQUESTED, requested_by=signoff["finance"]
    )
    client.force_login(signoff["finance"])

    html = client.get(reverse("grants:instalment_signoff", args=[instalment.pk])).content.decode()

    assert "another finance officer authorises or rejects it" in html
    assert "Authorise £" not in html


def test_another_councils_instalment_is_not_found(signoff, client):
    _requested(signoff)
    client.force_login(UserFactory(finance_officer=True))

    url = reverse("grants:instalment_signoff", args=[signoff["first"].pk])
    assert client.get(url).status_code == 404


def test_the_payments_page_lists_requests_in_a_fixed_number_of_queries(
    signoff, client, same_queries
):
    funded = signoff["funded"]
    client.force_login(signoff["finance"])
    instalments = list(funded.agreement.instalments.order_by("sequence"))
    PaymentInstalment.objects.filter(pk=instalments[0].pk).update(
        status="release_requested", requested_by=funded.officer
    )

    def grow():
        PaymentInstalment.objects.filter(pk__in=[i.pk for i in instalments[1:5]]).update(
            status="release_requested", requested_by=funded.officer
        )
        PaymentInstalment.objects.filter(pk__in=[i.pk for i in instalments[5:]]).update(
            status="released"
        )
        services.create_payment_run(council=funded.agreement.funder, by=signoff["finance"])
        PaymentInstalment.objects.filter(pk=instalments[1].pk).update(status="released")

    counted = same_queries(lambda: client.get(reverse("grants:finance_payments")), grow=grow)

    html = counted.result.content.decode()
    assert "4 payments waiting for a finance officer" in html
    assert "Payment run 1" in html


def test_the_finance_officer_reads_the_agreement_but_decides_nothing_on_it(signoff, client):
    funded = signoff["funded"]
    client.force_login(signoff["finance"])

    response = client.get(reverse("grants:agreement_detail", args=[funded.agreement.pk]))

    assert response.status_code == 200
    assert "/release/" not in response.content.decode()
    assert User.objects.get(username="finance").role == "finance_officer"
