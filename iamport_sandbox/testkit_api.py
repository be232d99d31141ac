"""The test kit's sandbox calls, for merchants' own test suites (``iamport_sandbox.testkit``).

- ``POST /sandbox/testkit/presets`` ``{merchant_uid, outcome, error_code?, error_msg?, delay?}``
  presets the outcome of the next window opened for that order (``approve``, ``decline``,
  ``cancel``; ``delay`` seconds before the window answers): the window then answers by
  itself, as if the tester had clicked, and a test needs no clicks.
- ``POST /sandbox/testkit/payments/{imp_uid}/deposit`` pays an issued virtual account (the
  shopper's bank transfer): ``ready`` → ``paid``, with its webhook.
- ``GET /sandbox/testkit/certifications/{imp_uid}/otp`` reads the code an OTP identity
  check (``POST /certifications/otp/request``) "sent by SMS", for the test to confirm it.

- ``GET /sandbox/testkit/payments/{imp_uid}/webhooks`` lists a payment's webhook deliveries;
  ``POST /sandbox/testkit/webhooks/{id}/replay`` delivers a recorded one again (a new row,
  as the console's resend).
- TEST-ONLY, served only with ``Config.test_controls`` (``--test-controls``; a 404
  otherwise): ``POST``/``GET``/``DELETE /sandbox/testkit/webhook-chaos`` sets, lists and
  clears the webhook chaos rules (:mod:`iamport_sandbox.webhook_chaos`), and ``POST
  /sandbox/testkit/merchants`` registers a throwaway second merchant (its user code only:
  the audit pays with it to offer "another merchant's imp_uid").

All take the merchant's REST token (``Authorization``), as the REST API does: a merchant can
only preset or pay its own orders. Presets live in the app's memory, one per order, used once.
"""

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox import payment_views, security, webhook_chaos
from iamport_sandbox.domain import payments
from iamport_sandbox.fields import Data, read_json, text_field
from iamport_sandbox.rest.common import NO_PAYMENT
from iamport_sandbox.rest.common import merchant as _merchant
from iamport_sandbox.wire import ApiError, envelope, refusal

OUTCOMES = ("approve", "decline", "cancel")
# A preset: its outcome, the window's delay (ms), and a decline's code and message.
Preset = dict[str, Any]
MAX_DELAY = 60.0


class Presets:
    """Preset window outcomes: by order until a window opens it, then by imp_uid until the
    popup PG page (if any) takes it."""

    def __init__(self) -> None:
        self._by_order: dict[tuple[int, str], Preset] = {}
        self._by_imp_uid: dict[str, Preset] = {}

    def put(self, merchant_id: int, merchant_uid: str, preset: Preset) -> None:
        """Preset the next window of this order."""
        self._by_order[(merchant_id, merchant_uid)] = preset

    def take(self, merchant_id: int, merchant_uid: str, imp_uid: str) -> Preset | None:
        """The preset of a window that just opened this order, or None."""
        preset = self._by_order.pop((merchant_id, merchant_uid), None)
        if preset is not None:
            self._by_imp_uid[imp_uid] = preset
        return preset

    def for_pg_page(self, imp_uid: str) -> Preset | None:
        """The preset of the popup PG page of ``imp_uid`` (taken once), or None."""
        return self._by_imp_uid.pop(imp_uid, None)


def _preset(data: Data) -> Preset:
    outcome = data.get("outcome")
    if outcome not in OUTCOMES:
        raise ApiError(400, "'outcome' must be approve, decline or cancel")
    delay = data.get("delay", 0)
    if (
        isinstance(delay, bool)
        or not isinstance(delay, (int, float))
        or not 0 <= delay <= MAX_DELAY
    ):
        raise ApiError(400, "'delay' must be a number of seconds from 0 to {:g}".format(MAX_DELAY))
    return {
        "outcome": outcome,
        "delay_ms": int(delay * 1000),
        "error_code": text_field(data, "error_code", required=False, max_length=40),
        "error_msg": text_field(data, "error_msg", required=False, max_length=200),
    }


async def preset(request: Request) -> Response:
    merchant = _merchant(request)
    app = request.app.state
    data = await read_json(request, app.config.max_body)
    merchant_uid = text_field(data, "merchant_uid", max_length=40)
    value = _preset(data)
    app.presets.put(merchant["id"], merchant_uid, value)
    return envelope(dict(value, merchant_uid=merchant_uid))


async def deposit(request: Request) -> Response:
    merchant = _merchant(request)
    store = request.app.state.store
    payment = store.payment(merchant["id"], request.path_params["imp_uid"])
    if payment is None:
        raise ApiError(404, NO_PAYMENT, code=1)
    if payment["status"] != "ready" or not payment["vbank_num"]:
        raise refusal(
            "입금 대기 중인 가상계좌가 아닙니다 (not a virtual account awaiting its "
            "deposit; status: {})".format(payment["status"])
        )
    payment = payments.deposit(store, payment)
    return envelope(payment_views.rest_payment(payment, str(request.base_url)))


