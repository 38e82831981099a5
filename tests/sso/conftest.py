"""A council's OpenID Connect provider, run for real beside the app (tests/oidc_provider)."""

import copy
import json
import os
import re
import subprocess
import sys
from dataclasses import asdict, dataclass
from html import unescape
from urllib.parse import urljoin

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from sla_monitor.settings.sso import single_sign_on
from tests.app_servers import PROJECT, django_server
from tests.e2e.conftest import assert_accessible, browser  # noqa: F401  (for the e2e test)

PROVIDER_ID = "council"
CLIENT_ID = "sla-monitor"
CLIENT_SECRET = "sla-monitor-client-secret"  # nosec B105
PASSWORD = "council-password"  # nosec B105


@dataclass(frozen=True)
class Person:
    """Somebody in the council's directory."""

    username: str
    email: str
    name: str
    email_verified: bool
    password: str = PASSWORD


STAFF = Person("sam", "Sam.Staff@Example.org", "Sam Staff", email_verified=True)
UNVERIFIED = Person("una", "una.unverified@example.org", "Una Unverified", email_verified=False)
STRANGER = Person("nico", "nico.nobody@example.org", "Nico Nobody", email_verified=True)


def _signing_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """The provider's issuer URL, once it answers its discovery document."""
    folder = tmp_path_factory.mktemp("oidc_provider")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(folder / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": _signing_key(),
    }
    callback = reverse("openid_connect_callback", kwargs={"provider_id": PROVIDER_ID})
    seed = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        # The test client's host, and the live server's for the browser.
        "redirect_uris": [f"http://testserver{callback}", f"{live_server.url}{callback}"],
        "people": [asdict(person) for person in (STAFF, UNVERIFIED, STRANGER)],
    }
    run = {"cwd": PROJECT, "env": env, "check": True, "timeout": 120}
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], **run)  # nosec B603
    subprocess.run(  # nosec B603
        [sys.executable, "-m", "tests.oidc_provider.seed", json.dumps(seed)], **run
    )
    with django_server(
        env, folder / "provider.log", ready="/o/.well-known/openid-configuration"
    ) as address:
        yield f"{address}/o"


@pytest.fixture
def sso(settings, oidc_provider):
    """Single sign-on through the test provider, configured as the environment would; call it
    again with an organisation's short code to keep it to that council's staff."""

    def configure(organisation: str = "") -> None:
        configured = single_sign_on(
            {
                "OIDC_SERVER_URL": oidc_provider,
                "OIDC_CLIENT_ID": CLIENT_ID,
                "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_PROVIDER_ID": PROVIDER_ID,
                "OIDC_PROVIDER_NAME": "Kettering Borough Council",
                "OIDC_ORGANISATION": organisation,
            }
        )
        settings.SOCIALACCOUNT_PROVIDERS = configured.providers
        settings.SSO_ORGANISATION = configured.organisation
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"] += configured.form_action
        settings.CONTENT_SECURITY_POLICY = policy

    configure()
    return configure


@pytest.fixture
def sign_in_by_sso(oidc_provider):
    """Starts single sign-on with the Django test client, signs in at the provider as a person
    (over HTTP, with the provider's own form), and brings the provider's answer back to the
    app's callback: the app's response to it."""

    def sign_in(client, person: Person):
        start = client.post(reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID}))
        assert start.status_code == 302, start.content[:400]
        assert start.url.startswith(oidc_provider)
        at_provider = requests.Session()
        form = at_provider.get(start.url, timeout=10)
        assert "Council sign-in" in form.text
        answer = at_provider.post(
            form.url,
            data={
                "csrfmiddlewaretoken": _field(form.text, "csrfmiddlewaretoken"),
                "next": _field(form.text, "next"),
                "username": person.username,
                "password": person.password,
            },
            allow_redirects=False,
            timeout=10,
        )
        location = urljoin(answer.url, answer.headers["Location"])
        while location.startswith(oidc_provider.removesuffix("/o")):
            answer = at_provider.get(location, allow_redirects=False, timeout=10)
            location = urljoin(answer.url, answer.headers["Location"])
        assert location.startswith("http://testserver/"), location
        return client.get(location)

    return sign_in


def _field(html: str, name: str) -> str:
    return unescape(re.search(rf'name="{name}" value="([^"]*)"', html).group(1))
