"""Issue 22: a page on Iamport's iamport.js routed to the sandbox leaks nothing. The docs'
recipe (docs/test-kit.md, "The routing recipe"), run as written — only the sandbox's, the
page's and the proxy's URLs substituted — and the test kit's ``offline_proxy`` +
``route_to_sandbox`` face one page on 127.0.0.1 that also calls other hosts every way a page
can (fetch, img, script, iframe, a form post, popups, a WebSocket), and hosts iamport.js 1.3
uses (its checkout server, the PG drivers' CDN).

Each route decision is recorded (the contexts log every ``abort``, ``fetch`` and ``fulfill``
their handlers make), and checked against Playwright's own ``requestfinished`` /
``requestfailed`` events and the page's view. The proxy that is not there is, here, a server on
127.0.0.1 that answers nobody and records what reaches it: it must get no request. Were the
routes wrong, the test would still send nothing out, and the proxy would say what escaped."""

import base64
import hashlib
import os
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route

from e2e.conftest import IAMPORT_LIKE
from iamport_sandbox.demo import DEMO
from iamport_sandbox.testkit import (
    IAMPORT_ORIGINS,
    NOWHERE,
    offline_proxy,
    on_loopback,
    route_to_sandbox,
)
from tests import docs_text
from tests.live import LiveServer

TIMEOUT = 30000
IAMPORT_JS = "https://cdn.iamport.kr/v1/iamport.js"
CHECKOUT = "https://checkout-service.prod.iamport.co/api/prepare/v1"
# Every answer the page waits for before the test looks (see PAGE).
RESULTS = {
    "fetch",
    "plain",
    "checkout",
    "service",
    "local",
    "localhost",
    "img",
    "driver",
    "iamport.js",
    "socket",
    "local socket",
}
PAGE = """<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script>
  window.results = {};
  const done = (name, value) => { if (!(name in results)) results[name] = value; };
  const attempt = (name, url, init) => fetch(url, init).then(
    (answer) => answer.text().then(() => done(name, answer.status)), () => done(name, "failed"));
  attempt("fetch", "https://example.com/order?merchant_uid=order-1&amount=1000");
  attempt("plain", "http://example.com/plain");
  attempt("checkout", "__CHECKOUT__",
          {method: "POST", body: JSON.stringify({merchant_uid: "order-1", amount: 1000})});
  attempt("service", "https://service.iamport.kr/users/pg/__USER_CODE__?callback=cb&_=1");
  attempt("local", "/ping");
  attempt("localhost", "http://localhost:__PORT__/ping");
  const socket = new WebSocket("wss://example.com/socket");
  socket.onopen = () => done("socket", "open");
  socket.onclose = (event) => done("socket", event.code);
  const local = new WebSocket("ws://127.0.0.1:__WS_PORT__/local");
  local.onopen = () => done("local socket", "open");
  local.onclose = (event) => done("local socket", event.code);
  window.popup = (url) => window.open(url, "_blank");
</script>
<img src="https://example.com/pixel.png?order=order-1"
     onload="done('img', 'loaded')" onerror="done('img', 'failed')">
<script src="https://cdn.portone.io/drivers/x.js"
        onload="done('driver', 'loaded')" onerror="done('driver', 'failed')"></script>
<script src="__IAMPORT_JS__" onload="done('iamport.js', typeof IMP)"
        onerror="done('iamport.js', 'failed')"></script>
<iframe name="frame" src="https://example.com/frame"></iframe>
<iframe name="posted"></iframe>
<form id="order" method="post" action="https://example.com/form" target="posted">
  <input name="merchant_uid" value="order-1"><input name="amount" value="1000"></form>
<button id="out" onclick="popup('https://example.com/popup')">out</button>
<button id="in" onclick="popup('https://service.iamport.kr/console')">in</button>
<script>document.getElementById("order").submit();</script>
"""
# The hosts the page navigates to (frames, the form, popups): Chromium may open a connection
# to one before any route sees the navigation (no request is sent on it), and its own
# services (autofill, on a page with a form) are not the page's requests.
NAVIGATED = {"example.com", "service.iamport.kr"}
CHROMIUM_OWN = ".googleapis.com"


