"""Added value and support in kind: what a return says of the specification's promises beyond
its indicators, and the whole value of the council's support."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grants import selectors, services
from grants.models import (
    AddedValue,
    AddedValueEvidence,
    AnswerFlag,
    InKindContribution,
    InKindUse,
    QuarterlyReturn,
)
from grants.services import InKindAnswer
from tests.factories import (
    AgreementFactory,
    PaymentInstalmentFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
)
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def promised(funded):
    """The agreement of `funded` with seed 000's added value and in-kind support."""
    agreement = funded.agreement
    funded.partnership = AddedValue.objects.create(
        agreement=agreement,
        order=1,
        text="Demonstrate partnership working with other voluntary and statutory agencies.",
    )
    funded.priorities = AddedValue.objects.create(
        agreement=agreement, order=2, text="Contribute to other local priorities."
    )
    funded.desk = InKindContribution.objects.create(
        agreement=agreement, order=1, description="Desk/work space"
    )
    funded.parking = InKindContribution.objects.create(
        agreement=agreement, order=2, description="Free parking"
    )
    return funded


def save(funded, qr, *, added_values=None, in_kind=None, evidence=None, version=None):
    services.save_support_answers(
        quarterly_return=qr,
        by=funded.provider_user,
        expected_version=version,
        added_values=added_values or {},
        in_kind=in_kind or {},
        evidence=evidence or {},
    )


def support_url(qr):
    return reverse("grants:return_support", args=[qr.pk])


# The service -------------------------------------------------------------------------------


def test_saving_keeps_evidence_and_in_kind_use_with_the_wording_answered(promised):
    qr = promised.start()

    save(
        promised,
        qr,
        added_values={promised.partnership.pk: "Joint event with the police and two mosques."},
        in_kind={
            promised.desk.pk: InKindAnswer(
                used="12 desk days", quantity=Decimal("12"), value=Decimal("360.00")
            )
        },
        evidence={
            promised.partnership.pk: [
                SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
            ]
        },
    )

    evidence = AddedValueEvidence.objects.get(added_value=promised.partnership)
    assert evidence.narrative == "Joint event with the police and two mosques."
    assert evidence.statement == promised.partnership.text
    assert evidence.numeral == "I"
    assert [f.original_name for f in evidence.evidence_files.all()] == ["minutes.pdf"]
    use = InKindUse.objects.get(contribution=promised.desk)
    assert (use.used, use.quantity, use.value) == ("12 desk days", Decimal("12"), Decimal("360"))
    assert use.description == "Desk/work space"
    qr.refresh_from_db()
    assert qr.version == 2


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (Decimal("-1"), "cannot be negative"),
        (Decimal("NaN"), "as a number"),
        (Decimal("10000000000"), "no bigger than 9,999,999,999.99"),
        (Decimal("1.005"), "at most 2 decimal places"),
    ],
)
def test_a_bad_value_is_refused_and_nothing_of_the_section_is_saved(promised, value, message):
    qr = promised.start()

    with pytest.raises(ValidationError) as refused:
        save(
            promised,
            qr,
            added_values={promised.partnership.pk: "Kept only if all is valid"},
            in_kind={promised.desk.pk: InKindAnswer(used="Desk days", value=value)},
        )

    assert message in refused.value.message_dict[f"value_{promised.desk.pk}"][0]
    assert not AddedValueEvidence.objects.exists()
    assert not InKindUse.objects.exists()
    qr.refresh_from_db()
    assert qr.version == 1


def test_a_value_without_saying_what_was_used_is_refused(promised):
    qr = promised.start()

    with pytest.raises(ValidationError) as refused:
        save(promised, qr, in_kind={promised.desk.pk: InKindAnswer(value=Decimal("10"))})

    assert "Say what was used" in refused.value.message_dict[f"used_{promised.desk.pk}"][0]


def test_a_stale_save_is_refused(promised):
    qr = promised.start()
    save(promised, qr, added_values={promised.partnership.pk: "First"}, version=1)

    with pytest.raises(services.StaleReturnError):
        save(promised, qr, added_values={promised.partnership.pk: "Second"}, version=1)

    assert AddedValueEvidence.objects.get(added_value=promised.partnership).narrative == "First"


