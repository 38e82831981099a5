"""How often an agreement reports: the quarters its returns are made in, what each covers, when
it is due, and everything that follows it (owed returns, reminders, RAG, instalments)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from grants import services, stored
from grants.models import Agreement, PaymentInstalment, ReportingPeriod
from grants.rag import Rag, rag_status
from grants.selectors import return_detail
from grants.services import variations
from grants.services.agreements import agreement_version, planned_instalments, quarters_between
from grants.worklists import owed_returns
from sla_monitor import inbox
from sla_monitor.models import Notification, User
from sla_monitor.tables import read_book
from tests.factories import (
    AgreementFactory,
    QuarterlyReturnFactory,
    ReportingPeriodFactory,
    UserFactory,
)
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db

Frequency = Agreement.ReportingFrequency


def reported(agreement) -> list[str]:
    return [str(p) for p in ReportingPeriod.objects.reported_by(agreement).order_by("start_date")]


def made_in(agreement) -> list[str]:
    """The same, by the agreement's own rule, to show the query and the method agree."""
    return [
        str(p) for p in ReportingPeriod.objects.order_by("start_date") if agreement.reports_in(p)
    ]


@pytest.fixture
def quarters(db):
    return services.ensure_reporting_periods(first_year=2025, last_year=2027)


@pytest.mark.parametrize(
    ("frequency", "end", "expected"),
    [
        (
            Frequency.QUARTERLY,
            dt.date(2026, 9, 30),
            ["Q1 2025/26", "Q2 2025/26", "Q3 2025/26", "Q4 2025/26", "Q1 2026/27", "Q2 2026/27"],
        ),
        (
            Frequency.SIX_MONTHLY,
            dt.date(2027, 3, 31),
            ["Q2 2025/26", "Q4 2025/26", "Q2 2026/27", "Q4 2026/27"],
        ),
        (Frequency.ANNUAL, dt.date(2027, 3, 31), ["Q4 2025/26", "Q4 2026/27"]),
        # Ending mid-block: the block is cut short and its return made in the last quarter.
        (
            Frequency.SIX_MONTHLY,
            dt.date(2026, 12, 31),
            ["Q2 2025/26", "Q4 2025/26", "Q2 2026/27", "Q3 2026/27"],
        ),
        (Frequency.ANNUAL, dt.date(2026, 9, 30), ["Q4 2025/26", "Q2 2026/27"]),
        # Ending inside a quarter: that quarter is not reported on; the one before closes.
        (Frequency.ANNUAL, dt.date(2026, 11, 15), ["Q4 2025/26", "Q2 2026/27"]),
    ],
)
def test_an_agreement_reports_in_the_quarter_that_closes_each_block_of_its_frequency(
    quarters, frequency, end, expected
):
    agreement = AgreementFactory(
        start_date=dt.date(2025, 4, 1), end_date=end, reporting_frequency=frequency
    )

    assert reported(agreement) == expected
    assert made_in(agreement) == expected
    for period in ReportingPeriod.objects.all():
        in_query = Agreement.objects.reporting_in(period).filter(pk=agreement.pk).exists()
        assert in_query is agreement.reports_in(period), period


def test_a_return_covers_its_block_and_is_named_by_its_months_across_the_year_boundary(quarters):
    six = AgreementFactory(
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2027, 3, 31),
        reporting_frequency=Frequency.SIX_MONTHLY,
    )
    annual = AgreementFactory(
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2027, 3, 31),
        reporting_frequency=Frequency.ANNUAL,
    )
    q2 = ReportingPeriod.objects.get(financial_year=2025, quarter=2)
    q4 = ReportingPeriod.objects.get(financial_year=2025, quarter=4)

    assert six.covered_by(q2) == (dt.date(2025, 4, 1), dt.date(2025, 9, 30))
    assert six.return_period_label(q2) == "April to September 2025"
    assert six.return_period_label(q4) == "October 2025 to March 2026"
    assert annual.covered_by(q4) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert annual.return_period_label(q4) == "April 2025 to March 2026"
    # Due on the due date of the block's last quarter, the end of the month after it.
    assert q4.due_date == dt.date(2026, 4, 30)
    assert q2.due_date == dt.date(2025, 10, 31)


