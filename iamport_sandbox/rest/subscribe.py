"""Recurring payments: billing keys (``/subscribe/customers``), charges with card data or a
key (``/subscribe/payments/onetime``, ``/foreign``, ``/again``), and payment schedules,
which :mod:`.scheduler` executes when they fall due (:func:`charge_schedule`), and which
can be moved while they wait, rescheduled or retried when their payment failed.

Card data (``card_number``, ``expiry``, ``birth``, ``pwd_2digit``, ``cvc``) is checked
for its shape and then dropped: only the masked number (first 6, last 4 digits) and the
card company it names are stored or answered.
"""

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox import payment_views
from iamport_sandbox.domain import payments
from iamport_sandbox.domain.errors import PaymentError
from iamport_sandbox.fields import (
    Data,
    FieldError,
    amount_field,
    currency_field,
    digits_field,
    expiry_field,
    list_field,
    query_int,
    query_list,
    text_field,
    timestamp_field,
)
from iamport_sandbox.rest.common import (
    body,
    collection,
    merchant,
    not_found,
    page_of,
    pg_setting,
    show,
)
from iamport_sandbox.store import Row, Store
from iamport_sandbox.wire import ApiError, envelope, refusal

CUSTOMER_FIELDS = (
    "customer_name",
    "customer_tel",
    "customer_email",
    "customer_addr",
    "customer_postcode",
)
ORDER_FIELDS = ("name", "buyer_name", "buyer_email", "buyer_tel", "buyer_addr", "buyer_postcode")
SCHEDULE_STATUSES = ("scheduled", "executed", "revoked")
NO_BILLING_KEY = "등록되지 않은 customer_uid입니다 (no billing key)"
NOTHING_TO_UNSCHEDULE = "취소할 예약결제 기록이 존재하지 않습니다."
MAX_SCHEDULES = 100


# -- card data: checked, masked, dropped -------------------------------------------------


def card_of(data: Data, birth_required: bool = True) -> dict[str, Any]:
    """The masked card details of the card data in ``data`` (a business refusal for an
    expired card). Nothing of the raw data leaves this function."""
    digits = digits_field(data, "card_number", range(13, 20), separators="- ")
    assert digits is not None  # a required field
    year, month = expiry_field(data)
    digits_field(data, "birth", (6, 10), required=birth_required)
    digits_field(data, "pwd_2digit", (2,), required=False)
    digits_field(data, "cvc", (3, 4), required=False)
    today = time.gmtime(time.time() + 9 * 3600)  # KST, as the card companies count
    if (year, month) < (today.tm_year, today.tm_mon):
        raise refusal("유효기간이 만료된 카드입니다 (the card has expired)")
    return payments.card_details(digits)


# -- billing keys ---------------------------------------------------------------------------


def show_key(key: Row) -> dict[str, Any]:
    """A billing key as Iamport shows it (the card masked)."""
    return {
        "customer_uid": key["customer_uid"],
        "pg_provider": key["pg_provider"],
        "pg_id": key["pg_id"],
        "card_name": key["card_name"],
        "card_code": key["card_code"],
        "card_number": key["card_number"],
        "card_type": key["card_type"],
        "card_issuer_code": key["card_code"],
        "card_issuer_name": key["card_name"],
        "card_publisher_code": key["card_code"],
        "card_publisher_name": key["card_name"],
        **{name: key[name] for name in CUSTOMER_FIELDS},
        "inserted": key["created_at"],
        "updated": key["updated_at"] or key["created_at"],
    }


def _customer_uid(request: Request) -> str:
    customer_uid: str = request.path_params["customer_uid"]
    if len(customer_uid) > 80:
        raise ApiError(400, "'customer_uid' is longer than 80 characters")
    return customer_uid


def _register(
    store: Store, found: Row, customer_uid: str, data: Data, birth_required: bool = True
) -> Row:
    """Save a billing key from the card data in ``data``; returns it."""
    card = card_of(data, birth_required)
    values = dict(card, **pg_setting(store, found, data))
    for name in CUSTOMER_FIELDS:
        values[name] = text_field(data, name, required=False, max_length=200)
    key = store.register_billing_key(found["id"], customer_uid, values)
    assert key is not None  # just written, in the caller's transaction
    return key


