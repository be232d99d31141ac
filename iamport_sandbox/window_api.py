"""The window's recording API: a sandbox window reports each step here.

``POST /sandbox/windows/open`` records the SDK's request (an imp_uid is born);
``POST /sandbox/windows/{imp_uid}/complete`` records the tester's outcome. The
result is recorded before the page posts it back, so the REST API always agrees
with the callback; completing again answers the stored result, so a window that
retries after a lost answer still gets one.
"""

import asyncio
import json

from starlette.routing import Route

from iamport_py.catalog import POPUP, get_pg
from iamport_py.errors import IamportError
from iamport_py.routing import resolve_pg
from iamport_py.validation import message_language
from iamport_sandbox import confirm, payment_views, payments, security, webhooks
from iamport_sandbox.payments import AlreadyEnded, PaymentRefused
from iamport_sandbox.wire import ApiError, envelope, read_json, text_field, too_many

# The outcomes a window may record, per kind of request.
OUTCOMES = {"payment": ("approve", "decline", "cancel"),
            "certification": ("certify", "decline", "cancel")}


def lookup_setting(store, user_code, pg_provider, pg_id, action, tier_code=None):
    """The merchant and its setting for a window (``tier_code``: an agency's tier)."""
    merchant = store.merchant_by_code(user_code)
    if merchant is None:
        return None, None
    mid = pg_id or None
    return merchant, store.find_setting(merchant["id"], pg_provider, mid, action, tier_code)


def keyed_setting(store, merchant, body, action, tier_code):
    """The setting the request's ``channelKey`` names, by the SDK's own rule (a current
    iamport.js posts the key to the default window and leaves the choice to the
    service); ``None`` without a key. An unknown key, or one of the other type, raises
    the SDK's :class:`IamportError`: no fallback, ever."""
    key = body.get("channelKey")
    if key is None:
        return None
    return resolve_pg(store.settings(merchant["id"], tier_code), None, action,
                      warn=lambda _: None, channel_key=key)


def _shown_setting(setting):
    """What a window shows of the setting a channel key chose in its place."""
    pg = get_pg(setting["pg_provider"]) or {}
    return {"pg_provider": setting["pg_provider"], "pg_id": setting["pg_id"],
            "name_ko": pg.get("name_ko", setting["pg_provider"]),
            "name_en": pg.get("name_en", setting["pg_provider"]),
            "popup": pg.get("window") == POPUP}


def _refused(body, code, message, setting):
    """The answer to a request the window must report as failed (no record was made)."""
    return envelope({"success": False, "imp_uid": None,
                     "merchant_uid": body.get("merchant_uid"), "error_code": code,
                     "error_msg": message, "pg_provider": setting and setting["pg_provider"],
                     "pg_id": setting and setting["pg_id"]})


def open_limiter(config):
    """Opens per user code per minute (``Config.window_opens_per_minute``; 0: none)."""
    return security.RateLimit(config.window_opens_per_minute)


def check_limits(config, policy, body):
    """What an unauthenticated window may ask the sandbox to keep or to call: a bounded
    ``custom_data``, at most ``webhook_max_urls`` notice URLs and a ``confirm_url`` the
    webhook policy accepts (host names are checked again, resolved, when called)."""
    custom = body.get("custom_data")
    if custom is not None:
        size = len(json.dumps(custom, ensure_ascii=False).encode("utf-8"))
        if size > config.window_custom_data_max:
            raise ApiError(413, "'custom_data' is larger than {} bytes".format(
                config.window_custom_data_max))
    notice = body.get("notice_url")
    urls = [notice] if isinstance(notice, str) else notice
    if isinstance(urls, list):
        limit = min(config.webhook_max_urls, webhooks.MAX_NOTICE_URLS)
        if len(urls) > limit:
            raise ApiError(400, "at most {} notice_url per payment".format(limit))
        for url in urls:
            if isinstance(url, str):
                try:
                    policy.check_url(url)
                except webhooks.Refused as refused:
                    raise ApiError(400, "'notice_url' refused: {}".format(refused)) from None
    try:
        confirm.check(policy, body)
    except ValueError as problem:
        raise ApiError(400, str(problem)) from None


