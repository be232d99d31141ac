"""Sub-merchant lines on a payment's receipt (``POST /partners/receipts/{imp_uid}``, KG
Inicis): who sold what part of a paid payment, each line a business registration number,
a name and an amount; the lines add up to what is left of the payment. The receipt page
of the payment is the answer's ``receipt_url``."""

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox import payment_views
from iamport_sandbox.fields import Data, number_field, text_field
from iamport_sandbox.rest.common import body, merchant, owned_payment, service
from iamport_sandbox.wire import ApiError, envelope, refusal

PARTNER_PGS = ("html5_inicis",)
MAX_LINES = 100
BUSINESS_NUMBER = re.compile(r"^\d{3}-?\d{2}-?\d{5}$", re.ASCII)


def _lines(data: Data) -> list[Any]:
    lines = data.get("data")
    if isinstance(lines, str):  # a form body carries the list as JSON text
        try:
            lines = json.loads(lines)
        except ValueError:
            raise ApiError(400, "'data' must be a list of sub-merchant lines") from None
    if not isinstance(lines, list) or not 0 < len(lines) <= MAX_LINES:
        raise ApiError(400, "'data' must be a list of 1 to {} lines".format(MAX_LINES))
    return lines


def _line(item: object) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ApiError(400, "each line of 'data' must be an object")
    number = text_field(item, "business_registration_number", max_length=12)
    if not BUSINESS_NUMBER.match(number):
        raise ApiError(400, "'business_registration_number' must be 10 digits (123-45-67890)")
    amount = number_field(item, "amount", allow_text=True)
    assert amount is not None  # required
    tax_free = number_field(item, "tax_free", required=False, allow_text=True) or 0
    vat = number_field(item, "vat_amount", required=False, allow_text=True)
    if amount <= 0 or tax_free > amount or (vat is not None and vat > amount - tax_free):
        raise ApiError(400, "a line's amount must be more than 0 and cover its tax_free and vat")
    return {
        "business_registration_number": number,
        "company_name": text_field(item, "company_name", max_length=100),
        "amount": amount,
        "tax_free": tax_free,
        "vat_amount": round(amount / 11) if vat is None else vat,
    }


async def register(request: Request) -> Response:
    """Register the sub-merchant lines of a paid KG Inicis payment (again: replaced)."""
    found = merchant(request)
    owned_payment(request, found)  # a payment not found is a 404 before the body's 400
    lines = [_line(item) for item in _lines(await body(request))]
    store = request.app.state.store
    with store.transaction():
        payment = owned_payment(request, found)
        if payment["pg_provider"] not in PARTNER_PGS:
            raise refusal(
                "하위 상점 거래 등록을 지원하지 않는 PG사입니다 (KG Inicis only; the payment "
                "is {})".format(payment["pg_provider"])
            )
        if payment["status"] != "paid":
            raise ApiError(400, "결제승인된 건이 아닙니다 (the payment is not paid)", code=1)
        left = float(payment["amount"]) - float(payment["cancel_amount"])
        total = sum(float(line["amount"]) for line in lines)
        if abs(total - left) > 1e-9:
            raise ApiError(
                400,
                "하위 상점 거래 금액의 합({})이 결제금액({})과 다릅니다 (the lines must add up "
                "to the payment)".format(
                    payment_views.as_amount(total), payment_views.as_amount(left)
                ),
                code=1,
            )
        store.save_partner_lines(found["id"], payment["imp_uid"], lines)
    return envelope({"receipt_url": payment_views.receipt_url(payment, service(request))})


routes = [
    Route("/partners/receipts/{imp_uid}", register, methods=["POST"]),
]
