"""A council-scale data set for benchmarks: 50 councils, 1,000 providers, 1,000 agreements with
7 indicators each, 16 quarters of returns with their answers (16,000 returns), and 20 plans with
5,000 actions and their progress. Bulk inserts: minutes, not hours.

    python manage.py make_scale_data [--agreements 1000] [--plans 20] [--actions 5000]
"""

import datetime as dt
import itertools
import random
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from equality_plans.demo import load_strands
from equality_plans.models import Action, ActionPlan, ProgressUpdate, Section
from grants import services
from grants.models import (
    Agreement,
    IndicatorAnswer,
    MinimumRequirement,
    PaymentInstalment,
    PerformanceIndicator,
    QuarterlyReturn,
    ReportingPeriod,
    ReturnTransition,
)
from grants.money import split_allocation
from sla_monitor import periods
from sla_monitor.models import Organisation, User

PREFIX = "SCALE"
BATCH = 2000
MEASURES = [
    ("a", "narrative", None, "none"),
    ("b", "count", Decimal("3"), "year"),
    ("c", "count", Decimal("4"), "quarter"),
    ("d", "narrative", None, "none"),
    ("e", "narrative", None, "none"),
    ("f", "milestone", None, "none"),
    ("g", "percentage", Decimal("75"), "year"),
]


