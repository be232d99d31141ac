"""The Naver Pay operations on a payment (issue 24): product orders made from a payment
paid in the sandbox window with pg naverpay (or naverco), the seller's moves and the
buyer's (through the test kit), refunds with their webhooks, points, purchase
confirmation, the cash receipt amount and reviews; other PGs' payments refused, another
merchant's payments and orders not found, bad input a 4xx."""

import json
import time
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamport_sandbox.demo import DEMO
from iamport_sandbox.domain import naverpay
from tests.sandbox.inprocess import complete_window, open_window, window_open
from tests.sandbox.rest_kit import bad, missing, ok, refused

PRODUCTS = [
    {"id": "shoe", "name": "Shoe", "basePrice": 10000, "quantity": 2},
    {"id": "cap", "name": "Cap", "basePrice": 5000, "quantity": 1},
]
SHIPMENT = {
    "delivery_method": "DELIVERY",
    "delivery_company": "CJGLS",
    "tracking_number": "1234567890",
    "dispatched_at": 1_800_000_000,
}
HOOK = "http://127.0.0.1:9/naver-hook"


@pytest.fixture
async def naver(api):
    """``api`` with the demo merchant's Naver Pay settings (결제형 and 주문형)."""
    demo = api.store.merchant_by_code(DEMO["user_code"])
    for pg, mid in (("naverpay", "NPAY-1"), ("naverco", "NCO-1")):
        api.store.add_setting(
            demo["id"], {"pg_provider": pg, "pg_id": mid, "type": "payment", "sandbox": True}
        )
    return api


async def _pay(api, merchant_uid, pg="naverpay", amount=25000, products=PRODUCTS, approve=True):
    request = {
        "merchant_uid": merchant_uid,
        "amount": amount,
        "name": "Naver order",
        "pay_method": "card",
        "request_id": "req_" + merchant_uid,
        "buyer_name": "홍길동",
        "buyer_tel": "010-1234-5678",
        "buyer_email": "buyer@example.com",
        "buyer_addr": "서울특별시 강남구",
        "buyer_postcode": "06236",
        "notice_url": HOOK,
    }
    if products is not None:
        request["naverProducts"] = products
    mid = {"naverpay": "NPAY-1", "naverco": "NCO-1"}.get(pg, "MID-a")
    opened = await open_window(api.client, request, pg_provider=pg, pg_id=mid)
    if approve:
        answer = await complete_window(api.client, opened, request_id=request["request_id"])
        assert answer.status_code == 200, answer.text
    return opened["imp_uid"]


def _naver(imp_uid, name):
    return "/payments/{}/naver/{}".format(imp_uid, name)


async def _orders(api, imp_uid):
    return await api.ok("GET", _naver(imp_uid, "product-orders"))


async def _buyer(api, product_order_id, move, **body):
    return await api.client.post(
        "/sandbox/testkit/naver/product-orders/{}/{}".format(product_order_id, move),
        headers=api.headers,
        json=body,
    )


def _states(orders):
    return [(o["product_order_status"], o["claim_type"], o["claim_status"]) for o in orders]


def _hooks(api, imp_uid):
    rows = api.store.webhooks(api.store.merchant_by_code(DEMO["user_code"])["id"])
    return sorted(
        (row["id"], json.loads(row["payload"])["status"])
        for row in rows
        if row["imp_uid"] == imp_uid
    )


# -- product orders --------------------------------------------------------------------------


@pytest.mark.anyio
async def test_product_orders_are_made_from_the_payments_naver_products(naver):
    imp_uid = await _pay(naver, "np-1")
    orders = await _orders(naver, imp_uid)
    assert [(o["product_id"], o["quantity"], o["product_amount"]) for o in orders] == [
        ("shoe", 2, 20000),
        ("cap", 1, 5000),
    ]
    assert _states(orders) == [("PAYED", None, None)] * 2
    first = orders[0]
    assert first["orderer"] == {"name": "홍길동", "id": "buye****", "tel": "010-1234-5678"}
    assert first["shipping_address"]["base"] == "서울특별시 강남구"
    assert first["shipping_address"]["postcode"] == "06236"
    assert len(first["product_order_id"]) == 16 and first["product_order_id"].isdigit()
    assert first["shipping_due"] > time.time()
    # Made once: the same numbers every time, and each one found by itself.
    assert await _orders(naver, imp_uid) == orders
    assert await naver.ok("GET", "/naver/product-orders/" + first["product_order_id"]) == first


