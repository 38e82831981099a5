"""The demo's council in Wales, which offers its service in Welsh: its fund and one agreement
written in Welsh and English, and the provider's returns of this financial year, approved but
for the latest."""

import datetime as dt
from decimal import Decimal

from grants import services
from grants.demo.returns import _backdate
from grants.models import Agreement, Fund, FundTheme, QuarterlyReturn, ReportingPeriod
from sla_monitor import demo as core_demo
from sla_monitor import periods, written
from sla_monitor.models import Organisation, User

FUND = {
    "name": "Ceredigion Community Fund",
    "name_cy": "Cronfa Gymunedol Ceredigion",
    "description": "Grants for community groups that bring Ceredigion's communities together.",
    "description_cy": (
        "Grantiau i grwpiau cymunedol sy'n dod â chymunedau Ceredigion at ei gilydd."
    ),
    "budget": Decimal("150000.00"),
    "maximum_award": Decimal("25000.00"),
}
THEMES = [
    ("Community cohesion", "Cydlyniant cymunedol"),
    ("The Welsh language in the community", "Y Gymraeg yn y gymuned"),
    ("Volunteering", "Gwirfoddoli"),
]
REFERENCE = "CSC-HYB-01"
OBJECTIVES = [
    (
        "Run a community hub open five days a week.",
        "Cynnal hyb cymunedol sydd ar agor bum diwrnod yr wythnos.",
    ),
    (
        "Offer every activity in Welsh and in English.",
        "Cynnig pob gweithgaredd yn Gymraeg ac yn Saesneg.",
    ),
]
REQUIREMENTS = [
    (
        "Keep a register of the people who attend each activity.",
        "Cadw cofrestr o'r bobl sy'n mynychu pob gweithgaredd.",
    ),
    (
        "Hold a safeguarding policy, reviewed each year.",
        "Cynnal polisi diogelu, a adolygir bob blwyddyn.",
    ),
]
# code, English, Welsh, measure, target, per, amber tolerance
INDICATORS = [
    (
        "a",
        "Number of community activities held.",
        "Nifer y gweithgareddau cymunedol a gynhaliwyd.",
        "count",
        12,
        "quarter",
        10,
    ),
    (
        "b",
        "Number of residents who volunteered at the hub.",
        "Nifer y trigolion a wirfoddolodd yn yr hyb.",
        "count",
        20,
        "quarter",
        10,
    ),
    (
        "c",
        "How the hub helped people to use Welsh every day.",
        "Sut y helpodd yr hyb bobl i ddefnyddio'r Gymraeg bob dydd.",
        "narrative",
        None,
        "none",
        10,
    ),
]
ACTIVITIES = {1: 13, 2: 11, 3: 14, 4: 12}  # quarter -> activities held
VOLUNTEERS = {1: 22, 2: 19, 3: 24, 4: 21}
NARRATIVE = (
    "Cynhaliwyd bore coffi dysgwyr bob wythnos a chlwb darllen Cymraeg; daeth {n} o ddysgwyr "
    "newydd i'r hyb."
)


def load_welsh(
    organisations: dict[str, Organisation], users: dict[str, User], today: dt.date
) -> Agreement | None:
    """Ceredigion's fund, and, with the demo's people, its agreement with the Aberaeron
    community association and that agreement's returns."""
    council = organisations[core_demo.CEREDIGION]
    start = dt.date(periods.financial_year_of(today), 4, 1)
    fund, created = Fund.objects.get_or_create(
        council=council,
        name_en_gb=FUND["name"],
        defaults=written.in_columns(
            Fund, {**FUND, "start_date": start, "end_date": dt.date(start.year + 2, 3, 31)}
        ),
    )
    if created:
        for number, (english, welsh) in enumerate(THEMES, start=1):
            FundTheme.objects.create(fund=fund, order=number, name_en_gb=english, name_cy=welsh)
    officer, provider = users.get("ceredigion"), users.get("darparwr")
    if officer is None or provider is None:
        return None
    agreement = Agreement.objects.filter(reference=REFERENCE).first()
    if agreement is None:
        agreement = _set_up(council, organisations[core_demo.PROVIDER_WELSH], fund, officer, start)
    _returns(agreement, provider, officer, today)
    return agreement


