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

from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext

from grants import diversity, permissions
from grants.models import (
    Agreement,
    InstalmentTransition,
    OrganisationDiversity,
    PaymentInstalment,
    Variation,
)
from sla_monitor import registers
from sla_monitor.models import Organisation, OrganisationType
from sla_monitor.periods import financial_year_label, financial_year_of, quarter_dates

STANDARD_VERSION = "1.4"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
# The Transparency Code's register is published under the Open Government Licence unless the
# council names its own (Organisation.open_data_licence).
OGL = (
    "Open Government Licence v3.0",
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
)
# Voluntary, community and social enterprise organisations, as the Transparency Code counts them:
# the provider types that are, and any provider on a register of charities (a charitable company).
VCSE_TYPES = [
    OrganisationType.CHARITY,
    OrganisationType.CIO,
    OrganisationType.CIC,
    OrganisationType.COMMUNITY_GROUP,
]
# The ONS code's first three characters say what kind of area it is (360Giving's geoCodeType).
GEO_CODE_TYPES = {"E06": "UA", "E07": "NMD", "E08": "MD", "E09": "LONB", "E10": "CTY"}


def vcse(prefix: str = "") -> Q:
    """The agreement (reached through `prefix`) is with a VCSE organisation."""
    return Q(**{f"{prefix}provider__organisation_type__in": VCSE_TYPES}) | ~Q(
        **{f"{prefix}provider__charity_number": ""}
    )


def publishing_councils() -> QuerySet:
    """Councils with a short code to name their pages that publish open data: 360Giving data of
    the agreements they chose, or the Transparency Code register, which every awarded grant to a
    VCSE organisation is on."""
    return (
        Organisation.objects.filter(
            Q(funded_agreements__published=True)
            | (Q(funded_agreements__award_date__isnull=False) & vcse("funded_agreements__")),
            kind=Organisation.Kind.COUNCIL,
        )
        .exclude(short_code="")
        .distinct()
        .order_by("name")
    )


def last_changed() -> Greatest:
    """When what an agreement's open data says last changed: its own fields, a payment released
    or taken back, a variation applied; the latest of them, read in the query that lists them."""
    released = PaymentInstalment.Status.RELEASED
    moves = InstalmentTransition.objects.filter(instalment__agreement=OuterRef("pk")).filter(
        Q(to_status=released) | Q(from_status=released)
    )
    decisions = PaymentInstalment.objects.filter(
        agreement=OuterRef("pk"), status=released, decided_at__isnull=False
    )
    applied = Variation.objects.filter(agreement=OuterRef("pk"), applied_at__isnull=False)
    own = F("modified_at")
    return Greatest(
        own,
        Coalesce(Subquery(moves.order_by("-at").values("at")[:1]), own),
        Coalesce(Subquery(decisions.order_by("-decided_at").values("decided_at")[:1]), own),
        Coalesce(Subquery(applied.order_by("-applied_at").values("applied_at")[:1]), own),
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
        .annotate(last_changed=last_changed())
        .prefetch_related(
            Prefetch("instalments", queryset=released, to_attr="released"),
            "fund__themes",
            Prefetch("provider__diversity_answers", queryset=answers, to_attr="diversity"),
        )
        .order_by("award_date", "reference")
    )


def missing_for_publication(agreement: Agreement) -> list[str]:
    """What an agreement lacks before it can be published, in the words of its form."""
    missing = []
    council = {"council": agreement.funder.name}
    if agreement.award_date is None:
        missing.append(gettext("the award date"))
    if not agreement.purpose.strip():
        missing.append(gettext("its purpose"))
    if not agreement.funder.threesixtygiving_prefix:
        missing.append(gettext("%(council)s's 360Giving prefix") % council)
    if not agreement.funder.org_id:
        missing.append(gettext("%(council)s's organisation identifier") % council)
    return missing


# 360Giving -------------------------------------------------------------------------------------


def grant_id(agreement: Agreement) -> str:
    return f"{agreement.funder.threesixtygiving_prefix}-{agreement.reference}"


def registered_numbers(organisation: Organisation) -> tuple[str, str, str]:
    """The organisation's charity number, its register, and its company number, each as its
    register writes it (Companies House's 8 characters, OSCR's SC); a number kept in another
    shape is given as kept, a register it cannot be on as none."""
    charity, register, company = "", "", ""
    if organisation.charity_number.strip():
        try:
            charity, register = registers.charity_number(
                organisation.charity_number, organisation.charity_register
            )
        except ValidationError:
            charity, register = organisation.charity_number, organisation.charity_register
    if organisation.company_number.strip():
        try:
            company = registers.company_number(organisation.company_number)
        except ValidationError:
            company = organisation.company_number
    return charity, register, company


