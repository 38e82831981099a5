"""A council-scale data set for benchmarks: 50 councils, 1,000 providers, 1,000 agreements with
7 indicators each, 4 years (16 quarters) of returns with their answers (16,000 returns), and 20
plans with 5,000 actions and their progress; and, so that the inbox, variations, payment runs
and assessments pages have something to show, a message from each agreement's provider, two
variations asked for and three equality impact assessments in each council, and a payment run
of each council for each year whose instalments were released.

    .venv/bin/python benchmarks/scale_data.py [--scale 1] [--councils 50] [--providers 1000]
        [--agreements 1000] [--plans 20] [--actions 5000] [--years 4]

--scale N makes the database N times as large while what a page shows stays the same: N times
the councils, each of the same size (the same number of providers and agreements), N times the
plans with the same sizes, and each agreement with N times the years of history. The first
council, its people, its agreements and the first plan (the pages `benchmarks/run.py` measures)
are alike at every scale. The counts given are those of scale 1.

It writes to the database DATABASE_URL names, as manage.py does. What a person does once per
agreement or action goes through the services, as in the app, so their rules hold: each lead
officer sets up their council's agreements (`create_agreement`: the model's checks, the
reporting quarters and the payment schedule), releases the instalments already due that the
returns allow (`release_instalment`, which refuses one whose quarter's return is not approved),
whose finance officer then makes a payment run (`create_payment_run`); providers send messages
and ask for variations (`send_message`, `request_variation`), lead officers start assessments
(`start_assessment`) and each action's owner records its progress (`record_progress`).

The returns are bulk inserted. Through the services each would be started, answered indicator
by indicator, submitted and decided: a dozen calls and some hundred queries a return, well over
a million queries for 16,000 of them, where the rest of the set takes about 2½ minutes. So
that their rules still hold, each status is reached by the steps the return lifecycle
(`grants.lifecycle.RETURN`) allows, with the transition each step writes by the person it names,
and every return and answer passes its model's own checks (`full_clean`) before it is inserted;
what must be unique the database's constraints check.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sla_monitor.settings.base")

import django

django.setup()

from auditlog.context import disable_auditlog  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from equality_plans import services as plan_services  # noqa: E402
from equality_plans.assessments import services as assessment_services  # noqa: E402
from equality_plans.demo import load_strands  # noqa: E402
from equality_plans.models import Action, ActionPlan, Section  # noqa: E402
from equality_plans.models.assessments import Subject  # noqa: E402
from grants import services, stored  # noqa: E402
from grants.lifecycle import RETURN, Actor  # noqa: E402
from grants.models import (  # noqa: E402
    Agreement,
    IndicatorAnswer,
    PaymentInstalment,
    PerformanceIndicator,
    QuarterlyReturn,
    ReportingPeriod,
    ReturnTransition,
)
from grants.services.variations import request_variation  # noqa: E402
from sla_monitor import periods  # noqa: E402
from sla_monitor.models import Organisation, User  # noqa: E402

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
# The steps that bring a return from draft to each status, as the lifecycle allows them.
STEPS_TO = {
    "draft": [],
    "submitted": ["submit"],
    "changes_requested": ["submit", "request_changes"],
    "approved": ["submit", "approve"],
}


class AlreadyLoaded(Exception):
    pass


def make_scale_data(
    *,
    councils: int = 50,
    providers: int = 1000,
    agreements: int = 1000,
    plans: int = 20,
    actions: int = 5000,
    years: int = 4,
    scale: int = 1,
    seed: int = 2026,
    say=print,
) -> None:
    """The data set at `scale`: the councils, providers, agreements and plans (with the same
    sizes) `scale` times over, and `scale` times the years of history."""
    if Organisation.objects.filter(short_code=f"{PREFIX}001").exists():
        raise AlreadyLoaded("The scale data set is already loaded.")
    # Repeatable benchmark data, not secrets: a seeded generator is what is wanted.
    rng = random.Random(seed)  # nosec B311
    started = time.perf_counter()
    # The services queue e-mail to the people a step concerns, whom no one reads here: the
    # tasks are kept in memory, not queued for a worker. The change history starts after.
    quiet = override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    )
    with quiet, disable_auditlog(), transaction.atomic():
        maker = _Maker(rng, say, years=years * scale)
        maker.make(councils * scale, providers * scale, agreements * scale)
        maker.plans(_plan_sizes(plans, actions) * scale)
        # The returns and answers went in in bulk: their stored figures are worked out once, as
        # the migration that added them did for a council's history.
        say(f"  {sum(stored.rebuild().values()):>7,} stored figures")
    # Fresh statistics, as autovacuum would gather them in time: without them the planner
    # guesses, and pages measured straight after loading would measure the guess.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say(f"Scale data set made in {time.perf_counter() - started:.0f} s.")


class _Maker:
    def __init__(self, rng: random.Random, say, *, years: int):
        self.rng, self.say = rng, say
        today = timezone.localdate()
        self.last_year = periods.financial_year_of(today) - 1
        self.first_year = self.last_year - years + 1

    def _count(self, what: str, count: int) -> None:
        self.say(f"  {count:>7,} {what}")

    def make(self, councils: int, providers: int, agreements: int) -> None:
        officers, provider_users, self.owners, finance = self._people(councils, providers)
        made = self._agreements(agreements, officers, provider_users)
        self._returns(made, provider_users)
        self._payments(made, finance)
        self._conversations(made, provider_users)
        self._assessments(made)

    def _people(self, council_count: int, provider_count: int):
        password = make_password(settings.DEMO_PASSWORD)
        councils = Organisation.objects.bulk_create(
            # Their lead officers release without finance sign-off, as the timings measure.
            Organisation(
                name=f"Scale Borough Council {n:03d}",
                kind="council",
                short_code=f"{PREFIX}{n:03d}",
                finance_signoff_threshold=NO_SIGNOFF,
            )
            for n in range(1, council_count + 1)
        )
        providers = Organisation.objects.bulk_create(
            Organisation(name=f"Scale Community Trust {n:04d}", kind="provider")
            for n in range(1, provider_count + 1)
        )
        officers = _users("officer", User.Role.LEAD_OFFICER, councils, password)
        provider_users = _users("provider", User.Role.PROVIDER, providers, password)
        owners = _users("owner", User.Role.ACTION_OWNER, councils, password)
        finance = _users("finance", User.Role.FINANCE_OFFICER, councils, password)
        self._count("organisations", len(councils) + len(providers))
        self._count("users", len(officers) + len(provider_users) + len(owners) + len(finance))
        return officers, provider_users, owners, finance

    def _agreements(self, count: int, officers: list[User], provider_users: list[User]):
        start = dt.date(self.first_year, 4, 1)
        made = []
        for n in range(count):
            officer = officers[n % len(officers)]
            made.append(
                services.create_agreement(
                    by=officer,
                    details={
                        "reference": f"{PREFIX}-{n:05d}",
                        "title": f"Community service specification {n}",
                        "funder": officer.organisation,
                        "provider": provider_users[n % len(provider_users)].organisation,
                        "lead_officer": officer,
                        "start_date": start,
                        "end_date": dt.date(self.last_year + 1, 3, 31),
                        "total_allocation": Decimal(self.rng.randrange(20_000, 120_000)),
                    },
                    objectives=[],
                    requirements=[f"Minimum requirement {n}." for n in range(1, 9)],
                    in_kind=[],
                    added_values=[],
                    indicators=[
                        {
                            "code": code,
                            "wording": f"Indicator {code} of the service specification.",
                            "measure_type": measure,
                            "target": target,
                            "target_period": per,
                            "amber_tolerance": Decimal("20"),
                        }
                        for code, measure, target, per in MEASURES
                    ],
                )
            )
        self._count("agreements", len(made))
        self._count("indicators", len(made) * len(MEASURES))
        return made

    def _returns(self, agreements: list[Agreement], provider_users: list[User]) -> None:
        quarters = list(
            ReportingPeriod.objects.filter(
                financial_year__gte=self.first_year, financial_year__lte=self.last_year
            ).order_by("financial_year", "quarter")
        )
        statuses = []
        for q_index, _ in enumerate(quarters):
            recent = len(quarters) - q_index
            statuses.append(
                {
                    1: ["draft", "submitted", "changes_requested", "approved"],
                    2: ["submitted", "approved"],
                }.get(recent, ["approved"])
            )
        returns = []
        for agreement in agreements:
            for q, period in enumerate(quarters):
                status = self.rng.choice(statuses[q])
                day = period.due_date - dt.timedelta(days=self.rng.randrange(-10, 10))
                submitted = timezone.make_aware(dt.datetime.combine(day, dt.time(11)))
                returns.append(
                    QuarterlyReturn(
                        agreement=agreement,
                        period=period,
                        status=status,
                        submitted_at=submitted if STEPS_TO[status] else None,
                    )
                )
        _checked(returns, exclude=["agreement", "period"])
        returns = QuarterlyReturn.objects.bulk_create(returns, batch_size=BATCH)
        self._count("returns", len(returns))

        indicators = {}
        for indicator in PerformanceIndicator.objects.filter(agreement__in=agreements).order_by(
            "agreement", "order"
        ):
            indicators.setdefault(indicator.agreement_id, []).append(indicator)
        answers = [
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
            for i in indicators[r.agreement_id]
        ]
        _checked(answers, exclude=["quarterly_return", "indicator"])
        IndicatorAnswer.objects.bulk_create(answers, batch_size=BATCH)
        self._count("answers", len(answers))

        provider_user = {u.organisation_id: u for u in provider_users}
        transitions = []
        for r in returns:
            status = "draft"
            for name in STEPS_TO[r.status]:
                if not RETURN.allows(name, status):
                    raise ValueError(RETURN.refusal(name, status, period="", by=""))
                step = RETURN.step(name)
                by = (
                    provider_user[r.agreement.provider_id]
                    if step.actor == Actor.PROVIDER
                    else r.agreement.lead_officer
                )
                transitions.append(
                    ReturnTransition(
                        quarterly_return=r, from_status=status, to_status=step.target, by=by
                    )
                )
                status = step.target
        ReturnTransition.objects.bulk_create(transitions, batch_size=BATCH)
        self._count("transitions", len(transitions))

    def _payments(self, agreements: list[Agreement], finance: list[User]) -> None:
        """Each lead officer releases the instalments of the years before last, a year at a
        time, and after each year the council's finance officer makes a payment run of them.
        The release service refuses an instalment whose quarter's return is not approved,
        which the data never asks."""
        due = PaymentInstalment.objects.filter(
            agreement__in=agreements, financial_year__lt=self.last_year
        ).select_related("agreement__lead_officer")
        released = runs = 0
        for year in range(self.first_year, self.last_year):
            for instalment in due.filter(financial_year=year).order_by("agreement", "sequence"):
                services.release_instalment(
                    instalment=instalment, by=instalment.agreement.lead_officer
                )
                released += 1
            for officer in finance:
                services.create_payment_run(council=officer.organisation, by=officer)
                runs += 1
        self._count("instalments released", released)
        self._count("payment runs", runs)

    def _conversations(self, agreements: list[Agreement], provider_users: list[User]) -> None:
        """Each agreement's provider writes to its lead officer once, and the first two
        agreements of each council have a variation asked for: the officers' inboxes, and
        the variations, have something to show."""
        provider_user = {u.organisation_id: u for u in provider_users}
        asked = {}
        for agreement in agreements:
            provider = provider_user[agreement.provider_id]
            services.send_message(
                by=provider,
                body="We would like to talk about next quarter's sessions.",
                token=uuid.UUID(int=self.rng.getrandbits(128)),
                agreement=agreement,
            )
            if asked.get(agreement.funder_id, 0) < 2:
                request_variation(
                    agreement=agreement,
                    by=provider,
                    request="We would like to move some sessions to the spring.",
                )
                asked[agreement.funder_id] = asked.get(agreement.funder_id, 0) + 1
        self._count("messages", len(agreements))
        self._count("variations asked for", sum(asked.values()))

    def _assessments(self, agreements: list[Agreement]) -> None:
        """Each council's lead officer starts an equality impact assessment of each of the
        council's first three agreements."""
        started = {}
        for agreement in agreements:
            if started.get(agreement.funder_id, 0) == 3:
                continue
            assessment_services.start_assessment(
                council=agreement.funder,
                by=agreement.lead_officer,
                details={
                    "title": f"Funding of {agreement.title}",
                    "subject": Subject.AGREEMENT,
                    "agreement": agreement,
                    "owner": agreement.lead_officer,
                    "directorate": "Communities",
                    "decision": "Whether to renew the agreement for another year.",
                },
            )
            started[agreement.funder_id] = started.get(agreement.funder_id, 0) + 1
        self._count("assessments", sum(started.values()))

    def plans(self, sizes: list[int]) -> None:
        """A plan of each size, each owned by a council in turn."""
        owners = self.owners
        strands = load_strands()
        plans = ActionPlan.objects.bulk_create(
            ActionPlan(
                title=f"Scale equality plan {n:02d}",
                owner=owners[n % len(owners)].organisation,
                start_date=dt.date(self.last_year, 4, 1),
                end_date=dt.date(self.last_year + 1, 3, 31),
                section_label="Directorate",
            )
            for n in range(len(sizes))
        )
        sections = Section.objects.bulk_create(
            Section(plan=p, title=f"Directorate {d}", order=d) for p in plans for d in range(1, 7)
        )
        sections_by_plan = {}
        for s in sections:
            sections_by_plan.setdefault(s.plan_id, []).append(s)
        owner_of = {o.organisation_id: o for o in owners}
        made = []
        for plan, size in zip(plans, sizes, strict=False):
            for n in range(size):
                made.append(
                    Action(
                        plan=plan,
                        section=sections_by_plan[plan.pk][n % 6],
                        number=str(n + 1),
                        order=n,
                        wording="Ensure equality implications are taken into account in service "
                        "and budget decisions, with an equality assessment at each stage.",
                        lead_responsibility="Head of Service",
                        monitored_by="Equalities Board",
                        timescale=f"{self.last_year}-{self.last_year + 1}",
                        due_date=dt.date(self.last_year + 1, 3, 31),
                        owner=owner_of[plan.owner_id],
                    )
                )
        made = Action.objects.bulk_create(made, batch_size=BATCH)
        codes = list(strands)
        Action.strands.through.objects.bulk_create(
            (
                Action.strands.through(action=a, equalitystrand=strands[self.rng.choice(codes)])
                for a in made
            ),
            batch_size=BATCH,
        )
        for action in made:
            plan_services.record_progress(
                action=action,
                by=action.owner,
                financial_year=self.last_year,
                quarter=3,
                rag_status=self.rng.choice(["red", "amber", "green", "green", "completed"]),
                narrative="Progress reported to the board.",
            )
        self._count("plans", len(plans))
        self._count("actions", len(made))


