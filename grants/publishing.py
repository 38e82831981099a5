"""A council's grants as open data: the 360Giving Data Standard (1.4) and the Local Government
Transparency Code 2015's register of grants to voluntary, community and social enterprise
organisations. Reads only, and only what a council has chosen to publish: agreements, their
parties as organisations, their funds and the payments released, and what a recipient chose to
publish of its own diversity (the 360Giving DEI Extension); never a person, a return or anything
written in one.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from grants import diversity, permissions
from grants.models import Agreement, OrganisationDiversity, PaymentInstalment
from sla_monitor.models import Organisation
from sla_monitor.periods import financial_year_label, financial_year_of, quarter_dates

STANDARD_VERSION = "1.4"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
# The ONS code's first three characters say what kind of area it is (360Giving's geoCodeType).
GEO_CODE_TYPES = {"E06": "UA", "E07": "NMD", "E08": "MD", "E09": "LONB", "E10": "CTY"}


def publishing_councils() -> QuerySet:
    """Councils with at least one published agreement, and a short code to name their pages."""
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.COUNCIL, funded_agreements__published=True
        )
        .exclude(short_code="")
        .distinct()
        .order_by("name")
    )


def published_grants(council: Organisation) -> list[Agreement]:
    """The council's published agreements, with what their open data shows."""
    released = PaymentInstalment.objects.filter(status=PaymentInstalment.Status.RELEASED).order_by(
        "decided_at", "sequence"
    )
    # A provider's answers about itself go with a council's grants once it has reported to the
    # council, as the council reads them (grants.permissions.visible_diversity).
    answers = OrganisationDiversity.objects.filter(
        organisation__in=permissions.providers_reporting_to(council.pk)
    ).order_by("financial_year")
    return list(
        Agreement.objects.filter(funder=council, published=True)
        .select_related("provider", "fund", "funder")
        .prefetch_related(
            Prefetch("instalments", queryset=released, to_attr="released"),
            Prefetch("provider__diversity_answers", queryset=answers, to_attr="diversity"),
        )
        .order_by("award_date", "reference")
    )


def missing_for_publication(agreement: Agreement) -> list[str]:
    """What an agreement lacks before it can be published, in the words of its form."""
    missing = []
    if agreement.award_date is None:
        missing.append("the award date")
    if not agreement.purpose.strip():
        missing.append("its purpose")
    if not agreement.funder.threesixtygiving_prefix:
        missing.append(f"{agreement.funder.name}'s 360Giving prefix")
    if not agreement.funder.org_id:
        missing.append(f"{agreement.funder.name}'s organisation identifier")
    return missing


# 360Giving -------------------------------------------------------------------------------------


def grant_id(agreement: Agreement) -> str:
    return f"{agreement.funder.threesixtygiving_prefix}-{agreement.reference}"


def recipient_id(agreement: Agreement) -> str:
    """The provider's org-id or, for one with no registration, an identifier under the
    council's own prefix (360Giving's guidance for unregistered recipients)."""
    provider = agreement.provider
    return provider.org_id or f"{agreement.funder.threesixtygiving_prefix}-ORG-{provider.pk}"


