"""Work that can leave the web request: e-mail. With a task worker configured (TASKS_BACKEND set
to the database backend and `manage.py db_worker` running) a worker sends it; without one it
runs in-process as soon as it is enqueued."""

from django_tasks import task

from grants import notifications
from grants.models import InstalmentTransition, QuarterlyReturn, Reminder
from sla_monitor.models import User


@task()
def email_return_submitted(return_id: int, by_id: int) -> None:
    notifications.return_submitted(
        QuarterlyReturn.objects.select_related(
            "agreement__lead_officer", "agreement__provider", "period"
        ).get(pk=return_id),
        by=User.objects.get(pk=by_id),
    )


@task()
def email_return_decided(return_id: int, by_id: int) -> None:
    notifications.return_decided(
        QuarterlyReturn.objects.select_related("agreement", "period").get(pk=return_id),
        by=User.objects.get(pk=by_id),
    )


@task()
def email_instalment_decided(transition_id: int) -> None:
    notifications.instalment_decided(
        InstalmentTransition.objects.select_related(
            "by", "instalment__agreement__lead_officer"
        ).get(pk=transition_id)
    )


@task()
def email_reminder(reminder_id: int) -> None:
    reminder = Reminder.objects.select_related("agreement__provider", "period").get(pk=reminder_id)
    notifications.reminder(
        reminder.agreement,
        reminder.period,
        reminder.kind,
        [r.strip() for r in reminder.recipients.split(",") if r.strip()],
    )
