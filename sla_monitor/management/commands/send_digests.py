from django.core.management.base import BaseCommand

from sla_monitor import inbox


class Command(BaseCommand):
    help = (
        "Queue the daily e-mail for each person who chose one and has unread notifications not "
        "yet e-mailed: one e-mail each, listing them, sent by the task worker. Run it once a day; "
        "running it again sends nothing twice."
    )

    def handle(self, *args, **options):
        queued = inbox.send_digests()
        self.stdout.write(self.style.SUCCESS(f"{queued} daily e-mail(s) queued."))
