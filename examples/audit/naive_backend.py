"""A deliberately naive merchant backend: DO NOT COPY. The audit must name each of its
planted flaws (:data:`PLANTED`) and nothing else.

It looks careful — the complete call reads the payment with the REST API and checks its
status and order — but it:

- trusts the browser's amount: it never prepares the amount nor compares the paid amount
  with the order's (``amount_tampered``);
- believes webhook bodies: a webhook's ``status`` decides, unchecked (``forged_webhook``,
  ``webhooks_out_of_order``);
- has no idempotency: every "paid" it hears ships the order again (``webhook_twice``,
  ``late_webhook``).

Same hooks as ``shop_backend.py``: ``POST /orders``, ``GET /orders/paid``, ``POST
/payments/complete``, ``POST /webhooks/iamport``.
"""

import contextlib
import secrets
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

PRICE = 15000
# Each planted flaw, as the audit names it, and the scenarios it must fail.
PLANTED = {
    "trusts the browser's amount": ("amount_tampered",),
    "believes webhook bodies": ("forged_webhook", "webhooks_out_of_order"),
    "no idempotency": ("webhook_twice", "late_webhook"),
}


def create_app(sandbox_url: str, imp_key: str, imp_secret: str) -> Starlette:
    api = sandbox_url.rstrip("/") + "/api"
    client = httpx.AsyncClient(timeout=10, trust_env=False)
    orders: dict[str, dict[str, Any]] = {}

    async def payment(imp_uid: str) -> Any:
        answer = await client.post(
            api + "/users/getToken", json={"imp_key": imp_key, "imp_secret": imp_secret}
        )
        token = answer.json()["response"]["access_token"]
        found = await client.get(
            api + "/payments/" + quote(imp_uid, safe=""), headers={"Authorization": token}
        )
        return found.json()["response"] if found.status_code == 200 else None

    def ship(merchant_uid: str) -> None:
        order = orders[merchant_uid]
        order["paid"] = True
        order["shipments"] += 1  # PLANTED FLAW: no idempotency (ships on every "paid")

    async def new_order(request: Request) -> JSONResponse:
        merchant_uid = "naive_" + secrets.token_hex(8)
        # PLANTED FLAW: trusts the browser's amount (nothing prepared)
        orders[merchant_uid] = {"amount": PRICE, "paid": False, "shipments": 0}
        return JSONResponse({"merchant_uid": merchant_uid, "amount": PRICE})

    async def paid(request: Request) -> JSONResponse:
        order = orders.get(request.query_params.get("merchant_uid", ""))
        if order is None:
            return JSONResponse({"paid": False, "shipments": 0})
        return JSONResponse({"paid": order["paid"], "shipments": order["shipments"]})

    async def complete(request: Request) -> JSONResponse:
        body = await request.json()
        merchant_uid = body.get("merchant_uid")
        found = await payment(str(body.get("imp_uid")))
        if (
            found is None
            or merchant_uid not in orders
            or found["merchant_uid"] != merchant_uid
            or found["status"] != "paid"
        ):
            return JSONResponse({"paid": False}, status_code=400)
        # PLANTED FLAW: trusts the browser's amount (found["amount"] never compared)
        ship(merchant_uid)
        return JSONResponse({"paid": True})

    async def webhook(request: Request) -> JSONResponse:
        body = await request.json()
        merchant_uid = body.get("merchant_uid")
        if merchant_uid in orders:
            # PLANTED FLAW: believes webhook bodies (no GET /payments/{imp_uid})
            if body.get("status") == "paid":
                ship(merchant_uid)
            elif body.get("status") == "cancelled":
                orders[merchant_uid]["paid"] = False
        return JSONResponse({"received": True})

    return Starlette(
        routes=[
            Route("/orders", new_order, methods=["POST"]),
            Route("/orders/paid", paid, methods=["GET"]),
            Route("/payments/complete", complete, methods=["POST"]),
            Route("/webhooks/iamport", webhook, methods=["POST"]),
        ],
        lifespan=lambda app: _closing(client),
    )


@contextlib.asynccontextmanager
async def _closing(client: httpx.AsyncClient) -> AsyncIterator[None]:
    yield
    await client.aclose()


if __name__ == "__main__":  # python examples/audit/naive_backend.py --port 3000
    from shop_backend import serve

    serve(create_app)
