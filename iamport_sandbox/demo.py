"""The demo merchant, and the demo shop's backend (standing for the merchant's server).

The backend half shows the verification every merchant must do: the page never
decides that a payment is good; the server asks the REST API and compares the
paid amount with the amount it expects for the order.
"""

import secrets
from collections.abc import Mapping
from typing import Any, TypedDict
from urllib.parse import quote

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp

from iamport_sandbox.fields import number_field, read_json, text_field
from iamport_sandbox.store import Row, Store, StoreError, now
from iamport_sandbox.wire import ApiError, envelope

DEMO = {
    "login": "demo",
    "password": "demo1234",
    "user_code": "imp10000001",
    "imp_key": "1000000000000001",
    # A sandbox demo's secret is public by nature; a real merchant's is printed once.
    "imp_secret": "demo-secret-for-the-local-sandbox-only",
}
# The seed's walkthrough: Inicis MID-a (default), Inicis MID-b (recurring), KakaoPay MID-c.
# The demo's channel keys are fixed (UUID v4 in shape, like every key the console issues)
# so that the README's pages run as written; a merchant's are random.
DEMO_CHANNEL_KEYS = {
    "MID-a": "channel-key-10000001-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
    "MID-b": "channel-key-10000001-bbbb-4bbb-8bbb-bbbbbbbbbbbb",
    "MID-c": "channel-key-10000001-cccc-4ccc-8ccc-cccccccccccc",
}
SEED_SETTINGS = (
    {
        "pg_provider": "html5_inicis",
        "pg_id": "MID-a",
        "label": "일반결제 · General payment",
        "type": "payment",
        "sandbox": True,
        "channel_key": DEMO_CHANNEL_KEYS["MID-a"],
        "credentials": {"sign_key": "SU5JTElURV9UUklQTEVERVNfS0VZU1RS"},
    },
    {
        "pg_provider": "html5_inicis",
        "pg_id": "MID-b",
        "label": "정기결제 · Recurring payment",
        "type": "payment",
        "sandbox": True,
        "channel_key": DEMO_CHANNEL_KEYS["MID-b"],
        "credentials": {
            "sign_key": "SU5JTElURV9UUklQTEVERVNfS0VZU1RSMiB",
            "merchant_key": "b09LVzhuTGZVaEY1WmJoQnZzdXpSdz09",
        },
    },
    {
        "pg_provider": "kakaopay",
        "pg_id": "MID-c",
        "label": "간편결제 · Simple payment",
        "type": "payment",
        "sandbox": True,
        "channel_key": DEMO_CHANNEL_KEYS["MID-c"],
        "credentials": {"api_secret": "DEV_KAKAO_SECRET_8f2a61c0d3"},
    },
)


class Product(TypedDict):
    """A product of the demo shop: its name and its price in won."""

    name: str
    price: int


PRODUCTS: dict[str, Product] = {
    "tee": {"name": "iamport-py 티셔츠 · T-shirt", "price": 29000},
    "mug": {"name": "PyScript 머그컵 · Mug", "price": 15000},
}


def ensure_demo_merchant(store: Store) -> Row | None:
    """Register the demo merchant and the seed's settings once; later runs change nothing."""
    merchant = store.merchant_by_code(DEMO["user_code"])
    if merchant is None:
        try:
            merchant = store.create_merchant(
                DEMO["login"],
                DEMO["password"],
                DEMO["user_code"],
                DEMO["imp_key"],
                DEMO["imp_secret"],
            )
        except StoreError:
            merchant = store.merchant_by_code(DEMO["user_code"])
        if merchant is not None and not store.settings(merchant["id"]):
            for setting in SEED_SETTINGS:
                store.add_setting(merchant["id"], setting)
    return store.merchant_by_code(DEMO["user_code"])


