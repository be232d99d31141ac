"""Access tokens: ``POST /users/getToken``."""

from starlette.routing import Route

from iamport_sandbox.rest.common import body
from iamport_sandbox.store import now
from iamport_sandbox.wire import ApiError, envelope, text_field


async def get_token(request):
    """An access token for the merchant whose ``imp_key`` and ``imp_secret`` these are."""
    app = request.app.state
    data = await body(request)
    merchant = app.store.check_api_key(text_field(data, "imp_key"),
                                       text_field(data, "imp_secret"))
    if merchant is None:
        raise ApiError(401, "imp_key 또는 imp_secret이 올바르지 않습니다 "
                       "(wrong imp_key or imp_secret)")
    token, expires = app.store.issue_token(merchant["id"], app.config.token_ttl)
    return envelope({"access_token": token, "now": now(), "expired_at": expires})


routes = [
    Route("/users/getToken", get_token, methods=["POST"]),
]
