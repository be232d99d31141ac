"""What the run against PortOne's document found in the payments, receipts and escrow
resources (issue 24, items 1-2): the operations it has that were missing (``PUT
/payments/prepare``, ``GET /escrows/logis/{imp_uid}``) and the schema-valid requests that
were refused (``GET /payments`` without ``imp_uid[]``, a status no payment has, a listing's
``limit`` up to 1000)."""

import pytest

from tests.sandbox.rest_kit import bad, missing, ok, refused

pytestmark = pytest.mark.anyio

NOTHING_PREPARED = "사전등록된 금액이 없습니다 (nothing prepared for this merchant_uid)"
SHIPPING = {
    "logis": {"company": "CJGLS", "invoice": "123456789012", "sent_at": 1700000000},
}


async def test_a_prepared_amount_can_be_changed_and_the_window_checks_the_new_one(api):
    assert await api.ok("POST", "/payments/prepare", json={"merchant_uid": "p-1", "amount": 1000})
    changed = await api.ok("PUT", "/payments/prepare", json={"merchant_uid": "p-1", "amount": 2000})
    assert changed == {"merchant_uid": "p-1", "amount": 2000}
    assert await api.ok("GET", "/payments/prepare/p-1") == changed
    # Form-encoded too, as the document's formData says; an amount as text.
    form = await api.call(
        "PUT", "/payments/prepare", data={"merchant_uid": "p-1", "amount": "3000"}
    )
    assert ok(form)["amount"] == 3000
    # The old amount no longer pays the order; the new one does.
    assert (await api.pay("p-1", amount=2000))["error_code"] == "AMOUNT_MISMATCH"
    assert (await api.pay("p-1", amount=3000))["status"] == "paid"


async def test_changing_what_was_never_prepared_is_a_404(api):
    assert (
        missing(
            await api.call("PUT", "/payments/prepare", json={"merchant_uid": "nope", "amount": 10})
        )
        == NOTHING_PREPARED
    )
    await api.ok("POST", "/payments/prepare", json={"merchant_uid": "mine", "amount": 10})
    missing(
        await api.call(
            "PUT",
            "/payments/prepare",
            json={"merchant_uid": "mine", "amount": 20},
            headers=api.other,
        )
    )


async def test_a_paid_order_keeps_its_prepared_amount(api):
    await api.ok("POST", "/payments/prepare", json={"merchant_uid": "p-paid", "amount": 1000})
    await api.pay("p-paid", amount=1000)
    refused(
        await api.call("PUT", "/payments/prepare", json={"merchant_uid": "p-paid", "amount": 5})
    )
    assert (await api.ok("GET", "/payments/prepare/p-paid"))["amount"] == 1000


@pytest.mark.parametrize(
    "body", [{"merchant_uid": "p-1"}, {"amount": 10}, {"merchant_uid": "p-1", "amount": -1}]
)
async def test_a_change_without_its_fields_is_bad_input(api, body):
    bad(await api.call("PUT", "/payments/prepare", json=body))


async def test_the_escrow_shipping_can_be_read_back(api):
    paid = await api.pay("esc-1", escrow=True)
    path = "/escrows/logis/" + paid["imp_uid"]
    none = await api.call("GET", path)
    assert none.status_code == 409 and none.json()["code"] == 1  # none registered yet
    registered = await api.ok("POST", path, json=SHIPPING)
    assert await api.ok("GET", path) == registered
    missing(await api.call("GET", path, headers=api.other))
    missing(await api.call("GET", "/escrows/logis/imp_000000000000"))


async def test_payments_by_merchant_uid_and_by_nothing(api):
    first = await api.pay("order-a")
    second = await api.pay("order-b")
    both = await api.call("GET", "/payments", params={"merchant_uid[]": ["order-a", "order-b"]})
    assert both.status_code == 200
    assert {row["imp_uid"] for row in ok(both)} == {first["imp_uid"], second["imp_uid"]}
    mixed = await api.call(
        "GET", "/payments", params={"imp_uid[]": [first["imp_uid"]], "merchant_uid[]": ["order-x"]}
    )
    assert mixed.status_code == 207 and [row["imp_uid"] for row in ok_207(mixed)] == [
        first["imp_uid"]
    ]
    missing(await api.call("GET", "/payments"))
    missing(await api.call("GET", "/payments", params={"merchant_uid[]": ""}))  # finds nothing
    partly = await api.call("GET", "/payments", params={"imp_uid[]": [first["imp_uid"], ""]})
    assert partly.status_code == 207
    bad(await api.call("GET", "/payments", params={"imp_uid[]": ["x"] * 101}))
    missing(
        await api.call("GET", "/payments", params={"merchant_uid[]": "order-a"}, headers=api.other)
    )


def ok_207(answer):
    body = answer.json()
    assert answer.status_code == 207 and body["code"] == 0, body
    return body["response"]


async def test_a_status_no_payment_has_finds_nothing(api):
    await api.pay("order-a")
    missing(await api.call("GET", "/payments/find/order-a/lost"))
    missing(await api.call("GET", "/payments/findAll/order-a/lost"))
    assert (await api.ok("GET", "/payments/find/order-a/paid"))["merchant_uid"] == "order-a"


async def test_a_payment_listing_takes_up_to_1000_rows_a_page(api):
    await api.pay("order-a")
    page = await api.ok("GET", "/payments/status/all", params={"limit": 1000})
    assert page["total"] == 1
    bad(await api.call("GET", "/payments/status/all", params={"limit": 1001}))