class Listener:
    """A TCP server on 127.0.0.1 that records the first line each connection sends. As a
    proxy it closes every connection unanswered (a CONNECT gets no tunnel, so nothing
    follows it); with ``websocket`` it accepts WebSocket upgrades (the page's own loopback
    socket) and keeps them open."""

    def __init__(self, websocket=False):
        self.websocket = websocket
        self.lines = []
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self._open = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            self._open.append(connection)
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = connection.recv(4096)
            if not chunk:
                break
            head += chunk
        lines = head.decode("latin-1").split("\r\n")
        self.lines.append(lines[0])
        keys = [
            line.split(":", 1)[1].strip()
            for line in lines
            if line.lower().startswith("sec-websocket-key:")
        ]
        if self.websocket and keys:
            accept = base64.b64encode(
                hashlib.sha1((keys[0] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()
            )
            connection.sendall(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n"
            )
        else:
            connection.close()

    def close(self):
        self._socket.close()
        for connection in self._open:
            connection.close()


@pytest.fixture(scope="module")
def local_socket():
    server = Listener(websocket=True)
    yield server
    server.close()


@pytest.fixture(scope="module")
def shop(sandbox, local_socket):
    """The merchant's server on 127.0.0.1: the page at /checkout, /ping (CORS open, so the
    page on 127.0.0.1 reads it from localhost too) and /away (a redirect to example.com)."""
    server = LiveServer(Starlette()).start()

    async def checkout(request):
        page = PAGE
        for name, value in (
            ("CHECKOUT", CHECKOUT),
            ("USER_CODE", DEMO["user_code"]),
            ("WS_PORT", str(local_socket.port)),
            ("PORT", str(server.port)),
            ("IAMPORT_JS", IAMPORT_JS),
        ):
            page = page.replace("__{}__".format(name), value)
        return HTMLResponse(page)

    async def ping(request):
        return PlainTextResponse("pong", headers={"Access-Control-Allow-Origin": "*"})

    async def away(request):
        return RedirectResponse("http://example.com/away?merchant_uid=order-1", status_code=302)

    server.app.router.routes.extend(
        [Route("/checkout", checkout), Route("/ping", ping), Route("/away", away)]
    )
    yield server.url
    server.stop()


@pytest.fixture
def trap():
    """The proxy that is not there, recording what reaches it."""
    proxy = Listener()
    proxy.url = "http://127.0.0.1:{}".format(proxy.port)
    yield proxy
    proxy.close()


class Recorded:
    """A browser context whose route handlers' decisions are logged in ``decisions``:
    ``(decision, url, target)`` for each ``fetch`` (target: the URL fetched), ``fulfill``,
    ``abort``, ``continue``, ``fallback`` (requests) and ``connect``, ``close`` (WebSockets);
    with every request it started (``started``) and each one's fate (``ended``: [(request,
    "finished" or the failure)])."""

    def __init__(self, context):
        self.context = context
        self.decisions, self.started, self.ended = [], [], []
        context.on("request", lambda request: self.started.append(request))
        context.on("requestfinished", lambda request: self.ended.append((request, "finished")))
        context.on("requestfailed", lambda request: self.ended.append((request, request.failure)))

    def __getattr__(self, name):
        return getattr(self.context, name)

    def route(self, url, handler):
        self.context.route(url, lambda route: handler(_RecordedRoute(route, self.decisions)))

    def route_web_socket(self, url, handler):
        self.context.route_web_socket(
            url, lambda websocket: handler(_RecordedWebSocket(websocket, self.decisions))
        )


class _RecordedRoute:
    def __init__(self, route, decisions):
        self._route = route
        self._decisions = decisions
        self.request = route.request

    def _note(self, decision, target=None):
        self._decisions.append((decision, self.request.url, target))

    def fetch(self, **options):
        self._note("fetch", options.get("url"))
        return self._route.fetch(**options)

    def fulfill(self, **options):
        self._note("fulfill")
        self._route.fulfill(**options)

    def abort(self, *args, **options):
        self._note("abort")
        self._route.abort(*args, **options)

    def continue_(self, **options):
        self._note("continue")
        self._route.continue_(**options)

    def fallback(self, **options):
        self._note("fallback")
        self._route.fallback(**options)


class _RecordedWebSocket:
    def __init__(self, websocket, decisions):
        self._websocket = websocket
        self._decisions = decisions
        self.url = websocket.url

    def connect_to_server(self):
        self._decisions.append(("connect", self.url, None))
        return self._websocket.connect_to_server()

    def close(self, **options):
        self._decisions.append(("close", self.url, None))
        self._websocket.close(**options)


class RecordingBrowser:
    """The browser the docs' recipe gets: its contexts are :class:`Recorded`."""

    def __init__(self, browser):
        self.browser = browser
        self.contexts = []

    def new_context(self, **options):
        context = Recorded(self.browser.new_context(**options))
        self.contexts.append(context)
        return context


@pytest.fixture
def recording_browser(browser):
    recording = RecordingBrowser(browser)
    yield recording
    for context in recording.contexts:
        context.unroute_all(behavior="ignoreErrors")
        context.close()


@pytest.fixture
def context(recording_browser, trap):
    """A context made as the test kit says, ``proxy=offline_proxy()``, with the trap for the
    proxy that is not there."""
    return recording_browser.new_context(proxy=dict(offline_proxy(), server=trap.url))


def recipe():
    """The test kit page's routing recipe, its one Python block."""
    return docs_text.block(
        "docs/test-kit.md", "## The routing recipe: pages on Iamport's iamport.js", "python"
    )


def run_recipe(browser, sandbox_url, page_url, proxy_url):
    """The recipe as written, but for the sandbox's, the page's and the proxy's URLs; returns
    its context and page."""
    code = recipe()
    for documented, actual in (
        ("http://127.0.0.1:8000", sandbox_url),
        ("http://localhost:3000/checkout", page_url),
        (NOWHERE, proxy_url),
    ):
        assert code.count(documented) == 1, documented
        code = code.replace(documented, actual)
    names = {"browser": browser}
    exec(compile(code, "docs/test-kit.md routing recipe", "exec"), names)
    return names["context"], names["page"]


def visit(context, page, popups=True):
    """Once every answer is in (and, with ``popups``, both popups opened: the one on
    service.iamport.kr shows the console's login page, the sandbox having redirected there),
    and every request started has finished or failed: the page's results (+ ``"popup"``)."""
    page.wait_for_function(
        "(names) => names.every((name) => name in window.results)",
        arg=sorted(RESULTS),
        timeout=TIMEOUT,
    )
    results = {}
    if popups:
        for button in ("out", "in"):
            with context.expect_page(timeout=TIMEOUT) as popup:
                page.click("#" + button)
        popup.value.wait_for_selector("input[name=password]", state="attached", timeout=TIMEOUT)
        results["popup"] = popup.value.url
    settle(context, page)
    return dict(page.evaluate("window.results"), **results)


def settle(context, page):
    """Wait until every request the context started has finished or failed (Playwright
    delivers events during its calls: each round trip takes the next ones in)."""
    deadline = time.monotonic() + TIMEOUT / 1000
    while True:
        ended = [request for request, _ in context.ended]
        pending = [request.url for request in context.started if request not in ended]
        if not pending:
            return
        assert time.monotonic() < deadline, pending
        page.wait_for_timeout(50)


def _origin(url):
    return "{0.scheme}://{0.netloc}".format(urlsplit(url))


def assert_nothing_left(context, trap, sandbox_url, files=()):
    """Every request off loopback was answered by the sandbox (or a local file), or failed
    unsent; the handlers only fetched from the sandbox (the request's own path first),
    fulfilled, aborted, and closed the WebSocket; the proxy got no request."""
    outside = [(request, fate) for request, fate in context.ended if not on_loopback(request.url)]
    assert len(outside) >= 10, [request.url for request, _ in outside]
    decided, fetched = {}, {}
    for decision, url, target in context.decisions:
        decided.setdefault(url, []).append(decision)
        if decision == "fetch":
            assert target.startswith(sandbox_url + "/"), (url, target)
            fetched.setdefault(url, []).append(target)
    times = {}
    for request, fate in outside:
        times[request.url] = times.get(request.url, 0) + 1
        if _origin(request.url) in IAMPORT_ORIGINS or request.url in files:
            # Answered (a script's 404 ends as ERR_ABORTED: the body is not read).
            assert fate in ("finished", "net::ERR_ABORTED"), (request.url, fate)
        else:
            assert "ERR_BLOCKED_BY_CLIENT" in fate or (
                fate == "net::ERR_ABORTED" and request.is_navigation_request()
            ), (request.url, fate)
    for url, count in times.items():
        decisions = decided.get(url, [])
        if _origin(url) in IAMPORT_ORIGINS:
            assert decisions.count("fulfill") == count and set(decisions) == {"fetch", "fulfill"}, (
                url
            )
            assert fetched[url][0] == sandbox_url + url[len(_origin(url)) :], fetched[url]
        else:
            assert decisions == (["fulfill"] if url in files else ["abort"]) * count, url
    assert decided.pop("wss://example.com/socket") == ["close"]
    assert set(decided) <= set(times)
    assert_proxy_got_no_request(trap)


def assert_proxy_got_no_request(trap):
    """Only connections Chromium opens ahead of a navigation, and its own services', reached
    the proxy: CONNECTs (for which it opens no tunnel), no request."""
    for line in trap.lines:
        assert line == "" or line.startswith("CONNECT "), line
        host = line.split()[1].rsplit(":", 1)[0] if line else None
        assert host is None or host in NAVIGATED or host.endswith(CHROMIUM_OWN), line


def assert_page_saw_failures(results, iamport_js="failed"):
    # The sandbox's checkout API answered: a body without the SDK's "data" is refused.
    assert results.pop("checkout") == 400
    assert results == {
        "fetch": "failed",
        "plain": "failed",
        "img": "failed",
        "service": 200,
        "local": 200,
        "localhost": 200,
        # The sandbox redirected to its login page; the popup keeps the first URL.
        "popup": "https://service.iamport.kr/console",
        "driver": "failed",  # the sandbox's 404 for the driver script
        "iamport.js": iamport_js,
        "socket": 1008,  # closed, never opened
        "local socket": "open",
    }


def test_the_readme_recipe_lets_nothing_leave(recording_browser, trap, sandbox, shop, local_socket):
    context, page = run_recipe(recording_browser, sandbox.url, shop + "/checkout", trap.url)
    assert_page_saw_failures(visit(context, page))
    assert_nothing_left(context, trap, sandbox.url)
    assert "GET /local HTTP/1.1" in local_socket.lines


def test_the_test_kit_lets_nothing_leave(context, trap, sandbox, shop):
    routes = route_to_sandbox(context, sandbox.url)
    page = context.new_page()
    page.goto(shop + "/checkout")
    assert_page_saw_failures(visit(context, page))
    assert_nothing_left(context, trap, sandbox.url)
    stopped = [url for decision, url, _ in context.decisions if decision in ("abort", "close")]
    assert sorted(routes.blocked) == sorted(stopped)
    assert IAMPORT_JS in routes.blocked
    assert ("sandbox", CHECKOUT) in routes.log
    # The sandbox's redirects were followed on the sandbox, one log line per URL.
    console = [url for _, url in routes.log if urlsplit(url).path.startswith("/console")]
    assert console == [
        "https://service.iamport.kr/console",
        "https://service.iamport.kr/console/pg",
        "https://service.iamport.kr/console/login",
    ]


def test_the_test_kit_serves_iamport_js_from_a_file_and_lets_allowed_origins_out(
    context, trap, sandbox, shop
):
    copy = os.path.join(IAMPORT_LIKE, "iamport.js")
    routes = route_to_sandbox(
        context, sandbox.url, allow=["https://example.com/"], files={IAMPORT_JS: copy}
    )
    page = context.new_page()
    page.goto(shop + "/checkout")
    results = visit(context, page, popups=False)
    assert results["iamport.js"] == "object" and ("file", IAMPORT_JS) in routes.log
    # https://example.com is allowed: no route stops it; it goes out, here to the trap (this
    # context's proxy does not let it by), which answers nobody. Another scheme is another
    # origin: still blocked.
    assert not [url for url in routes.blocked if url.startswith("https://example.com/")]
    assert sorted(routes.blocked) == ["http://example.com/plain", "wss://example.com/socket"]
    assert "CONNECT example.com:443 HTTP/1.1" in trap.lines
    assert results["checkout"] == 400 and results["service"] == 200


def test_a_redirect_the_browser_follows_meets_the_proxy_not_the_routes(
    context, trap, sandbox, shop
):
    """Playwright does not route the requests a redirect leads to: the merchant's own server
    sending the page elsewhere is stopped by the proxy alone."""
    route_to_sandbox(context, sandbox.url)
    page = context.new_page()
    with pytest.raises(PlaywrightError, match=r"ERR_EMPTY_RESPONSE|ERR_PROXY|ERR_TUNNEL"):
        page.goto(shop + "/away")
    assert not [url for _, url, _ in context.decisions if "away" in url]
    assert "GET http://example.com/away?merchant_uid=order-1 HTTP/1.1" in trap.lines


def test_offline_proxy_lets_loopback_and_allowed_hosts_by():
    assert offline_proxy() == {"server": NOWHERE, "bypass": "127.0.0.1,localhost,[::1]"}
    assert offline_proxy(["https://fonts.example.com"])["bypass"].endswith(",fonts.example.com")


class _FakeContext:
    def route(self, url, handler):
        self.leaves, self.handler = url, handler

    def route_web_socket(self, url, handler):
        pass


class _FakeRoute:
    """A request whose sandbox answers are ``answers`` [(status, location)], in order."""

    def __init__(self, url, answers):
        self.request = type("Request", (), {"url": url, "method": "GET"})()
        self.answers = list(answers)
        self.fetched, self.done = [], None

    def fetch(self, url, method=None, max_redirects=20):
        assert max_redirects == 0  # redirects are followed by route_to_sandbox, not Node
        self.fetched.append(url)
        status, location = self.answers.pop(0)
        return type(
            "Response",
            (),
            {"status": status, "headers": {"location": location} if location else {}},
        )()

    def fulfill(self, response=None, path=None):
        self.done = ("fulfill", response.status)

    def abort(self, error_code=None):
        self.done = ("abort", error_code)


@pytest.mark.parametrize(
    "answers, fetched, done",
    [
        ([(303, "/console/pg"), (200, None)], ["/console", "/console/pg"], ("fulfill", 200)),
        (
            [(302, "https://checkout-service.prod.iamport.co/x?a=1"), (404, None)],
            ["/console", "/x?a=1"],
            ("fulfill", 404),
        ),
        (
            [(302, "https://example.com/away?merchant_uid=order-1")],
            ["/console"],
            ("abort", "blockedbyclient"),
        ),
        ([(302, "/console")] * 10, ["/console"] * 10, ("abort", "blockedbyclient")),
    ],
)
def test_the_test_kit_follows_redirects_on_the_sandbox_only(answers, fetched, done):
    context, sandbox = _FakeContext(), "http://127.0.0.1:1"
    routes = route_to_sandbox(context, sandbox)
    route = _FakeRoute("https://service.iamport.kr/console", answers)
    assert context.leaves(route.request.url)
    context.handler(route)
    assert route.fetched == [sandbox + path for path in fetched] and route.done == done
    assert (routes.log[-1][0] == "blocked") is (done[0] == "abort")


@pytest.mark.parametrize(
    "url, loopback",
    [
        ("http://127.0.0.1:8000/x", True),
        ("http://127.9.9.9/", True),
        ("http://localhost:3/", True),
        ("http://[::1]:8000/", True),
        ("ws://127.0.0.1:1/s", True),
        ("data:,x", True),
        ("blob:https://example.com/0f1e", True),
        ("about:blank", True),
        ("https://example.com/", False),
        ("http://127.0.0.1.nip.io/", False),
        ("http://127.0.0.1@example.com/", False),
        ("http://0.0.0.0/", False),
        ("http://10.0.0.1/", False),
        ("wss://example.com/s", False),
    ],
)
def test_only_loopback_stays_on_the_machine(url, loopback):
    assert on_loopback(url) is loopback


@pytest.mark.parametrize(
    "allow",
    [
        ["example.com"],
        ["https://example.com/path"],
        ["https://service.iamport.kr"],
        ["https://:443"],
    ],
)
def test_allow_takes_origins_other_than_iamports(allow):
    with pytest.raises(ValueError):
        route_to_sandbox(None, "http://127.0.0.1:1", allow=allow)


def test_offline_proxy_refuses_an_origin_without_a_host():
    with pytest.raises(ValueError):
        offline_proxy(["https://:443"])
