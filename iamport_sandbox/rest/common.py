"""What every REST resource shares: the token (which merchant asks), the body, the query
(numbers, lists as ``key[]``), pages, and the payment as the API shows it."""

from iamport_py import resolve_pg
from iamport_py.errors import IamportError
from iamport_sandbox import payment_views
from iamport_sandbox.wire import ApiError, envelope, read_json, refusal, text_field

# Iamport's pages: 20 rows unless ``limit`` says otherwise, at most 100.
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_LIST = 100


def merchant(request):
    """The merchant whose token the request carries, else a 401."""
    # Older clients send the token in X-ImpTokenHeader; Iamport accepts both headers.
    header = (request.headers.get("authorization")
              or request.headers.get("x-imptokenheader") or "").strip()
    token = header[7:] if header.lower().startswith("bearer ") else header
    found = request.app.state.store.merchant_for_token(token.strip()) if token else None
    if found is None:
        raise ApiError(401, "Unauthorized: a valid access token is required")
    return found


def service(request):
    """The base URL the answer's links (receipts) point at."""
    return str(request.base_url)


async def body(request):
    """The request's JSON object (or form) body."""
    return await read_json(request, request.app.state.config.max_body)


def not_found(what):
    """A lookup of nothing: 404 with code 1, as api.iamport.kr answers it."""
    return ApiError(404, what, code=1)


def payment_or_404(payment):
    if payment is None:
        raise not_found("존재하지 않는 결제정보입니다 (no such payment)")
    return payment


def owned_payment(request, found):
    """The path's ``imp_uid`` among ``found``'s payments, else a 404."""
    return payment_or_404(request.app.state.store.payment(found["id"],
                                                          request.path_params["imp_uid"]))


def show(request, payment):
    """A payment as the REST API shows it."""
    return payment_views.rest_payment(payment, service(request))


def query_int(request, name, default=None, minimum=0, maximum=2 ** 53):
    """A whole number from the query string (``default`` when absent), else a 400."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "'{}' must be a whole number".format(name)) from None
    if not minimum <= value <= maximum:
        raise ApiError(400, "'{}' is out of range".format(name))
    return value


def query_list(request, name):
    """Every value of ``name[]`` (or ``name``) in the query string: 1 to 100 of them."""
    values = request.query_params.getlist(name + "[]") + request.query_params.getlist(name)
    if not values or not all(values):
        raise ApiError(400, "'{}[]' is required".format(name))
    if len(values) > MAX_LIST or any(len(value) > 80 for value in values):
        raise ApiError(400, "at most {} values of '{}[]', each at most 80 characters".format(
            MAX_LIST, name))
    return list(dict.fromkeys(values))


def page_of(request):
    """``(page, limit)`` of the query (1-based page)."""
    return (query_int(request, "page", 1, minimum=1, maximum=10 ** 6),
            query_int(request, "limit", PAGE_SIZE, minimum=1, maximum=MAX_PAGE_SIZE))


def collection(total, rows, page, limit, show_row):
    """Iamport's paged answer: ``{total, previous, next, list}`` (0 when there is none)."""
    return envelope({"total": total, "previous": page - 1 if page > 1 else 0,
                     "next": page + 1 if page * limit < total else 0,
                     "list": [show_row(row) for row in rows]})


def list_field(data, name, required=True):
    """A field that may be one string or a list of strings (``notice_url``, ``merchant_uid``)."""
    value = data.get(name)
    if value is None or value == "" or value == []:
        if required:
            raise ApiError(400, "'{}' is required".format(name))
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or len(value) > MAX_LIST \
            or not all(isinstance(item, str) and 0 < len(item) <= 500 for item in value):
        raise ApiError(400, "'{}' must be a string or a list of strings".format(name))
    return value


def timestamp_field(data, name, required=True):
    """Unix seconds (a number, or its digits in a form body)."""
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise ApiError(400, "'{}' is required".format(name))
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2 ** 37:
        raise ApiError(400, "'{}' must be a UNIX timestamp in seconds".format(name))
    return value


def pg_setting(store, found, data):
    """The PG setting ``pg`` names among the merchant's (the SDK's routing rule)."""
    pg = text_field(data, "pg", required=False, max_length=100)
    try:
        setting = resolve_pg(store.settings(found["id"]), pg, "payment", warn=lambda _: None)
    except IamportError as error:  # the SDK's code and message, in both languages
        raise refusal("{}: {} ({})".format(error.code, error.message("ko"),
                                           error.message("en"))) from None
    return {"pg_provider": setting["pg_provider"], "pg_id": setting["pg_id"]}
