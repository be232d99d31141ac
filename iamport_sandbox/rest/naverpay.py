"""Naver Pay on a payment (``/payments/{imp_uid}/naver/…``, ``/naver/…``): the product
orders of a paid Naver Pay payment and the seller's moves on them (place, ship, cancel,
returns, exchanges), points, purchase confirmation, the cash receipt amount, reviews — the
17 operations of PortOne's v1 document tagged ``naver``.

Product orders are made from the payment the first time they are asked for, from the
window's recorded request (``naverProducts``; :func:`.domain.naverpay.product_orders`).
A move names product orders by ``product_order_id`` (one, a list, or none: every order of
the payment); each is tried on its own, as Iamport asks Naver Pay one by one: all moved,
200 with them; some, 207 with those (``message`` names the others); none, a business
refusal (200, ``code`` 1, each order's reason — the document says 500, the sandbox answers
no 5xx). A refund (cancel, approve-cancel, approve-return) refunds the order's amount
through :func:`.domain.payments.cancel`, with its webhook; refunding the last orders
refunds what is left of the payment.

The buyer's side, which a merchant's tests need to reach the claims (a cancel request, an
exchange request, the delivery, the purchase decision, a review), is the test kit's:
``POST /sandbox/testkit/naver/product-orders/{product_order_id}/{move}`` with the REST
token (:data:`testkit_routes`).
"""

import json
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from iamport_sandbox.domain import naverpay, payments
from iamport_sandbox.domain.errors import PaymentRefused
from iamport_sandbox.fields import (
    Data,
    FieldError,
    number_field,
    query_int,
    read_body,
    read_json,
    text_field,
    timestamp_field,
)
from iamport_sandbox.rest.common import NO_PAYMENT, merchant, not_found, owned_payment
from iamport_sandbox.store import Row, Store, now
from iamport_sandbox.wire import ApiError, envelope

ORDER_ID_FIELD = "product_order_id"
MAX_ORDER_IDS = 100
REVIEW_TYPES = ("general", "premium")
CONFIRM_REQUESTERS = ("admin", "customer")
NO_ORDERS = "네이버페이 상품주문이 없습니다 (the payment has no product orders: it was not paid)"


# -- reading a call -----------------------------------------------------------------------


async def _body(request: Request) -> dict[str, Any]:
    """The JSON or form body; in a form, every ``product_order_id`` (repeated, ``[]`` or
    ``[n]``) is kept, as a list."""
    limit = request.app.state.config.max_body
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return await read_json(request, limit)
    try:
        pairs = parse_qsl((await read_body(request, limit)).decode("utf-8"), True)
    except (UnicodeDecodeError, ValueError):
        raise FieldError("the form is not valid") from None
    data: dict[str, Any] = {}
    ids: list[str] = []
    for key, value in pairs:
        if key == ORDER_ID_FIELD or key.startswith(ORDER_ID_FIELD + "["):
            ids.append(value)
        else:
            data.setdefault(key, value)
    if ids:
        data[ORDER_ID_FIELD] = ids
    return data


def _order_ids(data: Data) -> list[str] | None:
    """The product orders a move names (None: every order of the payment)."""
    value = data.get(ORDER_ID_FIELD)
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str):
        value = [value]
    if (
        not isinstance(value, list)
        or len(value) > MAX_ORDER_IDS
        or not all(isinstance(item, str) and 0 < len(item) <= 40 for item in value)
    ):
        raise FieldError("'product_order_id' must be a string or a list of at most 100 strings")
    return list(dict.fromkeys(value))


def _code(data: Data, name: str, codes: Sequence[str], default: str) -> str:
    """A reason code: an unknown one takes the default, as the document says."""
    value = data.get(name)
    return value if isinstance(value, str) and value in codes else default


def _one_of(data: Data, name: str, codes: Sequence[str], required: bool = True) -> str | None:
    value = text_field(data, name, required=required, max_length=40)
    if value is not None and value not in codes:
        raise FieldError("'{}' must be one of {}".format(name, ", ".join(codes)))
    return value


