"""Demo organisations and users. Users get the password from settings.DEMO_PASSWORD."""

from django.conf import settings

from sla_monitor.models import Organisation, User

KETTERING = "Kettering Borough Council"
PROVIDER_ONE = "Kettering Community Cohesion Network"
PROVIDER_TWO = "Kettering Volunteer Centre"
KINGSTON = "Royal Borough of Kingston upon Thames"

COUNCILS = [
    (KETTERING, "KBC"),
    ("Leicester City Council", "LCC"),
    ("Royal Borough of Kensington and Chelsea", "RBKC"),
    (KINGSTON, "RBK"),
    ("Blaby District Council", "BDC"),
    ("Charnwood Borough Council", "CBC"),
    ("Harborough District Council", "HDC"),
    ("Hinckley and Bosworth Borough Council", "HBBC"),
    ("Melton Borough Council", "MBC"),
    ("North West Leicestershire District Council", "NWL"),
    ("Oadby and Wigston Borough Council", "OWBC"),
]
PROVIDERS = [
    (PROVIDER_ONE, "Community cohesion, hate crime support and equalities casework in Kettering."),
    (PROVIDER_TWO, "Volunteering brokerage and support for community groups in Kettering."),
]

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
    ("provider", "Sam", "Okafor", User.Role.PROVIDER, PROVIDER_ONE, "Service Manager"),
    ("provider2", "Jo", "Whitfield", User.Role.PROVIDER, PROVIDER_TWO, "Volunteer Centre Manager"),
    ("equality", "Amir", "Hussain", User.Role.ACTION_OWNER, KINGSTON, "HR Manager"),
]


def load_organisations() -> dict[str, Organisation]:
    organisations = {}
    for name, code in COUNCILS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": Organisation.Kind.COUNCIL, "short_code": code}
        )
    for name, address in PROVIDERS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": Organisation.Kind.PROVIDER, "address": address}
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
            )
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        users[username] = user
    return users
