"""Reminders of equality impact assessments' reviews, sent by `manage.py send_reminders`.

A signed-off or published assessment's owner is told once when its review date comes within
`REVIEW_NOTICE_DAYS`, and, once the date has passed, again at most every `REVIEW_NOTICE_DAYS`
until it is reviewed. A version a review replaced is never reminded of. When each was last sent
is `Assessment.review_reminded_on`.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from equality_plans.assessments.selectors import REVIEW_NOTICE_DAYS
from equality_plans.models import Assessment, AssessmentStatus
from sla_monitor import inbox
from sla_monitor.models import NotificationKind


@dataclass(frozen=True)
class ReviewReminder:
    assessment: Assessment
    overdue: bool

    def __str__(self) -> str:
        what = "overdue review" if self.overdue else "review due"
        return f"{what} of {self.assessment.reference} to its owner, {self.assessment.owner}"


def reviews_to_remind(today: dt.date):
    notice = dt.timedelta(days=REVIEW_NOTICE_DAYS)
    return Assessment.objects.filter(
        status__in=(AssessmentStatus.SIGNED_OFF, AssessmentStatus.PUBLISHED),
        review_date__lte=today + notice,
    ).filter(
        Q(review_reminded_on__isnull=True)
        | Q(review_date__lt=today, review_reminded_on__lte=today - notice)
    )


def send_review_reminders(*, today: dt.date) -> list[ReviewReminder]:
    """Remind each owner whose assessment's review is due soon or overdue; what was sent. Each
    is marked reminded by a conditional update in the transaction of its notice, so two runs at
    once send it once."""
    sent = []
    for assessment in reviews_to_remind(today).select_related("owner").order_by("pk"):
        with transaction.atomic():
            marked = Assessment.objects.filter(
                pk=assessment.pk, review_reminded_on=assessment.review_reminded_on
            ).update(review_reminded_on=today)
            if not marked:
                continue
            overdue = assessment.review_date < today
            inbox.notify(
                recipients=[assessment.owner],
                kind=NotificationKind.ASSESSMENT_REVIEW_OVERDUE
                if overdue
                else NotificationKind.ASSESSMENT_REVIEW_DUE,
                link=reverse("equality_plans:assessment_detail", args=[assessment.pk]),
                params={
                    "reference": assessment.reference,
                    "title": assessment.title,
                    "due": inbox.day(assessment.review_date),
                },
            )
        sent.append(ReviewReminder(assessment, overdue))
    return sent
