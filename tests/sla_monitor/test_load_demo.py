import datetime as dt
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from equality_plans.models import (
    Action,
    ActionPlan,
    Assessment,
    Indicator,
    Outcome,
    ScreeningOutcome,
)
from grants.models import Agreement, Fund, PaymentInstalment, QuarterlyReturn, ReportingPeriod
from sla_monitor.models import Organisation, User

pytestmark = pytest.mark.django_db

KINGSTON_PLAN = "Equality Objectives and Community Cohesion Action Plan 2015-2016"


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in ("sla_monitor", "grants", "equality_plans")
        for model in apps.get_app_config(app).get_models()
    }


def test_seed_000_agreement_has_its_requirements_indicators_and_instalments(demo_data):
    agreement = Agreement.objects.get(reference="KBC-CCE-01")

    assert agreement.funder.name == "Kettering Borough Council"
    assert agreement.objectives.count() == 3
    assert list(agreement.requirements.values_list("number", flat=True)) == list(range(1, 9))
    indicators = {i.code: i for i in agreement.indicators.all()}
    assert sorted(indicators) == list("abcdefg")
    assert (indicators["b"].measure_type, indicators["b"].target_period) == ("count", "year")
    assert (indicators["c"].measure_type, indicators["c"].target_period) == ("count", "quarter")
    assert indicators["d"].measure_type == "narrative"
    assert indicators["f"].measure_type == "milestone"
    assert (indicators["g"].measure_type, int(indicators["g"].target)) == ("percentage", 75)
    assert agreement.in_kind_contributions.count() == 5
    assert [v.numeral for v in agreement.added_values.all()] == ["I", "II", "III"]
    assert (agreement.start_date, agreement.end_date) == (dt.date(2025, 4, 1), dt.date(2029, 3, 31))
    instalments = PaymentInstalment.objects.filter(agreement=agreement)
    assert instalments.count() == 8
    assert sum(i.amount for i in instalments) == agreement.total_allocation
    assert ReportingPeriod.objects.count() >= 16


def test_two_providers_each_have_their_own_agreement_and_two_councils_fund_one(demo_data):
    provider = User.objects.get(username="provider").organisation
    provider2 = User.objects.get(username="provider2").organisation

    assert provider != provider2
    assert set(
        Agreement.objects.filter(provider=provider).values_list("funder__short_code", flat=True)
    ) == {"KBC", "LCC"}
    assert Agreement.objects.filter(provider=provider2).count() == 1
    assert User.objects.get(username="leicester").organisation.short_code == "LCC"


def test_seed_002_fund(demo_data):
    fund = Fund.objects.get(council__short_code="LCC")

    assert fund.budget == 600000
    # Leicester's grant to the cohesion network is awarded from it.
    assert Agreement.objects.get(reference="LCC-HCR-01").fund == fund
    assert (fund.start_date.year, fund.end_date.year) == (2004, 2005)
    assert fund.themes.count() == 5
    assert len(fund.criteria_list) == 4


def test_seed_004_has_63_actions_with_their_strand_codes(demo_data):
    actions = Action.objects.filter(plan__title=KINGSTON_PLAN)

    assert actions.count() == 63
    assert actions.values("section").distinct().count() == 6
    first = actions.get(number="1")
    assert sorted(first.strands.values_list("code", flat=True)) == sorted(
        ["A", "D", "G", "M/CP", "P/M", "R", "RB", "SO"]
    )
    assert first.lead_responsibility == "HR Manager"
    assert first.monitored_by == "Equalities Board"
    assert first.due_date.isoformat() == "2016-03-31"
    assert list(
        actions.get(number="34").strands.values_list("code", flat=True).order_by("code")
    ) == [
        "CC",
        "D",
        "SE",
    ]
    assert not actions.get(number="12").strands.exists()
    assert actions.get(number="16").due_date.isoformat() == "2015-07-31"


def test_seed_003_plan_is_shared_by_seven_partner_councils(demo_data):
    plan = ActionPlan.objects.get(title__startswith="Leicestershire District Councils")

    assert plan.partner_councils.count() == 7
    assert list(plan.sections.values_list("number", flat=True)) == ["1", "2", "3", "4", "5"]
    hate_crime = plan.actions.get(objective__number="2.6")
    assert "Hate crime" in hate_crime.wording
    assert hate_crime.partner_authorities.count() == 7
    first = plan.actions.get(number="1.1.1")
    assert sorted(first.partner_authorities.values_list("short_code", flat=True)) == sorted(
        ["HBBC", "MBC", "BDC", "OWBC", "HDC"]
    )