def _key_or_404(store: Store, found: Row, customer_uid: str) -> Row:
    key = store.billing_key(found["id"], customer_uid)
    if key is None:
        raise not_found("등록된 빌링키가 없습니다 (no billing key for this customer_uid)")
    return key


async def post_customer(request: Request) -> Response:
    found = merchant(request)
    customer_uid = _customer_uid(request)
    data = await body(request)
    store = request.app.state.store
    with store.transaction():
        return envelope(show_key(_register(store, found, customer_uid, data)))


async def get_customer(request: Request) -> Response:
    found = merchant(request)
    key = _key_or_404(request.app.state.store, found, _customer_uid(request))
    return envelope(show_key(key))


async def delete_customer(request: Request) -> Response:
    """Delete a billing key; refused while it has schedules waiting (unschedule first)."""
    found = merchant(request)
    customer_uid = _customer_uid(request)
    store = request.app.state.store
    with store.transaction():
        key = _key_or_404(store, found, customer_uid)
        if store.scheduled_of(found["id"], customer_uid):
            raise refusal(
                "예약된 결제가 있는 빌링키는 삭제할 수 없습니다 (the billing key has "
                "scheduled payments: unschedule them first)"
            )
        store.delete_billing_key(found["id"], customer_uid)
    return envelope(show_key(key))


async def get_customers(request: Request) -> Response:
    """``/subscribe/customers?customer_uid[]=…``: the keys found among those asked."""
    found = merchant(request)
    keys = request.app.state.store.billing_keys(found["id"], query_list(request, "customer_uid"))
    if not keys:
        raise not_found("등록된 빌링키가 없습니다 (no billing key for these customer_uids)")
    return envelope([show_key(key) for key in keys])


async def customer_payments(request: Request) -> Response:
    """The payments made with one billing key (its issue included), newest first."""
    found = merchant(request)
    customer_uid = _customer_uid(request)
    store = request.app.state.store
    page, limit = page_of(request)
    total, rows = store.payments_page(found["id"], page, limit, customer_uid=customer_uid)
    if not total and store.billing_key(found["id"], customer_uid) is None:
        raise not_found("등록된 빌링키가 없습니다 (no billing key for this customer_uid)")
    return collection(total, rows, page, limit, lambda row: show(request, row))


# -- charges ----------------------------------------------------------------------------------


def _order(data: Data, customer_uid: str | None = None) -> dict[str, Any]:
    """The order fields of a charge: ``merchant_uid``, a checked ``amount``, …"""
    currency = currency_field(data)
    order = {
        "merchant_uid": text_field(data, "merchant_uid", max_length=40),
        # A charge has no billing-key-only form: 0 is refused, unlike in a window.
        "amount": amount_field(data, currency, allow_text=True),
        "currency": currency,
        "customer_uid": customer_uid,
        "custom_data": data.get("custom_data"),
        "notice_url": list_field(data, "notice_url", required=False),
    }
    if "card_quota" in data:
        order["card_quota"] = data["card_quota"]
    for name in ORDER_FIELDS:
        order[name] = text_field(data, name, required=False, max_length=200)
    return order


def _onetime(birth_required: bool) -> Callable[[Request], Awaitable[Response]]:
    async def onetime(request: Request) -> Response:
        """A charge with card data; with ``customer_uid`` the card is also saved as a key."""
        found = merchant(request)
        data = await body(request)
        store = request.app.state.store
        customer_uid = text_field(data, "customer_uid", required=False, max_length=80)
        order = _order(data, customer_uid)
        with store.transaction():
            if customer_uid:
                card = _register(store, found, customer_uid, data, birth_required)
            else:
                card = dict(card_of(data, birth_required), **pg_setting(store, found, data))
            payment = payments.charge_card(store, found, card, order, "issue")
        return envelope(show(request, payment))

    return onetime


async def again(request: Request) -> Response:
    """``/subscribe/payments/again``: charge a saved billing key."""
    found = merchant(request)
    data = await body(request)
    store = request.app.state.store
    customer_uid = text_field(data, "customer_uid", max_length=80)
    key = store.billing_key(found["id"], customer_uid)
    if key is None:
        raise refusal(NO_BILLING_KEY)
    payment = payments.charge_card(store, found, key, _order(data, customer_uid), "payment")
    return envelope(show(request, payment))


