"""A test kit for merchants' own suites: a live sandbox, preset outcomes, window helpers.

Use it through the pytest plugin (:mod:`iamport_sandbox.pytest_plugin`, fixture
``iamport_sandbox``) or directly::

    sandbox = start_sandbox([{"pg_provider": "kakaopay", "pg_id": "MID-c"}])
    sandbox.preset("order-1", "decline", code="CARD_DECLINED", msg="declined")
    ...                                     # your page pays; the window answers by itself
    sandbox.stop()

The window helpers (:func:`approve`, :func:`decline`, :func:`cancel`) take a Playwright page
or frame (sync API): the merchant page with the overlay, the window's frame, or a popup PG's
popup page. They wait for the window's readiness marker, never for time.

For a page on Iamport's own iamport.js: a context made with ``proxy=offline_proxy()`` connects
nowhere but loopback, and :func:`route_to_sandbox` has the sandbox answer Iamport's hosts and
aborts every other request that would leave the machine.
"""

import ipaddress
import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from iamport_py import errors

if TYPE_CHECKING:
    # Types only: the pytest plugin imports this module in every merchant's test run, where
    # the sandbox extra (httpx, Starlette, uvicorn) or Playwright may not be installed.
    import httpx
    from playwright.sync_api import BrowserContext, Frame, Page, Route, WebSocketRoute
    from starlette.applications import Starlette
    from starlette.types import ASGIApp

    from iamport_sandbox.store import Row, Store

# The window's (and the popup PG page's) marker: its actions are usable.
WINDOW_READY = "body[data-window-state=ready]"
# A payment or certification window in the merchant page (our SDK's overlay or iamport.js's),
# shown: both SDKs keep windows loaded ahead in hidden frames, and Playwright waits for the
# first match to be visible.
WINDOW_FRAME = (
    'iframe[src*="/payments/ready/"]:visible, iframe[src*="/certificates/ready/"]:visible'
)
TIMEOUT_MS = 30000
# The seed's three settings (entry 0 is the default PG).
SEED_SETTINGS = (
    {"pg_provider": "html5_inicis", "pg_id": "MID-a"},
    {"pg_provider": "html5_inicis", "pg_id": "MID-b"},
    {"pg_provider": "kakaopay", "pg_id": "MID-c"},
)


class LiveServer:
    """Serve an ASGI app on 127.0.0.1 (a port the OS picks) in a thread until :meth:`stop`;
    ``url`` is its base URL."""

    def __init__(self, app: "ASGIApp", host: str = "127.0.0.1") -> None:
        import uvicorn

        self.app = app
        # proto IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on accepted
        # sockets that say so, and with Nagle on every keep-alive answer after the first
        # waits ~40 ms for the client's delayed ACK (uvicorn issue #3149).
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, 0))
        self.port = self._socket.getsockname()[1]
        self.url = "http://{}:{}".format(host, self.port)
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> "LiveServer":
        """Start serving; returns ``self`` once the server accepts requests."""
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