class Command(BaseCommand):
    help = "Create a large, realistic data set for benchmarks (users scale-officer-N etc.)."

    def add_arguments(self, parser):
        parser.add_argument("--councils", type=int, default=50)
        parser.add_argument("--providers", type=int, default=1000)
        parser.add_argument("--agreements", type=int, default=1000)
        parser.add_argument("--plans", type=int, default=20)
        parser.add_argument("--actions", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **o):
        if Organisation.objects.filter(short_code=f"{PREFIX}001").exists():
            raise CommandError("The scale data set is already loaded.")
        # Repeatable benchmark data, not secrets: a seeded generator is what is wanted.
        self.rng = random.Random(o["seed"])  # nosec B311
        started = time.perf_counter()
        with transaction.atomic():
            self._make(o)
        # Fresh statistics, as autovacuum would gather them in time: without them the planner
        # guesses, and pages measured straight after loading would measure the guess.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"Scale data set made in {time.perf_counter() - started:.0f} s.")
        )

    def _say(self, what, count):
        self.stdout.write(f"  {count:>7,} {what}")

    def _make(self, o):
        today = timezone.localdate()
        last_year = periods.financial_year_of(today) - 1
        first_year = last_year - 3
        services.ensure_reporting_periods(first_year=first_year, last_year=last_year + 1)
        quarters = list(
            ReportingPeriod.objects.filter(
                financial_year__gte=first_year, financial_year__lte=last_year
            ).order_by("financial_year", "quarter")
        )
        password = make_password(settings.DEMO_PASSWORD)

        councils = Organisation.objects.bulk_create(
            Organisation(
                name=f"Scale Borough Council {n:03d}", kind="council", short_code=f"{PREFIX}{n:03d}"
            )
            for n in range(1, o["councils"] + 1)
        )
        providers = Organisation.objects.bulk_create(
            Organisation(name=f"Scale Community Trust {n:04d}", kind="provider")
            for n in range(1, o["providers"] + 1)
        )
        officers = User.objects.bulk_create(
            User(
                username=f"scale-officer-{n}",
                email=f"scale-officer-{n}@example.org",
                first_name="Officer",
                last_name=str(n),
                role=User.Role.LEAD_OFFICER,
                organisation=c,
                password=password,
            )
            for n, c in enumerate(councils, start=1)
        )
        provider_users = User.objects.bulk_create(
            User(
                username=f"scale-provider-{n}",
                email=f"scale-provider-{n}@example.org",
                role=User.Role.PROVIDER,
                organisation=p,
                password=password,
            )
            for n, p in enumerate(providers, start=1)
        )
        owners = User.objects.bulk_create(
            User(
                username=f"scale-owner-{n}",
                role=User.Role.ACTION_OWNER,
                organisation=c,
                password=password,
            )
            for n, c in enumerate(councils, start=1)
        )
        self._say("organisations", len(councils) + len(providers))
        self._say("users", len(officers) + len(provider_users) + len(owners))

        start = dt.date(first_year, 4, 1)
        agreements = Agreement.objects.bulk_create(
            (
                Agreement(
                    reference=f"{PREFIX}-{n:05d}",
                    title=f"Community service specification {n}",
                    funder=councils[n % len(councils)],
                    provider=providers[n % len(providers)],
                    lead_officer=officers[n % len(councils)],
                    start_date=start,
                    end_date=dt.date(first_year + 4, 3, 31),
                    total_allocation=Decimal(self.rng.randrange(20_000, 120_000)),
                )
                for n in range(o["agreements"])
            ),
            batch_size=BATCH,
        )
        indicators = PerformanceIndicator.objects.bulk_create(
            (
                PerformanceIndicator(
                    agreement=a,
                    code=code,
                    order=order,
                    wording=f"Indicator {code} of the service specification.",
                    measure_type=measure,
                    target=target,
                    target_period=per,
                    amber_tolerance=Decimal("20"),
                )
                for a in agreements
                for order, (code, measure, target, per) in enumerate(MEASURES)
            ),
            batch_size=BATCH,
        )
        MinimumRequirement.objects.bulk_create(
            (
                MinimumRequirement(agreement=a, number=n, text=f"Minimum requirement {n}.")
                for a in agreements
                for n in range(1, 9)
            ),
            batch_size=BATCH,
        )
        self._say("agreements", len(agreements))
        self._say("indicators", len(indicators))

        instalments = []
        for a in agreements:
            for i, amount in enumerate(split_allocation(a.total_allocation, years=4)):
                year, half = divmod(i, 2)
                instalments.append(
                    PaymentInstalment(
                        agreement=a,
                        sequence=i + 1,
                        financial_year=first_year + year,
                        amount=amount,
                        due_date=dt.date(first_year + year, 10 if half else 4, 1),
                        status="released" if first_year + year < last_year else "scheduled",
                        depends_on_period=quarters[year * 4] if half else None,
                    )
                )
        PaymentInstalment.objects.bulk_create(instalments, batch_size=BATCH)
        self._say("instalments", len(instalments))

        statuses = []
        for q_index, _ in enumerate(quarters):
            recent = len(quarters) - q_index
            statuses.append(
                {
                    1: ["draft", "submitted", "changes_requested", "approved"],
                    2: ["submitted", "approved"],
                }.get(recent, ["approved"])
            )
        returns = QuarterlyReturn.objects.bulk_create(
            (
                QuarterlyReturn(
                    agreement=a,
                    period=period,
                    status=self.rng.choice(statuses[q]),
                    submitted_at=timezone.make_aware(
                        dt.datetime.combine(
                            period.due_date - dt.timedelta(days=self.rng.randrange(-10, 10)),
                            dt.time(11),
                        )
                    ),
                )
                for a in agreements
                for q, period in enumerate(quarters)
            ),
            batch_size=BATCH,
        )
        for r in returns:
            if r.status == "draft":
                r.submitted_at = None
        QuarterlyReturn.objects.bulk_update(
            [r for r in returns if r.submitted_at is None], ["submitted_at"], batch_size=BATCH
        )
        self._say("returns", len(returns))

        by_agreement = {}
        for indicator in indicators:
            by_agreement.setdefault(indicator.agreement_id, []).append(indicator)
        answers = (
            IndicatorAnswer(
                quarterly_return=r,
                indicator=i,
                actual_value=(
                    Decimal(self.rng.randrange(0, 7))
                    if i.measure_type == "count"
                    else Decimal(self.rng.randrange(55, 95))
                    if i.measure_type == "percentage"
                    else None
                ),
                achieved=self.rng.random() < 0.8 if i.measure_type == "milestone" else None,
                narrative="Work this quarter went as planned."
                if i.measure_type == "narrative"
                else "",
            )
            for r in returns
            for i in by_agreement[r.agreement_id]
        )
        count = 0
        for batch in _batches(answers, BATCH):
            IndicatorAnswer.objects.bulk_create(batch)
            count += len(batch)
        self._say("answers", count)

        user_of_provider = {u.organisation_id: u for u in provider_users}
        transitions = []
        for r in returns:
            if r.status == "draft":
                continue
            transitions.append(
                ReturnTransition(
                    quarterly_return=r,
                    from_status="draft",
                    to_status="submitted",
                    by=user_of_provider[r.agreement.provider_id],
                )
            )
            if r.status in ("approved", "changes_requested"):
                transitions.append(
                    ReturnTransition(
                        quarterly_return=r,
                        from_status="submitted",
                        to_status=r.status,
                        by_id=r.agreement.lead_officer_id,
                    )
                )
        ReturnTransition.objects.bulk_create(transitions, batch_size=BATCH)
        self._say("transitions", len(transitions))

        strands = load_strands()
        plans = ActionPlan.objects.bulk_create(
            ActionPlan(
                title=f"Scale equality plan {n:02d}",
                owner=councils[n % len(councils)],
                start_date=dt.date(last_year, 4, 1),
                end_date=dt.date(last_year + 1, 3, 31),
                section_label="Directorate",
            )
            for n in range(o["plans"])
        )
        sections = Section.objects.bulk_create(
            Section(plan=p, title=f"Directorate {d}", order=d) for p in plans for d in range(1, 7)
        )
        sections_by_plan = {}
        for s in sections:
            sections_by_plan.setdefault(s.plan_id, []).append(s)
        # The first plan has 500 actions, the rest share what is left.
        sizes = [500, *_spread(o["actions"] - 500, len(plans) - 1)]
        actions = []
        for plan, size, owner in zip(plans, sizes, itertools.cycle(owners), strict=False):
            for n in range(size):
                actions.append(
                    Action(
                        plan=plan,
                        section=sections_by_plan[plan.pk][n % 6],
                        number=str(n + 1),
                        order=n,
                        wording="Ensure equality implications are taken into account in service "
                        "and budget decisions, with an equality assessment at each stage.",
                        lead_responsibility="Head of Service",
                        monitored_by="Equalities Board",
                        timescale=f"{last_year}-{last_year + 1}",
                        due_date=dt.date(last_year + 1, 3, 31),
                        owner=owner if plan.owner_id == owner.organisation_id else None,
                    )
                )
        actions = Action.objects.bulk_create(actions, batch_size=BATCH)
        codes = list(strands)
        Action.strands.through.objects.bulk_create(
            (
                Action.strands.through(action=a, equalitystrand=strands[self.rng.choice(codes)])
                for a in actions
            ),
            batch_size=BATCH,
        )
        author = owners[0]
        ProgressUpdate.objects.bulk_create(
            (
                ProgressUpdate(
                    action=a,
                    financial_year=last_year,
                    quarter=3,
                    rag_status=self.rng.choice(["red", "amber", "green", "green", "completed"]),
                    narrative="Progress reported to the board.",
                    author=author,
                )
                for a in actions
            ),
            batch_size=BATCH,
        )
        self._say("plans", len(plans))
        self._say("actions", len(actions))


def _batches(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]