# -- schedules ------------------------------------------------------------------------------


def show_schedule(row: Row) -> dict[str, Any]:
    """A schedule as Iamport shows it (``payment_status`` null until it runs)."""
    return {
        "customer_uid": row["customer_uid"],
        "merchant_uid": row["merchant_uid"],
        "imp_uid": row["imp_uid"],
        "schedule_at": row["schedule_at"],
        "executed_at": row["executed_at"] or 0,
        "revoked_at": row["revoked_at"] or 0,
        "amount": payment_views.as_amount(row["amount"]),
        "currency": row["currency"],
        **{name: row[name] for name in ORDER_FIELDS},
        "custom_data": row["custom_data"],
        "schedule_status": row["schedule_status"],
        "payment_status": row["payment_status"],
        "fail_reason": row["fail_reason"],
    }


def _schedule_values(item: object) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ApiError(400, "each of 'schedules' must be an object")
    currency = currency_field(item)
    values = {
        "merchant_uid": text_field(item, "merchant_uid", max_length=40),
        "schedule_at": timestamp_field(item, "schedule_at"),
        "amount": amount_field(item, currency, allow_text=True),
        "currency": currency,
        "notice_url": list_field(item, "notice_url", required=False),
    }
    custom = item.get("custom_data")
    # Kept as a payment keeps it (JSON text), and handed to the payment as it came.
    values["custom_data"] = None if custom is None else json.dumps(custom, ensure_ascii=False)
    for name in ORDER_FIELDS:
        values[name] = text_field(item, name, required=False, max_length=200)
    return values


async def schedule(request: Request) -> Response:
    """Schedule charges of a billing key (registered here first when card data is sent).
    All or nothing: one merchant_uid already scheduled or paid refuses the request."""
    found = merchant(request)
    data = await body(request)
    store = request.app.state.store
    customer_uid = text_field(data, "customer_uid", max_length=80)
    items = data.get("schedules")
    if not isinstance(items, list) or not 0 < len(items) <= MAX_SCHEDULES:
        raise ApiError(400, "'schedules' must be a list of 1 to {} schedules".format(MAX_SCHEDULES))
    rows = [_schedule_values(item) for item in items]
    uids = [row["merchant_uid"] for row in rows]
    if len(set(uids)) != len(uids):
        raise ApiError(400, "each schedule needs its own merchant_uid")
    with store.transaction():
        if data.get("card_number"):
            _register(store, found, customer_uid, data)
        if store.billing_key(found["id"], customer_uid) is None:
            raise refusal(NO_BILLING_KEY)
        for uid in uids:
            current = store.schedule(found["id"], uid)
            if current is not None and current["schedule_status"] != "revoked":
                raise refusal("이미 예약된 merchant_uid입니다: {} (already scheduled)".format(uid))
            if store.payment_by_merchant_uid(found["id"], uid, "paid"):
                raise refusal("{}: {}".format(payments.ALREADY_PAID, uid))
        added = [
            store.add_schedule(found["id"], dict(row, customer_uid=customer_uid)) for row in rows
        ]
    return envelope([show_schedule(row) for row in added])


def _unschedule_uids(data: Data) -> list[str] | None:
    if "merchant_uid[]" in data:  # a form body's list
        data = dict(data, merchant_uid=data["merchant_uid[]"])
    return list_field(data, "merchant_uid", required=False)


async def unschedule(request: Request) -> Response:
    """Revoke the customer's waiting schedules (those of ``merchant_uid`` only, if given)."""
    found = merchant(request)
    data = await body(request)
    store = request.app.state.store
    customer_uid = text_field(data, "customer_uid", max_length=80)
    uids = _unschedule_uids(data)
    when = request.app.state.config.clock.now()
    with store.transaction():
        waiting = store.scheduled_of(found["id"], customer_uid, uids)
        if not waiting:
            raise refusal(NOTHING_TO_UNSCHEDULE)
        revoked = [
            store.update_schedule(
                found["id"], row["merchant_uid"], {"schedule_status": "revoked", "revoked_at": when}
            )
            for row in waiting
        ]
    return envelope([show_schedule(row) for row in revoked])


