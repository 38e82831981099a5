"""Corrections to approved returns: proposed, approved (the answers take the corrected values and
keep the originals on the correction), declined or withdrawn; the return stays approved."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.urls import reverse

from grants import selectors, services
from grants.models import IndicatorAnswer, QuarterlyReturn, ReturnCorrection
from sla_monitor.models import Notification
from tests.factories import PaymentInstalmentFactory
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db


def approved(funded, quarter: int = 1) -> QuarterlyReturn:
    quarterly_return = funded.submitted(quarter)
    return services.approve_return(
        quarterly_return=quarterly_return, by=funded.officer, comment="All in order."
    )


def answer(quarterly_return, funded, key: str) -> IndicatorAnswer:
    return IndicatorAnswer.objects.get(
        quarterly_return=quarterly_return, indicator=funded.indicators[key]
    )


def propose(funded, quarterly_return, *, by=None, reason="Two sessions were missed off.", **by_key):
    changes = {funded.indicators[key].pk: values for key, values in by_key.items()}
    return services.propose_correction(
        quarterly_return=quarterly_return,
        by=by or funded.provider_user,
        reason=reason,
        changes=changes or {funded.indicators["per_year"].pk: {"actual_value": Decimal("3")}},
    )


def approval_of(quarterly_return):
    transition = quarterly_return.transitions.get(to_status="approved")
    quarterly_return.refresh_from_db()
    return transition.by_id, transition.at, quarterly_return.decided_at, quarterly_return.status


# Proposing -----------------------------------------------------------------------------------


def test_the_provider_proposes_a_correction_keeping_the_original_values(funded):
    qr = approved(funded)

    correction = propose(funded, qr, per_year={"actual_value": Decimal("3")})

    assert correction.status == ReturnCorrection.Status.PROPOSED
    line = correction.lines.get()
    assert (line.original_actual, line.corrected_actual) == (Decimal("1"), Decimal("3"))
    assert answer(qr, funded, "per_year").actual_value == Decimal("1")
    assert Notification.objects.filter(
        recipient=funded.officer, kind=Notification.Kind.CORRECTION_PROPOSED
    ).exists()
    assert not Notification.objects.filter(
        recipient=funded.provider_user, kind=Notification.Kind.CORRECTION_PROPOSED
    ).exists()


def test_a_lead_officer_may_propose_a_correction_too(funded):
    qr = approved(funded)

    correction = propose(funded, qr, by=funded.officer, narrative={"narrative": "Corrected."})

    assert correction.lines.get().corrected_narrative == "Corrected."


@pytest.mark.parametrize("status", ["draft", "submitted", "changes_requested"])
@pytest.mark.history_by_hand
def test_only_an_approved_return_is_corrected(funded, status):
    qr = funded.submitted()
    QuarterlyReturn.objects.filter(pk=qr.pk).update(status=status)

    with pytest.raises(services.CorrectionStateError):
        propose(funded, qr)

    assert not ReturnCorrection.objects.exists()


def test_a_correction_must_change_something(funded):
    qr = approved(funded)

    with pytest.raises(ValidationError, match="Change at least one answer"):
        propose(funded, qr, per_year={"actual_value": Decimal("1")})


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("per_quarter", Decimal("-1"), "cannot be less than 0"),
        ("per_quarter", Decimal("2.5"), "as a whole number"),
        ("percentage", Decimal("101"), "must be 100 or less"),
        ("per_quarter", None, "cannot remove it"),
    ],
)
def test_corrected_values_are_checked_as_answers_are(funded, key, value, message):
    qr = approved(funded)

    with pytest.raises(ValidationError) as raised:
        propose(funded, qr, **{key: {"actual_value": value}})

    field = f"actual_value_{funded.indicators[key].pk}"
    assert message in " ".join(raised.value.message_dict[field])
    assert not ReturnCorrection.objects.exists()


def test_a_correction_needs_a_reason(funded):
    qr = approved(funded)

    with pytest.raises(ValidationError) as raised:
        propose(funded, qr, reason="  ")

    assert "reason" in raised.value.message_dict


def test_a_second_open_correction_is_refused(funded):
    qr = approved(funded)
    propose(funded, qr)

    with pytest.raises(services.CorrectionStateError, match="one correction open at a time"):
        propose(funded, qr, by=funded.officer, per_quarter={"actual_value": Decimal("5")})


def test_the_database_holds_one_open_correction_per_return(funded):
    qr = approved(funded)
    propose(funded, qr)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReturnCorrection.objects.create(quarterly_return=qr, reason="Again", proposed_by_id=1)


def test_another_provider_or_council_cannot_propose(funded):
    qr = approved(funded)

    for outsider in (funded.other_provider_user, funded.other_officer):
        with pytest.raises(PermissionDenied):
            propose(funded, qr, by=outsider)


# Approving -----------------------------------------------------------------------------------


def test_approving_writes_the_corrected_values_and_the_return_stays_approved(funded):
    qr = approved(funded)
    before = approval_of(qr)
    released = PaymentInstalmentFactory(agreement=funded.agreement, status="released")
    released_before = model_to_dict(released)
    correction = propose(
        funded,
        qr,
        per_year={"actual_value": Decimal("3")},
        milestone={"achieved": False},
    )

    services.approve_correction(correction=correction, by=funded.officer, version=1)

    correction.refresh_from_db()
    assert correction.status == ReturnCorrection.Status.APPROVED
    assert correction.decided_by == funded.officer
    assert answer(qr, funded, "per_year").actual_value == Decimal("3")
    assert answer(qr, funded, "milestone").achieved is False
    lines = {line.answer.indicator.code: line for line in correction.lines.all()}
    assert lines["b"].original_actual == Decimal("1")
    assert lines["f"].original_achieved is True
    assert approval_of(qr) == before
    released.refresh_from_db()
    assert model_to_dict(released) == released_before
    assert Notification.objects.filter(
        recipient=funded.provider_user, kind=Notification.Kind.CORRECTION_APPROVED
    ).exists()


@pytest.mark.history_by_hand
def test_a_double_approval_applies_once(funded):
    qr = approved(funded)
    correction = propose(funded, qr, per_year={"actual_value": Decimal("3")})
    services.approve_correction(correction=correction, by=funded.officer, version=1)
    # The answer is changed by hand since; a second approval must not write the values again.
    IndicatorAnswer.objects.filter(pk=answer(qr, funded, "per_year").pk).update(actual_value=7)

    with pytest.raises(services.CorrectionStateError, match="approved by"):
        services.approve_correction(correction=correction, by=funded.officer, version=1)

    assert answer(qr, funded, "per_year").actual_value == Decimal("7")


def test_a_stale_version_is_refused(funded):
    qr = approved(funded)
    correction = propose(funded, qr)

    with pytest.raises(services.StaleCorrectionError):
        services.approve_correction(correction=correction, by=funded.officer, version=0)

    assert answer(qr, funded, "per_year").actual_value == Decimal("1")


def test_the_provider_cannot_approve_nor_decline(funded):
    qr = approved(funded)
    correction = propose(funded, qr)

    with pytest.raises(PermissionDenied):
        services.approve_correction(correction=correction, by=funded.provider_user, version=1)
    with pytest.raises(PermissionDenied):
        services.decline_correction(
            correction=correction, by=funded.provider_user, reason="No", version=1
        )
    with pytest.raises(PermissionDenied):
        services.approve_correction(correction=correction, by=funded.other_officer, version=1)


def test_an_officer_may_approve_a_correction_they_proposed(funded):
    qr = approved(funded)
    correction = propose(funded, qr, by=funded.officer)

    services.approve_correction(correction=correction, by=funded.officer, version=1)

    assert answer(qr, funded, "per_year").actual_value == Decimal("3")


# Declining and withdrawing ---------------------------------------------------------------------


def test_declining_needs_a_reason_and_leaves_the_answers(funded):
    qr = approved(funded)
    correction = propose(funded, qr)

    with pytest.raises(ValidationError):
        services.decline_correction(correction=correction, by=funded.officer, reason="", version=1)
    services.decline_correction(
        correction=correction, by=funded.officer, reason="The register says 1.", version=1
    )

    correction.refresh_from_db()
    assert correction.status == ReturnCorrection.Status.DECLINED
    assert correction.decision_reason == "The register says 1."
    assert answer(qr, funded, "per_year").actual_value == Decimal("1")
    told = Notification.objects.get(
        recipient=funded.provider_user, kind=Notification.Kind.CORRECTION_DECLINED
    )
    assert told.params["reason"] == "The register says 1."


def test_only_the_proposer_withdraws_and_then_another_may_be_proposed(funded):
    qr = approved(funded)
    correction = propose(funded, qr)

    with pytest.raises(PermissionDenied):
        services.withdraw_correction(correction=correction, by=funded.officer, version=1)
    services.withdraw_correction(correction=correction, by=funded.provider_user, version=1)

    correction.refresh_from_db()
    assert correction.status == ReturnCorrection.Status.WITHDRAWN
    assert propose(funded, qr, by=funded.officer).is_open


# What everyone reads ---------------------------------------------------------------------------


def test_the_corrected_value_is_in_the_year_to_date_and_the_export(funded, client):
    first = approved(funded, quarter=1)
    second = funded.submitted(quarter=2)
    correction = propose(funded, first, per_year={"actual_value": Decimal("3")})
    services.approve_correction(correction=correction, by=funded.officer, version=1)

    row = next(
        r
        for r in selectors.return_detail(second).indicator_rows
        if r.indicator == funded.indicators["per_year"]
    )
    assert row.year_to_date == Decimal("4")  # 3 corrected in Q1, 1 in Q2
    client.force_login(funded.officer)
    response = client.get(reverse("grants:indicator_results_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ("Q1 2025/26", "b", "3") in {(r[0], r[3], r[9]) for r in rows[1:]}


def test_the_return_page_shows_the_open_correction_and_the_decision_buttons(funded, client):
    qr = approved(funded)
    propose(funded, qr, per_year={"actual_value": Decimal("3")})
    client.force_login(funded.officer)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    assert "A correction waiting for a decision" in html
    assert "Two sessions were missed off." in html
    assert 'value="approve"' in html and 'value="decline"' in html
    assert 'value="withdraw"' not in html

    client.force_login(funded.provider_user)
    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()
    assert 'value="withdraw"' in html and 'value="approve"' not in html


def test_the_return_page_history_and_pdf_show_original_and_corrected(funded, client):
    qr = approved(funded)
    correction = propose(funded, qr, per_year={"actual_value": Decimal("3")})
    services.approve_correction(correction=correction, by=funded.officer, version=1)
    client.force_login(funded.provider_user)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()
    history = html[html.index('id="history-heading"') :]
    assert "Correction proposed" in history and "Correction approved" in history
    assert "<li>Indicator b: actual, 1 → 3</li>" in history
    assert "Propose a correction" in html

    _, text = response_pdf(client.get(reverse("grants:return_pdf", args=[qr.pk])))
    assert "Correction approved on" in text
    assert "Two sessions were missed off." in text
    assert "Indicator b: actual 1 3" in text


# The pages -------------------------------------------------------------------------------------


def form_data(funded, qr, **overrides):
    data = {"version": qr.version, "reason": "Two sessions were missed off."}
    for key, indicator in funded.indicators.items():
        value = answer(qr, funded, key)
        if indicator.needs_value:
            data[f"actual_value_{indicator.pk}"] = str(int(value.actual_value))
        if key == "milestone":
            data[f"achieved_{indicator.pk}"] = "yes"
        data[f"narrative_{indicator.pk}"] = value.narrative
    data.update(overrides)
    return data


def test_the_form_proposes_a_correction(funded, client):
    qr = approved(funded)
    per_year = funded.indicators["per_year"]
    client.force_login(funded.provider_user)

    page = client.get(reverse("grants:propose_correction", args=[qr.pk]))
    response = client.post(
        reverse("grants:propose_correction", args=[qr.pk]),
        form_data(funded, qr, **{f"actual_value_{per_year.pk}": "3"}),
    )

    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    assert response.status_code == 302
    assert qr.corrections.get().lines.get().corrected_actual == Decimal("3")


def test_a_wrong_value_is_shown_beside_its_field_and_nothing_is_saved(funded, client):
    qr = approved(funded)
    percentage = funded.indicators["percentage"]
    client.force_login(funded.provider_user)

    response = client.post(
        reverse("grants:propose_correction", args=[qr.pk]),
        form_data(funded, qr, reason="", **{f"actual_value_{percentage.pk}": "120"}),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "The percentage must be 100 or less" in html
    assert "Say why the answers need correcting" in html
    assert not ReturnCorrection.objects.exists()


def test_a_stale_form_is_refused_with_a_message(funded, client):
    qr = approved(funded)
    per_year = funded.indicators["per_year"]
    client.force_login(funded.provider_user)
    data = form_data(funded, qr, version=qr.version - 1, **{f"actual_value_{per_year.pk}": "3"})

    response = client.post(reverse("grants:propose_correction", args=[qr.pk]), data, follow=True)

    assert "This return has changed since you opened the page" in response.content.decode()
    assert not ReturnCorrection.objects.exists()


def test_a_double_click_on_approve_applies_once(funded, client):
    qr = approved(funded)
    correction = propose(funded, qr)
    client.force_login(funded.officer)
    url = reverse("grants:decide_correction", args=[qr.pk, correction.pk])

    first = client.post(url, {"version": 1, "step": "approve"})
    second = client.post(url, {"version": 1, "step": "approve"}, follow=True)

    assert first.status_code == 302
    assert "so it cannot be approved now" in second.content.decode()
    assert answer(qr, funded, "per_year").actual_value == Decimal("3")


def test_declining_without_a_reason_shows_the_error_on_the_return_page(funded, client):
    qr = approved(funded)
    correction = propose(funded, qr)
    client.force_login(funded.officer)

    response = client.post(
        reverse("grants:decide_correction", args=[qr.pk, correction.pk]),
        {"version": 1, "step": "decline", "reason": ""},
    )

    assert response.status_code == 200
    assert "Say why you are declining the correction" in response.content.decode()
    correction.refresh_from_db()
    assert correction.is_open


def test_other_providers_and_councils_get_a_404(funded, client):
    qr = approved(funded)
    correction = propose(funded, qr)

    for outsider in (funded.other_provider_user, funded.other_officer):
        client.force_login(outsider)
        assert client.get(reverse("grants:propose_correction", args=[qr.pk])).status_code == 404
        decide = reverse("grants:decide_correction", args=[qr.pk, correction.pk])
        assert client.post(decide, {"version": 1, "step": "approve"}).status_code == 404


def test_the_provider_cannot_approve_through_the_page(funded, client):
    qr = approved(funded)
    correction = propose(funded, qr)
    client.force_login(funded.provider_user)

    response = client.post(
        reverse("grants:decide_correction", args=[qr.pk, correction.pk]),
        {"version": 1, "step": "approve"},
    )

    assert response.status_code == 403
    correction.refresh_from_db()
    assert correction.is_open
