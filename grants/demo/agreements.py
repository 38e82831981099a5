"""The demo's funds and agreements, transcribed from seeds 000 (Kettering) and 002 (Leicester)."""

import datetime as dt
from decimal import Decimal

from grants import services
from grants.demo.questions import load_questions
from grants.models import Agreement, Fund, FundTheme
from grants.publishing import missing_for_publication
from grants.seeds import (
    ADDED_VALUE,
    CORE_OBJECTIVES,
    IN_KIND,
    INDICATORS,
    KETTERING_FUND,
    LEICESTER_FUND,
    LEICESTER_GRANT,
    LEICESTER_THEMES,
    LUNCH_CLUB,
    MINIMUM_REQUIREMENTS,
    UNITS,
    VOLUNTEERING,
)
from sla_monitor import demo as core_demo
from sla_monitor import periods
from sla_monitor.models import Organisation, User

KETTERING_THEMES = [
    "Community cohesion",
    "Equality and tackling hate crime",
    "Volunteering and community groups",
]


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
    # Seed 002's £600,000 community cohesion fund, which Leicester's grant is awarded from.
    leicester_fund, created = Fund.objects.get_or_create(
        council=leicester, name=LEICESTER_FUND["name"], defaults=LEICESTER_FUND
    )
    if created:
        FundTheme.objects.bulk_create(
            FundTheme(
                fund=leicester_fund,
                order=number,
                name=f"Theme {number}",
                description="Named in Appendix 1 (Outline Strategy: Major Themes) of the report.",
            )
            for number in range(1, LEICESTER_THEMES + 1)
        )

    start = demo_start(today)
    kettering = organisations[core_demo.KETTERING]
    kettering_fund, created = Fund.objects.get_or_create(
        council=kettering,
        name=KETTERING_FUND["name"],
        defaults={
            **KETTERING_FUND,
            # Where its payments are charged in the council's finance system.
            "cost_centre": "CD410",
            "account_code": "5120",
            "start_date": start,
            "end_date": dt.date(start.year + 4, 3, 31),
        },
    )
    if created:
        # What the fund's service specifications serve (seed 000), which its open data gives as
        # each grant's classifications.
        FundTheme.objects.bulk_create(
            FundTheme(fund=kettering_fund, order=number, name=name)
            for number, name in enumerate(KETTERING_THEMES, start=1)
        )
    load_questions(kettering_fund)
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
        # The second year's 12 trainings profiled by quarter, 3 a quarter: what pro rata
        # expects, so the demo's returns keep their RAG.
        year_targets={
            "b": [
                {
                    "financial_year": start.year + 1,
                    "target": Decimal(12),
                    "q1": 3,
                    "q2": 3,
                    "q3": 3,
                    "q4": 3,
                }
            ]
        },
        in_kind=[],
        added_value=[],
    )
    reporting_centre = _agreement(
        reference="LCC-HCR-01",
        title="Hate Crime Reporting Centre and Bridge-Building Grant",
        funder=leicester,
        provider=organisations[core_demo.PROVIDER_ONE],
        fund=leicester_fund,
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
        directions=LEICESTER_GRANT["directions"],
        in_kind=[],
        added_value=[],
        requires_beneficiary_figures=True,
    )
    # A small grant reported once a year: its one annual return, for the current financial
    # year, falls due after it ends.
    lunch_club = _agreement(
        reference="KBC-LUN-01",
        title="Friendship Lunch Club Small Grant",
        funder=kettering,
        provider=organisations[core_demo.PROVIDER_SMALL],
        fund=kettering_fund,
        lead_officer=users["officer"],
        start=dt.date(start.year + 1, 4, 1),
        years=1,
        total=Decimal("3000.00"),
        allocation_note="Agreed by the Head of Community Development under delegated powers.",
        outcome="Older residents of Kettering are less isolated and meet neighbours.",
        purpose="A weekly lunch club for older residents of Kettering.",
        objectives=LUNCH_CLUB["objectives"],
        requirements=LUNCH_CLUB["requirements"],
        indicators=LUNCH_CLUB["indicators"],
        units=LUNCH_CLUB["units"],
        in_kind=[],
        added_value=[],
        reporting_frequency=Agreement.ReportingFrequency.ANNUAL,
    )
    return [cohesion, volunteering, reporting_centre, lunch_club]


# The providers' supplier numbers in Kettering's finance system, which its payment files carry.
SUPPLIER_NUMBERS = {"KBC-CCE-01": "SUP-10482", "KBC-VOL-01": "SUP-10517"}


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
    directions=None,
    year_targets=None,
    reporting_frequency=Agreement.ReportingFrequency.QUARTERLY,
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
            "supplier_reference": SUPPLIER_NUMBERS.get(reference, ""),
            "requires_beneficiary_figures": requires_beneficiary_figures,
            "reporting_frequency": reporting_frequency,
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
                "direction": (directions or {}).get(code, "higher"),
                "targets": (year_targets or {}).get(code, []),
            }
            for code, wording, measure, target, per, tolerance in indicators
        ],
    )
    if not missing_for_publication(agreement):
        services.set_published(agreement=agreement, by=lead_officer, published=True)
    return agreement
