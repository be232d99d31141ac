"""Payment schedules (issue 11): schedule, read (by merchant_uid, range, customer),
unschedule; due schedules run on the sandbox clock, paid or failed by the sandbox's rule,
with their webhook; the clock control is test-only."""

import asyncio
import time

import pytest

from iamport_sandbox.config import SandboxClock
from tests.sandbox.inprocess import running
from tests.sandbox.rest_kit import DECLINED_CARD, bad, missing, ok, refused
from tests.sandbox.test_webhooks import Receiver

pytestmark = pytest.mark.anyio
DAY = 86400


def _at(days):
    return int(time.time()) + days * DAY


async def _schedule(api, customer_uid, *schedules, headers=None, **extra):
    return await api.call(
        "POST",
        "/subscribe/payments/schedule",
        headers=headers,
        json=dict(extra, customer_uid=customer_uid, schedules=list(schedules)),
    )


def _item(merchant_uid, days=30, amount=9900, **extra):
    return dict(extra, merchant_uid=merchant_uid, schedule_at=_at(days), amount=amount)


async def test_schedule_and_read_back(api):
    await api.key("plan-1")
    made = ok(
        await _schedule(
            api,
            "plan-1",
            _item("m-1", name="Month 1", buyer_name="Kim"),
            _item("m-2", 60, custom_data={"month": 2}),
        )
    )
    assert [s["merchant_uid"] for s in made] == ["m-1", "m-2"]
    first = made[0]
    assert first["schedule_status"] == "scheduled" and first["payment_status"] is None
    assert first["customer_uid"] == "plan-1" and first["amount"] == 9900
    assert first["executed_at"] == 0 and first["revoked_at"] == 0 and first["imp_uid"] is None
    assert first["name"] == "Month 1" and first["buyer_name"] == "Kim"
    assert await api.ok("GET", "/subscribe/payments/schedule/m-1") == first
    missing(await api.call("GET", "/subscribe/payments/schedule/m-none"))
    between = await api.ok(
        "GET",
        "/subscribe/payments/schedule",
        params={"schedule_from": _at(20), "schedule_to": _at(40)},
    )
    assert between["total"] == 1 and between["list"][0]["merchant_uid"] == "m-1"
    for path in (
        "/subscribe/payments/schedule/customers/plan-1",
        "/subscribe/customers/plan-1/schedules",
    ):
        page = await api.ok("GET", path)
        assert [s["merchant_uid"] for s in page["list"]] == ["m-1", "m-2"]
        page = await api.ok(
            "GET", path, params={"from": _at(50), "to": _at(70), "schedule-status": "scheduled"}
        )
        assert [s["merchant_uid"] for s in page["list"]] == ["m-2"]
    bad(await api.call("GET", "/subscribe/payments/schedule?schedule_status=later"))
    bad(await api.call("GET", "/subscribe/payments/schedule?schedule_from=soon"))


async def test_schedule_with_card_data_registers_the_key(api):
    made = ok(
        await _schedule(
            api,
            "plan-card",
            _item("mc-1"),
            card_number="5200123412341234",
            expiry="2099-01",
            birth="900101",
        )
    )
    assert made[0]["customer_uid"] == "plan-card"
    key = await api.ok("GET", "/subscribe/customers/plan-card")
    assert key["card_number"] == "520012******1234" and key["card_code"] == "381"


async def test_schedule_refusals(api):
    refused(await _schedule(api, "nobody", _item("r-1")))
    await api.key("plan-r")
    ok(await _schedule(api, "plan-r", _item("r-1")))
    refused(await _schedule(api, "plan-r", _item("r-1")))
    # All or nothing: r-2 is not scheduled when r-1 is refused.
    refused(await _schedule(api, "plan-r", _item("r-2"), _item("r-1")))
    missing(await api.call("GET", "/subscribe/payments/schedule/r-2"))
    await api.pay("r-paid")
    refused(await _schedule(api, "plan-r", _item("r-paid")))
    for body in (
        {"customer_uid": "plan-r"},
        {"customer_uid": "plan-r", "schedules": []},
        {"customer_uid": "plan-r", "schedules": "soon"},
        {"customer_uid": "plan-r", "schedules": [3]},
        {"schedules": [_item("r-3")]},
    ):
        bad(await api.call("POST", "/subscribe/payments/schedule", json=body))
    for item in (
        _item("r-4", amount=0),
        _item("r-5", amount="lots"),
        dict(_item("r-6"), schedule_at="tomorrow"),
        {"schedule_at": _at(1), "amount": 100},
    ):
        bad(await _schedule(api, "plan-r", item))
    bad(await _schedule(api, "plan-r", _item("r-7"), _item("r-7")))


async def test_unschedule(api):
    await api.key("plan-u")
    ok(await _schedule(api, "plan-u", _item("u-1"), _item("u-2"), _item("u-3")))
    revoked = await api.ok(
        "POST",
        "/subscribe/payments/unschedule",
        json={"customer_uid": "plan-u", "merchant_uid": ["u-1"]},
    )
    assert [(s["merchant_uid"], s["schedule_status"]) for s in revoked] == [("u-1", "revoked")]
    assert revoked[0]["revoked_at"] > 0
    rest = await api.ok("POST", "/subscribe/payments/unschedule", data={"customer_uid": "plan-u"})
    assert sorted(s["merchant_uid"] for s in rest) == ["u-2", "u-3"]
    refused(
        await api.call("POST", "/subscribe/payments/unschedule", json={"customer_uid": "plan-u"}),
        "취소할 예약결제 기록이 존재하지 않습니다.",
    )
    # A revoked merchant_uid may be scheduled again.
    assert ok(await _schedule(api, "plan-u", _item("u-1")))[0]["schedule_status"] == "scheduled"
    bad(await api.call("POST", "/subscribe/payments/unschedule", json={}))
    bad(
        await api.call(
            "POST",
            "/subscribe/payments/unschedule",
            json={"customer_uid": "plan-u", "merchant_uid": [5]},
        )
    )