def _schedule_or_404(store: Store, found: Row, merchant_uid: str) -> Row:
    row = store.schedule(found["id"], merchant_uid)
    if row is None:
        raise not_found("예약결제 정보가 없습니다 (no such schedule)")
    return row


async def get_schedule(request: Request) -> Response:
    found = merchant(request)
    row = _schedule_or_404(request.app.state.store, found, request.path_params["merchant_uid"])
    return envelope(show_schedule(row))


# -- a schedule changed, rescheduled or retried ----------------------------------------------


def schedule_order(row: Row) -> dict[str, Any]:
    """The order a schedule charges, as :func:`payments.charge_card` takes it."""
    order = {name: row[name] for name in ("merchant_uid", "currency", "customer_uid")}
    order.update({name: row[name] for name in ORDER_FIELDS})
    order.update(
        amount=payment_views.as_amount(row["amount"]),
        custom_data=json.loads(row["custom_data"]) if row["custom_data"] else None,
        notice_url=json.loads(row["notice_url"]) if row["notice_url"] else None,
    )
    return order


def charge_schedule(store: Store, row: Row, when: int, usage: str) -> tuple[Row, Row | None]:
    """Charge a schedule's billing key now and record the outcome on the schedule, in the
    caller's transaction: ``(schedule, payment)`` (``payment`` None when nothing could be
    charged: the key or the merchant is gone, or the order was paid meanwhile)."""
    mid = row["merchant_id"]
    key = store.billing_key(mid, row["customer_uid"])
    values: dict[str, Any] = {"schedule_status": "executed", "executed_at": when}
    found = store.merchant_by_id(mid)
    payment = None
    if key is None or found is None:
        values.update(
            payment_status="failed",
            fail_reason="빌링키가 삭제되었습니다 (the billing key is gone)",
        )
    else:
        try:
            payment = payments.charge_card(store, found, key, schedule_order(row), usage)
        except (PaymentError, FieldError) as refused:
            values.update(payment_status="failed", fail_reason=refused.message)
        else:
            values.update(
                imp_uid=payment["imp_uid"],
                payment_status=payment["status"],
                fail_reason=payment["fail_reason"],
            )
    changed = store.update_schedule(mid, row["merchant_uid"], values)
    assert changed is not None  # read in the caller's transaction
    return changed, payment


def schedule_refusal(message: str) -> ApiError:
    """A schedule that cannot be changed so, or a time already past: 400 with code 1, as
    the official document lists these refusals (unlike the older operations' 200)."""
    return ApiError(400, message, code=1)


def _future(data: Data, when: int) -> int:
    schedule_at = timestamp_field(data, "schedule_at")
    assert schedule_at is not None  # required
    if schedule_at <= when:
        raise schedule_refusal(
            "예약시각이 현재 시각보다 과거입니다 (schedule_at must be in the future)"
        )
    return schedule_at


def _failed_run(row: Row) -> Row:
    if row["schedule_status"] != "executed" or row["payment_status"] != "failed":
        raise schedule_refusal(
            "결제에 실패한 예약건이 아닙니다 (only a schedule whose payment failed; "
            "schedule_status: {}, payment_status: {})".format(
                row["schedule_status"], row["payment_status"]
            )
        )
    return row


def _waiting(row: Row) -> Row:
    if row["schedule_status"] != "scheduled":
        raise schedule_refusal(
            "이미 실행 혹은 취소된 결제예약입니다 (the schedule is {})".format(
                row["schedule_status"]
            )
        )
    return row


# What a failed run's schedule becomes when rescheduled: waiting, as if it never ran.
RESCHEDULED = {
    "schedule_status": "scheduled",
    "payment_status": None,
    "fail_reason": None,
    "imp_uid": None,
    "executed_at": None,
}


async def _new_time(
    request: Request, allowed: Callable[[Row], Row], values: dict[str, Any]
) -> Response:
    """The path's schedule, if ``allowed`` lets it, at the body's ``schedule_at`` (in the
    future) with ``values``."""
    found = merchant(request)
    data = await body(request)
    store = request.app.state.store
    with store.transaction():
        row = allowed(_schedule_or_404(store, found, request.path_params["merchant_uid"]))
        when = _future(data, request.app.state.config.clock.now())
        row = store.update_schedule(
            found["id"], row["merchant_uid"], dict(values, schedule_at=when)
        )
    return envelope(show_schedule(row))


