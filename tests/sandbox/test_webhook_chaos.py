"""TEST-ONLY webhook chaos (duplicate, reorder, delay, drop-then-retry; per merchant or per
payment), served only with the test controls; replay of a recorded delivery over the API;
and a notice_url whose scheme is in capitals gets its webhook (issue 24's third fault)."""

import asyncio
import json
import time

import pytest
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox import webhook_chaos
from iamport_sandbox.__main__ import serve_config
from iamport_sandbox.demo import DEMO
from tests.live import LiveServer
from tests.sandbox.conftest import pay, token

CHAOS = "/sandbox/testkit/webhook-chaos"


class Receiver:
    """A merchant's webhook endpoint on 127.0.0.1 that records each call and its time."""

    def __init__(self):
        self.calls = []
        self.times = []

        async def hook(request):
            self.calls.append(json.loads(await request.body()))
            self.times.append(time.monotonic())
            return Response(status_code=200)

        self.server = LiveServer(Starlette(routes=[Route("/hook", hook, methods=["POST"])]))
        self.url = self.server.url + "/hook"


@pytest.fixture
def hook():
    receiver = Receiver()
    receiver.server.start()
    yield receiver
    receiver.server.stop()


@pytest.fixture
def controls(sandbox, http):
    """The sandbox with its test controls on; the demo merchant's Authorization header."""
    sandbox[1].state.config.test_controls = True
    return {"Authorization": token(http)}


def _wait(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _settled(store, merchant_id, count):
    rows = store.webhooks(merchant_id)
    return len(rows) >= count and all(row["state"] in ("delivered", "failed") for row in rows)


def test_chaos_controls_are_404_without_the_test_controls(http):
    auth = {"Authorization": token(http)}
    assert http.post(CHAOS, json={"duplicate": True}, headers=auth).status_code == 404
    assert http.get(CHAOS, headers=auth).status_code == 404
    assert http.delete(CHAOS, headers=auth).status_code == 404
    assert http.post("/sandbox/testkit/merchants", headers=auth).status_code == 404


def test_a_plain_demo_cannot_turn_the_controls_on():
    plain = serve_config(["--demo"])
    assert (plain.test_controls, plain.clock_control) == (False, False)
    testing = serve_config(["--demo", "--test-controls"])
    assert (testing.test_controls, testing.clock_control) == (True, True)


def test_chaos_controls_need_the_merchants_token(http, controls):
    assert http.post(CHAOS, json={"duplicate": True}).status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {"delay": -1},
        {"delay": 61},
        {"delay": True},
        {"drop": "2"},
        {"drop": 11},
        {"duplicate": "yes"},
        {"imp_uid": "imp_1", "merchant_uid": "order-1", "duplicate": True},
        {"imp_uid": ["imp_1"], "duplicate": True},
    ],
)
def test_a_bad_rule_is_400(http, controls, body):
    answer = http.post(CHAOS, json=body, headers=controls)
    assert answer.status_code == 400 and answer.json()["code"] != 0


def test_rules_are_listed_and_cleared(http, controls):
    http.post(CHAOS, json={"drop": 1}, headers=controls)
    http.post(CHAOS, json={"merchant_uid": "order-9", "reorder": True}, headers=controls)
    rules = http.get(CHAOS, headers=controls).json()["response"]
    assert [(rule["scope"], rule["key"]) for rule in rules] == [
        ("merchant", ""),
        ("merchant_uid", "order-9"),
    ]
    # A rule with nothing on removes that rule; DELETE removes them all.
    http.post(CHAOS, json={"merchant_uid": "order-9"}, headers=controls)
    assert len(http.get(CHAOS, headers=controls).json()["response"]) == 1
    http.delete(CHAOS, headers=controls)
    assert http.get(CHAOS, headers=controls).json()["response"] == []