def _delivery(data: Data, methods: Sequence[str], tracked: bool) -> dict[str, Any]:
    """A shipment's (or a return's) way: method, and for ``DELIVERY`` the company and the
    tracking number (``tracked``: required then, as the document says)."""
    method = _one_of(data, "delivery_method", methods)
    needed = tracked and method == "DELIVERY"
    return {
        "delivery_method": method,
        "delivery_company": _one_of(
            data, "delivery_company", naverpay.DELIVERY_COMPANIES, required=needed
        ),
        "tracking_number": text_field(data, "tracking_number", required=needed, max_length=50),
    }


def _memo(data: Data, required: bool) -> dict[str, Any]:
    return {"memo": text_field(data, "memo", required=required, max_length=500)}


# Each seller move's parameters, read (400 when unreadable) before anything is looked up.
PARAMS: dict[str, Callable[[Data], dict[str, Any]]] = {
    "place": lambda data: {},
    "ship": lambda data: dict(
        _delivery(data, naverpay.DELIVERY_METHODS, tracked=True),
        dispatched_at=timestamp_field(data, "dispatched_at"),
    ),
    "cancel": lambda data: {
        "reason": _code(data, "reason", naverpay.CANCEL_REASONS, "PRODUCT_UNSATISFIED")
    },
    "approve-cancel": lambda data: {},
    "request-return": lambda data: dict(
        _delivery(data, naverpay.RETURN_DELIVERY_METHODS, tracked=False),
        reason=_code(data, "reason", naverpay.RETURN_REASONS, "INTENT_CHANGED"),
    ),
    "approve-return": lambda data: _memo(data, required=False),
    "reject-return": lambda data: _memo(data, required=True),
    "withhold-return": lambda data: dict(
        _memo(data, required=True),
        reason=_code(data, "reason", naverpay.WITHHOLD_REASONS, "ETC"),
        extra_charge=number_field(data, "extra_charge", required=False, allow_text=True) or 0,
    ),
    "resolve-return": lambda data: {},
    "collect-exchanged": lambda data: {},
    "ship-exchanged": lambda data: _delivery(data, naverpay.DELIVERY_METHODS, tracked=True),
}


# -- product orders -------------------------------------------------------------------------


def _new_id(store: Store, taken: set[str]) -> str:
    """A Naver Pay product order number: the date (KST) and 8 random digits, unused."""
    day = time.strftime("%Y%m%d", time.gmtime(now() + 9 * 3600))
    while True:
        number = day + "".join(secrets.choice("0123456789") for _ in range(8))
        if number not in taken and not store.naver_order_id_taken(number):
            taken.add(number)
            return number


def _request_of(payment: Row) -> dict[str, Any]:
    try:
        request = json.loads(payment["request_json"] or "{}")
    except ValueError:
        return {}
    return request if isinstance(request, dict) else {}


def current(store: Store, payment: Row) -> Row:
    """``payment`` as the store has it now (read again inside a transaction)."""
    return store.payment(payment["merchant_id"], payment["imp_uid"]) or payment


def orders_of(store: Store, payment: Row) -> list[Row]:
    """The payment's product orders: made from it once it is paid; each order a full
    cancel of the payment (``POST /payments/cancel``) left behind ends as ``ADMIN_CANCEL``.
    Call in a transaction."""
    mid, imp_uid = payment["merchant_id"], payment["imp_uid"]
    orders = store.naver_orders(mid, imp_uid)
    if not orders and payment["paid_at"] and payment["status"] in ("paid", "cancelled"):
        taken: set[str] = set()
        made = naverpay.product_orders(payment, _request_of(payment), lambda: _new_id(store, taken))
        orders = store.add_naver_orders(mid, imp_uid, made)
    if payment["status"] == "cancelled":
        at = now()
        orders = [
            order
            if order["product_order_status"] in naverpay.REFUNDED
            else store.update_naver_order(
                mid, order["product_order_id"], naverpay.admin_cancel(order, {}, at)
            )
            or order
            for order in orders
        ]
    return orders