async def open_request(request):
    """The window got a request from the SDK: record it (an imp_uid is born)."""
    app = request.app.state
    data = await read_json(request, app.config.max_body)
    if app.config.window_open_delay:
        await asyncio.sleep(app.config.window_open_delay)
    action = data.get("action")
    if action not in OUTCOMES:
        raise ApiError(400, "'action' must be payment or certification")
    user_code = text_field(data, "user_code", max_length=40)
    tier_code = text_field(data, "tier_code", required=False, max_length=40)
    merchant, setting = lookup_setting(
        app.store, user_code, text_field(data, "pg_provider", max_length=40),
        data.get("pg_id") if isinstance(data.get("pg_id"), str) else None, action, tier_code)
    if setting is None:
        raise ApiError(404, "no {} PG setting for this window".format(action))
    body = data.get("request")
    if not isinstance(body, dict):
        raise ApiError(400, "'request' must be an object")
    try:
        keyed = keyed_setting(app.store, merchant, body, action, tier_code)
    except IamportError as error:
        return _refused(body, error.code, error.message(message_language(body)), None)
    moved = keyed is not None and keyed["id"] != setting["id"]
    setting = keyed or setting
    check_limits(app.config, app.webhooks.policy, body)
    try:
        app.window_opens.take(merchant["user_code"])
    except security.Throttled as wait:
        raise too_many(wait.retry_after, "too many windows opened for this user code") \
            from None
    try:
        if action == "certification":
            record = payments.open_certification(app.store, merchant, setting, body)
        else:
            record = payments.open_payment(app.store, merchant, setting, body)
    except PaymentRefused as refusal:
        return _refused(body, refusal.code, refusal.message, setting)
    response = payment_views.window_response(record, str(request.base_url))
    if moved:  # the window was another setting's: it shows the one the key chose
        response["sandbox_setting"] = _shown_setting(setting)
    preset = app.presets.take(merchant["id"], record["merchant_uid"], record["imp_uid"])
    if preset is not None:  # the test kit's preset outcome: the window answers by itself
        response["sandbox_preset"] = preset
    return envelope(response)


def _opened_record(store, merchant, imp_uid, request_id):
    """The payment or certification this window opened, with its kind."""
    if merchant is not None:
        for kind, read in (("payment", store.payment), ("certification", store.certification)):
            record = read(merchant["id"], imp_uid)
            # The request id is the window's proof that it opened this record.
            if record is not None and record["request_id"] == request_id:
                return kind, record
    raise ApiError(404, "unknown payment request")


def _apply(store, merchant, kind, record, outcome, data):
    if outcome == "approve":
        return payments.approve(store, merchant, record,
                                text_field(data, "vbank_due", required=False))
    if outcome == "certify":
        person = data.get("person") if isinstance(data.get("person"), dict) else {}
        return payments.certify(store, merchant, record, {
            "name": text_field(person, "name", required=False, max_length=60),
            "phone": text_field(person, "phone", required=False, max_length=20),
            "gender": text_field(person, "gender", required=False, max_length=10),
            "birthday": text_field(person, "birthday", required=False, max_length=10),
            "carrier": text_field(person, "carrier", required=False, max_length=10)})
    if outcome == "decline":
        code = text_field(data, "error_code", required=False, max_length=40)
        message = text_field(data, "error_msg", required=False, max_length=200)
        if kind == "certification":
            return payments.fail_certification(store, record, code or "CERT_DECLINED",
                                               message or "identity check declined")
        return payments.decline(store, record, code, message)
    if kind == "certification":
        return payments.fail_certification(store, record, "F0005", payments.USER_CANCELLED)
    return payments.user_cancel(store, record)


async def complete_request(request):
    """The tester pressed Approve, Decline, Cancel or Verify."""
    app = request.app.state
    data = await read_json(request, app.config.max_body)
    merchant = app.store.merchant_by_code(text_field(data, "user_code", max_length=40))
    request_id = text_field(data, "request_id", max_length=80)
    outcome = data.get("outcome")
    if outcome not in ("approve", "certify", "decline", "cancel"):
        raise ApiError(400, "'outcome' must be approve, decline, cancel or certify")
    kind, record = _opened_record(app.store, merchant, request.path_params["imp_uid"],
                                  request_id)
    if outcome not in OUTCOMES[kind]:
        raise ApiError(400, "a {} takes {}, not '{}'".format(
            kind, ", ".join(OUTCOMES[kind]), outcome))
    if payments.is_open(record):
        try:
            if outcome == "approve":  # the merchant's confirm_url may still say no
                await confirm.approve(app, merchant, record, lambda: _apply(
                    app.store, merchant, kind, record, outcome, data))
            else:
                _apply(app.store, merchant, kind, record, outcome, data)
        except AlreadyEnded:
            pass  # completed meanwhile
    # The stored result, whoever recorded it: a second completion answers the first.
    _, record = _opened_record(app.store, merchant, record["imp_uid"], request_id)
    return envelope(payment_views.window_response(record, str(request.base_url)))


routes = [
    Route("/sandbox/windows/open", open_request, methods=["POST"]),
    Route("/sandbox/windows/{imp_uid}/complete", complete_request, methods=["POST"]),
]
