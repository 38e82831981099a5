"""Demo funds and agreements, transcribed from seeds 000 (Kettering) and 002 (Leicester)."""

import datetime as dt
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook

from grants import diversity, selectors, services
from grants.models import (
    AddedValue,
    Agreement,
    AgreementObjective,
    Fund,
    FundTheme,
    InKindContribution,
    MinimumRequirement,
    PaymentInstalment,
    PerformanceIndicator,
    QuarterlyReturn,
    ReportingPeriod,
    ReturnTransition,
)
from sla_monitor import demo as core_demo
from sla_monitor import periods
from sla_monitor.models import Organisation, User

Measure = PerformanceIndicator.MeasureType
Per = PerformanceIndicator.TargetPeriod

LEICESTER_FUND = {
    "name": "Community Cohesion Fund 2004/5",
    "description": (
        "£600,000 set aside from the 2004/5 budget to support community cohesion activities, "
        "distributed through a process linked to the Community Cohesion Action Plan "
        "(Cabinet, 15 March 2004)."
    ),
    "budget": Decimal("600000.00"),
    "start_date": dt.date(2004, 4, 1),
    "end_date": dt.date(2005, 3, 31),
    "eligible_organisation_types": (
        "Statutory and/or voluntary organisations, as the Community Cohesion Action Planning "
        "Group defines them."
    ),
    "criteria": "\n".join(
        [
            "Informed by the Community Cohesion Strategy.",
            "Based on the strategy's 5 themes and the priorities the Leicester Partnership sets.",
            "Within the upper limit of grants agreed by the Action Planning Group.",
            "Accessed through the process the Action Planning Group agrees.",
        ]
    ),
}
# The cabinet report names five themes and 22 objectives in its Appendix 1, which the report as
# filed does not reproduce; the themes are listed by number until a council types their names.
LEICESTER_THEMES = 5

KETTERING_FUND = {
    "name": "Voluntary and Community Sector Service Specifications",
    "description": (
        "Four-year service specifications with voluntary and community organisations, "
        "paid in advance in two stages a year."
    ),
    "budget": Decimal("180000.00"),
    "maximum_award": Decimal("120000.00"),
    "eligible_organisation_types": "Voluntary and community organisations serving the borough.",
    "criteria": "Delivers the council's community cohesion and equality objectives.",
}

