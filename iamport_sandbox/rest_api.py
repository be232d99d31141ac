"""The REST API a merchant backend uses (a subset of api.iamport.kr): under ``/api`` on the
main port, and at the root of its own port with ``--api-port`` (api.iamport.kr is its own
host; some published clients keep only scheme and host of the URL they are given).

Envelope ``{"code": 0, "message": null, "response": ...}``. A token (``Authorization``,
with or without ``Bearer``, or the older ``X-ImpTokenHeader``) reads only its own
merchant's data. Bodies may be JSON or form-encoded; amounts may be strings there
(``"2000"``), and still go through the one amount rule (:mod:`iamport_py.amounts`).

Statuses per endpoint, as api.iamport.kr answers them, because the published clients
branch on the status (``iamport-rest-client`` raises ``HttpError`` for anything but 200,
dropping the message; ``ResponseError`` with code and message for a 200 with ``code != 0``):

====================================================  ======  ====  =======================
refusal                                               status  code  why
====================================================  ======  ====  =======================
no, expired or unknown token; wrong imp_key/secret    401     -1    as Iamport; clients
                                                                    retry on 401
malformed input: no JSON object, a missing or         400     -1    the request, not the
mistyped field, an amount the amount rule refuses,                  business, is wrong
an unknown ``status``
body too large                                        413     -1    ours (Iamport has a
                                                                    limit too)
``GET /payments/{imp_uid}``, ``/payments/find/...``,  404     1     a lookup of nothing;
``/payments/prepare/{merchant_uid}``,                               the clients' own tests
``/certifications/{imp_uid}``: nothing found                        expect ``HttpError``
``POST /payments/cancel``: unknown payment, already   200     1     business refusal; the
fully cancelled, not paid, amount over what is left                 clients' tests expect
                                                                    ``ResponseError`` code 1
                                                                    and Iamport's message
``POST /subscribe/payments/again``: unknown           200     1     business refusal
``customer_uid``, ``merchant_uid`` already paid
``POST /payments/prepare``: ``merchant_uid`` already  200     1     business refusal
prepared
====================================================  ======  ====  =======================

A charge the PG declines is not a refusal: ``code`` 0 and a payment whose ``status`` is
``failed`` (with ``fail_reason``), as Iamport answers a declined billing-key charge.
"""

from starlette.routing import Route

from iamport_sandbox import payments, security
from iamport_sandbox.store import StoreError, now
from iamport_sandbox.wire import ApiError, envelope, read_json, refusal, text_field, too_many

STATUSES = ("ready", "paid", "failed", "cancelled")


def _merchant(request):
    # Older clients send the token in X-ImpTokenHeader; Iamport accepts both headers.
    header = (request.headers.get("authorization")
              or request.headers.get("x-imptokenheader") or "").strip()
    token = header[7:] if header.lower().startswith("bearer ") else header
    merchant = request.app.state.store.merchant_for_token(token.strip()) if token else None
    if merchant is None:
        raise ApiError(401, "Unauthorized: a valid access token is required")
    return merchant


def _service(request):
    return str(request.base_url)


async def get_token(request):
    app = request.app.state
    data = await read_json(request, app.config.max_body)
    imp_key, imp_secret = text_field(data, "imp_key"), text_field(data, "imp_secret")
    # The secret check: off the event loop, same cost for an unknown key, throttled.
    merchant = app.store.merchant_by_api_key(imp_key)
    try:
        ok = await app.guard.verify(("imp_key", imp_key), security.client_address(request),
                                    imp_secret, merchant["imp_secret_hash"] if merchant
                                    else None)
    except security.Throttled as wait:
        raise too_many(wait.retry_after, "too many wrong imp_key/imp_secret") from None
    if not ok:
        raise ApiError(401, "imp_key 또는 imp_secret이 올바르지 않습니다 "
                       "(wrong imp_key or imp_secret)")
    token, expires = app.store.issue_token(merchant["id"], app.config.token_ttl)
    return envelope({"access_token": token, "now": now(), "expired_at": expires})


def _payment_or_404(payment):
    if payment is None:
        raise ApiError(404, "존재하지 않는 결제정보입니다 (no such payment)", code=1)
    return payment


async def get_payment(request):
    merchant = _merchant(request)
    payment = request.app.state.store.payment(merchant["id"], request.path_params["imp_uid"])
    return envelope(payments.rest_payment(_payment_or_404(payment), _service(request)))


async def find_payment(request):
    """``/payments/find/{merchant_uid}`` with ``?status=`` or ``/{status}`` (``all``: any)."""
    merchant = _merchant(request)
    status = request.path_params.get("status", request.query_params.get("status"))
    if status not in (None, "all", *STATUSES):
        raise ApiError(400, "status must be ready, paid, failed, cancelled or all")
    status = None if status == "all" else status
    payment = request.app.state.store.payment_by_merchant_uid(
        merchant["id"], request.path_params["merchant_uid"], status)
    return envelope(payments.rest_payment(_payment_or_404(payment), _service(request)))


