"""Fixtures: the sandbox app with a real SQLite file in a temp folder, in-process
(``httpx.ASGITransport``) unless a test needs a socket (``live_sandbox``)."""

import re

import httpx
import pytest

from iamport_sandbox.app import create_app
from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO, ensure_demo_merchant
from tests.live import LiveServer, reuse_tls
from tests.sandbox.inprocess import InProcess, window_open
from tests.seeded import seed_file


def _started(tmp_path, server_class):
    config = Config(
        db_path=seed_file(tmp_path / "sandbox.sqlite3"),
        demo_backend=DEMO,
        webhook_backoff=0.05,
        webhook_timeout=2.0,
    )
    app = reuse_tls(create_app(config))
    ensure_demo_merchant(app.state.store)  # seeded already: a no-op, kept as the contract
    return server_class(app).start(), app


def _serving(tmp_path, server_class):
    server, app = _started(tmp_path, server_class)
    yield server.url, app
    server.stop()
    app.state.store.close()


@pytest.fixture
def sandbox(tmp_path):
    """The sandbox with the demo merchant, in-process: its lifespan (webhook sender,
    scheduler) runs on a loop of its own, requests go through ``httpx.ASGITransport``.
    Yields ``(base_url, app)``; ``http`` is a client on it."""
    yield from _serving(tmp_path, InProcess)


@pytest.fixture
def live_sandbox(tmp_path):
    """The same sandbox served by uvicorn on 127.0.0.1 (a port the OS picks), for what
    needs a socket: clients in other processes, connections and their addresses.
    Yields ``(url, app)``."""
    yield from _serving(tmp_path, LiveServer)


@pytest.fixture
def http(sandbox):
    """A client on ``sandbox``: through its in-process transport, or over a socket when
    a test's own ``sandbox`` is a live server."""
    url, app = sandbox
    server = InProcess.serving(app)
    with server.client() if server else httpx.Client(base_url=url, timeout=10) as client:
        yield client


@pytest.fixture
def store(sandbox):
    return sandbox[1].state.store


@pytest.fixture
def demo(store):
    return store.merchant_by_code(DEMO["user_code"])


def csrf_of(page):
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Console:
    """A logged-in browser session on the console, over HTTP."""

    def __init__(self, http):
        self.http = http

    def login(self, login=DEMO["login"], password=DEMO["password"]):
        token = csrf_of(self.http.get("/console/login"))
        return self.http.post(
            "/console/login", data={"csrf": token, "login": login, "password": password}
        )

    def csrf(self):
        return csrf_of(self.http.get("/console/pg"))

    def post(self, path, **form):
        form.setdefault("csrf", self.csrf())
        return self.http.post(path, data=form)


@pytest.fixture
def console(http):
    session = Console(http)
    assert session.login().status_code == 303
    return session


def open_payment(
    http,
    request,
    pg_provider="html5_inicis",
    pg_id="MID-a",
    user_code=DEMO["user_code"],
    action="payment",
):
    """What a window does when the SDK's request arrives: POST /sandbox/windows/open."""
    body = window_open(request, action, pg_provider, pg_id, user_code=user_code)
    return http.post("/sandbox/windows/open", json=body)


def complete(http, rsp, outcome="approve", request_id="req_test_1", **extra):
    return http.post(
        "/sandbox/windows/{}/complete".format(rsp["imp_uid"]),
        json=dict(
            {"user_code": DEMO["user_code"], "request_id": request_id, "outcome": outcome}, **extra
        ),
    )


def token(http, key=DEMO["imp_key"], secret=DEMO["imp_secret"]):
    answer = http.post("/api/users/getToken", json={"imp_key": key, "imp_secret": secret})
    assert answer.status_code == 200, answer.text
    return answer.json()["response"]["access_token"]


def certify(http, store, demo, merchant_uid="cert-1"):
    """Register a danal certification setting, open its window and verify an identity;
    returns the window's rsp data."""
    store.add_setting(
        demo["id"],
        {"pg_provider": "danal", "pg_id": "D1", "type": "certification", "sandbox": True},
    )
    opened = open_payment(
        http,
        {"merchant_uid": merchant_uid},
        pg_provider="danal",
        pg_id="D1",
        action="certification",
    ).json()["response"]
    return complete(
        http, opened, "certify", person={"name": "홍길동", "phone": "01012345678"}
    ).json()["response"]


def pay(http, **request):
    """Open and approve one payment; returns the window's rsp data."""
    opened = open_payment(http, request).json()["response"]
    return complete(http, opened, request_id=request.get("request_id", "req_test_1")).json()[
        "response"
    ]


# -- the REST tests of issue 11 (tests/sandbox/rest_kit.py) --------------------------------


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def api(tmp_path):
    """The REST API in-process with two merchants (``rest_kit.Api``)."""
    from tests.sandbox.rest_kit import api_running

    async with api_running(tmp_path / "api.sqlite3") as running_api:
        yield running_api
