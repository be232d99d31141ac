"""Identity checks, for the merchant's server to verify (``GET``) or erase (``DELETE``)."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox import payment_views
from iamport_sandbox.rest.common import merchant, not_found
from iamport_sandbox.store import Row
from iamport_sandbox.wire import envelope


def _certification(request: Request) -> Row:
    found = merchant(request)
    record: Row | None = request.app.state.store.certification(
        found["id"], request.path_params["imp_uid"]
    )
    if record is None:
        raise not_found("존재하지 않는 본인인증 정보입니다 (no such certification)")
    return record


async def get_certification(request: Request) -> Response:
    """An identity check, for the merchant's server to verify it (never a payment)."""
    return envelope(payment_views.rest_certification(_certification(request)))


async def delete_certification(request: Request) -> Response:
    """Erase an identity check's personal data: the record as it was, then gone."""
    record = _certification(request)
    request.app.state.store.delete_certification(record["merchant_id"], record["imp_uid"])
    return envelope(payment_views.rest_certification(record))


routes = [
    Route("/certifications/{imp_uid}", get_certification, methods=["GET"]),
    Route("/certifications/{imp_uid}", delete_certification, methods=["DELETE"]),
]
