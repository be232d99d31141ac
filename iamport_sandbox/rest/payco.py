"""PAYCO order states (``POST /payco/orders/status/{imp_uid}``): a paid PAYCO payment's
order moves ``DELIVERY_START`` (shipped) → ``PURCHASE_DECISION`` (the buyer confirms);
``CANCELED`` before the confirmation refunds the payment in full (with its webhook). The
document lists no 404 here: a payment not found is a business refusal."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox.domain import payments
from iamport_sandbox.fields import choice_field
from iamport_sandbox.rest.common import NO_PAYMENT, body, merchant
from iamport_sandbox.rest.providers import payment_of
from iamport_sandbox.wire import envelope, refusal

STATES = ("DELIVERY_START", "PURCHASE_DECISION", "CANCELED")
# Each state, and the states an order may be in before it (None: just paid).
FROM = {
    "DELIVERY_START": (None,),
    "PURCHASE_DECISION": (None, "DELIVERY_START"),
    "CANCELED": (None, "DELIVERY_START"),
}


async def change_status(request: Request) -> Response:
    found = merchant(request)
    status = choice_field(await body(request), "status", STATES, "")
    store = request.app.state.store
    with store.transaction():
        payment = store.payment(found["id"], request.path_params["imp_uid"])
        if payment is None:
            raise refusal(NO_PAYMENT)
        payment_of(payment, ("payco",), "PAYCO")
        current = store.pg_order_state(found["id"], payment["imp_uid"], "payco")
        state = current["state"] if current else None
        if payment["status"] != "paid" or state not in FROM[status]:
            raise refusal(
                "주문상태를 {}(으)로 변경할 수 없습니다 (the order is {}, the payment {})".format(
                    status, state or "paid", payment["status"]
                )
            )
        if status == "CANCELED":
            payments.cancel(store, payment, None, "PAYCO 주문취소 (order cancelled)")
        store.save_pg_order_state(found["id"], payment["imp_uid"], "payco", status)
    return envelope({"status": status})


routes = [
    Route("/payco/orders/status/{imp_uid}", change_status, methods=["POST"]),
]