def test_a_block_begun_before_the_agreement_covers_only_the_quarters_within_it(quarters):
    agreement = AgreementFactory(
        start_date=dt.date(2025, 7, 1),
        end_date=dt.date(2026, 12, 31),
        reporting_frequency=Frequency.ANNUAL,
    )
    q4 = ReportingPeriod.objects.get(financial_year=2025, quarter=4)
    q3_next = ReportingPeriod.objects.get(financial_year=2026, quarter=3)

    assert reported(agreement) == ["Q4 2025/26", "Q3 2026/27"]
    assert agreement.return_period_label(q4) == "July 2025 to March 2026"
    assert agreement.return_period_label(q3_next) == "April to December 2026"


def test_the_setup_schedule_lists_the_returns_of_the_frequency_with_their_due_dates():
    rows = quarters_between(dt.date(2025, 4, 1), dt.date(2027, 3, 31), Frequency.SIX_MONTHLY)

    assert [(label, due) for label, _, due in rows] == [
        ("Q2 2025/26", dt.date(2025, 10, 31)),
        ("Q4 2025/26", dt.date(2026, 4, 30)),
        ("Q2 2026/27", dt.date(2026, 10, 31)),
        ("Q4 2026/27", dt.date(2027, 4, 30)),
    ]


def test_the_second_instalment_of_a_year_waits_for_a_return_the_agreement_makes():
    plan = planned_instalments(
        start=dt.date(2025, 4, 1),
        end=dt.date(2026, 3, 31),
        total=Decimal("3000"),
        frequency=Frequency.ANNUAL,
    )

    assert [i.waits_for for i in plan] == [None, (2025, 4)]


def test_an_instalment_cannot_wait_for_a_quarter_the_agreement_makes_no_return_in(quarters):
    agreement = AgreementFactory(reporting_frequency=Frequency.SIX_MONTHLY)
    q1 = ReportingPeriod.objects.get(financial_year=2025, quarter=1)
    q2 = ReportingPeriod.objects.get(financial_year=2025, quarter=2)
    instalment = PaymentInstalment(
        agreement=agreement,
        sequence=1,
        financial_year=2025,
        amount=Decimal("100"),
        due_date=dt.date(2025, 10, 1),
        depends_on_period=q1,
    )

    with pytest.raises(ValidationError, match="sends no return in Q1 2025/26"):
        instalment.clean()
    instalment.depends_on_period = q2
    instalment.clean()


def test_a_provider_cannot_start_a_return_for_a_quarter_its_agreement_does_not_report_in(funded):
    Agreement.objects.filter(pk=funded.agreement.pk).update(
        reporting_frequency=Frequency.SIX_MONTHLY
    )
    stored.refresh_agreement(funded.agreement.pk)
    funded.agreement.refresh_from_db()
    q1 = ReportingPeriodFactory(financial_year=2025, quarter=1)

    with pytest.raises(ValidationError, match="sends no return in Q1 2025/26"):
        services.start_return(agreement=funded.agreement, period=q1, by=funded.provider_user)


def test_only_the_returns_of_the_frequency_are_owed_and_overdue(funded):
    Agreement.objects.filter(pk=funded.agreement.pk).update(
        reporting_frequency=Frequency.SIX_MONTHLY
    )
    stored.refresh_agreement(funded.agreement.pk)
    today = dt.date(2026, 2, 1)  # a quarterly agreement would owe Q1 to Q3 overdue, and Q4

    owed = owed_returns(funded.provider_user, today)

    assert [(str(o.period), o.overdue) for o in owed] == [
        ("Q2 2025/26", True),
        ("Q4 2025/26", False),
    ]


def test_rag_of_a_six_monthly_return_sums_the_quarters_of_a_per_quarter_count(funded):
    measure = funded.indicators["per_quarter"].measure  # 4 a quarter, 25% tolerance

    assert rag_status(measure, quarter=2, first_quarter=1, actual=Decimal("8")) == Rag.GREEN
    assert rag_status(measure, quarter=2, first_quarter=1, actual=Decimal("6")) == Rag.AMBER
    assert rag_status(measure, quarter=2, first_quarter=1, actual=Decimal("5")) == Rag.RED
    # A quarterly return of the same indicator: 4 is the target.
    assert rag_status(measure, quarter=2, actual=Decimal("4")) == Rag.GREEN


