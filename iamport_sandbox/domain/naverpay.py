"""Naver Pay's product orders, apart from HTTP and storage: how a paid Naver Pay payment
becomes product orders, the legal moves of each order (its ``product_order_status`` and
its claim), the money a move gives back, and the cash receipt amounts of a payment.

Pure: no store, no clock, no randomness (the caller passes the time and the ids), so the
state machine is tested by itself (``tests/sandbox/test_naverpay_orders.py``). The REST API
(:mod:`iamport_sandbox.rest.naverpay`) loads the orders, applies a move to each one named,
stores the result and refunds through :func:`iamport_sandbox.domain.payments.cancel`.

The statuses and claims are the ones PortOne's v1 document lists for these operations:

- ``product_order_status``: ``PAYED`` → ``DELIVERING`` (shipped) → ``DELIVERED`` →
  ``PURCHASE_DECIDED``; ``CANCELED``, ``RETURNED`` and ``EXCHANGED`` end a claim.
  Placing an order (발주확인) keeps it ``PAYED`` and marks it placed, as Naver Pay does.
- ``claim_type``/``claim_status``: ``CANCEL`` (``CANCEL_REQUEST`` → ``CANCEL_DONE``),
  ``RETURN`` (``RETURN_REQUEST`` → ``RETURN_DONE`` or ``RETURN_REJECT``; a request may be
  withheld and released in between), ``EXCHANGE`` (``EXCHANGE_REQUEST`` → ``COLLECT_DONE``
  → ``EXCHANGE_REDELIVERING`` → ``EXCHANGE_DONE``), ``ADMIN_CANCEL`` (the payment was
  cancelled in full by ``POST /payments/cancel``).
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from iamport_sandbox.domain.errors import PaymentRefused

# The PGs whose payments have product orders (주문형; the 결제형 code too, whose products
# the window's ``naverProducts`` name), and those of the payment-type operations (point,
# purchase confirmation, cash amount: 결제형 only, as the document's supported PGs say).
ORDER_PGS = ("naverco", "naverpay")
PAYMENT_PGS = ("naverpay",)

PAYED = "PAYED"
DELIVERING = "DELIVERING"
DELIVERED = "DELIVERED"
PURCHASE_DECIDED = "PURCHASE_DECIDED"
EXCHANGED = "EXCHANGED"
CANCELED = "CANCELED"
RETURNED = "RETURNED"
# Statuses after which nothing moves any more: the money went back, or the buyer kept it.
FINAL = (CANCELED, RETURNED, PURCHASE_DECIDED)
REFUNDED = (CANCELED, RETURNED)

CANCEL, RETURN, EXCHANGE, ADMIN_CANCEL = "CANCEL", "RETURN", "EXCHANGE", "ADMIN_CANCEL"
# Claims still waiting for the seller (a request, a collection, a redelivery).
OPEN_CLAIMS = (
    "CANCEL_REQUEST",
    "RETURN_REQUEST",
    "COLLECTING",
    "COLLECT_DONE",
    "EXCHANGE_REQUEST",
    "EXCHANGE_REDELIVERING",
)

# The document's codes; an unknown reason takes the default, as it says.
CANCEL_REASONS = (
    "SOLD_OUT",
    "DELAYED_DELIVERY",
    "PRODUCT_UNSATISFIED",
    "INTENT_CHANGED",
    "COLOR_AND_SIZE",
    "WRONG_ORDER",
    "INCORRECT_INFO",
)
RETURN_REASONS = (
    "INTENT_CHANGED",
    "COLOR_AND_SIZE",
    "WRONG_ORDER",
    "PRODUCT_UNSATISFIED",
    "DELAYED_DELIVERY",
    "SOLD_OUT",
    "DROPPED_DELIVERY",
    "BROKEN",
    "INCORRECT_INFO",
    "WRONG_DELIVERY",
    "WRONG_OPTION",
)
WITHHOLD_REASONS = (
    "RETURN_DELIVERYFEE",
    "EXTRAFEEE",
    "RETURN_DELIVERYFEE_AND_EXTRAFEEE",
    "RETURN_PRODUCT_NOT_DELIVERED",
    "ETC",
)
DELIVERY_METHODS = (
    "DELIVERY",
    "GDFW_ISSUE_SVC",
    "VISIT_RECEIPT",
    "DIRECT_DELIVERY",
    "QUICK_SVC",
    "NOTHING",
)
RETURN_DELIVERY_METHODS = ("RETURN_DESIGNATED", "RETURN_DELIVERY", "RETURN_INDIVIDUAL")
DELIVERY_COMPANIES = (
    "CJGLS", "KGB", "DONGBU", "EPOST", "REGISTPOST", "HANJIN", "HYUNDAI", "KGBLS", "INNOGIS",
    "DAESIN", "ILYANG", "KDEXP", "CHUNIL", "CH1", "HDEXP", "CVSNET", "DHL", "FEDEX", "GSMNTON",
    "WARPEX", "WIZWA", "EMS", "DHLDE", "ACIEXPRESS", "EZUSA", "PANTOS", "UPS", "HLCGLOBAL",
    "KOREXG", "TNT", "SWGEXP", "DAEWOON", "USPS", "IPARCEL", "KUNYOUNG", "HPL", "DADREAM",
    "SLX", "SFEXPRESS", "HONAM",
)  # fmt: skip
# At most this many product orders come of one payment's naverProducts.
MAX_ORDERS = 100
# Naver Pay's shipping deadline: three days after payment.
SHIPPING_DAYS = 3

# A product order as the store keeps it (its columns, ``details`` a dict).
Order = dict[str, Any]


class OrderRefused(PaymentRefused):
    """One product order cannot make the move asked (Iamport's message, in Korean and
    English): the others named in the same call may still make it."""


def _refused(korean: str, english: str, order: Mapping[str, Any]) -> OrderRefused:
    return OrderRefused(
        "{} ({}: {} {} {})".format(
            korean,
            english,
            order["product_order_id"],
            order["product_order_status"],
            order["claim_status"] or "",
        ).replace(" )", ")")
    )


# -- product orders of a payment ----------------------------------------------------------


def _text(value: object, default: str, limit: int = 200) -> str:
    if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
        return str(value)[:limit]
    return default


def _count(value: object, default: int = 1) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, (int, float)) and 0 < value <= 10**6 and value == int(value):
        return int(value)
    return default


def _price(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, (int, float)) and -(10**10) < value < 10**10 and value == value:
        return round(value)
    return None


def _option_lines(product: Mapping[str, Any], name: str, product_id: str) -> list[Order]:
    """One line per option the buyer chose (Naver Pay makes each a product order), else one."""
    base = _price(product.get("basePrice"))
    options = product.get("options")
    lines: list[Order] = []
    if isinstance(options, list):
        for option in options:
            if not isinstance(option, Mapping):
                continue
            selections = option.get("selections")
            picked = (
                [s for s in selections if isinstance(s, Mapping)]
                if isinstance(selections, list)
                else []
            )
            codes = "_".join(_text(s.get("code"), "") for s in picked)
            extra = _price(option.get("optionPrice"))
            lines.append(
                {
                    "product_id": product_id,
                    "product_name": name,
                    "product_option_id": _text(option.get("selectionCode"), codes),
                    "product_option_name": " / ".join(
                        "{}: {}".format(_text(s.get("label"), ""), _text(s.get("value"), ""))
                        for s in picked
                    ),
                    "quantity": _count(option.get("optionQuantity")),
                    "unit_price": None if base is None else base + (extra or 0),
                }
            )
    if not lines:
        lines.append(
            {
                "product_id": product_id,
                "product_name": name,
                "product_option_id": "",
                "product_option_name": "",
                "quantity": _count(product.get("quantity", product.get("count"))),
                "unit_price": base,
            }
        )
    return lines


def _supplement_lines(product: Mapping[str, Any]) -> list[Order]:
    supplements = product.get("supplements")
    if not isinstance(supplements, list):
        return []
    return [
        {
            "product_id": _text(item.get("id"), "supplement"),
            "product_name": _text(item.get("name"), "추가구성품"),
            "product_option_id": "",
            "product_option_name": "",
            "quantity": _count(item.get("quantity")),
            "unit_price": _price(item.get("price")),
        }
        for item in supplements
        if isinstance(item, Mapping)
    ]


def _product_lines(products: Sequence[object]) -> list[Order]:
    lines: list[Order] = []
    groups: set[str] = set()
    for index, product in enumerate(products):
        if not isinstance(product, Mapping):
            continue
        name = _text(product.get("name"), "상품 {}".format(index + 1))
        product_id = _text(product.get("id", product.get("uid")), str(index + 1))
        own = _option_lines(product, name, product_id)
        # Shipping: the base fee once per shipping group (or per product without a group).
        shipping = product.get("shipping")
        fee = 0
        if isinstance(shipping, Mapping):
            group = _text(shipping.get("groupId"), "")
            if not group or group not in groups:
                fee = max(_price(shipping.get("baseFee")) or 0, 0)
            if group:
                groups.add(group)
        own[0]["delivery_amount"] = fee
        lines.extend(own + _supplement_lines(product))
    return lines[:MAX_ORDERS]


def _split(amount: int, weights: Sequence[int]) -> list[int]:
    """``amount`` in parts proportional to ``weights`` (whole won), the rest in the last."""
    total = sum(weights) or 1
    parts = [amount * weight // total for weight in weights]
    parts[-1] += amount - sum(parts)
    return parts


def product_orders(
    payment: Mapping[str, Any], request: Mapping[str, Any], new_id: Callable[[], str]
) -> list[Order]:
    """The product orders of a paid Naver Pay payment, from the window's request: one per
    product of ``naverProducts`` (per option chosen, per supplement), else one for the
    whole payment. Amounts: ``basePrice`` (+ ``optionPrice``) × quantity and the shipping
    group's ``baseFee`` when every line has a price, else the payment's amount split by
    quantity. Never raises: a malformed product is skipped."""
    amount = round(float(payment["amount"]))
    products = request.get("naverProducts")
    lines = _product_lines(products) if isinstance(products, list) else []
    if not lines:
        lines = [
            {
                "product_id": _text(payment["merchant_uid"], "product"),
                "product_name": _text(payment["name"], "상품"),
                "product_option_id": "",
                "product_option_name": "",
                "quantity": 1,
                "unit_price": amount,
            }
        ]
    if all(line["unit_price"] is not None for line in lines):
        for line in lines:
            line["product_amount"] = max(line["unit_price"] * line["quantity"], 0)
            line.setdefault("delivery_amount", 0)
    else:
        for line, part in zip(
            lines, _split(amount, [line["quantity"] for line in lines]), strict=True
        ):
            line.update(product_amount=part, delivery_amount=0)
    paid_at = int(payment["paid_at"] or 0)
    return [
        {
            "product_order_id": new_id(),
            "position": position,
            "product_order_status": PAYED,
            "claim_type": None,
            "claim_status": None,
            "placed": False,
            "holdback": False,
            "product_id": line["product_id"],
            "product_name": line["product_name"],
            "product_option_id": line["product_option_id"],
            "product_option_name": line["product_option_name"],
            "product_amount": line["product_amount"],
            "delivery_amount": line["delivery_amount"],
            "quantity": line["quantity"],
            "shipping_due": paid_at + SHIPPING_DAYS * 86400 if paid_at else None,
            "refunded": 0,
            "details": {},
        }
        for position, line in enumerate(lines)
    ]


# -- the moves --------------------------------------------------------------------------------

# A move: the order and its parameters in, the order's changed fields out (or OrderRefused).
Move = Callable[[Order, Mapping[str, Any], int], dict[str, Any]]


def _open_claim(order: Mapping[str, Any]) -> bool:
    return order["claim_status"] in OPEN_CLAIMS


def _final(order: Mapping[str, Any], english: str) -> None:
    if order["product_order_status"] in FINAL:
        raise _refused(
            "이미 처리가 완료된 상품주문입니다", english + ": the order is closed", order
        )


def _no_claim(order: Mapping[str, Any], english: str) -> None:
    if _open_claim(order):
        raise _refused(
            "처리 중인 클레임이 있는 상품주문입니다", english + ": a claim is open", order
        )


def _details(order: Mapping[str, Any], **values: Any) -> dict[str, Any]:
    details = dict(order.get("details") or {})
    details.update({key: value for key, value in values.items() if value is not None})
    return details


def place(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """발주확인: a paid order the seller will send (it stays ``PAYED``, marked placed)."""
    _final(order, "cannot place")
    _no_claim(order, "cannot place")
    if order["product_order_status"] != PAYED:
        raise _refused(
            "결제완료 상태의 상품주문만 발주처리할 수 있습니다",
            "only a PAYED order is placed",
            order,
        )
    if order["placed"]:
        raise _refused("이미 발주확인된 상품주문입니다", "already placed", order)
    return {"placed": True, "details": _details(order, placed_at=at)}


def ship(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """발송처리: a paid order leaves (``DELIVERING``)."""
    _final(order, "cannot ship")
    _no_claim(order, "cannot ship")
    if order["product_order_status"] != PAYED:
        raise _refused(
            "결제완료 상태의 상품주문만 발송처리할 수 있습니다",
            "only a PAYED order is shipped",
            order,
        )
    return {
        "product_order_status": DELIVERING,
        "placed": True,
        "details": _details(order, shipping=dict(params), shipped_at=at),
    }


def cancel(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """판매취소: the seller refunds an order not sent yet (or one whose buyer asked)."""
    _final(order, "cannot cancel")
    if order["product_order_status"] != PAYED:
        raise _refused(
            "발송된 상품주문은 취소할 수 없습니다 (반품으로 처리해 주세요)",
            "a shipped order is returned, not cancelled",
            order,
        )
    if _open_claim(order) and order["claim_status"] != "CANCEL_REQUEST":
        raise _refused(
            "처리 중인 클레임이 있는 상품주문입니다", "cannot cancel: a claim is open", order
        )
    return _refund(order, CANCELED, CANCEL, "CANCEL_DONE", at, reason=params.get("reason"))


def approve_cancel(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """취소승인: the buyer's cancel request granted, the order refunded."""
    if order["claim_status"] != "CANCEL_REQUEST":
        raise _refused("취소요청된 상품주문이 아닙니다", "no cancel request to approve", order)
    return _refund(order, CANCELED, CANCEL, "CANCEL_DONE", at)


