"""Cash receipts (``POST/GET/DELETE /receipts/{imp_uid}``) and escrow shipping
(``GET/POST/PUT /escrows/logis/{imp_uid}``), kept as records: nothing is sent to the tax
office or a PG. The receipt's identifier (a phone, business or resident number) is
stored masked, as a card number is."""

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox import payment_views
from iamport_sandbox.fields import Data, choice_field, number_field, text_field, timestamp_field
from iamport_sandbox.rest.common import (
    body,
    merchant,
    not_found,
    owned_payment,
    service,
)
from iamport_sandbox.store import Row, Store, now
from iamport_sandbox.wire import ApiError, envelope, refusal

IDENTIFIER_TYPES = ("person", "business", "phone", "taxcard")
RECEIPT_TYPES = ("person", "company")
# Cash receipts are for money that moved as cash: a transfer or a virtual account.
CASH_METHODS = ("trans", "vbank")
PARTIES = ("sender", "receiver")
PARTY_FIELDS = ("name", "tel", "addr", "postcode")


def show_receipt(receipt: Row, payment: Row, service_url: str) -> dict[str, Any]:
    return {
        "imp_uid": receipt["imp_uid"],
        "receipt_tid": receipt["receipt_tid"],
        "apply_num": receipt["apply_num"],
        "type": receipt["type"],
        "amount": payment_views.as_amount(receipt["amount"]),
        "vat": payment_views.as_amount(receipt["vat"]),
        "receipt_url": payment_views.receipt_url(payment, service_url) + "?cash_receipt=1",
        "applied_at": receipt["applied_at"],
        "cancelled_at": receipt["cancelled_at"] or 0,
    }


def _identifier(data: Data) -> str:
    value = text_field(data, "identifier", max_length=20).replace("-", "")
    if not value.isdigit() or not value.isascii() or not 8 <= len(value) <= 18:
        raise ApiError(400, "'identifier' must be 8 to 18 digits")
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


async def issue_receipt(request: Request) -> Response:
    found = merchant(request)
    payment = owned_payment(request, found)
    data = await body(request)
    values: dict[str, Any] = {
        "identifier": _identifier(data),
        "identifier_type": choice_field(data, "identifier_type", IDENTIFIER_TYPES, "phone"),
        "type": choice_field(data, "type", RECEIPT_TYPES, "person"),
        "tax_free": number_field(data, "tax_free", required=False, allow_text=True) or 0,
    }
    store = request.app.state.store
    with store.transaction():
        payment = store.payment(found["id"], payment["imp_uid"])
        if payment["status"] != "paid" or payment["pay_method"] not in CASH_METHODS:
            raise refusal(
                "현금영수증 발행대상 결제건이 아닙니다 (only a paid transfer or "
                "virtual account payment takes a cash receipt)"
            )
        current = store.cash_receipt(found["id"], payment["imp_uid"])
        if current and not current["cancelled_at"]:
            raise refusal(
                "이미 현금영수증이 발행된 결제건입니다 (a cash receipt is already issued)"
            )
        amount = float(payment["amount"]) - float(payment["cancel_amount"])
        if values["tax_free"] > amount:
            raise ApiError(400, "'tax_free' is more than the amount")
        values.update(
            receipt_tid="sandbox_cr_" + secrets.token_hex(6),
            apply_num="".join(secrets.choice("0123456789") for _ in range(9)),
            amount=amount,
            vat=round((amount - values["tax_free"]) / 11),
            applied_at=now(),
        )
        receipt = store.save_cash_receipt(found["id"], payment["imp_uid"], values)
        store.update_payment(found["id"], payment["imp_uid"], {"cash_receipt_issued": True})
    return envelope(show_receipt(receipt, payment, service(request)))


def _receipt_or_404(store: Store, payment: Row) -> Row:
    receipt = store.cash_receipt(payment["merchant_id"], payment["imp_uid"])
    if receipt is None:
        raise not_found("발행된 현금영수증이 없습니다 (no cash receipt for this payment)")
    return receipt