CORE_OBJECTIVES = [
    "Support activities at a local level which promote positive relationships between all "
    "communities.",
    "Support people who are victims of hate incidences and hate crimes, including disability "
    "hate crime and act to bring more perpetrators to justice.",
    "Undertake activities to prevent unfair treatment and help achieve equal opportunities.",
]
MINIMUM_REQUIREMENTS = [
    "To create opportunities for communities to understand both one another and mutual shared "
    "values.",
    "Develop a portfolio of events based on creating an understanding of all communities in the "
    "borough.",
    "Support organisations and community groups to help build strong and positive relationships.",
    "Support organisations that assist people wishing to take British Citizenship tests.",
    "Identify opportunities for volunteering within organisations which support the core service "
    "objectives of this specification.",
    "Link to other relevant specification providers who can help add value to this specification.",
    "Attendance at quarterly monitoring meetings with a designated Lead Officer from KBC.",
    "Acknowledge the funding and support from Kettering Borough Council when providing this "
    "service.",
]
# code, wording, measure type, target, target period, amber tolerance (% below target)
# What each count counts, as it reads after its target.
UNITS = {"b": "events", "c": "groups"}
INDICATORS = [
    (
        "a",
        "Contribute towards activities which bring together people from different cultural "
        "backgrounds giving opportunities to participate in activities.",
        Measure.NARRATIVE,
        None,
        Per.NONE,
        "0",
    ),
    (
        "b",
        "3 events (HMD, a Multi Cultural event on the Market Place and at least one other) "
        "contributed to that celebrate the borough's cultural diversity.",
        Measure.COUNT,
        "3",
        Per.YEAR,
        "34",
    ),
    (
        "c",
        "Details of support given to groups (at least 4 per quarter) which promote positive "
        "relationships between communities.",
        Measure.COUNT,
        "4",
        Per.QUARTER,
        "25",
    ),
    (
        "d",
        "Quarterly report to describe work on complainant aid and immigration casework to include "
        "actions to increase awareness of rights across protected characteristics.",
        Measure.NARRATIVE,
        None,
        Per.NONE,
        "0",
    ),
    (
        "e",
        "Details of contributions towards countywide community tension work.",
        Measure.NARRATIVE,
        None,
        Per.NONE,
        "0",
    ),
    (
        "f",
        "Adopt the Borough Council's Customer Service Standards.",
        Measure.MILESTONE,
        None,
        Per.NONE,
        "0",
    ),
    (
        "g",
        "Actively seek other funding to develop / extend the service that help achieve the "
        "outcomes of this SLA with a target of 75% achieved.",
        Measure.PERCENTAGE,
        "75",
        Per.YEAR,
        "10",
    ),
]
# description, condition
IN_KIND = [
    ("Mandatory and discretionary council tax relief.", "Subject to eligibility."),
    (
        "Contribution towards car parking costs of volunteers while they are working in the "
        "town centre.",
        "",
    ),
    (
        "Desk/work space.",
        "If sessional work at the Council's Customer Service Centre is required, to help meet "
        "validated additional costs.",
    ),
    (
        "Telephones (line rental and calls).",
        "If sessional work at the Council's Customer Service Centre is required.",
    ),
    (
        "Free parking while working at the Customer Service Centre.",
        "If sessional work at the Council's Customer Service Centre is required.",
    ),
]
ADDED_VALUE = [
    "Demonstrate partnership working with other voluntary and statutory agencies that help "
    "achieve the objectives of this SLA.",
    "Organisation's activities also support other local Priorities (KBC Corporate Plans, "
    "Community Strategy, Community Safety Partnership Plan, Police & Crime Commissioner "
    "priorities).",
    "Evidence of implementation of Quality Management systems including the quality of data for "
    "management purposes.",
]

VOLUNTEERING = {
    "objectives": [
        "Increase the number of residents volunteering in the borough, particularly from "
        "communities that volunteer less.",
        "Help community groups recruit, support and keep volunteers.",
    ],
    "requirements": [
        "Run a volunteer brokerage service open at least three days a week.",
        "Offer training in volunteer management to community groups.",
        "Attendance at quarterly monitoring meetings with a designated Lead Officer from KBC.",
        "Acknowledge the funding and support from Kettering Borough Council when providing this "
        "service.",
    ],
    "units": {"a": "volunteers", "b": "groups"},
    "indicators": [
        (
            "a",
            "Volunteers placed with local organisations (at least 15 per quarter).",
            Measure.COUNT,
            "15",
            Per.QUARTER,
            "20",
        ),
        (
            "b",
            "Community groups given volunteer-management training (12 a year).",
            Measure.COUNT,
            "12",
            Per.YEAR,
            "25",
        ),
        (
            "c",
            "Volunteers still volunteering after three months, with a target of 70%.",
            Measure.PERCENTAGE,
            "70",
            Per.QUARTER,
            "10",
        ),
        (
            "d",
            "Achieve the Investing in Volunteers quality standard.",
            Measure.MILESTONE,
            None,
            Per.NONE,
            "0",
        ),
    ],
}


# A second council funds the cohesion network too: Leicester, from its community cohesion work.
LEICESTER_GRANT = {
    "objectives": [
        "Run a third-party hate crime reporting centre for residents of Leicester's "
        "neighbourhoods who would not go to the police.",
        "Bring communities together across the city's neighbourhoods.",
    ],
    "requirements": [
        "Keep the reporting centre open at least two days a week.",
        "Attendance at quarterly monitoring meetings with a Lead Officer from Leicester City "
        "Council.",
    ],
    "units": {"a": "reports", "b": "events"},
    "indicators": [
        (
            "a",
            "Hate crime reports taken through the reporting centre (at least 10 per quarter).",
            Measure.COUNT,
            "10",
            Per.QUARTER,
            "20",
        ),
        (
            "b",
            "Bridge-building events between communities (4 a year).",
            Measure.COUNT,
            "4",
            Per.YEAR,
            "25",
        ),
        (
            "c",
            "Quarterly report on community tensions and how the centre responded.",
            Measure.NARRATIVE,
            None,
            Per.NONE,
            "0",
        ),
    ],
}
LEICESTER_VALUES = {1: (12, 1), 2: (9, 1), 3: (14, 2), 4: (11, 1)}  # reports a, events b
LEICESTER_NARRATIVE = (
    "Took {n} reports from the Highfields and Belgrave drop-ins; shared the tension picture with "
    "the city's community safety partnership."
)


