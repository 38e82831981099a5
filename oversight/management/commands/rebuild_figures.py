"""Work every stored figure out again from history, and say how many were out of step.

    manage.py rebuild_figures [--check]

The services keep the stored figures (`grants.stored`, `equality_plans.stored`) as they change
what the figures summarise, in the same transaction; this command is for after a repair made by
hand in the database, or to prove they hold: with `--check` it writes nothing and fails when any
figure differs from what history gives.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from equality_plans import stored as plans_stored
from grants import stored as grants_stored
from sla_monitor import versions


class Command(BaseCommand):
    help = "Work every stored figure out again from history (--check: only compare)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing; fail if any stored figure differs from its history",
        )

    def handle(self, *args, check=False, **options):
        with transaction.atomic():
            wrong = {
                **grants_stored.rebuild(write=not check),
                **plans_stored.rebuild(write=not check),
            }
            if not check and any(wrong.values()):
                # Pages kept by version showed the figures as they were.
                versions.move(versions.SITE)
        for figure, count in wrong.items():
            self.stdout.write(f"{figure}: {count} {'wrong' if check else 'corrected'}")
        if check and any(wrong.values()):
            raise CommandError("Some stored figures differ from what their history gives.")
