"""The PG-specific operations of the document (issue 24): Benepia points (KCP), KCP Quick
member deletion, PAYCO order states, Paymentwall deliveries; each on its PG's payments
only, a merchant's own only."""

import time

import pytest

from iamport_sandbox.demo import DEMO
from iamport_sandbox.rest import benepia
from tests.sandbox.inprocess import complete_window, open_window
from tests.sandbox.rest_kit import bad, missing, refused

pytestmark = pytest.mark.anyio


async def pay_with(api, merchant_uid, pg_provider, pg_id, amount=1000, **request):
    """A payment approved in a window of the demo merchant's ``pg_provider`` setting (added
    when it has none); returns the window's rsp."""
    demo = api.store.merchant_by_code(DEMO["user_code"])
    if not any(
        s["pg_provider"] == pg_provider and s["pg_id"] == pg_id
        for s in api.store.settings(demo["id"])
    ):
        api.store.add_setting(
            demo["id"],
            {"pg_provider": pg_provider, "pg_id": pg_id, "type": "payment", "sandbox": True},
        )
    request_id = "req_" + merchant_uid
    opened = await open_window(
        api.client,
        dict(request, merchant_uid=merchant_uid, amount=amount, request_id=request_id),
        pg_provider=pg_provider,
        pg_id=pg_id,
    )
    answer = await complete_window(api.client, opened, request_id=request_id)
    assert answer.status_code == 200, answer.text
    return answer.json()["response"]


# -- Benepia --------------------------------------------------------------------------------

ACCOUNT = {"benepia_user": "kim", "benepia_password": "secret-1"}


async def test_benepia_points_pay_an_order(api):
    assert await api.ok("POST", "/benepia/point", json=ACCOUNT) == {"point": benepia.START_POINTS}
    order = dict(ACCOUNT, merchant_uid="bene-1", amount=30000, name="Gift")
    payment = await api.ok("POST", "/benepia/payment", json=order)
    assert payment["status"] == "paid" and payment["pay_method"] == "point"
    assert payment["pg_provider"] == "kcp" and payment["amount"] == 30000
    left = await api.ok("POST", "/benepia/point", data=dict(ACCOUNT, pg="kcp"))
    assert left == {"point": benepia.START_POINTS - 30000}
    refused(await api.call("POST", "/benepia/payment", json=order))  # the order is paid
    too_much = dict(order, merchant_uid="bene-2", amount=benepia.START_POINTS)
    refused(await api.call("POST", "/benepia/payment", json=too_much))
    # Another merchant's Benepia points are counted apart.
    theirs = await api.ok("POST", "/benepia/point", headers=api.other, json=ACCOUNT)
    assert theirs == {"point": benepia.START_POINTS}


async def test_benepia_refusals(api):
    wrong = dict(ACCOUNT, benepia_password="pw-0002")
    refused(await api.call("POST", "/benepia/point", json=wrong))
    order = dict(wrong, merchant_uid="bene-3", amount=1000, name="x")
    refused(await api.call("POST", "/benepia/payment", json=order))
    for body in (
        {"benepia_user": "kim"},
        dict(ACCOUNT, pg="html5_inicis"),
        dict(ACCOUNT, benepia_user=5),
    ):
        bad(await api.call("POST", "/benepia/point", json=body))
    for change in ({"amount": 0}, {"name": None}, {"merchant_uid": None}):
        body = {**ACCOUNT, "merchant_uid": "bene-4", "amount": 1000, "name": "x", **change}
        bad(await api.call("POST", "/benepia/payment", json=body))
    assert (await api.call("POST", "/benepia/point", headers={}, json=ACCOUNT)).status_code == 401


# -- KCP Quick ------------------------------------------------------------------------------

SITE = {"site_code": "QUICK1", "partner_type": "IX99", "partner_subtype": "99IX"}


async def test_a_kcp_quick_member_is_deleted(api):
    bypass = {"kcpQuick": {"actionType": "Register", "memberID": "member-7"}}
    paid = await pay_with(api, "quick-1", "kcp_quick", "QUICK1", bypass=bypass)
    assert paid["status"] == "paid"
    member = await api.ok("DELETE", "/kcpquick/members/member-7", params=SITE)
    assert member["member_id"] == "member-7" and member["pg_provider"] == "kcp_quick"
    assert member["pg_id"] == "QUICK1" and member["inserted"] <= member["updated"]
    missing(await api.call("DELETE", "/kcpquick/members/member-7", params=SITE))  # once
    # A registration after the deletion is a new one (the clock's seconds apart, without
    # waiting: the first registration and the deletion are moved back in time).
    api.store._run(
        "UPDATE payments SET started_at = started_at - 10 WHERE merchant_uid = ?", ("quick-1",)
    )
    api.store._run("UPDATE kcpquick_deleted SET deleted_at = deleted_at - 5")
    await pay_with(api, "quick-2", "kcp_quick", "QUICK1", bypass=bypass)
    assert (await api.ok("DELETE", "/kcpquick/members/member-7", params=SITE))["member_id"]