def demo_start(today: dt.date) -> dt.date:
    """The demo agreements began a year before the current financial year."""
    return dt.date(periods.financial_year_of(today) - 1, 4, 1)


def load(
    organisations: dict[str, Organisation], users: dict[str, User], today: dt.date
) -> list[Agreement]:
    leicester = organisations["Leicester City Council"]
    fund, created = Fund.objects.get_or_create(
        council=leicester, name=LEICESTER_FUND["name"], defaults=LEICESTER_FUND
    )
    if created:
        FundTheme.objects.bulk_create(
            FundTheme(
                fund=fund,
                order=number,
                name=f"Theme {number}",
                description="Named in Appendix 1 (Outline Strategy: Major Themes) of the report.",
            )
            for number in range(1, LEICESTER_THEMES + 1)
        )

    start = demo_start(today)
    kettering = organisations[core_demo.KETTERING]
    kettering_fund, _ = Fund.objects.get_or_create(
        council=kettering,
        name=KETTERING_FUND["name"],
        defaults={
            **KETTERING_FUND,
            "start_date": start,
            "end_date": dt.date(start.year + 4, 3, 31),
        },
    )
    cohesion = _agreement(
        reference="KBC-CCE-01",
        title="Community Cohesion and Equalities Service Specification",
        funder=kettering,
        provider=organisations[core_demo.PROVIDER_ONE],
        fund=kettering_fund,
        lead_officer=users.get("officer"),
        start=start,
        years=4,
        total=Decimal("100000.00"),
        allocation_note=(
            "To be agreed at Executive, 12 September 2012. The demo shows an example allocation."
        ),
        outcome=(
            "Residents of Kettering Borough live in communities which get along with each other "
            "and that hate crime is eliminated."
        ),
        purpose=(
            "A community cohesion and equalities service for Kettering: hate crime support, "
            "complainant aid and immigration casework, and events that bring communities "
            "together."
        ),
        objectives=CORE_OBJECTIVES,
        requirements=MINIMUM_REQUIREMENTS,
        indicators=INDICATORS,
        units=UNITS,
        in_kind=IN_KIND,
        added_value=ADDED_VALUE,
        requires_beneficiary_figures=True,
    )
    volunteering = _agreement(
        reference="KBC-VOL-01",
        title="Volunteering and Community Groups Support Service Specification",
        funder=kettering,
        provider=organisations[core_demo.PROVIDER_TWO],
        fund=kettering_fund,
        lead_officer=users.get("officer"),
        start=start,
        years=2,
        total=Decimal("40000.00"),
        allocation_note="Agreed by the Executive.",
        outcome="More residents volunteer, and community groups keep their volunteers.",
        purpose=(
            "Volunteer brokerage for Kettering's residents, and training and support for the "
            "community groups that take volunteers on."
        ),
        objectives=VOLUNTEERING["objectives"],
        requirements=VOLUNTEERING["requirements"],
        indicators=VOLUNTEERING["indicators"],
        units=VOLUNTEERING["units"],
        in_kind=[],
        added_value=[],
    )
    reporting_centre = _agreement(
        reference="LCC-HCR-01",
        title="Hate Crime Reporting Centre and Bridge-Building Grant",
        funder=leicester,
        provider=organisations[core_demo.PROVIDER_ONE],
        fund=None,
        lead_officer=users.get("leicester"),
        start=start,
        years=3,
        total=Decimal("36000.00"),
        allocation_note="Awarded by the Community Cohesion Action Planning Group.",
        outcome="Hate crime is reported and answered, and Leicester's communities meet.",
        purpose=(
            "A third-party hate crime reporting centre for Leicester's neighbourhoods, and "
            "events that bring their communities together."
        ),
        objectives=LEICESTER_GRANT["objectives"],
        requirements=LEICESTER_GRANT["requirements"],
        indicators=LEICESTER_GRANT["indicators"],
        units=LEICESTER_GRANT["units"],
        in_kind=[],
        added_value=[],
        requires_beneficiary_figures=True,
    )
    return [cohesion, volunteering, reporting_centre]