@pytest.mark.anyio
async def test_another_merchants_payment_and_orders_are_not_found(naver):
    imp_uid = await _pay(naver, "np-scope")
    (order, _) = await _orders(naver, imp_uid)
    other = naver.other
    missing(await naver.call("GET", _naver(imp_uid, "product-orders"), headers=other))
    missing(
        await naver.call("GET", "/naver/product-orders/" + order["product_order_id"], headers=other)
    )
    for name in ("place", "cancel", "point", "confirm"):
        missing(await naver.call("POST", _naver(imp_uid, name), headers=other, json={}))
    answer = await naver.call("GET", _naver(imp_uid, "cash-amount"), headers=other)
    assert answer.status_code == 400 and "no such payment" in answer.json()["message"]
    missing(await naver.call("POST", _naver("imp_nothing", "place"), json={}))
    missing(await naver.call("GET", "/naver/product-orders/2026000000000000"))
    answer = await _buyer(naver, order["product_order_id"], "deliver")
    assert answer.status_code == 200  # its own merchant reaches it
    answer = await naver.client.post(
        "/sandbox/testkit/naver/product-orders/{}/deliver".format(order["product_order_id"]),
        headers=other,
        json={},
    )
    missing(answer)


@pytest.mark.anyio
async def test_without_a_token_every_operation_is_401(naver):
    imp_uid = await _pay(naver, "np-401")
    for method, path in (
        ("GET", _naver(imp_uid, "product-orders")),
        ("POST", _naver(imp_uid, "ship")),
        ("GET", _naver(imp_uid, "cash-amount")),
        ("GET", "/naver/reviews?from=0&to=1&review_type=general"),
    ):
        answer = await naver.call(method, path, headers={})
        assert answer.status_code == 401 and answer.json()["code"] == -1


# -- the seller's moves --------------------------------------------------------------------------


@pytest.mark.anyio
async def test_placed_shipped_delivered_and_confirmed(naver):
    imp_uid = await _pay(naver, "np-flow")
    placed = await naver.ok("POST", _naver(imp_uid, "place"), json={})
    assert _states(placed) == [("PAYED", None, None)] * 2
    # Placing again: every order refused, a business refusal naming each one.
    message = refused(await naver.call("POST", _naver(imp_uid, "place"), json={}))
    assert message.count("already placed") == 2
    shipped = await naver.ok("POST", _naver(imp_uid, "ship"), json=SHIPMENT)
    assert _states(shipped) == [("DELIVERING", None, None)] * 2
    answer = await _buyer(naver, shipped[0]["product_order_id"], "deliver")
    assert _states([ok(answer)[0]]) == [("DELIVERED", None, None)]
    assert (
        ok(await naver.call("POST", _naver(imp_uid, "confirm"), json={"requester": "customer"}))
        is None
    )
    assert _states(await _orders(naver, imp_uid)) == [("PURCHASE_DECIDED", None, None)] * 2
    refused(await naver.call("POST", _naver(imp_uid, "confirm"), json={}), None)
    message = refused(await naver.call("POST", _naver(imp_uid, "cancel"), json={}))
    assert "closed" in message


@pytest.mark.anyio
async def test_some_orders_moved_is_207_with_those_and_the_others_named(naver):
    imp_uid = await _pay(naver, "np-207")
    first, second = await _orders(naver, imp_uid)
    await naver.ok(
        "POST", _naver(imp_uid, "place"), json={"product_order_id": first["product_order_id"]}
    )
    answer = await naver.call("POST", _naver(imp_uid, "place"), json={})
    body = answer.json()
    assert answer.status_code == 207 and body["code"] == 0
    assert [o["product_order_id"] for o in body["response"]] == [second["product_order_id"]]
    assert first["product_order_id"] in body["message"]
    # An order of another payment counts as one that did not move.
    other = await _pay(naver, "np-207b")
    answer = await naver.call(
        "POST",
        _naver(other, "ship"),
        json=dict(SHIPMENT, product_order_id=[second["product_order_id"]]),
    )
    assert "no product order" in refused(answer)