def _set_up(council, provider, fund, officer, start: dt.date) -> Agreement:
    return services.create_agreement(
        by=officer,
        details={
            "reference": REFERENCE,
            "title": "Aberaeron Community Hub Service Specification",
            "title_cy": "Manyleb Gwasanaeth Hyb Cymunedol Aberaeron",
            "funder": council,
            "provider": provider,
            "fund": fund,
            "lead_officer": officer,
            "start_date": start,
            "end_date": dt.date(start.year + 2, 3, 31),
            "total_allocation": Decimal("20000.00"),
            "allocation_note": "Agreed by the Cabinet.",
            "award_date": start - dt.timedelta(days=30),
            "department": "Community Development",
            "purpose": (
                "A community hub in Aberaeron where residents meet, volunteer and use Welsh "
                "every day."
            ),
            "purpose_cy": (
                "Hyb cymunedol yn Aberaeron lle mae trigolion yn cyfarfod, yn gwirfoddoli ac yn "
                "defnyddio'r Gymraeg bob dydd."
            ),
            "payment_terms_cy": "Telir ymlaen llaw, mewn dau randaliad bob blwyddyn.",
            "outcome_cy": (
                "Mae trigolion Aberaeron yn llai ynysig ac yn cymryd rhan yn eu cymuned yn "
                "Gymraeg ac yn Saesneg."
            ),
        },
        outcome=(
            "Residents of Aberaeron are less isolated and take part in their community in Welsh "
            "and in English."
        ),
        payment_terms="Paid in advance in two instalments each year.",
        objectives=[english for english, _ in OBJECTIVES],
        objectives_cy=[welsh for _, welsh in OBJECTIVES],
        requirements=[english for english, _ in REQUIREMENTS],
        requirements_cy=[welsh for _, welsh in REQUIREMENTS],
        in_kind=[],
        added_values=[],
        indicators=[
            {
                "code": code,
                "wording": english,
                "wording_cy": welsh,
                "measure_type": measure,
                "target": Decimal(target) if target is not None else None,
                "target_period": per,
                "amber_tolerance": Decimal(tolerance),
            }
            for code, english, welsh, measure, target, per, tolerance in INDICATORS
        ],
    )


def _returns(agreement: Agreement, provider: User, officer: User, today: dt.date) -> None:
    """This financial year's returns so far, answered in Welsh: the latest waits for review."""
    past = list(
        ReportingPeriod.objects.filter(
            start_date__gte=agreement.start_date,
            end_date__lte=agreement.end_date,
            due_date__lt=today,
        ).order_by("financial_year", "quarter")
    )
    for index, period in enumerate(past):
        if QuarterlyReturn.objects.filter(agreement=agreement, period=period).exists():
            continue
        quarterly_return = services.start_return(agreement=agreement, period=period, by=provider)
        for indicator in agreement.indicators.all():
            values = {
                "a": {"actual_value": Decimal(ACTIVITIES[period.quarter])},
                "b": {"actual_value": Decimal(VOLUNTEERS[period.quarter])},
                "c": {"narrative": NARRATIVE.format(n=period.quarter + 5)},
            }[indicator.code]
            services.save_indicator_answer(
                quarterly_return=quarterly_return,
                indicator=indicator,
                by=provider,
                expected_version=None,
                **values,
            )
        services.save_requirement_answers(
            quarterly_return=quarterly_return,
            by=provider,
            expected_version=None,
            answers={
                r.pk: (True, "Wedi'i fodloni fel y mae'r adroddiad chwarterol yn ei ddisgrifio.")
                for r in agreement.requirements.all()
            },
        )
        services.submit_return(quarterly_return=quarterly_return, by=provider)
        _backdate(quarterly_return, "submitted", period.due_date - dt.timedelta(days=3))
        if index < len(past) - 1:
            services.approve_return(
                quarterly_return=quarterly_return, by=officer, comment="Diolch, ffurflen glir."
            )
            decided = min(period.due_date + dt.timedelta(days=9), today)
            _backdate(quarterly_return, "approved", decided)