def _agreement(
    *,
    reference,
    title,
    funder,
    provider,
    fund,
    lead_officer,
    start,
    years,
    total,
    allocation_note,
    outcome,
    purpose,
    objectives,
    requirements,
    indicators,
    units,
    in_kind,
    added_value,
    requires_beneficiary_figures=False,
) -> Agreement:
    agreement, created = Agreement.objects.get_or_create(
        reference=reference,
        defaults={
            "title": title,
            "funder": funder,
            "provider": provider,
            "fund": fund,
            "lead_officer": lead_officer,
            "start_date": start,
            "end_date": dt.date(start.year + years, 3, 31),
            "total_allocation": total,
            "allocation_note": allocation_note,
            "payment_terms": (
                "Split into equal annual amounts with grants being paid in advance in two "
                "stages during the year."
            ),
            "outcome": outcome,
            "purpose": purpose,
            "award_date": start - dt.timedelta(days=30),
            "department": "Community Development",
            "published": True,
            "requires_beneficiary_figures": requires_beneficiary_figures,
        },
    )
    if created:
        AgreementObjective.objects.bulk_create(
            AgreementObjective(agreement=agreement, order=n, text=text)
            for n, text in enumerate(objectives, start=1)
        )
        MinimumRequirement.objects.bulk_create(
            MinimumRequirement(agreement=agreement, number=n, text=text)
            for n, text in enumerate(requirements, start=1)
        )
        PerformanceIndicator.objects.bulk_create(
            PerformanceIndicator(
                agreement=agreement,
                order=n,
                code=code,
                wording=wording,
                measure_type=measure,
                target=Decimal(target) if target is not None else None,
                target_period=per,
                unit=units.get(code, ""),
                amber_tolerance=Decimal(tolerance),
            )
            for n, (code, wording, measure, target, per, tolerance) in enumerate(indicators, 1)
        )
        InKindContribution.objects.bulk_create(
            InKindContribution(agreement=agreement, order=n, description=text, condition=cond)
            for n, (text, cond) in enumerate(in_kind, start=1)
        )
        AddedValue.objects.bulk_create(
            AddedValue(agreement=agreement, order=n, text=text)
            for n, text in enumerate(added_value, start=1)
        )
    services.set_up_agreement(agreement=agreement)
    return agreement


# Returns: a history of approved quarters, one awaiting review, one sent back and one overdue.
COHESION_NARRATIVE = {
    "a": "Supported {n} neighbourhood activities bringing together residents of different "
    "cultural backgrounds, including a shared lunch and a youth football tournament.",
    "d": "Handled {n} complainant aid and immigration cases; ran an awareness session on rights "
    "across the protected characteristics at the library.",
    "e": "Attended the countywide community tension monitoring group and shared {n} reports.",
}
COHESION_VALUES = {  # quarter -> (events b, groups c, milestone f, funding % g)
    1: (1, 5, False, 70),
    2: (1, 4, True, 76),
    3: (0, 3, True, 80),
    4: (1, 6, True, 78),
}
VOLUNTEERING_VALUES = {  # quarter -> (placed a, groups trained b, retained % c, accredited d)
    1: (17, 3, 72, False),
    2: (14, 2, 68, False),
    3: (16, 4, 71, True),
    4: (19, 3, 74, True),
}


