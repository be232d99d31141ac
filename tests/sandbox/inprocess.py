"""The sandbox app in-process: ``httpx.ASGITransport`` with the app's real lifespan
(webhook sender included) and a real SQLite file."""

import contextlib

import httpx

from iamport_sandbox.app import create_app
from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO, ensure_demo_merchant

BASE = "http://sandbox.test"


@contextlib.asynccontextmanager
async def running(path, lifespan=True, **options):
    """``async with running(tmp_path / "s.sqlite3") as (client, app)``; with ``lifespan``
    False the app serves requests but its webhook sender never starts."""
    options.setdefault("webhook_backoff", 0.05)
    options.setdefault("webhook_timeout", 2.0)
    app = create_app(Config(db_path=str(path), demo_backend=DEMO, **options))
    ensure_demo_merchant(app.state.store)
    # A 500 is an answer to look at, not an exception in the test.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with contextlib.AsyncExitStack() as stack:
            if lifespan:
                await stack.enter_async_context(app.router.lifespan_context(app))
            client = await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url=BASE, timeout=10))
            yield client, app
    finally:
        app.state.store.close()


def window_open(request=None, action="payment", pg_provider="html5_inicis", pg_id="MID-a",
                **extra):
    """The body a window posts to ``/sandbox/windows/open``."""
    request = dict({"merchant_uid": "order-1", "amount": 1000, "name": "Test order",
                    "pay_method": "card", "request_id": "req_test_1"}, **(request or {}))
    return dict({"action": action, "user_code": DEMO["user_code"], "pg_provider": pg_provider,
                 "pg_id": pg_id, "request": request}, **extra)


async def open_window(client, request=None, **options):
    answer = await client.post("/sandbox/windows/open", json=window_open(request, **options))
    assert answer.status_code == 200, answer.text
    return answer.json()["response"]


async def complete_window(client, rsp, outcome="approve", request_id="req_test_1", **extra):
    return await client.post("/sandbox/windows/{}/complete".format(rsp["imp_uid"]), json=dict(
        {"user_code": DEMO["user_code"], "request_id": request_id, "outcome": outcome},
        **extra))


async def auth(client, key=DEMO["imp_key"], secret=DEMO["imp_secret"]):
    """The Authorization header of a fresh access token."""
    answer = await client.post("/api/users/getToken", json={"imp_key": key,
                                                            "imp_secret": secret})
    assert answer.status_code == 200, answer.text
    return {"Authorization": answer.json()["response"]["access_token"]}
