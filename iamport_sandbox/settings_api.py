"""``GET /users/pg/{user_code}``: the merchant's PG settings for the SDK (public, CORS);
``?tier=`` a tier's (an agency's sub-merchant, ``IMP.agency(user_code, tier_code)``).

iamport.js 1.2 reads it by JSONP (``?callback=<name>``): then the same body comes as
``<name>(<json>);`` (``application/javascript``), always with status 200, since a script
served with an error status never runs; the body's ``code`` tells the error. A
``callback`` that is not a (dotted) JavaScript identifier is refused with 400.
"""

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from iamport_sandbox.store import Store

# Only these fields ever leave: the SDK needs nothing else, and credentials never go.
# The channel key is public too: merchants write it into their pages.
PUBLIC_FIELDS = ("pg_provider", "pg_id", "sandbox", "type", "channel_key")
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Max-Age": "600",
    "Cache-Control": "no-store",
}
# jQuery's names (jQuery3600123_1700000000000) and dotted ones (ns.cb); nothing that
# could be code. ASCII only, bounded.
# The settings as the SDK receives them: PUBLIC_FIELDS of each.
Public = list[dict[str, Any]]
CALLBACK = re.compile(r"^[A-Za-z_$][\w$]{0,99}(\.[A-Za-z_$][\w$]{0,99}){0,4}$", re.ASCII)


def _answer(
    status: int, code: int, msg: str | None, data: Public | None, callback: str | None = None
) -> Response:
    body = {"code": code, "msg": msg, "data": data}
    if callback is None:
        return JSONResponse(body, status_code=status, headers=CORS)
    # json.dumps escapes every non-ASCII character (U+2028 included): valid JavaScript.
    script = "{}({});".format(callback, json.dumps(body))
    return Response(
        script,
        media_type="application/javascript",
        headers=dict(CORS, **{"X-Content-Type-Options": "nosniff"}),
    )


def _settings(
    store: Store, user_code: str, tier: str | None
) -> tuple[int, int, str | None, Public | None]:
    """``(status, code, msg, data)`` of the plain JSON answer."""
    merchant = store.merchant_by_code(user_code)
    if merchant is None:
        # 404 with Iamport's body: the SDK reads `code`, monitoring reads the status.
        return 404, -1, "unknown user code", None
    settings = store.settings(merchant["id"], tier)
    # A tier registered by ``POST /tiers`` resolves even before it has a setting of its own
    # (the SDK then says no PG is set); an unknown or deleted one is a 404.
    if tier and not settings and store.tier(merchant["id"], tier) is None:
        return 404, -1, "unknown tier code", None
    return (
        200,
        0,
        None,
        [{field: setting[field] for field in PUBLIC_FIELDS} for setting in settings],
    )


async def pg_settings(request: Request) -> Response:
    callback = request.query_params.get("callback") or None
    if callback is not None and not CALLBACK.match(callback):
        return _answer(400, -1, "'callback' must be a JavaScript identifier", None)
    status, code, msg, data = _settings(
        request.app.state.store,
        request.path_params["user_code"],
        request.query_params.get("tier") or None,
    )
    return _answer(status, code, msg, data, callback)


async def preflight(request: Request) -> Response:

    return Response(status_code=204, headers=CORS)


routes = [
    Route("/users/pg/{user_code}", pg_settings, methods=["GET"]),
    Route("/users/pg/{user_code}", preflight, methods=["OPTIONS"]),
]
