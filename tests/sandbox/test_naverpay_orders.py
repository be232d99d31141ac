"""Naver Pay's product orders as a state machine, by itself (iamport_sandbox.domain.naverpay):
how a payment becomes product orders, each legal move and the refusal of each illegal one,
and the money a refund gives back."""

import itertools

import pytest

from iamport_sandbox.domain import naverpay
from iamport_sandbox.domain.errors import PaymentRefused
from iamport_sandbox.domain.naverpay import OrderRefused

AT = 1_800_000_000
PAYMENT = {
    "merchant_uid": "order-1",
    "name": "Books",
    "amount": 30000,
    "cancel_amount": 0,
    "paid_at": AT,
    "status": "paid",
    "pay_method": "card",
    "pg_provider": "naverpay",
}


def _ids():
    counter = itertools.count(1)
    return lambda: "2026120600000{:03d}".format(next(counter))


def _orders(request=None, payment=PAYMENT):
    return naverpay.product_orders(payment, request or {}, _ids())


def _order(**values):
    order = _orders()[0]
    order.update(values)
    return order


def _run(order, *names, moves=None, params=None):
    """``order`` after the moves ``names`` (seller's first, then the buyer's table)."""
    for name in names:
        move = (moves or naverpay.MOVES).get(name) or naverpay.BUYER_MOVES[name]
        order, _ = naverpay.apply(move, order, params or {}, AT)
    return order


def _state(order):
    return order["product_order_status"], order["claim_type"], order["claim_status"]


# -- product orders of a payment ------------------------------------------------------------


def test_a_payment_without_naver_products_is_one_product_order_of_its_amount():
    (order,) = _orders()
    assert _state(order) == ("PAYED", None, None)
    assert (order["product_id"], order["product_name"], order["quantity"]) == (
        "order-1",
        "Books",
        1,
    )
    assert (order["product_amount"], order["delivery_amount"]) == (30000, 0)
    assert order["product_order_id"] == "2026120600000001" and not order["placed"]
    assert order["shipping_due"] == AT + 3 * 86400


def test_checkout_products_with_prices_options_supplements_and_one_shipping_fee_per_group():
    products = [
        {
            "id": "shoe",
            "name": "Shoe",
            "basePrice": 1000,
            "quantity": 2,
            "shipping": {"groupId": "box", "baseFee": 2500},
            "supplements": [{"id": "lace", "name": "Lace", "price": 300, "quantity": 2}],
        },
        {
            "id": "shirt",
            "name": "Shirt",
            "basePrice": 5000,
            "shipping": {"groupId": "box", "baseFee": 2500},
            "options": [
                {
                    "optionQuantity": 3,
                    "optionPrice": 100,
                    "selectionCode": "R_M",
                    "selections": [{"code": "RED", "label": "색상", "value": "빨강"}],
                },
                {"optionQuantity": 1, "optionPrice": -200, "selectionCode": "B_S"},
            ],
        },
    ]
    orders = _orders({"naverProducts": products})
    assert [(o["product_id"], o["product_option_id"], o["quantity"]) for o in orders] == [
        ("shoe", "", 2),
        ("lace", "", 2),
        ("shirt", "R_M", 3),
        ("shirt", "B_S", 1),
    ]
    assert [o["product_amount"] for o in orders] == [2000, 600, 15300, 4800]
    assert [o["delivery_amount"] for o in orders] == [2500, 0, 0, 0]  # one box, one fee
    assert orders[2]["product_option_name"] == "색상: 빨강"
    assert len({o["product_order_id"] for o in orders}) == 4
    assert [o["position"] for o in orders] == [0, 1, 2, 3]


def test_payment_type_products_without_prices_split_the_amount_by_count():
    products = [
        {"uid": "b1", "name": "Book", "count": 2, "categoryType": "BOOK"},
        {"uid": "c1", "name": "CD", "count": 1},
    ]
    orders = _orders({"naverProducts": products}, dict(PAYMENT, amount=10001))
    assert [(o["product_id"], o["quantity"]) for o in orders] == [("b1", 2), ("c1", 1)]
    assert [o["product_amount"] for o in orders] == [6667, 3334]
    assert sum(o["product_amount"] for o in orders) == 10001


@pytest.mark.parametrize(
    "products",
    [
        "not a list",
        [],
        [None, 3, "x"],
        [{"name": {"nested": True}, "count": True, "basePrice": "abc"}],
        [{"options": "x", "supplements": [1], "shipping": "y", "quantity": -5}],
    ],
)
def test_malformed_naver_products_never_raise(products):
    orders = _orders({"naverProducts": products})
    assert orders and all(o["product_amount"] >= 0 and o["quantity"] >= 1 for o in orders)