def test_duplicate_delivers_the_same_body_twice(http, controls, hook, store, demo):
    http.post(CHAOS, json={"duplicate": True}, headers=controls)
    rsp = pay(http, merchant_uid="dup-1", notice_url=hook.url)
    assert _wait(lambda: len(hook.calls) == 2 and _settled(store, demo["id"], 2))
    assert (
        hook.calls == [{"imp_uid": rsp["imp_uid"], "merchant_uid": "dup-1", "status": "paid"}] * 2
    )
    # Two rows, both delivered; the copy is not duplicated again.
    assert [row["state"] for row in store.webhooks(demo["id"])] == ["delivered", "delivered"]


def test_reorder_delivers_cancelled_before_paid(http, controls, hook, store, demo):
    http.post(CHAOS, json={"merchant_uid": "late-1", "reorder": True}, headers=controls)
    rsp = pay(http, merchant_uid="late-1", notice_url=hook.url)
    assert store.webhooks(demo["id"])[0]["state"] == "pending"  # held
    http.post("/api/payments/cancel", json={"imp_uid": rsp["imp_uid"]}, headers=controls)
    assert _wait(lambda: len(hook.calls) == 2)
    assert [call["status"] for call in hook.calls] == ["cancelled", "paid"]


def test_delay_holds_the_first_attempt(http, controls, hook, store, demo):
    http.post(CHAOS, json={"delay": 0.5}, headers=controls)
    started = time.monotonic()
    pay(http, merchant_uid="slow-1", notice_url=hook.url)
    assert _wait(lambda: hook.calls)
    assert hook.times[0] - started >= 0.5


def test_drop_then_retry(http, controls, hook, store, demo):
    http.post(CHAOS, json={"drop": 2}, headers=controls)
    pay(http, merchant_uid="drop-1", notice_url=hook.url)
    assert _wait(lambda: _settled(store, demo["id"], 1))
    row = store.webhooks(demo["id"])[0]
    # Two attempts failed unsent, the third delivered: the receiver saw one call.
    assert (row["state"], row["attempts"], len(hook.calls)) == ("delivered", 3, 1)


def test_drop_beyond_the_attempts_fails_the_delivery(http, controls, hook, store, demo):
    http.post(CHAOS, json={"drop": 10}, headers=controls)
    pay(http, merchant_uid="drop-2", notice_url=hook.url)
    assert _wait(lambda: _settled(store, demo["id"], 1))
    row = store.webhooks(demo["id"])[0]
    assert (row["state"], row["last_error"], hook.calls) == ("failed", webhook_chaos.DROPPED, [])


def test_a_payments_rule_leaves_other_payments_alone(http, controls, hook, store, demo):
    first = pay(http, merchant_uid="scope-1", notice_url=hook.url, request_id="req_1")
    assert _wait(lambda: _settled(store, demo["id"], 1))
    http.post(CHAOS, json={"imp_uid": first["imp_uid"], "duplicate": True}, headers=controls)
    http.post("/api/payments/cancel", json={"imp_uid": first["imp_uid"]}, headers=controls)
    pay(http, merchant_uid="scope-2", notice_url=hook.url, request_id="req_2")
    assert _wait(lambda: len(hook.calls) == 4 and _settled(store, demo["id"], 4))
    seen = sorted((call["merchant_uid"], call["status"]) for call in hook.calls)
    assert seen == [
        ("scope-1", "cancelled"),
        ("scope-1", "cancelled"),
        ("scope-1", "paid"),
        ("scope-2", "paid"),
    ]


def test_replay_delivers_a_recorded_delivery_again(http, controls, hook, store, demo):
    rsp = pay(http, merchant_uid="again-1", notice_url=hook.url)
    assert _wait(lambda: _settled(store, demo["id"], 1))
    listed = http.get(
        "/sandbox/testkit/payments/{}/webhooks".format(rsp["imp_uid"]), headers=controls
    ).json()["response"]
    assert [(row["state"], row["payload"]["status"]) for row in listed] == [("delivered", "paid")]
    again = http.post(
        "/sandbox/testkit/webhooks/{}/replay".format(listed[0]["id"]), headers=controls
    )
    assert again.status_code == 200 and again.json()["response"]["id"] != listed[0]["id"]
    assert _wait(lambda: len(hook.calls) == 2)
    assert hook.calls[0] == hook.calls[1]


