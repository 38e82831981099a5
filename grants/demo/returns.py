"""The demo's returns, made through the services: a history of approved quarters, one awaiting
review, one sent back and one overdue."""

import datetime as dt
import uuid
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from grants import selectors, services, stored
from grants.demo.beneficiaries import demo_people
from grants.demo.budgets import demo_spend
from grants.demo.questions import answer_questions
from grants.demo.support import demo_support
from grants.models import (
    Agreement,
    AnswerFlag,
    Message,
    QuarterlyReturn,
    ReportingPeriod,
    ReturnTransition,
)
from sla_monitor.models import Notification, User

COHESION_NARRATIVE = {
    "a": "Supported {n} neighbourhood activities bringing together residents of different "
    "cultural backgrounds, including a shared lunch and a youth football tournament.",
    "d": "Handled {n} complainant aid and immigration cases; ran an awareness session on rights "
    "across the protected characteristics at the library.",
    "e": "Attended the countywide community tension monitoring group and shared {n} reports.",
}
COHESION_VALUES = {  # quarter -> (events b, groups c, milestone f, funding % g)
    1: (1, 5, False, 70),
    2: (1, 4, True, 76),
    3: (0, 3, True, 80),
    4: (1, 6, True, 78),
}
VOLUNTEERING_VALUES = {  # quarter -> (placed a, groups trained b, retained % c, accredited d)
    1: (17, 3, 72, False),
    2: (14, 2, 68, False),
    3: (16, 4, 71, True),
    4: (19, 3, 74, True),
}


LEICESTER_VALUES = {1: (12, 1), 2: (9, 1), 3: (14, 2), 4: (11, 1)}  # reports a, events b
LEICESTER_NARRATIVE = (
    "Took {n} reports from the Highfields and Belgrave drop-ins; shared the tension picture with "
    "the city's community safety partnership."
)


def load_returns(agreements: list[Agreement], users: dict[str, User], today: dt.date) -> None:
    """Give the demo agreements a realistic history of returns, through the services."""
    if users.get("officer") is None:
        return
    # The quarterly agreements: the annual small grant's one return is not yet due.
    cohesion, volunteering, reporting_centre = agreements[:3]
    for agreement, provider, plan in [
        (cohesion, users["provider"], _cohesion_plan),
        (volunteering, users["provider2"], _volunteering_plan),
        (reporting_centre, users["provider"], _cohesion_plan),
    ]:
        officer = agreement.lead_officer
        past = [
            p
            for p in ReportingPeriod.objects.filter(
                start_date__gte=agreement.start_date,
                end_date__lte=agreement.end_date,
                due_date__lt=today,
            ).order_by("financial_year", "quarter")
        ]
        for index, period in enumerate(past):
            if QuarterlyReturn.objects.filter(agreement=agreement, period=period).exists():
                continue
            outcome = plan(index, len(past))
            _demo_return(agreement, period, provider, officer, outcome)


def _cohesion_plan(index: int, count: int) -> str:
    return "submitted" if index == count - 1 else "approved"


def _volunteering_plan(index: int, count: int) -> str:
    if index == count - 1:
        return "draft"
    return "changes_requested" if index == count - 2 else "approved"


def _demo_return(agreement, period, provider, officer, outcome: str) -> None:
    quarterly_return = services.start_return(agreement=agreement, period=period, by=provider)
    for row in selectors.return_detail(quarterly_return).rows_to_answer:
        indicator = row.indicator
        values = _demo_answer(agreement, indicator, period.quarter)
        if outcome == "draft" and indicator.order > 2:
            break
        services.save_indicator_answer(
            quarterly_return=quarterly_return,
            indicator=indicator,
            by=provider,
            expected_version=None,
            **values,
        )
    if outcome == "draft":
        return
    if agreement.requires_beneficiary_figures:
        services.save_beneficiary_figures(
            quarterly_return=quarterly_return,
            by=provider,
            expected_version=None,
            **demo_people(period),
        )
    services.save_requirement_answers(
        quarterly_return=quarterly_return,
        by=provider,
        expected_version=None,
        answers={
            r.pk: (True, "Met as described in the quarterly report.")
            for r in agreement.requirements.all()
        },
    )
    answer_questions(quarterly_return, provider, period.quarter)
    if agreement.added_values.exists() or agreement.in_kind_contributions.exists():
        services.save_support_answers(
            quarterly_return=quarterly_return,
            by=provider,
            expected_version=None,
            **demo_support(agreement, period),
        )
    if spend := demo_spend(quarterly_return):
        services.save_spend_answers(
            quarterly_return=quarterly_return, by=provider, expected_version=None, answers=spend
        )
    services.submit_return(quarterly_return=quarterly_return, by=provider)
    _backdate(quarterly_return, "submitted", period.due_date - dt.timedelta(days=3))
    if outcome == "approved":
        services.approve_return(
            quarterly_return=quarterly_return, by=officer, comment="Thank you, a clear return."
        )
    elif outcome == "changes_requested":
        first = agreement.indicators.first()
        services.request_changes(
            quarterly_return=quarterly_return,
            by=officer,
            comment="Please check the number of volunteers placed against your records.",
            flags={f"indicator:{first.pk}": "This looks lower than the volunteer log shows."},
        )
        services.send_message(
            by=provider,
            body=(
                "The log counts everyone who signed up, placed or not. We placed the number "
                "given; the others are still waiting for their checks."
            ),
            token=uuid.uuid4(),
            flag=quarterly_return.flags.get(),
        )
    if outcome in ("approved", "changes_requested"):
        _backdate(quarterly_return, outcome, period.due_date + dt.timedelta(days=9))


