"""The API's documentation page works on a network that reaches nothing outside: everything it
loads comes from this server, and this server serves it."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_only_what_this_server_serves(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    addresses = re.findall(r'(?:src|href|spec-url)="([^"]+)"', html)
    assert addresses, html
    assert not [a for a in addresses if "//" in a], "an address on another server"
    scripts = re.findall(r'src="([^"]+)"', html)
    assert scripts and all(s.startswith("/static/") for s in scripts)
    for address in addresses:
        assert client.get(address).status_code == 200, address


def test_the_docs_page_alone_lets_redoc_draw_its_styles(client):
    docs = client.get("/api/v1/docs/")["Content-Security-Policy"]
    elsewhere = client.get("/accounts/login/")["Content-Security-Policy"]

    assert "script-src 'self';" in docs + ";"
    assert "'unsafe-inline'" in docs
    assert "'unsafe-inline'" not in elsewhere