async def change_schedule(request: Request) -> Response:
    """``PUT /subscribe/payments/schedule/{merchant_uid}``: another ``schedule_at`` for a
    schedule still waiting."""
    return await _new_time(request, _waiting, {})


async def reschedule(request: Request) -> Response:
    """``POST …/{merchant_uid}/reschedule``: a schedule whose payment failed waits again,
    for ``schedule_at``."""
    return await _new_time(request, _failed_run, RESCHEDULED)


async def retry(request: Request) -> Response:
    """``POST …/{merchant_uid}/retry``: charge a schedule whose payment failed again, now;
    the answer is the new payment (paid or failed, as its ``status`` says)."""
    found = merchant(request)
    store = request.app.state.store
    when = request.app.state.config.clock.now()
    with store.transaction():
        row = _failed_run(_schedule_or_404(store, found, request.path_params["merchant_uid"]))
        if store.billing_key(found["id"], row["customer_uid"]) is None:
            raise not_found("등록된 빌링키가 없습니다 (no billing key for this schedule)")
        row, payment = charge_schedule(store, row, when, "payment.scheduled")
        if payment is None:  # the order was paid meanwhile
            raise schedule_refusal(row["fail_reason"])
    return envelope(show(request, payment))


def _schedule_status(request: Request, name: str) -> str | None:
    status = request.query_params.get(name) or None
    if status not in (None, *SCHEDULE_STATUSES):
        raise ApiError(400, "'{}' must be scheduled, executed or revoked".format(name))
    return status


async def schedules_between(request: Request) -> Response:
    """``/subscribe/payments/schedule?schedule_from&schedule_to``: by ``schedule_at``."""
    found = merchant(request)
    page, limit = page_of(request)
    total, rows = request.app.state.store.schedules_page(
        found["id"],
        page,
        limit,
        since=query_int(request, "schedule_from"),
        until=query_int(request, "schedule_to"),
        status=_schedule_status(request, "schedule_status"),
    )
    return collection(total, rows, page, limit, show_schedule)


async def customer_schedules(request: Request) -> Response:
    """One customer's schedules (``from``/``to`` on ``schedule_at``, ``schedule-status``)."""
    found = merchant(request)
    page, limit = page_of(request)
    total, rows = request.app.state.store.schedules_page(
        found["id"],
        page,
        limit,
        customer_uid=_customer_uid(request),
        since=query_int(request, "from"),
        until=query_int(request, "to"),
        status=_schedule_status(request, "schedule-status"),
    )
    return collection(total, rows, page, limit, show_schedule)


routes = [
    Route("/subscribe/customers", get_customers, methods=["GET"]),
    Route("/subscribe/customers/{customer_uid}", get_customer, methods=["GET"]),
    Route("/subscribe/customers/{customer_uid}", post_customer, methods=["POST"]),
    Route("/subscribe/customers/{customer_uid}", delete_customer, methods=["DELETE"]),
    Route("/subscribe/customers/{customer_uid}/payments", customer_payments, methods=["GET"]),
    Route("/subscribe/customers/{customer_uid}/schedules", customer_schedules, methods=["GET"]),
    Route("/subscribe/payments/onetime", _onetime(birth_required=True), methods=["POST"]),
    Route("/subscribe/payments/foreign", _onetime(birth_required=False), methods=["POST"]),
    Route("/subscribe/payments/again", again, methods=["POST"]),
    Route("/subscribe/payments/schedule", schedule, methods=["POST"]),
    Route("/subscribe/payments/schedule", schedules_between, methods=["GET"]),
    Route("/subscribe/payments/unschedule", unschedule, methods=["POST"]),
    Route(
        "/subscribe/payments/schedule/customers/{customer_uid}", customer_schedules, methods=["GET"]
    ),
    Route("/subscribe/payments/schedule/{merchant_uid}", get_schedule, methods=["GET"]),
    Route("/subscribe/payments/schedule/{merchant_uid}", change_schedule, methods=["PUT"]),
    Route("/subscribe/payments/schedule/{merchant_uid}/reschedule", reschedule, methods=["POST"]),
    Route("/subscribe/payments/schedule/{merchant_uid}/retry", retry, methods=["POST"]),
]
