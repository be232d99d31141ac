"""Virtual accounts issued from the merchant's server: ``POST /vbanks``, ``PUT`` and
``DELETE /vbanks/{imp_uid}``, and the account holder check ``GET /vbanks/holder``."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox.domain import payments
from iamport_sandbox.domain.tables import BANKS
from iamport_sandbox.fields import Data, amount_field, text_field, timestamp_field
from iamport_sandbox.rest.common import (
    body,
    merchant,
    not_found,
    owned_payment,
    pg_setting,
    show,
)
from iamport_sandbox.store import now
from iamport_sandbox.wire import ApiError, envelope, refusal

# The name every sandbox account check answers with (no bank is asked).
SANDBOX_HOLDER = "홍길동"


def _bank_code(value: object, name: str) -> str:
    if not isinstance(value, str) or value not in BANKS:
        raise ApiError(400, "'{}' must be a bank code of GET /banks".format(name))
    return value


def _due(data: Data, required: bool = True) -> int | None:
    due = timestamp_field(data, "vbank_due", required)
    if due is not None and due <= now():
        raise refusal("입금기한이 이미 지났습니다 (vbank_due is in the past)")
    return due


async def issue(request: Request) -> Response:
    """Issue a virtual account for an order: a ``ready`` payment, its webhook sent."""
    found = merchant(request)
    data = await body(request)
    store = request.app.state.store
    bank_code = _bank_code(data.get("vbank_code"), "vbank_code")
    holder = text_field(data, "vbank_holder", max_length=100)
    due = _due(data)
    assert due is not None  # a required field
    payment = payments.issue_vbank(
        store, found, pg_setting(store, found, data), data, bank_code, holder, due
    )
    return envelope(show(request, payment))


async def change(request: Request) -> Response:
    """Another amount or due date for an account still waiting for its deposit."""
    payment = owned_payment(request, merchant(request))
    data = await body(request)
    amount = None
    if data.get("amount") not in (None, ""):
        amount = amount_field(data, payment["currency"], allow_text=True)
    due = _due(data, required=False)
    if amount is None and due is None:
        raise ApiError(400, "'amount' or 'vbank_due' is required")
    return envelope(
        show(request, payments.change_vbank(request.app.state.store, payment, amount, due))
    )


async def revoke(request: Request) -> Response:
    """Close an account before any deposit: the payment is ``cancelled``."""
    payment = owned_payment(request, merchant(request))
    return envelope(show(request, payments.revoke_vbank(request.app.state.store, payment)))


async def holder(request: Request) -> Response:
    """The holder of a bank account: always the sandbox's fixed name."""
    merchant(request)
    _bank_code(request.query_params.get("bank_code"), "bank_code")
    number = request.query_params.get("bank_num", "").replace("-", "")
    if not number.isdigit() or not number.isascii() or not 6 <= len(number) <= 20:
        raise ApiError(400, "'bank_num' must be 6 to 20 digits")
    if number.strip("0") == "":
        raise not_found("계좌를 찾을 수 없습니다 (no such account)")
    return envelope({"bank_holder": SANDBOX_HOLDER})


routes = [
    Route("/vbanks", issue, methods=["POST"]),
    Route("/vbanks/holder", holder, methods=["GET"]),
    Route("/vbanks/{imp_uid}", change, methods=["PUT"]),
    Route("/vbanks/{imp_uid}", revoke, methods=["DELETE"]),
]
