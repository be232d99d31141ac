"""KCP Quick members (``DELETE /kcpquick/members/{member_id}``). A member is the shopper a
window of the merchant's ``kcp_quick`` setting registered (``bypass.kcpQuick.memberID``,
the payment paid or its key issued); deleting it at KCP ends its registration, so a new
window registers it anew."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox.rest.common import merchant, not_found
from iamport_sandbox.wire import ApiError, envelope

QUERY = ("site_code", "partner_type", "partner_subtype")


def _query(request: Request) -> dict[str, str]:
    values = {name: request.query_params.get(name, "") for name in QUERY}
    for name, value in values.items():
        if not value or len(value) > 80:
            raise ApiError(400, "'{}' is required (at most 80 characters)".format(name))
    return values


async def delete_member(request: Request) -> Response:
    """Delete the member registered with the site code; the answer is the member as it was."""
    found = merchant(request)
    query = _query(request)
    member_id = request.path_params["member_id"]
    store = request.app.state.store
    with store.transaction():
        member = store.kcpquick_member(found["id"], member_id, query["site_code"])
        if member is None:
            raise not_found("유효하지 않은 member_id입니다 (no such KCP Quick member)")
        store.delete_kcpquick_member(found["id"], member_id, query["site_code"])
    return envelope(
        {
            "member_id": member["member_id"],
            "pg_provider": "kcp_quick",
            "pg_id": member["pg_id"],
            "inserted": member["inserted"],
            "updated": member["updated"],
        }
    )


routes = [
    Route("/kcpquick/members/{member_id}", delete_member, methods=["DELETE"]),
]
