"""Helpers for the REST tests of issue 11, in-process (``httpx.ASGITransport``, real SQLite):
two merchants with their tokens, the answers' shapes (ok, refused, not found, bad input)."""

import contextlib
import os

from iamport_sandbox.config import SandboxClock
from iamport_sandbox.demo import ensure_demo_merchant
from tests.sandbox.inprocess import auth, complete_window, open_window, running
from tests.seeded import seed_missing, seeded

OTHER = {
    "login": "other",
    "password": "other-password-1",
    "user_code": "imp20000002",
    "imp_key": "2000000000000002",
    "imp_secret": "other-secret-for-tests-only",
}
# A card whose full data must never be stored or echoed (only 411111******1111).
CARD = {
    "card_number": "4111-1111-1111-1111",
    "expiry": "2099-12",
    "birth": "900131",
    "pwd_2digit": "42",
}
DECLINED_CARD = dict(CARD, card_number="5500-0000-0000-0002")
SEEDED_TOKEN_TTL = 24 * 3600


class Api:
    """The app in-process with the demo merchant (``headers``) and another one
    (``other``), each with its own payment PG setting."""

    def __init__(self, client, app, headers, other):
        self.client = client
        self.app = app
        self.headers = headers
        self.other = other
        self.store = app.state.store

    async def call(self, method, path, headers=None, **kwargs):
        return await self.client.request(
            method, "/api" + path, headers=self.headers if headers is None else headers, **kwargs
        )

    async def ok(self, method, path, **kwargs):
        return ok(await self.call(method, path, **kwargs))

    async def pay(self, merchant_uid, amount=1000, **request):
        """A payment approved in a window; returns the window's rsp."""
        request_id = "req_" + merchant_uid
        opened = await open_window(
            self.client,
            dict(request, merchant_uid=merchant_uid, amount=amount, request_id=request_id),
        )
        answer = await complete_window(self.client, opened, request_id=request_id)
        assert answer.status_code == 200, answer.text
        return answer.json()["response"]

    async def key(self, customer_uid, card=CARD, headers=None, **extra):
        """A billing key registered by REST from card data."""
        return ok(
            await self.call(
                "POST",
                "/subscribe/customers/" + customer_uid,
                headers=headers,
                json=dict(card, **extra),
            )
        )

    async def move_clock(self, seconds):
        return ok(await self.client.post("/sandbox/clock", json={"advance": seconds}))


def ensure_other_merchant(store):
    """The second merchant (:data:`OTHER`) with its one PG setting, once."""
    if store.merchant_by_code(OTHER["user_code"]) is None:
        other = store.create_merchant(
            OTHER["login"],
            OTHER["password"],
            OTHER["user_code"],
            OTHER["imp_key"],
            OTHER["imp_secret"],
        )
        store.add_setting(
            other["id"],
            {"pg_provider": "nice", "pg_id": "OTHER-1", "type": "payment", "sandbox": True},
        )


def seed_two_merchants(store):
    """Both merchants, and an access token of each (``Authorization`` headers) issued as
    ``POST /users/getToken`` issues them, valid for a day: a test's copy of the file holds
    them, so it starts without two scrypt checks (getToken has tests of its own)."""
    demo = ensure_demo_merchant(store)
    ensure_other_merchant(store)
    other = store.merchant_by_code(OTHER["user_code"])
    return tuple(
        {"Authorization": store.issue_token(merchant["id"], SEEDED_TOKEN_TTL)[0]}
        for merchant in (demo, other)
    )


@contextlib.asynccontextmanager
async def api_running(path, **options):
    options.setdefault("clock", SandboxClock())
    options.setdefault("clock_control", True)
    seeding = not os.path.exists(str(path))
    seed_missing(path, seed_two_merchants)  # both merchants hashed once per run, not per test
    async with running(path, **options) as (client, app):
        ensure_other_merchant(app.state.store)
        if seeding:
            headers, other = seeded(seed_two_merchants)
        else:  # a file of the test's own: tokens from the API
            headers = await auth(client)
            other = await auth(client, OTHER["imp_key"], OTHER["imp_secret"])
        yield Api(client, app, headers, other)


def ok(answer):
    body = answer.json()
    assert answer.status_code == 200 and body["code"] == 0, (answer.status_code, body)
    return body["response"]


def refused(answer, message=None):
    """A business refusal: HTTP 200, code 1, a message, no response."""
    body = answer.json()
    assert answer.status_code == 200 and body["code"] == 1, (answer.status_code, body)
    assert body["response"] is None and body["message"], body
    if message is not None:
        assert body["message"] == message, body
    return body["message"]


def missing(answer):
    """A lookup of nothing: 404, code 1."""
    body = answer.json()
    assert answer.status_code == 404 and body["code"] == 1, (answer.status_code, body)
    return body["message"]


def bad(answer):
    """Malformed input: a JSON 4xx, never a 500."""
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text)
    assert answer.headers["content-type"].startswith("application/json"), answer.text
    body = answer.json()
    assert body["code"] != 0 and body["message"], body
    return body["message"]
