"""The checkout server's API, as iamport.js 1.3 calls it for its six checkout-server PGs
(docs/protocol.md §9):

- ``POST /api/prepare/v1``: the request (``{"data": {userCode, tierCode, …param},
  "deviceInfo", "sdkVersion"}``) is routed by the routing rule to one of the merchant's
  settings of those PGs; the answer names the driver the SDK loads and carries, for our
  driver, the sandbox window that shows the payment (and records it, as every window does);
- ``POST /api/fail/{pg_provider}/v1``: what the SDK posts when the driver reports a failure;
  the answer's ``redirectUrl`` carries the failed payment's imp_uid, merchant_uid, code and
  message, which the SDK hands to the callback;
- the rest of what the SDK may call there (billing keys, ``IMP.loadUI``, ``IMP.loadModule``):
  a JSON 404 saying it is not simulated.

Every refusal is ``{"code", "message"}`` with a 4xx status: the SDK reads those two into the
callback's ``error_code`` and ``error_msg``. The paths sit beside the REST API's (``/api``),
as the route mapping keeps the checkout host's paths; no REST path has this shape.
"""

from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from iamport_py import errors
from iamport_py.errors import IamportError
from iamport_py.protocol import window_url
from iamport_py.routing import resolve_pg
from iamport_py.validation import message_language
from iamport_sandbox.checkout_service import facts
from iamport_sandbox.fields import BodyTooLarge, FieldError, read_json, text_field
from iamport_sandbox.windows.lookup import Address, Row, find_window

# The SDK calls from the merchant's page, another origin: JSON bodies need a preflight.
CORS = [
    Middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
        max_age=600,
    )
]
# What the SDK sends besides the request_pay parameters, never passed to the window.
NOT_FOR_THE_WINDOW = ("userCode", "tierCode", "actionType")


class Refused(Exception):
    """A refusal of the checkout API: an HTTP status, a code and a message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


Endpoint = Callable[[Request], Awaitable[Response]]


def answers(endpoint: Endpoint) -> Endpoint:
    """``endpoint`` with its refusals and unreadable fields as ``{"code", "message"}``."""

    async def answer(request: Request) -> Response:
        try:
            return await endpoint(request)
        except Refused as refused:
            return refusal(refused.status, refused.code, refused.message)
        except FieldError as error:
            status = 413 if isinstance(error, BodyTooLarge) else 400
            return refusal(status, errors.INVALID_PARAM, error.message)

    return answer


def refusal(status: int, code: str, message: str) -> JSONResponse:
    """The checkout server's error body, as the SDK reads it."""
    return JSONResponse({"code": code, "message": message}, status_code=status)


def _request(body: Mapping[str, Any]) -> dict[str, Any]:
    data = body.get("data")
    if not isinstance(data, dict):
        raise Refused(400, errors.INVALID_PARAM, "'data' must be an object (the request)")
    action = data.get("actionType", facts.ACTION)
    if action != facts.ACTION:
        raise Refused(404, errors.WINDOW_FAILED, "the sandbox simulates REQUEST_PAY only")
    return data


def _setting(store: Any, data: Mapping[str, Any], code: str) -> tuple[Row, bool]:
    """The setting the request is routed to (the routing rule, channelKey first) and
    whether it is the default (entry 0)."""
    user_code = text_field(data, "userCode", max_length=40)
    tier = text_field(data, "tierCode", required=False, max_length=40) or None
    window = find_window(store, Address("payment", user_code, tier=tier))
    language = message_language(data)
    if window.merchant is None:
        message = errors.error_message(errors.PG_NOT_REGISTERED, language, {"action": "payment"})
        raise Refused(404, errors.PG_NOT_REGISTERED, message)
    settings = list(window.settings)
    try:
        setting = resolve_pg(
            settings, data.get("pg"), "payment", lambda _: None, data.get("channelKey")
        )
    except IamportError as error:
        raise Refused(404, error.code, error.message(language)) from None
    if setting["pg_provider"] not in facts.CHECKOUT_PGS:
        message = "{} has no setting the checkout server serves for '{}'".format(user_code, code)
        raise Refused(404, errors.PG_NOT_REGISTERED, message)
    return setting, setting["id"] == settings[0]["id"]