@pytest.mark.anyio
async def test_ship_needs_its_method_time_company_and_tracking_number(naver):
    imp_uid = await _pay(naver, "np-ship")
    for body in (
        {},
        dict(SHIPMENT, delivery_method="PIGEON"),
        {"delivery_method": "DELIVERY", "dispatched_at": 1_800_000_000},
        dict(SHIPMENT, delivery_company="NOPE"),
        dict(SHIPMENT, dispatched_at="yesterday"),
        dict(SHIPMENT, product_order_id=[1, 2]),
        dict(SHIPMENT, product_order_id={"a": 1}),
    ):
        bad(await naver.call("POST", _naver(imp_uid, "ship"), json=body))
    bad(await naver.call("POST", _naver(imp_uid, "ship"), content=b"[1]"))
    # Nothing moved: the orders are still to ship.
    assert _states(await _orders(naver, imp_uid)) == [("PAYED", None, None)] * 2
    shipped = await naver.ok(
        "POST",
        _naver(imp_uid, "ship"),
        json={"delivery_method": "VISIT_RECEIPT", "dispatched_at": 1},
    )
    assert _states(shipped) == [("DELIVERING", None, None)] * 2


@pytest.mark.anyio
async def test_a_form_body_names_several_orders(naver):
    imp_uid = await _pay(naver, "np-form", products=PRODUCTS + [{"id": "bag", "basePrice": 0}])
    first, _, third = await _orders(naver, imp_uid)
    answer = await naver.call(
        "POST",
        _naver(imp_uid, "place"),
        content="product_order_id[]={}&product_order_id[]={}".format(
            first["product_order_id"], third["product_order_id"]
        ),
        headers=dict(naver.headers, **{"content-type": "application/x-www-form-urlencoded"}),
    )
    assert [o["product_order_id"] for o in ok(answer)] == [
        first["product_order_id"],
        third["product_order_id"],
    ]


# -- refunds ---------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_each_cancelled_order_is_refunded_and_the_last_refunds_the_rest(naver):
    imp_uid = await _pay(naver, "np-cancel", amount=26000)  # 1000 more than the products
    first, second = await _orders(naver, imp_uid)
    cancelled = await naver.ok(
        "POST",
        _naver(imp_uid, "cancel"),
        json={"product_order_id": first["product_order_id"], "reason": "NOT_A_CODE"},
    )
    assert _states(cancelled) == [("CANCELED", "CANCEL", "CANCEL_DONE")]
    payment = await naver.ok("GET", "/payments/" + imp_uid)
    assert (payment["status"], payment["cancel_amount"]) == ("paid", 20000)
    await naver.ok(
        "POST", _naver(imp_uid, "cancel"), json={"product_order_id": [second["product_order_id"]]}
    )
    payment = await naver.ok("GET", "/payments/" + imp_uid)
    assert (payment["status"], payment["cancel_amount"]) == ("cancelled", 26000)
    assert sorted(entry["amount"] for entry in payment["cancel_history"]) == [6000, 20000]
    # A webhook per refund, as for any cancel: paid (partly refunded), then cancelled.
    assert [status for _, status in _hooks(naver, imp_uid)] == ["paid", "paid", "cancelled"]


@pytest.mark.anyio
async def test_a_buyers_cancel_request_is_approved_by_the_seller(naver):
    imp_uid = await _pay(naver, "np-cancel-req")
    first, second = await _orders(naver, imp_uid)
    # Before the seller placed it, the buyer's cancel is immediate (and refunded).
    answer = await _buyer(naver, second["product_order_id"], "request-cancel")
    assert _states(ok(answer)) == [("CANCELED", "CANCEL", "CANCEL_DONE")]
    await naver.ok(
        "POST", _naver(imp_uid, "place"), json={"product_order_id": first["product_order_id"]}
    )
    answer = await _buyer(naver, first["product_order_id"], "request-cancel")
    assert _states(ok(answer)) == [("PAYED", "CANCEL", "CANCEL_REQUEST")]
    assert "a claim is open" in refused(
        await naver.call("POST", _naver(imp_uid, "ship"), json=SHIPMENT)
    )
    approved = await naver.ok(
        "POST",
        _naver(imp_uid, "approve-cancel"),
        json={"product_order_id": first["product_order_id"]},
    )
    assert _states(approved) == [("CANCELED", "CANCEL", "CANCEL_DONE")]
    payment = await naver.ok("GET", "/payments/" + imp_uid)
    assert (payment["status"], payment["cancel_amount"]) == ("cancelled", 25000)


