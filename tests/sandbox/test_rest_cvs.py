"""Convenience-store payments (``POST /cvs``, ``DELETE /cvs/{imp_uid}``, issue 24): a
barcode waits for the shopper (``ready``), the test kit's deposit pays it, the merchant's
server may revoke it before; another merchant's is not found."""

import json
import time

import pytest

from tests.sandbox.rest_kit import bad, ok, refused

pytestmark = pytest.mark.anyio


async def _issue(api, merchant_uid, headers=None, **extra):
    return await api.call(
        "POST",
        "/cvs",
        headers=headers,
        json=dict({"merchant_uid": merchant_uid, "amount": 15000, "name": "Snacks"}, **extra),
    )


async def test_a_barcode_waits_then_the_store_takes_the_payment(api):
    payment = ok(await _issue(api, "cvs-1", buyer_name="Kim"))
    assert payment["status"] == "ready" and payment["pay_method"] == "cvs"
    assert payment["pg_provider"] == "galaxia" and payment["amount"] == 15000
    assert payment["vbank_num"].isdigit() and len(payment["vbank_num"]) == 20
    assert payment["vbank_date"] > time.time() and payment["buyer_name"] == "Kim"
    assert await api.ok("GET", "/payments/" + payment["imp_uid"]) == payment
    paid = ok(
        await api.client.post(
            "/sandbox/testkit/payments/{}/deposit".format(payment["imp_uid"]), headers=api.headers
        )
    )
    assert paid["status"] == "paid"
    refused(await api.call("DELETE", "/cvs/" + payment["imp_uid"]))  # paid: too late
    refused(await _issue(api, "cvs-1"))  # the order is paid


async def test_a_barcode_is_revoked_before_it_is_paid(api):
    payment = ok(await _issue(api, "cvs-2", barcode="MYCODE123", expired_at=int(time.time()) + 60))
    assert payment["vbank_num"] == "MYCODE123"
    refused(await _issue(api, "cvs-3", barcode="MYCODE123"))  # in use
    revoked = await api.ok("DELETE", "/cvs/" + payment["imp_uid"])
    assert revoked["status"] == "cancelled" and revoked["cancel_reason"]
    refused(await api.call("DELETE", "/cvs/" + payment["imp_uid"]))  # once
    assert ok(await _issue(api, "cvs-3", barcode="MYCODE123"))["status"] == "ready"


async def test_a_form_body_and_the_pg_parameter(api):
    answer = await api.call(
        "POST", "/cvs", data={"merchant_uid": "cvs-f", "amount": "3000", "pg": "galaxia.GX01"}
    )
    payment = ok(answer)
    assert payment["amount"] == 3000 and payment["pg_id"] == "GX01"
    bad(await _issue(api, "cvs-g", pg="html5_inicis"))


async def test_bad_input_is_a_400(api):
    for extra in (
        {"amount": 0},
        {"amount": "lots"},
        {"barcode": "12-34"},
        {"expired_at": 1},
        {"buyer_name": "x" * 17},
        {"merchant_uid": "m" * 41},
    ):
        bad(await _issue(api, extra.pop("merchant_uid", "cvs-bad"), **extra))


async def test_another_merchants_barcode_is_not_theirs(api):
    payment = ok(await _issue(api, "cvs-o"))
    refused(await api.call("DELETE", "/cvs/" + payment["imp_uid"], headers=api.other))
    assert (await api.ok("GET", "/payments/" + payment["imp_uid"]))["status"] == "ready"
    await api.pay("not-cvs")
    card = await api.ok("GET", "/payments/find/not-cvs")
    refused(await api.call("DELETE", "/cvs/" + card["imp_uid"]))
    assert (await api.call("POST", "/cvs", headers={}, json={})).status_code == 401


async def test_a_barcode_issued_paid_or_revoked_is_notified(api):
    hook = "http://127.0.0.1:9/cvs-hook"  # nothing listens: the rows stay
    paid = ok(await _issue(api, "cvs-h1", notice_url=hook))
    await api.client.post(
        "/sandbox/testkit/payments/{}/deposit".format(paid["imp_uid"]), headers=api.headers
    )
    revoked = ok(await _issue(api, "cvs-h2", notice_url=[hook]))
    await api.ok("DELETE", "/cvs/" + revoked["imp_uid"])
    rows = api.store._all(
        "SELECT imp_uid, payload FROM webhooks WHERE url = ? ORDER BY id", (hook,)
    )
    seen = [(row["imp_uid"], json.loads(row["payload"])["status"]) for row in rows]
    assert seen == [
        (paid["imp_uid"], "ready"),
        (paid["imp_uid"], "paid"),
        (revoked["imp_uid"], "ready"),
        (revoked["imp_uid"], "cancelled"),
    ]
