import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from grants import services, stored
from grants.models import Agreement, MonitoringMeeting, PaymentInstalment
from tests.factories import PerformanceIndicatorFactory
from tests.pdf_text import response_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_year(funded):
    """Four quarters of 2025/26, all approved, with a meeting and a released instalment."""
    values = {1: 1, 2: 0, 3: 1, 4: 2}
    for quarter, events in values.items():
        qr = funded.complete(
            funded.start(quarter),
            per_year={"actual_value": Decimal(events)},
            per_quarter={"actual_value": Decimal(quarter + 2)},
            narrative={"narrative": f"Casework summary for quarter {quarter}."},
        )
        services.submit_return(quarterly_return=qr, by=funded.provider_user)
        services.approve_return(quarterly_return=qr, by=funded.officer, comment="Clear return.")
    services.create_instalment_schedule(agreement=funded.agreement)
    PaymentInstalment.objects.filter(agreement=funded.agreement, sequence=1).update(
        status="released"
    )
    MonitoringMeeting.objects.create(
        agreement=funded.agreement,
        held_on=dt.date(2025, 7, 15),
        attendees="Lead officer and service manager",
        notes="Reviewed the Q1 return.",
        recorded_by=funded.officer,
    )
    return funded


def test_the_return_pdf_reads_like_the_return(approved_year, client):
    funded = approved_year
    qr = funded.agreement.returns.get(period__quarter=3)
    funded.officer.first_name, funded.officer.last_name = "Priya", "Shah"
    funded.officer.save()
    client.force_login(funded.provider_user)

    reader, text = response_pdf(client.get(reverse("grants:return_pdf", args=[qr.pk])))

    assert funded.agreement.title in text
    assert funded.agreement.provider.name in text
    assert "Q3 2025/26" in text
    for indicator in funded.indicators.values():
        assert indicator.wording[:40] in text
    assert "Casework summary for quarter 3." in text
    assert "Approved by Priya Shah" in text
    assert "Clear return." in text
    assert "Minimum requirements" in text
    assert "Page 1 of" in text
    assert reader.metadata.title == f"{funded.agreement.reference} Q3 2025/26 quarterly return"


def test_the_pdfs_are_tagged_with_language_and_title(approved_year, client):
    funded = approved_year
    qr = funded.agreement.returns.get(period__quarter=1)
    client.force_login(funded.officer)

    reader, _ = response_pdf(client.get(reverse("grants:return_pdf", args=[qr.pk])))

    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])


def test_the_year_report_has_every_quarter_payments_meetings_and_charts(approved_year, client):
    funded = approved_year
    client.force_login(funded.officer)
    url = reverse("grants:agreement_year_pdf", args=[funded.agreement.pk, 2025])

    reader, text = response_pdf(client.get(url))

    assert f"{funded.agreement.title}: 2025/26" in text
    for indicator in funded.indicators.values():
        assert indicator.wording[:40] in text
    # Indicator b (3 a year): 1, 0, 1, 2 gives 1, 1, 2, 4 year to date, against 0.75, 1.5,
    # 2.25 and 3 pro rata, which are 1, 2, 2 and 3 whole events.
    assert "Q1 1 1 1 Green" in text
    assert "Q2 2 0 1 Red" in text
    assert "Q3 2 1 2 Green" in text
    assert "Q4 3 2 4 Green" in text
    assert "Target to date" in text  # the chart's legend, drawn as text
    assert "£12,500.00 paid" in text
    assert "Lead officer and service manager" in text
    assert len(reader.pages) >= 2


def test_the_agreement_page_shows_the_same_chart(approved_year, client):
    client.force_login(approved_year.officer)

    html = client.get(
        reverse("grants:agreement_detail", args=[approved_year.agreement.pk]), {"year": 2025}
    ).content.decode()

    assert '<svg role="img" aria-label="Indicator b: year to date against target"' in html
    assert "Download the 2025/26 report (PDF)" in html


def test_a_year_outside_the_agreement_is_not_found(approved_year, client):
    client.force_login(approved_year.officer)

    response = client.get(
        reverse("grants:agreement_year_pdf", args=[approved_year.agreement.pk, 2040])
    )

    assert response.status_code == 404


def test_the_agreement_page_runs_the_same_queries_for_few_and_many_indicators(
    approved_year, client, same_queries
):
    agreement: Agreement = approved_year.agreement
    client.force_login(approved_year.officer)

    same_queries(
        lambda: client.get(reverse("grants:agreement_detail", args=[agreement.pk]), {"year": 2025}),
        grow=lambda: PerformanceIndicatorFactory.create_batch(
            10, agreement=agreement, measure_type="narrative"
        ),
    )


