"""Convenience-store payments (``POST /cvs``, ``DELETE /cvs/{imp_uid}``), Galaxia
Communications' barcode: the payment waits (``ready``, ``pay_method`` ``cvs``) until the
shopper pays at a store, which the test kit's deposit stands for
(``POST /sandbox/testkit/payments/{imp_uid}/deposit``: ``paid``, with its webhook); the
merchant's server can revoke the barcode before that.

The payment record has no field of its own for the barcode: the sandbox shows it as
``vbank_num`` (with ``vbank_date`` the last day it is taken), where the record keeps a
number the shopper pays to."""

import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox import webhooks
from iamport_sandbox.domain import payments
from iamport_sandbox.fields import Data, amount_field, text_field, timestamp_field
from iamport_sandbox.rest.common import NO_PAYMENT, body, merchant, show
from iamport_sandbox.rest.providers import provider_setting
from iamport_sandbox.store import Row, Store, now
from iamport_sandbox.wire import ApiError, envelope, refusal

PROVIDER = "galaxia"
# Galaxia's default term when ``expired_at`` is not given (the contract's, in reality).
DEFAULT_TERM = 7 * 86400
BUYER_LENGTHS = {
    "name": 40,
    "buyer_name": 16,
    "buyer_email": 64,
    "buyer_tel": 16,
    "buyer_addr": 128,
    "buyer_postcode": 8,
}


def _order(data: Data) -> dict[str, Any]:
    order: dict[str, Any] = {
        "merchant_uid": text_field(data, "merchant_uid", max_length=40),
        "amount": amount_field(data, "KRW", allow_text=True),
        "currency": "KRW",
        "notice_url": data.get("notice_url"),
        "custom_data": data.get("custom_data"),
        "pay_method": "cvs",
    }
    for name, length in BUYER_LENGTHS.items():
        order[name] = text_field(data, name, required=False, max_length=length)
    return order


def _barcode(data: Data) -> str:
    barcode = text_field(data, "barcode", required=False, max_length=40)
    if barcode is None:
        return "".join(secrets.choice("0123456789") for _ in range(20))
    if not barcode.isascii() or not barcode.isalnum():
        raise ApiError(400, "'barcode' must be letters and digits")
    return barcode


async def issue(request: Request) -> Response:
    """A barcode for the order (Galaxia's, or the merchant's own ``barcode``)."""
    found = merchant(request)
    data = await body(request)
    order, barcode = _order(data), _barcode(data)
    expired_at = timestamp_field(data, "expired_at", required=False) or now() + DEFAULT_TERM
    if expired_at <= now():
        raise ApiError(400, "'expired_at' is past")
    confirm_url = text_field(data, "confirm_url", required=False, max_length=500)
    store = request.app.state.store
    with store.transaction():
        setting = provider_setting(store, found, data, PROVIDER)
        if store.cvs_barcode_taken(barcode):
            raise refusal("이미 사용중인 바코드입니다 (the barcode is in use)")
        payment = payments.open_payment(
            store, found, setting, order, from_window=False, extra={"channel": "api"}
        )
        values = {
            "pg_tid": "sandbox_cvs_" + secrets.token_hex(8),
            "vbank_num": barcode,
            "vbank_name": "편의점 (convenience store)",
            "vbank_date": expired_at,
            "vbank_issued_at": now(),
        }
        payment = _changed(store, found, payment, values)
        store.save_cvs_barcode(found["id"], payment["imp_uid"], barcode, expired_at, confirm_url)
    return envelope(show(request, payment))


def _changed(store: Store, found: Row, payment: Row, values: dict[str, Any]) -> Row:
    """One status change of the payment, its history line and its webhook rows (a barcode
    issued is notified as ``ready``, as a virtual account is; a revoked one ``cancelled``),
    in the caller's transaction."""
    changed = store.update_payment(payment["merchant_id"], payment["imp_uid"], values)
    assert changed is not None  # the caller's payment, in its transaction
    store.add_payment_event(changed, values)
    if webhooks.notifies(changed):
        for url in webhooks.targets(found, changed):
            store.add_webhook(found["id"], changed["imp_uid"], url, webhooks.payload(changed))
    return changed


async def revoke(request: Request) -> Response:
    """Revoke a barcode not paid yet: the payment is ``cancelled``. The document lists no
    404 here: a payment not found (or not a CVS one) is a business refusal."""
    found = merchant(request)
    store = request.app.state.store
    imp_uid = request.path_params["imp_uid"]
    with store.transaction():
        payment = store.payment(found["id"], imp_uid)
        if payment is None or store.cvs_barcode(found["id"], imp_uid) is None:
            raise refusal(NO_PAYMENT if payment is None else "편의점결제 건이 아닙니다 (not CVS)")
        if payment["status"] != "ready":
            raise refusal(
                "수납대기 중인 편의점결제가 아닙니다 (not waiting at the store; status: {})".format(
                    payment["status"]
                )
            )
        payment = _changed(
            store,
            found,
            payment,
            {
                "status": "cancelled",
                "cancelled_at": now(),
                "cancel_reason": "편의점결제 수납번호 말소 (barcode revoked)",
            },
        )
    return envelope(show(request, payment))


routes = [
    Route("/cvs", issue, methods=["POST"]),
    Route("/cvs/{imp_uid}", revoke, methods=["DELETE"]),
]