def test_seed_001_work_programme_with_its_national_indicators(demo_data):
    plan = ActionPlan.objects.get(title__startswith="Community, Equality and Inclusivity")

    assert plan.sections.count() == 3
    assert sorted(plan.actions.values_list("number", flat=True)) == sorted(
        ["1A", "1B", "1C", "1D", "1E", "1F", "2A", "2B", "2C", "3A", "3B", "3C", "3D", "3E"]
    )
    assert sorted(Indicator.objects.values_list("code", flat=True)) == sorted(
        ["NI 1", "NI 2", "NI 3", "NI 4", "NI 6", "NI 7", "NI 23"]
    )
    assert Indicator.objects.get(code="NI 3").sections.get().number == "1"


def test_the_demo_returns_and_payments_have_the_history_their_services_record(demo_data):
    returns = QuarterlyReturn.objects.select_related("agreement")
    decided = returns.filter(status__in=["approved", "changes_requested"])

    # Besides the returns of Ceredigion's agreement in Welsh, approved as each quarter passes.
    assert decided.exclude(agreement__reference="CSC-HYB-01").count() == 15
    for quarterly_return in decided:
        agreement = quarterly_return.agreement
        steps = quarterly_return.transitions.order_by("at", "pk")
        assert [(s.from_status, s.to_status) for s in steps] == [
            ("draft", "submitted"),
            ("submitted", quarterly_return.status),
        ]
        assert steps[0].by.organisation_id == agreement.provider_id
        assert steps[1].by_id == agreement.lead_officer_id
        assert steps[0].at == quarterly_return.submitted_at < steps[1].at
        assert quarterly_return.submissions.get().answers
    sent_back = decided.get(status="changes_requested")
    assert sent_back.transitions.get(to_status="changes_requested").flagged_answers
    assert not returns.filter(status="draft").get().transitions.exists()
    released = PaymentInstalment.objects.filter(status="released").select_related("agreement")
    # Three quarterly agreements' 11, and the annual small grant's first, paid in advance, but
    # the latest that needs sign-off, which waits for the finance officer.
    assert released.count() == 11
    waiting = PaymentInstalment.objects.get(status="release_requested")
    assert (waiting.agreement.reference, waiting.sequence) == ("KBC-CCE-01", 4)
    assert [(t.to_status, t.by_id) for t in waiting.transitions.all()] == [
        ("release_requested", waiting.agreement.lead_officer_id)
    ]
    assert waiting.paid_on is None
    finance = User.objects.get(username="finance")
    for instalment in released:
        steps = [(t.to_status, t.by_id) for t in instalment.transitions.order_by("pk")]
        lead = instalment.agreement.lead_officer_id
        # Kettering signs off its cohesion instalments (£12,500), not its volunteering ones.
        if instalment.amount >= Decimal("12000"):
            assert steps == [("release_requested", lead), ("released", finance.pk)]
        else:
            assert steps == [("released", lead)]
        assert instalment.paid_on == instalment.due_date


def test_demo_users_sign_in_with_the_demo_password(demo_data, client, settings):
    usernames = [
        "admin",
        "officer",
        "provider",
        "provider2",
        "equality",
        "cohesion",
        "planmanager",
        "finance",
        "senior",
        "leicestersenior",
    ]
    for username in usernames:
        assert client.login(username=username, password=settings.DEMO_PASSWORD), username
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="officer").role == User.Role.LEAD_OFFICER
    assert User.objects.get(username="planmanager").role == User.Role.PLAN_MANAGER
    finance = User.objects.get(username="finance")
    assert (finance.role, finance.organisation.short_code) == (User.Role.FINANCE_OFFICER, "KBC")
    for username, council in (("senior", "RBK"), ("leicestersenior", "LCC")):
        senior = User.objects.get(username=username)
        assert (senior.role, senior.organisation.short_code) == (User.Role.SENIOR_OFFICER, council)


def test_loading_twice_changes_nothing(demo_data):
    before = row_counts()
    amounts = list(PaymentInstalment.objects.values_list("pk", "amount", "due_date"))

    call_command("load_demo", stdout=io.StringIO())

    assert row_counts() == before
    assert list(PaymentInstalment.objects.values_list("pk", "amount", "due_date")) == amounts