NO_SIGNOFF = Decimal("1000000000.00")


def _users(kind: str, role: str, organisations: list[Organisation], password: str) -> list[User]:
    """A person of each organisation, scale-<kind>-1, scale-<kind>-2 and so on."""
    return User.objects.bulk_create(
        User(
            username=f"scale-{kind}-{n}",
            email=f"scale-{kind}-{n}@example.org",
            first_name=kind.capitalize(),
            last_name=str(n),
            role=role,
            organisation=organisation,
            password=password,
        )
        for n, organisation in enumerate(organisations, start=1)
    )


def _checked(records: list, *, exclude: list[str]) -> None:
    """Each record passes its model's own checks; what must be unique the database checks as
    the records go in. The relations are left out as they are the rows just made."""
    for record in records:
        record.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _plan_sizes(plans: int, actions: int) -> list[int]:
    """The first plan has 500 actions, the rest share what is left."""
    return [500, *_spread(actions - 500, plans - 1)]


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, default=50)
    parser.add_argument("--providers", type=int, default=1000)
    parser.add_argument("--agreements", type=int, default=1000)
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--actions", type=int, default=5000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        help="make the councils, providers, agreements and plans, and the years, N times over",
    )
    parser.add_argument("--seed", type=int, default=2026)
    try:
        make_scale_data(**vars(parser.parse_args()))
    except AlreadyLoaded as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