def _months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _amount(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral() else float(value)


def _organisation(organisation: Organisation, identifier: str, **extra) -> dict:
    record = {"id": identifier, "name": organisation.name, **extra}
    if organisation.charity_number:
        record["charityNumber"] = organisation.charity_number
    if organisation.company_number:
        record["companyNumber"] = organisation.company_number
    return record


def diversity_for(agreement: Agreement) -> OrganisationDiversity | None:
    """The recipient's own answers a grant carries: those for the financial year it was awarded
    in or, when the recipient gave none that year, the first it gave after (asked after the
    award, as the extension allows). None when it gave none since."""
    awarded = financial_year_of(agreement.award_date)
    later = [a for a in agreement.provider.diversity if a.financial_year >= awarded]
    return min(later, key=lambda a: a.financial_year, default=None)


def _application_area(
    answers: OrganisationDiversity, area: diversity.Area, answer: diversity.AreaAnswer
) -> dict:
    published = {
        "askedStatus": diversity.ASKED_AFTER_AWARD,
        "replyStatus": answer.reply if answers.may_publish else diversity.REPLY_NOT_FOR_PUBLICATION,
        "availableOptions": list(diversity.OFFERED),
        "additionalDetails": (
            f"Asked of the recipient organisation once a year: its answer about its "
            f"{area.name.lower()} for the financial year {answers.year_label}."
        ),
    }
    if answers.may_publish and answer.given:
        response = {
            "taxonomyCodes": list(answer.codes),
            "livedExperience": answer.lived_experience,
            "geography": answer.geography,
        }
        published["response"] = {k: v for k, v in response.items() if v}
    return published


def dei_details(answers: OrganisationDiversity) -> dict:
    """The recipient's answers as the DEI Extension's `deiDetails`: its leadership and mission
    as it answered (or only that it answered, if it did not let them be published); the
    project, whose beneficiaries the returns count, as not asked."""
    return {
        "purposes": diversity.PURPOSES,
        **{a.area.key: _application_area(answers, a.area, a.answer) for a in answers.areas},
        "project": {"askedStatus": diversity.NOT_ASKED},
    }


def grant_record(agreement: Agreement) -> dict:
    """One agreement as a 360Giving grant."""
    funder = agreement.funder
    released = agreement.released
    record = {
        "id": grant_id(agreement),
        "title": agreement.title,
        "description": agreement.purpose,
        "currency": "GBP",
        "amountAwarded": _amount(agreement.total_allocation),
        "amountDisbursed": _amount(sum((i.amount for i in released), Decimal(0))),
        "awardDate": agreement.award_date.isoformat(),
        "plannedDates": [
            {
                "startDate": agreement.start_date.isoformat(),
                "endDate": agreement.end_date.isoformat(),
                "duration": _months(agreement.start_date, agreement.end_date),
            }
        ],
        "recipientOrganization": [_organisation(agreement.provider, recipient_id(agreement))],
        "fundingOrganization": [
            _organisation(
                funder,
                funder.org_id,
                **({"department": agreement.department} if agreement.department else {}),
            )
        ],
        "dateModified": agreement.modified_at.isoformat(),
    }
    if agreement.fund:
        record["grantProgramme"] = [{"code": str(agreement.fund.pk), "title": agreement.fund.name}]
    if funder.area_code:
        record["beneficiaryLocation"] = [
            {
                "name": funder.name,
                "countryCode": "GB",
                "geoCode": funder.area_code,
                "geoCodeType": GEO_CODE_TYPES.get(funder.area_code[:3], ""),
            }
        ]
    if released:
        record["disbursementTransaction"] = [
            {
                "id": f"{grant_id(agreement)}-{i.sequence}",
                "transactionDate": timezone.localdate(i.decided_at).isoformat(),
                "currency": "GBP",
                "value": _amount(i.amount),
            }
            for i in released
        ]
    if answers := diversity_for(agreement):
        record["deiDetails"] = dei_details(answers)
    return record


def threesixtygiving_package(council: Organisation, grants: list[Agreement], url: str) -> dict:
    modified = max((a.modified_at for a in grants), default=timezone.now())
    records = [grant_record(a) for a in grants]
    uses_dei = any("deiDetails" in r for r in records)
    return {
        "version": STANDARD_VERSION,
        **({"extensions": [diversity.EXTENSION]} if uses_dei else {}),
        "title": f"Grants awarded by {council.name}",
        "publisher": {
            "name": council.name,
            **({"identifier": council.org_id} if council.org_id else {}),
        },
        "license": LICENSE,
        "modified": modified.isoformat(),
        "downloadURL": url,
        "grants": records,
    }


@dataclass(frozen=True)
class Column:
    title: str  # the standard's spreadsheet title
    value: object  # a function of the grant record


def _first(key: str, field: str):
    return lambda r: (r.get(key) or [{}])[0].get(field, "")


# The grants sheet, in the standard's own column titles and order.
THREESIXTYGIVING_COLUMNS = [
    Column("Identifier", lambda r: r["id"]),
    Column("Title", lambda r: r["title"]),
    Column("Description", lambda r: r["description"]),
    Column("Currency", lambda r: r["currency"]),
    Column("Amount Awarded", lambda r: r["amountAwarded"]),
    Column("Amount Disbursed", lambda r: r["amountDisbursed"]),
    Column("Award Date", lambda r: r["awardDate"]),
    Column("Planned Dates:Start Date", _first("plannedDates", "startDate")),
    Column("Planned Dates:End Date", _first("plannedDates", "endDate")),
    Column("Planned Dates:Duration (months)", _first("plannedDates", "duration")),
    Column("Recipient Org:Identifier", _first("recipientOrganization", "id")),
    Column("Recipient Org:Name", _first("recipientOrganization", "name")),
    Column("Recipient Org:Charity Number", _first("recipientOrganization", "charityNumber")),
    Column("Recipient Org:Company Number", _first("recipientOrganization", "companyNumber")),
    Column("Beneficiary Location:Name", _first("beneficiaryLocation", "name")),
    Column("Beneficiary Location:Country Code", _first("beneficiaryLocation", "countryCode")),
    Column("Beneficiary Location:Geographic Code", _first("beneficiaryLocation", "geoCode")),
    Column(
        "Beneficiary Location:Geographic Code Type", _first("beneficiaryLocation", "geoCodeType")
    ),
    Column("Funding Org:Identifier", _first("fundingOrganization", "id")),
    Column("Funding Org:Name", _first("fundingOrganization", "name")),
    Column("Funding Org:Department", _first("fundingOrganization", "department")),
    Column("Grant Programme:Code", _first("grantProgramme", "code")),
    Column("Grant Programme:Title", _first("grantProgramme", "title")),
    Column("Last Modified", lambda r: r["dateModified"]),
]


def _dei(*path: str):
    """A DEI Extension field of the grant record; a list as the spreadsheet writes one, its
    items separated by semicolons."""

    def value(record):
        found = record.get("deiDetails", {})
        for key in path:
            found = found.get(key, {})
        if isinstance(found, list):
            return ";".join(found)
        return found or ""

    return value


# The DEI Extension's columns the app fills, in its spreadsheet template's titles and order.
DEI_COLUMNS = [
    Column("DEI Details:Purposes", _dei("purposes")),
    *(
        column
        for area in diversity.AREAS
        for column in (
            Column(f"DEI Details:{area.name}:Asked Status", _dei(area.key, "askedStatus")),
            Column(f"DEI Details:{area.name}:Reply Status", _dei(area.key, "replyStatus")),
            Column(
                f"DEI Details:{area.name}:Available Options", _dei(area.key, "availableOptions")
            ),
            Column(
                f"DEI Details:{area.name}:Additional Details",
                _dei(area.key, "additionalDetails"),
            ),
            Column(
                f"DEI Details:{area.name}:DEI Response:Taxonomy Codes",
                _dei(area.key, "response", "taxonomyCodes"),
            ),
            Column(
                f"DEI Details:{area.name}:DEI Response:Lived Experience",
                _dei(area.key, "response", "livedExperience"),
            ),
            Column(
                f"DEI Details:{area.name}:DEI Response:Geography",
                _dei(area.key, "response", "geography"),
            ),
        )
    ),
    Column("DEI Details:Project:Asked Status", _dei("project", "askedStatus")),
]


def grants_sheet(package: dict) -> tuple[list[str], list[list]]:
    """The package's grants as the spreadsheet's grants sheet: the standard's columns, and the
    DEI Extension's when the package uses it."""
    columns = THREESIXTYGIVING_COLUMNS
    if diversity.EXTENSION in package.get("extensions", []):
        columns = columns + DEI_COLUMNS
    return [c.title for c in columns], [[c.value(r) for c in columns] for r in package["grants"]]


# The Meta sheet: each row a metadata field's title and its value, as the standard's template has.
META_FIELDS = [
    ("Version", ("version",)),
    ("Extensions", ("extensions",)),
    ("Title", ("title",)),
    ("Publisher:Name", ("publisher", "name")),
    ("Publisher:Identifier", ("publisher", "identifier")),
    ("Modified", ("modified",)),
    ("Download URL", ("downloadURL",)),
    ("License", ("license",)),
]


def meta_sheet(package: dict, url: str) -> list[list[str]]:
    """The package's metadata as the spreadsheet's Meta sheet, which declares the extensions
    the data uses; the spreadsheet is downloaded from `url`."""
    rows = []
    for title, path in META_FIELDS:
        value = {**package, "downloadURL": url}
        for key in path:
            value = value.get(key, {})
        if value:
            rows.append([title, ";".join(value) if isinstance(value, list) else value])
    return rows


# Transparency Code -----------------------------------------------------------------------------

TRANSPARENCY_HEADERS = [
    "Date awarded",
    "Start date",
    "End date",
    "Department",
    "Beneficiary",
    "Registration number",
    "Purpose",
    "Amount (£)",
]


def awarded_in(grants: Iterable[Agreement], financial_year: int) -> list[Agreement]:
    start, _ = quarter_dates(financial_year, 1)
    _, end = quarter_dates(financial_year, 4)
    return [a for a in grants if start <= a.award_date <= end]


def award_years(grants: Iterable[Agreement]) -> list[int]:
    return sorted({financial_year_of(a.award_date) for a in grants}, reverse=True)


def transparency_rows(grants: Iterable[Agreement]) -> Iterable[list]:
    for a in grants:
        provider = a.provider
        yield [
            a.award_date,
            a.start_date,
            a.end_date,
            a.department,
            provider.name,
            provider.charity_number or provider.company_number,
            a.purpose,
            a.total_allocation,
        ]


def year_label(year: int) -> str:
    return financial_year_label(year)
