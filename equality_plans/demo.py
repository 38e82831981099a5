"""Demo equality plans, transcribed from seeds 001, 003 and 004, and the equality impact
assessments of seeds 002 and 004 (`equality_plans.assessments.demo`).

Seeds 003 and 004 are kept as CSV files beside this module, in the columns the councils use;
seed 004's file is also the sample for importing a plan.
"""

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from equality_plans import importing, services
from equality_plans.assessments import demo as assessments_demo
from equality_plans.models import (
    Action,
    ActionPlan,
    EqualityStrand,
    Indicator,
    Objective,
    PopulationProfile,
    ProgressUpdate,
    ProtectedCharacteristic,
    RagStatus,
    Section,
)
from equality_plans.strands import CHARACTERISTICS, STRANDS, parse_strand_codes
from equality_plans.timescales import parse_due_date, split_lead_and_timescale
from sla_monitor.models import Organisation, User

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
KINGSTON_CSV = importing.SAMPLE  # seed 004, which the plan import offers as its sample
LEICESTERSHIRE_CSV = DATA_DIR / "leicestershire_single_equality_scheme_2011_14.csv"

LEICESTERSHIRE_PARTNERS = ["BDC", "CBC", "HDC", "HBBC", "MBC", "NWL", "OWBC"]
# The scheme writes some partners' codes two ways.
PARTNER_CODE_ALIASES = {"OWDC": "OWBC", "MDC": "MBC"}

KENSINGTON_AIMS = [
    (
        "Improve the way that partners inform, communicate with, consult and involve local "
        "residents",
        [
            (
                "A",
                "Carry out an audit of consultation and engagement activities across KCP "
                "partners to identify opportunities and gaps",
            ),
            ("B", "Produce audit and disseminate findings"),
            (
                "C",
                "Explore opportunities for joint working on consultation and engagement "
                "activities to avoid duplication of effort and adopt the Joint Framework for "
                "Community Engagement",
            ),
            (
                "D",
                "Review the recommendations and propose next steps based on the findings of "
                "the community evaluators to improve engagement and empowerment opportunities in "
                "the borough",
            ),
            (
                "E",
                "Explore bringing together a partner practitioners group to share best practice "
                "in consultation and engagement",
            ),
            (
                "F",
                "Consider a communication plan with publications, marketing campaign and "
                "website to promote engagement opportunities for local people across the borough",
            ),
        ],
    ),
    (
        "Improve the relevance and accessibility of local services and other service users",
        [
            (
                "A",
                "Be a reference group to the Compact Implementation Group and help promote the "
                "commitment of the Compact in KCP priorities and ways of working",
            ),
            (
                "B",
                "Keep an overview of the commissioning of statutory partners with the third "
                "sector, and support work to build the capacity of the third sector in the "
                "delivery of public services",
            ),
            (
                "C",
                "Consider what steps can be taken to build on existing practice to promote "
                "volunteering (e.g. a borough-wide volunteering policy or strategy)",
            ),
        ],
    ),
    (
        "Support and develop community life and leadership in the borough",
        [
            ("A", "Support the revision of the Inclusive Kensington and Chelsea work"),
            (
                "B",
                "Keep abreast of the new equalities work locally and national requirements in "
                "the Single Equalities Act. Promote equality and diversity including encouraging "
                "wider representation in resident and tenant associations in the borough",
            ),
            (
                "C",
                "Consider developing specific proposals to promote active citizenship building "
                "on the work of schools and New Citizens Voice locally for all communities",
            ),
            ("D", "Add value to work in the borough to co-ordinate 2012 activities"),
            (
                "E",
                "Be a reference group to the Resilient Communities Grant Fund and help promote "
                "the resilience of communities in the borough",
            ),
        ],
    ),
]
# code, title, aim number
NATIONAL_INDICATORS = [
    (
        "NI 1",
        "Percentage of people who believe people from different backgrounds get on well "
        "together in their local area",
        3,
    ),
    ("NI 2", "Percentage of people who feel they belong to their neighbourhood", 3),
    ("NI 3", "Civic participation in the local area", 1),
    ("NI 4", "Percentage of people who feel they can influence decisions in their locality", 1),
    ("NI 6", "Participation in regular volunteering", 3),
    ("NI 7", "Environment for a thriving third sector", 3),
    (
        "NI 23",
        "Perceptions that people in the area treat one another with respect and consideration",
        3,
    ),
]


