"""Schedules changed while they wait (``PUT /subscribe/payments/schedule/{merchant_uid}``),
rescheduled or retried when their payment failed (``…/reschedule``, ``…/retry``), issue 24:
each refused in the wrong state with the document's 400, a merchant's own only."""

import asyncio
import time

import pytest

from tests.sandbox.rest_kit import DECLINED_CARD, bad, missing, ok

pytestmark = pytest.mark.anyio
DAY = 86400


def _at(days, api=None):
    offset = api.app.state.config.clock.offset if api else 0
    return int(time.time() + offset) + days * DAY


async def _scheduled(api, customer_uid, merchant_uid, days=2, amount=9900, card=None):
    if card is not None or not api.store.billing_key(1, customer_uid):
        await api.key(customer_uid, **({"card": card} if card else {}))
    body = {
        "customer_uid": customer_uid,
        "schedules": [
            {"merchant_uid": merchant_uid, "schedule_at": _at(days, api), "amount": amount}
        ],
    }
    return ok(await api.call("POST", "/subscribe/payments/schedule", json=body))[0]


def refused_400(answer, words=None):
    """A schedule refusal as the document lists it: 400 with code 1 and a message."""
    body = answer.json()
    assert answer.status_code == 400 and body["code"] == 1 and body["message"], body
    if words:
        assert words in body["message"], body
    return body["message"]


async def _failed_run(api, merchant_uid):
    """A schedule of the declined card, run: executed, its payment failed."""
    await _scheduled(api, "plan-declined", merchant_uid, card=DECLINED_CARD)
    run = (await api.move_clock(3 * DAY))["executed"]
    assert [(s["merchant_uid"], s["payment_status"]) for s in run] == [(merchant_uid, "failed")]
    return run[0]


async def test_a_waiting_schedule_moves_to_another_time(api):
    made = await _scheduled(api, "plan-move", "move-1", days=2)
    later = _at(10)
    moved = await api.ok("PUT", "/subscribe/payments/schedule/move-1", json={"schedule_at": later})
    assert moved == dict(made, schedule_at=later)
    assert (await api.move_clock(3 * DAY))["executed"] == []  # no longer due on day 2
    run = (await api.move_clock(8 * DAY))["executed"]
    assert [(s["merchant_uid"], s["payment_status"]) for s in run] == [("move-1", "paid")]


async def test_a_form_body_moves_it_too(api):
    await _scheduled(api, "plan-form", "form-1")
    later = _at(5)
    moved = await api.ok("PUT", "/subscribe/payments/schedule/form-1", data={"schedule_at": later})
    assert moved["schedule_at"] == later


async def test_a_schedule_is_not_moved_to_the_past_nor_once_run_or_revoked(api):
    await _scheduled(api, "plan-past", "past-1")
    refused_400(
        await api.call("PUT", "/subscribe/payments/schedule/past-1", json={"schedule_at": _at(-1)}),
        "schedule_at",
    )
    await api.ok("POST", "/subscribe/payments/unschedule", json={"customer_uid": "plan-past"})
    refused_400(
        await api.call("PUT", "/subscribe/payments/schedule/past-1", json={"schedule_at": _at(9)}),
        "revoked",
    )
    await _failed_run(api, "past-2")
    refused_400(
        await api.call(
            "PUT", "/subscribe/payments/schedule/past-2", json={"schedule_at": _at(9, api)}
        ),
        "executed",
    )
    missing(await api.call("PUT", "/subscribe/payments/schedule/none", json={"schedule_at": 9}))
    for body in ({}, {"schedule_at": "soon"}, {"schedule_at": -5}, {"schedule_at": True}):
        bad(await api.call("PUT", "/subscribe/payments/schedule/past-1", json=body))


async def test_a_failed_run_is_rescheduled_and_runs_again(api):
    failed = await _failed_run(api, "again-1")
    assert failed["imp_uid"] and failed["fail_reason"]
    when = _at(2, api)
    again = await api.ok(
        "POST", "/subscribe/payments/schedule/again-1/reschedule", json={"schedule_at": when}
    )
    assert again["schedule_status"] == "scheduled" and again["schedule_at"] == when
    assert again["payment_status"] is None and again["imp_uid"] is None
    assert again["executed_at"] == 0 and again["fail_reason"] is None
    # The card is still declined: the second run fails too, with a payment of its own.
    rerun = (await api.move_clock(3 * DAY))["executed"]
    assert [s["payment_status"] for s in rerun] == ["failed"]
    assert rerun[0]["imp_uid"] != failed["imp_uid"]


