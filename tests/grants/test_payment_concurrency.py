"""Two finance officers acting on one payment at the same moment: it is authorised once, and a
council's payments are exported in one run."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from grants import services
from grants.models import InstalmentTransition, PaymentInstalment, PaymentRun, PaymentRunLine
from tests.factories import UserFactory
from tests.grants.test_return_concurrency import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs it there"
    ),
]


@pytest.fixture
def council_payments(funded):
    council = funded.agreement.funder
    council.finance_signoff_threshold = None
    council.save(update_fields=["finance_signoff_threshold"])
    services.create_instalment_schedule(agreement=funded.agreement)
    finance = [
        UserFactory(finance_officer=True, organisation=council, username=f"finance{n}")
        for n in (1, 2)
    ]
    return funded, council, finance


def test_two_finance_officers_authorising_at_once_authorise_once(council_payments):
    funded, _, (one, two) = council_payments
    first = funded.agreement.instalments.get(sequence=1)
    services.release_instalment(instalment=first, by=funded.officer)

    results = race(
        lambda: services.authorise_release(
            instalment=first, by=one, expected_status="release_requested"
        ),
        lambda: services.authorise_release(
            instalment=first, by=two, expected_status="release_requested"
        ),
    )

    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert PaymentInstalment.objects.get(pk=first.pk).status == "released"
    assert InstalmentTransition.objects.filter(instalment=first, to_status="released").count() == 1


def test_exporting_twice_at_once_makes_one_run(council_payments):
    funded, council, (one, two) = council_payments
    PaymentInstalment.objects.filter(agreement=funded.agreement, sequence__lte=3).update(
        status="released"
    )

    results = race(
        lambda: services.create_payment_run(council=council, by=one),
        lambda: services.create_payment_run(council=council, by=two),
    )

    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert PaymentRun.objects.count() == 1
    assert PaymentRunLine.objects.filter(live=True).count() == 3