def load_returns(agreements: list[Agreement], users: dict[str, User], today: dt.date) -> None:
    """Give the demo agreements a realistic history of returns, through the services."""
    if users.get("officer") is None:
        return
    cohesion, volunteering, reporting_centre = agreements
    for agreement, provider, plan in [
        (cohesion, users["provider"], _cohesion_plan),
        (volunteering, users["provider2"], _volunteering_plan),
        (reporting_centre, users["provider"], _cohesion_plan),
    ]:
        officer = agreement.lead_officer
        past = [
            p
            for p in ReportingPeriod.objects.filter(
                start_date__gte=agreement.start_date,
                end_date__lte=agreement.end_date,
                due_date__lt=today,
            ).order_by("financial_year", "quarter")
        ]
        for index, period in enumerate(past):
            if QuarterlyReturn.objects.filter(agreement=agreement, period=period).exists():
                continue
            outcome = plan(index, len(past))
            _demo_return(agreement, period, provider, officer, outcome)


def load_diversity(users: dict[str, User], today: dt.date) -> None:
    """The cohesion network has answered this year's questions on its own diversity, and lets
    them be published; the volunteer centre has not answered (answering is optional)."""
    provider = users.get("provider")
    year = periods.financial_year_of(today)
    if provider is None or provider.organisation.diversity_answers.filter(financial_year=year):
        return
    services.record_diversity(
        organisation=provider.organisation,
        by=provider,
        financial_year=year,
        leadership=diversity.AreaAnswer(
            reply=diversity.REPLY_GOT,
            codes=("DEI010000",),
            geography="Most of our trustees and staff live in Kettering.",
        ),
        mission=diversity.AreaAnswer(reply=diversity.REPLY_GOT, codes=("DEI010000", "DEI050000")),
        may_publish=True,
    )


def load_payments(agreements: list[Agreement], users: dict[str, User], today: dt.date) -> None:
    """Release, on its due date, each instalment already due that the returns allow."""
    if users.get("officer") is None:
        return
    due = (
        PaymentInstalment.objects.filter(
            agreement__in=agreements,
            status=PaymentInstalment.Status.SCHEDULED,
            due_date__lte=today,
        )
        .select_related("agreement__lead_officer")
        .order_by("due_date", "sequence")
    )
    for instalment in due:
        try:
            services.release_instalment(instalment=instalment, by=instalment.agreement.lead_officer)
        except ValidationError:
            continue  # its quarter's return is not approved: it waits, as it would
        moment = timezone.make_aware(dt.datetime.combine(instalment.due_date, dt.time(9, 0)))
        PaymentInstalment.objects.filter(pk=instalment.pk).update(decided_at=moment)
        instalment.transitions.update(at=moment)


def _cohesion_plan(index: int, count: int) -> str:
    return "submitted" if index == count - 1 else "approved"


def _volunteering_plan(index: int, count: int) -> str:
    if index == count - 1:
        return "draft"
    return "changes_requested" if index == count - 2 else "approved"


def _demo_return(agreement, period, provider, officer, outcome: str) -> None:
    quarterly_return = services.start_return(agreement=agreement, period=period, by=provider)
    for row in selectors.return_detail(quarterly_return).rows_to_answer:
        indicator = row.indicator
        values = _demo_answer(agreement, indicator, period.quarter)
        if outcome == "draft" and indicator.order > 2:
            break
        services.save_indicator_answer(
            quarterly_return=quarterly_return,
            indicator=indicator,
            by=provider,
            expected_version=None,
            **values,
        )
    if outcome == "draft":
        return
    if agreement.requires_beneficiary_figures:
        services.save_beneficiary_figures(
            quarterly_return=quarterly_return,
            by=provider,
            expected_version=None,
            **demo_people(period),
        )
    services.save_requirement_answers(
        quarterly_return=quarterly_return,
        by=provider,
        expected_version=None,
        answers={
            r.pk: (True, "Met as described in the quarterly report.")
            for r in agreement.requirements.all()
        },
    )
    services.submit_return(quarterly_return=quarterly_return, by=provider)
    _backdate(quarterly_return, "submitted", period.due_date - dt.timedelta(days=3))
    if outcome == "approved":
        services.approve_return(
            quarterly_return=quarterly_return, by=officer, comment="Thank you, a clear return."
        )
    elif outcome == "changes_requested":
        first = agreement.indicators.first()
        services.request_changes(
            quarterly_return=quarterly_return,
            by=officer,
            comment="Please check the number of volunteers placed against your records.",
            flags={f"indicator:{first.pk}": "This looks lower than the volunteer log shows."},
        )
    if outcome in ("approved", "changes_requested"):
        _backdate(quarterly_return, outcome, period.due_date + dt.timedelta(days=9))