def show_order(order: Mapping[str, Any], payment: Mapping[str, Any]) -> dict[str, Any]:
    """A product order as the REST API shows it (``NaverProductOrderAnnotation``); the
    orderer and the address are the payment's buyer."""
    buyer = payment["buyer_name"] or ""
    tel = payment["buyer_tel"] or ""
    email = payment["buyer_email"] or ""
    return {
        "product_order_id": order["product_order_id"],
        "product_order_status": order["product_order_status"],
        "claim_type": order["claim_type"],
        "claim_status": order["claim_status"],
        "product_id": order["product_id"],
        "product_name": order["product_name"],
        "product_option_id": order["product_option_id"],
        "product_option_name": order["product_option_name"],
        "product_amount": order["product_amount"],
        "delivery_amount": order["delivery_amount"],
        "quantity": order["quantity"],
        "orderer": {
            "name": buyer,
            # Naver shows a masked Naver ID: the sandbox masks the buyer's e-mail name.
            "id": (email.split("@")[0][:4] or "user") + "****",
            "tel": tel,
        },
        "shipping_address": {
            "base": payment["buyer_addr"] or "",
            "detail": "",
            "postcode": payment["buyer_postcode"] or "",
            "tel1": tel,
            "tel2": "",
            "name": buyer,
        },
        "shipping_memo": None,
        "shipping_due": order["shipping_due"],
        "individual_code": None,
    }


def _apply(
    store: Store,
    payment: Row,
    orders: list[Row],
    order: Row,
    move: naverpay.Move,
    params: Mapping[str, Any],
) -> tuple[Row, Row]:
    """One order moved and stored, refunded when the move refunds it: ``(payment, order)``
    (OrderRefused when illegal)."""
    moved, refund = naverpay.apply(move, order, params, now())
    if refund:
        left = float(payment["amount"]) - float(payment["cancel_amount"])
        amount = naverpay.refund_of(order, orders, left)
        if amount > 0:
            reason = "네이버페이 상품주문 {} 환불 (Naver Pay product order refunded)".format(
                order["product_order_id"]
            )
            payment = payments.cancel(store, payment, amount, reason)
        moved["refunded"] = amount
    saved = store.update_naver_order(payment["merchant_id"], order["product_order_id"], moved)
    assert saved is not None  # it was just read in this transaction
    return payment, saved


def _moves_answer(moved: list[dict[str, Any]], failures: list[str]) -> Response:
    if not moved:
        raise PaymentRefused(" / ".join(failures))
    if not failures:
        return envelope(moved)
    message = "일부 상품주문 처리 실패 (some product orders did not move): " + " / ".join(failures)
    return JSONResponse({"code": 0, "message": message, "response": moved}, status_code=207)


def run_moves(
    store: Store,
    payment: Row,
    moves: Mapping[str, naverpay.Move],
    name: str,
    wanted: list[str] | None,
    params: Mapping[str, Any],
) -> Response:
    """Move each product order named (every one when ``wanted`` is None), one by one, in
    one transaction."""
    with store.transaction():
        payment = current(store, payment)
        naverpay.check_pg(payment, naverpay.ORDER_PGS)
        orders = orders_of(store, payment)
        if not orders:
            raise PaymentRefused(NO_ORDERS)
        by_id = {order["product_order_id"]: order for order in orders}
        failures: list[str] = []
        moved: list[Row] = []
        for product_order_id in wanted or list(by_id):
            order = by_id.get(product_order_id)
            if order is None:
                failures.append(
                    "존재하지 않는 상품주문번호입니다 (no product order {} in this payment)".format(
                        product_order_id
                    )
                )
                continue
            try:
                payment, saved = _apply(
                    store, payment, list(by_id.values()), order, moves[name], params
                )
            except naverpay.OrderRefused as refused:
                failures.append(refused.message)
                continue
            by_id[product_order_id] = saved
            moved.append(saved)
        return _moves_answer([show_order(order, payment) for order in moved], failures)


def _seller_move(name: str) -> Callable[[Request], Any]:
    async def move(request: Request) -> Response:
        found = merchant(request)
        payment = owned_payment(request, found)
        data = await _body(request)
        params = PARAMS[name](data)
        wanted = _order_ids(data)
        return run_moves(request.app.state.store, payment, naverpay.MOVES, name, wanted, params)

    move.__name__ = "naver_" + name.replace("-", "_")
    move.__doc__ = "``POST /payments/{{imp_uid}}/naver/{}``".format(name)
    return move