@pytest.mark.anyio
async def test_a_return_withheld_resolved_and_approved_refunds_less_the_extra_charge(naver):
    imp_uid = await _pay(naver, "np-return")
    first, second = await _orders(naver, imp_uid)
    one = {"product_order_id": first["product_order_id"]}
    await naver.ok("POST", _naver(imp_uid, "ship"), json=SHIPMENT)
    bad(await naver.call("POST", _naver(imp_uid, "request-return"), json=one))
    requested = await naver.ok(
        "POST", _naver(imp_uid, "request-return"), json=dict(one, delivery_method="RETURN_DELIVERY")
    )
    assert _states(requested) == [("DELIVERING", "RETURN", "RETURN_REQUEST")]
    bad(await naver.call("POST", _naver(imp_uid, "withhold-return"), json=one))
    await naver.ok(
        "POST",
        _naver(imp_uid, "withhold-return"),
        json=dict(one, memo="반품 배송비", reason="RETURN_DELIVERYFEE", extra_charge=3000),
    )
    assert "withheld" in refused(
        await naver.call("POST", _naver(imp_uid, "approve-return"), json=one)
    )
    await naver.ok("POST", _naver(imp_uid, "resolve-return"), json=one)
    returned = await naver.ok("POST", _naver(imp_uid, "approve-return"), json=dict(one, memo="ok"))
    assert _states(returned) == [("RETURNED", "RETURN", "RETURN_DONE")]
    payment = await naver.ok("GET", "/payments/" + imp_uid)
    assert (payment["status"], payment["cancel_amount"]) == ("paid", 17000)
    # The other order's return is rejected (a memo is required): it stays shipped.
    two = {"product_order_id": second["product_order_id"]}
    await naver.ok(
        "POST",
        _naver(imp_uid, "request-return"),
        json=dict(two, delivery_method="RETURN_INDIVIDUAL"),
    )
    bad(await naver.call("POST", _naver(imp_uid, "reject-return"), json=two))
    rejected = await naver.ok("POST", _naver(imp_uid, "reject-return"), json=dict(two, memo="no"))
    assert _states(rejected) == [("DELIVERING", "RETURN", "RETURN_REJECT")]


@pytest.mark.anyio
async def test_an_exchange_collected_reshipped_and_delivered(naver):
    imp_uid = await _pay(naver, "np-exchange", pg="naverco")
    first, _ = await _orders(naver, imp_uid)
    one = {"product_order_id": first["product_order_id"]}
    await naver.ok("POST", _naver(imp_uid, "ship"), json=SHIPMENT)
    refused(await naver.call("POST", _naver(imp_uid, "collect-exchanged"), json=one))
    ok(await _buyer(naver, first["product_order_id"], "request-exchange"))
    refused(await naver.call("POST", _naver(imp_uid, "ship-exchanged"), json=dict(SHIPMENT, **one)))
    collected = await naver.ok("POST", _naver(imp_uid, "collect-exchanged"), json=one)
    assert _states(collected) == [("DELIVERING", "EXCHANGE", "COLLECT_DONE")]
    bad(
        await naver.call(
            "POST", _naver(imp_uid, "ship-exchanged"), json=dict(one, delivery_method="DELIVERY")
        )
    )
    reshipped = await naver.ok(
        "POST", _naver(imp_uid, "ship-exchanged"), json=dict(SHIPMENT, **one)
    )
    assert _states(reshipped) == [("DELIVERING", "EXCHANGE", "EXCHANGE_REDELIVERING")]
    answer = await _buyer(naver, first["product_order_id"], "deliver")
    assert _states(ok(answer)) == [("EXCHANGED", "EXCHANGE", "EXCHANGE_DONE")]