def test_refuses_to_create_users_when_debug_is_off(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.exists()

    call_command("load_demo", "--no-users", stdout=io.StringIO())
    assert not User.objects.exists()
    assert Action.objects.filter(plan__title=KINGSTON_PLAN).count() == 63
    # Agreements are set up by a council's lead officer: without the demo's people, none.
    assert Fund.objects.count() == 3
    assert not Agreement.objects.exists()


def test_the_cohesion_agreements_approved_returns_give_added_value_and_support_in_kind(
    demo_data,
):
    agreement = Agreement.objects.get(reference="KBC-CCE-01")
    approved = QuarterlyReturn.objects.filter(agreement=agreement, status="approved")

    assert approved.exists()
    for quarterly_return in approved:
        evidence = quarterly_return.added_value_evidence.all()
        assert [e.numeral for e in evidence] == ["I", "II", "III"]
        assert all(e.narrative for e in evidence)
        uses = quarterly_return.in_kind_uses.all()
        assert uses.count() == 5
        assert all(u.used and u.value > 0 for u in uses)


def test_the_demo_keeps_seed_000_quarterly_and_adds_a_small_annual_grant(demo_data):
    assert Agreement.objects.get(reference="KBC-CCE-01").reporting_frequency == "quarterly"
    small = Agreement.objects.get(reference="KBC-LUN-01")
    reported = [p for p in ReportingPeriod.objects.order_by("start_date") if small.reports_in(p)]

    assert (small.reporting_frequency, small.total_allocation) == ("annual", 3000)
    assert small.funder.short_code == "KBC"
    assert small.indicators.count() == 2
    assert [p.quarter for p in reported] == [4]
    second = small.instalments.get(sequence=2)
    assert second.depends_on_period == reported[0]


def test_kingston_screened_its_dementia_strategy_and_waits_for_the_full_assessment(demo_data):
    kingston = Organisation.objects.get(short_code="RBK")
    assessment = Assessment.objects.get(council=kingston)

    assert kingston.assessment_groups == ["carers"]
    assert assessment.title == "Dementia Strategy for Kingston upon Thames"
    assert (assessment.subject, assessment.status) == ("policy", "draft")
    assert assessment.owner.username == "planmanager"
    called_for = assessment.called_for_by.get()
    assert (called_for.number, called_for.plan.title) == ("27", KINGSTON_PLAN)
    assert assessment.screening_outcome == ScreeningOutcome.FULL_ASSESSMENT
    judgements = {j.group: j for j in assessment.judgements.all()}
    assert "carers" in judgements
    assert {g for g, j in judgements.items() if j.relevant} == {
        "age",
        "disability",
        "carers",
        "sex",
    }
    assert all(j.relevance for j in judgements.values() if j.relevant)
    assert all(j.relevant is not None for j in judgements.values())
    assert not assessment.evidence and not assessment.outcome


def test_leicester_assessed_its_cohesion_fund_in_full_and_published_it(demo_data):
    leicester = Organisation.objects.get(short_code="LCC")
    assessment = Assessment.objects.get(council=leicester)

    assert assessment.fund == Fund.objects.get(council=leicester)
    assert assessment.owner.username == "leicester"
    assert assessment.status == "published"
    assert assessment.signed_off_by.username == "leicestersenior"
    assert [t.step for t in assessment.transitions.order_by("pk")] == [
        "start",
        "submit",
        "sign_off",
        "publish",
    ]
    assert "September and October 2003" in assessment.consultation
    assert assessment.outcome == Outcome.ADJUST
    assert timezone.localdate() + dt.timedelta(days=300) < assessment.review_date
    impacts = {j.group: j.impact for j in assessment.judgements.all() if j.relevant}
    assert impacts == {
        "race": "positive",
        "religion-belief": "positive",
        "age": "negative",
        "socio-economic": "negative",
    }
    plan = ActionPlan.objects.get(owner=leicester, title="Community Cohesion Action Plan 2004-05")
    actions = [m.action for m in assessment.mitigations.order_by("order") if m.action_id]
    assert len(actions) == 2
    assert all(action.plan == plan and action.owner.username == "leicester" for action in actions)
    assert [a.strands.get().code for a in actions] == ["A", "SE"]
    assert plan.actions.count() == 2


def test_ceredigion_offers_welsh_and_its_agreement_reads_in_welsh_for_its_provider(
    demo_data, client
):
    darparwr = User.objects.get(username="darparwr")
    agreement = Agreement.objects.get(reference="CSC-HYB-01")
    quarterly_return = QuarterlyReturn.objects.filter(agreement=agreement).latest("period")
    assert darparwr.language == "cy"
    assert (agreement.funder.welsh_offer, agreement.provider) == (True, darparwr.organisation)
    assert User.objects.get(username="ceredigion").organisation == agreement.funder
    client.force_login(darparwr)

    # Their own choice of Welsh, which their funder offers, makes the pages Welsh.
    page = client.get(reverse("grants:agreement_detail", args=[agreement.pk]))
    answers = client.get(reverse("grants:return_detail", args=[quarterly_return.pk]))

    page, answers = page.content.decode(), answers.content.decode()
    assert "<h1>Manyleb Gwasanaeth Hyb Cymunedol Aberaeron</h1>" in page
    assert "Nifer y gweithgareddau cymunedol a gynhaliwyd." in page
    assert "Cynnal hyb cymunedol sydd ar agor bum diwrnod yr wythnos." in page
    assert "Cadw cofrestr o&#x27;r bobl sy&#x27;n mynychu pob gweithgaredd." in page
    assert "Aberaeron Community Hub Service Specification" not in page
    assert "Nifer y trigolion a wirfoddolodd yn yr hyb." in answers
    User.objects.filter(pk=darparwr.pk).update(language="en-gb")
    english = client.get(reverse("grants:agreement_detail", args=[agreement.pk]))
    assert "<h1>Aberaeron Community Hub Service Specification</h1>" in english.content.decode()