class Merchant:
    """A merchant of a running sandbox: its user code and REST credentials, and the test
    kit's calls made with its REST token."""

    def __init__(self, sandbox: "Sandbox", record: Mapping[str, Any]) -> None:
        self.sandbox = sandbox
        self.user_code = record["user_code"]
        self.login = record["login"]
        self.password = record["password"]
        self.imp_key = record["imp_key"]
        self.imp_secret = record["imp_secret"]
        self._client: httpx.Client | None = None

    def rest(self) -> "httpx.Client":
        """An ``httpx.Client`` on the REST API (``/api``) holding this merchant's token."""
        if self._client is None:
            import httpx

            client = httpx.Client(base_url=self.sandbox.url + "/api", timeout=10)
            answer = client.post(
                "/users/getToken", json={"imp_key": self.imp_key, "imp_secret": self.imp_secret}
            )
            client.headers["Authorization"] = _response(answer)["access_token"]
            self._client = client
        return self._client

    def preset(
        self,
        merchant_uid: str,
        outcome: str = "approve",
        code: str | None = None,
        msg: str | None = None,
        delay: float = 0.0,
    ) -> dict[str, Any]:
        """Preset how the next window opened for ``merchant_uid`` answers: ``"approve"``,
        ``"decline"`` (with ``code`` and ``msg``) or ``"cancel"``, after ``delay`` seconds.
        The window then answers by itself (overlay, redirect or popup PG page): no clicks."""
        return _response(
            self.rest().post(
                self.sandbox.url + "/sandbox/testkit/presets",
                json={
                    "merchant_uid": merchant_uid,
                    "outcome": outcome,
                    "error_code": code,
                    "error_msg": msg,
                    "delay": delay,
                },
            )
        )

    def deposit(self, imp_uid: str) -> dict[str, Any]:
        """The shopper pays an issued virtual account: ``ready`` → ``paid`` (with webhook).
        Returns the payment as the REST API shows it."""
        return _response(
            self.rest().post(
                "{}/sandbox/testkit/payments/{}/deposit".format(self.sandbox.url, imp_uid)
            )
        )

    def otp(self, imp_uid: str) -> str:
        """The code an OTP identity check (``POST /certifications/otp/request``) "sent by
        SMS" to the person, for the test to confirm it with (``/otp/confirm/{imp_uid}``)."""
        code: str = _response(
            self.rest().get(
                "{}/sandbox/testkit/certifications/{}/otp".format(self.sandbox.url, imp_uid)
            )
        )["otp"]
        return code

    def payment(self, imp_uid: str) -> dict[str, Any]:
        """``GET /payments/{imp_uid}``: the payment as the merchant's server reads it."""
        return _response(self.rest().get("/payments/{}".format(imp_uid)))

    def find(self, merchant_uid: str) -> dict[str, Any] | None:
        """``GET /payments/find/{merchant_uid}``: the latest payment of an order, or None."""
        answer = self.rest().get("/payments/find/{}".format(merchant_uid))
        return None if answer.status_code == 404 else _response(answer)

    def settings(self) -> list[dict[str, Any]]:
        """This merchant's PG settings as the SDK receives them (``GET /users/pg/{user_code}``),
        default first, each with its ``channel_key``."""
        answer = self.rest().get("{}/users/pg/{}".format(self.sandbox.url, self.user_code))
        data: list[dict[str, Any]] = answer.json()["data"]
        return data

    def channel_key(self, pg_provider: str, pg_id: str | None = None, kind: str = "payment") -> str:
        """The channel key of this merchant's ``kind`` setting of ``pg_provider`` (and
        ``pg_id``): what a page passes as ``channelKey``. A setting given with a
        ``"channel_key"`` keeps it; the others get a random one when created."""
        for setting in self.settings():
            if (setting["pg_provider"], setting["type"]) == (pg_provider, kind) and pg_id in (
                None,
                setting["pg_id"],
            ):
                key: str = setting["channel_key"]
                return key
        raise LookupError("no {} setting {} {}".format(kind, pg_provider, pg_id or ""))

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


class Sandbox(Merchant):
    """A running sandbox (``url``) with a temporary store and one merchant (this object's
    ``user_code``, ``imp_key``…); :meth:`add_merchant` registers more."""

    def __init__(
        self,
        server: LiveServer,
        app: "Starlette",
        record: Mapping[str, Any],
        folder: "tempfile.TemporaryDirectory[str] | None" = None,
    ) -> None:
        self.server = server
        self.app = app
        self.url = server.url
        self._folder = folder
        self._merchants: list[Merchant] = []
        super().__init__(self, record)

    def add_merchant(
        self,
        settings: Iterable[Mapping[str, Any]],
        login: str | None = None,
        user_code: str | None = None,
    ) -> Merchant:
        """Another merchant with these PG settings (entry 0 is the default PG)."""
        merchant = Merchant(self, _create(self.app.state.store, settings, login, user_code))
        self._merchants.append(merchant)
        return merchant

    def stop(self) -> None:
        """Stop the server, close the store, remove the temporary folder."""
        for merchant in self._merchants:
            merchant.close()
        self.close()
        self.server.stop()
        self.app.state.store.close()
        if self._folder is not None:
            self._folder.cleanup()