def load_strands() -> dict[str, EqualityStrand]:
    """The strands of seed 004's key, each naming its protected characteristics. A strand that
    exists already is left as it is."""
    characteristics = load_characteristics()
    strands = {}
    for order, definition in enumerate(STRANDS, start=1):
        strand, created = EqualityStrand.objects.get_or_create(
            code=definition.code,
            defaults={"name": definition.name, "covers_all": definition.covers_all, "order": order},
        )
        if created:
            strand.characteristics.set(characteristics[c] for c in definition.characteristics)
        strands[definition.code] = strand
    return strands


def load_characteristics() -> dict[str, ProtectedCharacteristic]:
    """The nine, which the migration that made their table wrote; again after a flush."""
    return {
        code: ProtectedCharacteristic.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )[0]
        for order, (code, name) in enumerate(CHARACTERISTICS, start=1)
    }


def load(organisations: dict[str, Organisation], users: dict[str, User]) -> list[ActionPlan]:
    """The plans, their actions and strands (no service makes a plan: a council's plan is set
    up in the administration or imported); the progress its owner recorded and the districts'
    populations go through the services, as a person records them, so only with the demo's
    people."""
    strands = load_strands()
    councils = {o.short_code: o for o in organisations.values() if o.short_code}
    kingston = _load_kingston(councils["RBK"], strands, users.get("equality"))
    if users.get("equality"):
        _load_progress(kingston, users["equality"])
    if users.get("admin"):
        load_population_profiles(councils, by=users["admin"])
    plans = [_load_kensington(councils["RBKC"]), _load_leicestershire(councils), kingston]
    # Leicester's assessment of its fund adds a plan of its own for its mitigations.
    assessments_demo.load(organisations, users)
    return plans


# Quarterly updates the action owner gave on the first directorate's actions in 2015-16.
PROGRESS = [
    (RagStatus.GREEN, "On track; reported to the Equalities Board this quarter."),
    (RagStatus.AMBER, "Started later than planned; a revised timetable goes to the next Board."),
    (RagStatus.RED, "Not started: waiting for the data it depends on."),
    (RagStatus.COMPLETED, "Completed and reported to the Equalities Board."),
]


def _load_progress(plan: ActionPlan, owner: User) -> None:
    actions = plan.actions.filter(owner=owner).order_by("order")
    if ProgressUpdate.objects.filter(action__in=actions).exists():
        return
    for index, action in enumerate(actions):
        rag, narrative = PROGRESS[index % len(PROGRESS)]
        services.record_progress(
            action=action,
            by=owner,
            financial_year=2015,
            quarter=2,
            rag_status=rag,
            narrative=narrative,
        )


def _plan(**fields) -> tuple[ActionPlan, bool]:
    return ActionPlan.objects.get_or_create(
        owner=fields.pop("owner"), title=fields.pop("title"), defaults=fields
    )


def _section(plan: ActionPlan, order: int, title: str, number: str = "") -> Section:
    section, _ = Section.objects.get_or_create(
        plan=plan, title=title, defaults={"order": order, "number": number}
    )
    return section


def _load_kensington(owner: Organisation) -> ActionPlan:
    plan, _ = _plan(
        owner=owner,
        title="Community, Equality and Inclusivity Partnership: draft work programme",
        goal=(
            "A borough where all local people feel acceptance by the wider community and where "
            "everyone can access the services they need"
        ),
        description=(
            "Early priorities of the Kensington and Chelsea Partnership under 'The Future of Our "
            "Community 2008-2018', with its Local Area Agreement indicators."
        ),
        start_date=dt.date(2008, 4, 1),
        end_date=dt.date(2018, 3, 31),
        section_label="Aim",
        objective_label="Priority",
    )
    sections = {}
    order = 0
    for number, (aim, priorities) in enumerate(KENSINGTON_AIMS, start=1):
        section = sections[number] = _section(plan, number, aim, str(number))
        for letter, wording in priorities:
            order += 1
            Action.objects.get_or_create(
                plan=plan,
                number=f"{number}{letter}",
                defaults={"section": section, "order": order, "wording": wording},
            )
    for code, title, aim in NATIONAL_INDICATORS:
        indicator, _ = Indicator.objects.get_or_create(
            code=code, defaults={"title": title, "kind": Indicator.Kind.NATIONAL, "unit": "%"}
        )
        indicator.sections.add(sections[aim])
    return plan