def test_another_agreements_statement_is_refused(promised):
    qr = promised.start()
    other = AddedValue.objects.create(agreement=AgreementFactory(), order=1, text="Not this one")

    with pytest.raises(PermissionDenied):
        save(promised, qr, added_values={other.pk: "Sneaky"})

    assert not AddedValueEvidence.objects.exists()


def test_only_the_provider_saves_the_section(promised):
    qr = promised.start()

    with pytest.raises(PermissionDenied, match="Only the provider"):
        services.save_support_answers(
            quarterly_return=qr,
            by=promised.officer,
            expected_version=None,
            added_values={promised.partnership.pk: "By the officer"},
            in_kind={},
        )


def test_a_submitted_return_is_unchanged_by_later_edits_of_the_statement(promised, client):
    qr = promised.complete(promised.start())
    save(
        promised,
        qr,
        added_values={promised.partnership.pk: "Worked with the CVS"},
        in_kind={promised.desk.pk: InKindAnswer(used="3 desk days", value=Decimal("90"))},
    )
    services.submit_return(quarterly_return=qr, by=promised.provider_user)

    promised.partnership.text = "A reworded statement"
    promised.partnership.save()
    promised.desk.description = "Hot desks"
    promised.desk.save()

    detail = selectors.return_detail(QuarterlyReturn.objects.get(pk=qr.pk))
    assert detail.support.added_value_rows[0].wording.startswith("Demonstrate partnership")
    assert detail.support.in_kind_rows[0].wording == "Desk/work space"
    client.force_login(promised.officer)
    page = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()
    assert "Demonstrate partnership working" in page
    assert "A reworded statement" not in page
    submission = client.get(reverse("grants:return_submission", args=[qr.pk, 1]))
    assert "Demonstrate partnership working" in submission.content.decode()
    assert "Worked with the CVS" in submission.content.decode()


def test_a_removed_statement_leaves_its_answer_on_the_return(promised):
    qr = promised.complete(promised.start())
    save(promised, qr, added_values={promised.priorities.pk: "Town centre forum"})
    services.submit_return(quarterly_return=qr, by=promised.provider_user)

    promised.priorities.delete()

    rows = selectors.return_detail(QuarterlyReturn.objects.get(pk=qr.pk)).support.added_value_rows
    kept = [r for r in rows if r.statement is None]
    assert [(r.wording, r.answer.narrative) for r in kept] == [
        ("Contribute to other local priorities.", "Town centre forum")
    ]


# The page ----------------------------------------------------------------------------------


def test_the_task_list_offers_the_section_only_when_the_agreement_has_promises(funded, client):
    qr = funded.start()
    client.force_login(funded.provider_user)

    assert (
        "Added value and support in kind"
        not in client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()
    )
    assert client.get(support_url(qr)).status_code == 404

    AddedValue.objects.create(agreement=funded.agreement, order=1, text="Partnership working")
    page = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()
    assert support_url(qr) in page
    assert page.index("Minimum requirements") < page.index("Added value and support in kind")


