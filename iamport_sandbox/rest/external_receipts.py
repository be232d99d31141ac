"""Cash receipts of payments made outside Iamport (``GET/POST/DELETE
/receipts/external/{merchant_uid}``): money the merchant took in cash or by its own
transfer, receipted through its PG by order number. Kept as records, as the receipts of
payments are (:mod:`.receipts`): nothing reaches the tax office; the identifier is stored
masked."""

import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox import payment_views
from iamport_sandbox.fields import Data, choice_field, number_field, text_field
from iamport_sandbox.rest.common import body, merchant, not_found, pg_setting
from iamport_sandbox.rest.receipts import IDENTIFIER_TYPES, RECEIPT_TYPES, _identifier
from iamport_sandbox.store import Row, Store, now
from iamport_sandbox.wire import ApiError, envelope, refusal

# The PGs whose cash receipts Iamport issues by order number (the document's list).
RECEIPT_PGS = (
    "html5_inicis", "kcp", "settle", "nice", "kicc", "tosspayments", "nice_v2", "ksnet",
    "smartro_v2", "welcome",
)  # fmt: skip
NO_RECEIPT = "현금영수증 발행내역이 없습니다 (no cash receipt for this merchant_uid)"


def show_external(row: Row) -> dict[str, Any]:
    """An external cash receipt as Iamport shows it."""
    return {
        "merchant_uid": row["merchant_uid"],
        "receipt_tid": row["receipt_tid"],
        "apply_num": row["apply_num"],
        "type": row["type"],
        "amount": payment_views.as_amount(row["amount"]),
        "vat": payment_views.as_amount(row["vat"]),
        "applied_at": row["applied_at"],
        "cancelled_at": row["cancelled_at"] or 0,
    }


def _merchant_uid(request: Request) -> str:
    merchant_uid: str = request.path_params["merchant_uid"]
    if len(merchant_uid) > 40:
        raise ApiError(400, "'merchant_uid' is longer than 40 characters")
    return merchant_uid


def _whole(data: Data, name: str, required: bool = False) -> int:
    value = number_field(data, name, required=required, allow_text=True) or 0
    if value != int(value):
        raise ApiError(400, "'{}' must be a whole number of won".format(name))
    return int(value)


def _values(store: Store, found: Row, data: Data) -> dict[str, Any]:
    amount, tax_free = _whole(data, "amount", required=True), _whole(data, "tax_free")
    if amount <= 0 or tax_free > amount:
        raise ApiError(400, "'amount' must be more than 0 and 'tax_free' at most 'amount'")
    vat = number_field(data, "vat_amount", required=False, allow_text=True)
    if vat is not None and vat > amount - tax_free:
        raise ApiError(400, "'vat_amount' is more than the taxed amount")
    for name in ("buyer_name", "buyer_email", "buyer_tel", "corp_reg_no"):
        text_field(data, name, required=False, max_length=100)
    choice_field(data, "product_type", ("real", "digital"), "real")
    choice_field(data, "pay_method", ("trans", "vbank"), "trans")
    setting = pg_setting(store, found, data)
    if setting["pg_provider"] not in RECEIPT_PGS:
        raise refusal(
            "현금영수증 발행을 지원하지 않는 PG사입니다 (cash receipts by order number are "
            "not offered for {})".format(setting["pg_provider"])
        )
    return dict(
        setting,
        name=text_field(data, "name", max_length=100),
        identifier=_identifier(data),
        identifier_type=data.get("identifier_type")
        and choice_field(data, "identifier_type", IDENTIFIER_TYPES, "phone"),
        type=choice_field(data, "type", RECEIPT_TYPES, "person"),
        amount=amount,
        tax_free=tax_free,
        vat=round((amount - tax_free) / 11) if vat is None else vat,
        receipt_tid="sandbox_cr_" + secrets.token_hex(6),
        apply_num="".join(secrets.choice("0123456789") for _ in range(9)),
        applied_at=now(),
    )


async def issue(request: Request) -> Response:
    """Issue the receipt of ``merchant_uid``; one already issued (not cancelled) is a 400,
    as the document says."""
    found = merchant(request)
    merchant_uid = _merchant_uid(request)
    data = await body(request)
    store = request.app.state.store
    with store.transaction():
        values = _values(store, found, data)
        current = store.external_receipt(found["id"], merchant_uid)
        if current and not current["cancelled_at"]:
            raise ApiError(
                400, "이미 현금영수증이 발행된 주문번호입니다 (already issued for this order)", 1
            )
        row = store.save_external_receipt(found["id"], merchant_uid, values)
    return envelope(show_external(row))


async def get(request: Request) -> Response:
    found = merchant(request)
    row = request.app.state.store.external_receipt(found["id"], _merchant_uid(request))
    if row is None:
        raise not_found(NO_RECEIPT)
    return envelope(show_external(row))


async def revoke(request: Request) -> Response:
    """Cancel the receipt of ``merchant_uid`` (one never issued: 404)."""
    found = merchant(request)
    merchant_uid = _merchant_uid(request)
    store = request.app.state.store
    with store.transaction():
        row = store.external_receipt(found["id"], merchant_uid)
        if row is None:
            raise not_found(NO_RECEIPT)
        if row["cancelled_at"]:
            raise refusal("이미 취소된 현금영수증입니다 (the cash receipt is already cancelled)")
        row = store.cancel_external_receipt(found["id"], merchant_uid)
    return envelope(show_external(row))


routes = [
    Route("/receipts/external/{merchant_uid}", get, methods=["GET"]),
    Route("/receipts/external/{merchant_uid}", issue, methods=["POST"]),
    Route("/receipts/external/{merchant_uid}", revoke, methods=["DELETE"]),
]