# The people the cohesion service worked with: made up for the demo, in a mix a service for a
# town like Kettering might see, different each quarter, with the small counts real ones have.
PEOPLE_PER_QUARTER = {1: 46, 2: 58, 3: 39, 4: 64}
PEOPLE_MIX = {
    "age": {
        "under-16": 6,
        "16-24": 14,
        "25-34": 20,
        "35-49": 24,
        "50-64": 18,
        "65-74": 9,
        "75-over": 4,
        "prefer-not-to-say": 2,
        "not-known": 3,
    },
    "disability": {
        "limited-a-lot": 9,
        "limited-a-little": 12,
        "not-disabled": 64,
        "prefer-not-to-say": 5,
        "not-known": 10,
    },
    "gender-reassignment": {"same": 80, "different": 2, "prefer-not-to-say": 6, "not-known": 12},
    "marriage-civil-partnership": {
        "never": 30,
        "married": 38,
        "separated": 4,
        "divorced": 10,
        "widowed": 6,
        "prefer-not-to-say": 5,
        "not-known": 7,
    },
    "pregnancy-maternity": {"yes": 3, "no": 80, "prefer-not-to-say": 4, "not-known": 13},
    "race": {
        "asian-bangladeshi": 1,
        "asian-chinese": 1,
        "asian-indian": 5,
        "asian-pakistani": 2,
        "asian-other": 1,
        "black-african": 4,
        "black-caribbean": 2,
        "black-other": 1,
        "mixed-white-asian": 1,
        "mixed-white-black-african": 1,
        "mixed-white-black-caribbean": 2,
        "mixed-other": 1,
        "white-british": 62,
        "white-irish": 2,
        "white-gypsy-traveller": 1,
        "white-roma": 1,
        "white-other": 8,
        "other-arab": 1,
        "other-any": 1,
        "prefer-not-to-say": 2,
        "not-known": 3,
    },
    "religion-belief": {
        "none": 30,
        "christian": 45,
        "buddhist": 1,
        "hindu": 3,
        "jewish": 1,
        "muslim": 5,
        "sikh": 2,
        "other": 1,
        "prefer-not-to-say": 6,
        "not-known": 6,
    },
    "sex": {"female": 54, "male": 42, "prefer-not-to-say": 2, "not-known": 2},
    "sexual-orientation": {
        "straight": 76,
        "gay-lesbian": 4,
        "bisexual": 3,
        "other": 1,
        "prefer-not-to-say": 9,
        "not-known": 7,
    },
}
# A quarter in which a characteristic was not asked, as happens.
NOT_ASKED = {3: {"pregnancy-maternity": "Not asked at the drop-in sessions this quarter."}}


def demo_people(period: ReportingPeriod) -> dict:
    """The demo's figures of people for a quarter: its total spread over each characteristic's
    categories by the mix above, nudged a little each quarter."""
    total = PEOPLE_PER_QUARTER[period.quarter] + 4 * (period.financial_year % 3)
    not_collected = NOT_ASKED.get(period.quarter, {})
    counts = {
        code: _spread(total, mix, period.financial_year * 4 + period.quarter)
        for code, mix in PEOPLE_MIX.items()
        if code not in not_collected
    }
    return {"people_reached": total, "counts": counts, "not_collected": not_collected}