def _response(answer: "httpx.Response") -> dict[str, Any]:
    body = answer.json()
    if answer.status_code >= 400 or body.get("code") != 0:
        raise AssertionError(
            "sandbox answered {}: {}".format(answer.status_code, body.get("message"))
        )
    response: dict[str, Any] = body["response"]
    return response


def _create(
    store: "Store",
    settings: Iterable[Mapping[str, Any]],
    login: str | None = None,
    user_code: str | None = None,
) -> "Row":
    from iamport_sandbox import security

    login = login or "merchant-" + security.new_secret(4).lower()
    record = store.create_merchant(login, security.new_secret(12), user_code)
    for setting in settings:
        store.add_setting(record["id"], dict({"type": "payment", "sandbox": True}, **setting))
    return record


def start_sandbox(
    settings: Iterable[Mapping[str, Any]] = SEED_SETTINGS,
    db_path: str | None = None,
    user_code: str = "imp10000001",
    **config: Any,
) -> Sandbox:
    """A sandbox on a free 127.0.0.1 port with one merchant holding ``settings`` (in order;
    entry 0 is the default PG). The store is a temporary SQLite file unless ``db_path``;
    ``config`` goes to :class:`iamport_sandbox.config.Config`. Stop it with ``stop()``."""
    from iamport_sandbox.app import create_app
    from iamport_sandbox.config import Config

    folder = None
    if db_path is None:
        folder = tempfile.TemporaryDirectory(prefix="iamport-sandbox-")
        db_path = os.path.join(folder.name, "sandbox.sqlite3")
    app = create_app(Config(db_path=db_path, **config))
    record = _create(app.state.store, settings, user_code=user_code)
    return Sandbox(LiveServer(app).start(), app, record, folder)


# -- driving a window from Playwright (sync API) --------------------------------------


def window(target: "Page | Frame", timeout: float = TIMEOUT_MS) -> "Page | Frame":
    """The ready window in ``target``: a merchant page showing the overlay (its window
    frame), a window frame itself, or a popup PG's popup page. Waits for the readiness
    marker (the request is open and its actions are usable)."""
    found = target.wait_for_selector("{}, {}".format(WINDOW_READY, WINDOW_FRAME), timeout=timeout)
    assert found is not None  # waiting for "visible" (the default) never gives None
    frame: Page | Frame | None = (
        found.content_frame() if found.evaluate("node => node.tagName") == "IFRAME" else target
    )
    assert frame is not None  # an attached iframe's
    frame.wait_for_selector(WINDOW_READY, timeout=timeout)
    return frame


def approve(target: "Page | Frame", timeout: float = TIMEOUT_MS) -> "Page | Frame":
    """Press Approve (a virtual account: issue it; a certification: verify)."""
    frame = window(target, timeout)
    frame.click("[data-testid=approve]", timeout=timeout)
    return frame


def decline(
    target: "Page | Frame",
    code: str = errors.CARD_DECLINED,
    msg: str | None = None,
    timeout: float = TIMEOUT_MS,
) -> "Page | Frame":
    """Decline with this error code and message (any code, not only the listed ones); the
    message defaults to the code's Korean one in the SDK's error table (the code itself
    for a code the table does not have)."""
    msg = errors.error_message(code) if msg is None else msg
    frame = window(target, timeout)
    frame.click("[data-testid=decline-open]", timeout=timeout)
    frame.eval_on_selector(
        "[data-testid=decline-code]",
        """(select, code) => {
        if (![...select.options].some((option) => option.value === code)) {
            select.add(new Option(code, code));
        }
        select.value = code;
    }""",
        code,
    )
    frame.fill("[data-testid=decline-msg]", msg, timeout=timeout)
    frame.click("[data-testid=decline]", timeout=timeout)
    return frame


