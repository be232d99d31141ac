"""Normalising and validating ``request_pay`` / ``certification`` parameters.

Validation runs after routing, because most rules depend on the PG that was
chosen, and before any window opens. Each broken rule raises one
:class:`IamportError` with a documented code.
"""

from iamport_py import errors
from iamport_py.amounts import amount_problem, normalise_amount
from iamport_py.catalog import COMMON_RULES, LANGUAGES, get_pg
from iamport_py.errors import IamportError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from iamport_py.bridge import JsonDict

MERCHANT_UID_LIMIT = 40

STRING_FIELDS = (
    "pg",
    "pay_method",
    "merchant_uid",
    "name",
    "currency",
    "language",
    "buyer_name",
    "buyer_tel",
    "buyer_email",
    "buyer_addr",
    "buyer_postcode",
    "m_redirect_url",
    "app_scheme",
    "vbank_due",
    "biz_num",
    "customer_uid",
    "confirm_url",
    "carrier",
    "company",
    "phone",
)
BOOL_FIELDS = ("digital", "escrow", "popup")
# Fields whose rules (and error codes) are their own; every other field is checked as JSON data.
OWN_RULES = ("amount", "tax_free", "vat_amount", "custom_data")

# (length, positions that must be '-', ' ' or ':') for every accepted vbank_due shape.
_DUE_SHAPES: "tuple[tuple[int, dict[int, str]], ...]" = (
    (8, {}),  # YYYYMMDD
    (10, {4: "-", 7: "-"}),  # YYYY-MM-DD
    (12, {}),  # YYYYMMDDHHmm
    (14, {}),  # YYYYMMDDHHmmss
    (19, {4: "-", 7: "-", 10: " ", 13: ":", 16: ":"}),  # YYYY-MM-DD HH:mm:ss
)


