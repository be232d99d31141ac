"""What every REST resource shares: the token (which merchant asks), the body, pages, and
the payment as the API shows it. Fields are read by :mod:`iamport_sandbox.fields`."""

from collections.abc import Callable, Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from iamport_py import resolve_pg
from iamport_py.errors import IamportError
from iamport_sandbox import payment_views
from iamport_sandbox.fields import Data, query_int, read_json, text_field
from iamport_sandbox.store import Row, Store
from iamport_sandbox.wire import ApiError, envelope, refusal

# Iamport's pages: 20 rows unless ``limit`` says otherwise, at most 100 (payment listings:
# 1000, as PortOne's document says).
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

# Iamport's message for a payment the merchant does not have (one spelling: every resource
# that looks a payment up says it).
NO_PAYMENT = "존재하지 않는 결제정보입니다 (no such payment)"


def merchant(request: Request) -> Row:
    """The merchant whose token the request carries, else a 401."""
    # Older clients send the token in X-ImpTokenHeader; Iamport accepts both headers.
    header = (
        request.headers.get("authorization") or request.headers.get("x-imptokenheader") or ""
    ).strip()
    token = header[7:] if header.lower().startswith("bearer ") else header
    found: Row | None = request.app.state.store.merchant_for_token(token.strip()) if token else None
    if found is None:
        raise ApiError(401, "Unauthorized: a valid access token is required")
    return found


def service(request: Request) -> str:
    """The base URL the answer's links (receipts) point at."""
    return str(request.base_url)


async def body(request: Request) -> dict[str, Any]:
    """The request's JSON object (or form) body."""
    return await read_json(request, request.app.state.config.max_body)


def not_found(what: str) -> ApiError:
    """A lookup of nothing: 404 with code 1, as api.iamport.kr answers it."""
    return ApiError(404, what, code=1)


def payment_or_404(payment: Row | None) -> Row:
    """``payment``, else the REST API's 404 of no such payment."""
    if payment is None:
        raise not_found(NO_PAYMENT)
    return payment


def owned_payment(request: Request, found: Row) -> Row:
    """The path's ``imp_uid`` among ``found``'s payments, else a 404."""
    store: Store = request.app.state.store
    return payment_or_404(store.payment(found["id"], request.path_params["imp_uid"]))


def show(request: Request, payment: Row) -> dict[str, Any]:
    """A payment as the REST API shows it."""
    shown: dict[str, Any] = payment_views.rest_payment(payment, service(request))
    return shown


def page_of(request: Request, most: int = MAX_PAGE_SIZE) -> tuple[int, int]:
    """``(page, limit)`` of the query (1-based page; ``limit`` at most ``most``)."""
    page = query_int(request, "page", 1, minimum=1, maximum=10**6)
    limit = query_int(request, "limit", PAGE_SIZE, minimum=1, maximum=most)
    assert page is not None and limit is not None  # both have a default
    return page, limit


def collection(
    total: int, rows: Iterable[Row], page: int, limit: int, show_row: Callable[[Row], Any]
) -> JSONResponse:
    """Iamport's paged answer: ``{total, previous, next, list}`` (0 when there is none)."""
    return envelope(
        {
            "total": total,
            "previous": page - 1 if page > 1 else 0,
            "next": page + 1 if page * limit < total else 0,
            "list": [show_row(row) for row in rows],
        }
    )


def pg_setting(store: Store, found: Row, data: Data) -> dict[str, Any]:
    """The PG setting ``pg`` names among the merchant's (the SDK's routing rule)."""
    pg = text_field(data, "pg", required=False, max_length=100)
    try:
        setting = resolve_pg(store.settings(found["id"]), pg, "payment", warn=lambda _: None)
    except IamportError as error:  # the SDK's code and message, in both languages
        raise refusal(
            "{}: {} ({})".format(error.code, error.message("ko"), error.message("en"))
        ) from None
    return {"pg_provider": setting["pg_provider"], "pg_id": setting["pg_id"]}
