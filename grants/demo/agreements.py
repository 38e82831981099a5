"""The demo's funds and agreements, transcribed from seeds 000 (Kettering) and 002 (Leicester)."""

import datetime as dt
from decimal import Decimal

from grants import services
from grants.models import (
    AddedValue,
    Agreement,
    AgreementObjective,
    Fund,
    FundTheme,
    InKindContribution,
    MinimumRequirement,
    PerformanceIndicator,
)
from grants.seeds import (
    ADDED_VALUE,
    CORE_OBJECTIVES,
    IN_KIND,
    INDICATORS,
    KETTERING_FUND,
    LEICESTER_FUND,
    LEICESTER_GRANT,
    LEICESTER_THEMES,
    MINIMUM_REQUIREMENTS,
    UNITS,
    VOLUNTEERING,
)
from sla_monitor import demo as core_demo
from sla_monitor import periods
from sla_monitor.models import Organisation, User


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