def cancel(target: "Page | Frame", timeout: float = TIMEOUT_MS) -> "Page | Frame":
    """Press Cancel: the page's callback gets F0005."""
    frame = window(target, timeout)
    frame.click("[data-testid=cancel]", timeout=timeout)
    return frame


# -- a page on Iamport's own iamport.js, routed to the sandbox ------------------------

# What iamport.js talks to: its service, iamport.js 1.3's checkout server (six PGs) and
# the PG drivers that server has it load. route_to_sandbox answers them from the sandbox,
# paths kept: the checkout server's /api/prepare/v1 and /api/fail/…/v1 and the drivers'
# /drivers/… are the sandbox's own paths (iamport_sandbox.checkout_service).
IAMPORT_ORIGINS = (
    "https://service.iamport.kr",
    "https://checkout-service.prod.iamport.co",
    "https://cdn.portone.io",
)
# A proxy nobody runs: the discard port on loopback. Chromium never proxies loopback.
NOWHERE = "http://127.0.0.1:9"
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
_REDIRECTS = (301, 302, 303, 307, 308)
_log = logging.getLogger(__name__)


def on_loopback(url: str) -> bool:
    """Whether ``url`` stays on this machine: a loopback host (``localhost``, 127.0.0.0/8,
    ``[::1]``) or no host at all (``data:``, ``blob:``, ``about:``)."""
    host = urlsplit(url).hostname
    if host is None or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return parts.scheme + "://" + parts.netloc


def _origins(allow: Iterable[str]) -> list[str]:
    origins = []
    for given in allow:
        origin = given.rstrip("/")
        parts = urlsplit(origin)
        if not (parts.scheme and parts.hostname) or _origin(origin) != origin:
            raise ValueError("allow takes origins (https://host[:port]), not {!r}".format(given))
        if origin in IAMPORT_ORIGINS:
            raise ValueError("{} is answered by the sandbox; it cannot be allowed".format(origin))
        origins.append(origin)
    return origins


def offline_proxy(allow: Iterable[str] = ()) -> dict[str, str]:
    """The ``proxy`` option of ``browser.new_context(proxy=...)`` for a context that connects
    nowhere but loopback and the origins in ``allow``: everything else goes to a proxy that
    is not there (:data:`NOWHERE`). It stops what routes do not see — a redirect the browser
    follows, a connection Chromium opens ahead of a navigation, a Worker's WebSocket — and
    Playwright's own requests for the context (``route.fetch``, ``context.request``)."""
    # _origins checked that each has a host.
    hosts = [urlsplit(origin).hostname or "" for origin in _origins(allow)]
    return {"server": NOWHERE, "bypass": ",".join(list(_LOOPBACK_NAMES) + hosts)}