def six_monthly(funded) -> Agreement:
    Agreement.objects.filter(pk=funded.agreement.pk).update(
        reporting_frequency=Frequency.SIX_MONTHLY
    )
    stored.refresh_agreement(funded.agreement.pk)
    funded.agreement.refresh_from_db()
    return funded.agreement


def test_the_agreement_page_and_its_year_pdf_list_only_the_returns_the_agreement_makes(
    funded, client
):
    agreement = six_monthly(funded)
    client.force_login(funded.officer)

    page = client.get(
        reverse("grants:agreement_detail", args=[agreement.pk]), {"year": 2025}
    ).content.decode()
    _, text = response_pdf(
        client.get(reverse("grants:agreement_year_pdf", args=[agreement.pk, 2025]))
    )

    returns = page[
        page.index("<caption>Returns of") : page.index(
            "</table>", page.index("<caption>Returns of")
        )
    ]
    assert "April to September 2025" in returns
    assert "October 2025 to March 2026" in returns
    assert "Q1 2025/26" not in returns and "Q3 2025/26" not in returns
    assert "31 July 2025" not in returns  # Q1's due date: no return is due then
    assert "April to September 2025" in text
    assert "Q1 2025/26" not in text.split("Performance indicators")[0]


def test_reminders_come_only_for_the_returns_of_the_frequency(
    funded, django_capture_on_commit_callbacks
):
    six_monthly(funded)

    def sent(today):
        with django_capture_on_commit_callbacks(execute=True):
            return [(r.kind, r.period.quarter) for r in services.send_reminders(today=today)]

    # Q1 is due on 31 July 2025, Q2 on 31 October 2025.
    assert sent(dt.date(2025, 7, 25)) == []
    assert sent(dt.date(2025, 10, 25)) == [("due_soon", 2)]
    notice = Notification.objects.get(recipient=funded.provider_user)
    assert inbox.values(notice)["period"] == "April to September 2025"


def test_the_provider_home_and_returns_page_name_the_months_a_return_covers(
    funded, client, monkeypatch
):
    six_monthly(funded)
    client.force_login(funded.provider_user)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: dt.date(2025, 11, 5))

    home = client.get(reverse("oversight:home")).content.decode()
    page = client.get(reverse("grants:provider_dashboard")).content.decode()

    assert "April to September 2025 return" in home
    assert "Q1 2025/26" not in page
    assert "April to September 2025" in page


def test_the_dashboard_counts_only_the_agreements_reporting_in_the_quarter(funded, client):
    council, officer = funded.agreement.funder, funded.officer
    AgreementFactory(funder=council, lead_officer=officer, reporting_frequency=Frequency.ANNUAL)
    AgreementFactory(
        funder=council, lead_officer=officer, reporting_frequency=Frequency.SIX_MONTHLY
    )
    client.force_login(officer)
    q1, q2, q4 = (ReportingPeriodFactory(financial_year=2025, quarter=q) for q in (1, 2, 4))

    def expected(period):
        board = client.get(reverse("oversight:council_dashboard"), {"period": period.pk})
        return board.context["dashboard"].totals.expected

    assert (expected(q1), expected(q2), expected(q4)) == (1, 2, 3)


def test_the_dashboard_runs_the_same_queries_whatever_the_frequencies(funded, client, same_queries):
    council, officer = funded.agreement.funder, funded.officer
    client.force_login(officer)
    q4 = ReportingPeriodFactory(financial_year=2025, quarter=4)
    frequencies = list(Frequency)

    def agreements(count):
        for n in range(count):
            agreement = AgreementFactory(
                funder=council, lead_officer=officer, reporting_frequency=frequencies[n % 3]
            )
            QuarterlyReturnFactory(agreement=agreement, period=q4, submitted=True)

    agreements(3)
    counted = same_queries(
        lambda: client.get(reverse("oversight:council_dashboard"), {"period": q4.pk}),
        grow=lambda: agreements(27),
    )

    assert counted.result.context["dashboard"].totals.expected == 31


