"""The window's recording API: a sandbox window reports each step here.

``POST /sandbox/windows/open`` records the SDK's request (an imp_uid is born);
``POST /sandbox/windows/{imp_uid}/complete`` records the tester's outcome. The
result is recorded before the page posts it back, so the REST API always agrees
with the callback.
"""

import asyncio

from starlette.routing import Route

from iamport_py.protocol import NO_MID
from iamport_sandbox import payments
from iamport_sandbox.payments import PaymentRefused
from iamport_sandbox.wire import ApiError, envelope, read_json, text_field


def lookup_setting(store, user_code, pg_provider, pg_id, action):
    merchant = store.merchant_by_code(user_code)
    if merchant is None:
        return None, None
    mid = None if pg_id in (NO_MID, "", None) else pg_id
    return merchant, store.find_setting(merchant["id"], pg_provider, mid, action)


async def open_request(request):
    """The window got a request from the SDK: record it (an imp_uid is born)."""
    app = request.app.state
    data = await read_json(request, app.config.max_body)
    if app.config.window_open_delay:
        await asyncio.sleep(app.config.window_open_delay)
    action = data.get("action")
    if action not in ("payment", "certification"):
        raise ApiError(400, "'action' must be payment or certification")
    merchant, setting = lookup_setting(
        app.store, text_field(data, "user_code"), text_field(data, "pg_provider"),
        data.get("pg_id") if isinstance(data.get("pg_id"), str) else None, action)
    if setting is None:
        raise ApiError(404, "no {} PG setting for this window".format(action))
    body = data.get("request")
    if not isinstance(body, dict):
        raise ApiError(400, "'request' must be an object")
    try:
        if action == "certification":
            payment = payments.open_certification(app.store, merchant, setting, body)
        else:
            payment = payments.open_payment(app.store, merchant, setting, body)
    except PaymentRefused as refusal:
        return envelope({"success": False, "imp_uid": None,
                         "merchant_uid": body.get("merchant_uid"), "error_code": refusal.code,
                         "error_msg": refusal.message, "pg_provider": setting["pg_provider"],
                         "pg_id": setting["pg_id"]})
    return envelope(payments.window_response(payment, str(request.base_url)))


async def complete_request(request):
    """The tester pressed Approve, Decline, Cancel or Verify."""
    app = request.app.state
    data = await read_json(request, app.config.max_body)
    merchant = app.store.merchant_by_code(text_field(data, "user_code"))
    imp_uid = request.path_params["imp_uid"]
    payment = app.store.payment(merchant["id"], imp_uid) if merchant else None
    # The request id is the window's proof that it opened this payment.
    if payment is None or payment["request_id"] != data.get("request_id"):
        raise ApiError(404, "unknown payment request")
    outcome = data.get("outcome")
    if outcome == "approve":
        payment = payments.approve(app.store, merchant, payment,
                                   text_field(data, "vbank_due", required=False))
    elif outcome == "decline":
        payment = payments.decline(app.store, payment,
                                   text_field(data, "error_code", required=False, max_length=40),
                                   text_field(data, "error_msg", required=False, max_length=200))
    elif outcome == "cancel":
        payment = payments.user_cancel(app.store, payment)
    elif outcome == "certify" and payment["kind"] == "certification":
        person = data.get("person") if isinstance(data.get("person"), dict) else {}
        payment = payments.certify(app.store, payment, {
            "buyer_name": text_field(person, "name", required=False, max_length=60),
            "buyer_tel": text_field(person, "phone", required=False, max_length=20)})
    else:
        raise ApiError(400, "'outcome' must be approve, decline, cancel or certify")
    app.webhooks.notify(merchant, payment)
    return envelope(payments.window_response(payment, str(request.base_url)))


routes = [
    Route("/sandbox/windows/open", open_request, methods=["POST"]),
    Route("/sandbox/windows/{imp_uid}/complete", complete_request, methods=["POST"]),
]