def recipient_id(agreement: Agreement) -> str:
    """The identifier its registration gives the provider, on the register its number is on
    (a Scottish charity is GB-SC-SC012345, never GB-CHC-); else the org-id kept for it, when it
    is written as its register writes numbers; else, for a group with no number, an identifier
    under the council's own prefix (360Giving's guidance for unregistered recipients)."""
    provider = agreement.provider
    if registered := provider.suggested_org_id():
        return registered
    if registers.org_id_is_valid(provider.org_id):
        return provider.org_id
    return f"{agreement.funder.threesixtygiving_prefix}-ORG-{provider.pk}"


def _months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _amount(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral() else float(value)


def _organisation(organisation: Organisation, identifier: str, **extra) -> dict:
    record = {"id": identifier, "name": organisation.name, **extra}
    charity, _register, company = registered_numbers(organisation)
    if charity:
        record["charityNumber"] = charity
    if company:
        record["companyNumber"] = company
    return record


def _recipient(agreement: Agreement) -> dict:
    """The recipient with where it is: its postcode and, where the app knows it, the ONS code of
    the area it is in (a provider's area code, as a council's is)."""
    provider = agreement.provider
    record = _organisation(provider, recipient_id(agreement))
    if provider.postcode:
        record["postalCode"] = provider.postcode
    if provider.area_code:
        record["location"] = [_place(provider.area_code)]
    return record


def _place(area_code: str, **extra) -> dict:
    return {
        **extra,
        "countryCode": "GB",
        "geoCode": area_code,
        "geoCodeType": GEO_CODE_TYPES.get(area_code[:3], ""),
    }


def classifications(agreement: Agreement) -> list[dict]:
    """The themes of the grant's fund, each a classification in the fund's own vocabulary."""
    if agreement.fund is None:
        return []
    vocabulary = f"{agreement.funder.threesixtygiving_prefix}-FUND-{agreement.fund.pk}-THEMES"
    return [
        {"vocabulary": vocabulary, "code": str(theme.order), "title": theme.name}
        for theme in agreement.fund.themes.all()
    ]


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
            f"{area.key} for the financial year {answers.year_label}."
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


def grant_record(agreement: Agreement, source: str = "") -> dict:
    """One agreement as a 360Giving grant; `source` is the address of the council's open data
    page, the grant's `dataSource`."""
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
        "recipientOrganization": [_recipient(agreement)],
        "fundingOrganization": [
            _organisation(
                funder,
                funder.org_id,
                **({"department": agreement.department} if agreement.department else {}),
            )
        ],
        "dateModified": agreement.last_changed.isoformat(),
    }
    if source:
        record["dataSource"] = source
    if agreement.fund:
        record["grantProgramme"] = [{"code": str(agreement.fund.pk), "title": agreement.fund.name}]
    if themes := classifications(agreement):
        record["classifications"] = themes
    if funder.area_code:
        record["beneficiaryLocation"] = [_place(funder.area_code, name=funder.name)]
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


def threesixtygiving_package(
    council: Organisation, grants: list[Agreement], url: str, source: str = ""
) -> dict:
    """The grants as a 360Giving package downloaded from `url`; `source` is the council's open
    data page, each grant's `dataSource`."""
    modified = max((a.last_changed for a in grants), default=timezone.now())
    records = [grant_record(a, source) for a in grants]
    uses_dei = any("deiDetails" in r for r in records)
    return {
        "version": STANDARD_VERSION,
        **({"extensions": [diversity.EXTENSION]} if uses_dei else {}),
        "title": f"Grants awarded by {council.name}",
        "publisher": {
            "name": council.name,
            **({"identifier": council.org_id} if council.org_id else {}),
        },
        "license": council.open_data_licence_url or LICENSE,
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
    Column("Recipient Org:Postal Code", _first("recipientOrganization", "postalCode")),
    Column(
        "Recipient Org:Location:Geographic Code",
        lambda r: _first("location", "geoCode")(r["recipientOrganization"][0]),
    ),
    Column(
        "Recipient Org:Location:Geographic Code Type",
        lambda r: _first("location", "geoCodeType")(r["recipientOrganization"][0]),
    ),
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
    Column("Data Source", lambda r: r.get("dataSource", "")),
]


def _nth(key: str, index: int, field: str):
    def value(record):
        items = record.get(key) or []
        return items[index].get(field, "") if index < len(items) else ""

    return value