def test_at_most_max_orders_come_of_one_payment():
    products = [{"id": str(n), "name": "p", "count": 1} for n in range(naverpay.MAX_ORDERS + 5)]
    assert len(_orders({"naverProducts": products})) == naverpay.MAX_ORDERS


# -- legal ways ------------------------------------------------------------------------------


def test_placed_shipped_delivered_decided():
    order = _run(_order(), "place")
    assert _state(order) == ("PAYED", None, None) and order["placed"]
    order = _run(order, "ship", params={"delivery_method": "DELIVERY"})
    assert _state(order) == ("DELIVERING", None, None)
    assert order["details"]["shipping"] == {"delivery_method": "DELIVERY"}
    assert _state(_run(order, "deliver")) == ("DELIVERED", None, None)
    assert _state(_run(order, "deliver", "decide")) == ("PURCHASE_DECIDED", None, None)


def test_a_seller_cancel_of_a_paid_order_refunds_it():
    order, refunded = naverpay.apply(naverpay.cancel, _order(), {"reason": "SOLD_OUT"}, AT)
    assert refunded and _state(order) == ("CANCELED", "CANCEL", "CANCEL_DONE")
    assert order["details"]["reason"] == "SOLD_OUT"


def test_a_buyer_cancel_before_placing_is_immediate_after_placing_a_request():
    order, refunded = naverpay.apply(naverpay.request_cancel, _order(), {}, AT)
    assert refunded and _state(order) == ("CANCELED", "CANCEL", "CANCEL_DONE")
    requested, refunded = naverpay.apply(naverpay.request_cancel, _run(_order(), "place"), {}, AT)
    assert not refunded and _state(requested) == ("PAYED", "CANCEL", "CANCEL_REQUEST")
    approved, refunded = naverpay.apply(naverpay.approve_cancel, requested, {}, AT)
    assert refunded and _state(approved) == ("CANCELED", "CANCEL", "CANCEL_DONE")


def test_a_return_requested_withheld_resolved_and_approved_refunds_less_the_extra_charge():
    order = _run(_order(), "ship", "request-return")
    assert _state(order) == ("DELIVERING", "RETURN", "RETURN_REQUEST")
    order = _run(order, "withhold-return", params={"extra_charge": 3000, "memo": "fee"})
    assert order["holdback"] and order["details"]["extra_charge"] == 3000
    order = _run(order, "resolve-return")
    assert not order["holdback"]
    returned, refunded = naverpay.apply(naverpay.approve_return, order, {}, AT)
    assert refunded and _state(returned) == ("RETURNED", "RETURN", "RETURN_DONE")
    other = dict(_order(), product_order_id="other")
    assert naverpay.refund_of(returned, [returned, other], 30000) == 27000


def test_a_rejected_return_leaves_the_order_where_it_was():
    order = _run(_order(), "ship", "deliver", "request-return", "reject-return")
    assert _state(order) == ("DELIVERED", "RETURN", "RETURN_REJECT")
    assert _state(_run(order, "decide")) == ("PURCHASE_DECIDED", "RETURN", "RETURN_REJECT")


def test_an_exchange_requested_collected_reshipped_delivered():
    order = _run(_order(), "ship", "deliver", "request-exchange")
    assert _state(order) == ("DELIVERED", "EXCHANGE", "EXCHANGE_REQUEST")
    order = _run(order, "collect-exchanged")
    assert _state(order) == ("DELIVERED", "EXCHANGE", "COLLECT_DONE")
    order = _run(order, "ship-exchanged")
    assert _state(order) == ("DELIVERED", "EXCHANGE", "EXCHANGE_REDELIVERING")
    order = _run(order, "deliver")
    assert _state(order) == ("EXCHANGED", "EXCHANGE", "EXCHANGE_DONE")
    assert _state(_run(order, "decide")) == ("PURCHASE_DECIDED", "EXCHANGE", "EXCHANGE_DONE")


def test_a_full_cancel_of_the_payment_ends_every_order_as_admin_cancel_without_a_refund():
    order, refunded = naverpay.apply(naverpay.admin_cancel, _run(_order(), "ship"), {}, AT)
    assert not refunded
    assert _state(order) == ("CANCELED", "ADMIN_CANCEL", "ADMIN_CANCEL_DONE")


# -- illegal ways --------------------------------------------------------------------------------

