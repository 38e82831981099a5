"""Each event of returns, payments, reminders and invitations lands in the inbox of the people it
concerns, and never in another council's or another provider's: on the demo data, where Kettering
and Leicester both fund the Kettering Community Cohesion Network (user `provider`), and the
Volunteer Centre (`provider2`) is another provider of Kettering's."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client

from grants import services
from grants.models import Agreement, QuarterlyReturn
from oversight import services as people_services
from sla_monitor import inbox
from sla_monitor.models import Invitation, Notification, Organisation, User
from tests.demo_db import demo_module_fixture

demo_module = demo_module_fixture()
pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.fixture
def told(demo_module, django_capture_on_commit_callbacks):
    """Run an action and its commit; what landed in whose inbox, and who was e-mailed."""

    def run(action, *arguments, **keywords):
        last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action(*arguments, **keywords)
        landed = {
            (n.recipient.username, n.kind)
            for n in Notification.objects.filter(pk__gt=last).select_related("recipient")
        }
        return landed, sorted(address for m in mail.outbox for address in m.to)

    return run


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _submitted(reference: str) -> QuarterlyReturn:
    return QuarterlyReturn.objects.get(agreement__reference=reference, status="submitted")


def test_a_return_decided_and_resubmitted_lands_with_its_provider_then_its_lead_officer(told):
    kettering = _submitted("KBC-CCE-01")

    sent_back = told(
        services.request_changes,
        quarterly_return=kettering,
        by=_user("officer"),
        comment="Check the count of groups.",
    )
    resubmitted = told(services.submit_return, quarterly_return=kettering, by=_user("provider"))
    approved = told(services.approve_return, quarterly_return=kettering, by=_user("officer"))

    assert sent_back == ({("provider", Kind.RETURN_SENT_BACK)}, ["provider@example.org"])
    # Leicester funds the same provider, but Kettering's return is Kettering's officer's alone.
    assert resubmitted == ({("officer", Kind.RETURN_SUBMITTED)}, ["officer@example.org"])
    assert approved == ({("provider", Kind.RETURN_APPROVED)}, ["provider@example.org"])


def test_leicesters_decisions_reach_the_provider_and_no_one_at_kettering(told):
    leicester = _user("leicester")
    agreement = Agreement.objects.get(reference="LCC-HCR-01")
    instalment = agreement.instalments.filter(status="scheduled").order_by("-sequence").first()

    approved = told(
        services.approve_return, quarterly_return=_submitted("LCC-HCR-01"), by=leicester
    )
    withheld = told(
        services.withhold_instalment, instalment=instalment, by=leicester, reason="Accounts late."
    )

    assert approved == ({("provider", Kind.RETURN_APPROVED)}, ["provider@example.org"])
    assert withheld == ({("provider", Kind.INSTALMENT_WITHHELD)}, ["provider@example.org"])
    notification = _user("provider").notifications.latest("pk")
    assert inbox.sentence(notification) == (
        f"The {instalment.label} of £{instalment.amount:,.2f} for LCC-HCR-01 was withheld."
    )


def test_an_invitation_asked_lands_with_the_providers_administrator_and_its_refusal_with_the_asker(
    told,
):
    network = Organisation.objects.get(name="Kettering Community Cohesion Network")

    asked = told(
        people_services.invite_person,
        by=_user("leicester"),
        email="nia@example.org",
        first_name="Nia",
        last_name="Adeyemi",
        organisation=network,
        role=User.Role.PROVIDER,
    )
    invitation = Invitation.objects.get(email="nia@example.org")
    declined = told(people_services.decline_invitation, invitation=invitation, by=_user("provider"))

    assert asked == ({("provider", Kind.INVITATION_ASKED)}, ["provider@example.org"])
    assert declined == ({("leicester", Kind.INVITATION_DECLINED)}, ["leicester@example.org"])


def test_reminders_land_with_each_agreements_provider_or_its_lead_officer_only(told):
    today = dt.date.today() + dt.timedelta(days=200)

    landed, _ = told(services.send_reminders, today=today)

    assert landed
    for notification in Notification.objects.filter(kind__startswith="reminder_"):
        agreement = Agreement.objects.get(reference=notification.params["reference"])
        if notification.kind in (Kind.REMINDER_DUE_SOON, Kind.REMINDER_OVERDUE):
            assert notification.recipient.organisation_id == agreement.provider_id
        else:
            assert notification.recipient_id == agreement.lead_officer_id


def test_every_notification_leads_its_reader_to_a_page_they_may_open(told):
    """A notification in the wrong inbox would lead to a page its reader may not see."""
    told(
        services.request_changes,
        quarterly_return=_submitted("KBC-CCE-01"),
        by=_user("officer"),
        comment="Check the count of groups.",
    )
    told(services.send_reminders, today=dt.date.today() + dt.timedelta(days=200))
    readers = {}
    for notification in Notification.objects.select_related("recipient"):
        readers.setdefault((notification.recipient, notification.link), notification)

    opened = {}
    for (reader, link), _notification in readers.items():
        client = Client()
        client.force_login(reader)
        opened[(reader.username, link)] = client.get(link, follow=True).status_code

    assert {kind for kind in Notification.objects.values_list("kind", flat=True)} >= {
        Kind.RETURN_SUBMITTED,
        Kind.RETURN_APPROVED,
        Kind.RETURN_SENT_BACK,
        Kind.INSTALMENT_RELEASED,
    }
    assert set(opened.values()) == {200}, opened
