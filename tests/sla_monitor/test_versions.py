"""Parts of pages kept by the version of what they show (`sla_monitor.versions`): which writes
move which versions, that reads move none, and that a kept part is never stale nor shown to a
reader it was not drawn for."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from equality_plans import services as plan_services
from grants import reports, services
from grants.models import Agreement, PaymentInstalment, QuarterlyReturn, ReportingPeriod
from sla_monitor import api_tokens, versions
from sla_monitor.models import User
from tests.conftest import Funded, move_queued_versions
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgreementFactory,
    SectionFactory,
    UserFactory,
)


@dataclass
class World:
    funded: Funded
    period: ReportingPeriod
    other_agreement: Agreement
    action: object
    other_plan: object

    @property
    def council(self) -> int:
        return self.funded.agreement.funder_id

    def names(self, *extra: str) -> list[str]:
        """Every version a test looks at: ours, and another council's."""
        return [
            versions.SITE,
            versions.council(self.council),
            versions.agreement(self.funded.agreement.pk),
            versions.plan(self.action.plan_id),
            versions.council(self.other_agreement.funder_id),
            versions.agreement(self.other_agreement.pk),
            versions.plan(self.other_plan.pk),
            *extra,
        ]


@pytest.fixture
def world(funded) -> World:
    section = SectionFactory(plan=ActionPlanFactory(owner=funded.agreement.funder))
    return World(
        funded=funded,
        period=ReportingPeriod.objects.get(financial_year=2025, quarter=1),
        other_agreement=AgreementFactory(),
        action=ActionFactory(section=section, owner=funded.officer),
        other_plan=ActionPlanFactory(owner=funded.other_officer.organisation),
    )


@pytest.fixture
def moves(django_capture_on_commit_callbacks):
    """`moves(run, *names)`: the versions among the world's (and `names`) that `run()` moved,
    once its transaction committed."""

    def measure(world: World, run, *extra: str) -> set[str]:
        names = world.names(*extra)
        move_queued_versions()
        before = versions.read(*names)
        with django_capture_on_commit_callbacks(execute=True):
            run()
        after = versions.read(*names)
        return {name for name in names if after[name] != before[name]}

    return measure


def _ours(world: World, quarterly_return: QuarterlyReturn | None = None) -> set[str]:
    grants = {versions.council(world.council), versions.agreement(world.funded.agreement.pk)}
    if quarterly_return is not None:
        grants.add(versions.quarterly_return(quarterly_return.pk))
    return grants


# A read moves nothing ------------------------------------------------------------------------