async def test_kcp_quick_members_are_found_by_site_and_merchant(api):
    bypass = {"kcpQuick": {"memberID": "member-8"}}
    await pay_with(api, "quick-3", "kcp_quick", "QUICK1", bypass=bypass)
    missing(await api.call("DELETE", "/kcpquick/members/nobody", params=SITE))
    missing(
        await api.call("DELETE", "/kcpquick/members/member-8", params=dict(SITE, site_code="X"))
    )
    missing(await api.call("DELETE", "/kcpquick/members/member-8", headers=api.other, params=SITE))
    for name in SITE:
        bad(await api.call("DELETE", "/kcpquick/members/member-8", params={**SITE, name: ""}))


# -- PAYCO ----------------------------------------------------------------------------------


async def test_a_payco_order_ships_and_is_confirmed(api):
    paid = await pay_with(api, "payco-1", "payco", "PAYCO-1")
    path = "/payco/orders/status/" + paid["imp_uid"]
    assert await api.ok("POST", path, json={"status": "DELIVERY_START"}) == {
        "status": "DELIVERY_START"
    }
    refused(await api.call("POST", path, json={"status": "DELIVERY_START"}))  # once
    await api.ok("POST", path, data={"status": "PURCHASE_DECISION"})
    refused(await api.call("POST", path, json={"status": "CANCELED"}))  # confirmed: no refund
    assert (await api.ok("GET", "/payments/" + paid["imp_uid"]))["status"] == "paid"


async def test_a_payco_order_cancelled_refunds_the_payment(api):
    paid = await pay_with(api, "payco-2", "payco", "PAYCO-1")
    path = "/payco/orders/status/" + paid["imp_uid"]
    await api.ok("POST", path, json={"status": "CANCELED"})
    payment = await api.ok("GET", "/payments/" + paid["imp_uid"])
    assert payment["status"] == "cancelled" and payment["cancel_amount"] == 1000
    refused(await api.call("POST", path, json={"status": "PURCHASE_DECISION"}))


async def test_payco_refusals(api):
    paid = await pay_with(api, "payco-3", "payco", "PAYCO-1")
    path = "/payco/orders/status/" + paid["imp_uid"]
    for body in ({}, {"status": "SHIPPED"}, {"status": 5}):
        bad(await api.call("POST", path, json=body))
    refused(await api.call("POST", path, headers=api.other, json={"status": "CANCELED"}))
    refused(await api.call("POST", "/payco/orders/status/imp_000", json={"status": "CANCELED"}))
    inicis = await api.pay("payco-4")
    refused(
        await api.call(
            "POST", "/payco/orders/status/" + inicis["imp_uid"], json={"status": "CANCELED"}
        )
    )


# -- Paymentwall ----------------------------------------------------------------------------


def _delivery(paid, **change):
    now = int(time.time())
    body = {
        "imp_uid": paid["imp_uid"],
        "merchant_uid": paid["merchant_uid"],
        "type": "digital",
        "status": "order_placed",
        "estimated_delivery_datetime": now,
        "estimated_update_datetime": now,
        "refundable": "yes",
        "shipping_address_email": "buyer@example.com",
    }
    body.update(change)
    return {name: value for name, value in body.items() if value is not None}


PHYSICAL = {
    "type": "physical",
    "carrier_tracking_id": "TRACK1",
    "carrier_type": "UPS",
    **{
        "shipping_address_" + name: value
        for name, value in (
            ("country", "KR"), ("city", "Seoul"), ("zip", "04524"), ("state", "N/A"),
            ("street", "Sejong-daero 110"), ("phone", "01012345678"), ("firstname", "Gil"),
            ("lastname", "Hong"),
        )
    },
}  # fmt: skip


async def test_a_paymentwall_delivery_moves_forward(api):
    paid = await pay_with(api, "wall-1", "paymentwall", "WALL-1", currency="USD", amount=10)
    assert await api.ok("POST", "/paymentwall/delivery", json=_delivery(paid)) == {"success": 1}
    await api.ok("POST", "/paymentwall/delivery", json=_delivery(paid, status="delivered"))
    refused(await api.call("POST", "/paymentwall/delivery", json=_delivery(paid)))  # back
    physical = await pay_with(api, "wall-2", "paymentwall", "WALL-1", currency="USD", amount=10)
    body = _delivery(physical, status="order_shipped", **PHYSICAL)
    await api.ok("POST", "/paymentwall/delivery", data=body)
    stored = api.store.pg_order_state(1, physical["imp_uid"], "paymentwall")
    assert stored["state"] == "order_shipped" and "TRACK1" in stored["details"]


async def test_paymentwall_refusals(api):
    paid = await pay_with(api, "wall-3", "paymentwall", "WALL-1", currency="USD", amount=10)
    for change in (
        {"type": "physical"},  # no carrier, no address
        {"status": "lost"},
        {"refundable": "maybe"},
        {"estimated_delivery_datetime": "soon"},
        {"shipping_address_email": None},
        {"imp_uid": None},
    ):
        bad(await api.call("POST", "/paymentwall/delivery", json=_delivery(paid, **change)))
    refused(await api.call("POST", "/paymentwall/delivery", json=_delivery(paid, merchant_uid="x")))
    refused(
        await api.call("POST", "/paymentwall/delivery", headers=api.other, json=_delivery(paid))
    )
    inicis = await api.pay("wall-4")
    refused(await api.call("POST", "/paymentwall/delivery", json=_delivery(inicis)))
    await api.ok("POST", "/payments/cancel", json={"imp_uid": paid["imp_uid"]})
    refused(await api.call("POST", "/paymentwall/delivery", json=_delivery(paid)))
