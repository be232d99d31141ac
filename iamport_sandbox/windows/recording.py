"""The window's recording API: a sandbox window reports each step here.

``POST /sandbox/windows/open`` records the SDK's request (an imp_uid is born);
``POST /sandbox/windows/{imp_uid}/complete`` records the tester's outcome. The result is
recorded before the page posts it back, so the REST API always agrees with the callback;
completing again answers the stored result, so a window that retries after a lost answer
still gets one.
"""

import asyncio
import json
from collections.abc import Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_py import errors
from iamport_py.errors import IamportError
from iamport_py.validation import message_language
from iamport_sandbox import confirm, security, webhooks
from iamport_sandbox.config import Config
from iamport_sandbox.domain import payments
from iamport_sandbox.domain.errors import AlreadyEnded, PaymentRefused
from iamport_sandbox.fields import read_json, text_field
from iamport_sandbox.windows import answer, facts
from iamport_sandbox.windows.lookup import Address, Row, find_window, recorded_setting
from iamport_sandbox.wire import ApiError, envelope, too_many


def _envelope(data: Mapping[str, Any]) -> Response:
    """``data`` in Iamport's envelope (``{"code": 0, "message": null, "response": data}``)."""
    response: Response = envelope(data)
    return response


def open_limiter(config: Config) -> security.RateLimit:
    """Opens per user code per minute (``Config.window_opens_per_minute``; 0: none)."""
    return security.RateLimit(config.window_opens_per_minute)


def _check_notice_urls(config: Config, policy: Any, urls: object) -> None:
    if not isinstance(urls, list):
        return
    limit = min(config.webhook_max_urls, webhooks.MAX_NOTICE_URLS)
    if len(urls) > limit:
        raise ApiError(400, "at most {} notice_url per payment".format(limit))
    for url in urls:
        if isinstance(url, str):
            try:
                policy.check_url(url)
            except webhooks.Refused as refused:
                raise ApiError(400, "'notice_url' refused: {}".format(refused)) from None


def check_limits(config: Config, policy: Any, body: Mapping[str, Any]) -> None:
    """What an unauthenticated window may ask the sandbox to keep or to call: a bounded
    ``custom_data``, at most ``webhook_max_urls`` notice URLs and a ``confirm_url`` the
    webhook policy accepts (host names are checked again, resolved, when called)."""
    custom = body.get("custom_data")
    if custom is not None:
        size = len(json.dumps(custom, ensure_ascii=False).encode("utf-8"))
        if size > config.window_custom_data_max:
            raise ApiError(
                413, "'custom_data' is larger than {} bytes".format(config.window_custom_data_max)
            )
    notice = body.get("notice_url")
    _check_notice_urls(config, policy, [notice] if isinstance(notice, str) else notice)
    try:
        confirm.check(policy, body)
    except ValueError as problem:
        raise ApiError(400, str(problem)) from None


def _window_of(app: Any, data: Mapping[str, Any]) -> tuple[Address, Any]:
    """The window that posted ``data``, found as its page found it."""
    action = data.get("action")
    # Only a text can name a kind (a list or an object is unhashable: no 500 for it).
    if not isinstance(action, str) or action not in facts.KINDS:
        raise ApiError(400, "'action' must be {}".format(facts.one_of(list(facts.KINDS))))
    pg_id = data.get("pg_id")
    address = Address(
        action,
        text_field(data, "user_code", max_length=40),
        text_field(data, "pg_provider", max_length=40),
        pg_id if isinstance(pg_id, str) else None,
        text_field(data, "tier_code", required=False, max_length=40),
    )
    window = find_window(app.store, address)
    if window.setting is None:
        raise ApiError(404, "no {} PG setting for this window".format(action))
    return address, window


def _record(app: Any, merchant: Row, setting: Row, kind: str, body: Any) -> Any:
    if kind == "certification":
        return payments.open_certification(app.store, merchant, setting, body)
    return payments.open_payment(app.store, merchant, setting, body)


async def open_request(request: Request) -> Response:
    """The window got a request from the SDK: record it (an imp_uid is born)."""
    app = request.app.state
    data = await read_json(request, app.config.max_body)
    if app.config.window_open_delay:
        await asyncio.sleep(app.config.window_open_delay)
    address, window = _window_of(app, data)
    body = data.get("request")
    if not isinstance(body, dict):
        raise ApiError(400, "'request' must be an object")
    try:
        setting = recorded_setting(window, body)
    except IamportError as error:
        message = error.message(message_language(body))
        return _envelope(answer.refused(body, error.code, message, None))
    assert setting is not None and window.merchant is not None  # the window has its own
    check_limits(app.config, app.webhooks.policy, body)
    try:
        app.window_opens.take(window.merchant["user_code"])
    except security.Throttled as wait:
        raise too_many(wait.retry_after, "too many windows opened for this user code") from None
    try:
        record = _record(app, window.merchant, setting, address.kind, body)
    except PaymentRefused as refusal:  # the window answers it as a failed rsp
        # Opening refuses one thing only, an order already paid, and names its code.
        code = refusal.error_code or errors.ALREADY_PAID
        return _envelope(answer.refused(body, code, refusal.message, setting))
    response = answer.window_response(record, str(request.base_url))
    if setting["id"] != window.setting["id"]:  # the key chose another: the window shows it
        response["sandbox_setting"] = answer.shown_setting(setting)
    preset = app.presets.take(window.merchant["id"], record["merchant_uid"], record["imp_uid"])
    if preset is not None:  # the test kit's preset outcome: the window answers by itself
        response["sandbox_preset"] = preset
    return _envelope(response)


