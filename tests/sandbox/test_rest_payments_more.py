"""Payment listings for reconciliation, the balance, and the full payment record (issue 11)."""

import pytest

from iamport_sandbox.payment_views import USER_AGENT
from tests.sandbox.inprocess import complete_window, open_window, window_open
from tests.sandbox.rest_kit import bad, missing

pytestmark = pytest.mark.anyio


async def _failed(api, merchant_uid):
    request_id = "req_" + merchant_uid
    opened = await open_window(api.client, {"merchant_uid": merchant_uid, "request_id": request_id})
    answer = await complete_window(api.client, opened, "decline", request_id=request_id)
    return answer.json()["response"]


async def test_payments_by_status_are_paged_and_sorted(api):
    paid = [await api.pay("st-{}".format(n), amount=1000 + n) for n in range(3)]
    await _failed(api, "st-failed")
    page = await api.ok("GET", "/payments/status/paid", params={"limit": 2})
    assert page["total"] == 3 and page["next"] == 2 and page["previous"] == 0
    assert [p["merchant_uid"] for p in page["list"]] == ["st-2", "st-1"]
    oldest = await api.ok("GET", "/payments/status/paid", params={"sorting": "started"})
    assert [p["imp_uid"] for p in oldest["list"]] == [p["imp_uid"] for p in paid]
    every = await api.ok("GET", "/payments/status/all")
    assert every["total"] == 4
    assert (await api.ok("GET", "/payments/status/failed"))["list"][0][
        "merchant_uid"
    ] == "st-failed"
    first = oldest["list"][0]
    window = await api.ok(
        "GET",
        "/payments/status/paid",
        params={"from": first["paid_at"] + 3600, "to": first["paid_at"] + 7200},
    )
    assert window["total"] == 0
    window = await api.ok(
        "GET",
        "/payments/status/paid",
        params={"from": first["paid_at"] - 5, "to": first["paid_at"] + 3600},
    )
    assert window["total"] == 3
    assert (await api.ok("GET", "/payments/status/paid", headers=api.other))["total"] == 0
    for query in ({"page": 0}, {"limit": 1001}, {"sorting": "price"}, {"from": "yesterday"}):
        bad(await api.call("GET", "/payments/status/paid", params=query))
    bad(await api.call("GET", "/payments/status/lost"))


async def test_find_all_lists_every_attempt_at_an_order(api):
    await _failed(api, "order-a")
    paid = await api.pay("order-a")
    page = await api.ok("GET", "/payments/findAll/order-a")
    assert page["total"] == 2 and page["list"][0]["imp_uid"] == paid["imp_uid"]
    only = await api.ok("GET", "/payments/findAll/order-a/failed")
    assert only["total"] == 1 and only["list"][0]["status"] == "failed"
    assert (await api.ok("GET", "/payments/findAll/order-a/all"))["total"] == 2
    missing(await api.call("GET", "/payments/findAll/order-a/cancelled"))
    missing(await api.call("GET", "/payments/findAll/order-a", headers=api.other))
    missing(await api.call("GET", "/payments/findAll/order-a/lost"))  # no payment has it


async def test_payments_by_imp_uids(api):
    one, two = await api.pay("many-1"), await api.pay("many-2")
    both = await api.ok("GET", "/payments", params={"imp_uid[]": [one["imp_uid"], two["imp_uid"]]})
    assert sorted(p["merchant_uid"] for p in both) == ["many-1", "many-2"]
    some = await api.call(
        "GET", "/payments", params={"imp_uid[]": [one["imp_uid"], "imp_000000000000"]}
    )
    assert some.status_code == 207 and some.json()["code"] == 0
    assert [p["imp_uid"] for p in some.json()["response"]] == [one["imp_uid"]]
    missing(
        await api.call("GET", "/payments", params={"imp_uid[]": one["imp_uid"]}, headers=api.other)
    )
    bad(await api.call("GET", "/payments"))
    bad(await api.call("GET", "/payments", params={"imp_uid[]": ["x"] * 101}))


async def test_the_balance_follows_payment_and_refunds(api):
    paid = await api.pay("bal-1", amount=11000)
    await api.ok("POST", "/payments/cancel", json={"imp_uid": paid["imp_uid"], "amount": 1000})
    balance = await api.ok("GET", "/payments/{}/balance".format(paid["imp_uid"]))
    assert balance["amount"] == 10000 and balance["primary"]["amount"] == 10000
    assert balance["secondary"]["amount"] == 0 and balance["cash_receipt"]["amount"] == 0
    assert [h["primary"]["amount"] for h in balance["histories"]] == [11000, -1000]
    assert all(h["created"] > 0 for h in balance["histories"])
    missing(
        await api.call("GET", "/payments/{}/balance".format(paid["imp_uid"]), headers=api.other)
    )
    missing(await api.call("GET", "/payments/imp_000000000000/balance"))


async def test_the_full_payment_record(api):
    card = await api.pay("rec-card", amount=5000, escrow=True)
    record = await api.ok("GET", "/payments/" + card["imp_uid"])
    for name in (
        "cancel_history",
        "cancel_receipt_urls",
        "card_number",
        "card_code",
        "card_type",
        "bank_code",
        "bank_name",
        "vbank_code",
        "vbank_issued_at",
        "user_agent",
        "cash_receipt_issued",
        "customer_uid_usage",
        "emb_pg_provider",
        "escrow",
        "channel",
    ):
        assert name in record, name
    assert record["card_number"] == "400000******0001" and record["card_code"] == "366"
    assert record["card_type"] == 0 and record["escrow"] is True
    assert record["user_agent"] == USER_AGENT and record["channel"] == "pc"
    assert record["cash_receipt_issued"] is False and record["cancel_history"] == []
    await api.ok(
        "POST",
        "/payments/cancel",
        json={"imp_uid": card["imp_uid"], "amount": 2000, "reason": "one item"},
    )
    record = await api.ok("POST", "/payments/cancel", json={"imp_uid": card["imp_uid"]})
    history = record["cancel_history"]
    assert [(h["amount"], h["reason"]) for h in history] == [(2000, "one item"), (3000, None)]
    assert all(h["pg_tid"] and h["cancelled_at"] > 0 for h in history)
    assert record["cancel_receipt_urls"] == [h["receipt_url"] for h in history]
    trans = await api.ok(
        "GET", "/payments/" + (await api.pay("rec-trans", pay_method="trans"))["imp_uid"]
    )
    assert (trans["bank_code"], trans["bank_name"]) == ("088", "신한은행")
    assert trans["card_number"] is None
    opened = await open_window(
        api.client, {"merchant_uid": "rec-vbank", "pay_method": "vbank", "request_id": "req_vb"}
    )
    await complete_window(api.client, opened, request_id="req_vb")
    vbank = await api.ok("GET", "/payments/" + opened["imp_uid"])
    assert vbank["vbank_code"] == "088" and vbank["vbank_issued_at"] > 0
    key = await api.ok(
        "GET", "/payments/" + (await api.pay("rec-key", amount=0, customer_uid="rec-1"))["imp_uid"]
    )
    assert key["customer_uid_usage"] == "issue"
    bad(
        await api.client.post(
            "/sandbox/windows/open", json=window_open({"merchant_uid": "rec-bad", "escrow": "yes"})
        )
    )