SHIPPED = ("ship",)
# (moves that lead somewhere, the move then refused)
ILLEGAL = [
    (("place",), "place"),
    ((), "approve-cancel"),
    ((), "request-return"),
    ((), "approve-return"),
    ((), "reject-return"),
    ((), "withhold-return"),
    ((), "resolve-return"),
    ((), "collect-exchanged"),
    ((), "ship-exchanged"),
    ((), "deliver"),
    ((), "decide"),
    ((), "request-exchange"),
    (SHIPPED, "place"),
    (SHIPPED, "ship"),
    (SHIPPED, "cancel"),
    (SHIPPED, "request-cancel"),
    (("cancel",), "ship"),
    (("cancel",), "cancel"),
    (("cancel",), "place"),
    (("cancel",), "request-return"),
    (("place", "request-cancel"), "ship"),
    (("place", "request-cancel"), "place"),
    (("ship", "request-return"), "decide"),
    (("ship", "request-return"), "request-exchange"),
    (("ship", "request-return"), "resolve-return"),
    (("ship", "request-return", "withhold-return"), "approve-return"),
    (("ship", "request-return", "withhold-return"), "withhold-return"),
    (("ship", "request-return", "approve-return"), "request-return"),
    (("ship", "request-return", "approve-return"), "reject-return"),
    (("ship", "request-exchange"), "ship-exchanged"),
    (("ship", "request-exchange"), "approve-return"),
    (("ship", "request-exchange"), "deliver"),
    (("ship", "request-exchange", "collect-exchanged"), "collect-exchanged"),
    (("ship", "deliver", "decide"), "request-return"),
    (("ship", "deliver", "decide"), "decide"),
    (("ship", "deliver", "decide"), "cancel"),
]


@pytest.mark.parametrize(("before", "name"), ILLEGAL)
def test_an_illegal_move_is_refused_with_a_message_and_changes_nothing(before, name):
    order = _run(_order(), *before, params={"memo": "m"})
    move = naverpay.MOVES.get(name) or naverpay.BUYER_MOVES[name]
    kept = dict(order, details=dict(order["details"]))
    with pytest.raises(OrderRefused) as refused:
        naverpay.apply(move, order, {"memo": "m"}, AT)
    assert order == kept
    assert order["product_order_id"] in refused.value.message
    assert refused.value.code == 1 and isinstance(refused.value, PaymentRefused)
    # Korean first, then English in brackets, as every sandbox refusal.
    assert "(" in refused.value.message and not refused.value.message.startswith("(")


def test_every_move_is_reachable_and_refused_somewhere():
    """Each of the 11 seller moves and 5 buyer moves succeeds in a test above and is
    refused in ILLEGAL: no move is only ever allowed."""
    refused = {name for _, name in ILLEGAL}
    assert set(naverpay.MOVES) <= refused and set(naverpay.BUYER_MOVES) <= refused


# -- money ---------------------------------------------------------------------------------------


def test_refunding_the_last_orders_gives_back_everything_left():
    first, second = _orders({"naverProducts": [{"id": "a", "count": 1}, {"id": "b", "count": 2}]})
    assert (first["product_amount"], second["product_amount"]) == (10000, 20000)
    assert naverpay.refund_of(first, [first, second], 30000) == 10000
    first = dict(first, product_order_status="CANCELED")
    assert naverpay.refund_of(second, [first, second], 20000) == 20000
    # Part of the payment went back another way: never more than is left.
    assert (
        naverpay.refund_of(second, [dict(first, product_order_status="PAYED"), second], 500) == 500
    )


def test_a_decided_order_keeps_its_money():
    first, second = _orders({"naverProducts": [{"id": "a", "count": 1}, {"id": "b", "count": 1}]})
    first = dict(first, product_order_status="PURCHASE_DECIDED")
    assert naverpay.refund_of(second, [first, second], 30000) == 15000


def test_cash_amount_and_points():
    assert naverpay.cash_amount(dict(PAYMENT, cancel_amount=8000)) == {
        "amount_total": 22000,
        "amount_by_npoint": 0,
        "amount_by_primary": 22000,
        "amount_supply": 20000,
        "amount_vat": 2000,
    }
    by_point = naverpay.cash_amount(dict(PAYMENT, pay_method="point"))
    assert by_point["amount_by_npoint"] == 30000 and by_point["amount_by_primary"] == 0
    assert naverpay.cash_amount(dict(PAYMENT, status="cancelled"))["amount_total"] == 0
    assert naverpay.point_amount(PAYMENT) == 300


def test_the_pg_checks_name_the_pg():
    naverpay.check_pg(PAYMENT, naverpay.PAYMENT_PGS)
    naverpay.check_pg(dict(PAYMENT, pg_provider="naverco"), naverpay.ORDER_PGS)
    with pytest.raises(PaymentRefused, match="naverco"):
        naverpay.check_pg(dict(PAYMENT, pg_provider="naverco"), naverpay.PAYMENT_PGS)
    with pytest.raises(PaymentRefused, match="html5_inicis"):
        naverpay.check_pg(dict(PAYMENT, pg_provider="html5_inicis"), naverpay.ORDER_PGS)
    with pytest.raises(PaymentRefused, match="ready"):
        naverpay.check_paid(dict(PAYMENT, status="ready"), "no points")
