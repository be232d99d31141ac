"""Sandbox payment windows: ``/payments/ready/...`` and ``/certificates/ready/...``.

The page (templates/window.html + static/window.js) speaks design §3's message
protocol with the SDK; these endpoints record each step. The result is recorded
before the page posts it back, so the REST API always agrees with the callback.
"""

from starlette.routing import Route

from iamport_py.catalog import get_pg
from iamport_py.protocol import NO_MID
from iamport_sandbox import payments
from iamport_sandbox.payments import PaymentRefused
from iamport_sandbox.wire import ApiError, envelope, read_json, text_field

DECLINE_CODES = (
    ("CARD_DECLINED", "카드사 승인 거절 (card declined)"),
    ("INSUFFICIENT_FUNDS", "잔액 부족 (insufficient funds)"),
    ("CARD_EXPIRED", "유효기간 만료 (card expired)"),
    ("LIMIT_EXCEEDED", "한도 초과 (limit exceeded)"),
)


def _lookup(store, user_code, pg_provider, pg_id, action):
    merchant = store.merchant_by_code(user_code)
    if merchant is None:
        return None, None
    mid = None if pg_id in (NO_MID, "", None) else pg_id
    return merchant, store.find_setting(merchant["id"], pg_provider, mid, action)


def _window(action):
    async def page(request):
        params = request.path_params
        merchant, setting = _lookup(request.app.state.store, params["user_code"],
                                    params["pg_provider"], params["pg_id"], action)
        pg = get_pg(params["pg_provider"]) or {}
        context = {
            "action": action, "setting": setting, "pg": pg,
            "pg_name": pg.get("name_ko", params["pg_provider"]),
            "pg_name_en": pg.get("name_en", params["pg_provider"]),
            "pg_provider": params["pg_provider"], "user_code": params["user_code"],
            "pg_id": setting["pg_id"] if setting else None,
            "decline_codes": DECLINE_CODES, "known_merchant": merchant is not None,
        }
        status = 200 if setting else 404
        return request.app.state.templates.TemplateResponse(
            request, "window.html", context, status_code=status,
            headers={"Cache-Control": "no-store"})

    return page


async def open_request(request):
    """The window got a request from the SDK: record it (an imp_uid is born)."""
    app = request.app.state
    data = await read_json(request, app.config.max_body)
    action = data.get("action")
    if action not in ("payment", "certification"):
        raise ApiError(400, "'action' must be payment or certification")
    merchant, setting = _lookup(app.store, text_field(data, "user_code"),
                                text_field(data, "pg_provider"),
                                data.get("pg_id") if isinstance(data.get("pg_id"), str) else None,
                                action)
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


async def receipt(request):
    store = request.app.state.store
    payment = store.payment_anywhere(request.path_params["imp_uid"])
    if payment is None or not payment["pg_tid"]:
        raise ApiError(404, "no such receipt")
    return request.app.state.templates.TemplateResponse(
        request, "receipt.html", {"payment": payment, "pg_name": payments.pg_label(payment)})


routes = [
    Route("/payments/ready/{user_code}/{pg_provider}/{pg_id}", _window("payment"),
          methods=["GET"]),
    Route("/certificates/ready/{user_code}/{pg_provider}/{pg_id}", _window("certification"),
          methods=["GET"]),
    Route("/sandbox/windows/open", open_request, methods=["POST"]),
    Route("/sandbox/windows/{imp_uid}/complete", complete_request, methods=["POST"]),
    Route("/sandbox/receipts/{imp_uid}", receipt, methods=["GET"]),
]
