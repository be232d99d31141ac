"""A merchant's backend done as PortOne's guides say — the one the audit finds nothing in.

A small Starlette server (run it with uvicorn, or as the tests do). Orders live in memory.

- ``POST /orders``: the server fixes the amount and pre-registers it
  (``POST /payments/prepare``), so that a page paying another amount gets a failed payment;
- ``POST /payments/complete`` ``{imp_uid, merchant_uid}`` (the page, after ``request_pay``)
  and ``POST /webhooks/iamport`` (the sandbox's webhook) do the same thing: read the payment
  with ``GET /payments/{imp_uid}`` and act on what the REST API says — never on the page's
  report or the webhook's body;
- an order becomes paid once: a payment that is ``paid``, of this order, at the order's
  amount; later reports of it (the other of complete/webhook, a duplicate, a retry) find
  it paid and ship nothing; ``cancelled`` undoes it;
- ``GET /orders/paid?merchant_uid=…``: ``{"paid", "shipments"}`` (the audit's paid hook).

    app = create_app(sandbox_url, imp_key, imp_secret)
"""

import argparse
import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import quote

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

PRICE = 15000


class Shop:
    """The backend's state and its one way of deciding: the REST API's record."""

    def __init__(self, sandbox_url: str, imp_key: str, imp_secret: str) -> None:
        self.api = sandbox_url.rstrip("/") + "/api"
        self.credentials = {"imp_key": imp_key, "imp_secret": imp_secret}
        self.orders: dict[str, dict[str, Any]] = {}
        self.lock = asyncio.Lock()  # one decision at a time: complete and webhook race
        self.client = httpx.AsyncClient(timeout=10, trust_env=False)
        self.token: str | None = None

    async def rest(self, method: str, path: str, **kwargs: Any) -> Any:
        """One REST call with the merchant's token; None when Iamport answers "not found"."""
        if self.token is None:
            answer = await self.client.post(self.api + "/users/getToken", json=self.credentials)
            self.token = answer.json()["response"]["access_token"]
        answer = await self.client.request(
            method, self.api + path, headers={"Authorization": self.token}, **kwargs
        )
        if answer.status_code == 404:
            return None
        answer.raise_for_status()
        return answer.json()["response"]

    async def new_order(self) -> dict[str, Any]:
        merchant_uid = "shop_" + secrets.token_hex(8)
        await self.rest(
            "POST", "/payments/prepare", json={"merchant_uid": merchant_uid, "amount": PRICE}
        )
        self.orders[merchant_uid] = {"amount": PRICE, "paid": False, "shipments": 0}
        return {"merchant_uid": merchant_uid, "amount": PRICE}

    async def sync(self, imp_uid: str, merchant_uid: str | None) -> bool:
        """Bring the order in line with the payment as the REST API shows it; whether the
        order is paid afterwards."""
        payment = await self.rest("GET", "/payments/" + quote(imp_uid, safe=""))
        if payment is None:  # not this merchant's payment (or none at all)
            return False
        order = self.orders.get(payment["merchant_uid"])
        if order is None or (merchant_uid is not None and merchant_uid != payment["merchant_uid"]):
            return False  # another order's payment
        async with self.lock:
            if payment["status"] == "paid" and payment["amount"] == order["amount"]:
                if not order["paid"]:
                    order["paid"] = True
                    order["shipments"] += 1  # ship: once
            elif payment["status"] == "cancelled":
                order["paid"] = False
            return bool(order["paid"])


def create_app(sandbox_url: str, imp_key: str, imp_secret: str) -> Starlette:
    shop = Shop(sandbox_url, imp_key, imp_secret)

    async def orders(request: Request) -> JSONResponse:
        return JSONResponse(await shop.new_order())

    async def paid(request: Request) -> JSONResponse:
        order = shop.orders.get(request.query_params.get("merchant_uid", ""))
        if order is None:
            return JSONResponse({"paid": False, "shipments": 0})
        return JSONResponse({"paid": order["paid"], "shipments": order["shipments"]})

    async def complete(request: Request) -> JSONResponse:
        body = await request.json()
        imp_uid, merchant_uid = body.get("imp_uid"), body.get("merchant_uid")
        if not isinstance(imp_uid, str) or not isinstance(merchant_uid, str):
            return JSONResponse({"paid": False}, status_code=400)
        verified = await shop.sync(imp_uid, merchant_uid)
        return JSONResponse({"paid": verified}, status_code=200 if verified else 400)

    async def webhook(request: Request) -> JSONResponse:
        body = await request.json()
        imp_uid = body.get("imp_uid") if isinstance(body, dict) else None
        if isinstance(imp_uid, str):
            await shop.sync(imp_uid, None)  # the body names the payment; the API says the rest
        return JSONResponse({"received": True})  # 200 once handled (a 5xx would be retried)

    return Starlette(
        routes=[
            Route("/orders", orders, methods=["POST"]),
            Route("/orders/paid", paid, methods=["GET"]),
            Route("/payments/complete", complete, methods=["POST"]),
            Route("/webhooks/iamport", webhook, methods=["POST"]),
        ],
        lifespan=lambda app: _closing(shop.client),
    )


@contextlib.asynccontextmanager
async def _closing(client: httpx.AsyncClient) -> AsyncIterator[None]:
    yield
    await client.aclose()


def hooks(base_url: str) -> dict[str, str]:
    """The four URLs the audit needs, for this backend served at ``base_url`` (the naive
    backend has the same routes)."""
    return {
        "order_hook": base_url + "/orders",
        "paid_hook": base_url + "/orders/paid",
        "complete_url": base_url + "/payments/complete",
        "webhook_url": base_url + "/webhooks/iamport",
    }


def serve(create: Callable[[str, str, str], Starlette]) -> None:
    """Serve ``create(sandbox_url, imp_key, imp_secret)`` on 127.0.0.1 from the command line
    (``--port``, ``--sandbox``; the demo merchant's keys unless given)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--sandbox", default="http://127.0.0.1:8000")
    parser.add_argument("--imp-key", default="1000000000000001")
    parser.add_argument("--imp-secret", default="demo-secret-for-the-local-sandbox-only")
    args = parser.parse_args()
    app = create(args.sandbox, args.imp_key, args.imp_secret)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":  # python examples/audit/shop_backend.py --port 3000
    serve(create_app)
