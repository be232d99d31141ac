"""The webhook outbox: a status change and its webhook rows are one SQLite transaction,
delivered only after commit, exactly one row per status change per target URL; a window
completed twice answers the stored result."""

import json
import sqlite3
import time

import anyio
import pytest
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from tests.live import LiveServer
from tests.sandbox.inprocess import auth, complete_window, open_window, running

pytestmark = pytest.mark.anyio
UNREACHABLE = "http://127.0.0.1:9/hook"  # the discard port: nothing listens, refused at once


@pytest.fixture
def anyio_backend():
    return "asyncio"


def _rows(path, sql, params=()):
    with sqlite3.connect(str(path)) as db:
        return db.execute(sql, params).fetchall()


class Receiver:
    """A merchant's webhook endpoint on 127.0.0.1 that records, for each call, the
    payment's status as the store file holds it at that moment."""

    def __init__(self, db_path):
        self.calls = []

        async def hook(request):
            body = json.loads(await request.body())
            stored = _rows(
                db_path, "SELECT status FROM payments WHERE imp_uid = ?", (body["imp_uid"],)
            )
            self.calls.append((body, stored[0][0] if stored else None))
            return Response(status_code=200)

        self.server = LiveServer(Starlette(routes=[Route("/hook", hook, methods=["POST"])]))
        self.url = self.server.url + "/hook"


@pytest.fixture
def receiver(tmp_path):
    hook = Receiver(tmp_path / "s.sqlite3")
    hook.server.start()
    yield hook
    hook.server.stop()


async def _until(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await anyio.sleep(0.02)


async def test_an_injected_webhook_insert_failure_leaves_neither_and_a_retry_succeeds(tmp_path):
    path = tmp_path / "s.sqlite3"
    async with running(path) as (client, _):
        opened = await open_window(client, {"notice_url": UNREACHABLE})
        with sqlite3.connect(str(path)) as fault:
            fault.execute(
                "CREATE TRIGGER injected_fault BEFORE INSERT ON webhooks "
                "BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
            )
        failed = await complete_window(client, opened)
        assert failed.status_code == 500 and failed.json()["code"] == -1
        assert _rows(
            path,
            "SELECT status, pg_tid, paid_at FROM payments WHERE imp_uid = ?",
            (opened["imp_uid"],),
        ) == [("ready", None, None)]
        assert _rows(path, "SELECT * FROM webhooks") == []
        with sqlite3.connect(str(path)) as fault:
            fault.execute("DROP TRIGGER injected_fault")
        retried = await complete_window(client, opened)
        assert retried.status_code == 200
        rsp = retried.json()["response"]
        assert rsp["success"] is True and rsp["status"] == "paid"
        assert _rows(path, "SELECT imp_uid, url FROM webhooks") == [
            (opened["imp_uid"], UNREACHABLE)
        ]


async def test_one_webhook_row_per_status_change_per_url(tmp_path):
    path = tmp_path / "s.sqlite3"
    other = "http://127.0.0.1:9/other"
    async with running(path) as (client, _):
        opened = await open_window(client, {"notice_url": [UNREACHABLE, other]})
        first = await complete_window(client, opened)
        for outcome in ("approve", "approve", "cancel", "decline"):
            again = await complete_window(client, opened, outcome)
            assert again.status_code == 200 and again.json() == first.json()
        await client.post(
            "/api/payments/cancel", json={"imp_uid": opened["imp_uid"]}, headers=await auth(client)
        )
        rows = _rows(path, "SELECT url, payload FROM webhooks ORDER BY id")
    statuses = sorted((url, json.loads(payload)["status"]) for url, payload in rows)
    assert statuses == sorted(
        [(UNREACHABLE, "paid"), (other, "paid"), (UNREACHABLE, "cancelled"), (other, "cancelled")]
    )


async def test_a_webhook_is_delivered_only_after_its_status_is_committed(tmp_path, receiver):
    async with running(tmp_path / "s.sqlite3") as (client, _):
        for number in range(5):
            request_id = "req_{}".format(number)
            opened = await open_window(
                client,
                {
                    "merchant_uid": "o-{}".format(number),
                    "request_id": request_id,
                    "notice_url": receiver.url,
                },
            )
            await complete_window(client, opened, request_id=request_id)
        await _until(lambda: len(receiver.calls) == 5)
    assert [stored for _, stored in receiver.calls] == ["paid"] * 5


async def test_a_rolled_back_status_change_sends_nothing(tmp_path, receiver):
    from iamport_sandbox.domain import payments

    async with running(tmp_path / "s.sqlite3") as (client, app):
        store = app.state.store
        opened = await open_window(client, {"notice_url": receiver.url})
        merchant = store.merchant_by_code("imp10000001")
        with pytest.raises(RuntimeError), store.transaction():
            payments.approve(store, merchant, store.payment(merchant["id"], opened["imp_uid"]))
            raise RuntimeError("the caller fails after the change, before commit")
        assert store.payment(merchant["id"], opened["imp_uid"])["status"] == "ready"
        assert store.webhooks(merchant["id"]) == []
        second = await open_window(
            client, {"merchant_uid": "o-2", "request_id": "req_2", "notice_url": receiver.url}
        )
        await complete_window(client, second, request_id="req_2")
        await _until(lambda: receiver.calls)
    assert [body["imp_uid"] for body, _ in receiver.calls] == [second["imp_uid"]]


async def test_pending_rows_are_delivered_when_the_sender_starts(tmp_path, receiver):
    path = tmp_path / "s.sqlite3"
    async with running(path, lifespan=False) as (client, _):
        opened = await open_window(client, {"notice_url": receiver.url})
        await complete_window(client, opened)
    assert _rows(path, "SELECT state FROM webhooks") == [("pending",)]
    async with running(path) as (client, app):
        await _until(lambda: receiver.calls)
        merchant = app.state.store.merchant_by_code("imp10000001")
        await _until(lambda: app.state.store.webhooks(merchant["id"])[0]["state"] == "delivered")
    assert [body["imp_uid"] for body, _ in receiver.calls] == [opened["imp_uid"]]