def is_number(value: "Any") -> bool:
    """An int or float that is not a bool (``True`` is an int in Python)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _finite(value: "Any") -> bool:
    # NaN is the only value unequal to itself; infinities survive subtraction as NaN.
    return bool(value == value and (value - value) == 0)


def _type_error(field: str, expected: str) -> IamportError:
    return IamportError(errors.INVALID_TYPE, field=field, expected=expected)


def check_types(param: "JsonDict") -> None:
    """Strings, booleans and numbers where the API expects them (``None`` = absent), and
    nothing anywhere that cannot travel to the window as JSON."""
    for field in param:
        if field in OWN_RULES:
            continue
        if not isinstance(field, str) or not is_json_value(param[field]):
            raise _type_error(str(field), "JSON data (string, number, boolean, list, object)")
    for field in STRING_FIELDS:
        value = param.get(field)
        if value is not None and not isinstance(value, str):
            raise _type_error(field, "string")
    for field in BOOL_FIELDS:
        value = param.get(field)
        if value is not None and not isinstance(value, bool):
            raise _type_error(field, "boolean")
    notice = param.get("notice_url")
    if notice is None or isinstance(notice, str):
        return
    if not isinstance(notice, (list, tuple)) or not all(isinstance(u, str) for u in notice):
        raise _type_error("notice_url", "string or list of strings")


def vbank_due_is_valid(due: "Any") -> bool:
    """Whether ``due`` has one of the accepted shapes with a plausible date and time."""
    if not isinstance(due, str):
        return False
    for length, separators in _DUE_SHAPES:
        if len(due) != length:
            continue
        digits = []
        for index, char in enumerate(due):
            if index in separators:
                if char != separators[index]:
                    return False
            elif char.isdigit():
                digits.append(char)
            else:
                return False
        return _date_is_plausible("".join(digits))
    return False


def _date_is_plausible(digits: str) -> bool:
    month, day = int(digits[4:6]), int(digits[6:8])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    hour = int(digits[8:10]) if len(digits) >= 12 else 0
    minute = int(digits[10:12]) if len(digits) >= 12 else 0
    second = int(digits[12:14]) if len(digits) >= 14 else 0
    return hour <= 23 and minute <= 59 and second <= 59


def _normalise_amount(param: "JsonDict", currency: str) -> "int | float":
    # One rule with the sandbox (iamport_py.amounts); 0 is how a merchant asks for a
    # billing key alone, so it needs a customer_uid.
    if "amount" not in param or param["amount"] is None:
        raise IamportError(errors.MISSING_AMOUNT)
    problem = amount_problem(param["amount"], currency, bool(param.get("customer_uid")))
    if problem is not None:
        raise IamportError(errors.INVALID_AMOUNT, reason=problem)
    return normalise_amount(param["amount"], currency)


def _check_share(param: "JsonDict", field: str, code: str, amount: float) -> None:
    value = param.get(field)
    if value is None:
        return
    if not is_number(value) or not _finite(value) or value < 0 or value > amount:
        raise IamportError(code)


def is_json_value(value: "Any", depth: int = 0) -> bool:
    """Whether ``value`` is plain JSON data (checked by hand: MicroPython's
    ``json.dumps`` writes the repr of objects it cannot encode instead of failing)."""
    if depth > 32:
        return False
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return _finite(value)
    if isinstance(value, (list, tuple)):
        return all(is_json_value(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and is_json_value(value[key], depth + 1) for key in value)
    return False


def _check_custom_data(param: "JsonDict") -> None:
    if not is_json_value(param.get("custom_data")):
        raise IamportError(errors.INVALID_CUSTOM_DATA)


def _default_pay_method(pg: "JsonDict") -> str:
    methods = pg["pay_methods"]
    return "card" if "card" in methods or not methods else methods[0]


def _check_language(request: "JsonDict", pg: "JsonDict", default_language: str) -> None:
    language = request.get("language")
    if language is None:
        language = default_language if default_language in pg["languages"] else pg["languages"][0]
    elif language not in pg["languages"]:
        raise IamportError(
            errors.UNSUPPORTED_LANGUAGE,
            pg=pg["code"],
            language=language,
            supported=", ".join(pg["languages"]),
        )
    request["language"] = language


def _rule_applies(rule: "JsonDict", request: "JsonDict") -> bool:
    when = rule.get("when") or {}
    return all(request.get(name) == when[name] for name in when)


def _is_date(value: str) -> bool:
    return len(value) == 8 and value.isdigit() and _date_is_plausible(value)


def _type_ok(kind: str, value: "Any") -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    # "objects": a list of JSON objects.
    return isinstance(value, (list, tuple)) and all(isinstance(item, dict) for item in value)


def _format_ok(rule: "JsonDict", value: "Any") -> bool:
    if not isinstance(value, str):
        return False
    kind = rule["format"]
    if kind == "vbank_due":
        return vbank_due_is_valid(value)
    if kind == "digits":
        return value.isdigit() and len(value) == rule["length"]
    return _is_date(value)


def _expected(rule: "JsonDict") -> str:
    if "values" in rule:
        return "one of " + ", ".join(str(value) for value in rule["values"])
    if "format" in rule:
        kind = rule["format"]
        if kind == "digits":
            return "{} digits".format(rule["length"])
        return "a date as YYYYMMDD" if kind == "date" else "a vbank_due date"
    kind = str(rule.get("type", ""))
    return "list of objects" if kind == "objects" else kind


def _without(value: str, characters: str) -> str:
    return "".join(char for char in value if char not in characters)


def apply_rule(rule: "JsonDict", request: "JsonDict", pg_code: "Any" = None) -> None:
    """Check ``request`` against one catalog rule (:mod:`iamport_py.catalog`), in
    place: a ``strip`` rule leaves the stripped value in ``request``."""
    if not _rule_applies(rule, request):
        return
    field = rule["field"]
    value = request.get(field)
    code = rule.get("code", errors.INVALID_TYPE)
    details = {"field": field, "pg": pg_code, "expected": _expected(rule)}
    if value is None or value == "":
        if rule.get("required"):
            raise IamportError(code, **details)
        return
    if "strip" in rule and isinstance(value, str):
        value = _without(value, rule["strip"])
    broken = (
        ("type" in rule and not _type_ok(rule["type"], value))
        or ("format" in rule and not _format_ok(rule, value))
        or ("values" in rule and value not in rule["values"])
    )
    if broken:
        raise IamportError(code, **details)
    request[field] = value


def _check_pg_rules(request: "JsonDict", pg: "JsonDict") -> None:
    for rule in COMMON_RULES + tuple(pg["rules"]):
        apply_rule(rule, request, pg["code"])


def _unknown_pg(code: "Any") -> "JsonDict":
    # A setting whose PG the catalog does not know still gets a window; it is only
    # held to the rules every PG shares, and takes the reference's languages.
    return {
        "code": code,
        "rules": (),
        "pay_methods": (),
        "currencies": (),
        "languages": LANGUAGES,
        "billing_only": False,
    }


def _check_merchant_uid(request: "JsonDict", new_merchant_uid: "Callable[[], str]") -> None:
    if not request.get("merchant_uid"):
        request["merchant_uid"] = new_merchant_uid()
    if len(request["merchant_uid"]) > MERCHANT_UID_LIMIT:
        raise IamportError(errors.MERCHANT_UID_TOO_LONG, limit=MERCHANT_UID_LIMIT)


def normalise_payment(
    param: "JsonDict",
    setting: "JsonDict",
    new_merchant_uid: "Callable[[], str]",
    default_language: str = "ko",
) -> "JsonDict":
    """Validate ``param`` for the chosen ``setting`` and return the request to send.

    Fills the SDK's defaults (``pay_method``, ``merchant_uid``, ``currency``,
    ``language``) and adds ``pg_provider`` / ``pg_id`` of the setting.
    """
    check_types(param)
    pg = get_pg(setting.get("pg_provider")) or _unknown_pg(setting.get("pg_provider"))
    request = dict(param)
    _check_language(request, pg, default_language)
    request["pay_method"] = request.get("pay_method") or _default_pay_method(pg)
    if pg["pay_methods"] and request["pay_method"] not in pg["pay_methods"]:
        raise IamportError(
            errors.UNSUPPORTED_PAY_METHOD,
            pg=pg["code"],
            pay_method=request["pay_method"],
            supported=", ".join(pg["pay_methods"]),
        )
    currency = (request.get("currency") or (pg["currencies"] or ("KRW",))[0]).upper()
    if pg["currencies"] and currency not in pg["currencies"]:
        raise IamportError(
            errors.UNSUPPORTED_CURRENCY,
            pg=pg["code"],
            currency=currency,
            supported=", ".join(pg["currencies"]),
        )
    request["currency"] = currency
    request["amount"] = _normalise_amount(request, currency)
    _check_share(request, "tax_free", errors.INVALID_TAX_FREE, request["amount"])
    _check_share(request, "vat_amount", errors.INVALID_VAT_AMOUNT, request["amount"])
    _check_custom_data(request)
    _check_merchant_uid(request, new_merchant_uid)
    _check_pg_rules(request, pg)
    return _with_setting(request, setting)


def normalise_certification(
    param: "JsonDict",
    setting: "JsonDict",
    new_merchant_uid: "Callable[[], str]",
    default_language: str = "ko",
) -> "JsonDict":
    """Validate identity-verification parameters; only the shared rules apply."""
    check_types(param)
    request = dict(param)
    min_age = request.get("min_age")
    if min_age is not None and (not isinstance(min_age, int) or isinstance(min_age, bool)):
        raise _type_error("min_age", "integer")
    request["language"] = request.get("language") or default_language
    _check_custom_data(request)
    _check_merchant_uid(request, new_merchant_uid)
    return _with_setting(request, setting)


def _with_setting(request: "JsonDict", setting: "JsonDict") -> "JsonDict":
    request["pg"] = request.get("pg") or setting.get("pg_provider")
    request["pg_provider"] = setting.get("pg_provider")
    request["pg_id"] = setting.get("pg_id")
    return request


def message_language(param: "Any", default_language: str = "ko") -> str:
    """The language for error messages: the request's, when it is a string."""
    language = param.get("language") if isinstance(param, dict) else None
    return language if isinstance(language, str) else default_language