def test_reading_every_kept_page_signing_in_and_a_refused_form_move_no_version(
    world, client, moves
):
    funded = world.funded
    submitted = funded.submitted(quarter=1)
    _, secret = api_tokens.create_token(
        by=UserFactory(organisation=funded.agreement.funder, role=User.Role.ADMIN),
        name="Power BI",
        scopes=["grants"],
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )

    def read_everything():
        client.force_login(funded.officer)
        for url in (
            reverse("oversight:council_dashboard") + f"?period={world.period.pk}",
            reverse("grants:agreement_detail", args=[funded.agreement.pk]),
            reverse("grants:return_detail", args=[submitted.pk]),
            reverse("equality_plans:plan_detail", args=[world.action.plan_id]),
        ):
            assert client.get(url).status_code == 200
        refused = client.post(
            reverse("grants:decide_return", args=[submitted.pk]), {"decision": ""}
        )
        assert refused.status_code in (200, 400)
        client.force_login(funded.provider_user)
        assert client.get(reverse("grants:return_detail", args=[submitted.pk])).status_code == 200
        assert (
            client.get("/api/v1/agreements/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code
            == 200
        )

    assert moves(world, read_everything, versions.quarterly_return(submitted.pk)) == set()


def test_a_rolled_back_write_moves_no_version(world, moves):
    def rolled_back():
        with transaction.atomic():
            PaymentInstalment.objects.create(
                agreement=world.funded.agreement,
                sequence=99,
                financial_year=2025,
                amount=Decimal("1"),
                due_date=dt.date(2025, 6, 1),
            )
            transaction.set_rollback(True)

    assert moves(world, rolled_back) == set()


# Each write moves what it changed, and nothing of another council ----------------------------


def test_a_providers_draft_moves_its_return_agreement_and_council(world, moves):
    funded = world.funded
    quarterly_return = funded.start(quarter=1)

    moved = moves(
        world,
        lambda: services.save_indicator_answer(
            quarterly_return=quarterly_return,
            indicator=funded.indicators["per_quarter"],
            by=funded.provider_user,
            expected_version=None,
            actual_value=Decimal("3"),
        ),
        versions.quarterly_return(quarterly_return.pk),
    )

    assert moved == _ours(world, quarterly_return)


def test_starting_submitting_approving_and_sending_back_move_the_returns_versions(world, moves):
    funded = world.funded
    started: list[QuarterlyReturn] = []

    assert moves(world, lambda: started.append(funded.start(quarter=2))) == _ours(world)
    (quarterly_return,) = started
    funded.complete(quarterly_return)
    own = versions.quarterly_return(quarterly_return.pk)

    steps = [
        lambda: services.submit_return(quarterly_return=quarterly_return, by=funded.provider_user),
        lambda: services.request_changes(
            quarterly_return=quarterly_return, by=funded.officer, comment="The log, please."
        ),
        lambda: services.submit_return(quarterly_return=quarterly_return, by=funded.provider_user),
        lambda: services.approve_return(quarterly_return=quarterly_return, by=funded.officer),
    ]
    for step in steps:
        assert moves(world, step, own) == _ours(world, quarterly_return)


def test_releasing_an_instalment_and_recording_a_meeting_move_the_agreement_and_council(
    world, moves
):
    funded = world.funded
    instalment = PaymentInstalment.objects.create(
        agreement=funded.agreement,
        sequence=1,
        financial_year=2025,
        amount=Decimal("100"),
        due_date=dt.date(2025, 6, 1),
    )

    released = moves(
        world,
        lambda: services.release_instalment(
            instalment=instalment, by=funded.officer, reason="Year one begins."
        ),
    )
    met = moves(
        world,
        lambda: services.record_meeting(
            agreement=funded.agreement,
            by=funded.officer,
            held_on=dt.date(2025, 6, 2),
            period=None,
            attendees="The officer and the provider",
        ),
    )

    assert released == met == _ours(world)


def test_recording_progress_moves_the_plan_and_its_council_only(world, moves):
    moved = moves(
        world,
        lambda: plan_services.record_progress(
            action=world.action,
            by=world.funded.officer,
            financial_year=2025,
            quarter=1,
            rag_status="green",
            narrative="Training delivered to every directorate.",
        ),
    )

    assert moved == {versions.plan(world.action.plan_id), versions.council(world.council)}


def test_a_change_to_a_name_shown_across_councils_moves_the_site(world, moves):
    officer = world.funded.officer

    def rename():
        officer.first_name = "Sam"
        officer.save()

    assert moves(world, rename) == {versions.SITE}


def test_a_sign_in_that_saves_last_login_alone_moves_nothing(world, moves):
    officer = world.funded.officer

    def sign_in():
        officer.last_login = timezone.now()
        officer.save(update_fields=["last_login"])

    assert moves(world, sign_in) == set()


# What a reader sees --------------------------------------------------------------------------


def _dashboard(client, world: World) -> str:
    url = reverse("oversight:council_dashboard") + f"?period={world.period.pk}"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_officer_sees_a_providers_draft_on_the_next_request(world, client):
    funded = world.funded
    client.force_login(funded.officer)
    assert funded.agreement.reference in _dashboard(client, world).split('id="not-started"')[1]

    client.force_login(funded.provider_user)
    client.post(
        reverse("grants:start_return", args=[funded.agreement.pk, world.period.pk]),
    )
    assert QuarterlyReturn.objects.filter(agreement=funded.agreement).exists()

    client.force_login(funded.officer)
    not_started = _dashboard(client, world).split('id="not-started"')[1].split("</section>")[0]
    assert funded.agreement.reference not in not_started
    assert "Every provider has started this quarter's return." in not_started


def test_an_approval_shows_on_the_agreement_page_at_once(world, client):
    funded = world.funded
    submitted = funded.submitted(quarter=1)
    client.force_login(funded.officer)
    url = reverse("grants:agreement_detail", args=[funded.agreement.pk]) + "?year=2025"

    def year_section() -> str:
        html = client.get(url).content.decode()
        return html.split('id="year-heading"')[1].split("</section>")[0]

    assert "Submitted" in year_section()
    response = client.post(
        reverse("grants:decide_return", args=[submitted.pk]),
        {"decision": "approve", "version": submitted.version, "comment": ""},
    )
    assert response.status_code == 302

    section = year_section()
    assert "Approved" in section
    assert "Submitted" not in section


def test_a_write_committed_while_the_agreement_page_is_drawn_is_shown_on_the_next_request(
    world, client, monkeypatch
):
    """The year at a glance read before an approval committed is never kept under the version
    the approval moved to."""
    funded = world.funded
    submitted = funded.submitted(quarter=1)
    client.force_login(funded.officer)
    url = reverse("grants:agreement_detail", args=[funded.agreement.pk]) + "?year=2025"
    read_year = reports.agreement_year

    def read_then_approved_elsewhere(agreement, year):
        report = read_year(agreement, year)
        services.approve_return(quarterly_return=submitted, by=funded.officer)
        move_queued_versions()  # as its commit would, while this page is still being drawn
        return report

    monkeypatch.setattr(reports, "agreement_year", read_then_approved_elsewhere)
    client.get(url)
    monkeypatch.setattr(reports, "agreement_year", read_year)

    section = client.get(url).content.decode().split('id="year-heading"')[1]
    assert "Approved" in section.split("</section>")[0]


def test_a_second_officer_of_the_council_is_served_the_kept_dashboard(world, client):
    funded = world.funded
    funded.submitted(quarter=1)
    colleague = UserFactory(lead_officer=True, organisation=funded.agreement.funder)
    client.force_login(funded.officer)
    with CaptureQueriesContext(transaction.get_connection()) as first:
        first_html = _dashboard(client, world)
    client.force_login(colleague)

    with CaptureQueriesContext(transaction.get_connection()) as second:
        second_html = _dashboard(client, world)

    assert len(second) <= len(first) - 5
    assert (
        second_html.split('id="returns-heading"')[1] == first_html.split('id="returns-heading"')[1]
    )


def test_another_councils_officer_never_gets_this_councils_kept_dashboard(world, client):
    funded = world.funded
    client.force_login(funded.officer)
    assert funded.agreement.reference in _dashboard(client, world)
    client.force_login(funded.other_officer)

    html = _dashboard(client, world)

    assert funded.agreement.reference not in html
    client.force_login(funded.provider_user)
    url = reverse("oversight:council_dashboard") + f"?period={world.period.pk}"
    assert client.get(url).status_code == 403


def test_a_second_reader_of_a_plan_is_served_the_kept_page_and_sees_progress_at_once(world, client):
    funded = world.funded
    url = reverse("equality_plans:plan_detail", args=[world.action.plan_id])
    colleague = UserFactory(lead_officer=True, organisation=funded.agreement.funder)
    client.force_login(funded.officer)
    with CaptureQueriesContext(transaction.get_connection()) as first:
        assert ">No update</td>" in client.get(url).content.decode()
    client.force_login(colleague)
    with CaptureQueriesContext(transaction.get_connection()) as second:
        client.get(url)
    assert len(second) < len(first)

    plan_services.record_progress(
        action=world.action,
        by=funded.officer,
        financial_year=2025,
        quarter=1,
        rag_status="green",
        narrative="Training delivered to every directorate.",
    )

    html = client.get(url).content.decode()
    assert ">No update</td>" not in html
    assert ">Green</span></td>" in html