def test_replay_of_an_unknown_or_foreign_delivery_is_404(http, controls, store):
    other = store.create_merchant("other-login", "password-123")
    foreign = store.add_webhook(other["id"], "imp_x", "http://127.0.0.1:9/", {"status": "paid"})
    for webhook_id in (str(foreign), "999999", "abc"):
        answer = http.post(
            "/sandbox/testkit/webhooks/{}/replay".format(webhook_id), headers=controls
        )
        assert answer.status_code == 404


def test_another_merchant_for_the_audit_answers_its_user_code_only(http, controls, store):
    answer = http.post("/sandbox/testkit/merchants", headers=controls).json()["response"]
    assert list(answer) == ["user_code"] and answer["user_code"] != DEMO["user_code"]
    merchant = store.merchant_by_code(answer["user_code"])
    assert [s["pg_id"] for s in store.settings(merchant["id"])] == ["MID-other"]


def test_a_notice_url_in_capitals_gets_its_webhook(http, hook, store, demo):
    # Issue 24: HTTP://127.0.0.1/... was accepted at open but never got a webhook row.
    shouted = "HTTP://" + hook.url[len("http://") :]
    pay(http, merchant_uid="caps-1", notice_url=shouted)
    assert _wait(lambda: _settled(store, demo["id"], 1))
    assert store.webhooks(demo["id"])[0]["state"] == "delivered"
    assert [call["merchant_uid"] for call in hook.calls] == ["caps-1"]


def test_the_console_lists_the_rules_and_replays_any_delivery(
    http, controls, console, hook, store, demo
):
    page = http.get("/console/webhooks").text
    assert 'data-testid="webhook-chaos"' not in page  # no rule, no box
    http.post(CHAOS, json={"merchant_uid": "seen-9", "drop": 10}, headers=controls)
    pay(http, merchant_uid="seen-9", notice_url=hook.url)
    assert _wait(lambda: _settled(store, demo["id"], 1))
    page = http.get("/console/webhooks").text
    assert "merchant_uid <code>seen-9</code>:" in page and "drop 10" in page
    failed = store.webhooks(demo["id"])[0]
    assert failed["state"] == "failed"
    # The rules cleared, the failed delivery replayed from the console: a new row, delivered.
    http.delete(CHAOS, headers=controls)
    assert console.post("/console/webhooks/{}/resend".format(failed["id"])).status_code == 303
    assert _wait(lambda: _settled(store, demo["id"], 2))
    newest = store.webhooks(demo["id"])[0]
    assert (newest["id"] != failed["id"], newest["state"], len(hook.calls)) == (
        True,
        "delivered",
        1,
    )


def _row(webhook_id, imp_uid="imp_1"):
    return {"id": webhook_id, "merchant_id": 1, "imp_uid": imp_uid}


def test_reorder_holds_the_older_delivery_until_a_newer_one_is_attempted():
    async def play():
        chaos = webhook_chaos.Chaos()
        held = asyncio.create_task(chaos.hold(_row(1)))
        await asyncio.sleep(0)  # the held one is waiting now
        chaos.attempted(_row(1))  # itself: no release
        chaos.attempted(_row(7, "imp_2"))  # another payment's: no release
        await asyncio.sleep(0)
        assert not held.done()
        chaos.attempted(_row(2))
        await asyncio.wait_for(held, 1)

    asyncio.run(play())


def test_reorder_does_not_hold_a_delivery_already_overtaken():
    async def play():
        chaos = webhook_chaos.Chaos()
        chaos.attempted(_row(2))  # the newer one went first (its task ran first)
        await asyncio.wait_for(chaos.hold(_row(1)), 1)  # at once: no REORDER_WAIT

    asyncio.run(play())