async def get_receipt(request: Request) -> Response:
    payment = owned_payment(request, merchant(request))
    receipt = _receipt_or_404(request.app.state.store, payment)
    return envelope(show_receipt(receipt, payment, service(request)))


async def cancel_receipt(request: Request) -> Response:
    payment = owned_payment(request, merchant(request))
    store = request.app.state.store
    with store.transaction():
        receipt = _receipt_or_404(store, payment)
        if receipt["cancelled_at"]:
            raise refusal("이미 취소된 현금영수증입니다 (the cash receipt is already cancelled)")
        receipt = store.cancel_cash_receipt(payment["merchant_id"], payment["imp_uid"], now())
        store.update_payment(
            payment["merchant_id"], payment["imp_uid"], {"cash_receipt_issued": False}
        )
    return envelope(show_receipt(receipt, payment, service(request)))


# -- escrow shipping --------------------------------------------------------------------------


def show_logis(row: Row) -> dict[str, Any]:
    return {
        "company": row["company"],
        "invoice": row["invoice"],
        "sent_at": row["sent_at"],
        "applied_at": row["applied_at"],
    }


def _party(data: Data, name: str) -> dict[str, str | None] | None:
    party = data.get(name)
    if party is None:
        return None
    if not isinstance(party, dict):
        raise ApiError(400, "'{}' must be an object".format(name))
    return {
        field: text_field(party, field, required=False, max_length=200) for field in PARTY_FIELDS
    }


def _logis_values(data: Data) -> dict[str, Any]:
    logis = data.get("logis")
    if not isinstance(logis, dict):
        raise ApiError(400, "'logis' must be an object with company, invoice and sent_at")
    values: dict[str, Any] = {
        "company": text_field(logis, "company", max_length=40),
        "invoice": text_field(logis, "invoice", max_length=60),
        "sent_at": timestamp_field(logis, "sent_at"),
    }
    values.update({name: _party(data, name) for name in PARTIES})
    return values


def _logis(register: bool) -> Callable[[Request], Awaitable[Response]]:
    async def logis(request: Request) -> Response:
        """Register (POST) or change (PUT) the shipping of a paid escrow payment."""
        found = merchant(request)
        payment = owned_payment(request, found)
        values = _logis_values(await body(request))
        store = request.app.state.store
        with store.transaction():
            if not payment["escrow"] or payment["status"] != "paid":
                raise refusal("결제완료된 에스크로 결제건이 아닙니다 (not a paid escrow payment)")
            current = store.escrow_logis(found["id"], payment["imp_uid"])
            if register and current:
                raise refusal(
                    "배송정보가 이미 등록되었습니다 (shipping already registered: "
                    "use PUT to change it)"
                )
            if not register and current is None:
                raise refusal("등록된 배송정보가 없습니다 (no shipping registered yet)")
            row = store.save_escrow_logis(found["id"], payment["imp_uid"], values)
        return envelope(show_logis(row))

    return logis


async def get_logis(request: Request) -> Response:
    """``GET /escrows/logis/{imp_uid}``: the shipping registered for an escrow payment; 409
    when none is (as PortOne's document answers it)."""
    found = merchant(request)
    payment = owned_payment(request, found)
    row = request.app.state.store.escrow_logis(found["id"], payment["imp_uid"])
    if row is None:
        raise ApiError(409, "등록된 배송정보가 존재하지 않습니다 (no shipping registered)", code=1)
    return envelope(show_logis(row))


routes = [
    Route("/receipts/{imp_uid}", issue_receipt, methods=["POST"]),
    Route("/receipts/{imp_uid}", get_receipt, methods=["GET"]),
    Route("/receipts/{imp_uid}", cancel_receipt, methods=["DELETE"]),
    Route("/escrows/logis/{imp_uid}", get_logis, methods=["GET"]),
    Route("/escrows/logis/{imp_uid}", _logis(register=True), methods=["POST"]),
    Route("/escrows/logis/{imp_uid}", _logis(register=False), methods=["PUT"]),
]