async def test_a_key_with_schedules_waiting_is_not_deleted(api):
    await api.key("plan-d")
    ok(await _schedule(api, "plan-d", _item("d-1")))
    refused(await api.call("DELETE", "/subscribe/customers/plan-d"))
    await api.ok("POST", "/subscribe/payments/unschedule", json={"customer_uid": "plan-d"})
    await api.ok("DELETE", "/subscribe/customers/plan-d")


async def test_schedules_are_the_merchants_own(api):
    await api.key("plan-o")
    ok(await _schedule(api, "plan-o", _item("o-1")))
    missing(await api.call("GET", "/subscribe/payments/schedule/o-1", headers=api.other))
    theirs = await api.ok("GET", "/subscribe/payments/schedule", headers=api.other)
    assert theirs["total"] == 0
    page = await api.ok("GET", "/subscribe/payments/schedule/customers/plan-o", headers=api.other)
    assert page["list"] == []
    refused(
        await api.call(
            "POST",
            "/subscribe/payments/unschedule",
            headers=api.other,
            json={"customer_uid": "plan-o"},
        )
    )
    refused(await _schedule(api, "plan-o", _item("o-2"), headers=api.other))


async def test_due_schedules_run_when_the_clock_moves(api):
    """Paid, or failed by the rule (an amount ending in 44, a card ending in 0002); the
    payment is the one the schedule names, with its webhook."""
    hook = Receiver()
    hook.server.start()
    try:
        await api.key("plan-ok")
        await api.key("plan-no", card=DECLINED_CARD)
        ok(
            await _schedule(
                api,
                "plan-ok",
                _item("run-1", 2, notice_url=hook.url),
                _item("run-2", 2, amount=1044),
                _item("run-later", 40),
            )
        )
        ok(await _schedule(api, "plan-no", _item("run-3", 2)))
        assert (await api.move_clock(DAY))["executed"] == []
        moved = await api.move_clock(2 * DAY)
        outcome = {
            s["merchant_uid"]: (s["schedule_status"], s["payment_status"])
            for s in moved["executed"]
        }
        assert outcome == {
            "run-1": ("executed", "paid"),
            "run-2": ("executed", "failed"),
            "run-3": ("executed", "failed"),
        }
        run = await api.ok("GET", "/subscribe/payments/schedule/run-1")
        assert run["executed_at"] >= run["schedule_at"] and run["imp_uid"]
        payment = await api.ok("GET", "/payments/" + run["imp_uid"])
        assert payment["merchant_uid"] == "run-1" and payment["status"] == "paid"
        assert payment["customer_uid_usage"] == "payment.scheduled"
        failed = await api.ok("GET", "/subscribe/payments/schedule/run-2")
        assert "44" in failed["fail_reason"]
        later = await api.ok("GET", "/subscribe/payments/schedule/run-later")
        assert later["schedule_status"] == "scheduled"
        deadline = time.monotonic() + 10
        while not hook.calls and time.monotonic() < deadline:
            await asyncio.sleep(0.02)  # a poll: the sender runs on this loop
        assert hook.calls == [
            {"imp_uid": run["imp_uid"], "merchant_uid": "run-1", "status": "paid"}
        ]
        # Run once: moving on runs nothing again.
        assert (await api.move_clock(DAY))["executed"] == []
    finally:
        hook.server.stop()


async def test_a_deleted_key_fails_its_schedule(api):
    await api.key("plan-gone")
    ok(await _schedule(api, "plan-gone", _item("gone-1", 1)))
    # The store, not the API (which refuses), removes the key under the schedule.
    api.store.delete_billing_key(api.store.merchant_by_code("imp10000001")["id"], "plan-gone")
    executed = (await api.move_clock(2 * DAY))["executed"]
    assert executed[0]["payment_status"] == "failed" and executed[0]["imp_uid"] is None


async def test_the_background_scheduler_runs_due_schedules(tmp_path):
    clock = SandboxClock()
    from tests.sandbox.rest_kit import api_running

    async with api_running(
        tmp_path / "bg.sqlite3", clock=clock, clock_control=False, schedule_poll=0.02
    ) as api:
        await api.key("plan-bg")
        ok(await _schedule(api, "plan-bg", _item("bg-1", 3)))
        clock.advance(4 * DAY)
        deadline = time.monotonic() + 10
        status = None
        while status != "executed" and time.monotonic() < deadline:
            await asyncio.sleep(0.02)  # a poll: the scheduler runs on this loop
            status = (await api.ok("GET", "/subscribe/payments/schedule/bg-1"))["schedule_status"]
        assert status == "executed"


async def test_the_clock_control_is_off_unless_configured(tmp_path):
    async with running(tmp_path / "off.sqlite3") as (client, _app):
        assert (await client.post("/sandbox/clock", json={"advance": 60})).status_code == 404
        assert (await client.get("/sandbox/clock")).status_code == 404


async def test_the_clock_only_moves_forward(api):
    bad(await api.client.post("/sandbox/clock", json={"advance": -5}))
    bad(await api.client.post("/sandbox/clock", json={"advance": "soon"}))
    before = ok(await api.client.get("/sandbox/clock"))
    after = await api.move_clock(3600)
    assert after["offset"] == before["offset"] + 3600 and after["now"] >= before["now"] + 3600