def _opened_record(store: Any, merchant: Row | None, imp_uid: str, request_id: str) -> Any:
    """``(kind, record)``: the payment or certification this window opened."""
    if merchant is not None:
        for kind, read in (("payment", store.payment), ("certification", store.certification)):
            record = read(merchant["id"], imp_uid)
            # The request id is the window's proof that it opened this record.
            if record is not None and record["request_id"] == request_id:
                return kind, record
    raise ApiError(404, "unknown payment request")


def _person(data: Mapping[str, Any]) -> dict[str, Any]:
    given = data.get("person")
    person: Mapping[str, Any] = given if isinstance(given, dict) else {}
    return {
        name: text_field(person, name, required=False, max_length=length)
        for name, length in (
            ("name", 60),
            ("phone", 20),
            ("gender", 10),
            ("birthday", 10),
            ("carrier", 10),
        )
    }


# One handler per outcome of facts.KINDS: (store, merchant, kind, record, data) -> record.
Handler = Callable[[Any, Row, str, Row, Mapping[str, Any]], Any]


def _approve(store: Any, merchant: Row, kind: str, record: Row, data: Mapping[str, Any]) -> Any:
    vbank_due = text_field(data, "vbank_due", required=False)
    return payments.approve(store, merchant, record, vbank_due)


def _certify(store: Any, merchant: Row, kind: str, record: Row, data: Mapping[str, Any]) -> Any:
    return payments.certify(store, merchant, record, _person(data))


def _decline(store: Any, merchant: Row, kind: str, record: Row, data: Mapping[str, Any]) -> Any:
    code = text_field(data, "error_code", required=False, max_length=40)
    message = text_field(data, "error_msg", required=False, max_length=200)
    if kind == "certification":
        return payments.fail_certification(
            store,
            record,
            code or facts.CERT_DECLINED,
            message or errors.error_message(facts.CERT_DECLINED),
        )
    return payments.decline(store, record, code, message)


def _cancel(store: Any, merchant: Row, kind: str, record: Row, data: Mapping[str, Any]) -> Any:
    if kind == "certification":
        return payments.fail_certification(
            store, record, errors.USER_CANCEL, payments.USER_CANCELLED
        )
    return payments.user_cancel(store, record)


HANDLERS: dict[str, Handler] = {
    "approve": _approve,
    "certify": _certify,
    "decline": _decline,
    "cancel": _cancel,
}
"""What each outcome records (every outcome of :data:`.facts.OUTCOMES`, no other)."""


async def complete_request(request: Request) -> Response:
    """The tester pressed Approve, Decline, Cancel or Verify."""
    app = request.app.state
    data = await read_json(request, app.config.max_body)
    merchant = app.store.merchant_by_code(text_field(data, "user_code", max_length=40))
    request_id = text_field(data, "request_id", max_length=facts.REQUEST_ID_MAX)
    outcome = data.get("outcome")
    if not isinstance(outcome, str) or outcome not in facts.OUTCOMES:
        raise ApiError(400, "'outcome' must be {}".format(facts.one_of(facts.OUTCOMES)))
    imp_uid = request.path_params["imp_uid"]
    kind, record = _opened_record(app.store, merchant, imp_uid, request_id)
    allowed = facts.KINDS[kind].outcomes
    if outcome not in allowed:
        raise ApiError(400, "a {} takes {}, not '{}'".format(kind, ", ".join(allowed), outcome))
    handler = HANDLERS[outcome]

    def record_it() -> Any:
        return handler(app.store, merchant, kind, record, data)

    if payments.is_open(record):
        try:
            if handler is _approve:  # the merchant's confirm_url may still say no
                await confirm.approve(app, merchant, record, record_it)
            else:
                record_it()
        except AlreadyEnded:
            pass  # completed meanwhile
    # The stored result, whoever recorded it: a second completion answers the first.
    _, stored = _opened_record(app.store, merchant, imp_uid, request_id)
    return _envelope(answer.window_response(stored, str(request.base_url)))


routes = [
    Route(facts.OPEN_PATH, open_request, methods=["POST"]),
    Route(facts.COMPLETE_PATH, complete_request, methods=["POST"]),
]
"""The recording API's routes."""