async def product_orders(request: Request) -> Response:
    """``GET /payments/{imp_uid}/naver/product-orders``: every product order of the payment
    (none while it is not paid)."""
    found = merchant(request)
    payment = owned_payment(request, found)
    store: Store = request.app.state.store
    with store.transaction():
        payment = current(store, payment)
        naverpay.check_pg(payment, naverpay.ORDER_PGS)
        orders = orders_of(store, payment)
    return envelope([show_order(order, payment) for order in orders])


def _order_and_payment(store: Store, found: Row, product_order_id: str) -> tuple[Row, Row]:
    with store.transaction():
        order = store.naver_order(found["id"], product_order_id)
        payment = order and store.payment(found["id"], order["imp_uid"])
        if order is None or payment is None:
            raise not_found(
                "존재하지 않는 상품주문번호입니다 (no such product order: {})".format(
                    product_order_id
                )
            )
        orders = orders_of(store, payment)
    return next(o for o in orders if o["product_order_id"] == product_order_id), payment


async def product_order(request: Request) -> Response:
    """``GET /naver/product-orders/{product_order_id}``: one of the merchant's orders."""
    found = merchant(request)
    order, payment = _order_and_payment(
        request.app.state.store, found, request.path_params["product_order_id"]
    )
    return envelope(show_order(order, payment))


# -- the payment itself (결제형) ----------------------------------------------------------------


async def point(request: Request) -> Response:
    """``POST /payments/{imp_uid}/naver/point``: the buyer's Naver Pay points, once."""
    found = merchant(request)
    payment = owned_payment(request, found)
    store: Store = request.app.state.store
    with store.transaction():
        payment = current(store, payment)
        naverpay.check_pg(payment, naverpay.PAYMENT_PGS)
        naverpay.check_paid(payment, "no points")
        mark = store.naver_payment(found["id"], payment["imp_uid"])
        if mark and mark["point_at"]:
            raise PaymentRefused(
                "이미 포인트가 적립된 결제건입니다 (points already deposited for this payment)"
            )
        store.mark_naver_payment(
            found["id"],
            payment["imp_uid"],
            {"point_amount": naverpay.point_amount(payment), "point_at": now()},
        )
    return envelope(None)


async def confirm(request: Request) -> Response:
    """``POST /payments/{imp_uid}/naver/confirm``: purchase confirmed (구매확정), once; its
    shipped product orders become ``PURCHASE_DECIDED``."""
    found = merchant(request)
    payment = owned_payment(request, found)
    data = await _body(request)
    requester = _code(data, "requester", CONFIRM_REQUESTERS, "admin")
    store: Store = request.app.state.store
    with store.transaction():
        payment = current(store, payment)
        naverpay.check_pg(payment, naverpay.PAYMENT_PGS)
        naverpay.check_paid(payment, "cannot confirm")
        mark = store.naver_payment(found["id"], payment["imp_uid"])
        if mark and mark["confirmed_at"]:
            raise PaymentRefused("이미 구매확정된 결제건입니다 (purchase already confirmed)")
        at = now()
        for order in orders_of(store, payment):
            try:
                moved, _ = naverpay.apply(naverpay.decide, order, {}, at)
            except naverpay.OrderRefused:
                continue  # not shipped, or claimed: it stays as it is
            store.update_naver_order(found["id"], order["product_order_id"], moved)
        store.mark_naver_payment(
            found["id"], payment["imp_uid"], {"confirmed_at": at, "confirmed_by": requester}
        )
    return envelope(None)


async def cash_amount(request: Request) -> Response:
    """``GET /payments/{imp_uid}/naver/cash-amount``: what a cash receipt may cover. Any
    payment that is not the merchant's Naver Pay (결제형) payment is a 400, as the document
    answers it (it lists no 404 here)."""
    found = merchant(request)
    store: Store = request.app.state.store
    payment = store.payment(found["id"], request.path_params["imp_uid"])
    if payment is None:
        raise ApiError(400, NO_PAYMENT, code=1)
    if payment["pg_provider"] not in naverpay.PAYMENT_PGS:
        raise ApiError(
            400,
            "네이버페이 결제형 거래가 아닙니다 (not a Naver Pay (naverpay) payment: "
            "pg_provider {})".format(payment["pg_provider"]),
            code=1,
        )
    return envelope(naverpay.cash_amount(payment))


# -- reviews -----------------------------------------------------------------------------------