class _MerchantServer:
    """Calls the REST API the way a merchant's server would, with its key and secret."""

    def __init__(self, app: ASGIApp, credentials: Mapping[str, str]) -> None:
        self.credentials = credentials
        self._token: str | None = None
        self._expires = 0
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://sandbox.internal/api"
        )

    async def call(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> Any:
        headers = {"Authorization": token} if token else {}
        answer = await self.client.request(method, path, headers=headers, **kwargs)
        body = answer.json()
        if body.get("code") != 0:
            raise ApiError(
                502 if answer.status_code >= 500 else 400, "REST API: " + str(body.get("message"))
            )
        return body["response"]

    async def token(self) -> str:
        """An access token, reused until a minute before it expires (as a merchant's
        server should: every getToken costs a secret check)."""
        if self._token is None or now() >= self._expires - 60:
            answer = await self.call(
                "POST",
                "/users/getToken",
                json={
                    "imp_key": self.credentials["imp_key"],
                    "imp_secret": self.credentials["imp_secret"],
                },
            )
            self._token, self._expires = answer["access_token"], answer["expired_at"]
        return self._token


def _server(request: Request) -> _MerchantServer:
    state = request.app.state
    if state.config.demo_backend is None:
        raise ApiError(404, "the demo backend is off")
    if getattr(state, "demo_server", None) is None:
        state.demo_server = _MerchantServer(request.app, state.config.demo_backend)
    server: _MerchantServer = state.demo_server
    return server


async def create_order(request: Request) -> JSONResponse:
    """The shop's server fixes the order's amount and pre-registers it (prepare)."""
    server = _server(request)
    data = await read_json(request, request.app.state.config.max_body)
    product = PRODUCTS.get(text_field(data, "product", max_length=20))
    if product is None:
        raise ApiError(400, "unknown product")
    quantity = number_field(data, "quantity", required=False, minimum=1) or 1
    if quantity != int(quantity) or quantity > 10:
        raise ApiError(400, "quantity must be a whole number from 1 to 10")
    order = {
        "merchant_uid": "demo_" + secrets.token_hex(8),
        "name": product["name"],
        "amount": product["price"] * int(quantity),
    }
    token = await server.token()
    await server.call(
        "POST",
        "/payments/prepare",
        token,
        json={"merchant_uid": order["merchant_uid"], "amount": order["amount"]},
    )
    return envelope(order)


def _verdict(
    payment: Mapping[str, Any], merchant_uid: str, expected: Mapping[str, Any]
) -> dict[str, Any]:
    """The merchant's rule: verified only when paid, for this order, at the order's amount.
    An issued virtual account (``ready`` with an account number) awaits its deposit: it is
    not paid, and neither is a payment that was only opened."""
    awaiting = payment["status"] == "ready" and bool(payment["vbank_num"])
    if awaiting:
        status_problem = "a virtual account was issued: awaiting deposit, not paid"
    else:
        status_problem = "status is {}, not paid".format(payment["status"])
    checks = (
        (payment["merchant_uid"] == merchant_uid, "the payment belongs to another order"),
        (
            payment["amount"] == expected["amount"],
            "paid {} but the order is {}".format(payment["amount"], expected["amount"]),
        ),
        (payment["status"] == "paid", status_problem),
    )
    problems = [reason for ok, reason in checks if not ok]
    return {
        "verified": not problems,
        "awaiting_deposit": awaiting,
        "reason": "; ".join(problems) or None,
    }


async def verify(request: Request) -> JSONResponse:
    """Verify a payment on the server: the REST API's record against the order's amount."""
    server = _server(request)
    data = await read_json(request, request.app.state.config.max_body)
    imp_uid = text_field(data, "imp_uid", max_length=40)
    merchant_uid = text_field(data, "merchant_uid", max_length=40)
    token = await server.token()
    payment = await server.call("GET", "/payments/" + quote(imp_uid, safe=""), token)
    expected = await server.call("GET", "/payments/prepare/" + quote(merchant_uid, safe=""), token)
    return envelope(
        dict(
            _verdict(payment, merchant_uid, expected),
            status=payment["status"],
            amount=payment["amount"],
            expected_amount=expected["amount"],
            pg_provider=payment["pg_provider"],
            pg_id=payment["pg_id"],
            vbank_num=payment["vbank_num"],
            vbank_name=payment["vbank_name"],
            vbank_date=payment["vbank_date"],
        )
    )


routes = [
    Route("/demo/orders", create_order, methods=["POST"]),
    Route("/demo/verify", verify, methods=["POST"]),
]
