"""Puts the council's people and the SLA Monitor application into the provider's database.

Run as `python -m tests.oidc_provider.seed <JSON>` with the provider's settings; the JSON names
the application's client id, secret and redirect URIs, and the people (username, e-mail, name,
password, whether the e-mail is verified).
"""

import json
import sys

import django


def seed(client_id: str, client_secret: str, redirect_uris: list[str], people: list[dict]):
    from django.contrib.auth.models import Group, User
    from oauth2_provider.models import Application

    from tests.oidc_provider.validators import UNVERIFIED

    unverified, _ = Group.objects.get_or_create(name=UNVERIFIED)
    for person in people:
        first_name, _, last_name = person["name"].partition(" ")
        user = User.objects.create_user(
            person["username"],
            email=person["email"],
            password=person["password"],
            first_name=first_name,
            last_name=last_name,
        )
        if not person["email_verified"]:
            user.groups.add(unverified)
    Application.objects.create(
        name="SLA Monitor",
        client_id=client_id,
        client_secret=client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(redirect_uris),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    django.setup()
    seed(**json.loads(sys.argv[1]))