def test_the_page_saves_a_draft_with_a_file(promised, client):
    qr = promised.start()
    client.force_login(promised.provider_user)

    response = client.post(
        support_url(qr),
        {
            "version": qr.version,
            f"narrative_{promised.partnership.pk}": "Met the police liaison team",
            f"evidence_{promised.partnership.pk}": SimpleUploadedFile(
                "photo.pdf", PDF, content_type="application/pdf"
            ),
            f"used_{promised.parking.pk}": "40 parking hours",
            f"quantity_{promised.parking.pk}": "40",
            f"value_{promised.parking.pk}": "120.50",
            "save_draft": "1",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("grants:return_detail", args=[qr.pk])
    use = InKindUse.objects.get(contribution=promised.parking)
    assert use.value == Decimal("120.50")
    page = client.get(support_url(qr)).content.decode()
    assert "photo.pdf" in page
    assert "Met the police liaison team" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "The value cannot be negative"),
        ("lots", "Enter the value in pounds as a number"),
        ("99999999999", "Enter an amount no bigger than 9,999,999,999.99"),
        ("1.234", "Give the value to the penny"),
    ],
)
def test_a_bad_value_is_shown_in_the_summary_and_beside_the_field(promised, client, value, message):
    qr = promised.start()
    client.force_login(promised.provider_user)
    name = f"value_{promised.desk.pk}"

    response = client.post(
        support_url(qr),
        {"version": qr.version, f"used_{promised.desk.pk}": "Desk days", name: value},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f'<a href="#id_{name}">{message}' in html
    assert f'id="id_{name}_error"' in html
    assert not InKindUse.objects.exists()


def test_a_file_that_is_not_what_it_says_is_refused_beside_its_field(promised, client):
    qr = promised.start()
    client.force_login(promised.provider_user)
    name = f"evidence_{promised.partnership.pk}"

    response = client.post(
        support_url(qr),
        {
            "version": qr.version,
            name: SimpleUploadedFile("report.pdf", b"not a pdf at all", "application/pdf"),
        },
    )

    assert response.status_code == 200
    assert f'<a href="#id_{name}">' in response.content.decode()
    assert not AddedValueEvidence.objects.exists()


def test_a_stale_page_is_refused_with_a_message(promised, client):
    qr = promised.start()
    client.force_login(promised.provider_user)
    save(promised, qr, added_values={promised.partnership.pk: "Saved elsewhere"})

    response = client.post(
        support_url(qr), {"version": 1, f"narrative_{promised.partnership.pk}": "Mine"}
    )

    assert response.status_code == 200
    assert "has changed since you opened the page" in response.content.decode()
    assert AddedValueEvidence.objects.get(added_value=promised.partnership).narrative == (
        "Saved elsewhere"
    )


def test_check_answers_lists_the_section_with_a_change_link(promised, client):
    qr = promised.start()
    save(
        promised,
        qr,
        added_values={promised.partnership.pk: "Joint work with the CVS"},
        in_kind={promised.parking.pk: InKindAnswer(used="10 hours", value=Decimal("25"))},
    )
    client.force_login(promised.provider_user)

    page = client.get(reverse("grants:check_answers", args=[qr.pk])).content.decode()

    assert "Joint work with the CVS" in page
    assert "10 hours" in page
    assert "£25.00" in page
    assert f'href="{support_url(qr)}"' in page


def test_the_section_is_optional_at_submission(promised):
    qr = promised.complete(promised.start())

    services.submit_return(quarterly_return=qr, by=promised.provider_user)

    assert QuarterlyReturn.objects.get(pk=qr.pk).status == "submitted"


# Review, flags, PDF ------------------------------------------------------------------------


def test_the_officer_flags_an_in_kind_answer_and_a_change_clears_it(promised, client):
    qr = promised.complete(promised.start())
    save(promised, qr, in_kind={promised.desk.pk: InKindAnswer(used="Desks", value=Decimal("5"))})
    services.submit_return(quarterly_return=qr, by=promised.provider_user)
    client.force_login(promised.officer)
    key = f"in_kind_{promised.desk.pk}"

    review = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()
    assert f'name="flag_{key}"' in review
    response = client.post(
        reverse("grants:decide_return", args=[qr.pk]),
        {
            "version": QuarterlyReturn.objects.get(pk=qr.pk).version,
            "decision": "request_changes",
            "comment": "Please check the value.",
            f"flag_{key}": "on",
            f"flag_comment_{key}": "£5 for a quarter of desk space looks low.",
        },
    )

    assert response.status_code == 302
    decision = qr.transitions.get(to_status="changes_requested")
    assert decision.flagged_answers == [
        {
            "key": f"in_kind:{promised.desk.pk}",
            "label": "Support in kind 1",
            "comment": "£5 for a quarter of desk space looks low.",
        }
    ]
    flag = AnswerFlag.objects.get(answer_key=f"in_kind:{promised.desk.pk}")
    assert flag.is_open
    client.force_login(promised.provider_user)
    assert "£5 for a quarter" in client.get(support_url(qr)).content.decode()

    save(promised, qr, in_kind={promised.desk.pk: InKindAnswer(used="Desks", value=Decimal("450"))})

    flag.refresh_from_db()
    assert not flag.is_open


def test_the_return_pdf_shows_added_value_and_in_kind_support(promised, client):
    qr = promised.start()
    save(
        promised,
        qr,
        added_values={promised.partnership.pk: "Shared a stall with the fire service"},
        in_kind={promised.parking.pk: InKindAnswer(used="20 parking hours", value=Decimal("60"))},
    )
    client.force_login(promised.provider_user)

    _, text = response_pdf(client.get(reverse("grants:return_pdf", args=[qr.pk])))

    assert "Added value and support in kind" in text
    assert "Shared a stall with the fire service" in text
    assert "20 parking hours" in text
    assert "£60.00" in text


# The agreement's year ----------------------------------------------------------------------


def _reported(funded, quarter, desk_value, parking_value=None):
    qr = funded.complete(funded.start(quarter))
    in_kind = {funded.desk.pk: InKindAnswer(used=f"Q{quarter} desks", value=desk_value)}
    if parking_value is not None:
        in_kind[funded.parking.pk] = InKindAnswer(used="Parking", value=parking_value)
    save(funded, qr, in_kind=in_kind)
    services.submit_return(quarterly_return=qr, by=funded.provider_user)
    return qr


def test_the_agreement_page_totals_the_years_support_in_kind_and_the_whole_value(promised, client):
    PaymentInstalmentFactory(agreement=promised.agreement, financial_year=2025, amount=1000)
    PaymentInstalmentFactory(agreement=promised.agreement, financial_year=2025, amount=1000)
    _reported(promised, 1, Decimal("100.00"), Decimal("20.00"))
    _reported(promised, 2, Decimal("150.50"))
    draft = promised.start(3)
    save(promised, draft, in_kind={promised.desk.pk: InKindAnswer(used="x", value=Decimal("999"))})

    year = selectors.support_year(promised.agreement, 2025, allocation=Decimal("2000.00"))
    assert [(line.description, line.value) for line in year.lines] == [
        ("Desk/work space", Decimal("250.50")),
        ("Free parking", Decimal("20.00")),
    ]
    assert year.whole_value == Decimal("2270.50")

    client.force_login(promised.officer)
    page = client.get(
        reverse("grants:agreement_detail", args=[promised.agreement.pk]), {"year": 2025}
    ).content.decode()
    assert "Whole value of the council" in page
    assert "£2,270.50" in page
    assert "£250.50" in page


def test_the_agreement_year_pdf_states_the_whole_value(promised, client):
    PaymentInstalmentFactory(agreement=promised.agreement, financial_year=2025, amount=500)
    _reported(promised, 1, Decimal("75.00"))
    client.force_login(promised.officer)

    _, text = response_pdf(
        client.get(reverse("grants:agreement_year_pdf", args=[promised.agreement.pk, 2025]))
    )

    assert "Whole value of the council" in text
    assert "£575.00" in text


# Fixed queries -----------------------------------------------------------------------------


def test_the_section_runs_the_same_queries_for_few_and_many_statements(
    promised, client, same_queries
):
    qr = promised.start()
    save(promised, qr, added_values={promised.partnership.pk: "Given"})
    client.force_login(promised.provider_user)

    def more():
        for order in range(3, 12):
            statement = AddedValue.objects.create(
                agreement=promised.agreement, order=order, text=f"Statement {order}"
            )
            contribution = InKindContribution.objects.create(
                agreement=promised.agreement, order=order, description=f"Support {order}"
            )
            save(
                promised,
                qr,
                added_values={statement.pk: "Given"},
                in_kind={contribution.pk: InKindAnswer(used="Used", value=Decimal("1"))},
            )

    same_queries(lambda: client.get(support_url(qr)), grow=more)


def test_the_review_page_runs_the_same_queries_for_few_and_many_support_answers(
    promised, client, same_queries
):
    qr = promised.complete(promised.start())
    save(promised, qr, added_values={promised.partnership.pk: "Given"})
    services.submit_return(quarterly_return=qr, by=promised.provider_user)
    client.force_login(promised.officer)

    def more():
        for order in range(3, 12):
            statement = AddedValue.objects.create(
                agreement=promised.agreement, order=order, text=f"Statement {order}"
            )
            AddedValueEvidence.objects.create(
                quarterly_return=qr, added_value=statement, statement="Kept", narrative="Given"
            )
            contribution = InKindContribution.objects.create(
                agreement=promised.agreement, order=order, description=f"Support {order}"
            )
            InKindUse.objects.create(
                quarterly_return=qr, contribution=contribution, description="Kept", value=1
            )

    same_queries(lambda: client.get(reverse("grants:return_detail", args=[qr.pk])), grow=more)


def test_the_agreement_page_runs_the_same_queries_for_few_and_many_in_kind_uses(
    promised, client, same_queries
):
    _reported(promised, 1, Decimal("10"))
    client.force_login(promised.officer)

    def more():
        # Returns with support in kind but no indicator answers, so the charts stay as drawn.
        for quarter in (2, 3):
            qr = QuarterlyReturnFactory(
                agreement=promised.agreement,
                period=ReportingPeriodFactory(financial_year=2025, quarter=quarter),
                submitted=True,
            )
            for contribution in (promised.desk, promised.parking):
                InKindUse.objects.create(
                    quarterly_return=qr, contribution=contribution, description="d", value=5
                )
        for order in range(3, 9):
            InKindContribution.objects.create(
                agreement=promised.agreement, order=order, description=f"Support {order}"
            )

    same_queries(
        lambda: client.get(
            reverse("grants:agreement_detail", args=[promised.agreement.pk]), {"year": 2025}
        ),
        grow=more,
    )


def test_a_flagged_added_value_is_in_the_history_the_flag_page_and_the_next_submission(
    promised, client
):
    qr = promised.complete(promised.start())
    save(promised, qr, added_values={promised.priorities.pk: "Spoke at the forum"})
    services.submit_return(quarterly_return=qr, by=promised.provider_user)
    key = f"added_value:{promised.priorities.pk}"
    services.request_changes(
        quarterly_return=qr,
        by=promised.officer,
        comment="One thing to add.",
        flags={key: "Which forum, and what came of it?"},
    )
    flag = AnswerFlag.objects.get(answer_key=key)
    assert flag.label == "Added value II"
    client.force_login(promised.provider_user)
    thread = client.get(reverse("grants:flag_thread", args=[qr.pk, flag.pk]))
    assert thread.status_code == 200
    assert "Which forum, and what came of it?" in thread.content.decode()

    save(promised, qr, added_values={promised.priorities.pk: "Spoke at the town centre forum"})
    services.submit_return(quarterly_return=qr, by=promised.provider_user)

    detail = selectors.return_detail(QuarterlyReturn.objects.get(pk=qr.pk), with_history=True)
    assert key in detail.changed_keys
    assert any("Flag on Added value II cleared" in event.what for event in detail.history)
    second = qr.submissions.get(number=2).answers[key]
    assert second["values"]["narrative"] == "Spoke at the town centre forum"
    assert second["values"]["statement"] == "Contribute to other local priorities."


def test_more_files_than_an_answer_takes_are_refused_and_none_is_kept(promised, settings):
    settings.MAX_EVIDENCE_PER_ANSWER = 1
    qr = promised.start()
    pk = promised.partnership.pk
    save(promised, qr, evidence={pk: [SimpleUploadedFile("one.pdf", PDF, "application/pdf")]})

    with pytest.raises(ValidationError) as refused:
        save(
            promised,
            qr,
            added_values={pk: "Not kept"},
            evidence={pk: [SimpleUploadedFile("two.pdf", PDF, "application/pdf")]},
        )

    assert "up to 1 evidence file: remove it" in refused.value.message_dict[f"evidence_{pk}"][0]
    answer = AddedValueEvidence.objects.get(added_value=promised.partnership)
    assert [f.original_name for f in answer.evidence_files.all()] == ["one.pdf"]
    assert answer.narrative == ""
