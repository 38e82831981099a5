"""The lifecycle tables, and that services, pages and messages follow them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from grants import permissions, services
from grants.lifecycle import (
    CORRECTION,
    INSTALMENT,
    RETURN,
    CorrectionStatus,
    InstalmentStatus,
    ReturnStatus,
)
from grants.models import PaymentInstalment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "steps"),
    [
        (ReturnStatus.DRAFT, ["edit", "submit"]),
        (ReturnStatus.CHANGES_REQUESTED, ["edit", "submit"]),
        (ReturnStatus.SUBMITTED, ["approve", "request_changes"]),
        # An approved return is never un-approved: it is corrected.
        (ReturnStatus.APPROVED, ["correct"]),
    ],
)
def test_the_return_table_says_which_steps_each_status_allows(status, steps):
    assert [step.name for step in RETURN.steps_from(status)] == steps


@pytest.mark.parametrize(
    ("status", "steps"),
    [
        (CorrectionStatus.PROPOSED, ["approve", "decline", "withdraw"]),
        (CorrectionStatus.APPROVED, []),
        (CorrectionStatus.DECLINED, []),
        (CorrectionStatus.WITHDRAWN, []),
    ],
)
def test_the_correction_table_says_which_steps_each_status_allows(status, steps):
    assert [step.name for step in CORRECTION.steps_from(status)] == steps


@pytest.mark.parametrize(
    ("status", "steps"),
    [
        (InstalmentStatus.SCHEDULED, ["release", "request_release", "withhold"]),
        (InstalmentStatus.WITHHELD, ["release", "request_release"]),
        (InstalmentStatus.RELEASE_REQUESTED, ["authorise", "reject"]),
        (InstalmentStatus.RELEASED, []),
    ],
)
def test_the_instalment_table_says_which_steps_each_status_allows(status, steps):
    assert [step.name for step in INSTALMENT.steps_from(status)] == steps


def test_may_the_user_and_may_the_status_are_separate_questions(funded):
    draft = funded.start()
    approve = RETURN.step("approve")

    assert permissions.may_take(funded.officer, approve, draft)
    assert not RETURN.allows("approve", draft.status)
    assert not permissions.may_take(funded.other_officer, approve, draft)
    assert not permissions.may_take(funded.provider_user, approve, draft)


def test_the_funders_officer_is_told_the_state_and_another_council_is_refused(funded):
    draft = funded.start()

    with pytest.raises(services.ReturnStateError, match="This return is in draft, so it cannot"):
        services.approve_return(quarterly_return=draft, by=funded.officer)
    with pytest.raises(PermissionDenied):
        services.approve_return(quarterly_return=draft, by=funded.other_officer)


@pytest.fixture
def instalments(funded):
    services.create_instalment_schedule(agreement=funded.agreement)
    return funded, list(funded.agreement.instalments.order_by("sequence"))


@pytest.mark.parametrize("status", [InstalmentStatus.RELEASED, InstalmentStatus.WITHHELD])
def test_only_a_scheduled_instalment_can_be_withheld(instalments, status):
    funded, (first, *_) = instalments
    PaymentInstalment.objects.filter(pk=first.pk).update(status=status)

    with pytest.raises(
        ValidationError, match=f"The 2025/26, first instalment is {status}, so it cannot be"
    ):
        services.withhold_instalment(instalment=first, by=funded.officer, reason="Late accounts.")

    first.refresh_from_db()
    assert first.status == status
    assert not first.transitions.exists()


def test_a_withheld_instalment_can_be_released_and_then_not_again(instalments):
    funded, (first, *_) = instalments
    services.withhold_instalment(instalment=first, by=funded.officer, reason="Late accounts.")
    before = timezone.now()
    services.release_instalment(instalment=first, by=funded.officer)
    first.refresh_from_db()
    assert (first.status, first.decided_by) == ("released", funded.officer)
    assert before <= first.decided_at <= timezone.now()

    with pytest.raises(
        ValidationError, match="The 2025/26, first instalment has already been released"
    ):
        services.release_instalment(instalment=first, by=funded.officer)
    assert [t.to_status for t in first.transitions.order_by("at", "pk")] == [
        "withheld",
        "released",
    ]


def test_the_agreement_page_offers_only_the_steps_the_table_allows(instalments, client):
    funded, (first, second, *_) = instalments
    services.withhold_instalment(instalment=first, by=funded.officer, reason="Late accounts.")
    PaymentInstalment.objects.filter(pk=second.pk).update(depends_on_period=None)
    client.force_login(funded.officer)

    html = client.get(
        reverse("grants:agreement_detail", args=[funded.agreement.pk]), {"year": 2025}
    ).content.decode()

    assert f"/instalments/{first.pk}/release/" in html
    assert f"/instalments/{first.pk}/withhold/" not in html
    assert f"/instalments/{second.pk}/release/" in html
    assert f"/instalments/{second.pk}/withhold/" in html


def test_a_released_instalment_offers_no_decision(instalments, client):
    funded, (first, *_) = instalments
    services.release_instalment(instalment=first, by=funded.officer)
    client.force_login(funded.officer)

    html = client.get(
        reverse("grants:agreement_detail", args=[funded.agreement.pk]), {"year": 2025}
    ).content.decode()

    assert f"/instalments/{first.pk}/" not in html


def test_the_provider_sees_no_decision_on_its_instalments(instalments, client):
    funded, _ = instalments
    client.force_login(funded.provider_user)

    html = client.get(
        reverse("grants:agreement_detail", args=[funded.agreement.pk]), {"year": 2025}
    ).content.decode()

    assert "/release/" not in html and "/withhold/" not in html


def test_the_review_form_offers_the_decisions_of_the_table(funded, client):
    submitted = funded.submitted()
    client.force_login(funded.officer)

    form = client.get(reverse("grants:return_detail", args=[submitted.pk])).context["form"]

    assert list(form.fields["decision"].choices) == [
        ("approve", "Approve the return"),
        ("request_changes", "Request changes"),
    ]


def test_an_approved_return_offers_the_officer_no_decision(funded, client):
    submitted = funded.submitted()
    services.approve_return(quarterly_return=submitted, by=funded.officer)
    client.force_login(funded.officer)

    response = client.get(reverse("grants:return_detail", args=[submitted.pk]))

    assert response.context["form"] is None
    assert "Confirm decision" not in response.content.decode()
