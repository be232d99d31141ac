"""The test kit's two sandbox calls, for merchants' own test suites (``iamport_sandbox.testkit``).

- ``POST /sandbox/testkit/presets`` ``{merchant_uid, outcome, error_code?, error_msg?, delay?}``
  presets the outcome of the next window opened for that order (``approve``, ``decline``,
  ``cancel``; ``delay`` seconds before the window answers): the window then answers by
  itself, as if the tester had clicked, and a test needs no clicks.
- ``POST /sandbox/testkit/payments/{imp_uid}/deposit`` pays an issued virtual account (the
  shopper's bank transfer): ``ready`` → ``paid``, with its webhook.

Both take the merchant's REST token (``Authorization``), as the REST API does: a merchant can
only preset or pay its own orders. Presets live in the app's memory, one per order, used once.
"""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox import payment_views
from iamport_sandbox.domain import payments
from iamport_sandbox.fields import Data, read_json, text_field
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
        raise ApiError(404, "존재하지 않는 결제정보입니다 (no such payment)", code=1)
    if payment["status"] != "ready" or not payment["vbank_num"]:
        raise refusal(
            "입금 대기 중인 가상계좌가 아닙니다 (not a virtual account awaiting its "
            "deposit; status: {})".format(payment["status"])
        )
    payment = payments.deposit(store, payment)
    return envelope(payment_views.rest_payment(payment, str(request.base_url)))


routes = [
    Route("/sandbox/testkit/presets", preset, methods=["POST"]),
    Route("/sandbox/testkit/payments/{imp_uid}/deposit", deposit, methods=["POST"]),
]
