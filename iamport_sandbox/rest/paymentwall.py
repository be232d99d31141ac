"""Paymentwall deliveries (``POST /paymentwall/delivery``): the delivery state of a paid
Paymentwall payment, ``order_placed`` → ``order_shipped`` → ``delivering`` →
``delivered`` (never back); a physical order needs its carrier and the address."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox.fields import Data, choice_field, text_field, timestamp_field
from iamport_sandbox.rest.common import body, merchant
from iamport_sandbox.rest.providers import payment_of
from iamport_sandbox.wire import envelope, refusal

STATES = ("order_placed", "order_shipped", "delivering", "delivered")
PHYSICAL_FIELDS = ("carrier_tracking_id", "carrier_type")
ADDRESS_FIELDS = (
    "country", "city", "zip", "state", "street", "phone", "firstname", "lastname",
)  # fmt: skip


def _delivery(data: Data) -> dict[str, Any]:
    kind = choice_field(data, "type", ("physical", "digital"), "")
    values: dict[str, Any] = {
        "type": kind,
        "status": choice_field(data, "status", STATES, ""),
        "refundable": choice_field(data, "refundable", ("yes", "no"), ""),
        "estimated_delivery_datetime": timestamp_field(data, "estimated_delivery_datetime"),
        "estimated_update_datetime": timestamp_field(data, "estimated_update_datetime"),
        "reason": text_field(data, "reason", required=False, max_length=64),
        "details": text_field(data, "details", required=False, max_length=400),
        "shipping_address_email": text_field(data, "shipping_address_email", max_length=50),
    }
    physical = kind == "physical"
    for name in PHYSICAL_FIELDS:
        values[name] = text_field(data, name, required=physical, max_length=64)
    for name in ADDRESS_FIELDS:
        field = "shipping_address_" + name
        values[field] = text_field(data, field, required=physical, max_length=40)
    return values


async def delivery(request: Request) -> Response:
    found = merchant(request)
    data = await body(request)
    imp_uid = text_field(data, "imp_uid", max_length=40)
    merchant_uid = text_field(data, "merchant_uid", max_length=40)
    values = _delivery(data)
    store = request.app.state.store
    with store.transaction():
        payment = store.payment(found["id"], imp_uid)
        if payment is None or payment["merchant_uid"] != merchant_uid:
            raise refusal("존재하지 않는 결제정보입니다 (no such payment for this merchant_uid)")
        payment_of(payment, ("paymentwall",), "Paymentwall")
        if payment["status"] != "paid":
            raise refusal("결제완료된 건이 아닙니다 (the payment is {})".format(payment["status"]))
        current = store.pg_order_state(found["id"], imp_uid, "paymentwall")
        if current and STATES.index(values["status"]) < STATES.index(current["state"]):
            raise refusal("배송상태를 되돌릴 수 없습니다 (already {})".format(current["state"]))
        store.save_pg_order_state(found["id"], imp_uid, "paymentwall", values["status"], values)
    return envelope({"success": 1})


routes = [
    Route("/paymentwall/delivery", delivery, methods=["POST"]),
]