async def test_only_a_failed_run_is_rescheduled_or_retried(api):
    await _scheduled(api, "plan-wait", "wait-1")
    for action, body in (("reschedule", {"schedule_at": _at(9)}), ("retry", {})):
        refused_400(
            await api.call("POST", "/subscribe/payments/schedule/wait-1/" + action, json=body),
            "scheduled",
        )
    run = (await api.move_clock(3 * DAY))["executed"]
    assert run[0]["payment_status"] == "paid"
    for action, body in (("reschedule", {"schedule_at": _at(9, api)}), ("retry", {})):
        refused_400(
            await api.call("POST", "/subscribe/payments/schedule/wait-1/" + action, json=body),
            "paid",
        )
        missing(await api.call("POST", "/subscribe/payments/schedule/none/" + action, json=body))


async def test_a_reschedule_in_the_past_is_refused(api):
    await _failed_run(api, "late-1")
    refused_400(
        await api.call(
            "POST",
            "/subscribe/payments/schedule/late-1/reschedule",
            json={"schedule_at": _at(-1, api)},
        ),
        "schedule_at",
    )
    bad(await api.call("POST", "/subscribe/payments/schedule/late-1/reschedule", json={}))


async def test_a_retry_charges_now_and_the_answer_is_the_payment(api):
    failed = await _failed_run(api, "retry-1")
    # The customer's card is replaced by one that is not declined: the retry is paid.
    await api.key("plan-declined")
    payment = await api.ok("POST", "/subscribe/payments/schedule/retry-1/retry")
    assert payment["status"] == "paid" and payment["merchant_uid"] == "retry-1"
    assert payment["imp_uid"] != failed["imp_uid"] and payment["amount"] == 9900
    assert payment["customer_uid"] == "plan-declined"
    schedule = await api.ok("GET", "/subscribe/payments/schedule/retry-1")
    assert schedule["schedule_status"] == "executed" and schedule["payment_status"] == "paid"
    assert schedule["imp_uid"] == payment["imp_uid"]
    refused_400(await api.call("POST", "/subscribe/payments/schedule/retry-1/retry"), "paid")


async def test_a_declined_retry_answers_the_failed_payment(api):
    await _failed_run(api, "retry-2")
    payment = await api.ok("POST", "/subscribe/payments/schedule/retry-2/retry")
    assert payment["status"] == "failed" and payment["fail_reason"]
    # Failed again: it may be retried again.
    again = await api.ok("POST", "/subscribe/payments/schedule/retry-2/retry")
    assert again["status"] == "failed" and again["imp_uid"] != payment["imp_uid"]


async def test_a_retry_without_the_billing_key_is_a_404(api):
    await _failed_run(api, "retry-3")
    await api.ok("DELETE", "/subscribe/customers/plan-declined")
    missing(await api.call("POST", "/subscribe/payments/schedule/retry-3/retry"))


async def test_another_merchants_schedule_is_not_found(api):
    await _failed_run(api, "mine-2")
    await _scheduled(api, "plan-mine", "mine-1")
    for method, path, body in (
        ("PUT", "/subscribe/payments/schedule/mine-1", {"schedule_at": _at(9, api)}),
        ("POST", "/subscribe/payments/schedule/mine-2/reschedule", {"schedule_at": _at(9, api)}),
        ("POST", "/subscribe/payments/schedule/mine-2/retry", {}),
    ):
        missing(await api.call(method, path, headers=api.other, json=body))
    assert (await api.ok("GET", "/subscribe/payments/schedule/mine-2"))["payment_status"] == (
        "failed"
    )


async def test_no_token_no_change(api):
    await _scheduled(api, "plan-anon", "anon-1")
    answer = await api.call(
        "PUT", "/subscribe/payments/schedule/anon-1", headers={}, json={"schedule_at": _at(9)}
    )
    assert answer.status_code == 401


async def test_retries_raced_charge_once(api):
    await _failed_run(api, "race-1")
    await api.key("plan-declined")  # a card that pays
    answers = await asyncio.gather(
        *(api.call("POST", "/subscribe/payments/schedule/race-1/retry") for _ in range(6))
    )
    paid = [a for a in answers if a.status_code == 200]
    assert len(paid) == 1 and paid[0].json()["response"]["status"] == "paid"
    for answer in answers:
        if answer.status_code != 200:
            refused_400(answer, "paid")
    payments = api.store._all(
        "SELECT status FROM payments WHERE merchant_uid = 'race-1' ORDER BY started_at, rowid"
    )
    assert [row["status"] for row in payments] == ["failed", "paid"]
