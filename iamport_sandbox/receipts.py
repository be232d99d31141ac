"""Sandbox receipts: the page behind a payment's ``receipt_url``."""

from starlette.routing import Route

from iamport_sandbox import payments
from iamport_sandbox.console.payment_pages import kst
from iamport_sandbox.wire import ApiError


async def receipt(request):
    store = request.app.state.store
    payment = store.payment_anywhere(request.path_params["imp_uid"])
    if payment is None or not payment["pg_tid"]:
        raise ApiError(404, "no such receipt")
    return request.app.state.templates.TemplateResponse(
        request, "receipt.html", {"payment": payment, "pg_name": payments.pg_label(payment),
                                  "kst": kst})


routes = [
    Route("/sandbox/receipts/{imp_uid}", receipt, methods=["GET"]),
]
