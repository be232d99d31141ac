"""``GET /users/pg/{user_code}``: the merchant's PG settings for the SDK (public, CORS)."""

from starlette.responses import JSONResponse, Response
from starlette.routing import Route

# Only these fields ever leave: the SDK needs nothing else, and credentials never go.
PUBLIC_FIELDS = ("pg_provider", "pg_id", "sandbox", "type")
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, OPTIONS",
        "Access-Control-Max-Age": "600", "Cache-Control": "no-store"}


def _answer(status, code, msg, data):
    return JSONResponse({"code": code, "msg": msg, "data": data}, status_code=status,
                        headers=CORS)


async def pg_settings(request):
    store = request.app.state.store
    merchant = store.merchant_by_code(request.path_params["user_code"])
    if merchant is None:
        # 404 with Iamport's body: the SDK reads `code`, monitoring reads the status.
        return _answer(404, -1, "unknown user code", None)
    tier = request.query_params.get("tier") or None
    settings = store.settings(merchant["id"], tier)
    if tier and not settings:
        return _answer(404, -1, "unknown tier code", None)
    data = [{field: setting[field] for field in PUBLIC_FIELDS} for setting in settings]
    return _answer(200, 0, None, data)


async def preflight(request):
    return Response(status_code=204, headers=CORS)


routes = [
    Route("/users/pg/{user_code}", pg_settings, methods=["GET"]),
    Route("/users/pg/{user_code}", preflight, methods=["OPTIONS"]),
]
