"""Every URL of the returns journey, for every role: who gets the page, who is refused (403),
and who must not learn the object exists (404)."""

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from equality_plans import services as plan_services
from equality_plans.assessments import services as assessment_services
from equality_plans.models import ActionPlan, Assessment
from grants import services
from grants.forms.agreements import AgreementEditForm
from grants.models import Agreement, PaymentInstalment, QuarterlyReturn, ReportingPeriod
from grants.selectors import agreement_for_editing
from grants.services import variations
from grants.services.agreements import agreement_version
from sla_monitor import api_tokens, webhooks
from sla_monitor.models import Notification, Organisation, User, WebhookEndpoint
from sla_monitor.periods import financial_year_of, quarter_of
from sla_monitor.settings.sso import single_sign_on
from sla_monitor.tables import Table
from tests.demo_db import demo_module_fixture
from tests.factories import AgreementFactory, ProviderFactory, UserFactory

ROLES = [
    "anonymous",
    "provider",
    "provider2",
    "officer",
    "equality",
    "admin",
    "counciladmin",
    "cohesion",
    "planmanager",
    "leicester",
    "finance",
    "senior",
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _prepare():
    """A current-quarter draft of provider's with an evidence file, and its submitted return."""
    provider = User.objects.get(username="provider")
    agreement = Agreement.objects.get(reference="KBC-CCE-01")
    year, quarter = quarter_of(timezone.localdate())
    period = ReportingPeriod.objects.get(financial_year=year, quarter=quarter)
    draft = services.start_return(agreement=agreement, period=period, by=provider)
    indicator = agreement.indicators.get(code="c")
    services.save_indicator_answer(
        quarterly_return=draft,
        indicator=indicator,
        by=provider,
        expected_version=None,
        actual_value=4,
        evidence=[SimpleUploadedFile("groups.pdf", PDF, content_type="application/pdf")],
    )
    submitted = QuarterlyReturn.objects.get(agreement=agreement, status="submitted")
    years_ahead = (
        ReportingPeriod.objects.filter(end_date__lte=agreement.end_date)
        .order_by("start_date")
        .last()
    )
    plans = {p.title[:12]: p for p in ActionPlan.objects.all()}
    owned_action = plans["Equality Obj"].actions.get(number="1")
    admin = User.objects.get(username="admin")
    _, checked = plan_services.check_import(
        plan=plans["Equality Obj"],
        file_name="changes.csv",
        table=Table(["No", "Monitored By"], [["1", "Monitored in the access matrix"]]),
        by=admin,
    )
    imported = plan_services.import_actions(
        plan=plans["Equality Obj"], batch_id=checked.pk, by=admin
    )
    from grants.models import Fund

    officer = User.objects.get(username="officer")
    meeting = services.record_meeting(
        agreement=agreement,
        by=officer,
        held_on=agreement.start_date,
        period=None,
        attendees="Priya Shah, Sam Okafor",
    )
    from oversight import services as people_services

    volunteer_centre = Organisation.objects.get(name="Kettering Volunteer Centre")
    # Into a provider with people, Kettering's invitation waits for the provider's approval.
    invitation = people_services.invite_person(
        by=officer,
        email="invited@example.org",
        first_name="Nia",
        last_name="Adeyemi",
        organisation=volunteer_centre,
        role=User.Role.PROVIDER,
    )
    # Into a provider with nobody yet, it is sent: its first person.
    food_bank = AgreementFactory(
        funder=Organisation.objects.get(short_code="KBC"),
        provider=ProviderFactory(name="Kettering Food Bank"),
        reference="KBC-FOOD-01",
    ).provider
    sent_invitation = people_services.invite_person(
        by=officer,
        email="first@example.org",
        first_name="Ola",
        last_name="Bello",
        organisation=food_bank,
        role=User.Role.PROVIDER,
    )
    sent_invitation.last_sent_at -= people_services.RESEND_INTERVAL
    sent_invitation.save(update_fields=["last_sent_at"])
    volunteer = UserFactory(organisation=volunteer_centre, username="volunteer")
    # Each person's inbox is their own: a notification of the provider's and one of the
    # officer's, which nobody else opens.
    inbox_of = {
        username: Notification.objects.filter(recipient__username=username).latest("pk")
        for username in ("provider", "officer")
    }
    reporting_centre = Agreement.objects.get(reference="LCC-HCR-01")
    sent_back = QuarterlyReturn.objects.get(
        agreement__reference="KBC-VOL-01", status="changes_requested"
    )
    leicester = User.objects.get(username="leicester")
    # Two approved returns: one with a correction waiting for a decision, and one to correct.
    corrected, to_correct = QuarterlyReturn.objects.filter(
        agreement=agreement, status="approved"
    ).order_by("-period__start_date")[:2]
    wrong = corrected.indicator_answers.filter(actual_value__isnull=False).first()
    correction = services.propose_correction(
        quarterly_return=corrected,
        by=provider,
        reason="A session was missed off.",
        changes={wrong.indicator_id: {"actual_value": wrong.actual_value + 1}},
    )

    def extension(agreement, drafter, approver=None):
        """A variation extending the agreement by a year from its last quarter: sent for
        approval, or, given an `approver`, approved and waiting for the provider."""
        last = (
            ReportingPeriod.objects.filter(end_date__lte=agreement.end_date)
            .order_by("start_date")
            .last()
        )
        drafted = variations.draft_variation(
            agreement=agreement,
            by=drafter,
            terms={
                "reason": "A year longer.",
                "takes_effect_from": last,
                "new_end_date": agreement.end_date.replace(year=agreement.end_date.year + 1),
            },
        )
        sent = variations.submit_variation(variation=drafted, by=drafter)
        return variations.approve_variation(variation=sent, by=approver) if approver else sent

    lcc_admin = UserFactory(
        organisation=Organisation.objects.get(short_code="LCC"),
        role=User.Role.ADMIN,
        username="lcc_admin",
    )

    def message(by, **about):
        sent = services.send_message(
            by=by,
            body="Minutes attached.",
            token=uuid.uuid4(),
            attachments=[SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")],
            **about,
        )
        return sent.attachments.get()

    # A release waiting for Kettering's finance officer, and a payment run they exported.
    finance = User.objects.get(username="finance")
    awaiting = agreement.instalments.get(sequence=7)
    PaymentInstalment.objects.filter(pk=awaiting.pk).update(
        status=PaymentInstalment.Status.RELEASE_REQUESTED, requested_by=officer
    )
    unpaid = agreement.instalments.filter(status="released").order_by("sequence").first()
    PaymentInstalment.objects.filter(pk=unpaid.pk).update(paid_on=None)
    run = services.create_payment_run(council=agreement.funder, by=finance)
    lcc_awaiting = reporting_centre.instalments.order_by("sequence").last()
    PaymentInstalment.objects.filter(pk=lcc_awaiting.pk).update(
        status=PaymentInstalment.Status.RELEASE_REQUESTED, requested_by=leicester
    )

    # Kingston's draft assessment, with a mitigation and an evidence file, and Leicester's
    # published one.
    rbk_eqia = Assessment.objects.get(council__short_code="RBK", title__startswith="Dementia")
    planmanager = User.objects.get(username="planmanager")
    rbk_mitigation = assessment_services.add_mitigation(
        assessment=rbk_eqia, by=planmanager, version=None, group="carers", wording="Respite."
    )
    rbk_evidence = assessment_services.add_evidence_file(
        assessment=rbk_eqia,
        by=planmanager,
        version=None,
        upload=SimpleUploadedFile("survey.pdf", PDF, content_type="application/pdf"),
    )
    lcc_eqia = Assessment.objects.get(council__short_code="LCC")

    # An API token of Kettering's, made by its administrator, and one of the cohesion network's.
    def api_token(username):
        token, _ = api_tokens.create_token(
            by=User.objects.get(username=username),
            name="Power BI",
            scopes=["grants"],
            expires_on=timezone.localdate() + dt.timedelta(days=30),
        )
        return token

    return {
        "kbc_api_token": api_token("counciladmin"),
        "kbc_webhook": WebhookEndpoint.objects.create(
            council=Organisation.objects.get(short_code="KBC"),
            url="https://finance.example.org/webhooks/sla-monitor",
            events=["return.submitted"],
            secret=webhooks.new_secret(),
            created_by=User.objects.get(username="counciladmin"),
        ),
        "provider_api_token": api_token("provider"),
        "rbk_eqia": rbk_eqia,
        "rbk_mitigation": rbk_mitigation,
        "rbk_evidence": rbk_evidence,
        "lcc_eqia": lcc_eqia,
        "lcc_open_mitigation": lcc_eqia.mitigations.filter(action__isnull=True).first(),
        "awaiting_signoff": awaiting,
        "lcc_awaiting_signoff": lcc_awaiting,
        "payment_run": run,
        "kbc_variation": extension(agreement, officer),
        "kbc_variation_draft": variations.draft_variation(
            agreement=agreement, by=officer, terms={"reason": "To be decided."}
        ),
        "lcc_variation": extension(reporting_centre, leicester, approver=lcc_admin),
        "provider_notification": inbox_of["provider"],
        "officer_notification": inbox_of["officer"],
        "flag": sent_back.flags.get(),
        "agreement_file": message(provider, agreement=agreement),
        "return_file": message(officer, quarterly_return=draft),
        "lcc_file": message(leicester, agreement=reporting_centre),
        "invitation": invitation,
        "sent_invitation": sent_invitation,
        "volunteer": volunteer,
        "cohesion_user": provider,
        "lcc_agreement": reporting_centre,
        "lcc_submitted": QuarterlyReturn.objects.get(
            agreement=reporting_centre, status="submitted"
        ),
        "lcc_instalment": reporting_centre.instalments.filter(status="scheduled")
        .order_by("-sequence")
        .first(),
        "volunteer_centre": volunteer_centre,
        "kbc": Organisation.objects.get(short_code="KBC"),
        "lcc": Organisation.objects.get(short_code="LCC"),
        "rbk": Organisation.objects.get(short_code="RBK"),
        "bdc": Organisation.objects.get(short_code="BDC"),
        "provider2_user": User.objects.get(username="provider2"),
        "equality_user": User.objects.get(username="equality"),
        "cohesion_staff": User.objects.get(username="cohesion"),
        "meeting": meeting,
        "kbc_fund": Fund.objects.get(council__short_code="KBC"),
        "lcc_fund": Fund.objects.get(council__short_code="LCC"),
        "instalment": agreement.instalments.get(sequence=3),
        "future_instalment": agreement.instalments.get(sequence=8),
        "owned_action": owned_action,
        "owned_update": owned_action.progress_updates.get(financial_year=2015, quarter=2),
        "other_action": plans["Equality Obj"].actions.get(number="40"),
        "kingston_plan": plans["Equality Obj"],
        "import": imported,
        "leicestershire_plan": plans["Leicestershir"[:12]],
        "draft": draft,
        "submitted": submitted,
        "correction": correction,
        "to_correct": to_correct,
        "volunteering_draft": QuarterlyReturn.objects.get(
            agreement__reference="KBC-VOL-01", status="draft"
        ),
        "indicator": indicator,
        "evidence": draft.evidence_files.get(),
        "agreement": agreement,
        "period": period,
        "years_ahead": years_ahead,
    }


demo_module = demo_module_fixture(_prepare)


def _correction_data(quarterly_return) -> dict:
    """The correction form as its page fills it in, with the first actual given raised by one."""
    data = {"version": quarterly_return.version, "reason": "A session was missed off."}
    changed = False
    for answer in quarterly_return.indicator_answers.select_related("indicator"):
        pk = answer.indicator_id
        if answer.actual_value is not None:
            raised = not changed
            changed = True
            data[f"actual_value_{pk}"] = str(answer.actual_value + (1 if raised else 0))
        if answer.achieved is not None:
            data[f"achieved_{pk}"] = "yes" if answer.achieved else "no"
        data[f"narrative_{pk}"] = answer.narrative
    return data


def _budget_as_it_is(agreement) -> dict:
    """The budget page of the agreement's current year, posted with its lines as they are."""
    agreement.refresh_from_db()
    year = financial_year_of(timezone.localdate())
    lines = list(agreement.budget_lines.filter(financial_year=year))
    data = {
        "year": str(year),
        "version": agreement_version(agreement),
        "form-TOTAL_FORMS": str(len(lines)),
        "form-INITIAL_FORMS": "0",
    }
    for n, line in enumerate(lines):
        heading = f"own:{line.own_heading_id}" if line.own_heading_id else line.heading
        data.update(
            {
                f"form-{n}-pk": str(line.pk),
                f"form-{n}-heading": heading,
                f"form-{n}-label": line.label,
                f"form-{n}-amount": str(line.amount),
            }
        )
    return data


# name, method, url builder, POST data builder, expected status per role
CASES = [
    (
        "home",
        "get",
        lambda o: reverse("oversight:home"),
        None,
        dict(provider=200, provider2=200, officer=200, equality=200, admin=200),
    ),
    (
        "provider dashboard",
        "get",
        lambda o: reverse("grants:provider_dashboard"),
        None,
        dict(provider=200, provider2=200, officer=403, equality=403, admin=403),
    ),
    (
        "review queue",
        "get",
        lambda o: reverse("grants:review_queue"),
        None,
        dict(provider=403, provider2=403, officer=200, equality=403, admin=403),
    ),
    (
        "start a return",
        "post",
        lambda o: reverse("grants:start_return", args=[o["agreement"].pk, o["period"].pk]),
        lambda o: {},
        dict(provider=302, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        # The provider is sent back to its returns, told why (see the test of it below).
        "start a return years ahead",
        "post",
        lambda o: reverse("grants:start_return", args=[o["agreement"].pk, o["years_ahead"].pk]),
        lambda o: {},
        dict(provider=302, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "draft return page",
        "get",
        lambda o: reverse("grants:return_detail", args=[o["draft"].pk]),
        None,
        dict(provider=200, provider2=404, officer=200, equality=404, admin=200, leicester=404),
    ),
    (
        "submitted return page",
        "get",
        lambda o: reverse("grants:return_detail", args=[o["submitted"].pk]),
        None,
        dict(provider=200, provider2=404, officer=200, equality=404, admin=200, leicester=404),
    ),
    (
        "earlier submission page",
        "get",
        lambda o: reverse("grants:return_submission", args=[o["submitted"].pk, 1]),
        None,
        dict(provider=200, provider2=404, officer=200, equality=404, admin=200, leicester=404),
    ),
    (
        "indicator answer page",
        "get",
        lambda o: reverse("grants:indicator_answer", args=[o["draft"].pk, o["indicator"].pk]),
        None,
        dict(provider=200, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "save an indicator answer",
        "post",
        lambda o: reverse("grants:indicator_answer", args=[o["draft"].pk, o["indicator"].pk]),
        lambda o: {
            "version": QuarterlyReturn.objects.get(pk=o["draft"].pk).version,
            "actual_value": "5",
            "save_draft": "1",
        },
        dict(provider=302, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "indicator answer of a submitted return",
        "get",
        lambda o: reverse("grants:indicator_answer", args=[o["submitted"].pk, o["indicator"].pk]),
        None,
        dict(provider=302, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "requirements page",
        "get",
        lambda o: reverse("grants:requirement_answers", args=[o["draft"].pk]),
        None,
        dict(provider=200, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "save requirements",
        "post",
        lambda o: reverse("grants:requirement_answers", args=[o["draft"].pk]),
        lambda o: {
            "version": QuarterlyReturn.objects.get(pk=o["draft"].pk).version,
            "save_draft": "1",
        },
        dict(provider=302, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "spending page",
        "get",
        lambda o: reverse("grants:spend_answers", args=[o["draft"].pk]),
        None,
        dict(provider=200, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "save the spending",
        "post",
        lambda o: reverse("grants:spend_answers", args=[o["draft"].pk]),
        lambda o: {
            "version": QuarterlyReturn.objects.get(pk=o["draft"].pk).version,
            "save_draft": "1",
        },
        dict(provider=302, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "spending of a submitted return",
        "get",
        lambda o: reverse("grants:spend_answers", args=[o["submitted"].pk]),
        None,
        dict(provider=302, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "spending of a return whose year has no budget",
        "get",
        lambda o: reverse("grants:spend_answers", args=[o["volunteering_draft"].pk]),
        None,
        dict(provider=404, provider2=404, officer=404, equality=404, admin=404),
    ),
    (
        "people you worked with page",
        "get",
        lambda o: reverse("grants:beneficiary_figures", args=[o["draft"].pk]),
        None,
        dict(provider=200, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "save the people you worked with",
        "post",
        lambda o: reverse("grants:beneficiary_figures", args=[o["draft"].pk]),
        lambda o: {
            "version": QuarterlyReturn.objects.get(pk=o["draft"].pk).version,
            "people_reached": "0",
            "save_draft": "1",
        },
        dict(provider=302, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "people you worked with of a submitted return",
        "get",
        lambda o: reverse("grants:beneficiary_figures", args=[o["submitted"].pk]),
        None,
        dict(provider=302, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "people you worked with of a return that does not ask for them",
        "get",
        lambda o: reverse("grants:beneficiary_figures", args=[o["volunteering_draft"].pk]),
        None,
        dict(provider=404, provider2=404, officer=404, equality=404, admin=404),
    ),
    (
        "added value and support in kind page",
        "get",
        lambda o: reverse("grants:return_support", args=[o["draft"].pk]),
        None,
        dict(provider=200, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "save added value and support in kind",
        "post",
        lambda o: reverse("grants:return_support", args=[o["draft"].pk]),
        lambda o: {
            "version": QuarterlyReturn.objects.get(pk=o["draft"].pk).version,
            "save_draft": "1",
        },
        dict(provider=302, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "added value and support in kind of a submitted return",
        "get",
        lambda o: reverse("grants:return_support", args=[o["submitted"].pk]),
        None,
        dict(provider=302, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "added value and support in kind of a return whose agreement promises none",
        "get",
        lambda o: reverse("grants:return_support", args=[o["volunteering_draft"].pk]),
        None,
        dict(provider=404, provider2=404, officer=404, equality=404, admin=404),
    ),
    (
        "check answers",
        "get",
        lambda o: reverse("grants:check_answers", args=[o["draft"].pk]),
        None,
        dict(provider=200, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "submit",
        "post",
        lambda o: reverse("grants:check_answers", args=[o["draft"].pk]),
        lambda o: {"version": QuarterlyReturn.objects.get(pk=o["draft"].pk).version},
        dict(provider=200, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "submission confirmation",
        "get",
        lambda o: reverse("grants:return_submitted", args=[o["submitted"].pk]),
        None,
        dict(provider=200, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "decide",
        "post",
        lambda o: reverse("grants:decide_return", args=[o["submitted"].pk]),
        lambda o: {"version": o["submitted"].version, "decision": "approve"},
        dict(provider=403, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        "propose a correction page",
        "get",
        lambda o: reverse("grants:propose_correction", args=[o["to_correct"].pk]),
        None,
        dict(provider=200, provider2=404, officer=200, equality=404, admin=403, leicester=404),
    ),
    (
        "propose a correction",
        "post",
        lambda o: reverse("grants:propose_correction", args=[o["to_correct"].pk]),
        lambda o: _correction_data(o["to_correct"]),
        dict(provider=302, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        # The return is not approved: those who would propose are told why, on its page.
        "propose a correction to a submitted return",
        "get",
        lambda o: reverse("grants:propose_correction", args=[o["submitted"].pk]),
        None,
        dict(provider=302, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        # A correction waits for a decision: those who would propose are sent to it.
        "propose a correction to a return with one open",
        "get",
        lambda o: reverse("grants:propose_correction", args=[o["correction"].quarterly_return_id]),
        None,
        dict(provider=302, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        "approve a correction",
        "post",
        lambda o: reverse(
            "grants:decide_correction",
            args=[o["correction"].quarterly_return_id, o["correction"].pk],
        ),
        lambda o: {"version": o["correction"].version, "step": "approve"},
        dict(provider=403, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        "decline a correction",
        "post",
        lambda o: reverse(
            "grants:decide_correction",
            args=[o["correction"].quarterly_return_id, o["correction"].pk],
        ),
        lambda o: {"version": o["correction"].version, "step": "decline", "reason": "No."},
        dict(provider=403, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        # Only its proposer, the provider's reporter, withdraws it.
        "withdraw a correction",
        "post",
        lambda o: reverse(
            "grants:decide_correction",
            args=[o["correction"].quarterly_return_id, o["correction"].pk],
        ),
        lambda o: {"version": o["correction"].version, "step": "withdraw"},
        dict(provider=302, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
    (
        "a correction asked for through another return",
        "post",
        lambda o: reverse(
            "grants:decide_correction", args=[o["to_correct"].pk, o["correction"].pk]
        ),
        lambda o: {"version": o["correction"].version, "step": "approve"},
        dict(provider=404, provider2=404, officer=404, equality=404, admin=404),
    ),
    (
        "download evidence",
        "get",
        lambda o: reverse("grants:evidence_download", args=[o["draft"].pk, o["evidence"].pk]),
        None,
        dict(provider=200, provider2=404, officer=200, equality=404, admin=200, leicester=404),
    ),
    (
        "remove evidence",
        "post",
        lambda o: reverse("grants:evidence_remove", args=[o["draft"].pk, o["evidence"].pk]),
        lambda o: {"version": QuarterlyReturn.objects.get(pk=o["draft"].pk).version},
        dict(provider=302, provider2=404, officer=403, equality=404, admin=403, leicester=404),
    ),
]


CASES += [
    (
        "return PDF",
        "get",
        lambda o: reverse("grants:return_pdf", args=[o["submitted"].pk]),
        None,
        dict(provider=200, provider2=404, officer=200, equality=404, admin=200, leicester=404),
    ),
    (
        "agreement page",
        "get",
        lambda o: reverse("grants:agreement_detail", args=[o["agreement"].pk]),
        None,
        dict(provider=200, provider2=404, officer=200, equality=404, admin=200, leicester=404),
    ),
    (
        "agreement year PDF",
        "get",
        lambda o: reverse(
            "grants:agreement_year_pdf",
            args=[o["agreement"].pk, o["submitted"].period.financial_year],
        ),
        None,
        dict(provider=200, provider2=404, officer=200, equality=404, admin=200, leicester=404),
    ),
    (
        "returns export",
        "get",
        lambda o: reverse("grants:review_queue_export", args=["csv"]),
        None,
        dict(provider=403, provider2=403, officer=200, equality=403, admin=403),
    ),
    (
        "indicator results",
        "get",
        lambda o: reverse("grants:indicator_results"),
        None,
        dict(provider=200, provider2=200, officer=200, equality=403, admin=200),
    ),
    (
        "indicator results export",
        "get",
        lambda o: reverse("grants:indicator_results_export", args=["xlsx"]),
        None,
        dict(provider=200, provider2=200, officer=200, equality=403, admin=200),
    ),
    (
        "plan list",
        "get",
        lambda o: reverse("equality_plans:plan_list"),
        None,
        dict(provider=403, provider2=403, officer=200, equality=200, admin=200),
    ),
    (
        "own council's plan",
        "get",
        lambda o: reverse("equality_plans:plan_detail", args=[o["kingston_plan"].pk]),
        None,
        dict(provider=403, provider2=403, officer=404, equality=200, admin=200, cohesion=404),
    ),
    (
        "another council's plan that KBC's grants deliver",
        "get",
        lambda o: reverse("equality_plans:plan_detail", args=[o["leicestershire_plan"].pk]),
        None,
        dict(
            leicester=404,
            provider=403,
            provider2=403,
            officer=200,
            equality=404,
            admin=200,
            cohesion=200,
        ),
    ),
    (
        "plan progress PDF",
        "get",
        lambda o: reverse("equality_plans:plan_pdf", args=[o["kingston_plan"].pk]),
        None,
        dict(provider=403, provider2=403, officer=404, equality=200, admin=200, cohesion=404),
    ),
    (
        "plan actions export",
        "get",
        lambda o: reverse("equality_plans:actions_export", args=[o["kingston_plan"].pk, "csv"]),
        None,
        dict(provider=403, provider2=403, officer=404, equality=200, admin=200, cohesion=404),
    ),
]


CASES += [
    (
        "action page",
        "get",
        lambda o: reverse(
            "equality_plans:action_detail", args=[o["kingston_plan"].pk, o["owned_action"].pk]
        ),
        None,
        dict(provider=403, provider2=403, officer=404, equality=200, admin=200, cohesion=404),
    ),
    (
        "record progress on own action",
        "post",
        lambda o: reverse(
            "equality_plans:action_detail", args=[o["kingston_plan"].pk, o["owned_action"].pk]
        ),
        lambda o: {"period": "2015-3", "rag_status": "green", "narrative": "Done."},
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=302,
            admin=403,
            cohesion=404,
            senior=403,
        ),
    ),
    (
        "record progress on another's action",
        "post",
        lambda o: reverse(
            "equality_plans:action_detail", args=[o["kingston_plan"].pk, o["other_action"].pk]
        ),
        lambda o: {"period": "2015-3", "rag_status": "green", "narrative": "Done."},
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=403,
            cohesion=404,
            planmanager=302,
        ),
    ),
    (
        "correct own progress update page",
        "get",
        lambda o: reverse(
            "equality_plans:progress_correct",
            args=[o["kingston_plan"].pk, o["owned_action"].pk, o["owned_update"].pk],
        ),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=200,
            admin=403,
            cohesion=404,
            planmanager=403,
            senior=403,
        ),
    ),
    (
        "correct own progress update",
        "post",
        lambda o: reverse(
            "equality_plans:progress_correct",
            args=[o["kingston_plan"].pk, o["owned_action"].pk, o["owned_update"].pk],
        ),
        lambda o: {"rag_status": "green", "narrative": "Corrected."},
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=302,
            admin=403,
            cohesion=404,
            planmanager=403,
            senior=403,
        ),
    ),
    (
        "strand coverage",
        "get",
        lambda o: reverse("equality_plans:strand_coverage", args=[o["kingston_plan"].pk]),
        None,
        dict(provider=403, provider2=403, officer=404, equality=200, admin=200, cohesion=404),
    ),
    (
        "import page",
        "get",
        lambda o: reverse("equality_plans:plan_import", args=[o["kingston_plan"].pk]),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=200,
            cohesion=404,
            planmanager=200,
        ),
    ),
    (
        "confirm import",
        "post",
        lambda o: reverse("equality_plans:plan_import_confirm", args=[o["kingston_plan"].pk]),
        lambda o: {},
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=302,
            cohesion=404,
            planmanager=302,
        ),
    ),
    (
        "import sample",
        "get",
        lambda o: reverse("equality_plans:import_sample"),
        None,
        dict(provider=403, provider2=403, officer=200, equality=200, admin=200),
    ),
    (
        "import history",
        "get",
        lambda o: reverse("equality_plans:plan_imports", args=[o["kingston_plan"].pk]),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=200,
            cohesion=404,
            planmanager=200,
        ),
    ),
    (
        "what undoing an import does",
        "get",
        lambda o: reverse(
            "equality_plans:plan_import_undo", args=[o["kingston_plan"].pk, o["import"].pk]
        ),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=200,
            cohesion=404,
            planmanager=200,
        ),
    ),
    (
        "undo an import",
        "post",
        lambda o: reverse(
            "equality_plans:plan_import_undo", args=[o["kingston_plan"].pk, o["import"].pk]
        ),
        lambda o: {},
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=302,
            cohesion=404,
            planmanager=302,
        ),
    ),
]


CASES.append(
    (
        "audit log",
        "get",
        lambda o: reverse("oversight:audit_log"),
        None,
        dict(provider=403, provider2=403, officer=403, equality=403, admin=200, counciladmin=200),
    )
)
OFFICERS_ONLY = dict(provider=403, provider2=403, officer=200, equality=403, admin=200)
CASES += [
    (
        "council dashboard",
        "get",
        lambda o: reverse("oversight:council_dashboard"),
        None,
        OFFICERS_ONLY,
    ),
    ("funds", "get", lambda o: reverse("grants:fund_list"), None, OFFICERS_ONLY),
    (
        "own council's fund",
        "get",
        lambda o: reverse("grants:fund_detail", args=[o["kbc_fund"].pk]),
        None,
        dict(OFFICERS_ONLY, leicester=404),
    ),
    (
        "another council's fund",
        "get",
        lambda o: reverse("grants:fund_detail", args=[o["lcc_fund"].pk]),
        None,
        dict(
            leicester=200,
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=200,
        ),
    ),
    (
        "release an instalment",
        "post",
        lambda o: reverse(
            "grants:release_instalment", args=[o["agreement"].pk, o["instalment"].pk]
        ),
        lambda o: {"status": "scheduled"},
        dict(provider=403, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        "confirm releasing an instalment",
        "get",
        lambda o: reverse(
            "grants:release_instalment", args=[o["agreement"].pk, o["future_instalment"].pk]
        ),
        None,
        dict(provider=403, provider2=404, officer=200, equality=404, admin=403, leicester=404),
    ),
    (
        "withhold an instalment: the page",
        "get",
        lambda o: reverse(
            "grants:withhold_instalment", args=[o["agreement"].pk, o["future_instalment"].pk]
        ),
        None,
        dict(provider=403, provider2=404, officer=200, equality=404, admin=403, leicester=404),
    ),
    (
        "withhold an instalment",
        "post",
        lambda o: reverse(
            "grants:withhold_instalment", args=[o["agreement"].pk, o["future_instalment"].pk]
        ),
        lambda o: {"status": "scheduled", "reason": "Accounts are late."},
        dict(provider=403, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        "record a meeting",
        "get",
        lambda o: reverse("grants:record_meeting", args=[o["agreement"].pk]),
        None,
        dict(provider=403, provider2=404, officer=200, equality=404, admin=403, leicester=404),
    ),
    (
        "change a meeting: the page",
        "get",
        lambda o: reverse("grants:change_meeting", args=[o["agreement"].pk, o["meeting"].pk]),
        None,
        dict(provider=403, provider2=404, officer=200, equality=404, admin=403, leicester=404),
    ),
    (
        "change a meeting",
        "post",
        lambda o: reverse("grants:change_meeting", args=[o["agreement"].pk, o["meeting"].pk]),
        lambda o: {
            "held_on": o["meeting"].held_on.isoformat(),
            "attendees": "Priya Shah, Sam Okafor, Dana Reid",
        },
        dict(provider=403, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        "delete a meeting: the confirmation",
        "get",
        lambda o: reverse("grants:delete_meeting", args=[o["agreement"].pk, o["meeting"].pk]),
        None,
        dict(provider=403, provider2=404, officer=200, equality=404, admin=403, leicester=404),
    ),
    (
        "delete a meeting",
        "post",
        lambda o: reverse("grants:delete_meeting", args=[o["agreement"].pk, o["meeting"].pk]),
        lambda o: {},
        dict(provider=403, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
]


CASES += [
    (
        "set up an agreement",
        "get",
        lambda o: reverse("grants:set_up_agreement"),
        None,
        dict(provider=403, provider2=403, officer=200, equality=403, admin=200),
    ),
    (
        "copy an agreement",
        "get",
        lambda o: reverse("grants:set_up_agreement") + f"?copy={o['agreement'].pk}",
        None,
        dict(provider=403, provider2=403, officer=200, equality=403, admin=200, leicester=404),
    ),
    (
        "import agreements",
        "get",
        lambda o: reverse("grants:agreement_import"),
        None,
        dict(provider=403, provider2=403, officer=200, equality=403, admin=403),
    ),
    (
        "confirm an agreements import",
        "post",
        lambda o: reverse("grants:agreement_import_confirm"),
        lambda o: {},
        dict(provider=403, provider2=403, officer=302, equality=403, admin=403),
    ),
    (
        "agreements import history",
        "get",
        lambda o: reverse("grants:agreement_imports"),
        None,
        dict(provider=403, provider2=403, officer=200, equality=403, admin=403),
    ),
    (
        "what undoing an agreements import does",
        "get",
        lambda o: reverse("grants:agreement_import_undo", args=[o["import"].pk]),
        None,
        dict(provider=403, provider2=403, officer=404, equality=403, admin=403),
    ),
    (
        "undo an agreements import",
        "post",
        lambda o: reverse("grants:agreement_import_undo", args=[o["import"].pk]),
        lambda o: {},
        dict(provider=403, provider2=403, officer=404, equality=403, admin=403),
    ),
    (
        "export agreements",
        "get",
        lambda o: reverse("grants:agreements_export"),
        None,
        dict(provider=403, provider2=403, officer=200, equality=403, admin=403),
    ),
    (
        "agreements import sample",
        "get",
        lambda o: reverse("grants:agreement_import_sample"),
        None,
        dict(provider=403, provider2=403, officer=200, equality=403, admin=403),
    ),
    (
        "open data management",
        "get",
        lambda o: reverse("grants:publication"),
        None,
        dict(provider=403, provider2=403, officer=200, equality=403, admin=403),
    ),
    (
        "publish an agreement",
        "post",
        lambda o: reverse("grants:publish_agreement", args=[o["agreement"].pk]),
        lambda o: {"published": "0"},
        dict(provider=403, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
]


# The annual equality information report: a council's staff read their council's, a superuser
# any council's; providers none.
KETTERING_REPORT = dict(
    provider=403, provider2=403, officer=200, equality=404, admin=200, cohesion=200, leicester=404
)
KINGSTON_REPORT = dict(
    provider=403, provider2=403, officer=404, equality=200, admin=200, cohesion=404
)
CASES += [
    (
        "equality information reports",
        "get",
        lambda o: reverse("oversight:equality_reports"),
        None,
        dict(provider=403, provider2=403, officer=302, equality=302, admin=200, cohesion=302),
    ),
    (
        "Kettering's equality information report",
        "get",
        lambda o: reverse("oversight:equality_report", args=[o["kbc"].pk]),
        None,
        KETTERING_REPORT,
    ),
    (
        "Kettering's equality information report as a PDF",
        "get",
        lambda o: reverse(
            "oversight:equality_report_pdf",
            args=[o["kbc"].pk, financial_year_of(timezone.localdate())],
        ),
        None,
        KETTERING_REPORT,
    ),
    (
        "Kingston's equality information report",
        "get",
        lambda o: reverse("oversight:equality_report", args=[o["rbk"].pk]) + "?year=2015",
        None,
        KINGSTON_REPORT,
    ),
    (
        "Kingston's equality information report as a PDF",
        "get",
        lambda o: reverse("oversight:equality_report_pdf", args=[o["rbk"].pk, 2015]),
        None,
        KINGSTON_REPORT,
    ),
    (
        "an equality information report PDF of a year with nothing in it",
        "get",
        lambda o: reverse("oversight:equality_report_pdf", args=[o["kbc"].pk, 1999]),
        None,
        dict(
            leicester=404,
            provider=403,
            provider2=403,
            officer=404,
            equality=404,
            admin=404,
        ),
    ),
]


def _diversity_answers(o) -> dict:
    return {
        "financial_year": str(financial_year_of(timezone.localdate())),
        "leadership_reply": "RS201",
        "mission_reply": "RS200",
        "mission_DEI05": "DEI050200",
        "may_publish": "no",
    }


# A provider's own diversity: its people answer; the councils that fund it read.
CASES += [
    (
        "your organisation's diversity",
        "get",
        lambda o: reverse("grants:organisation_diversity"),
        None,
        dict(provider=200, provider2=200, officer=403, equality=403, admin=403),
    ),
    (
        "answer your organisation's diversity",
        "post",
        lambda o: reverse("grants:organisation_diversity"),
        _diversity_answers,
        dict(provider=302, provider2=302, officer=403, equality=403, admin=403),
    ),
    (
        "a provider's diversity",
        "get",
        lambda o: reverse("grants:provider_diversity", args=[o["agreement"].provider_id]),
        None,
        dict(provider=200, provider2=404, officer=200, equality=404, admin=200),
    ),
    (
        "a council is no provider with diversity answers",
        "get",
        lambda o: reverse("grants:provider_diversity", args=[o["kbc"].pk]),
        None,
        dict(provider=404, provider2=404, officer=404, equality=404, admin=404),
    ),
]


# Provider organisations: a council's lead officers (its administrators among them) add them, as
# superusers may; each provider's page is read by the provider and the councils that fund it.
LEAD_OFFICERS_ADD = dict(provider=403, provider2=403, officer=200, equality=403, admin=200)
CASES += [
    (
        "add a provider organisation",
        "get",
        lambda o: reverse("grants:add_provider") + "?next=/agreements/new/",
        None,
        LEAD_OFFICERS_ADD,
    ),
    (
        "add a provider organisation, sent",
        "post",
        lambda o: reverse("grants:add_provider"),
        lambda o: {
            "name": "Corby Community Larder",
            "organisation_type": "charity",
            "address": "1 Market Square, Corby",
            "postcode": "NN17 1AA",
            "charity_number": "1190077",
            "next": "/agreements/new/",
        },
        LEAD_OFFICERS_ADD | {"officer": 302, "admin": 302},
    ),
    (
        "the page of a provider both councils fund",
        "get",
        lambda o: reverse("grants:provider_detail", args=[o["agreement"].provider_id]),
        None,
        dict(provider=200, provider2=404, officer=200, equality=404, admin=200, leicester=200),
    ),
    (
        "the page of a provider only Kettering funds",
        "get",
        lambda o: reverse("grants:provider_detail", args=[o["volunteer_centre"].pk]),
        None,
        dict(provider=404, provider2=200, officer=200, equality=404, admin=200, leicester=404),
    ),
    (
        "a council has no provider page",
        "get",
        lambda o: reverse("grants:provider_detail", args=[o["kbc"].pk]),
        None,
        dict(provider=404, provider2=404, officer=404, equality=404, admin=404),
    ),
]


# People and invitations: each organisation looks after its own people. A provider's
# administrators (`provider`, `provider2`) let its people in and manage them; a council's lead
# officers invite a provider's first person and otherwise ask its administrators; a council's
# administrator also looks after the council's staff; a superuser everyone. Leicester funds the
# cohesion network too, and has no hold over its people or anyone else's.
MANAGERS = dict(provider=200, provider2=200, officer=200, equality=403, admin=200)
ADMINS_ONLY = dict(
    provider=403, provider2=403, officer=403, equality=403, admin=200, counciladmin=200
)
NOBODY_ELSES = dict(
    provider=404, provider2=404, officer=404, equality=403, admin=200, counciladmin=404
)
VOLUNTEER_CENTRE_ADMINS = dict(provider=404, provider2=302, officer=404, equality=403, admin=302)
CASES += [
    ("people", "get", lambda o: reverse("oversight:people"), None, MANAGERS),
    ("invitations", "get", lambda o: reverse("oversight:invitations"), None, MANAGERS),
    ("invite someone", "get", lambda o: reverse("oversight:invite"), None, MANAGERS),
    (
        "invite into a provider Kettering funds",
        "get",
        lambda o: reverse("oversight:invite_into", args=[o["volunteer_centre"].pk]),
        None,
        dict(provider=404, provider2=200, officer=200, equality=403, admin=200, leicester=404),
    ),
    (
        "invite into the provider both councils fund",
        "get",
        lambda o: reverse("oversight:invite_into", args=[o["cohesion_user"].organisation_id]),
        None,
        dict(provider=200, provider2=404, officer=200, equality=403, admin=200, leicester=200),
    ),
    (
        "invite into the officer's own council",
        "get",
        lambda o: reverse("oversight:invite_into", args=[o["kbc"].pk]),
        None,
        dict(
            provider=404,
            provider2=404,
            officer=404,
            equality=403,
            admin=200,
            counciladmin=200,
            leicester=404,
        ),
    ),
    (
        "invite into another council",
        "get",
        lambda o: reverse("oversight:invite_into", args=[o["lcc"].pk]),
        None,
        dict(NOBODY_ELSES, leicester=404),
    ),
    (
        "ask to invite into a provider with people",
        "post",
        lambda o: reverse("oversight:invite"),
        lambda o: {
            "first_name": "Kit",
            "last_name": "Marsh",
            "email": "kit.marsh@example.org",
            "organisation": o["volunteer_centre"].pk,
            "role": User.Role.PROVIDER,
        },
        # An organisation not offered is refused beside the field, on the page.
        dict(provider=200, provider2=302, officer=302, equality=403, admin=302, leicester=200),
    ),
    (
        "re-send an invitation that was sent",
        "post",
        lambda o: reverse("oversight:invitation_resend", args=[o["sent_invitation"].pk]),
        lambda o: {},
        dict(provider=404, provider2=404, officer=302, equality=403, admin=302, leicester=404),
    ),
    (
        "revoke an invitation that was sent",
        "post",
        lambda o: reverse("oversight:invitation_revoke", args=[o["sent_invitation"].pk]),
        lambda o: {},
        dict(provider=404, provider2=404, officer=302, equality=403, admin=302, leicester=404),
    ),
    (
        "revoke an invitation waiting for the provider",
        "post",
        lambda o: reverse("oversight:invitation_revoke", args=[o["invitation"].pk]),
        lambda o: {},
        dict(provider=404, provider2=302, officer=302, equality=403, admin=302, leicester=404),
    ),
    (
        "approve an invitation waiting for the provider",
        "post",
        lambda o: reverse("oversight:invitation_approve", args=[o["invitation"].pk]),
        lambda o: {},
        dict(provider=404, provider2=302, officer=403, equality=403, admin=302, leicester=404),
    ),
    (
        "decline an invitation waiting for the provider",
        "post",
        lambda o: reverse("oversight:invitation_decline", args=[o["invitation"].pk]),
        lambda o: {},
        dict(provider=404, provider2=302, officer=403, equality=403, admin=302, leicester=404),
    ),
    (
        "deactivate a provider's person: the confirmation",
        "get",
        lambda o: reverse("oversight:person_deactivate", args=[o["volunteer"].pk]),
        None,
        dict(provider=404, provider2=200, officer=404, equality=403, admin=200, leicester=404),
    ),
    (
        "deactivate a provider's person",
        "post",
        lambda o: reverse("oversight:person_deactivate", args=[o["volunteer"].pk]),
        lambda o: {},
        VOLUNTEER_CENTRE_ADMINS,
    ),
    (
        "reactivate a provider's person: the confirmation",
        "get",
        lambda o: reverse("oversight:person_reactivate", args=[o["volunteer"].pk]),
        None,
        dict(provider=404, provider2=200, officer=404, equality=403, admin=200, leicester=404),
    ),
    (
        "reactivate a provider's person",
        "post",
        lambda o: reverse("oversight:person_reactivate", args=[o["volunteer"].pk]),
        lambda o: {},
        VOLUNTEER_CENTRE_ADMINS,
    ),
    (
        "deactivate the person of the provider both councils fund",
        "post",
        lambda o: reverse("oversight:person_deactivate", args=[o["cohesion_user"].pk]),
        lambda o: {},
        # Nobody deactivates themselves; neither council reaches the provider's people.
        dict(provider=403, provider2=404, officer=404, equality=403, admin=302, leicester=404),
    ),
    (
        "deactivate another council's person",
        "get",
        lambda o: reverse("oversight:person_deactivate", args=[o["equality_user"].pk]),
        None,
        dict(NOBODY_ELSES, admin=200, leicester=404),
    ),
    (
        "change a provider's person's role: the form",
        "get",
        lambda o: reverse("oversight:person_role", args=[o["volunteer"].pk]),
        None,
        dict(provider=404, provider2=200, officer=404, equality=403, admin=200, leicester=404),
    ),
    (
        "change a provider's person's role",
        "post",
        lambda o: reverse("oversight:person_role", args=[o["volunteer"].pk]),
        lambda o: {"role": User.Role.PROVIDER_ADMIN},
        VOLUNTEER_CENTRE_ADMINS,
    ),
    (
        "change a council colleague's role",
        "post",
        lambda o: reverse("oversight:person_role", args=[o["cohesion_staff"].pk]),
        lambda o: {"role": User.Role.PLAN_MANAGER},
        dict(
            provider=404,
            provider2=404,
            officer=403,
            equality=403,
            admin=302,
            counciladmin=302,
            leicester=404,
        ),
    ),
]


# API tokens: an organisation's administrator (Kettering's `counciladmin`, each provider's
# `provider` and `provider2`) makes and revokes its own organisation's tokens and finds no other's
# (404); everyone else, a superuser too, is refused the pages (403).
TOKEN_MAKERS = dict(
    provider=200, provider2=200, officer=403, equality=403, admin=403, counciladmin=200
)


def _api_token_form(o) -> dict:
    expires = timezone.localdate() + dt.timedelta(days=30)
    return {
        "name": f"Reporting {uuid.uuid4().hex[:8]}",
        "scopes": ["grants"],
        "expires_on_day": str(expires.day),
        "expires_on_month": str(expires.month),
        "expires_on_year": str(expires.year),
        "once": str(uuid.uuid4()),
    }


CASES += [
    ("api tokens", "get", lambda o: reverse("oversight:api_tokens"), None, TOKEN_MAKERS),
    (
        "api token: the form",
        "get",
        lambda o: reverse("oversight:api_token_new"),
        None,
        TOKEN_MAKERS,
    ),
    (
        "api token: make one",
        "post",
        lambda o: reverse("oversight:api_token_new"),
        _api_token_form,
        TOKEN_MAKERS,
    ),
    (
        "api token of Kettering's: revoke, the page",
        "get",
        lambda o: reverse("oversight:api_token_revoke", args=[o["kbc_api_token"].pk]),
        None,
        dict(provider=404, provider2=404, officer=403, equality=403, admin=403, counciladmin=200),
    ),
    (
        "api token of Kettering's: revoke",
        "post",
        lambda o: reverse("oversight:api_token_revoke", args=[o["kbc_api_token"].pk]),
        lambda o: {},
        dict(provider=404, provider2=404, officer=403, equality=403, admin=403, counciladmin=302),
    ),
    (
        "api token of a provider's: revoke, the page",
        "get",
        lambda o: reverse("oversight:api_token_revoke", args=[o["provider_api_token"].pk]),
        None,
        dict(provider=200, provider2=404, officer=403, equality=403, admin=403, counciladmin=404),
    ),
    (
        "api token of a provider's: revoke",
        "post",
        lambda o: reverse("oversight:api_token_revoke", args=[o["provider_api_token"].pk]),
        lambda o: {},
        dict(provider=302, provider2=404, officer=403, equality=403, admin=403, counciladmin=404),
    ),
]

# The same provider's agreement with Leicester: the provider and Leicester read and act on it;
# Kettering does not learn it exists.
LEICESTERS = dict(provider=200, provider2=404, officer=404, equality=404, admin=200, leicester=200)
LEICESTER_ACTS = dict(
    provider=403, provider2=404, officer=404, equality=404, admin=403, leicester=302
)
CASES += [
    (
        "Leicester's agreement with the same provider",
        "get",
        lambda o: reverse("grants:agreement_detail", args=[o["lcc_agreement"].pk]),
        None,
        LEICESTERS,
    ),
    (
        "Leicester's submitted return",
        "get",
        lambda o: reverse("grants:return_detail", args=[o["lcc_submitted"].pk]),
        None,
        LEICESTERS,
    ),
    (
        "Leicester's return's earlier submission",
        "get",
        lambda o: reverse("grants:return_submission", args=[o["lcc_submitted"].pk, 1]),
        None,
        LEICESTERS,
    ),
    (
        "Leicester's return PDF",
        "get",
        lambda o: reverse("grants:return_pdf", args=[o["lcc_submitted"].pk]),
        None,
        LEICESTERS,
    ),
    (
        "Leicester's agreement year PDF",
        "get",
        lambda o: reverse(
            "grants:agreement_year_pdf",
            args=[o["lcc_agreement"].pk, o["lcc_submitted"].period.financial_year],
        ),
        None,
        LEICESTERS,
    ),
    (
        "decide Leicester's return",
        "post",
        lambda o: reverse("grants:decide_return", args=[o["lcc_submitted"].pk]),
        lambda o: {"version": o["lcc_submitted"].version, "decision": "approve"},
        LEICESTER_ACTS,
    ),
    (
        "start a return on Leicester's agreement",
        "post",
        lambda o: reverse("grants:start_return", args=[o["lcc_agreement"].pk, o["period"].pk]),
        lambda o: {},
        dict(provider=302, provider2=404, officer=404, equality=404, admin=403, leicester=403),
    ),
    (
        "record a meeting on Leicester's agreement",
        "get",
        lambda o: reverse("grants:record_meeting", args=[o["lcc_agreement"].pk]),
        None,
        dict(provider=403, provider2=404, officer=404, equality=404, admin=403, leicester=200),
    ),
    (
        "release Leicester's instalment: the page",
        "get",
        lambda o: reverse(
            "grants:release_instalment", args=[o["lcc_agreement"].pk, o["lcc_instalment"].pk]
        ),
        None,
        dict(provider=403, provider2=404, officer=404, equality=404, admin=403, leicester=200),
    ),
    (
        "withhold Leicester's instalment: the page",
        "get",
        lambda o: reverse(
            "grants:withhold_instalment", args=[o["lcc_agreement"].pk, o["lcc_instalment"].pk]
        ),
        None,
        dict(provider=403, provider2=404, officer=404, equality=404, admin=403, leicester=200),
    ),
    (
        "publish Leicester's agreement",
        "post",
        lambda o: reverse("grants:publish_agreement", args=[o["lcc_agreement"].pk]),
        lambda o: {"published": "0"},
        LEICESTER_ACTS,
    ),
    (
        "copy Leicester's agreement",
        "get",
        lambda o: reverse("grants:set_up_agreement") + f"?copy={o['lcc_agreement'].pk}",
        None,
        dict(provider=403, provider2=403, officer=404, equality=403, admin=200, leicester=200),
    ),
    (
        "Leicester's equality information report",
        "get",
        lambda o: reverse("oversight:equality_report", args=[o["lcc"].pk]),
        None,
        dict(provider=403, provider2=403, officer=404, equality=404, admin=200, leicester=200),
    ),
    (
        "the provider both councils fund, its diversity",
        "get",
        lambda o: reverse("grants:provider_diversity", args=[o["cohesion_user"].organisation_id]),
        None,
        dict(provider=200, provider2=404, officer=200, equality=404, admin=200, leicester=200),
    ),
]


# Who the grants reach: every council's staff read their own council's; a superuser any
# council's. The area's population is recorded by the council's administrator.
COUNCIL_STAFF = dict(provider=403, provider2=403, officer=200, equality=200, admin=200)
CASES += [
    ("who the grants reach", "get", lambda o: reverse("oversight:reach"), None, COUNCIL_STAFF),
    (
        "who the grants reach, a year, quarter and fund",
        "get",
        lambda o: reverse("oversight:reach") + f"?year=2025&quarter=2&fund={o['kbc_fund'].pk}",
        None,
        COUNCIL_STAFF,
    ),
    (
        "who the grants reach, another council asked for",
        "get",
        lambda o: reverse("oversight:reach") + f"?council={o['lcc'].pk}",
        None,
        COUNCIL_STAFF,
    ),
    (
        "who the grants reach as CSV",
        "get",
        lambda o: reverse("oversight:reach_export", args=["csv"]),
        None,
        COUNCIL_STAFF,
    ),
    (
        "who the grants reach as Excel",
        "get",
        lambda o: reverse("oversight:reach_export", args=["xlsx"]),
        None,
        COUNCIL_STAFF,
    ),
    (
        "the council's area's population",
        "get",
        lambda o: reverse("equality_plans:population_profile", args=[o["kbc"].pk]),
        None,
        ADMINS_ONLY,
    ),
    (
        "another council's area's population",
        "get",
        lambda o: reverse("equality_plans:population_profile", args=[o["bdc"].pk]),
        None,
        dict(provider=403, provider2=403, officer=403, equality=403, admin=200, counciladmin=404),
    ),
    (
        "record the council's area's population",
        "post",
        lambda o: reverse("equality_plans:population_profile", args=[o["kbc"].pk]),
        lambda o: {
            "area": "Kettering Borough",
            "source": "2021 Census",
            "year": "2021",
            "under_reach_tolerance": "5",
            "share-sex-female": "51",
            "share-sex-male": "49",
        },
        dict(provider=403, provider2=403, officer=403, equality=403, admin=302, counciladmin=302),
    ),
]


# One search box for everyone signed in: what each person finds is their own organisation's, as
# tests/access/test_search_scope.py checks for every role.
EVERYONE = dict(provider=200, provider2=200, officer=200, equality=200, admin=200)
CASES += [
    ("search", "get", lambda o: reverse("oversight:search"), None, EVERYONE),
    (
        "search for Kettering's agreement",
        "get",
        lambda o: reverse("oversight:search") + "?q=KBC-CCE-01",
        None,
        EVERYONE,
    ),
    (
        "search for Leicester's agreement",
        "get",
        lambda o: reverse("oversight:search") + f"?q={o['lcc_agreement'].reference}",
        None,
        EVERYONE,
    ),
    (
        "search for words every kind holds",
        "get",
        lambda o: reverse("oversight:search") + "?q=community+cohesion",
        None,
        EVERYONE,
    ),
    (
        "search for more than 200 characters",
        "get",
        lambda o: reverse("oversight:search") + "?q=" + "a" * 201,
        None,
        EVERYONE,
    ),
]


# The conversation: as the agreement or the return it is about. Its two parties write; a
# superuser, who reads everything, writes nothing (403).
AS_KBC_COHESION = dict(
    provider=200, provider2=404, officer=200, equality=404, admin=200, leicester=404
)
AS_KBC_VOLUNTEERING = dict(
    provider=404, provider2=200, officer=200, equality=404, admin=200, leicester=404
)
AS_LCC = dict(
    provider=200,
    provider2=404,
    officer=404,
    equality=404,
    admin=200,
    counciladmin=404,
    leicester=200,
)
CASES += [
    (
        "the agreement's messages",
        "get",
        lambda o: reverse("grants:agreement_messages", args=[o["agreement"].pk]),
        None,
        AS_KBC_COHESION,
    ),
    (
        "send a message about the agreement",
        "post",
        lambda o: reverse("grants:agreement_messages", args=[o["agreement"].pk]),
        lambda o: {"agreement-body": "Hello", "agreement-once": str(uuid.uuid4())},
        dict(provider=302, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        "Leicester's agreement's messages",
        "get",
        lambda o: reverse("grants:agreement_messages", args=[o["lcc_agreement"].pk]),
        None,
        AS_LCC,
    ),
    (
        "the return's messages",
        "get",
        lambda o: reverse("grants:return_messages", args=[o["submitted"].pk]),
        None,
        AS_KBC_COHESION,
    ),
    (
        "send a message about the return",
        "post",
        lambda o: reverse("grants:return_messages", args=[o["submitted"].pk]),
        lambda o: {"return-body": "Hello", "return-once": str(uuid.uuid4())},
        dict(provider=302, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        "a flagged answer's thread",
        "get",
        lambda o: reverse("grants:flag_thread", args=[o["flag"].quarterly_return_id, o["flag"].pk]),
        None,
        AS_KBC_VOLUNTEERING,
    ),
    (
        "a flag asked for through another return",
        "get",
        lambda o: reverse("grants:flag_thread", args=[o["submitted"].pk, o["flag"].pk]),
        None,
        dict(provider=404, provider2=404, officer=404, equality=404, admin=404),
    ),
    (
        "reply to a flag",
        "post",
        lambda o: reverse("grants:flag_thread", args=[o["flag"].quarterly_return_id, o["flag"].pk]),
        lambda o: {
            f"flag-{o['flag'].pk}-body": "Reply",
            f"flag-{o['flag'].pk}-once": str(uuid.uuid4()),
        },
        dict(provider=404, provider2=302, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        "resolve a flag",
        "post",
        lambda o: reverse(
            "grants:flag_resolve", args=[o["flag"].quarterly_return_id, o["flag"].pk]
        ),
        lambda o: {f"flag-{o['flag'].pk}-once": str(uuid.uuid4())},
        dict(provider=404, provider2=403, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        "a file sent about the agreement",
        "get",
        lambda o: reverse("grants:message_attachment", args=[o["agreement_file"].pk]),
        None,
        AS_KBC_COHESION,
    ),
    (
        "a file sent about a return",
        "get",
        lambda o: reverse("grants:message_attachment", args=[o["return_file"].pk]),
        None,
        AS_KBC_COHESION,
    ),
    (
        "a file Leicester sent about its agreement",
        "get",
        lambda o: reverse("grants:message_attachment", args=[o["lcc_file"].pk]),
        None,
        AS_LCC,
    ),
]


# Everyone signed in has an inbox and chooses their own e-mails; a notification is opened only by
# the person it is for: anyone else, of whatever organisation or role, does not learn it exists.
NOBODY_BUT = dict.fromkeys(ROLES[1:], 404)
CASES += [
    ("inbox", "get", lambda o: reverse("oversight:inbox"), None, EVERYONE),
    ("inbox, second page", "get", lambda o: reverse("oversight:inbox") + "?page=2", None, EVERYONE),
    (
        "the provider's notification, opened",
        "get",
        lambda o: reverse("oversight:inbox_open", args=[o["provider_notification"].pk]),
        None,
        NOBODY_BUT | {"provider": 302},
    ),
    (
        "the officer's notification, opened",
        "get",
        lambda o: reverse("oversight:inbox_open", args=[o["officer_notification"].pk]),
        None,
        NOBODY_BUT | {"officer": 302},
    ),
    (
        "mark all as read",
        "post",
        lambda o: reverse("oversight:inbox_mark_all_read"),
        lambda o: {},
        dict.fromkeys(ROLES[1:], 302),
    ),
    ("e-mails about the inbox", "get", lambda o: reverse("account_emails"), None, EVERYONE),
    (
        "choose a daily e-mail about the inbox",
        "post",
        lambda o: reverse("account_emails"),
        lambda o: {"email_choice": "daily_digest"},
        dict.fromkeys(ROLES[1:], 302),
    ),
]


def _agreement_as_it_is(agreement) -> dict:
    """The Edit agreement page's form as it opens, sent unchanged."""
    agreement = Agreement.objects.get(pk=agreement.pk)
    parts = agreement_for_editing(agreement)
    form = AgreementEditForm(
        agreement=agreement,
        indicators=[i for i in parts["indicators"] if i.editable],
        instalments=[i for i in parts["instalments"] if i.editable],
    )
    sent = {}
    for name in form.fields:
        value = form[name].value()
        value = getattr(value, "pk", value)
        sent[name] = "" if value is None else getattr(value, "isoformat", lambda v=value: v)()
    return sent


# Changing an agreement is its funder's lead officers' (administrators among them); its provider
# reads it but is refused, and nobody else learns it exists.
CASES += [
    (
        "edit an agreement: the page",
        "get",
        lambda o: reverse("grants:edit_agreement", args=[o["agreement"].pk]),
        None,
        dict(provider=403, provider2=404, officer=200, equality=404, admin=403, leicester=404),
    ),
    (
        "edit an agreement",
        "post",
        lambda o: reverse("grants:edit_agreement", args=[o["agreement"].pk]),
        lambda o: _agreement_as_it_is(o["agreement"]),
        dict(provider=403, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        "an agreement's budget: the page",
        "get",
        lambda o: reverse("grants:agreement_budget", args=[o["agreement"].pk]),
        None,
        dict(provider=403, provider2=404, officer=200, equality=404, admin=403, leicester=404),
    ),
    (
        "set an agreement's budget",
        "post",
        lambda o: reverse("grants:agreement_budget", args=[o["agreement"].pk]),
        lambda o: _budget_as_it_is(o["agreement"]),
        dict(provider=403, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        "Leicester's agreement's budget: the page",
        "get",
        lambda o: reverse("grants:agreement_budget", args=[o["lcc_agreement"].pk]),
        None,
        dict(provider=403, provider2=404, officer=404, equality=404, admin=403, leicester=200),
    ),
    (
        "edit Leicester's agreement: the page",
        "get",
        lambda o: reverse("grants:edit_agreement", args=[o["lcc_agreement"].pk]),
        None,
        dict(provider=403, provider2=404, officer=404, equality=404, admin=403, leicester=200),
    ),
    (
        "edit Leicester's agreement",
        "post",
        lambda o: reverse("grants:edit_agreement", args=[o["lcc_agreement"].pk]),
        lambda o: _agreement_as_it_is(o["lcc_agreement"]),
        LEICESTER_ACTS,
    ),
]


# Variations: a council's drafts are its own until approved; the four-eyes step is a second
# person's (Kettering's administrator, never the lead officer who drafted it); accepting is the
# provider's. A superuser reads every variation and takes no step (403).
VARIATION_FORM = {
    "request": "A year longer, please.",
    "reason": "",
    "instalments-TOTAL_FORMS": "0",
    "instalments-INITIAL_FORMS": "0",
    "targets-TOTAL_FORMS": "0",
    "targets-INITIAL_FORMS": "0",
    "new-TOTAL_FORMS": "0",
    "new-INITIAL_FORMS": "0",
    "budget-TOTAL_FORMS": "0",
    "budget-INITIAL_FORMS": "0",
}
CASES += [
    (
        "draft or ask for a variation",
        "get",
        lambda o: reverse("grants:new_variation", args=[o["agreement"].pk]),
        None,
        dict(provider=200, provider2=404, officer=200, equality=404, admin=403, leicester=404),
    ),
    (
        "send a variation's draft or request",
        "post",
        lambda o: reverse("grants:new_variation", args=[o["agreement"].pk]),
        lambda o: VARIATION_FORM | {"once": str(uuid.uuid4())},
        dict(provider=302, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        "Kettering's variation awaiting approval",
        "get",
        lambda o: reverse("grants:variation_detail", args=[o["kbc_variation"].pk]),
        None,
        dict(provider=404, provider2=404, officer=200, equality=404, admin=200, leicester=404),
    ),
    (
        "approve Kettering's variation",
        "post",
        lambda o: reverse("grants:variation_step", args=[o["kbc_variation"].pk, "approve"]),
        lambda o: {"approve-version": o["kbc_variation"].version},
        dict(
            provider=404,
            provider2=404,
            officer=403,
            counciladmin=302,
            equality=404,
            admin=403,
            leicester=404,
        ),
    ),
    (
        "change Kettering's draft variation",
        "get",
        lambda o: reverse("grants:edit_variation", args=[o["kbc_variation_draft"].pk]),
        None,
        dict(provider=404, provider2=404, officer=200, equality=404, admin=403, leicester=404),
    ),
    (
        "save Kettering's draft variation",
        "post",
        lambda o: reverse("grants:edit_variation", args=[o["kbc_variation_draft"].pk]),
        lambda o: VARIATION_FORM | {"version": o["kbc_variation_draft"].version},
        dict(provider=404, provider2=404, officer=302, equality=404, admin=403, leicester=404),
    ),
    (
        "Leicester's variation awaiting acceptance",
        "get",
        lambda o: reverse("grants:variation_detail", args=[o["lcc_variation"].pk]),
        None,
        AS_LCC,
    ),
    (
        "accept Leicester's variation",
        "post",
        lambda o: reverse("grants:variation_step", args=[o["lcc_variation"].pk, "accept"]),
        lambda o: {"accept-version": o["lcc_variation"].version},
        dict(
            provider=302,
            provider2=404,
            officer=404,
            equality=404,
            admin=403,
            counciladmin=404,
            leicester=403,
        ),
    ),
    (
        "a step no variation has",
        "post",
        lambda o: reverse("grants:variation_step", args=[o["lcc_variation"].pk, "delete"]),
        lambda o: {},
        dict.fromkeys(ROLES[1:], 404),
    ),
    (
        "Leicester's variation letter",
        "get",
        lambda o: reverse("grants:variation_letter", args=[o["lcc_variation"].pk]),
        None,
        AS_LCC,
    ),
    (
        "the versions of an agreement's terms",
        "get",
        lambda o: reverse("grants:agreement_terms", args=[o["agreement"].pk]),
        None,
        AS_KBC_COHESION,
    ),
]


# Payments: a council's finance officers authorise releases and run payments; its administrators
# read the page and set the columns of its files; nobody else opens them.
NOT_FINANCE = dict.fromkeys(ROLES[1:], 403)
FINANCE_READS = NOT_FINANCE | {"finance": 200, "counciladmin": 200}
CASES += [
    ("payments page", "get", lambda o: reverse("grants:finance_payments"), None, FINANCE_READS),
    (
        "a payment waiting for sign-off",
        "get",
        lambda o: reverse("grants:instalment_signoff", args=[o["awaiting_signoff"].pk]),
        None,
        FINANCE_READS,
    ),
    (
        "reject a payment without a reason",
        "post",
        lambda o: reverse("grants:instalment_signoff", args=[o["awaiting_signoff"].pk]),
        lambda o: {"step": "reject", "reject-status": "release_requested", "reject-reason": ""},
        NOT_FINANCE | {"finance": 200},
    ),
    (
        "a step no sign-off has",
        "post",
        lambda o: reverse("grants:instalment_signoff", args=[o["awaiting_signoff"].pk]),
        lambda o: {"step": "release"},
        NOT_FINANCE | {"finance": 404, "counciladmin": 404},
    ),
    (
        "authorise a payment",
        "post",
        lambda o: reverse("grants:instalment_signoff", args=[o["awaiting_signoff"].pk]),
        lambda o: {"step": "authorise", "authorise-status": "release_requested"},
        NOT_FINANCE | {"finance": 302},
    ),
    (
        "Leicester's payment waiting for sign-off",
        "get",
        lambda o: reverse("grants:instalment_signoff", args=[o["lcc_awaiting_signoff"].pk]),
        None,
        NOT_FINANCE | {"finance": 404, "counciladmin": 404},
    ),
    (
        "authorise Leicester's payment",
        "post",
        lambda o: reverse("grants:instalment_signoff", args=[o["lcc_awaiting_signoff"].pk]),
        lambda o: {"step": "authorise", "authorise-status": "release_requested"},
        NOT_FINANCE | {"finance": 404, "counciladmin": 404},
    ),
    (
        # Everything authorised is in the run already: the finance officer is told so.
        "export a payment run",
        "post",
        lambda o: reverse("grants:create_payment_run"),
        lambda o: {},
        NOT_FINANCE | {"finance": 302},
    ),
    (
        "a payment run",
        "get",
        lambda o: reverse("grants:payment_run", args=[o["payment_run"].pk]),
        None,
        FINANCE_READS,
    ),
    (
        "a payment run's file",
        "get",
        lambda o: reverse("grants:payment_run_file", args=[o["payment_run"].pk, "csv"]),
        None,
        FINANCE_READS,
    ),
    (
        "a payment run's workbook",
        "get",
        lambda o: reverse("grants:payment_run_file", args=[o["payment_run"].pk, "xlsx"]),
        None,
        FINANCE_READS,
    ),
    (
        "a payment run's file in a format there is none of",
        "get",
        lambda o: reverse("grants:payment_run_file", args=[o["payment_run"].pk, "pdf"]),
        None,
        NOT_FINANCE | {"finance": 404, "counciladmin": 404},
    ),
    (
        "mark a run paid without a date",
        "post",
        lambda o: reverse("grants:mark_run_paid", args=[o["payment_run"].pk]),
        lambda o: {"paid-status": "exported"},
        NOT_FINANCE | {"finance": 200},
    ),
    (
        "reverse a run without a reason",
        "post",
        lambda o: reverse("grants:reverse_payment_run", args=[o["payment_run"].pk]),
        lambda o: {"reverse-status": "exported", "reverse-reason": ""},
        NOT_FINANCE | {"finance": 200},
    ),
    (
        "the columns of the payment files",
        "get",
        lambda o: reverse("grants:payment_columns"),
        None,
        NOT_FINANCE | {"counciladmin": 200},
    ),
    (
        "set the columns of the payment files",
        "post",
        lambda o: reverse("grants:payment_columns"),
        lambda o: {"amount_position": "1", "amount_heading": "Amount"},
        NOT_FINANCE | {"counciladmin": 302},
    ),
    (
        "the amount needing finance sign-off",
        "get",
        lambda o: reverse("grants:finance_signoff_threshold"),
        None,
        NOT_FINANCE | {"counciladmin": 200},
    ),
    (
        # Refused beside the field, so that the council's amount stays as the other cases use it.
        "set a negative amount needing finance sign-off",
        "post",
        lambda o: reverse("grants:finance_signoff_threshold"),
        lambda o: {"threshold": "-1", "shown": ""},
        NOT_FINANCE | {"counciladmin": 200},
    ),
]


def _fund_questions_data(o) -> dict:
    """The fund's questions page as it opens, sent back unchanged."""
    from grants.models import FundQuestion

    fund = o["kbc_fund"]
    questions = list(FundQuestion.objects.filter(fund=fund).order_by("order", "pk"))
    data = {
        "questions_version": services.questions_version(fund),
        "form-TOTAL_FORMS": str(len(questions)),
        "form-INITIAL_FORMS": str(len(questions)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for number, question in enumerate(questions):
        prefix = f"form-{number}-"
        data |= {
            f"{prefix}id": str(question.pk),
            f"{prefix}order": str(question.order),
            f"{prefix}wording": question.wording,
            f"{prefix}help_text": question.help_text,
            f"{prefix}kind": question.kind,
            f"{prefix}choices": question.choices,
        }
        if question.required:
            data[f"{prefix}required"] = "on"
    return data


# The questions a fund adds: its provider answers them in a return it may change; the fund's
# council sets them.
AS_INDICATOR_PAGE = dict(
    provider=200, provider2=404, officer=403, equality=404, admin=403, leicester=404
)
CASES += [
    (
        "questions from the fund",
        "get",
        lambda o: reverse("grants:question_answers", args=[o["draft"].pk]),
        None,
        AS_INDICATOR_PAGE,
    ),
    (
        "save the answers to the fund's questions",
        "post",
        lambda o: reverse("grants:question_answers", args=[o["draft"].pk]),
        lambda o: {
            "version": QuarterlyReturn.objects.get(pk=o["draft"].pk).version,
            "save_draft": "1",
        },
        dict(AS_INDICATOR_PAGE, provider=302),
    ),
    (
        "questions from the fund of a submitted return",
        "get",
        lambda o: reverse("grants:question_answers", args=[o["submitted"].pk]),
        None,
        dict(AS_INDICATOR_PAGE, provider=302),
    ),
    (
        "own council's fund questions",
        "get",
        lambda o: reverse("grants:fund_questions", args=[o["kbc_fund"].pk]),
        None,
        dict(OFFICERS_ONLY, leicester=404),
    ),
    (
        "save own council's fund questions",
        "post",
        lambda o: reverse("grants:fund_questions", args=[o["kbc_fund"].pk]),
        _fund_questions_data,
        dict(provider=403, provider2=403, officer=302, equality=403, admin=302, leicester=404),
    ),
    (
        "another council's fund questions",
        "get",
        lambda o: reverse("grants:fund_questions", args=[o["lcc_fund"].pk]),
        None,
        dict(leicester=200, provider=403, provider2=403, officer=404, equality=403, admin=200),
    ),
    (
        "export of the answers to a fund's questions",
        "get",
        lambda o: reverse("grants:fund_question_answers_export", args=[o["kbc_fund"].pk, "csv"]),
        None,
        dict(OFFICERS_ONLY, leicester=404),
    ),
]


# Equality impact assessments: a council's staff read its own (Kingston's draft, Leicester's
# published one); its writers (lead officers, plan managers, senior officers, administrators)
# change a draft; only a senior officer who did not write it signs off; everyone else finds
# nothing (404), and providers are refused (403).
CASES += [
    (
        "assessment list",
        "get",
        lambda o: reverse("equality_plans:assessment_list"),
        None,
        dict(provider=403, provider2=403, officer=200, equality=200, admin=200, finance=200),
    ),
    (
        "start an assessment: the page",
        "get",
        lambda o: reverse("equality_plans:assessment_start"),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=200,
            equality=403,
            admin=403,
            planmanager=200,
            senior=200,
            finance=403,
        ),
    ),
    (
        "start an assessment with nothing filled in",
        "post",
        lambda o: reverse("equality_plans:assessment_start"),
        lambda o: {},
        dict(
            provider=403,
            provider2=403,
            officer=200,
            equality=403,
            admin=403,
            planmanager=200,
            senior=200,
            finance=403,
        ),
    ),
    (
        "Kingston's assessment",
        "get",
        lambda o: reverse("equality_plans:assessment_detail", args=[o["rbk_eqia"].pk]),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=200,
            admin=200,
            cohesion=404,
            finance=404,
        ),
    ),
    (
        "Leicester's assessment",
        "get",
        lambda o: reverse("equality_plans:assessment_detail", args=[o["lcc_eqia"].pk]),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=404,
            admin=200,
            leicester=200,
            finance=404,
        ),
    ),
    (
        "Kingston's assessment's details: the page",
        "get",
        lambda o: reverse("equality_plans:assessment_details", args=[o["rbk_eqia"].pk]),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=200,
            cohesion=404,
            planmanager=200,
            senior=200,
            finance=404,
        ),
    ),
    (
        "Kingston's assessment's details, sent back empty",
        "post",
        lambda o: reverse("equality_plans:assessment_details", args=[o["rbk_eqia"].pk]),
        lambda o: _version(o, "rbk_eqia"),
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=200,
            cohesion=404,
            planmanager=200,
            senior=200,
            finance=404,
        ),
    ),
    (
        "Kingston's screening: the page",
        "get",
        lambda o: reverse("equality_plans:assessment_screening", args=[o["rbk_eqia"].pk]),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=200,
            cohesion=404,
            planmanager=200,
            senior=200,
            finance=404,
        ),
    ),
    (
        "Kingston's screening, sent back empty",
        "post",
        lambda o: reverse("equality_plans:assessment_screening", args=[o["rbk_eqia"].pk]),
        lambda o: _version(o, "rbk_eqia"),
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=200,
            cohesion=404,
            planmanager=200,
            senior=200,
            finance=404,
        ),
    ),
    (
        "Kingston's full assessment: the page",
        "get",
        lambda o: reverse("equality_plans:assessment_full", args=[o["rbk_eqia"].pk]),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=200,
            cohesion=404,
            planmanager=200,
            senior=200,
            finance=404,
        ),
    ),
    (
        "Kingston's full assessment, sent back empty",
        "post",
        lambda o: reverse("equality_plans:assessment_full", args=[o["rbk_eqia"].pk]),
        lambda o: _version(o, "rbk_eqia"),
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=200,
            cohesion=404,
            planmanager=200,
            senior=200,
            finance=404,
        ),
    ),
    (
        "Kingston's mitigations",
        "get",
        lambda o: reverse("equality_plans:assessment_mitigations", args=[o["rbk_eqia"].pk]),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=200,
            admin=200,
            cohesion=404,
            finance=404,
        ),
    ),
    (
        "add a mitigation to Kingston's assessment",
        "post",
        lambda o: reverse("equality_plans:assessment_mitigations", args=[o["rbk_eqia"].pk]),
        lambda o: {**_version(o, "rbk_eqia"), "group": "age", "wording": "Day centres stay open."},
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=302,
            cohesion=404,
            planmanager=302,
            senior=302,
            finance=404,
        ),
    ),
    (
        "remove Kingston's mitigation",
        "post",
        lambda o: reverse(
            "equality_plans:mitigation_remove", args=[o["rbk_eqia"].pk, o["rbk_mitigation"].pk]
        ),
        lambda o: _version(o, "rbk_eqia"),
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=302,
            cohesion=404,
            planmanager=302,
            senior=302,
            finance=404,
        ),
    ),
    (
        "a Kingston mitigation as an action: the page",
        "get",
        lambda o: reverse(
            "equality_plans:mitigation_action", args=[o["rbk_eqia"].pk, o["rbk_mitigation"].pk]
        ),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=200,
            cohesion=404,
            planmanager=200,
            senior=200,
            finance=404,
        ),
    ),
    (
        "a Leicester mitigation as an action: the page",
        "get",
        lambda o: reverse(
            "equality_plans:mitigation_action", args=[o["lcc_eqia"].pk, o["lcc_open_mitigation"].pk]
        ),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=404,
            admin=200,
            leicester=200,
            finance=404,
        ),
    ),
    (
        "a mitigation through another assessment",
        "get",
        lambda o: reverse(
            "equality_plans:mitigation_action", args=[o["rbk_eqia"].pk, o["lcc_open_mitigation"].pk]
        ),
        None,
        dict(provider=403, provider2=403, officer=404, equality=404, admin=404, finance=404),
    ),
    (
        "Kingston's assessment's evidence",
        "get",
        lambda o: reverse("equality_plans:assessment_evidence", args=[o["rbk_eqia"].pk]),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=200,
            admin=200,
            cohesion=404,
            finance=404,
        ),
    ),
    (
        "download Kingston's assessment evidence",
        "get",
        lambda o: reverse(
            "equality_plans:assessment_evidence_download",
            args=[o["rbk_eqia"].pk, o["rbk_evidence"].pk],
        ),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=200,
            admin=200,
            cohesion=404,
            finance=404,
        ),
    ),
    (
        "remove Kingston's assessment evidence",
        "post",
        lambda o: reverse(
            "equality_plans:assessment_evidence_remove",
            args=[o["rbk_eqia"].pk, o["rbk_evidence"].pk],
        ),
        lambda o: _version(o, "rbk_eqia"),
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=302,
            cohesion=404,
            planmanager=302,
            senior=302,
            finance=404,
        ),
    ),
    (
        "send Kingston's unfinished assessment for sign-off",
        "post",
        lambda o: reverse("equality_plans:assessment_submit", args=[o["rbk_eqia"].pk]),
        lambda o: _version(o, "rbk_eqia"),
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=302,
            cohesion=404,
            planmanager=302,
            senior=302,
            finance=404,
        ),
    ),
    (
        "sign off Kingston's draft: the page",
        "get",
        lambda o: reverse("equality_plans:assessment_signoff", args=[o["rbk_eqia"].pk]),
        None,
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=403,
            cohesion=404,
            senior=302,
            finance=404,
        ),
    ),
    (
        "sign off Kingston's draft",
        "post",
        lambda o: reverse("equality_plans:assessment_signoff", args=[o["rbk_eqia"].pk]),
        lambda o: {**_version(o, "rbk_eqia"), "decision": "sign_off"},
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=403,
            admin=403,
            cohesion=404,
            senior=302,
            finance=404,
        ),
    ),
    (
        "publish Leicester's published assessment again",
        "post",
        lambda o: reverse("equality_plans:assessment_publish", args=[o["lcc_eqia"].pk]),
        lambda o: _version(o, "lcc_eqia"),
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=404,
            admin=302,
            leicester=302,
            finance=404,
        ),
    ),
    (
        "review Leicester's assessment",
        "post",
        lambda o: reverse("equality_plans:assessment_review", args=[o["lcc_eqia"].pk]),
        lambda o: _version(o, "lcc_eqia"),
        dict(
            provider=403,
            provider2=403,
            officer=404,
            equality=404,
            admin=302,
            leicester=302,
            finance=404,
        ),
    ),
    (
        "Kingston's assessment as a PDF",
        "get",
        lambda o: reverse("equality_plans:assessment_pdf", args=[o["rbk_eqia"].pk]),
        None,
        dict(
            provider=404,
            provider2=404,
            officer=404,
            equality=200,
            admin=200,
            cohesion=404,
            finance=404,
        ),
    ),
    (
        "Leicester's assessment as a PDF",
        "get",
        lambda o: reverse("equality_plans:assessment_pdf", args=[o["lcc_eqia"].pk]),
        None,
        dict(
            provider=404,
            provider2=404,
            officer=404,
            equality=404,
            admin=200,
            leicester=200,
            finance=404,
        ),
    ),
]


# Webhooks: a council's administrators alone register, pause, test and delete its addresses.
ONLY_KBC_ADMIN = dict(provider=403, provider2=403, officer=403, equality=403, admin=403)
CASES += [
    (
        "webhooks",
        "get",
        lambda o: reverse("oversight:webhooks"),
        None,
        ONLY_KBC_ADMIN | {"counciladmin": 200},
    ),
    (
        "add a webhook: the page",
        "get",
        lambda o: reverse("oversight:webhook_add"),
        None,
        ONLY_KBC_ADMIN | {"counciladmin": 200},
    ),
    (
        "add a webhook that is not HTTPS",
        "post",
        lambda o: reverse("oversight:webhook_add"),
        lambda o: {"url": "http://finance.example.org/hooks", "events": ["return.submitted"]},
        ONLY_KBC_ADMIN | {"counciladmin": 200},
    ),
    (
        "Kettering's webhook",
        "get",
        lambda o: reverse("oversight:webhook_detail", args=[o["kbc_webhook"].pk]),
        None,
        ONLY_KBC_ADMIN | {"counciladmin": 200},
    ),
    (
        "pause Kettering's webhook",
        "post",
        lambda o: reverse("oversight:webhook_pause", args=[o["kbc_webhook"].pk]),
        lambda o: {},
        ONLY_KBC_ADMIN | {"counciladmin": 302},
    ),
    (
        "resume Kettering's webhook",
        "post",
        lambda o: reverse("oversight:webhook_resume", args=[o["kbc_webhook"].pk]),
        lambda o: {},
        ONLY_KBC_ADMIN | {"counciladmin": 302},
    ),
    (
        "send a test event to Kettering's webhook",
        "post",
        lambda o: reverse("oversight:webhook_test", args=[o["kbc_webhook"].pk]),
        lambda o: {},
        ONLY_KBC_ADMIN | {"counciladmin": 302},
    ),
    (
        "delete Kettering's webhook: the page",
        "get",
        lambda o: reverse("oversight:webhook_delete", args=[o["kbc_webhook"].pk]),
        None,
        ONLY_KBC_ADMIN | {"counciladmin": 200},
    ),
    (
        "delete Kettering's webhook",
        "post",
        lambda o: reverse("oversight:webhook_delete", args=[o["kbc_webhook"].pk]),
        lambda o: {},
        ONLY_KBC_ADMIN | {"counciladmin": 302},
    ),
]


# What Kettering's finance officer (`finance`) gets on the cases above, which name them only
# where they are new: they read their council's agreements, returns, variations and their
# conversations as its lead officers do, and act on none of them; they manage no people, no
# plans and no provider's page. Every other case refuses them (403).
FINANCE_OPENS = {
    "Kettering's equality information report",
    "Kettering's equality information report as a PDF",
    "Kettering's variation awaiting approval",
    "a file sent about a return",
    "a file sent about the agreement",
    "a flagged answer's thread",
    "agreement page",
    "agreement year PDF",
    "another council's plan that KBC's grants deliver",
    "download evidence",
    "draft return page",
    "e-mails about the inbox",
    "earlier submission page",
    "home",
    "import sample",
    "inbox",
    "inbox, second page",
    "plan list",
    "return PDF",
    "search",
    "search for Kettering's agreement",
    "search for Leicester's agreement",
    "search for more than 200 characters",
    "search for words every kind holds",
    "submitted return page",
    "the agreement's messages",
    "the return's messages",
    "the versions of an agreement's terms",
    "who the grants reach",
    "who the grants reach as CSV",
    "who the grants reach as Excel",
    "who the grants reach, a year, quarter and fund",
    "who the grants reach, another council asked for",
}
FINANCE_REDIRECTED = {
    "choose a daily e-mail about the inbox",
    "equality information reports",
    "mark all as read",
}
FINANCE_NOT_FOUND = {
    "Leicester's agreement's budget: the page",
    "added value and support in kind of a return whose agreement promises none",
    "spending of a return whose year has no budget",
    "Kingston's equality information report",
    "Kingston's equality information report as a PDF",
    "Leicester's agreement with the same provider",
    "Leicester's agreement year PDF",
    "Leicester's agreement's messages",
    "Leicester's equality information report",
    "Leicester's return PDF",
    "Leicester's return's earlier submission",
    "Leicester's submitted return",
    "Leicester's variation awaiting acceptance",
    "Leicester's variation letter",
    "a correction asked for through another return",
    "a council has no provider page",
    "a council is no provider with diversity answers",
    "a file Leicester sent about its agreement",
    "a flag asked for through another return",
    "a provider's diversity",
    "a step no variation has",
    "accept Leicester's variation",
    "action page",
    "an equality information report PDF of a year with nothing in it",
    "confirm import",
    "correct own progress update",
    "correct own progress update page",
    "decide Leicester's return",
    "edit Leicester's agreement",
    "edit Leicester's agreement: the page",
    "import history",
    "import page",
    "own council's plan",
    "people you worked with of a return that does not ask for them",
    "plan actions export",
    "plan progress PDF",
    "publish Leicester's agreement",
    "record a meeting on Leicester's agreement",
    "record progress on another's action",
    "record progress on own action",
    "release Leicester's instalment: the page",
    "start a return on Leicester's agreement",
    "strand coverage",
    "the officer's notification, opened",
    "the page of a provider both councils fund",
    "the page of a provider only Kettering funds",
    "the provider both councils fund, its diversity",
    "the provider's notification, opened",
    "undo an import",
    "what undoing an import does",
    "withhold Leicester's instalment: the page",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "url", "data", "expected"),
    [pytest.param(*case, id=case[0]) for case in CASES],
)
def test_access(demo_module, client, db, role, name, method, url, data, expected):
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))
    target = url(demo_module)
    response = client.get(target) if method == "get" else client.post(target, data(demo_module))

    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == _expected(expected, role, name), response.content[:400]


def _version(o: dict, key: str) -> dict:
    """The assessment's version as its page holds it, for a form posted to it."""
    o[key].refresh_from_db()
    return {"version": o[key].lock_version}


def _expected(expected: dict, role: str, name: str = "") -> int:
    """A council's administrator is one of its lead officers (`roles.is_lead_officer`) who also
    reads the council's audit log: where a case does not name them, they get what the officer
    gets. Kettering's equality officer (`cohesion`) holds the same role as Kingston's
    (`equality`), and Kingston's plan manager (`planmanager`) reads what `equality` reads: where
    a case does not name them, they get what `equality` gets. Leicester's lead officer
    (`leicester`) funds the same provider as Kettering: where a case does not name them, they
    get what Kettering's officer gets, which the cases of Kettering's own objects override.
    Kettering's finance officer (`finance`) gets what `FINANCE_OPENS`, `FINANCE_REDIRECTED` and
    `FINANCE_NOT_FOUND` say where a case does not name them, and is refused the rest. Kingston's
    senior officer (`senior`) is Kingston staff who owns no action: where a case does not name
    them, they get what `equality` gets."""
    if role == "finance" and role not in expected:
        if name in FINANCE_OPENS:
            return 200
        if name in FINANCE_REDIRECTED:
            return 302
        return 404 if name in FINANCE_NOT_FOUND else 403
    if role in ("counciladmin", "leicester") and role not in expected:
        return expected["officer"]
    if role in ("cohesion", "planmanager", "senior") and role not in expected:
        return expected["equality"]
    return expected[role]


def test_a_return_for_a_quarter_years_ahead_is_not_started(demo_module, client, db):
    ahead = demo_module["years_ahead"]
    client.force_login(User.objects.get(username="provider"))

    response = client.post(
        reverse("grants:start_return", args=[demo_module["agreement"].pk, ahead.pk]), follow=True
    )

    assert response.redirect_chain == [(reverse("grants:provider_dashboard"), 302)]
    assert f"The {ahead} return can be started once the quarter begins" in response.content.decode()
    assert not QuarterlyReturn.objects.filter(period=ahead).exists()


def test_evidence_is_served_as_an_attachment_with_its_content(demo_module, client, db):
    client.force_login(User.objects.get(username="provider"))

    response = client.get(
        reverse(
            "grants:evidence_download",
            args=[demo_module["draft"].pk, demo_module["evidence"].pk],
        )
    )

    assert response["Content-Disposition"].startswith('attachment; filename="groups.pdf"')
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_exports_hold_only_the_users_own_rows(demo_module, client, db):
    client.force_login(User.objects.get(username="provider2"))

    body = client.get(reverse("grants:indicator_results_export", args=["csv"])).content.decode()

    assert "KBC-VOL-01" in body
    assert "KBC-CCE-01" not in body


def test_a_plan_action_shows_what_the_funded_service_delivered(demo_module, client, db):
    client.force_login(User.objects.get(username="admin"))
    plan = ActionPlan.objects.get(title__startswith="Leicestershire")
    action = plan.actions.get(objective__number="2.6")

    html = client.get(
        reverse("equality_plans:action_detail", args=[plan.pk, action.pk])
    ).content.decode()

    assert "What the funded services delivered" in html
    assert "KBC-CCE-01" in html
    assert "Details of contributions towards countywide community tension work." in html
    assert "Green" in html


PUBLIC = [
    ("accessibility statement", lambda o: reverse("accessibility")),
    ("privacy notice", lambda o: reverse("privacy")),
    ("open data", lambda o: reverse("grants:open_data")),
    ("a council's open data", lambda o: reverse("grants:council_open_data", args=["KBC"])),
    ("360Giving JSON", lambda o: reverse("grants:threesixtygiving_json", args=["KBC"])),
    ("360Giving CSV", lambda o: reverse("grants:threesixtygiving_table", args=["KBC", "csv"])),
    (
        "Transparency Code register",
        lambda o: reverse(
            "grants:transparency_register",
            args=["KBC", financial_year_of(o["agreement"].award_date)],
        ),
    ),
    (
        "a council's published assessments",
        lambda o: reverse("equality_plans:public_assessments", args=["LCC"]),
    ),
    (
        "a published assessment",
        lambda o: reverse("equality_plans:public_assessment", args=["LCC", o["lcc_eqia"].number]),
    ),
    (
        "a published assessment as a PDF",
        lambda o: reverse(
            "equality_plans:public_assessment_pdf", args=["LCC", o["lcc_eqia"].number]
        ),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", [pytest.param(url, id=name) for name, url in PUBLIC])
def test_published_open_data_is_open_to_everyone(demo_module, client, db, role, url):
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))

    assert client.get(url(demo_module)).status_code == 200


UNPUBLISHED = [
    (
        "an assessment in draft",
        lambda o: reverse("equality_plans:public_assessment", args=["RBK", o["rbk_eqia"].number]),
    ),
    (
        "an assessment in draft as a PDF",
        lambda o: reverse(
            "equality_plans:public_assessment_pdf", args=["RBK", o["rbk_eqia"].number]
        ),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", [pytest.param(url, id=name) for name, url in UNPUBLISHED])
def test_an_unpublished_assessment_has_no_public_page(demo_module, client, db, role, url):
    """Not even its own council's staff find a draft at the public address."""
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))

    assert client.get(url(demo_module)).status_code == 404


SINGLE_SIGN_ON = single_sign_on(
    {
        "OIDC_SERVER_URL": "https://login.microsoftonline.com/council-tenant/v2.0",
        "OIDC_CLIENT_ID": "sla-monitor",
        "OIDC_CLIENT_SECRET": "client-secret",
    }
)
# The council's sign-in is for people not yet signed in: everyone reaches it, when it is set up.
# name, url, status when single sign-on is configured, status when it is not
SIGN_IN_PAGES = [
    (
        "single sign-on start",
        lambda: reverse("openid_connect_login", kwargs={"provider_id": "council"}),
        200,
        404,
    ),
    (
        "single sign-on callback without the provider's answer",
        lambda: reverse("openid_connect_callback", kwargs={"provider_id": "council"}),
        401,
        404,
    ),
    ("single sign-on stopped", lambda: reverse("socialaccount_login_cancelled"), 200, 200),
]

INVITATION_PAGES = [
    ("an invitation's link", lambda o: reverse("oversight:invitation_link", args=["not-a-token"])),
    ("choose a password", lambda o: reverse("oversight:invitation_accept")),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("configured", [True, False], ids=["configured", "not configured"])
@pytest.mark.parametrize(
    ("url", "when_configured", "otherwise"),
    [pytest.param(*case[1:], id=case[0]) for case in SIGN_IN_PAGES],
)
def test_single_sign_on_pages_are_open_to_everyone_when_configured(
    demo_module, client, db, settings, role, configured, url, when_configured, otherwise
):
    settings.SOCIALACCOUNT_PROVIDERS = SINGLE_SIGN_ON.providers if configured else {}
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))

    response = client.get(url())

    assert response.status_code == (when_configured if configured else otherwise)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", [pytest.param(url, id=name) for name, url in INVITATION_PAGES])
def test_invitation_pages_answer_everyone_with_a_clear_page(demo_module, client, db, role, url):
    """Whoever holds a link that does not work, signed in or not, is told so: never a sign-in
    page, a 404 or an error."""
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))

    response = client.get(url(demo_module))

    assert response.status_code == 200
    assert "This invitation link does not work" in response.content.decode()


@pytest.mark.parametrize("who", ["officer", "counciladmin"])
def test_an_agreement_sent_back_unchanged_is_saved(demo_module, client, db, who):
    agreement = demo_module["agreement"]
    client.force_login(User.objects.get(username=who))

    response = client.post(
        reverse("grants:edit_agreement", args=[agreement.pk]), _agreement_as_it_is(agreement)
    )

    assert response.url == reverse("grants:agreement_detail", args=[agreement.pk])


API_LISTS = [
    "funds",
    "agreements",
    "returns",
    "instalments",
    "payment-runs",
    "variations",
    "plans",
    "actions",
    "progress",
    "assessments",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", API_LISTS)
def test_the_api_opens_to_a_token_never_to_a_session(demo_module, client, db, role, endpoint):
    """Signed in to the pages or not, nobody reads the API without a token: a session's cookie
    sent by a page of another site opens nothing."""
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))

    response = client.get(f"/api/v1/{endpoint}/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
