"""Single sign-on for council staff through their council's OpenID Connect provider.

Switched on only when OIDC_SERVER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are all set; the
docs/deployment.md shows the values for Microsoft Entra ID and Google Workspace.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class SingleSignOn:
    providers: dict = field(default_factory=dict)
    # Short code of the council whose staff alone may use it; empty for any active account.
    organisation: str = ""
    # Where the sign-in form sends the browser on to: the form-action policy must allow it.
    form_action: list[str] = field(default_factory=list)


def single_sign_on(environ: Mapping[str, str]) -> SingleSignOn:
    server_url = environ.get("OIDC_SERVER_URL", "").strip().rstrip("/")
    client_id = environ.get("OIDC_CLIENT_ID", "").strip()
    secret = environ.get("OIDC_CLIENT_SECRET", "").strip()
    if not (server_url and client_id and secret):
        return SingleSignOn()
    parts = urlsplit(server_url)
    app = {
        "provider_id": environ.get("OIDC_PROVIDER_ID", "").strip() or "council",
        "name": environ.get("OIDC_PROVIDER_NAME", "").strip() or "your council",
        "client_id": client_id,
        "secret": secret,
        "settings": {
            "server_url": server_url,
            "oauth_pkce_enabled": True,
        },
    }
    return SingleSignOn(
        providers={"openid_connect": {"APPS": [app]}},
        organisation=environ.get("OIDC_ORGANISATION", "").strip(),
        form_action=[f"{parts.scheme}://{parts.netloc}"],
    )
