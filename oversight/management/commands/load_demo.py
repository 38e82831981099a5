import datetime as dt

from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from equality_plans import demo as plans_demo
from grants import demo as grants_demo
from oversight.demo import link_funded_indicators
from sla_monitor import demo


class Command(BaseCommand):
    help = (
        "Load the demo organisations, users, funds, agreements and equality plans transcribed "
        "from the seed documents. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-users",
            action="store_true",
            help="Load the data without demo users (the only way when DEBUG is off).",
        )

    def handle(self, *args, no_users: bool = False, **options):
        if not settings.DEBUG and not no_users:
            raise CommandError(
                "Refusing to create demo users with a known password while DEBUG is off. "
                "Use --no-users to load the data alone."
            )
        today: dt.date = timezone.localdate()
        # The demo's history of returns is made through the services, which send e-mail; the
        # demo data is where the audit log starts, not a change anyone made.
        quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
        with quiet, disable_auditlog(), transaction.atomic():
            organisations = demo.load_organisations()
            users = {} if no_users else demo.load_users(organisations)
            agreements = grants_demo.load(organisations, users, today)
            grants_demo.load_budgets(agreements, users, today)
            grants_demo.load_returns(agreements, users, today)
            grants_demo.load_payments(agreements, users, today)
            grants_demo.load_variations(agreements, users, today)
            grants_demo.load_diversity(users, today)
            welsh = grants_demo.load_welsh(organisations, users, today)
            plans = plans_demo.load(organisations, users)
            link_funded_indicators(plans[1])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(organisations)} organisations, {len(users)} users, "
                f"{len(agreements) + (welsh is not None)} agreements, {len(plans)} action plans."
            )
        )
        if users:
            self.stdout.write(
                f"Sign in as {', '.join(sorted(users))} with the password from DEMO_PASSWORD."
            )