def show_review(row: Mapping[str, Any]) -> dict[str, Any]:
    """A review as the REST API shows it (``NaverReviewAnnotation``)."""
    return {
        name: row[name]
        for name in (
            "review_id",
            "score",
            "title",
            "content",
            "product_order_id",
            "product_id",
            "product_name",
            "product_option_name",
            "writer",
            "created_at",
            "modified_at",
        )
    }


async def reviews(request: Request) -> Response:
    """``GET /naver/reviews?from=&to=&review_type=``: the buyers' reviews in that time."""
    found = merchant(request)
    since = query_int(request, "from")
    until = query_int(request, "to")
    review_type = request.query_params.get("review_type")
    if since is None or until is None:
        raise FieldError("'from' and 'to' (UNIX timestamps) are required")
    if review_type not in REVIEW_TYPES:
        raise FieldError("'review_type' must be general or premium")
    rows = request.app.state.store.naver_reviews(found["id"], since, until, review_type)
    return envelope([show_review(row) for row in rows])


# -- the buyer's side, for tests ---------------------------------------------------------------


def _review(store: Store, found: Row, order: Row, data: Data) -> Response:
    if order["product_order_status"] != naverpay.PURCHASE_DECIDED:
        raise PaymentRefused(
            "구매확정된 상품주문만 구매평을 쓸 수 있습니다 (only a decided order is reviewed)"
        )
    review_type = _one_of(data, "review_type", REVIEW_TYPES, required=False) or "general"
    score = number_field(data, "score", allow_text=True, minimum=1)
    if score not in (1, 2, 3, 4, 5):
        raise FieldError("'score' must be 1 to 5")
    row = store.add_naver_review(
        found["id"],
        {
            "review_id": "sandbox_review_" + secrets.token_hex(6),
            "review_type": review_type,
            "score": str(score),
            "title": text_field(data, "title", max_length=200),
            "content": text_field(
                data, "content", required=review_type == "premium", max_length=2000
            ),
            "product_order_id": order["product_order_id"],
            "product_id": order["product_id"],
            "product_name": order["product_name"],
            "product_option_name": order["product_option_name"],
            "writer": text_field(data, "writer", required=False, max_length=40) or "sand****",
            "created_at": now(),
            "modified_at": None,
        },
    )
    return envelope(show_review(row or {}))


async def buyer_move(request: Request) -> Response:
    """``POST /sandbox/testkit/naver/product-orders/{product_order_id}/{move}``: what the
    buyer (or the courier) does: ``request-cancel``, ``request-return``,
    ``request-exchange``, ``deliver``, ``decide`` or ``review``."""
    found = merchant(request)
    name = request.path_params["move"]
    if name not in naverpay.BUYER_MOVES and name != "review":
        raise ApiError(
            404, "unknown move: one of {}, review".format(", ".join(naverpay.BUYER_MOVES))
        )
    data = await _body(request)
    store: Store = request.app.state.store
    order, payment = _order_and_payment(store, found, request.path_params["product_order_id"])
    if name == "review":
        return _review(store, found, order, data)
    params: dict[str, Any] = {
        "reason": text_field(data, "reason", required=False, max_length=40) or "INTENT_CHANGED"
    }
    return run_moves(
        store, payment, naverpay.BUYER_MOVES, name, [order["product_order_id"]], params
    )


routes = [
    *(
        Route("/payments/{imp_uid}/naver/" + name, _seller_move(name), methods=["POST"])
        for name in naverpay.MOVES
    ),
    Route("/payments/{imp_uid}/naver/point", point, methods=["POST"]),
    Route("/payments/{imp_uid}/naver/confirm", confirm, methods=["POST"]),
    Route("/payments/{imp_uid}/naver/product-orders", product_orders, methods=["GET"]),
    Route("/payments/{imp_uid}/naver/cash-amount", cash_amount, methods=["GET"]),
    Route("/naver/product-orders/{product_order_id}", product_order, methods=["GET"]),
    Route("/naver/reviews", reviews, methods=["GET"]),
]
"""The 17 operations, as the REST API's route table takes them."""

testkit_routes = [
    Route(
        "/sandbox/testkit/naver/product-orders/{product_order_id}/{move}",
        buyer_move,
        methods=["POST"],
    ),
]
"""The buyer's side of Naver Pay, for tests (mounted beside the test kit's calls)."""