@pytest.mark.anyio
async def test_a_full_cancel_of_the_payment_ends_its_orders(naver):
    imp_uid = await _pay(naver, "np-admin")
    await naver.ok("POST", _naver(imp_uid, "ship"), json=SHIPMENT)
    await naver.ok("POST", "/payments/cancel", json={"imp_uid": imp_uid})
    assert (
        _states(await _orders(naver, imp_uid))
        == [("CANCELED", "ADMIN_CANCEL", "ADMIN_CANCEL_DONE")] * 2
    )
    refused(
        await naver.call(
            "POST", _naver(imp_uid, "request-return"), json={"delivery_method": "RETURN_DELIVERY"}
        )
    )


# -- pg and payment state ------------------------------------------------------------------------


@pytest.mark.anyio
async def test_other_pgs_payments_are_refused(naver):
    imp_uid = await _pay(naver, "np-inicis", pg="html5_inicis", products=None)
    for name in ("place", "cancel", "approve-cancel", "collect-exchanged", "resolve-return"):
        assert "pg_provider html5_inicis" in refused(
            await naver.call("POST", _naver(imp_uid, name), json={})
        )
    assert "html5_inicis" in refused(await naver.call("GET", _naver(imp_uid, "product-orders")))
    for name in ("point", "confirm"):
        assert "naverpay" in refused(await naver.call("POST", _naver(imp_uid, name), json={}))
    answer = await naver.call("GET", _naver(imp_uid, "cash-amount"))
    assert answer.status_code == 400 and "html5_inicis" in answer.json()["message"]
    # Naver Pay checkout (주문형) has product orders, not the payment-type operations.
    naverco = await _pay(naver, "np-co", pg="naverco", products=None)
    (order,) = await _orders(naver, naverco)
    assert (order["product_id"], order["product_amount"]) == ("np-co", 25000)
    assert "naverco" in refused(await naver.call("POST", _naver(naverco, "point"), json={}))
    assert (await naver.call("GET", _naver(naverco, "cash-amount"))).status_code == 400


@pytest.mark.anyio
async def test_an_unpaid_payment_has_no_product_orders_yet(naver):
    imp_uid = await _pay(naver, "np-ready", approve=False)
    assert await _orders(naver, imp_uid) == []
    assert "no product orders" in refused(
        await naver.call("POST", _naver(imp_uid, "place"), json={})
    )
    assert "ready" in refused(await naver.call("POST", _naver(imp_uid, "point"), json={}))
    cash = await naver.ok("GET", _naver(imp_uid, "cash-amount"))
    assert cash["amount_total"] == 0


@pytest.mark.anyio
async def test_points_once_and_the_cash_receipt_amount(naver):
    imp_uid = await _pay(naver, "np-point", amount=22000)
    assert ok(await naver.call("POST", _naver(imp_uid, "point"))) is None
    assert "already" in refused(await naver.call("POST", _naver(imp_uid, "point")))
    mark = naver.store.naver_payment(naver.store.merchant_by_code(DEMO["user_code"])["id"], imp_uid)
    assert mark["point_amount"] == 220
    assert await naver.ok("GET", _naver(imp_uid, "cash-amount")) == {
        "amount_total": 22000,
        "amount_by_npoint": 0,
        "amount_by_primary": 22000,
        "amount_supply": 20000,
        "amount_vat": 2000,
    }