def _spread(total: int, mix: dict[str, int], seed: int) -> dict[str, int]:
    """`total` shared out in the proportions of `mix`, each nudged by up to a fifth, rounded by
    largest remainder so the shares add up to the total."""
    weights = {
        code: weight * (1 + ((seed + position * 3) % 5 - 2) / 10)
        for position, (code, weight) in enumerate(mix.items())
    }
    whole = sum(weights.values())
    exact = {code: total * weight / whole for code, weight in weights.items()}
    counts = {code: int(share) for code, share in exact.items()}
    by_remainder = sorted(exact, key=lambda code: exact[code] - counts[code], reverse=True)
    for code in by_remainder[: total - sum(counts.values())]:
        counts[code] += 1
    return counts


def _backdate(quarterly_return, status: str, day: dt.date) -> None:
    """Give the demo's history the dates it would have had: submitted a few days before the
    due date, decided a week or so after it."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))
    ReturnTransition.objects.filter(quarterly_return=quarterly_return, to_status=status).update(
        at=moment
    )
    field = "submitted_at" if status == "submitted" else "decided_at"
    QuarterlyReturn.objects.filter(pk=quarterly_return.pk).update(**{field: moment})
    if status == "submitted":
        quarterly_return.submissions.update(submitted_at=moment)


def _demo_answer(agreement, indicator, quarter: int) -> dict:
    if agreement.reference == "KBC-CCE-01":
        events, groups, adopted, funding = COHESION_VALUES[quarter]
        by_code = {
            "b": {"actual_value": Decimal(events), "narrative": "Holocaust Memorial Day event."},
            "c": {"actual_value": Decimal(groups)},
            "f": {"achieved": adopted},
            "g": {"actual_value": Decimal(funding)},
        }
    elif agreement.reference == "LCC-HCR-01":
        reports, events = LEICESTER_VALUES[quarter]
        by_code = {"a": {"actual_value": Decimal(reports)}, "b": {"actual_value": Decimal(events)}}
        if indicator.measure_type == "narrative":
            return {"narrative": LEICESTER_NARRATIVE.format(n=reports)}
    else:
        placed, trained, retained, accredited = VOLUNTEERING_VALUES[quarter]
        by_code = {
            "a": {"actual_value": Decimal(placed)},
            "b": {"actual_value": Decimal(trained)},
            "c": {"actual_value": Decimal(retained)},
            "d": {"achieved": accredited},
        }
    values = by_code.get(indicator.code, {})
    if indicator.measure_type == "narrative":
        values = {"narrative": COHESION_NARRATIVE[indicator.code].format(n=quarter + 2)}
    return values


def sample_workbook() -> bytes:
    """The agreements import's sample: seed 000's agreement, its indicators and requirements, in
    the columns the import reads."""
    workbook = Workbook()
    agreements = workbook.active
    agreements.title = "Agreements"
    agreements.append(
        [
            "Reference",
            "Title",
            "Provider",
            "Fund",
            "Lead officer",
            "Status",
            "Start date",
            "End date",
            "Total allocation",
            "Award date",
            "Department",
            "Purpose",
            "Outcome",
        ]
    )
    agreements.append(
        [
            "KBC-CCE-02",
            "Community Cohesion and Equalities Service Specification",
            core_demo.PROVIDER_ONE,
            KETTERING_FUND["name"],
            "officer",
            "Draft",
            dt.date(2030, 4, 1),
            dt.date(2034, 3, 31),
            100000,
            dt.date(2030, 3, 1),
            "Community Development",
            "A community cohesion and equalities service for Kettering.",
            "Residents of Kettering Borough live in communities which get along with each other.",
        ]
    )
    indicators = workbook.create_sheet("Indicators")
    indicators.append(
        [
            "Agreement",
            "Code",
            "Indicator",
            "Measure",
            "Target",
            "Target period",
            "Unit",
            "Amber tolerance",
        ]
    )
    for code, wording, measure, target, per, tolerance in INDICATORS:
        indicators.append(
            [
                "KBC-CCE-02",
                code,
                wording,
                measure.label,
                target and int(target),
                per.label,
                UNITS.get(code, ""),
                int(tolerance),
            ]
        )
    requirements = workbook.create_sheet("Requirements")
    requirements.append(["Agreement", "Number", "Requirement"])
    for number, text in enumerate(MINIMUM_REQUIREMENTS, start=1):
        requirements.append(["KBC-CCE-02", number, text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