def request_return(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """반품요청 (by the seller for the buyer, or by the buyer): the order comes back."""
    _final(order, "cannot return")
    _no_claim(order, "cannot return")
    if order["product_order_status"] not in (DELIVERING, DELIVERED, EXCHANGED):
        raise _refused(
            "배송중 또는 배송완료된 상품주문만 반품요청할 수 있습니다",
            "only a shipped order is returned",
            order,
        )
    return {
        "claim_type": RETURN,
        "claim_status": "RETURN_REQUEST",
        "holdback": False,
        "details": _details(order, claim=dict(params, requested_at=at)),
    }


def _return_open(order: Mapping[str, Any], english: str) -> None:
    if order["claim_type"] != RETURN or not _open_claim(order):
        raise _refused("반품요청된 상품주문이 아닙니다", english + ": no return request", order)


def approve_return(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """반품승인: the order is returned and refunded (less a withheld extra charge)."""
    _return_open(order, "cannot approve")
    if order["holdback"]:
        raise _refused(
            "반품보류 중인 상품주문입니다 (보류해제 후 승인해 주세요)",
            "the return is withheld: resolve it first",
            order,
        )
    return _refund(order, RETURNED, RETURN, "RETURN_DONE", at, memo=params.get("memo"))


def reject_return(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """반품거절: the return refused; the order stays where it was."""
    _return_open(order, "cannot reject")
    return {
        "claim_status": "RETURN_REJECT",
        "holdback": False,
        "details": _details(order, memo=params.get("memo"), rejected_at=at),
    }


def withhold_return(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """반품보류: the return waits (a fee to settle, the goods not back yet)."""
    _return_open(order, "cannot withhold")
    if order["holdback"]:
        raise _refused("이미 반품보류된 상품주문입니다", "already withheld", order)
    return {
        "holdback": True,
        "details": _details(
            order,
            holdback=dict(params, withheld_at=at),
            extra_charge=int(params.get("extra_charge") or 0),
        ),
    }


def resolve_return(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """반품보류해제: the withheld return may be approved."""
    _return_open(order, "cannot resolve")
    if not order["holdback"]:
        raise _refused("반품보류 중인 상품주문이 아닙니다", "the return is not withheld", order)
    return {"holdback": False, "details": _details(order, resolved_at=at)}


def _exchange(order: Mapping[str, Any], statuses: Sequence[str], korean: str, english: str) -> None:
    if order["claim_type"] != EXCHANGE or order["claim_status"] not in statuses:
        raise _refused(korean, english, order)


def collect_exchanged(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """수거완료 (교환): the goods to exchange are back with the seller."""
    _exchange(
        order,
        ("EXCHANGE_REQUEST", "COLLECTING"),
        "교환요청된 상품주문이 아닙니다",
        "no exchange request to collect",
    )
    return {"claim_status": "COLLECT_DONE", "details": _details(order, collected_at=at)}


def ship_exchanged(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """교환 재발송: the replacement leaves (after the collection)."""
    _exchange(
        order,
        ("COLLECT_DONE",),
        "수거완료된 교환 상품주문이 아닙니다",
        "collect the exchanged goods first",
    )
    return {
        "claim_status": "EXCHANGE_REDELIVERING",
        "details": _details(order, reshipping=dict(params), reshipped_at=at),
    }


# -- the buyer's side (the test kit plays it) -----------------------------------------------


def request_cancel(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """The buyer cancels: at once while the seller has not placed the order (as Naver
    Pay does), else a request the seller approves."""
    _final(order, "cannot cancel")
    _no_claim(order, "cannot cancel")
    if order["product_order_status"] != PAYED:
        raise _refused(
            "발송된 상품주문은 취소할 수 없습니다", "a shipped order cannot be cancelled", order
        )
    if not order["placed"]:
        return _refund(order, CANCELED, CANCEL, "CANCEL_DONE", at, reason=params.get("reason"))
    return {
        "claim_type": CANCEL,
        "claim_status": "CANCEL_REQUEST",
        "details": _details(order, claim=dict(params, requested_at=at)),
    }


def request_exchange(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """The buyer asks for an exchange of a shipped order."""
    _final(order, "cannot exchange")
    _no_claim(order, "cannot exchange")
    if order["product_order_status"] not in (DELIVERING, DELIVERED):
        raise _refused(
            "배송중 또는 배송완료된 상품주문만 교환요청할 수 있습니다",
            "only a shipped order is exchanged",
            order,
        )
    return {
        "claim_type": EXCHANGE,
        "claim_status": "EXCHANGE_REQUEST",
        "details": _details(order, claim=dict(params, requested_at=at)),
    }


def deliver(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """The courier delivered: a shipment (``DELIVERED``) or an exchange's replacement
    (``EXCHANGED``, ``EXCHANGE_DONE``)."""
    if order["claim_status"] == "EXCHANGE_REDELIVERING":
        return {
            "product_order_status": EXCHANGED,
            "claim_status": "EXCHANGE_DONE",
            "details": _details(order, delivered_at=at),
        }
    _no_claim(order, "cannot deliver")
    if order["product_order_status"] != DELIVERING:
        raise _refused("배송중인 상품주문이 아닙니다", "the order is not being delivered", order)
    return {"product_order_status": DELIVERED, "details": _details(order, delivered_at=at)}


def decide(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """구매확정: the buyer keeps a shipped order (the buyer, or the seller's confirm call)."""
    _final(order, "cannot decide")
    _no_claim(order, "cannot decide")
    if order["product_order_status"] not in (DELIVERING, DELIVERED, EXCHANGED):
        raise _refused(
            "발송되지 않은 상품주문은 구매확정할 수 없습니다",
            "only a shipped order is decided",
            order,
        )
    return {"product_order_status": PURCHASE_DECIDED, "details": _details(order, decided_at=at)}


def admin_cancel(order: Order, params: Mapping[str, Any], at: int) -> dict[str, Any]:
    """직권취소: the payment was cancelled in full (``POST /payments/cancel``): every order
    not refunded yet ends with it (the money went back with the payment)."""
    return {
        "product_order_status": CANCELED,
        "claim_type": ADMIN_CANCEL,
        "claim_status": "ADMIN_CANCEL_DONE",
        "holdback": False,
        "details": _details(order, cancelled_at=at),
    }


def _refund(
    order: Order, status: str, claim: str, done: str, at: int, **values: Any
) -> dict[str, Any]:
    return {
        "product_order_status": status,
        "claim_type": claim,
        "claim_status": done,
        "holdback": False,
        "details": _details(order, refunded_at=at, **values),
    }


MOVES: dict[str, Move] = {
    "place": place,
    "ship": ship,
    "cancel": cancel,
    "approve-cancel": approve_cancel,
    "request-return": request_return,
    "approve-return": approve_return,
    "reject-return": reject_return,
    "withhold-return": withhold_return,
    "resolve-return": resolve_return,
    "collect-exchanged": collect_exchanged,
    "ship-exchanged": ship_exchanged,
}
"""The seller's moves, by the last part of their path (``/payments/{imp_uid}/naver/…``)."""

BUYER_MOVES: dict[str, Move] = {
    "request-cancel": request_cancel,
    "request-return": request_return,
    "request-exchange": request_exchange,
    "deliver": deliver,
    "decide": decide,
}
"""The buyer's (and the courier's) moves, which the test kit plays."""


def refund_of(order: Mapping[str, Any], orders: Sequence[Mapping[str, Any]], left: float) -> float:
    """What a refund of ``order`` gives back of the ``left`` of its payment: the order's
    amount and shipping, less a withheld extra charge; everything left when no other order
    of the payment keeps money (so refunding every order refunds the payment in full)."""
    others = [o for o in orders if o["product_order_id"] != order["product_order_id"]]
    if all(o["product_order_status"] in REFUNDED for o in others):
        return max(left, 0)
    extra = int((order.get("details") or {}).get("extra_charge") or 0)
    amount = int(order["product_amount"]) + int(order["delivery_amount"]) - extra
    return max(min(float(amount), left), 0)


def apply(move: Move, order: Order, params: Mapping[str, Any], at: int) -> tuple[Order, bool]:
    """``order`` after ``move`` (OrderRefused if illegal), and whether it is refunded now."""
    changes = move(order, params, at)
    moved = dict(order, **changes)
    refunded = (
        moved["product_order_status"] in REFUNDED and order["product_order_status"] not in REFUNDED
    )
    return moved, refunded and moved["claim_type"] != ADMIN_CANCEL


# -- the payment ---------------------------------------------------------------------------


def cash_amount(payment: Mapping[str, Any]) -> dict[str, int]:
    """What a cash receipt may still cover of a Naver Pay payment: what is left of it, all
    of it by Naver Pay points when the buyer paid with points (``pay_method`` ``point``),
    10/11 of it the supply and the rest VAT."""
    left = 0
    if payment["status"] == "paid":
        left = round(float(payment["amount"]) - float(payment["cancel_amount"] or 0))
    by_point = left if payment["pay_method"] == "point" else 0
    supply = round(left / 1.1)
    return {
        "amount_total": left,
        "amount_by_npoint": by_point,
        "amount_by_primary": left - by_point,
        "amount_supply": supply,
        "amount_vat": left - supply,
    }


def point_amount(payment: Mapping[str, Any]) -> int:
    """The Naver Pay points a paid payment earns the buyer (1 % of what is left, as Naver
    Pay's basic rate), whole won."""
    left = float(payment["amount"]) - float(payment["cancel_amount"] or 0)
    return int(left // 100)


def check_pg(payment: Mapping[str, Any], pgs: Sequence[str]) -> None:
    """Refuse a payment not made with one of ``pgs`` (Iamport's business refusal)."""
    if payment["pg_provider"] in pgs:
        return
    if pgs == PAYMENT_PGS:
        raise PaymentRefused(
            "네이버페이 결제형 결제건이 아닙니다 (not a Naver Pay payment (naverpay): "
            "pg_provider {})".format(payment["pg_provider"])
        )
    raise PaymentRefused(
        "네이버페이 결제건이 아닙니다 (not a Naver Pay payment (naverco or naverpay): "
        "pg_provider {})".format(payment["pg_provider"])
    )


def check_paid(payment: Mapping[str, Any], english: str) -> None:
    """Refuse a payment that is not paid (still open, failed or cancelled in full)."""
    if payment["status"] != "paid":
        raise PaymentRefused(
            "결제완료된 거래건이 아닙니다 ({}: the payment is {})".format(
                english, payment["status"]
            )
        )
