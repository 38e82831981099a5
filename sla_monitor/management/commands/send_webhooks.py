from django.core.management.base import BaseCommand

from sla_monitor import webhooks


class Command(BaseCommand):
    help = (
        "Queue every webhook delivery whose time has come (a retry after a failed try, or one "
        "the worker never took) for the task worker to send. Run it every minute; running it "
        "again sends nothing twice."
    )

    def handle(self, *args, **options):
        queued = webhooks.send_due()
        self.stdout.write(self.style.SUCCESS(f"{queued} webhook delivery(ies) queued."))
