"""Which status changes send a webhook (issue 15): those Iamport v1 documents
(docs.iamport.kr/tech/webhook) — paid, a virtual account issued (ready) and paid into,
a scheduled payment attempted (paid or failed), a refund (cancelled) — and never a
one-off decline, a closed window or a failed ``again`` charge."""

import json
import time

import pytest

from tests.sandbox.inprocess import complete_window, open_window
from tests.sandbox.rest_kit import DECLINED_CARD, ok

pytestmark = pytest.mark.anyio
HOOK = "http://127.0.0.1:9/hook"  # never answered: the rows are what the test reads


def _sent(api, imp_uid):
    """The statuses of the webhook rows written for ``imp_uid``, oldest first."""
    mid = api.store.merchant_by_code("imp10000001")["id"]
    rows = [row for row in api.store.webhooks(mid) if row["imp_uid"] == imp_uid]
    return [json.loads(row["payload"]) for row in reversed(rows)]


async def _window(api, merchant_uid, outcome, **extra):
    request_id = "req_" + merchant_uid
    opened = await open_window(
        api.client,
        {
            "merchant_uid": merchant_uid,
            "amount": 1000,
            "request_id": request_id,
            "notice_url": HOOK,
        },
    )
    answer = await complete_window(api.client, opened, outcome, request_id=request_id, **extra)
    assert answer.status_code == 200, answer.text
    return answer.json()["response"]


async def test_a_one_off_decline_sends_no_webhook(api):
    rsp = await _window(api, "no-hook-decline", "decline", error_code="CARD_DECLINED")
    assert rsp["success"] is False and rsp["error_code"] == "CARD_DECLINED"
    assert _sent(api, rsp["imp_uid"]) == []


async def test_a_closed_window_sends_no_webhook(api):
    rsp = await _window(api, "no-hook-cancel", "cancel")
    assert rsp["error_code"] == "F0005"
    assert _sent(api, rsp["imp_uid"]) == []


async def test_approval_sends_paid(api):
    rsp = await _window(api, "hook-paid", "approve")
    assert _sent(api, rsp["imp_uid"]) == [
        {"imp_uid": rsp["imp_uid"], "merchant_uid": "hook-paid", "status": "paid"}
    ]


async def test_a_failed_again_charge_sends_no_webhook(api):
    await api.key("again-no", card=DECLINED_CARD)
    charged = ok(
        await api.call(
            "POST",
            "/subscribe/payments/again",
            json={
                "customer_uid": "again-no",
                "merchant_uid": "again-no-1",
                "amount": 1000,
                "name": "declined",
                "notice_url": HOOK,
            },
        )
    )
    assert charged["status"] == "failed"
    assert _sent(api, charged["imp_uid"]) == []


async def test_a_failed_scheduled_payment_sends_failed(api):
    await api.key("plan-hook", card=DECLINED_CARD)
    ok(
        await api.call(
            "POST",
            "/subscribe/payments/schedule",
            json={
                "customer_uid": "plan-hook",
                "schedules": [
                    {
                        "merchant_uid": "sched-fail-1",
                        "schedule_at": int(time.time()) + 3600,
                        "amount": 1000,
                        "notice_url": HOOK,
                    }
                ],
            },
        )
    )
    await api.move_clock(2 * 3600)
    run = await api.ok("GET", "/subscribe/payments/schedule/sched-fail-1")
    assert run["payment_status"] == "failed" and run["imp_uid"]
    assert _sent(api, run["imp_uid"]) == [
        {"imp_uid": run["imp_uid"], "merchant_uid": "sched-fail-1", "status": "failed"}
    ]
