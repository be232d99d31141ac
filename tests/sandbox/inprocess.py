"""The sandbox app in-process: ``httpx.ASGITransport`` with the app's real lifespan
(webhook sender included) and a real SQLite file, for async tests (:func:`running`) and
for sync ones (:class:`InProcess`, the ``sandbox`` fixture's server)."""

import contextlib
import weakref

import anyio.from_thread
import httpx

from iamport_sandbox.app import create_app
from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO, ensure_demo_merchant
from tests.conformance.kit import check_answer
from tests.live import reuse_tls
from tests.seeded import seed_missing

BASE = "http://sandbox.test"
# A request the app has not answered by then fails the test instead of hanging it.
ANSWER_TIMEOUT = 30
_SERVING = weakref.WeakKeyDictionary()  # app -> its running InProcess


API = "/api/"


# Every REST answer the in-process tests receive is checked against PortOne's document
# (issue 24, item 2; tests/conformance/kit.py): a test that meets a non-conforming answer fails.
async def conforms(response):
    if response.request.url.path.startswith(API):  # other answers may be streamed
        await response.aread()
        check_answer(response)


def conforms_sync(response):
    if response.request.url.path.startswith(API):
        response.read()
        check_answer(response)


@contextlib.asynccontextmanager
async def running(path, lifespan=True, **options):
    """``async with running(tmp_path / "s.sqlite3") as (client, app)``; with ``lifespan``
    False the app serves requests but its webhook sender never starts."""
    options.setdefault("webhook_backoff", 0.05)
    options.setdefault("webhook_timeout", 2.0)
    app = reuse_tls(
        create_app(Config(db_path=str(seed_missing(path)), demo_backend=DEMO, **options))
    )
    ensure_demo_merchant(app.state.store)
    # A 500 is an answer to look at, not an exception in the test.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with contextlib.AsyncExitStack() as stack:
            if lifespan:
                await stack.enter_async_context(app.router.lifespan_context(app))
            client = await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=transport,
                    base_url=BASE,
                    timeout=10,
                    event_hooks={"response": [conforms]},
                )
            )
            yield client, app
    finally:
        app.state.store.close()


class InProcess:
    """A sync stand-in for a live server, without the socket: the app's lifespan (webhook
    sender, scheduler) and every request run on one event loop in a thread of their own
    (an anyio blocking portal), requests through ``httpx.ASGITransport``. Between requests
    the loop keeps running, so background work (webhooks) goes on as under uvicorn.

    ``url`` is the base URL for :meth:`client`; :meth:`stop` runs the lifespan's shutdown."""

    url = BASE

    def __init__(self, app):
        self.app = app
        self._stack = contextlib.ExitStack()
        self.portal = None

    @classmethod
    def serving(cls, app):
        """The running :class:`InProcess` of ``app``, or None."""
        return _SERVING.get(app)

    def start(self):
        portal = self._stack.enter_context(anyio.from_thread.start_blocking_portal())
        try:
            self._stack.enter_context(
                portal.wrap_async_context_manager(self.app.router.lifespan_context(self.app))
            )
        except BaseException:
            self._stack.close()
            raise
        self.portal = portal
        _SERVING[self.app] = self
        return self

    def stop(self):
        _SERVING.pop(self.app, None)
        self.portal = None
        self._stack.close()

    def transport(self):
        return PortalTransport(self.app, self)

    def client(self, **options):
        """An ``httpx.Client`` on the app (cookies, redirects: a browser's, over HTTP)."""
        options.setdefault("timeout", 10)
        options.setdefault("event_hooks", {"response": [conforms_sync]})
        return httpx.Client(transport=self.transport(), base_url=self.url, **options)


class PortalTransport(httpx.BaseTransport):
    """``httpx.ASGITransport`` for a sync client: each request is sent on the portal's
    loop and its whole answer read there."""

    def __init__(self, app, server):
        # A 500 is an answer to look at, as from a live server, not an exception here.
        self._asgi = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self._server = server

    def handle_request(self, request):
        request.read()  # the body as one ByteStream, which is also an async stream
        portal = self._server.portal
        if portal is None:
            raise httpx.ConnectError("the in-process sandbox is stopped", request=request)
        status, headers, content = portal.start_task_soon(self._send, request).result(
            timeout=ANSWER_TIMEOUT
        )
        return httpx.Response(
            status, headers=headers, stream=httpx.ByteStream(content), request=request
        )

    async def _send(self, request):
        answer = await self._asgi.handle_async_request(request)
        content = b"".join([part async for part in answer.stream])
        return answer.status_code, answer.headers.raw, content


def window_open(request=None, action="payment", pg_provider="html5_inicis", pg_id="MID-a", **extra):
    """The body a window posts to ``/sandbox/windows/open``."""
    request = dict(
        {
            "merchant_uid": "order-1",
            "amount": 1000,
            "name": "Test order",
            "pay_method": "card",
            "request_id": "req_test_1",
        },
        **(request or {}),
    )
    return dict(
        {
            "action": action,
            "user_code": DEMO["user_code"],
            "pg_provider": pg_provider,
            "pg_id": pg_id,
            "request": request,
        },
        **extra,
    )


async def open_window(client, request=None, **options):
    answer = await client.post("/sandbox/windows/open", json=window_open(request, **options))
    assert answer.status_code == 200, answer.text
    return answer.json()["response"]


async def complete_window(client, rsp, outcome="approve", request_id="req_test_1", **extra):
    return await client.post(
        "/sandbox/windows/{}/complete".format(rsp["imp_uid"]),
        json=dict(
            {"user_code": DEMO["user_code"], "request_id": request_id, "outcome": outcome}, **extra
        ),
    )


async def auth(client, key=DEMO["imp_key"], secret=DEMO["imp_secret"]):
    """The Authorization header of a fresh access token."""
    answer = await client.post("/api/users/getToken", json={"imp_key": key, "imp_secret": secret})
    assert answer.status_code == 200, answer.text
    return {"Authorization": answer.json()["response"]["access_token"]}
