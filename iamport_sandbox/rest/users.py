"""Access tokens (``POST /users/getToken``) and the merchant's PG settings as its server
sees them (``GET /users/pg``)."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox import security
from iamport_sandbox.fields import text_field
from iamport_sandbox.rest.common import body, merchant
from iamport_sandbox.store import now
from iamport_sandbox.wire import ApiError, envelope, too_many


async def get_token(request: Request) -> Response:
    """An access token for the merchant whose ``imp_key`` and ``imp_secret`` these are."""
    app = request.app.state
    data = await body(request)
    imp_key, imp_secret = text_field(data, "imp_key"), text_field(data, "imp_secret")
    # The secret check: off the event loop, same cost for an unknown key, throttled.
    merchant = app.store.merchant_by_api_key(imp_key)
    try:
        ok = await app.guard.verify(
            ("imp_key", imp_key),
            security.client_address(request),
            imp_secret,
            merchant["imp_secret_hash"] if merchant else None,
        )
    except security.Throttled as wait:
        raise too_many(wait.retry_after, "too many wrong imp_key/imp_secret") from None
    if not ok:
        raise ApiError(
            401, "imp_key 또는 imp_secret이 올바르지 않습니다 (wrong imp_key or imp_secret)"
        )
    token, expires = app.store.issue_token(merchant["id"], app.config.token_ttl)
    return envelope({"access_token": token, "now": now(), "expired_at": expires})


async def pg_settings(request: Request) -> Response:
    """The merchant's own PG settings (a tier's are not among them), default first: what
    the console lists, never a credential."""
    found = merchant(request)
    return envelope(
        [
            {
                "pg_provider": setting["pg_provider"],
                "pg_id": setting["pg_id"],
                "sandbox": bool(setting["sandbox"]),
                "type": setting["type"],
                "channel_name": setting["label"] or None,
                "channel_key": setting["channel_key"],
            }
            for setting in request.app.state.store.settings(found["id"])
        ]
    )


routes = [
    Route("/users/getToken", get_token, methods=["POST"]),
    Route("/users/pg", pg_settings, methods=["GET"]),
]
