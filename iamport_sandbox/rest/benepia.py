"""Benepia points through KCP (``POST /benepia/point``, ``POST /benepia/payment``): a
Benepia account's balance, and a payment with its points.

The sandbox's accounts: every ``benepia_user`` starts with :data:`START_POINTS` points at
each merchant, and a payment spends them; a ``benepia_password`` ending in
:data:`WRONG_PASSWORD_SUFFIX` is a wrong password (the sandbox's rule, as its card rule)."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox.domain import payments
from iamport_sandbox.fields import Data, amount_field, list_field, text_field
from iamport_sandbox.rest.common import body, merchant, show
from iamport_sandbox.rest.providers import provider_setting
from iamport_sandbox.store import Row, Store
from iamport_sandbox.wire import envelope, refusal

PROVIDER = "kcp"
START_POINTS = 100000
WRONG_PASSWORD_SUFFIX = "0002"
BUYER_LENGTHS = {"buyer_name": 16, "buyer_email": 64, "buyer_tel": 16, "buyer_addr": 128}


def _account(store: Store, found: Row, data: Data) -> tuple[str, float]:
    """The Benepia account the body signs in to, and its balance (a refusal for a wrong
    password)."""
    user = text_field(data, "benepia_user", max_length=50)
    password = text_field(data, "benepia_password", max_length=100)
    if not user.strip() or password.endswith(WRONG_PASSWORD_SUFFIX):
        raise refusal(
            "베네피아 아이디 또는 비밀번호가 일치하지 않습니다 (wrong Benepia user or password; "
            "sandbox: a password ending in {} is wrong)".format(WRONG_PASSWORD_SUFFIX)
        )
    return user, START_POINTS - store.benepia_spent(found["id"], user)


async def point(request: Request) -> Response:
    """The account's points."""
    found = merchant(request)
    data = await body(request)
    store = request.app.state.store
    provider_setting(store, found, data, PROVIDER)
    _, balance = _account(store, found, data)
    return envelope({"point": int(balance)})


def _order(data: Data) -> dict[str, Any]:
    order: dict[str, Any] = {
        "merchant_uid": text_field(data, "merchant_uid", max_length=40),
        "amount": amount_field(data, "KRW", allow_text=True),
        "currency": "KRW",
        "name": text_field(data, "name", max_length=40),
        "buyer_postcode": text_field(data, "buyer_postcode", required=False, max_length=8),
        "notice_url": list_field(data, "notice_url", required=False),
        "custom_data": data.get("custom_data"),
        "pay_method": "point",
    }
    for name, length in BUYER_LENGTHS.items():
        order[name] = text_field(data, name, required=False, max_length=length)
    return order


async def pay(request: Request) -> Response:
    """Pay an order with the account's points: a paid payment (its webhook sent), or a
    refusal when the points do not cover it or the order is paid already."""
    found = merchant(request)
    data = await body(request)
    order = _order(data)
    text_field(data, "benepia_member_code", required=False, max_length=40)
    store = request.app.state.store
    with store.transaction():
        setting = provider_setting(store, found, data, PROVIDER)
        user, balance = _account(store, found, data)
        if order["amount"] > balance:
            raise refusal(
                "베네피아 포인트가 부족합니다 (not enough points: {} left)".format(int(balance))
            )
        payment = payments.open_payment(
            store, found, setting, order, from_window=False, extra={"channel": "api"}
        )
        payment = payments.approve(store, found, payment, save_key=False)
        if payment["status"] == "paid":
            store.spend_benepia(found["id"], user, float(payment["amount"]))
    return envelope(show(request, payment))


routes = [
    Route("/benepia/point", point, methods=["POST"]),
    Route("/benepia/payment", pay, methods=["POST"]),
]
