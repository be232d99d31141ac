"""Webhooks: POSTed in the background on every status change, retried, recorded."""

import json
import time

import pytest
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from tests.live import LiveServer
from tests.sandbox.conftest import Console, complete, open_payment, pay, token


class Receiver:
    """A merchant's webhook endpoint on 127.0.0.1 that fails its first ``failures`` calls."""

    def __init__(self, failures=0):
        self.failures = failures
        self.calls = []

        async def hook(request):
            self.calls.append(json.loads(await request.body()))
            return Response(status_code=500 if len(self.calls) <= self.failures else 200)

        self.server = LiveServer(Starlette(routes=[Route("/hook", hook, methods=["POST"])]))
        self.url = self.server.url + "/hook"


@pytest.fixture
def receiver():
    made = []

    def make(failures=0):
        hook = Receiver(failures)
        hook.server.start()
        made.append(hook)
        return hook

    yield make
    for hook in made:
        hook.server.stop()


def _wait(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_status_change_is_posted_to_notice_url(http, receiver, store, demo):
    hook = receiver()
    rsp = pay(http, merchant_uid="hook-1", notice_url=hook.url)
    assert _wait(lambda: hook.calls)
    assert hook.calls[0] == {"imp_uid": rsp["imp_uid"], "merchant_uid": "hook-1", "status": "paid"}
    assert _wait(lambda: store.webhooks(demo["id"])[0]["state"] == "delivered")


def test_merchant_url_is_used_without_notice_url_and_cancel_notifies(http, receiver, store, demo):
    hook = receiver()
    store.set_webhook_url(demo["id"], hook.url)
    rsp = pay(http, merchant_uid="hook-2")
    http.post(
        "/api/payments/cancel",
        json={"imp_uid": rsp["imp_uid"]},
        headers={"Authorization": token(http)},
    )
    assert _wait(lambda: len(hook.calls) == 2)
    assert [call["status"] for call in hook.calls] == ["paid", "cancelled"]


def test_failures_are_retried_then_delivered(http, receiver, store, demo):
    hook = receiver(failures=2)
    pay(http, notice_url=[hook.url])
    assert _wait(lambda: store.webhooks(demo["id"])[0]["state"] == "delivered")
    webhook = store.webhooks(demo["id"])[0]
    assert webhook["attempts"] == 3 and len(hook.calls) == 3


def test_retries_are_bounded(sandbox, http, receiver, store, demo):
    hook = receiver(failures=100)
    pay(http, notice_url=hook.url)
    assert _wait(lambda: store.webhooks(demo["id"])[0]["state"] == "failed")
    assert store.webhooks(demo["id"])[0]["attempts"] == 4
    assert store.webhooks(demo["id"])[0]["last_error"] == "HTTP 500"
    # No fifth attempt: once the sender has nothing in flight or waiting for a retry
    # (every attempt and every back-off is one of its tasks), none can come; and nothing
    # is left for a restart to resume.
    assert _wait(lambda: not sandbox[1].state.webhooks._tasks)
    assert store.pending_webhooks() == []
    assert len(hook.calls) == 4


def test_unreachable_url_fails_without_breaking_payments(http, store, demo):
    pay(http, notice_url="http://127.0.0.1:9/hook")
    assert _wait(lambda: store.webhooks(demo["id"])[0]["state"] == "failed")
    assert pay(http, merchant_uid="after-1", request_id="req_after")["status"] == "paid"


def test_deliveries_are_visible_in_the_console(http, receiver):
    hook = receiver()
    pay(http, merchant_uid="seen-1", notice_url=hook.url)
    assert _wait(lambda: hook.calls)
    session = Console(http)
    session.login()
    page = http.get("/console/webhooks").text
    assert "seen-1" in page and hook.url in page


def test_decline_sends_no_webhook(http, receiver, store, demo):
    # Iamport notifies a failure only for scheduled payments (tests/sandbox/test_webhook_events.py).
    hook = receiver()
    opened = open_payment(http, {"notice_url": hook.url}).json()["response"]
    complete(http, opened, "decline", error_code="CARD_DECLINED")
    assert [row for row in store.webhooks(demo["id"]) if row["imp_uid"] == opened["imp_uid"]] == []