def test_a_frequency_change_once_a_return_exists_is_refused_for_a_variation(funded):
    services.set_up_agreement(agreement=funded.agreement)
    funded.start(quarter=1)
    agreement = funded.agreement
    agreement.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.edit_agreement(
            agreement=agreement,
            by=funded.officer,
            version=agreement_version(agreement),
            details={"reporting_frequency": Frequency.ANNUAL},
            objectives=[o.text for o in agreement.objectives.all()],
            requirements=[r.text for r in agreement.requirements.all()],
            indicators={},
            instalments={},
        )

    assert "use a variation" in refused.value.message_dict["reporting_frequency"][0]
    agreement.refresh_from_db()
    assert agreement.reporting_frequency == Frequency.QUARTERLY


def test_before_any_return_the_edit_page_changes_the_frequency_and_the_waits_for(funded, client):
    services.set_up_agreement(agreement=funded.agreement)
    agreement = funded.agreement
    agreement.refresh_from_db()
    waiting = agreement.instalments.filter(depends_on_period__isnull=False)
    waiting_q1 = {i.depends_on_period.quarter for i in waiting}
    assert waiting_q1 == {1}

    def change(instalments):
        agreement.refresh_from_db()
        return services.edit_agreement(
            agreement=agreement,
            by=funded.officer,
            version=agreement_version(agreement),
            details={"reporting_frequency": Frequency.SIX_MONTHLY},
            objectives=[o.text for o in agreement.objectives.all()],
            requirements=[r.text for r in agreement.requirements.all()],
            indicators={},
            instalments=instalments,
        )

    with pytest.raises(ValidationError) as refused:
        change({})
    assert "change what it waits for first" in str(refused.value)

    q2s = {
        i.pk: {
            "amount": i.amount,
            "due_date": i.due_date,
            "depends_on_period": ReportingPeriod.objects.get(
                financial_year=i.depends_on_period.financial_year, quarter=2
            ),
        }
        for i in waiting
    }
    change(q2s)
    agreement.refresh_from_db()
    assert agreement.reporting_frequency == Frequency.SIX_MONTHLY


# The workbook import -------------------------------------------------------------------------


def _book(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Agreements"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADERS = [
    "Reference",
    "Title",
    "Provider",
    "Lead officer",
    "Start date",
    "End date",
    "Total allocation",
]


def _row(funded, reference, *frequency):
    return [
        reference,
        "Small grant",
        funded.agreement.provider.name,
        funded.officer.username,
        "01/04/2025",
        "31/03/2027",
        "3000",
        *frequency,
    ]


def _check(funded, content):
    return services.check_agreement_import(
        council=funded.agreement.funder,
        file_name="agreements.xlsx",
        book=read_book("a.xlsx", content),
        by=funded.officer,
    )


def test_the_import_reads_the_reporting_frequency_and_schedules_for_it(funded):
    book = _book(
        [
            [*HEADERS, "Reporting frequency"],
            _row(funded, "IMP-ANNUAL", "Annual"),
            _row(funded, "IMP-EMPTY", ""),
        ]
    )
    preview, batch = _check(funded, book)
    assert not preview.problems, preview.problems

    services.import_agreements(
        council=funded.agreement.funder, batch_id=batch.pk, by=funded.officer
    )

    annual = Agreement.objects.get(reference="IMP-ANNUAL")
    assert annual.reporting_frequency == Frequency.ANNUAL
    assert reported(annual) == ["Q4 2025/26", "Q4 2026/27"]
    assert {
        str(i.depends_on_period) for i in annual.instalments.exclude(depends_on_period=None)
    } == {
        "Q4 2025/26",
        "Q4 2026/27",
    }
    assert Agreement.objects.get(reference="IMP-EMPTY").reporting_frequency == Frequency.QUARTERLY


def test_an_import_without_the_column_sets_up_a_quarterly_agreement(funded):
    _, batch = _check(funded, _book([HEADERS, _row(funded, "IMP-PLAIN")]))
    services.import_agreements(
        council=funded.agreement.funder, batch_id=batch.pk, by=funded.officer
    )

    assert Agreement.objects.get(reference="IMP-PLAIN").reporting_frequency == Frequency.QUARTERLY


