import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.models import QuarterlyReturn
from tests.factories import (
    AgreementFactory,
    MinimumRequirementFactory,
    PerformanceIndicatorFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def indicator_url(qr, indicator):
    return reverse("grants:indicator_answer", args=[qr.pk, indicator.pk])


def test_an_invalid_percentage_is_shown_in_the_summary_and_beside_the_field(funded, client):
    qr = funded.start()
    client.force_login(funded.provider_user)

    response = client.post(
        indicator_url(qr, funded.indicators["percentage"]),
        {"version": qr.version, "actual_value": "150", "narrative": "Kept text"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_actual_value">The percentage must be 100 or less</a>' in html
    assert 'id="id_actual_value_error"' in html
    assert 'aria-invalid="true"' in html
    assert "Kept text" in html
    assert not qr.indicator_answers.exists()


def test_a_count_must_be_a_whole_number(funded, client):
    qr = funded.start()
    client.force_login(funded.provider_user)

    response = client.post(
        indicator_url(qr, funded.indicators["per_quarter"]),
        {"version": qr.version, "actual_value": "2.5"},
    )

    assert "Enter the number as a whole number" in response.content.decode()
    assert not qr.indicator_answers.exists()


def test_save_as_draft_returns_to_the_task_list_and_continue_goes_to_the_next_section(
    funded, client
):
    qr = funded.start()
    client.force_login(funded.provider_user)
    first, second = funded.indicators["per_quarter"], funded.indicators["per_year"]

    draft = client.post(
        indicator_url(qr, first), {"version": qr.version, "actual_value": "3", "save_draft": "1"}
    )
    qr.refresh_from_db()
    onward = client.post(
        indicator_url(qr, first),
        {"version": qr.version, "actual_value": "4", "save_continue": "1"},
    )

    assert draft.url == reverse("grants:return_detail", args=[qr.pk])
    assert onward.url == indicator_url(qr, second)
    assert qr.indicator_answers.get().actual_value == Decimal("4")


def test_a_stale_form_is_refused_with_a_message_and_keeps_what_was_typed(funded, client):
    qr = funded.start()
    client.force_login(funded.provider_user)
    stale_version = qr.version
    services.save_indicator_answer(
        quarterly_return=qr,
        indicator=funded.indicators["per_quarter"],
        by=funded.provider_user,
        expected_version=None,
        actual_value=Decimal("7"),
    )

    response = client.post(
        indicator_url(qr, funded.indicators["per_quarter"]),
        {"version": stale_version, "actual_value": "2", "narrative": "My typing"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "changed since you opened the page" in html
    assert "My typing" in html
    assert qr.indicator_answers.get().actual_value == Decimal("7")


def test_evidence_is_checked_by_its_content_not_its_name(funded, client):
    qr = funded.start()
    client.force_login(funded.provider_user)
    disguised = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf at all")

    response = client.post(
        indicator_url(qr, funded.indicators["narrative"]),
        {"version": qr.version, "narrative": "Casework.", "evidence": disguised},
    )

    assert "“report.pdf” must be a PDF, Word document" in response.content.decode()
    assert not qr.evidence_files.exists()
    assert not qr.indicator_answers.exists()


def test_a_file_over_10_mb_is_refused(funded, client):
    qr = funded.start()
    client.force_login(funded.provider_user)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))

    response = client.post(
        indicator_url(qr, funded.indicators["narrative"]),
        {"version": qr.version, "narrative": "Casework.", "evidence": big},
    )

    assert "larger than 10 MB" in response.content.decode()
    assert not qr.evidence_files.exists()


def attach_pdf(client, funded, qr):
    """The provider answers the narrative indicator with casework.pdf as its evidence."""
    client.force_login(funded.provider_user)
    client.post(
        indicator_url(qr, funded.indicators["narrative"]),
        {
            "version": qr.version,
            "narrative": "Casework.",
            "evidence": SimpleUploadedFile("casework.pdf", PDF),
        },
    )


def test_a_pdf_is_attached_to_the_answer(funded, client):
    qr = funded.start()

    attach_pdf(client, funded, qr)

    evidence = qr.evidence_files.get()
    assert (evidence.original_name, evidence.content_type) == ("casework.pdf", "application/pdf")
    assert evidence.file.name.endswith("/casework.pdf")
    assert evidence.indicator_answer.indicator == funded.indicators["narrative"]


def test_submitting_an_incomplete_return_lists_each_missing_answer_with_a_link(funded, client):
    qr = funded.start()
    client.force_login(funded.provider_user)

    response = client.post(reverse("grants:check_answers", args=[qr.pk]), {"version": qr.version})

    html = response.content.decode()
    assert "the return cannot be submitted yet" in html
    narrative = funded.indicators["narrative"]
    assert (
        f'href="{indicator_url(qr, narrative)}#id_narrative">Describe the work for indicator d</a>'
        in html
    )
    requirement = funded.agreement.requirements.get(number=1)
    requirements_url = reverse("grants:requirement_answers", args=[qr.pk])
    assert f'href="{requirements_url}#id_met_{requirement.pk}_0"' in html
    milestone = funded.indicators["milestone"]
    assert f'href="{indicator_url(qr, milestone)}#id_achieved_0"' in html
    qr.refresh_from_db()
    assert qr.status == QuarterlyReturn.Status.DRAFT


def test_submitting_twice_is_refused_with_a_message_the_second_time(funded, client):
    qr = funded.complete(funded.start())
    client.force_login(funded.provider_user)
    url = reverse("grants:check_answers", args=[qr.pk])

    first = client.post(url, {"version": qr.version})
    second = client.post(url, {"version": qr.version}, follow=True)

    assert first.status_code == 302
    assert "can no longer be changed" in second.content.decode()
    assert qr.transitions.count() == 1


def test_a_submitted_return_is_confirmed_with_what_happens_next(funded, client):
    services.create_instalment_schedule(agreement=funded.agreement)
    qr = funded.complete(funded.start(quarter=1))
    client.force_login(funded.provider_user)

    response = client.post(
        reverse("grants:check_answers", args=[qr.pk]), {"version": qr.version}, follow=True
    )

    assert response.redirect_chain == [(reverse("grants:return_submitted", args=[qr.pk]), 302)]
    html = response.content.decode()
    assert "<h1>Return submitted</h1>" in html
    assert "What happens next" in html
    assert f"{funded.officer.get_full_name()}, your lead officer" in html
    assert f'href="{reverse("grants:return_pdf", args=[qr.pk])}"' in html
    assert f'href="{reverse("grants:return_detail", args=[qr.pk])}"' in html
    waiting = funded.agreement.instalments.get(depends_on_period=qr.period)
    assert f"£{waiting.amount:,.2f}" in html


def test_the_confirmation_of_a_return_not_awaiting_review_leads_to_the_return(funded, client):
    draft = funded.start()
    client.force_login(funded.provider_user)

    response = client.get(reverse("grants:return_submitted", args=[draft.pk]))

    assert response.url == reverse("grants:return_detail", args=[draft.pk])


def test_requesting_changes_without_a_comment_is_an_error_beside_the_field(funded, client):
    qr = funded.submitted()
    client.force_login(funded.officer)

    response = client.post(
        reverse("grants:decide_return", args=[qr.pk]),
        {"version": qr.version, "decision": "request_changes", "comment": ""},
    )

    html = response.content.decode()
    assert '<a href="#id_comment">Enter a comment saying what needs to change</a>' in html
    qr.refresh_from_db()
    assert qr.status == QuarterlyReturn.Status.SUBMITTED


def test_the_provider_sees_the_officers_comment_and_flagged_answers(funded, client):
    qr = funded.submitted()
    flagged = funded.indicators["per_year"]
    client.force_login(funded.officer)
    client.post(
        reverse("grants:decide_return", args=[qr.pk]),
        {
            "version": qr.version,
            "decision": "request_changes",
            "comment": "Two answers look wrong.",
            f"flag_comment_indicator_{flagged.pk}": "Count the market event.",
        },
    )
    client.force_login(funded.provider_user)

    html = client.get(reverse("grants:return_detail", args=[qr.pk])).content.decode()

    assert "Two answers look wrong." in html
    assert "Count the market event." in html
    assert html.count('class="flagged-answer"') == 1


def test_a_decision_with_a_mistake_on_a_return_decided_since_is_told_so_not_refused(funded, client):
    """Sent back by a colleague while this officer typed: a request for changes still missing
    its comment is not a page to correct, and not a 403."""
    qr = funded.submitted()
    services.request_changes(quarterly_return=qr, by=funded.officer, comment="Add the log.")
    client.force_login(funded.officer)

    response = client.post(
        reverse("grants:decide_return", args=[qr.pk]),
        {"version": qr.version, "decision": "request_changes", "comment": ""},
        follow=True,
    )

    assert response.status_code == 200
    assert "This return is sent back for changes, so it cannot be decided now" in (
        response.content.decode()
    )
    qr.refresh_from_db()
    assert qr.status == QuarterlyReturn.Status.CHANGES_REQUESTED


def test_a_second_officer_deciding_a_decided_return_gets_a_message(funded, client):
    qr = funded.submitted()
    stale_version = qr.version
    services.approve_return(quarterly_return=qr, by=funded.officer)
    client.force_login(funded.officer)

    response = client.post(
        reverse("grants:decide_return", args=[qr.pk]),
        {"version": stale_version, "decision": "request_changes", "comment": "Too late"},
        follow=True,
    )

    assert response.status_code == 200
    assert "changed since you opened the page" in response.content.decode()
    qr.refresh_from_db()
    assert qr.status == QuarterlyReturn.Status.APPROVED


def test_review_queue_filters_and_counts_by_status(funded, client):
    submitted = funded.submitted(quarter=1)
    draft = funded.start(quarter=2)
    client.force_login(funded.officer)

    everything = client.get(reverse("grants:review_queue"), {"status": ""})
    only_submitted = client.get(reverse("grants:review_queue"), {"status": "submitted"})

    assert list(everything.context["returns"]) == [submitted, draft]
    assert list(only_submitted.context["returns"]) == [submitted]
    counts = {value: count for value, _, count in everything.context["status_counts"]}
    assert counts == {"draft": 1, "submitted": 1, "changes_requested": 0, "approved": 0}


def test_review_queue_shows_nothing_of_another_council(funded, client):
    funded.submitted()
    client.force_login(funded.other_officer)

    response = client.get(reverse("grants:review_queue"))

    assert list(response.context["returns"]) == []
    assert funded.agreement.reference not in response.content.decode()


def _returns_for_council(funded, count):
    for n in range(count):
        agreement = AgreementFactory(funder=funded.agreement.funder, lead_officer=funded.officer)
        PerformanceIndicatorFactory(agreement=agreement)
        QuarterlyReturnFactory(
            agreement=agreement,
            period=ReportingPeriodFactory(financial_year=2025, quarter=n % 4 + 1),
            status=QuarterlyReturn.Status.SUBMITTED,
            submitted_at=timezone.now() - dt.timedelta(days=n),
        )


def test_the_review_queue_opens_on_the_returns_awaiting_review_the_longest_waiting_first(
    funded, client
):
    for quarter, days in [(1, 3), (2, 40), (3, 12)]:
        qr = funded.submitted(quarter=quarter)
        # Midday, council time, so a clock change between then and now moves no day.
        day = timezone.localdate() - dt.timedelta(days=days)
        QuarterlyReturn.objects.filter(pk=qr.pk).update(
            submitted_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        )
    funded.start(quarter=4)
    client.force_login(funded.officer)

    response = client.get(reverse("grants:review_queue"))

    assert [qr.period.quarter for qr in response.context["returns"]] == [2, 3, 1]
    assert response.context["filter"].form["status"].value() == "submitted"
    page = response.content.decode()
    assert '<option value="submitted" selected>Awaiting review</option>' in page
    assert '<th scope="col">Submitted on</th>' in page
    assert '<td data-label="Days waiting" class="text-end">40</td>' in page
    # Every other choice is still there: "Any status" shows the draft too.
    everything = client.get(reverse("grants:review_queue"), {"status": ""})
    assert len(everything.context["returns"]) == 4


def test_review_queue_runs_the_same_queries_for_2_and_40_returns(funded, client, same_queries):
    client.force_login(funded.officer)
    _returns_for_council(funded, 2)

    counted = same_queries(
        lambda: client.get(reverse("grants:review_queue")),
        grow=lambda: _returns_for_council(funded, 38),
    )

    assert len(counted.result.context["returns"]) == 40


def test_provider_dashboard_runs_the_same_queries_for_1_and_12_agreements(
    funded, client, same_queries
):
    provider = funded.provider_user.organisation
    client.force_login(funded.provider_user)
    funded.submitted(quarter=1)

    def more():
        for quarter in (2, 3, 4):
            funded.start(quarter)
        AgreementFactory.create_batch(11, provider=provider, funder=funded.agreement.funder)

    same_queries(lambda: client.get(reverse("grants:provider_dashboard")), grow=more)


def test_return_page_runs_the_same_queries_for_few_and_many_answers(funded, client, same_queries):
    qr = funded.submitted()
    client.force_login(funded.officer)

    same_queries(
        lambda: client.get(reverse("grants:return_detail", args=[qr.pk])),
        grow=lambda: PerformanceIndicatorFactory.create_batch(15, agreement=funded.agreement),
    )


def test_provider_dashboard_says_what_is_overdue(funded, client):
    funded.submitted(quarter=1)
    funded.start(quarter=2)
    client.force_login(funded.provider_user)

    response = client.get(reverse("grants:provider_dashboard"))

    (overview,) = response.context["overviews"]
    statuses = {
        row.period.quarter: row.status_key
        for row in overview.rows
        if row.period.financial_year == 2025
    }
    assert statuses[1] == "submitted"
    assert statuses[2] == "overdue"
    assert statuses[3] == "overdue"


def test_review_queue_shows_fifty_returns_a_page(funded, client):
    client.force_login(funded.officer)
    _returns_for_council(funded, 60)

    first = client.get(reverse("grants:review_queue"))
    second = client.get(reverse("grants:review_queue"), {"page": 2})

    assert len(first.context["returns"]) == 50
    assert len(second.context["returns"]) == 10
    assert "Showing 51 to 60 of 60." in second.content.decode()


def _status_counts(response) -> dict[str, int]:
    return {value: count for value, _, count in response.context["status_counts"]}


def test_the_review_queue_shows_a_decision_as_soon_as_it_is_made(funded, client):
    qr = funded.submitted()
    client.force_login(funded.officer)
    url = reverse("grants:review_queue")

    before = client.get(url)
    client.post(
        reverse("grants:decide_return", args=[qr.pk]),
        {"version": qr.version, "decision": "approve", "comment": ""},
    )
    after = client.get(url)

    assert (_status_counts(before)["submitted"], _status_counts(before)["approved"]) == (1, 0)
    assert before.content.decode().count(f'href="/returns/{qr.pk}/"') == 1
    assert (_status_counts(after)["submitted"], _status_counts(after)["approved"]) == (0, 1)


def test_each_officer_is_shown_their_own_queue(funded, client):
    qr = funded.submitted()
    url = reverse("grants:review_queue")
    client.force_login(funded.officer)
    client.get(url)

    client.force_login(funded.other_officer)
    html = client.get(url).content.decode()

    assert f'href="/returns/{qr.pk}/"' not in html
    assert "No returns match these filters." in html


def test_the_return_page_shows_a_decision_as_soon_as_it_is_made(funded, client):
    qr = funded.submitted()
    client.force_login(funded.officer)
    url = reverse("grants:return_detail", args=[qr.pk])

    before = client.get(url).content.decode()
    client.post(
        reverse("grants:decide_return", args=[qr.pk]),
        {
            "version": qr.version,
            "decision": "request_changes",
            "comment": "Add the casework figures.",
        },
    )
    after = client.get(url).content.decode()

    assert "Add the casework figures." not in before
    assert "Add the casework figures." in after


@pytest.mark.parametrize(
    ("back", "lands_on"),
    [
        ("/returns/{pk}/indicators/{indicator}/", "/returns/{pk}/indicators/{indicator}/"),
        ("https://evil.example/returns/", "/returns/{pk}/"),
        ("//evil.example/returns/", "/returns/{pk}/"),
    ],
)
def test_removing_evidence_goes_back_to_the_page_only_on_this_site(funded, client, back, lands_on):
    draft = funded.start()
    indicator = funded.indicators["per_quarter"]
    services.save_indicator_answer(
        quarterly_return=draft,
        indicator=indicator,
        by=funded.provider_user,
        expected_version=None,
        actual_value=Decimal("4"),
        evidence=[SimpleUploadedFile("groups.pdf", PDF, content_type="application/pdf")],
    )
    draft.refresh_from_db()
    evidence = draft.evidence_files.get()
    client.force_login(funded.provider_user)
    names = {"pk": draft.pk, "indicator": indicator.pk}

    response = client.post(
        reverse("grants:evidence_remove", args=[draft.pk, evidence.pk]),
        {"version": draft.version, "next": back.format(**names)},
    )

    assert response.status_code == 302
    assert response.url == lands_on.format(**names)
    assert not draft.evidence_files.exists()


def test_a_decision_comment_longer_than_a_page_is_refused_beside_the_box(funded, client):
    qr = funded.submitted()
    client.force_login(funded.officer)

    response = client.post(
        reverse("grants:decide_return", args=[qr.pk]),
        {"version": qr.version, "decision": "request_changes", "comment": "x" * 5001},
    )

    assert "The comment must be 5,000 characters or fewer (it has 5001)" in (
        response.content.decode()
    )
    qr.refresh_from_db()
    assert qr.status == QuarterlyReturn.Status.SUBMITTED


@pytest.mark.parametrize(
    ("page", "listed", "rows"),
    [
        ("return_detail", r"Indicator i\d+\b", 15),
        ("requirement_answers", r"[Rr]equirement \d+\b", 2 + 15),
        ("check_answers", r"Indicator i\d+\b", 15),
    ],
)
def test_the_providers_return_pages_run_the_same_queries_for_few_answers_and_many(
    funded, client, same_queries, page, listed, rows
):
    qr = funded.complete(funded.start())
    client.force_login(funded.provider_user)

    def more_answers():
        for n in range(15):
            services.save_indicator_answer(
                quarterly_return=qr,
                indicator=PerformanceIndicatorFactory(agreement=funded.agreement),
                by=funded.provider_user,
                expected_version=None,
                actual_value=Decimal("4"),
            )
            MinimumRequirementFactory(agreement=funded.agreement, number=10 + n)

    counted = same_queries(
        lambda: client.get(reverse(f"grants:{page}", args=[qr.pk])), grow=more_answers
    )

    assert len(set(re.findall(listed, counted.result.content.decode()))) == rows
