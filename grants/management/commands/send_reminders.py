from django.core.management.base import BaseCommand
from django.utils import timezone

from grants import services
from sla_monitor import reminders


class Command(BaseCommand):
    help = (
        "E-mail providers whose returns are due soon or overdue, and lead officers about overdue "
        "returns and returns waiting for review, and the apps' own reminders (the owners of "
        "equality impact assessments due for review). Each reminder is sent once; run it hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=14, help="Remind this many days ahead.")
        parser.add_argument(
            "--review-days",
            type=int,
            default=14,
            help="Remind lead officers of returns submitted this many days ago and not decided.",
        )

    def handle(self, *args, days: int, review_days: int, **options):
        today = timezone.localdate()
        sent = services.send_reminders(today=today, days=days, review_days=review_days)
        for reminder in sent:
            self.stdout.write(f"Sent: {reminder} to {reminder.recipients}")
        others = reminders.send_registered(today=today)
        for reminder in others:
            self.stdout.write(f"Sent: {reminder}")
        self.stdout.write(self.style.SUCCESS(f"{len(sent) + len(others)} reminder(s) sent."))