def test_an_import_refuses_a_frequency_it_does_not_know_beside_the_cell(funded):
    preview, batch = _check(
        funded, _book([[*HEADERS, "Reporting frequency"], _row(funded, "IMP-BAD", "Monthly")])
    )

    assert batch is None or batch.status != "imported"
    assert [(p.column, p.message) for p in preview.problems] == [
        (
            "Agreements: Reporting frequency",
            "“Monthly” is not one of: Quarterly, Six-monthly, Annual.",
        )
    ]


def test_an_import_refuses_a_frequency_change_once_returns_exist_for_a_variation(funded):
    funded.start(quarter=1)
    row = [funded.agreement.reference, "Six-monthly"]

    preview, _ = _check(funded, _book([["Reference", "Reporting frequency"], row]))

    assert [p.message for p in preview.problems] == [
        "Returns have already been made at the present frequency: use a variation, which names "
        "the quarter it changes from."
    ]


# A variation -----------------------------------------------------------------------------------


@pytest.fixture
def varied(funded):
    """The funded agreement with its schedule (instalments waiting for no return, so that a
    frequency can change without a new schedule), a council administrator to approve, and a
    submitted Q1 2025/26 return."""
    services.create_instalment_schedule(agreement=funded.agreement)
    PaymentInstalment.objects.filter(agreement=funded.agreement).update(depends_on_period=None)
    funded.admin = UserFactory(
        organisation=funded.agreement.funder, role=User.Role.ADMIN, username="council_admin"
    )
    funded.q1 = funded.submitted(quarter=1)
    return funded


def _vary(funded, frequency, quarter, **terms):
    values = {
        "reason": "The grant is small: reporting twice a year is enough.",
        "takes_effect_from": ReportingPeriod.objects.get(financial_year=2025, quarter=quarter),
        "new_reporting_frequency": frequency,
        **terms,
    }
    return variations.draft_variation(agreement=funded.agreement, by=funded.officer, terms=values)


def _apply(funded, variation):
    variation = variations.submit_variation(variation=variation, by=funded.officer)
    variation = variations.approve_variation(variation=variation, by=funded.admin)
    return variations.accept_variation(variation=variation, by=funded.provider_user)


def test_a_variation_changes_the_frequency_from_its_period_leaving_returns_made_alone(varied):
    version = varied.q1.version

    _apply(varied, _vary(varied, Frequency.SIX_MONTHLY, 3))

    agreement = Agreement.objects.get(pk=varied.agreement.pk)
    assert agreement.reporting_frequency == Frequency.SIX_MONTHLY
    assert reported(agreement)[:4] == ["Q1 2025/26", "Q2 2025/26", "Q4 2025/26", "Q2 2026/27"]
    assert made_in(agreement) == reported(agreement)
    q4 = ReportingPeriod.objects.get(financial_year=2025, quarter=4)
    assert agreement.return_period_label(q4) == "October 2025 to March 2026"
    varied.q1.refresh_from_db()
    assert (varied.q1.status, varied.q1.version) == ("submitted", version)
    assert agreement.versions.last().terms["reporting_frequency"] == "Six-monthly"


def test_a_block_the_change_cuts_short_closes_in_the_quarter_before_it(varied):
    Agreement.objects.filter(pk=varied.agreement.pk).update(reporting_frequency=Frequency.ANNUAL)
    stored.refresh_agreement(varied.agreement.pk)
    varied.q1.delete()
    varied.agreement.refresh_from_db()

    _apply(varied, _vary(varied, Frequency.QUARTERLY, 3))

    agreement = Agreement.objects.get(pk=varied.agreement.pk)
    q2 = ReportingPeriod.objects.get(financial_year=2025, quarter=2)
    assert reported(agreement)[:3] == ["Q2 2025/26", "Q3 2025/26", "Q4 2025/26"]
    assert made_in(agreement) == reported(agreement)
    assert agreement.return_period_label(q2) == "April to September 2025"
    assert Agreement.objects.reporting_in(q2).filter(pk=agreement.pk).exists()


