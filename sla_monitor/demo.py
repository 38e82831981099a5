"""Demo organisations and users. Users get the password from settings.DEMO_PASSWORD."""

from decimal import Decimal

from django.conf import settings

from sla_monitor import accounts
from sla_monitor.models import Organisation, User

KETTERING = "Kettering Borough Council"
PROVIDER_ONE = "Kettering Community Cohesion Network"
PROVIDER_TWO = "Kettering Volunteer Centre"
PROVIDER_SMALL = "Rockingham Road Friendship Lunch Club"
KINGSTON = "Royal Borough of Kingston upon Thames"
LEICESTER = "Leicester City Council"
# A council in Wales that offers its service in Welsh, and a provider it funds that works in Welsh.
CEREDIGION = "Cyngor Sir Ceredigion / Ceredigion County Council"
PROVIDER_WELSH = "Cymdeithas Gymunedol Aberaeron / Aberaeron Community Association"

# name, short code, org-id (GB-LAE- and the local-authority-eng register's code), ONS area code,
# 360Giving prefix (the demo's own: real prefixes are given by 360Giving)
COUNCILS = [
    (KETTERING, "KBC", "GB-LAE-KET", "E07000153", "360G-demo-KBC"),
    (LEICESTER, "LCC", "GB-LAE-LCE", "E06000016", ""),
    ("Royal Borough of Kensington and Chelsea", "RBKC", "GB-LAE-KEC", "E09000020", ""),
    (KINGSTON, "RBK", "GB-LAE-KTT", "E09000021", ""),
    ("Blaby District Council", "BDC", "GB-LAE-BLA", "E07000129", ""),
    ("Charnwood Borough Council", "CBC", "GB-LAE-CHA", "E07000130", ""),
    ("Harborough District Council", "HDC", "GB-LAE-HAR", "E07000131", ""),
    ("Hinckley and Bosworth Borough Council", "HBBC", "GB-LAE-HIN", "E07000132", ""),
    ("Melton Borough Council", "MBC", "GB-LAE-MEL", "E07000133", ""),
    ("North West Leicestershire District Council", "NWL", "GB-LAE-NWL", "E07000134", ""),
    ("Oadby and Wigston Borough Council", "OWBC", "GB-LAE-OAD", "E07000135", ""),
    # No org-id in the demo: its open data would use the council's own identifier.
    (CEREDIGION, "CSC", "", "W06000008", ""),
]
WELSH_OFFER = {CEREDIGION}
# name, address, type, charity number, company number, postcode. The numbers are made up for
# the demo (the volunteer centre's company number is typed without its leading zero, as people
# do); the lunch club is an unregistered group, with no number at all. All are in Kettering
# (E07000153), where the open data places them.
PROVIDERS = [
    (
        PROVIDER_ONE,
        "Community cohesion, hate crime support and equalities casework in Kettering.",
        Organisation.Type.CHARITY,
        "1190001",
        "",
        "NN16 0AA",
    ),
    (
        PROVIDER_TWO,
        "Volunteering brokerage and support for community groups in Kettering.",
        Organisation.Type.CHARITY,
        "1190002",
        "9190002",
        "NN16 8BB",
    ),
    (
        PROVIDER_SMALL,
        "A weekly lunch club where older residents of Kettering meet.",
        Organisation.Type.COMMUNITY_GROUP,
        "",
        "",
        "NN15 7CC",
    ),
]
PROVIDER_AREA = "E07000153"
# A provider elsewhere than Kettering: its name, address, type, charity number, postcode and area.
WELSH_PROVIDERS = [
    (
        PROVIDER_WELSH,
        "Canolfan gymunedol yn Aberaeron / A community centre in Aberaeron.",
        Organisation.Type.CHARITY,
        "1190004",
        "SA46 0AA",
        "W06000008",
    ),
]

# The amount from which a council's payments need a finance officer's sign-off: Kettering's
# cohesion instalments (£12,500) need it, its volunteering ones (£10,000) do not. Leicester has
# no finance officer in the demo: its lead officer's release is enough.
SIGNOFF_THRESHOLDS = {KETTERING: Decimal("12000.00"), LEICESTER: Decimal("1000000.00")}
# The groups beyond the protected characteristics and socio-economic disadvantage that a
# council's equality impact assessments also consider: Kingston's consider carers.
ASSESSMENT_GROUPS = {KINGSTON: ["carers"]}