def _load_leicestershire(councils: dict[str, Organisation]) -> ActionPlan:
    plan, _ = _plan(
        owner=councils["HBBC"],
        title="Leicestershire District Councils Single Equality Scheme 2011-2014: action plan",
        goal="Promote equality and diversity in everything the partner councils do.",
        description=(
            "The action plan of the Leicestershire District Councils Equality and Diversity "
            "Partnership, against the five performance areas of the Equality Framework for "
            "Local Government."
        ),
        start_date=dt.date(2011, 4, 1),
        end_date=dt.date(2014, 3, 31),
        section_label="Equality Framework area",
        objective_label="Commitment",
    )
    partners = [councils[code] for code in LEICESTERSHIRE_PARTNERS]
    plan.partner_councils.add(*partners)
    with LEICESTERSHIRE_CSV.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    counters: dict[str, int] = {}
    for order, row in enumerate(rows, start=1):
        section = _section(plan, int(row["Area No"]), row["Area"], row["Area No"])
        number = row["Commitment No"]
        objective, _ = Objective.objects.get_or_create(
            section=section,
            number=number,
            defaults={
                "title": row["Commitment"],
                "responsible_officer": row["Responsible Officer"],
                "order": int(number.split(".")[1]),
            },
        )
        counters[number] = counters.get(number, 0) + 1
        action, created = Action.objects.get_or_create(
            plan=plan,
            number=f"{number}.{counters[number]}",
            defaults={
                "section": section,
                "objective": objective,
                "order": order,
                "wording": row["Action required"],
                "lead_responsibility": row["Responsible Officer"],
                "outcome": row["Outcome"],
                "timescale": row["Target/Date"],
                "due_date": parse_due_date(row["Target/Date"]),
                "partner_authorities_text": row["Cross-ref to Partner authority"],
            },
        )
        if created:
            action.partner_authorities.set(
                _partner_councils(row["Cross-ref to Partner authority"], councils, partners)
            )
    return plan


def _partner_councils(
    text: str, councils: dict[str, Organisation], everyone: list[Organisation]
) -> list[Organisation]:
    """Read "HBBC; MBC; BDC" or "ALL" into the councils it names."""
    words = text.replace(";", " ").replace(",", " ").split()
    if any(word.upper() == "ALL" for word in words):
        return everyone
    codes = {PARTNER_CODE_ALIASES.get(word.upper(), word.upper()) for word in words}
    return [council for code, council in councils.items() if code in codes]


def _load_kingston(
    owner: Organisation, strands: dict[str, EqualityStrand], equality_owner: User | None
) -> ActionPlan:
    plan, _ = _plan(
        owner=owner,
        title="Equality Objectives and Community Cohesion Action Plan 2015-2016",
        description="Actions by directorate, tagged with equality strands, with year-end reports.",
        start_date=dt.date(2015, 4, 1),
        end_date=dt.date(2016, 3, 31),
        section_label="Directorate",
        objective_label="Objective",
    )
    with KINGSTON_CSV.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    section_order: dict[str, int] = {}
    for order, row in enumerate(rows, start=1):
        section_order.setdefault(row["Section"], len(section_order) + 1)
        section = _section(plan, section_order[row["Section"]], row["Section"])
        lead, timescale = split_lead_and_timescale(row["Lead Responsibility & Timescales"])
        action, created = Action.objects.get_or_create(
            plan=plan,
            number=row["No"],
            defaults={
                "section": section,
                "order": order,
                "wording": row["Action"],
                "linked_strategies": row["Link to Statutory Returns, Key Strategies & Plans"],
                "lead_responsibility": lead,
                "timescale": timescale,
                "due_date": parse_due_date(timescale),
                "monitored_by": row["Monitored By"],
                # The first directorate's actions are the demo action owner's to update.
                "owner": equality_owner if section_order[row["Section"]] == 1 else None,
            },
        )
        if created:
            codes, _unknown = parse_strand_codes(row["ES & CC"])
            action.strands.set(strands[code] for code in codes)
    return plan


