"""The ``rsp`` given to the merchant's callback: one builder for every outcome."""

from iamport_py.urlcodec import parse_query

TYPE_CHECKING = False
if TYPE_CHECKING:
    from iamport_py.bridge import JsonDict
    from iamport_py.errors import IamportError

# The fields a window flow may report (docs/protocol.md §3); anything else it sends is dropped
# so that a window can never smuggle unexpected keys into the merchant's code.
WINDOW_FIELDS = (
    "imp_uid",
    "merchant_uid",
    "pay_method",
    "paid_amount",
    "status",
    "name",
    "pg_provider",
    "pg_id",
    "pg_tid",
    "pg_type",
    "currency",
    "buyer_name",
    "buyer_email",
    "buyer_tel",
    "buyer_addr",
    "buyer_postcode",
    "custom_data",
    "paid_at",
    "receipt_url",
    "apply_num",
    "card_name",
    "card_number",
    "card_quota",
    "vbank_num",
    "vbank_name",
    "vbank_holder",
    "vbank_date",
    "vbank_code",
    "customer_uid",
    "certified",
    "unique_key",
    "error_code",
    "error_msg",
)


def success_response(data: "JsonDict") -> "JsonDict":
    """The ``rsp`` for a window's answer; ``success`` is taken from the answer."""
    rsp = {
        "success": data.get("success") is True,
        "imp_uid": None,
        "merchant_uid": None,
        "error_code": None,
        "error_msg": None,
    }
    for field in WINDOW_FIELDS:
        if field in data:
            rsp[field] = data[field]
    return rsp


def failure_response(
    error: "IamportError",
    merchant_uid: "str | None" = None,
    language: str = "ko",
    extra: "JsonDict | None" = None,
) -> "JsonDict":
    """The ``rsp`` for an :class:`IamportError` raised before or instead of a window answer."""
    rsp = {
        "success": False,
        "imp_uid": None,
        "merchant_uid": merchant_uid,
        "error_code": error.code,
        "error_msg": error.message(language),
    }
    if extra:
        for key in extra:
            rsp.setdefault(key, extra[key])
    return rsp


def _as_bool(value: "str | None") -> bool:
    return value.lower() == "true" if isinstance(value, str) else False


def parse_redirect(query_or_url: "str | None") -> "JsonDict":
    """Turn an ``m_redirect_url`` landing's query (or whole URL) into an ``rsp``.

    Iamport appends ``imp_uid``, ``merchant_uid``, ``imp_success`` (older
    integrations: ``success``) and, on failure, ``error_code`` and ``error_msg``.
    """
    query = parse_query(query_or_url or "")
    flag = query.get("imp_success")
    if flag is None:
        flag = query.get("success")
    return {
        "success": _as_bool(flag),
        "imp_uid": query.get("imp_uid") or None,
        "merchant_uid": query.get("merchant_uid") or None,
        "error_code": query.get("error_code") or None,
        "error_msg": query.get("error_msg") or None,
    }