class SandboxRoutes:
    """What :func:`route_to_sandbox` did: ``log``, one ``(action, url)`` per request that
    would have left the machine, in order; the action is ``"sandbox"`` (answered by the
    sandbox; a redirect it answers adds a line per URL followed), ``"file"`` (a local file),
    ``"blocked"`` (aborted, never sent) or ``"websocket blocked"``. Loopback requests and
    allowed origins pass unlogged."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []

    @property
    def blocked(self) -> list[str]:
        """The URLs stopped so far (requests, redirects and WebSockets)."""
        return [url for action, url in self.log if action.endswith("blocked")]

    def _note(self, action: str, url: str) -> None:
        self.log.append((action, url))
        if action.endswith("blocked"):
            _log.warning(
                "route_to_sandbox blocked %s: not loopback, not allowed (%s)",
                url,
                "serve your copy of iamport.js with files="
                if urlsplit(url).hostname == "cdn.iamport.kr"
                else "allow its origin with allow= if it must leave",
            )


def _on_sandbox(url: str, base: str) -> str | None:
    """``url`` on the sandbox at ``base`` (an Iamport origin mapped, path and query kept;
    the sandbox itself as it is), or None."""
    origin = _origin(url)
    if origin in IAMPORT_ORIGINS:
        return base + url[len(origin) :]
    return url if origin == _origin(base) else None


def _from_sandbox(route: "Route", base: str, routes: SandboxRoutes) -> None:
    """Answer ``route`` from the sandbox, following its redirects here: the browser would
    follow them without routing them."""
    url, method = route.request.url, None
    for _ in range(10):
        target = _on_sandbox(url, base)
        if target is None:
            routes._note("blocked", url)
            route.abort("blockedbyclient")
            return
        routes._note("sandbox", url)
        answer = route.fetch(url=target, method=method, max_redirects=0)
        location = answer.headers.get("location")
        if answer.status not in _REDIRECTS or not location:
            route.fulfill(response=answer)
            return
        post = route.request.method == "POST"
        if answer.status == 303 or (post and answer.status in (301, 302)):
            method = "GET"  # as browsers do
        url = urljoin(url, location)
    routes._note("blocked", url)  # a redirect loop
    route.abort("blockedbyclient")


def route_to_sandbox(
    context: "BrowserContext",
    sandbox_url: str,
    allow: Iterable[str] = (),
    files: Mapping[str, str | Path] | None = None,
) -> SandboxRoutes:
    """Route a Playwright browser context (sync API) so that its pages can use Iamport's
    own iamport.js against the sandbox at ``sandbox_url`` and nothing leaves the machine.

    Call it before the context opens its first page (the popup PG's popup is another page
    of the same context, and routes only see what starts after them), on a context created
    with ``proxy=offline_proxy(allow)`` for what routes do not see:

    - requests to :data:`IAMPORT_ORIGINS` are answered by the sandbox, path and query kept
      (``https://service.iamport.kr/users/pg/imp1?x=1`` → ``{sandbox_url}/users/pg/imp1?x=1``;
      what the sandbox does not serve gets its JSON 404). Its redirects are followed here, on
      the sandbox (the page keeps the first URL); one off the sandbox is blocked;
    - ``files`` ({url: path}) answers those exact URLs from local files: your pinned copy of
      ``https://cdn.iamport.kr/v1/iamport.js``, for instance;
    - loopback (``localhost``, 127.0.0.0/8, ``[::1]``) and the origins in ``allow``
      (``"https://fonts.example.com"``) go through unchanged;
    - every other request, ``cdn.iamport.kr`` included, is aborted before it is sent (the page
      sees ``net::ERR_BLOCKED_BY_CLIENT``; a warning is logged), and every other WebSocket
      opened by a page is closed before it connects (code 1008).

    Returns a :class:`SandboxRoutes` whose ``log`` and ``blocked`` say what it did. Before
    closing the context, ``context.unroute_all(behavior="ignoreErrors")`` lets requests
    still in flight end quietly."""
    allowed = set(_origins(allow))
    files = dict(files or {})
    base = sandbox_url.rstrip("/")
    routes = SandboxRoutes()

    def leaves(url: str) -> bool:
        return not on_loopback(url) and _origin(url) not in allowed

    def answer(route: "Route") -> None:
        url = route.request.url
        if url in files:
            routes._note("file", url)
            route.fulfill(path=files[url])
        elif _origin(url) in IAMPORT_ORIGINS:
            _from_sandbox(route, base, routes)
        else:
            routes._note("blocked", url)
            route.abort("blockedbyclient")

    def close(websocket: "WebSocketRoute") -> None:

        routes._note("websocket blocked", websocket.url)
        websocket.close(code=1008, reason="route_to_sandbox: not loopback, not allowed")

    context.route(leaves, answer)
    context.route_web_socket(leaves, close)
    return routes