@answers
async def prepare(request: Request) -> Response:
    """``POST /api/prepare/v1``: the driver to load and the window it shows."""
    app = request.app.state
    data = _request(await read_json(request, app.config.max_body))
    code = facts.checkout_code(data.get("pg"), data.get("customer_uid"))
    if code is None:
        raise Refused(400, errors.INVALID_PG, "iamport.js sends this pg to its service's windows")
    merchant_uid = text_field(data, "merchant_uid", max_length=80)
    setting, is_default = _setting(app.store, data, code)
    user_code = data["userCode"]
    tier = data.get("tierCode") or None
    for_window = {name: value for name, value in data.items() if name not in NOT_FOR_THE_WINDOW}
    if tier:
        for_window["tier_code"] = tier
    return JSONResponse(
        {
            "pgProvider": facts.provider_enum(setting["pg_provider"]),
            "transactionType": facts.TRANSACTION,
            "windowType": facts.WINDOW_TYPE,
            "storeId": user_code,
            "paymentId": merchant_uid,
            "channelKey": setting.get("channel_key"),
            # Ours: the driver shows this window (on the checkout host) with this request.
            "sandbox": {
                "window": window_url("", "payment", user_code, setting, is_default, tier),
                "request": for_window,
            },
        }
    )


def _failed_payment(store: Any, body: Mapping[str, Any], imp_uid: str) -> Row:
    merchant = store.merchant_by_code(text_field(body, "storeId", max_length=40))
    payment = store.payment(merchant["id"], imp_uid) if merchant else None
    merchant_uid = text_field(body, "paymentId", required=False, max_length=80)
    if payment is None or merchant_uid not in (None, payment["merchant_uid"]):
        raise Refused(404, errors.WINDOW_FAILED, "no payment {} of this store".format(imp_uid))
    if payment["status"] != "failed":
        message = "payment {} is {}, not failed".format(imp_uid, payment["status"])
        raise Refused(409, errors.WINDOW_FAILED, message)
    failed: Row = payment  # the store's row (typed Any here)
    return failed


@answers
async def fail(request: Request) -> Response:
    """``POST /api/fail/{pg_provider}/v1``: the failure the driver reported, as the
    stored payment has it (its window recorded it); one the window could not record (no
    ``txId``: refused before an imp_uid was born) as the driver reported it."""
    app = request.app.state
    if facts.code_of_provider(request.path_params["pg_provider"]) is None:
        raise Refused(404, errors.INVALID_PG, "not a PG of the checkout server")
    body = await read_json(request, app.config.max_body)
    imp_uid = text_field(body, "txId", required=False, max_length=40)
    if imp_uid:
        payment = _failed_payment(app.store, body, imp_uid)
        query = {
            "imp_uid": imp_uid,
            "merchant_uid": payment["merchant_uid"],
            "error_code": payment["error_code"] or "",
            "error_msg": payment["fail_reason"] or "",
        }
    else:
        query = {
            "merchant_uid": text_field(body, "paymentId", required=False, max_length=80) or "",
            "error_code": text_field(body, "pgCode", required=False, max_length=40) or "",
            "error_msg": text_field(body, "pgMessage", required=False, max_length=200)
            or text_field(body, "message", required=False, max_length=200)
            or "",
        }
    # isDirectReturn: the SDK reads the parameters and goes nowhere.
    query["imp_success"] = "false"
    return JSONResponse({"redirectUrl": "?" + urlencode({k: v for k, v in query.items() if v})})


@answers
async def not_simulated(request: Request) -> Response:
    """What the sandbox's checkout server does not simulate: said in the callback."""
    reason = "the sandbox's checkout server does not simulate {}".format(request.url.path)
    message = errors.error_message(errors.WINDOW_FAILED, "en", {"reason": reason})
    raise Refused(404, errors.WINDOW_FAILED, message)


def _preflight(endpoint: Endpoint) -> Endpoint:
    # CORSMiddleware answers preflights; another OPTIONS request has nothing to get here.
    async def route(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204)
        return await endpoint(request)

    return route


routes = [
    Route(
        path,
        _preflight(endpoint),
        methods=[method, "OPTIONS"],
        name="checkout:" + path,
        middleware=CORS,
    )
    for method, path, endpoint in [
        ("POST", facts.PREPARE_PATH, prepare),
        ("POST", facts.FAIL_PATH, fail),
        *[(method, path, not_simulated) for method, path in facts.NOT_SIMULATED_PATHS],
    ]
]
"""The checkout API's routes (each with CORS for the merchant's page)."""
