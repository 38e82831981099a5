"""Sign-in throttling behind a reverse proxy: each client is told apart by the address the proxy
saw, so five wrong passwords from one client pause that client, not everyone."""

import http.client
import http.server
import re
import threading
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


class Proxy(http.server.ThreadingHTTPServer):
    """A reverse proxy as nginx's `proxy_add_x_forwarded_for` makes one: it passes each request
    on, adding the address it was connected from to X-Forwarded-For."""

    daemon_threads = True

    def __init__(self, upstream: str):
        self.upstream = urlsplit(upstream)
        super().__init__(("127.0.0.1", 0), _Forward)


class _Forward(http.server.BaseHTTPRequestHandler):
    def _forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() != "x-forwarded-for"}
        seen = self.headers.get("X-Forwarded-For")
        peer = self.client_address[0]
        headers["X-Forwarded-For"] = f"{seen}, {peer}" if seen else peer
        upstream = http.client.HTTPConnection(
            self.server.upstream.hostname, self.server.upstream.port
        )
        upstream.request(self.command, self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        content = answer.read()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = _forward

    def log_message(self, *args):
        pass


class Browser:
    """A person signing in from their own address, through the proxy."""

    def __init__(self, proxy: Proxy, address: str, spoofed_for: str = ""):
        self.proxy, self.address, self.spoofed_for = proxy, address, spoofed_for
        self.cookies = SimpleCookie()

    def request(self, method: str, path: str, body: str = "") -> tuple[int, str]:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.proxy.server_address[1], source_address=(self.address, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.spoofed_for:
            headers["X-Forwarded-For"] = self.spoofed_for
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        return response.status, response.read().decode()

    def sign_in(self, username: str, password: str) -> int:
        _, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"csrfmiddlewaretoken": token, "login": username, "password": password}
        status, _ = self.request("POST", "/accounts/login/", urlencode(form))
        return status


@pytest.fixture
def proxy(live_server, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.PROXY_COUNT = 1
    server = Proxy(live_server.url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture
def person(db, settings):
    from tests.factories import UserFactory

    return UserFactory(username="sam"), settings.DEMO_PASSWORD


def test_an_attacker_elsewhere_cannot_lock_a_person_out(proxy, person):
    user, password = person
    attacker = Browser(proxy, "127.0.0.3")
    for _ in range(6):
        attacker.sign_in(user.username, "not the password")

    paused = attacker.sign_in(user.username, password)
    signed_in = Browser(proxy, "127.0.0.2").sign_in(user.username, password)

    assert paused == 429
    assert signed_in == 302


def test_an_attacker_cannot_pass_for_someone_else_by_naming_their_address(proxy, person):
    user, password = person
    attacker = Browser(proxy, "127.0.0.3", spoofed_for="127.0.0.2")
    for _ in range(6):
        attacker.sign_in(user.username, "not the password")

    assert Browser(proxy, "127.0.0.2").sign_in(user.username, password) == 302
    assert Browser(proxy, "127.0.0.3").sign_in(user.username, password) == 429
