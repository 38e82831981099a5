"""Payment runs: the authorised instalments of a council, exported once as a file in the columns
its finance system imports, re-downloadable, reversed with a reason, and paid, each provider
then sent a remittance advice."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grants import selectors, services
from grants.models import PaymentInstalment, PaymentRun, PaymentRunLine
from tests.factories import AgreementFactory, FundFactory, ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs(funded):
    """Two released instalments of the funded agreement, and a finance officer of its council;
    the fund carries the finance system's codes and the agreement the supplier number."""
    agreement = funded.agreement
    council = agreement.funder
    agreement.fund = FundFactory(council=council, cost_centre="CC-410", account_code="5120")
    agreement.supplier_reference = "SUP-00042"
    agreement.save()
    services.create_instalment_schedule(agreement=agreement)
    first, second, *_ = agreement.instalments.order_by("sequence")
    PaymentInstalment.objects.filter(pk__in=[first.pk, second.pk]).update(status="released")
    return {
        "funded": funded,
        "council": council,
        "first": first,
        "second": second,
        "finance": UserFactory(finance_officer=True, organisation=council, username="finance"),
    }


def _run(runs) -> PaymentRun:
    return services.create_payment_run(council=runs["council"], by=runs["finance"])


def test_a_run_holds_every_released_instalment_not_yet_in_a_run(runs):
    run = _run(runs)

    assert run.number == 1
    assert run.status == "exported"
    assert sorted(run.lines.values_list("instalment_id", flat=True)) == [
        runs["first"].pk,
        runs["second"].pk,
    ]


def test_no_instalment_is_in_two_runs(runs):
    _run(runs)

    with pytest.raises(ValidationError, match="no authorised payments waiting for a run"):
        _run(runs)
    assert PaymentRun.objects.count() == 1


def test_the_database_refuses_an_instalment_in_two_live_runs(runs):
    run = _run(runs)
    other = PaymentRun.objects.create(council=runs["council"], number=2, created_by=runs["finance"])

    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRunLine.objects.create(run=other, instalment=runs["first"])
    assert run.lines.count() == 2


def test_a_later_release_goes_into_the_next_run(runs):
    _run(runs)
    third = runs["funded"].agreement.instalments.get(sequence=3)
    PaymentInstalment.objects.filter(pk=third.pk).update(status="released")

    second_run = _run(runs)

    assert second_run.number == 2
    assert list(second_run.lines.values_list("instalment_id", flat=True)) == [third.pk]


def test_a_reversed_run_frees_its_instalments_for_a_new_run(runs):
    run = _run(runs)

    services.reverse_payment_run(
        run=run, by=runs["finance"], reason="Exported a day early.", expected_status="exported"
    )

    run.refresh_from_db()
    assert (run.status, run.reversal_reason, run.reversed_by) == (
        "reversed",
        "Exported a day early.",
        runs["finance"],
    )
    again = _run(runs)
    assert again.number == 2
    assert again.lines.count() == 2
    # The reversed run still shows what it held.
    assert run.lines.count() == 2 and not run.lines.filter(live=True).exists()


def test_a_reversal_needs_a_reason_and_a_paid_run_is_never_reversed(runs):
    run = _run(runs)
    with pytest.raises(ValidationError) as refused:
        services.reverse_payment_run(run=run, by=runs["finance"], reason="")
    assert refused.value.message_dict == {"reason": ["Enter why the run is reversed"]}

    services.mark_run_paid(run=run, by=runs["finance"], paid_on=timezone.localdate())
    with pytest.raises(ValidationError, match="is paid, so it cannot be reversed"):
        services.reverse_payment_run(run=run, by=runs["finance"], reason="Too late.")


def test_a_step_on_a_run_changed_since_is_refused(runs):
    run = _run(runs)
    services.mark_run_paid(run=run, by=runs["finance"], paid_on=timezone.localdate())

    with pytest.raises(ValidationError, match="after you opened the page"):
        services.reverse_payment_run(
            run=run, by=runs["finance"], reason="Wrong.", expected_status="exported"
        )


@pytest.mark.parametrize("who", ["officer", "provider", "other council's finance officer"])
def test_only_the_councils_finance_officers_export(runs, who):
    funded = runs["funded"]
    person = {
        "officer": funded.officer,
        "provider": funded.provider_user,
        "other council's finance officer": UserFactory(finance_officer=True),
    }[who]

    with pytest.raises(PermissionDenied):
        services.create_payment_run(council=runs["council"], by=person)
    assert not PaymentRun.objects.exists()


