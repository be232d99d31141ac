"""End-to-end fixtures: one real sandbox on 127.0.0.1 for the session, Debian's Chromium
through Playwright, and the merchant page on another origin (localhost) than the service."""

import json
import os
import shutil

import httpx
import pytest
from playwright.sync_api import sync_playwright
from starlette.applications import Starlette
from starlette.responses import FileResponse
from starlette.routing import Route

from iamport_py.testing import CURRENT_EDITION_SETTINGS
from iamport_sandbox.assets import INTERPRETER_TABLE
from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO, ensure_demo_merchant
from iamport_sandbox.testkit import offline_proxy
from tests.live import LiveServer, start_sandbox

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INTERPRETERS = sorted(INTERPRETER_TABLE, reverse=True)  # pyodide first, as before
EMPTY_MERCHANT = "imp20000002"
POPUP_MERCHANT = "imp20000003"
CERT_MERCHANT = "imp20000004"
# The guide's current edition: its three settings with its own channel keys.
CURRENT_MERCHANT = "imp20000005"
CURRENT_API = ("2000000000000005", "current-edition-secret-for-the-e2e-sandbox")
# The host Iamport's own iamport.js hard-codes; tests route it to a sandbox.
SERVICE = "https://service.iamport.kr"
IAMPORT_LIKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "iamport_like")


def chromium_path():
    """Debian's Chromium here; Playwright's own browser elsewhere."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    config = Config(
        db_path=str(tmp_path_factory.mktemp("e2e") / "sandbox.sqlite3"), demo_backend=DEMO
    )
    server, app = start_sandbox(config)
    store = app.state.store
    ensure_demo_merchant(store)
    store.create_merchant("empty", "empty-password", EMPTY_MERCHANT)
    popup = store.create_merchant("popup", "popup-password", POPUP_MERCHANT)
    store.add_setting(
        popup["id"],
        {"pg_provider": "eximbay", "pg_id": "EXI-1", "type": "payment", "sandbox": True},
    )
    store.create_merchant("walk", "walk-password")
    certifier = store.create_merchant("cert", "cert-password", CERT_MERCHANT)
    store.add_setting(
        certifier["id"], {"pg_provider": "kcp", "pg_id": "K-1", "type": "payment", "sandbox": True}
    )
    store.add_setting(
        certifier["id"],
        {"pg_provider": "danal", "pg_id": "D-1", "type": "certification", "sandbox": True},
    )
    current = store.create_merchant("current", "current-password", CURRENT_MERCHANT, *CURRENT_API)
    for setting in CURRENT_EDITION_SETTINGS:
        store.add_setting(current["id"], setting)
    yield server
    server.stop()
    store.close()


@pytest.fixture(scope="session")
def service(sandbox):
    """The service origin (127.0.0.1)."""
    return sandbox.url


@pytest.fixture(scope="session")
def merchant_origin(sandbox):
    """The merchant page's origin: the same server reached as localhost, another origin."""
    return "http://localhost:{}".format(sandbox.port)


def launch_chromium(playwright):
    """Headless Chromium as a shopper has it: Playwright turns the popup blocker off by
    default, shoppers' browsers have it on."""
    # No request leaves the machine: every host but loopback goes to a proxy that is not
    # there (a context may route Iamport's hosts to a sandbox, or set a proxy of its own).
    options = {
        "args": CHROMIUM_ARGS,
        "ignore_default_args": ["--disable-popup-blocking"],
        "proxy": offline_proxy(),
    }
    path = chromium_path()
    if path:
        options["executable_path"] = path
    return playwright.chromium.launch(**options)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


LOCAL_PREFIXES = ("http://127.0.0.1:", "http://localhost:", "data:", "about:", "blob:")


class Page:
    """A Playwright page that keeps the browser console (warnings, logged rsps) and every URL
    it requested, so a test can prove nothing left the machine (no CDN, ever)."""

    def __init__(self, page):
        self.page = page
        self.console = []
        self.requests = []
        page.on("console", lambda message: self.console.append((message.type, message.text)))
        page.context.on("request", lambda request: self.requests.append(request.url))

    def __getattr__(self, name):
        return getattr(self.page, name)

    def logged(self, level, needle):
        return [text for kind, text in self.console if kind == level and needle in text]


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    yield context
    # A routed request still in flight (route_to_sandbox) must not fail the teardown.
    context.unroute_all(behavior="ignoreErrors")
    context.close()


def assert_local_only(page):
    remote = [url for url in page.requests if not url.startswith(LOCAL_PREFIXES)]
    assert not remote, "requests that left the machine: {}".format(remote[:5])


@pytest.fixture
def page(context):
    wrapped = Page(context.new_page())
    yield wrapped
    assert_local_only(wrapped)


@pytest.fixture(params=INTERPRETERS)
def interpreter(request):
    return request.param


def rest_client(service, imp_key, imp_secret):
    """An httpx client on the REST API with a merchant's token."""
    client = httpx.Client(base_url=service + "/api", timeout=10)
    answer = client.post("/users/getToken", json={"imp_key": imp_key, "imp_secret": imp_secret})
    client.headers["Authorization"] = answer.json()["response"]["access_token"]
    return client


@pytest.fixture
def rest(service):
    """The REST API as the demo merchant's backend sees it."""
    client = rest_client(service, DEMO["imp_key"], DEMO["imp_secret"])
    yield client
    client.close()


@pytest.fixture(scope="session")
def iamport_like_site():
    """A merchant's own server (another origin) serving e2e/iamport_like/: a checkout page
    on a stand-in for Iamport's iamport.js 1.2.x."""

    def serve(name, media_type=None):
        async def endpoint(request):
            return FileResponse(os.path.join(IAMPORT_LIKE, name), media_type=media_type)

        return endpoint

    server = LiveServer(
        Starlette(
            routes=[
                Route("/checkout.html", serve("checkout.html")),
                Route("/iamport.js", serve("iamport.js", "application/javascript")),
            ]
        )
    ).start()
    yield server.url
    server.stop()


def last_rsp(page):
    return json.loads(page.get_attribute("body", "data-last-rsp"))