# Seed 003's profiles of the seven districts (its section 4.2, "The Local Context"). Each gives
# the share of ethnic minorities (BME), of Christians and of the largest non-Christian religion;
# the rest it gives as bounds or as numbers of people, which are left out rather than guessed.
SCHEME = (
    "Leicestershire District Councils Equality and Diversity Partnership, Single Equality "
    "Scheme 2011-2014"
)
PROFILE_YEAR = 2003  # each is headed "Profile of Blaby District - 2003" and so on

# short code, area, section, BME %, religions (%), no religion as the scheme bounds it,
# the largest ethnic groups as it gives them
POPULATION = [
    (
        "BDC",
        "Blaby District",
        "4.2.1",
        "7.6",
        {"christian": "74", "hindu": "1.9"},
        "over 22%",
        "Indian 3,043 people, Other White 1,052, Irish 683",
    ),
    (
        "CBC",
        "Charnwood Borough",
        "4.2.2",
        "10.8",
        {"christian": "69.55", "hindu": "3.98"},
        "over 23.78%, with those who did not state a religion",
        "Indian 7,203 people, Other White 2,639, Bangladeshi 1,249",
    ),
    (
        "HDC",
        "Harborough District",
        "4.2.3",
        "4.2",
        {"christian": "78", "hindu": "0.47"},
        "over 20.6%",
        "Other White 1,131 people, Indian 631, Irish 488",
    ),
    (
        "HBBC",
        "Hinckley and Bosworth Borough",
        "4.2.4",
        "3.5",
        {"christian": "78", "hindu": "0.5"},
        "over 20%",
        "Other White and Indian, named without figures",
    ),
    (
        "MBC",
        "Melton Borough",
        "4.2.5",
        "3.2",
        {"christian": "79", "hindu": "0.3"},
        "over 20%",
        "Other White 613 people, Irish 308, Indian 209",
    ),
    (
        "NWL",
        "North West Leicestershire District",
        "4.2.6",
        "2.26",
        {"christian": "78", "hindu": "0.2"},
        "over 21%",
        "Other White 742 people, Irish 460, Indian 294",
    ),
    (
        "OWBC",
        "Oadby and Wigston Borough",
        "4.2.7",
        "18.2",
        {"christian": "64.8", "hindu": "6.0", "sikh": "4.2", "muslim": "2.8"},
        "over 21%",
        "Indian 6,362 people, Other White 765, Other Asian 566",
    ),
]


def _population_notes(no_religion: str, ethnic_groups: str) -> str:
    return (
        "Transcribed from the scheme's profile of the area, which gives the share of ethnic "
        "minorities (BME), of Christians and of the largest other religions. Left out: the "
        f"share with no religion, which the scheme gives only as a bound ({no_religion}), not a "
        f"figure; the largest ethnic groups ({ethnic_groups}), which it gives as numbers of "
        "people, not as shares of a population it states; and age, disability, sex and the "
        "other characteristics, for which it gives no figures."
    )


def load_population_profiles(councils: dict[str, Organisation], *, by: User) -> None:
    """The districts' populations as seed 003 gives them, recorded by an administrator; a
    profile already there is left as it is, and Kettering, for which no seed gives figures, has
    none."""
    recorded = set(PopulationProfile.objects.values_list("council_id", flat=True))
    for code, area, section, minorities, religions, no_religion, ethnic_groups in POPULATION:
        if councils[code].pk in recorded:
            continue
        services.record_population(
            council=councils[code],
            by=by,
            area=area,
            source=f"{SCHEME}, section {section} ({area})",
            year=PROFILE_YEAR,
            under_reach_tolerance=PopulationProfile._meta.get_field(
                "under_reach_tolerance"
            ).default,
            notes=_population_notes(no_religion, ethnic_groups),
            shares={
                "race": {"ethnic-minority": Decimal(minorities)},
                "religion-belief": {c: Decimal(share) for c, share in religions.items()},
            },
        )