# The file ---------------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_carries_the_default_columns(runs, client):
    run = _run(runs)
    client.force_login(runs["finance"])

    response = client.get(reverse("grants:payment_run_file", args=[run.pk, "csv"]))

    reference = runs["funded"].agreement.reference
    header, first, second = _csv_rows(response)
    assert header == [
        "Supplier reference",
        "Cost centre",
        "Account code",
        "Amount",
        "Payment reference",
        "Description",
        "Due date",
    ]
    assert first == [
        "SUP-00042",
        "CC-410",
        "5120",
        "12500.00",
        f"{run.reference}-{reference}-1",
        f"{runs['funded'].agreement.title}, 2025/26, first instalment",
        runs["first"].due_date.isoformat(),
    ]
    assert second[4] == f"{run.reference}-{reference}-2"
    assert 'filename="payment-run-' in response["Content-Disposition"]


def test_the_council_sets_the_columns_names_and_order(runs, client):
    run = _run(runs)
    admin = UserFactory(lead_officer=True, organisation=runs["council"], role="admin")
    client.force_login(admin)
    page = client.get(reverse("grants:payment_columns"))
    assert page.status_code == 200

    response = client.post(
        reverse("grants:payment_columns"),
        {
            "amount_position": "1",
            "amount_heading": "Gross",
            "supplier_reference_position": "2",
            "supplier_reference_heading": "Vendor",
            "payment_reference_position": "3",
            "payment_reference_heading": "Ref",
        },
    )

    assert response.status_code == 302
    client.force_login(runs["finance"])
    header, first, _ = _csv_rows(
        client.get(reverse("grants:payment_run_file", args=[run.pk, "csv"]))
    )
    assert header == ["Gross", "Vendor", "Ref"]
    assert first[:2] == ["12500.00", "SUP-00042"]


def test_a_heading_of_invisible_characters_is_no_heading_and_they_leave_a_real_one(runs, client):
    client.force_login(UserFactory(lead_officer=True, organisation=runs["council"], role="admin"))

    refused = client.post(
        reverse("grants:payment_columns"),
        {"amount_position": "1", "amount_heading": "\u200b\u200b"},
    )
    saved = client.post(
        reverse("grants:payment_columns"),
        {"amount_position": "1", "amount_heading": "\u202eGross\u200b"},
    )

    assert refused.status_code == 200
    assert refused.content.decode().count("Enter a heading for amount") == 2
    assert saved.status_code == 302
    assert selectors.payment_columns(runs["council"].pk) == [("amount", "Gross")]