def classification_columns(count: int) -> list[Column]:
    """A grant's classifications, one numbered set of columns each, as flattentool reads a list
    in one row (Classifications:0:Code, Classifications:1:Code, ...)."""
    return [
        Column(f"Classifications:{n}:{title}", _nth("classifications", n, field))
        for n in range(count)
        for title, field in (("Vocabulary", "vocabulary"), ("Code", "code"), ("Title", "title"))
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
# The titles are the standard's, in English whatever the page's language: an area's title is its
# key capitalised ("Leadership"), not its translated name.
DEI_COLUMNS = [
    Column("DEI Details:Purposes", _dei("purposes")),
    *(
        column
        for area in diversity.AREAS
        for column in (
            Column(f"DEI Details:{area.key.title()}:Asked Status", _dei(area.key, "askedStatus")),
            Column(f"DEI Details:{area.key.title()}:Reply Status", _dei(area.key, "replyStatus")),
            Column(
                f"DEI Details:{area.key.title()}:Available Options",
                _dei(area.key, "availableOptions"),
            ),
            Column(
                f"DEI Details:{area.key.title()}:Additional Details",
                _dei(area.key, "additionalDetails"),
            ),
            Column(
                f"DEI Details:{area.key.title()}:DEI Response:Taxonomy Codes",
                _dei(area.key, "response", "taxonomyCodes"),
            ),
            Column(
                f"DEI Details:{area.key.title()}:DEI Response:Lived Experience",
                _dei(area.key, "response", "livedExperience"),
            ),
            Column(
                f"DEI Details:{area.key.title()}:DEI Response:Geography",
                _dei(area.key, "response", "geography"),
            ),
        )
    ),
    Column("DEI Details:Project:Asked Status", _dei("project", "askedStatus")),
]


def grants_sheet(package: dict, *, with_dei: bool = True) -> tuple[list[str], list[list]]:
    """The package's grants as the spreadsheet's grants sheet: the standard's columns, and the
    DEI Extension's when the package uses it and the sheet goes in a workbook. A CSV file is one
    sheet, with no Meta sheet to declare the extension in, so a tool reading it takes the DEI
    columns for unknown fields: the CSV leaves them to the JSON and Excel files."""
    themes = max((len(r.get("classifications", [])) for r in package["grants"]), default=0)
    last = [c.title for c in THREESIXTYGIVING_COLUMNS].index("Last Modified")
    columns = [
        *THREESIXTYGIVING_COLUMNS[:last],
        *classification_columns(themes),
        *THREESIXTYGIVING_COLUMNS[last:],
    ]
    if with_dei and diversity.EXTENSION in package.get("extensions", []):
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
    "Charity number",
    "Register of the charity number",
    "Company number",
    "Register of the company number",
    "Purpose",
    "Amount (£)",
    "Licence",
    "Licence address",
]


def _year_dates(financial_year: int) -> tuple[dt.date, dt.date]:
    start, _ = quarter_dates(financial_year, 1)
    _, end = quarter_dates(financial_year, 4)
    return start, end


def transparency_grants(council: Organisation) -> QuerySet:
    """Every agreement of the council with a VCSE organisation that has an award date, whether
    or not the council chose it for its 360Giving data: the Code asks for every one."""
    return (
        Agreement.objects.filter(vcse(), funder=council, award_date__isnull=False)
        .select_related("provider", "funder")
        .order_by("award_date", "reference")
    )


def transparency_years(council: Organisation) -> list[int]:
    dates = transparency_grants(council).values_list("award_date", flat=True).distinct()
    return sorted({financial_year_of(d) for d in dates}, reverse=True)


def awarded_in(grants: QuerySet, financial_year: int) -> QuerySet:
    return grants.filter(award_date__range=_year_dates(financial_year))


def award_years(grants: Iterable[Agreement]) -> list[int]:
    return sorted({financial_year_of(a.award_date) for a in grants}, reverse=True)


def licence(council: Organisation) -> tuple[str, str]:
    """The name and address of the licence the council's register is published under."""
    if council.open_data_licence and council.open_data_licence_url:
        return council.open_data_licence, council.open_data_licence_url
    return OGL


def department(agreement: Agreement) -> str:
    """The department that made the award; the council itself when the agreement names none
    (the Code's register has no blank department)."""
    return agreement.department.strip() or agreement.funder.name


def transparency_rows(council: Organisation, grants: Iterable[Agreement]) -> Iterable[list]:
    licence_name, licence_url = licence(council)
    for a in grants:
        charity, register, company = registered_numbers(a.provider)
        yield [
            a.award_date,
            a.start_date,
            a.end_date,
            department(a),
            a.provider.name,
            charity,
            str(registers.REGISTER_NAMES.get(register, "")) if charity else "",
            company,
            str(registers.COMPANIES_HOUSE) if company else "",
            a.purpose.strip() or a.title,
            a.total_allocation,
            licence_name,
            licence_url,
        ]


def year_label(year: int) -> str:
    return financial_year_label(year)