def _delivery(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "imp_uid": row["imp_uid"],
        "url": row["url"],
        "payload": json.loads(row["payload"]),
        "state": row["state"],
        "attempts": row["attempts"],
        "last_error": row["last_error"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


async def deliveries(request: Request) -> Response:
    """A payment's webhook deliveries, oldest first."""
    merchant = _merchant(request)
    rows = request.app.state.store.webhooks_of(merchant["id"], request.path_params["imp_uid"])
    return envelope([_delivery(row) for row in reversed(rows)])


async def replay(request: Request) -> Response:
    """Deliver a recorded webhook again: a new outbox row with the same URL and body."""
    merchant = _merchant(request)
    raw = request.path_params["webhook_id"]
    store = request.app.state.store
    ok = raw.isascii() and raw.isdigit() and len(raw) <= 15
    copy = store.replay_webhook(merchant["id"], int(raw)) if ok else None
    if copy is None:
        raise ApiError(404, "no such webhook delivery")
    return envelope(_delivery(copy))


def _test_controls(request: Request) -> Any:
    """The merchant of a test-control call; a 404 unless the sandbox serves them."""
    if not request.app.state.config.test_controls:
        raise ApiError(404, "Not Found")
    return _merchant(request)


async def set_chaos(request: Request) -> Response:
    """TEST-ONLY: one chaos rule, for the merchant or one payment (``imp_uid`` or
    ``merchant_uid``); a rule with nothing on removes that rule."""
    merchant = _test_controls(request)
    data = await read_json(request, request.app.state.config.max_body)
    given = [scope for scope in webhook_chaos.SCOPES if data.get(scope) is not None]
    if len(given) > 1:
        raise ApiError(400, "give 'imp_uid' or 'merchant_uid', not both")
    scope = given[0] if given else "merchant"
    key = text_field(data, scope, max_length=40) if given else ""
    try:
        rule = webhook_chaos.read_rule(data)
    except ValueError as problem:
        raise ApiError(400, str(problem)) from None
    request.app.state.webhooks.chaos.set(merchant["id"], rule, scope, key or "")
    return envelope(dict(rule, scope=scope, key=key))


async def list_chaos(request: Request) -> Response:
    """TEST-ONLY: the merchant's chaos rules."""
    merchant = _test_controls(request)
    return envelope(request.app.state.webhooks.chaos.rules(merchant["id"]))


async def clear_chaos(request: Request) -> Response:
    """TEST-ONLY: remove every chaos rule of the merchant."""
    merchant = _test_controls(request)
    request.app.state.webhooks.chaos.clear(merchant["id"])
    return envelope([])


async def other_merchant(request: Request) -> Response:
    """TEST-ONLY: a new merchant with one sandbox payment setting (``html5_inicis``,
    ``MID-other``); answers its user code only (no secret: nobody needs one)."""
    _test_controls(request)
    store = request.app.state.store
    record = store.create_merchant(
        "audit-" + security.new_secret(6).lower(), security.new_secret(12)
    )
    store.add_setting(
        record["id"],
        {"pg_provider": "html5_inicis", "pg_id": "MID-other", "type": "payment", "sandbox": True},
    )
    return envelope({"user_code": record["user_code"]})


async def otp_code(request: Request) -> Response:
    """The code of the merchant's OTP identity check (the SMS the sandbox never sends)."""
    merchant = _merchant(request)
    otp = request.app.state.store.otp(merchant["id"], request.path_params["imp_uid"])
    if otp is None:
        raise ApiError(404, "본인인증 요청건이 존재하지 않습니다 (no such OTP check)", code=1)
    return envelope(
        {"imp_uid": otp["imp_uid"], "otp": otp["code"], "expires_at": otp["expires_at"]}
    )


routes = [
    Route("/sandbox/testkit/presets", preset, methods=["POST"]),
    Route("/sandbox/testkit/certifications/{imp_uid}/otp", otp_code, methods=["GET"]),
    Route("/sandbox/testkit/payments/{imp_uid}/deposit", deposit, methods=["POST"]),
    Route("/sandbox/testkit/payments/{imp_uid}/webhooks", deliveries, methods=["GET"]),
    Route("/sandbox/testkit/webhooks/{webhook_id}/replay", replay, methods=["POST"]),
    Route("/sandbox/testkit/webhook-chaos", set_chaos, methods=["POST"]),
    Route("/sandbox/testkit/webhook-chaos", list_chaos, methods=["GET"]),
    Route("/sandbox/testkit/webhook-chaos", clear_chaos, methods=["DELETE"]),
    Route("/sandbox/testkit/merchants", other_merchant, methods=["POST"]),
]