def test_two_columns_in_one_place_are_refused_beside_the_field(runs, client):
    client.force_login(UserFactory(lead_officer=True, organisation=runs["council"], role="admin"))

    response = client.post(
        reverse("grants:payment_columns"),
        {
            "amount_position": "1",
            "amount_heading": "Amount",
            "due_date_position": "1",
            "due_date_heading": "Due",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert html.count("Place 1 is already amount") == 2
    assert selectors.payment_columns(runs["council"].pk)[0] == (
        "supplier_reference",
        "Supplier reference",
    )


def test_the_excel_file_carries_the_same_values_and_text_stays_text(runs, client):
    agreement = runs["funded"].agreement
    agreement.supplier_reference = "=HYPERLINK(1)"
    agreement.save()
    run = _run(runs)
    client.force_login(runs["finance"])

    response = client.get(reverse("grants:payment_run_file", args=[run.pk, "xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Supplier reference", "Cost centre", "Account code", "Amount")
    assert rows[1][0] == "=HYPERLINK(1)"
    assert sheet["A2"].data_type == "s"
    assert Decimal(str(rows[1][3])) == Decimal("12500")
    assert rows[1][6].date() == runs["first"].due_date
    csv_first = _csv_rows(client.get(reverse("grants:payment_run_file", args=[run.pk, "csv"])))[1]
    assert csv_first[0] == "'=HYPERLINK(1)"


def test_a_run_is_downloaded_again_unchanged(runs, client):
    run = _run(runs)
    client.force_login(runs["finance"])
    url = reverse("grants:payment_run_file", args=[run.pk, "csv"])

    assert client.get(url).content == client.get(url).content
    assert PaymentRun.objects.count() == 1


def test_another_councils_run_is_not_found(runs, client):
    run = _run(runs)
    client.force_login(UserFactory(finance_officer=True))

    assert client.get(reverse("grants:payment_run", args=[run.pk])).status_code == 404
    assert client.get(reverse("grants:payment_run_file", args=[run.pk, "csv"])).status_code == 404


# Paid, and the remittance advice ----------------------------------------------------------------


def test_marking_a_run_paid_marks_its_instalments_and_sends_remittance_advice(
    runs, django_capture_on_commit_callbacks, mailoutbox
):
    funded = runs["funded"]
    other_provider = ProviderFactory(name="Food Bank")
    other_person = UserFactory(organisation=other_provider, username="foodbank")
    other = AgreementFactory(funder=runs["council"], provider=other_provider, reference="FB-1")
    services.create_instalment_schedule(agreement=other)
    PaymentInstalment.objects.filter(agreement=other, sequence=1).update(status="released")
    run = _run(runs)
    paid_on = timezone.localdate()

    with django_capture_on_commit_callbacks(execute=True):
        services.mark_run_paid(
            run=run, by=runs["finance"], paid_on=paid_on, expected_status="exported"
        )

    run.refresh_from_db()
    assert (run.status, run.paid_on, run.paid_by) == ("paid", paid_on, runs["finance"])
    assert set(
        PaymentInstalment.objects.filter(paid_on=paid_on).values_list("pk", flat=True)
    ) == set(run.lines.values_list("instalment_id", flat=True))
    mails = {m.to[0]: m for m in mailoutbox}
    assert set(mails) == {funded.provider_user.email, other_person.email}
    advice = mails[funded.provider_user.email]
    assert advice.subject.startswith(f"Remittance advice: {runs['council'].name} paid £25,000.00")
    reference = funded.agreement.reference
    assert f"{reference}, 2025/26, first instalment: £12,500.00, payment reference " in advice.body
    assert f"{run.reference}-{reference}-2" in advice.body
    assert "Total: £25,000.00" in advice.body
    assert "FB-1" not in advice.body
    assert "FB-1" in mails[other_person.email].body


def test_a_paid_date_in_the_future_is_refused(runs):
    run = _run(runs)

    with pytest.raises(ValidationError) as refused:
        services.mark_run_paid(
            run=run, by=runs["finance"], paid_on=timezone.localdate() + dt.timedelta(days=1)
        )

    assert "paid_on" in refused.value.message_dict
    run.refresh_from_db()
    assert run.status == "exported"


def test_the_run_page_marks_it_paid_and_shows_a_missing_date_beside_the_field(runs, client):
    run = _run(runs)
    client.force_login(runs["finance"])
    url = reverse("grants:mark_run_paid", args=[run.pk])

    refused = client.post(url, {"paid-status": "exported"})
    assert refused.status_code == 200
    assert refused.content.decode().count("Enter the date the run was paid") == 2

    today = timezone.localdate()
    response = client.post(
        url,
        {
            "paid-status": "exported",
            "paid-paid_on_day": today.day,
            "paid-paid_on_month": today.month,
            "paid-paid_on_year": today.year,
        },
        follow=True,
    )
    assert "Payment run 1 was marked paid." in response.content.decode()


def test_exporting_from_the_payments_page(runs, client):
    client.force_login(runs["finance"])

    response = client.post(reverse("grants:create_payment_run"), follow=True)

    html = response.content.decode()
    assert "Payment run 1 was exported" in html
    assert "SUP-00042" in html
    again = client.post(reverse("grants:create_payment_run"), follow=True)
    assert "nothing was exported" in again.content.decode()


def test_the_run_page_lists_its_payments_in_a_fixed_number_of_queries(runs, client, same_queries):
    run = _run(runs)
    client.force_login(runs["finance"])

    def grow():
        more = runs["funded"].agreement.instalments.filter(sequence__gte=3)
        PaymentInstalment.objects.filter(pk__in=more.values("pk")).update(status="released")
        run.lines.update(live=False)
        PaymentRunLine.objects.bulk_create(
            PaymentRunLine(run=run, instalment=i, live=False) for i in more
        )

    counted = same_queries(
        lambda: client.get(reverse("grants:payment_run", args=[run.pk])), grow=grow
    )

    assert "8 payments, as the file carries them" in counted.result.content.decode()


def test_the_supplier_number_is_set_on_the_agreements_change_page(runs, client):
    from tests.access.test_return_urls import _agreement_as_it_is

    agreement = runs["funded"].agreement
    client.force_login(runs["funded"].officer)
    data = _agreement_as_it_is(agreement) | {"supplier_reference": "SUP-77"}

    response = client.post(reverse("grants:edit_agreement", args=[agreement.pk]), data)

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.supplier_reference == "SUP-77"