def test_the_agreement_year_pdf_runs_the_same_queries_for_few_indicators_and_meetings_and_many(
    approved_year, client, same_queries
):
    agreement: Agreement = approved_year.agreement
    client.force_login(approved_year.officer)

    def more():
        PerformanceIndicatorFactory.create_batch(10, agreement=agreement, measure_type="narrative")
        for day in range(1, 11):
            MonitoringMeeting.objects.create(
                agreement=agreement,
                held_on=dt.date(2025, 10, day),
                attendees="Lead officer alone",
                recorded_by=approved_year.officer,
            )

    counted = same_queries(
        lambda: client.get(reverse("grants:agreement_year_pdf", args=[agreement.pk, 2025])),
        grow=more,
    )

    _, text = response_pdf(counted.result)
    assert text.count("Attendees: Lead officer alone") == 10


def test_charts_carry_no_inline_style_for_the_content_security_policy():
    from sla_monitor.charts import bar_and_target_chart

    svg = bar_and_target_chart(
        labels=["Q1", "Q2"],
        values=[Decimal("1"), None],
        targets=[Decimal("2"), Decimal("2")],
        title="Indicator c",
        value_label="Actual",
    )

    assert "<style" not in svg and 'style="' not in svg
    assert svg.startswith('<svg role="img" aria-label="Indicator c"')
    assert "<title>Indicator c</title>" in svg


@pytest.mark.parametrize(
    ("status", "wording"),
    [
        ("draft", "Draft, not submitted"),
        ("submitted", "Submitted, awaiting review"),
        ("changes_requested", "Changes requested"),
    ],
)
def test_the_return_pdf_says_where_a_return_stands_before_it_is_approved(
    funded, client, status, wording
):
    qr = funded.start() if status == "draft" else funded.submitted()
    if status == "changes_requested":
        services.request_changes(quarterly_return=qr, by=funded.officer, comment="Check c.")
    client.force_login(funded.provider_user)

    _, text = response_pdf(client.get(reverse("grants:return_pdf", args=[qr.pk])))

    assert f"Approval {wording}" in text
    assert "Not approved" not in text


def test_a_chart_is_drawn_once_and_drawn_again_only_when_its_figures_change(monkeypatch):
    from sla_monitor import charts
    from sla_monitor.models import ChartDrawing

    drawn = []
    real = charts.draw_bar_and_target
    monkeypatch.setattr(
        charts, "draw_bar_and_target", lambda **kw: drawn.append(kw["values"]) or real(**kw)
    )

    def chart(q2):
        return charts.bar_and_target_chart(
            labels=["Q1", "Q2"],
            values=[Decimal("1"), q2],
            targets=[Decimal("2"), Decimal("2")],
            title="Indicator c",
            value_label="Actual",
        )

    first, again = chart(Decimal("3")), chart(Decimal("3.00"))
    changed = chart(Decimal("4"))

    assert drawn == [(Decimal("1"), Decimal("3")), (Decimal("1"), Decimal("4"))]
    assert ChartDrawing.objects.count() == 2

    # The same picture, but each copy's ids are its own: two charts on a page never share one.
    def same(svg):
        return re.sub(r"\bc\d+-", "", svg)

    assert same(first) == same(again)
    assert 'id="c' in first and first != again
    assert "Q2: 4 (target 2)" in changed


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        # Not begun: its first year, not its last.
        (dt.date(2030, 4, 1), dt.date(2033, 3, 31), 2030),
        # Ended: its last year.
        (dt.date(2019, 4, 1), dt.date(2022, 3, 31), 2021),
    ],
)
def test_an_agreement_page_opens_on_the_year_nearest_today(funded, client, start, end, shown):
    Agreement.objects.filter(pk=funded.agreement.pk).update(start_date=start, end_date=end)
    stored.refresh_agreement(funded.agreement.pk)
    client.force_login(funded.officer)

    page = client.get(reverse("grants:agreement_detail", args=[funded.agreement.pk]))

    assert page.context["report"].financial_year == shown


def test_the_return_pdf_never_breaks_a_rag_badge_however_narrow_its_column(approved_year, client):
    funded = approved_year
    long_wording = (
        "Actively seek other funding to develop and extend the service that help achieve the "
        "outcomes of this agreement, with partners across the borough and its neighbours"
    )
    funded.agreement.indicators.update(wording=long_wording)
    qr = funded.agreement.returns.get(period__quarter=4)
    client.force_login(funded.officer)

    _, text = response_pdf(client.get(reverse("grants:return_pdf", args=[qr.pk])))

    assert "Green" in text
    assert not re.search(r"G ?r ?e ?e ?n", text.replace("Green", "")), text