# username, first name, last name, role, organisation, job title
USERS = [
    (
        "officer",
        "Priya",
        "Shah",
        User.Role.LEAD_OFFICER,
        KETTERING,
        "Community Development Lead Officer",
    ),
    # Each provider's first person is its administrator, who lets its other people in.
    ("provider", "Sam", "Okafor", User.Role.PROVIDER_ADMIN, PROVIDER_ONE, "Service Manager"),
    (
        "provider2",
        "Jo",
        "Whitfield",
        User.Role.PROVIDER_ADMIN,
        PROVIDER_TWO,
        "Volunteer Centre Manager",
    ),
    # A second council funding the cohesion network: it sees its own agreement, never Kettering's.
    (
        "leicester",
        "Marcus",
        "Bell",
        User.Role.LEAD_OFFICER,
        LEICESTER,
        "Community Cohesion Fund Officer",
    ),
    ("equality", "Amir", "Hussain", User.Role.ACTION_OWNER, KINGSTON, "HR Manager"),
    (
        "planmanager",
        "Grace",
        "Adeyemi",
        User.Role.PLAN_MANAGER,
        KINGSTON,
        "Equalities and Community Engagement Officer",
    ),
    ("counciladmin", "Dana", "Reid", User.Role.ADMIN, KETTERING, "Grants Systems Administrator"),
    # Authorises Kettering's payments that its lead officer releases, and exports them.
    ("finance", "Owen", "Marsh", User.Role.FINANCE_OFFICER, KETTERING, "Payments Officer"),
    (
        "cohesion",
        "Helen",
        "Carter",
        User.Role.ACTION_OWNER,
        KETTERING,
        "Community Cohesion and Equalities Officer",
    ),
    # Signs off each council's equality impact assessments, never one they wrote.
    (
        "senior",
        "Ruth",
        "Okonjo",
        User.Role.SENIOR_OFFICER,
        KINGSTON,
        "Director of Adult Social Care",
    ),
    (
        "leicestersenior",
        "David",
        "Pritchard",
        User.Role.SENIOR_OFFICER,
        LEICESTER,
        "Director of Policy and Performance",
    ),
    # Ceredigion offers Welsh: its lead officer, and the provider's administrator, who reads the
    # service in Welsh.
    (
        "ceredigion",
        "Elin",
        "Morgan",
        User.Role.LEAD_OFFICER,
        CEREDIGION,
        "Community Development Officer",
    ),
    ("darparwr", "Rhys", "Jenkins", User.Role.PROVIDER_ADMIN, PROVIDER_WELSH, "Rheolwr y Ganolfan"),
]
# The language a demo person chose; the others have chosen none.
LANGUAGE_CHOSEN = {"darparwr": "cy"}


def load_organisations() -> dict[str, Organisation]:
    organisations = {}
    for name, code, org_id, area, prefix in COUNCILS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": Organisation.Kind.COUNCIL,
                "short_code": code,
                "org_id": org_id,
                "area_code": area,
                "threesixtygiving_prefix": prefix,
                "finance_signoff_threshold": SIGNOFF_THRESHOLDS.get(name),
                "assessment_groups": ASSESSMENT_GROUPS.get(name, []),
                "welsh_offer": name in WELSH_OFFER,
            },
        )
    for name, address, kind, charity, company, postcode in PROVIDERS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": Organisation.Kind.PROVIDER,
                "address": address,
                "organisation_type": kind,
                "charity_number": charity,
                "company_number": company,
                "postcode": postcode,
                "area_code": PROVIDER_AREA,
            },
        )
    for name, address, kind, charity, postcode, area in WELSH_PROVIDERS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": Organisation.Kind.PROVIDER,
                "address": address,
                "organisation_type": kind,
                "charity_number": charity,
                "postcode": postcode,
                "area_code": area,
            },
        )
    return organisations


def load_users(organisations: dict[str, Organisation]) -> dict[str, User]:
    users = {}
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser(
            "admin", "admin@example.org", settings.DEMO_PASSWORD, role=User.Role.ADMIN
        )
    users["admin"] = admin
    for username, first, last, role, organisation, job_title in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                role=role,
                organisation=organisations[organisation],
                job_title=job_title,
                language=LANGUAGE_CHOSEN.get(username, ""),
            )
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        users[username] = user
    for user in users.values():
        # Staff sign in with a second factor: the demo's share one published secret.
        if accounts.two_factor_required(user) and not accounts.has_two_factor(user):
            accounts.give_totp(user)
            accounts.give_recovery_codes(user)
    return users