async def prepare(request):
    merchant = _merchant(request)
    data = await read_json(request, request.app.state.config.max_body)
    merchant_uid = text_field(data, "merchant_uid", max_length=40)
    # Iamport's prepare takes no currency; ours may (default KRW) for the amount rule.
    amount = payments.amount_field(data, payments.currency_field(data), allow_text=True)
    try:
        prepared = request.app.state.store.prepare(merchant["id"], merchant_uid, amount)
    except StoreError as clash:
        raise refusal(str(clash)) from None
    return envelope(_prepared(prepared))


async def get_certification(request):
    """An identity check, for the merchant's server to verify it (never a payment)."""
    merchant = _merchant(request)
    record = request.app.state.store.certification(merchant["id"],
                                                   request.path_params["imp_uid"])
    if record is None:
        raise ApiError(404, "존재하지 않는 본인인증 정보입니다 (no such certification)", code=1)
    return envelope(payments.rest_certification(record))


def _prepared(row):
    return {"merchant_uid": row["merchant_uid"], "amount": payments.as_amount(row["amount"])}


async def get_prepared(request):
    merchant = _merchant(request)
    row = request.app.state.store.prepared(merchant["id"], request.path_params["merchant_uid"])
    if row is None:
        raise ApiError(404, "사전등록된 금액이 없습니다 (nothing prepared for this merchant_uid)",
                       code=1)
    return envelope(_prepared(row))


def _cancel_amount(data, currency):
    """A cancel's ``amount``: absent or 0 refunds what is left (as Iamport does); any other
    value goes through the amount rule in the payment's currency."""
    value = data.get("amount")
    if value is None or value == "" or (not isinstance(value, bool) and value in (0, "0")):
        return None
    return payments.amount_field(data, currency, allow_text=True)


async def cancel(request):
    merchant = _merchant(request)
    app = request.app.state
    data = await read_json(request, app.config.max_body)
    imp_uid = text_field(data, "imp_uid", required=False, max_length=40)
    merchant_uid = text_field(data, "merchant_uid", required=False, max_length=40)
    if imp_uid:
        payment = app.store.payment(merchant["id"], imp_uid)
    elif merchant_uid:
        # The order's paid payment; else its latest, so that "already cancelled" is told.
        payment = (app.store.payment_by_merchant_uid(merchant["id"], merchant_uid, "paid")
                   or app.store.payment_by_merchant_uid(merchant["id"], merchant_uid))
    else:
        raise ApiError(400, "'imp_uid' or 'merchant_uid' is required")
    if payment is None:
        raise refusal(payments.NOTHING_TO_CANCEL)
    amount = _cancel_amount(data, payment["currency"])
    payment = payments.cancel(app.store, payment, amount,
                              text_field(data, "reason", required=False, max_length=200))
    return envelope(payments.rest_payment(payment, _service(request)))


async def charge_again(request):
    """``/subscribe/payments/again``: charge a saved billing key."""
    merchant = _merchant(request)
    app = request.app.state
    data = await read_json(request, app.config.max_body)
    customer_uid = text_field(data, "customer_uid", max_length=80)
    key = app.store.billing_key(merchant["id"], customer_uid)
    if key is None:
        raise refusal("등록되지 않은 customer_uid입니다 (no billing key)")
    currency = payments.currency_field(data)
    # A charge has no billing-key-only form: 0 is refused here, unlike in a window.
    amount = payments.amount_field(data, currency, allow_text=True)
    setting = {"pg_provider": key["pg_provider"], "pg_id": key["pg_id"]}
    request_data = dict(data, pay_method="card", customer_uid=customer_uid, amount=amount,
                        currency=currency)
    try:
        payment = payments.open_payment(app.store, merchant, setting, request_data,
                                        from_window=False)
    except payments.PaymentRefused as refused:
        raise refusal(refused.message) from None
    payment = payments.approve(app.store, merchant, payment)
    return envelope(payments.rest_payment(payment, _service(request)))


routes = [
    Route("/users/getToken", get_token, methods=["POST"]),
    Route("/payments/find/{merchant_uid}", find_payment, methods=["GET"]),
    Route("/payments/find/{merchant_uid}/{status}", find_payment, methods=["GET"]),
    Route("/payments/prepare", prepare, methods=["POST"]),
    Route("/payments/prepare/{merchant_uid}", get_prepared, methods=["GET"]),
    Route("/payments/cancel", cancel, methods=["POST"]),
    Route("/payments/{imp_uid}", get_payment, methods=["GET"]),
    Route("/certifications/{imp_uid}", get_certification, methods=["GET"]),
    Route("/subscribe/payments/again", charge_again, methods=["POST"]),
]
