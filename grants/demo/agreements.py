"""The demo's funds and agreements, transcribed from seeds 000 (Kettering) and 002 (Leicester)."""

import datetime as dt
from decimal import Decimal

from grants import services
from grants.models import Agreement, Fund, FundTheme, PerformanceIndicator
from grants.publishing import missing_for_publication
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


def demo_start(today: dt.date) -> dt.date:
    """The demo agreements began a year before the current financial year."""
    return dt.date(periods.financial_year_of(today) - 1, 4, 1)


def load(
    organisations: dict[str, Organisation], users: dict[str, User], today: dt.date
) -> list[Agreement]:
    """The funds, and the agreements each set up by its council's lead officer through the
    set-up wizard's service; without the demo's people there is no one to set them up, and the
    funds alone are loaded."""
    leicester = organisations[core_demo.LEICESTER]
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
    if users.get("officer") is None:
        return []
    cohesion = _agreement(
        reference="KBC-CCE-01",
        title="Community Cohesion and Equalities Service Specification",
        funder=kettering,
        provider=organisations[core_demo.PROVIDER_ONE],
        fund=kettering_fund,
        lead_officer=users["officer"],
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
        lead_officer=users["officer"],
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
        lead_officer=users["leicester"],
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
    """The agreement as its lead officer sets it up, published as open data once it has what
    publication needs (Leicester has no 360Giving prefix, so its grant stays unpublished)."""
    existing = Agreement.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    agreement = services.create_agreement(
        by=lead_officer,
        details={
            "reference": reference,
            "title": title,
            "funder": funder,
            "provider": provider,
            "fund": fund,
            "lead_officer": lead_officer,
            "start_date": start,
            "end_date": dt.date(start.year + years, 3, 31),
            "total_allocation": total,
            "allocation_note": allocation_note,
            "award_date": start - dt.timedelta(days=30),
            "department": "Community Development",
            "purpose": purpose,
            "requires_beneficiary_figures": requires_beneficiary_figures,
        },
        outcome=outcome,
        payment_terms=(
            "Split into equal annual amounts with grants being paid in advance in two stages "
            "during the year."
        ),
        objectives=objectives,
        requirements=requirements,
        in_kind=in_kind,
        added_values=added_value,
        indicators=[
            {
                "code": code,
                "wording": wording,
                "measure_type": measure,
                "target": Decimal(target) if target is not None else None,
                "target_period": per,
                "unit": units.get(code, ""),
                "amber_tolerance": Decimal(tolerance),
            }
            for code, wording, measure, target, per, tolerance in indicators
        ],
    )
    if not missing_for_publication(agreement):
        services.set_published(agreement=agreement, by=lead_officer, published=True)
    return agreement
