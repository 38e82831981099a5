"""The funds and agreements of seeds 000 (Kettering) and 002 (Leicester), transcribed: the demo
loads them, and the agreements import's sample holds seed 000's agreement."""

import datetime as dt
from decimal import Decimal

from grants.models import PerformanceIndicator

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
    "eligibility": (
        "Statutory and/or voluntary organisations, as the Community Cohesion Action Planning "
        "Group defines them."
    ),
    "eligible_organisation_types": ["charity", "cio", "community_group", "other"],
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
    "eligibility": "Voluntary and community organisations serving the borough.",
    "eligible_organisation_types": ["charity", "cio", "cic", "community_group"],
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
    "units": {"a": "reports", "b": "events", "d": "complaints"},
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
        (
            "d",
            "Complaints about the reporting centre (no more than 2 a quarter).",
            Measure.COUNT,
            "2",
            Per.QUARTER,
            "50",
        ),
    ],
    # Fewer complaints are better: 2 or fewer green, 3 amber, more red.
    "directions": {"d": "lower"},
}


# A small grant the demo adds beside seed 000's: a few thousand pounds, reported once a year.
LUNCH_CLUB = {
    "objectives": [
        "Bring older residents from different backgrounds together over a weekly lunch.",
    ],
    "requirements": [
        "A year-end return on the sessions held and what the club made possible.",
    ],
    "indicators": [
        ("a", "Lunch club sessions held.", "count", 40, "year", 10),
        (
            "b",
            "What the club made possible for its members this year.",
            "narrative",
            None,
            "none",
            10,
        ),
    ],
    "units": {"a": "sessions"},
}