# -- reviews ------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_a_decided_orders_review_is_listed_by_type_and_time(naver):
    imp_uid = await _pay(naver, "np-review")
    first, _ = await _orders(naver, imp_uid)
    pid = first["product_order_id"]
    assert "decided" in refused(await _buyer(naver, pid, "review", score=5, title="좋아요"))
    await naver.ok("POST", _naver(imp_uid, "ship"), json=SHIPMENT)
    ok(await _buyer(naver, pid, "decide"))
    bad(await _buyer(naver, pid, "review", score=6, title="x"))
    bad(await _buyer(naver, pid, "review", score=4, title="x", review_type="premium"))
    review = ok(await _buyer(naver, pid, "review", score=4, title="좋아요"))
    assert (review["score"], review["product_order_id"], review["product_id"]) == ("4", pid, "shoe")
    now = int(time.time())
    window = "from={}&to={}".format(now - 60, now + 60)
    listed = await naver.ok("GET", "/naver/reviews?{}&review_type=general".format(window))
    assert listed == [review]
    assert await naver.ok("GET", "/naver/reviews?{}&review_type=premium".format(window)) == []
    assert await naver.ok("GET", "/naver/reviews?from=0&to=10&review_type=general") == []
    assert (
        await naver.ok(
            "GET", "/naver/reviews?{}&review_type=general".format(window), headers=naver.other
        )
        == []
    )
    for query in (
        "",
        "from=0&to=1",
        "from=x&to=1&review_type=general",
        "from=0&to=1&review_type=bad",
    ):
        bad(await naver.call("GET", "/naver/reviews?" + query))
    answer = await _buyer(naver, pid, "fly")
    assert answer.status_code == 404 and answer.json()["code"] == -1


# -- no body makes a 5xx ------------------------------------------------------------------------

FIELDS = (
    "product_order_id",
    "delivery_method",
    "dispatched_at",
    "delivery_company",
    "tracking_number",
    "reason",
    "memo",
    "extra_charge",
    "requester",
)
VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(
        ["DELIVERY", "CJGLS", "RETURN_DELIVERY", "ETC", "\ud800", "", "1" * 41, "2026120600000001"]
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=2)
    ),
    max_leaves=6,
)
OPERATIONS = [("POST", name) for name in sorted(naverpay.MOVES)] + [
    ("POST", "point"),
    ("POST", "confirm"),
    ("GET", "product-orders"),
    ("GET", "cash-amount"),
]


@pytest.fixture
def paid(sandbox, http):
    """A Naver Pay payment paid in the window, and the demo merchant's token (sync)."""
    _, app = sandbox
    store = app.state.store
    demo = store.merchant_by_code(DEMO["user_code"])
    store.add_setting(
        demo["id"],
        {"pg_provider": "naverpay", "pg_id": "NPAY-1", "type": "payment", "sandbox": True},
    )
    opened = http.post(
        "/sandbox/windows/open",
        json=window_open(
            {
                "merchant_uid": "np-fuzz",
                "amount": 25000,
                "request_id": "req_fuzz",
                "naverProducts": PRODUCTS,
            },
            pg_provider="naverpay",
            pg_id="NPAY-1",
        ),
    ).json()["response"]
    done = http.post(
        "/sandbox/windows/{}/complete".format(opened["imp_uid"]),
        json={"user_code": DEMO["user_code"], "request_id": "req_fuzz", "outcome": "approve"},
    )
    assert done.status_code == 200, done.text
    headers = {"Authorization": store.issue_token(demo["id"], 3600)[0]}
    return http, headers, opened["imp_uid"]


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    operation=st.sampled_from(OPERATIONS),
    body=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=5),
    form=st.booleans(),
)
def test_no_body_on_a_paid_naver_payment_makes_a_5xx(paid, operation, body, form):
    http, headers, imp_uid = paid
    method, name = operation
    if form:
        sent = {"content": urlencode(body, doseq=True).encode("utf-8", "surrogatepass")}
        headers = dict(headers, **{"content-type": "application/x-www-form-urlencoded"})
    else:
        sent = {"content": json.dumps(body).encode("utf-8", "surrogatepass")}
        headers = dict(headers, **{"content-type": "application/json"})
    answer = http.request(method, "/api" + _naver(imp_uid, name), headers=headers, **sent)
    assert answer.status_code < 500, (answer.status_code, answer.text)
    reply = answer.json()
    if answer.status_code in (400, 413):
        assert reply["code"] == -1 and reply["message"], reply
    elif reply["code"] == 1:  # a business refusal
        assert answer.status_code == 200 and reply["response"] is None and reply["message"]
    else:
        assert reply["code"] == 0 and answer.status_code in (200, 207), reply