def test_a_variation_cannot_change_the_frequency_from_a_period_with_a_return(varied):
    with pytest.raises(ValidationError) as refused:
        _vary(varied, Frequency.ANNUAL, 1)

    assert refused.value.message_dict["new_reporting_frequency"] == [
        "A return for Q1 2025/26 has already been started: choose a later period for the new "
        "reporting frequency to apply from"
    ]


def test_a_variation_cannot_leave_an_instalment_waiting_for_a_return_no_longer_made(funded):
    services.create_instalment_schedule(agreement=funded.agreement)

    with pytest.raises(ValidationError) as refused:
        _vary(funded, Frequency.SIX_MONTHLY, 3)

    assert "no longer make" in refused.value.message_dict["new_reporting_frequency"][0]


def test_a_six_monthly_return_judges_a_per_quarter_count_over_its_two_quarters(funded, client):
    six_monthly(funded)
    quarterly_return = funded.complete(
        funded.start(quarter=2), per_quarter={"actual_value": Decimal("7")}
    )

    rows = {r.indicator.code: r for r in return_detail(quarterly_return).indicator_rows}
    client.force_login(funded.provider_user)
    reader, text = response_pdf(
        client.get(reverse("grants:return_pdf", args=[quarterly_return.pk]))
    )

    # 4 a quarter: 8 expected over April to September; 7 is within the 25% tolerance.
    assert (rows["c"].expected_to_date, rows["c"].rag) == (Decimal("8"), Rag.AMBER)
    # The per-year count is judged to date at Q2 as ever: 3 a year, 2 by the end of Q2.
    assert rows["b"].expected_to_date == Decimal("2")
    assert reader.metadata.title == f"{funded.agreement.reference} April to September 2025 return"
    assert "April to September 2025, 1 April 2025 to 30 September 2025" in text


def test_a_variations_new_schedule_cannot_wait_for_a_quarter_the_agreement_does_not_report_in(
    varied,
):
    Agreement.objects.filter(pk=varied.agreement.pk).update(
        reporting_frequency=Frequency.SIX_MONTHLY
    )
    stored.refresh_agreement(varied.agreement.pk)
    varied.agreement.refresh_from_db()
    released = sum(
        i.amount for i in varied.agreement.instalments.exclude(status="scheduled")
    ) or Decimal(0)
    left = varied.agreement.total_allocation - released
    q3 = ReportingPeriod.objects.get(financial_year=2025, quarter=3)
    terms = {
        "reason": "A new schedule.",
        "takes_effect_from": ReportingPeriod.objects.get(financial_year=2025, quarter=4),
        "changes_instalments": True,
    }

    with pytest.raises(ValidationError) as refused:
        variations.draft_variation(
            agreement=varied.agreement,
            by=varied.officer,
            terms=terms,
            instalments=[
                {"due_date": dt.date(2026, 1, 1), "amount": left, "depends_on_period": q3}
            ],
        )

    assert refused.value.message_dict["instalments"] == [
        "An instalment waits for the Q3 2025/26 return, which the agreement does not make: "
        "choose a quarter it reports in"
    ]


def test_the_review_queue_names_the_months_and_runs_the_same_queries_whatever_the_frequencies(
    funded, client, same_queries
):
    council, officer = funded.agreement.funder, funded.officer
    client.force_login(officer)
    q4 = ReportingPeriodFactory(financial_year=2025, quarter=4)
    frequencies = list(Frequency)

    def returns(count):
        for n in range(count):
            agreement = AgreementFactory(
                funder=council, lead_officer=officer, reporting_frequency=frequencies[n % 3]
            )
            QuarterlyReturnFactory(agreement=agreement, period=q4, submitted=True)

    returns(3)
    counted = same_queries(
        lambda: client.get(reverse("grants:review_queue")), grow=lambda: returns(27)
    )

    page = counted.result.content.decode()
    assert len(counted.result.context["returns"]) == 30
    assert "October 2025 to March 2026" in page
    assert "April 2025 to March 2026" in page
    assert "Q4 2025/26" in page
