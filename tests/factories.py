import datetime as dt
from decimal import Decimal

import factory
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from equality_plans import groups
from equality_plans import stored as plans_stored
from equality_plans.models import (
    Action,
    ActionPlan,
    Assessment,
    EqualityStrand,
    GroupJudgement,
    PopulationProfile,
    PopulationShare,
    ProgressUpdate,
    Section,
)
from grants import beneficiaries, stored
from grants.models import (
    Agreement,
    BeneficiaryCount,
    BeneficiaryFigures,
    BudgetLine,
    CharacteristicNotCollected,
    Fund,
    MinimumRequirement,
    PaymentInstalment,
    PerformanceIndicator,
    QuarterlyReturn,
    ReportingPeriod,
)
from sla_monitor import accounts
from sla_monitor.models import ImportBatch, Organisation, User
from sla_monitor.periods import quarter_dates, return_due_date


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Borough Council {n}")
    kind = Organisation.Kind.COUNCIL
    short_code = factory.Sequence(lambda n: f"BC{n}")
    # Above any instalment the tests pay: a lead officer's release is enough, unless a test of
    # finance sign-off sets it to None (every release signed off) or an amount.
    finance_signoff_threshold = Decimal("1000000.00")


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Trust {n}")
    kind = Organisation.Kind.PROVIDER
    charity_number = factory.Sequence(lambda n: f"{1100000 + n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = User.Role.PROVIDER
    organisation = factory.SubFactory(ProviderFactory)
    password = factory.django.Password(settings.DEMO_PASSWORD)

    class Params:
        lead_officer = factory.Trait(
            role=User.Role.LEAD_OFFICER, organisation=factory.SubFactory(CouncilFactory)
        )
        finance_officer = factory.Trait(
            role=User.Role.FINANCE_OFFICER, organisation=factory.SubFactory(CouncilFactory)
        )
        action_owner = factory.Trait(
            role=User.Role.ACTION_OWNER, organisation=factory.SubFactory(CouncilFactory)
        )
        superuser = factory.Trait(
            role=User.Role.ADMIN, organisation=None, is_superuser=True, is_staff=True
        )

    @factory.post_generation
    def two_factor(user, create, extracted, **kwargs):
        """Council staff and superusers sign in with a second factor, so they come with an
        authenticator app set up with the demo's secret; `two_factor=False` leaves it out."""
        wanted = accounts.two_factor_required(user) if extracted is None else extracted
        if create and wanted:
            accounts.give_totp(user)


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Community Fund {n}")
    budget = Decimal("600000.00")
    start_date = dt.date(2025, 4, 1)
    end_date = dt.date(2026, 3, 31)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"AGR-{n:04d}")
    title = factory.Sequence(lambda n: f"Service Specification {n}")
    funder = factory.SubFactory(CouncilFactory)
    provider = factory.SubFactory(ProviderFactory)
    start_date = dt.date(2025, 4, 1)
    end_date = dt.date(2029, 3, 31)
    total_allocation = Decimal("100000.00")

    @factory.post_generation
    def stored_figures(agreement, create, extracted, **kwargs):
        """The returns it owes, as the services would store them (`grants.stored`)."""
        if create:
            stored.refresh_agreement(agreement)


class PerformanceIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceIndicator

    agreement = factory.SubFactory(AgreementFactory)
    code = factory.Sequence(lambda n: f"i{n}")
    wording = "Groups supported which promote positive relationships between communities."
    measure_type = PerformanceIndicator.MeasureType.COUNT
    target = Decimal("4")
    target_period = PerformanceIndicator.TargetPeriod.QUARTER


class MinimumRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MinimumRequirement

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Attendance at quarterly monitoring meetings with a designated Lead Officer."


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ["financial_year", "quarter"]
        skip_postgeneration_save = True

    financial_year = 2025
    quarter = 1
    start_date = factory.LazyAttribute(lambda p: quarter_dates(p.financial_year, p.quarter)[0])
    end_date = factory.LazyAttribute(lambda p: quarter_dates(p.financial_year, p.quarter)[1])
    due_date = factory.LazyAttribute(lambda p: return_due_date(p.financial_year, p.quarter))

    @factory.post_generation
    def stored_figures(period, create, extracted, **kwargs):
        """A quarter made after the agreements that report in it is owed by them."""
        if create:
            stored.refresh(
                Agreement.objects.filter(
                    start_date__lte=period.start_date, end_date__gte=period.end_date
                ).values_list("pk", flat=True)
            )


class QuarterlyReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterlyReturn
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory)
    period = factory.SubFactory(ReportingPeriodFactory)
    status = QuarterlyReturn.Status.DRAFT

    class Params:
        submitted = factory.Trait(status=QuarterlyReturn.Status.SUBMITTED)
        changes_requested = factory.Trait(status=QuarterlyReturn.Status.CHANGES_REQUESTED)
        approved = factory.Trait(status=QuarterlyReturn.Status.APPROVED)

    @factory.post_generation
    def stored_figures(quarterly_return, create, extracted, **kwargs):
        if create:
            stored.refresh_agreement(quarterly_return.agreement_id)


class PaymentInstalmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentInstalment

    agreement = factory.SubFactory(AgreementFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    financial_year = 2025
    amount = Decimal("12500.00")
    due_date = dt.date(2025, 4, 1)


class EqualityStrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EqualityStrand
        django_get_or_create = ["code"]

    code = "D"
    name = "Disability"


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    title = factory.Sequence(lambda n: f"Equality Action Plan {n}")
    owner = factory.SubFactory(CouncilFactory)
    start_date = dt.date(2015, 4, 1)
    end_date = dt.date(2016, 3, 31)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(ActionPlanFactory)
    title = factory.Sequence(lambda n: f"Directorate {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    section = factory.SubFactory(SectionFactory)
    plan = factory.SelfAttribute("section.plan")
    number = factory.Sequence(lambda n: str(n + 1))
    wording = "Equalities training for staff and members"
    timescale = "2015-2016"
    due_date = dt.date(2016, 3, 31)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft assessment of a policy, owned by a lead officer of its council; it considers the
    council's groups (`equality_plans.groups.groups_of`), each unanswered."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    council = factory.SubFactory(CouncilFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Dementia Strategy"
    subject = "policy"
    owner = factory.SubFactory(
        "tests.factories.UserFactory",
        organisation=factory.SelfAttribute("..council"),
        role=User.Role.LEAD_OFFICER,
    )
    directorate = "Adult Social Care"
    decision = "Cabinet adopts the strategy."

    @factory.post_generation
    def judgements(self, create, extracted, **kwargs):
        if create:
            GroupJudgement.objects.bulk_create(
                GroupJudgement(assessment=self, group=group.code, order=order)
                for order, group in enumerate(groups.groups_of(self.council), start=1)
            )


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    """An update on an action; its action's latest RAG is kept as the services keep it."""

    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    financial_year = 2015
    quarter = 1
    rag_status = "green"
    narrative = "On track."
    author = factory.SubFactory(UserFactory, action_owner=True)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        update = super()._create(model_class, *args, **kwargs)
        plans_stored.refresh_latest_rag([update.action_id])
        update.action.refresh_from_db(fields=["latest_rag"])
        return update


class BeneficiaryFiguresFactory(factory.django.DjangoModelFactory):
    """A return's people reached; add counts with `counts={"sex": {"female": 3, ...}}`. The
    published figures are rounded from them as the service rounds them."""

    class Meta:
        model = BeneficiaryFigures
        skip_postgeneration_save = True

    quarterly_return = factory.SubFactory(QuarterlyReturnFactory)
    people_reached = 0
    people_reached_published = 0  # rounded with the counts, below
    updated_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def counts(figures, create, extracted, **kwargs):
        given = extracted or {}
        published = beneficiaries.publish(
            return_id=figures.quarterly_return_id,
            people_reached=figures.people_reached,
            counts=given,
        )
        figures.people_reached_published = published.people_reached
        figures.save(update_fields=["people_reached_published"])
        for characteristic, categories in given.items():
            for category, count in categories.items():
                BeneficiaryCount.objects.create(
                    figures=figures,
                    characteristic=characteristic,
                    category=category,
                    count=count,
                    published=published.counts[characteristic][category],
                )

    @factory.post_generation
    def not_collected(figures, create, extracted, **kwargs):
        for characteristic in extracted or ():
            CharacteristicNotCollected.objects.create(
                figures=figures, characteristic=characteristic, reason="Not asked this quarter."
            )


class PopulationProfileFactory(factory.django.DjangoModelFactory):
    """A council's area's population; add shares with `shares={"sex": {"female": "51"}}`."""

    class Meta:
        model = PopulationProfile
        skip_postgeneration_save = True

    council = factory.SubFactory(CouncilFactory)
    area = factory.LazyAttribute(lambda p: p.council.name.replace(" Council", ""))
    source = "2021 Census, Office for National Statistics"
    year = 2021

    @factory.post_generation
    def shares(profile, create, extracted, **kwargs):
        for characteristic, given in (extracted or {}).items():
            for category, share in given.items():
                PopulationShare.objects.create(
                    profile=profile,
                    characteristic=characteristic,
                    category=category,
                    share=Decimal(share),
                )


class ImportBatchFactory(factory.django.DjangoModelFactory):
    """A file imported into `target` (a council's agreements or a plan's actions, named by
    `kind`), as its import history lists it: checked, imported or undone."""

    class Meta:
        model = ImportBatch

    target_type = factory.LazyAttribute(lambda b: ContentType.objects.get_for_model(b.target))
    target_id = factory.LazyAttribute(lambda b: b.target.pk)
    file_name = factory.Sequence(lambda n: f"file-{n}.xlsx")
    digest = "0" * 64
    checked_by = factory.SubFactory(UserFactory)
    status = ImportBatch.Status.CHECKED

    class Params:
        target = None
        imported = factory.Trait(
            status=ImportBatch.Status.IMPORTED,
            imported_at=factory.LazyFunction(timezone.now),
            counts={"created": 3, "updated": 1, "unchanged": 2},
        )
        undone = factory.Trait(
            status=ImportBatch.Status.UNDONE,
            imported_at=factory.LazyFunction(timezone.now),
            counts={"created": 3, "updated": 1, "unchanged": 2},
            undone_by=factory.SubFactory(UserFactory),
            undone_at=factory.LazyFunction(timezone.now),
        )


class BudgetLineFactory(factory.django.DjangoModelFactory):
    """A staff line of 2025/26's budget of an agreement."""

    class Meta:
        model = BudgetLine

    agreement = factory.SubFactory(AgreementFactory)
    financial_year = 2025
    heading = BudgetLine.Heading.STAFF
    amount = Decimal("10000.00")
    order = factory.Sequence(lambda n: n + 1)
