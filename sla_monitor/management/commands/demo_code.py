from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError

from sla_monitor import accounts
from sla_monitor.models import User


class Command(BaseCommand):
    help = (
        "Print the two-factor code a demo user's authenticator app would show now, for signing "
        "in to the demo without one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user “{username}”.")
        try:
            code = accounts.current_code(user)
        except Authenticator.DoesNotExist:
            raise CommandError(f"{username} has not set up two-factor sign-in.") from None
        self.stdout.write(code)