def _backdate(quarterly_return, status: str, day: dt.date) -> None:
    """Give the demo's history the dates it would have had: submitted a few days before the
    due date, decided a week or so after it."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))
    ReturnTransition.objects.filter(quarterly_return=quarterly_return, to_status=status).update(
        at=moment
    )
    if status == "changes_requested":
        AnswerFlag.objects.filter(quarterly_return=quarterly_return).update(raised_at=moment)
        Message.objects.filter(quarterly_return=quarterly_return).update(
            sent_at=moment + dt.timedelta(days=1, hours=3)
        )
    field = "submitted_at" if status == "submitted" else "decided_at"
    QuarterlyReturn.objects.filter(pk=quarterly_return.pk).update(**{field: moment})
    if status == "submitted":
        quarterly_return.submissions.update(submitted_at=moment)
    # Its days late and days to decide follow the dates it now has.
    stored.refresh_agreement(quarterly_return.agreement_id)
    told = Notification.objects.filter(
        link=reverse("grants:return_detail", args=[quarterly_return.pk])
    )
    # Submitted, it waits for the officer; sent back, for the provider: unread until acted on.
    waiting = status in ("submitted", "changes_requested")
    settle_notifications(told.filter(kind=TOLD[status]), moment, waiting=waiting)
    if status != "submitted":
        # The officer has decided it: what asked them to is read.
        told.filter(kind=Notification.Kind.RETURN_SUBMITTED).update(read_at=moment)


TOLD = {
    "submitted": Notification.Kind.RETURN_SUBMITTED,
    "approved": Notification.Kind.RETURN_APPROVED,
    "changes_requested": Notification.Kind.RETURN_SENT_BACK,
}
# A demo notification older than this, and waiting for nobody, is read already.
READ_AFTER = dt.timedelta(days=90)


def settle_notifications(notifications, moment: dt.datetime, *, waiting: bool = False) -> None:
    """The demo's notifications carry the time of what they tell of, as if told then; those of
    long ago were read, unless what they tell of still waits for the reader."""
    read = not waiting and moment < timezone.now() - READ_AFTER
    notifications.update(created_at=moment, emailed_at=moment, read_at=moment if read else None)


def _demo_answer(agreement, indicator, quarter: int) -> dict:
    if agreement.reference == "KBC-CCE-01":
        events, groups, adopted, funding = COHESION_VALUES[quarter]
        by_code = {
            "b": {"actual_value": Decimal(events), "narrative": "Holocaust Memorial Day event."},
            "c": {"actual_value": Decimal(groups)},
            "f": {"achieved": adopted},
            "g": {"actual_value": Decimal(funding)},
        }
    elif agreement.reference == "LCC-HCR-01":
        reports, events = LEICESTER_VALUES[quarter]
        by_code = {
            "a": {"actual_value": Decimal(reports)},
            "b": {"actual_value": Decimal(events)},
            # Complaints, where fewer are better: 1 a quarter, 3 (amber) in the third.
            "d": {"actual_value": Decimal(3 if quarter == 3 else 1)},
        }
        if indicator.measure_type == "narrative":
            return {"narrative": LEICESTER_NARRATIVE.format(n=reports)}
    else:
        placed, trained, retained, accredited = VOLUNTEERING_VALUES[quarter]
        by_code = {
            "a": {"actual_value": Decimal(placed)},
            "b": {"actual_value": Decimal(trained)},
            "c": {"actual_value": Decimal(retained)},
            "d": {"achieved": accredited},
        }
    values = by_code.get(indicator.code, {})
    if indicator.measure_type == "narrative":
        values = {"narrative": COHESION_NARRATIVE[indicator.code].format(n=quarter + 2)}
    return values
