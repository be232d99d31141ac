"""Reading a request's fields, the same way everywhere: bodies (JSON or form), query values
and the fields of a body, each checked for its shape.

Nothing here knows HTTP answers: bad input raises :class:`FieldError` (a body too large,
:class:`BodyTooLarge`), which the app answers as a 400 (a 413) with Iamport's JSON body
(:func:`iamport_sandbox.wire.answer_of`). Card data is checked here and never echoed in an
error.
"""

import json
import math
from collections.abc import Collection, Mapping
from typing import Any, Literal, overload
from urllib.parse import parse_qsl

from starlette.requests import Request

from iamport_py import amounts

Data = Mapping[str, Any]
# Lists in a body or a query (notice URLs, merchant_uids, imp_uids): at most this many.
MAX_LIST = 100


class FieldError(ValueError):
    """A body or a field of it that cannot be read: missing, malformed, out of range."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BodyTooLarge(FieldError):
    """A body over the app's limit (whatever Content-Length claims)."""


# -- bodies ---------------------------------------------------------------------------------


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refusing more than ``limit`` bytes (whatever Content-Length claims)."""
    declared = request.headers.get("content-length")
    if declared is not None and (
        not (declared.isascii() and declared.isdigit()) or int(declared) > limit
    ):
        raise BodyTooLarge("request body larger than {} bytes".format(limit))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge("request body larger than {} bytes".format(limit))
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, limit: int, max_depth: int | None = None) -> dict[str, Any]:
    """A JSON object body (a form body is accepted too, as Iamport's API does).

    Refused: bytes that are not UTF-8, ``NaN``/``Infinity``, nesting deeper than
    ``max_depth`` (default: the app's ``json_max_depth``), and text SQLite cannot store
    (lone surrogates such as ``"\\ud800"``)."""
    body = await read_body(request, limit)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return _decode_form(body)
    if max_depth is None:
        max_depth = int(getattr(request.app.state.config, "json_max_depth", 32))
    try:
        text = body.decode("utf-8") or "{}"
    except UnicodeDecodeError:
        raise FieldError("the body is not valid JSON") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise FieldError("the JSON body is nested too deeply") from None
    except ValueError:
        raise FieldError("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise FieldError("the body must be a JSON object")
    check_text(data, max_depth)
    return data


def _text_ok(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(value: object, max_depth: int = 32) -> None:
    """Refuse any string, key or value, that is not valid Unicode text (a lone surrogate:
    SQLite and the browser could not take it), ``NaN`` and infinities (no JSON answer
    could carry them back), and nesting deeper than ``max_depth``. Iterative: no input can
    exhaust the stack here."""
    stack: list[tuple[object, int, str]] = [(value, 0, "body")]
    while stack:
        item, depth, name = stack.pop()
        if isinstance(item, str):
            if not _text_ok(item):
                raise FieldError("text must be valid Unicode (no lone surrogates)")
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise FieldError("'{}' must be a finite number".format(name))
        elif isinstance(item, (dict, list)):
            if depth >= max_depth:
                raise FieldError("the JSON body is nested deeper than {} levels".format(max_depth))
            if isinstance(item, dict):
                stack.extend((key, depth + 1, "key") for key in item)
                stack.extend((child, depth + 1, str(key)) for key, child in item.items())
            else:
                stack.extend((child, depth + 1, name) for child in item)


async def read_form(request: Request, limit: int) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body as a dict (first value wins)."""
    return _decode_form(await read_body(request, limit))


def _decode_form(body: bytes) -> dict[str, Any]:
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
    except (UnicodeDecodeError, ValueError):
        raise FieldError("the form is not valid") from None
    form: dict[str, Any] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


# -- the fields of a body ---------------------------------------------------------------------


def _absent(value: object) -> bool:
    return value is None or value == ""


def _required(name: str) -> FieldError:
    return FieldError("'{}' is required".format(name))


@overload
def text_field(
    data: Data, name: str, required: Literal[True] = True, max_length: int = 200
) -> str: ...


@overload
def text_field(data: Data, name: str, required: bool, max_length: int = 200) -> str | None: ...


def text_field(data: Data, name: str, required: bool = True, max_length: int = 200) -> str | None:
    """A string of at most ``max_length`` characters; ``None`` when absent and optional."""
    value = data.get(name)
    if _absent(value):
        if required:
            raise _required(name)
        return None
    if not isinstance(value, str):
        raise FieldError("'{}' must be a string".format(name))
    if len(value) > max_length:
        raise FieldError("'{}' is longer than {} characters".format(name, max_length))
    return value


def number_field(
    data: Data, name: str, required: bool = True, minimum: float = 0, allow_text: bool = False
) -> int | float | None:
    """A number; ``allow_text`` also takes ``"1000"`` (form bodies carry only text)."""
    value = data.get(name)
    if _absent(value):
        if required:
            raise _required(name)
        return None
    if isinstance(value, str) and allow_text:
        try:
            value = float(value)
        except ValueError:
            raise FieldError("'{}' must be a number".format(name)) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise FieldError("'{}' must be a number".format(name))
    if value < minimum or value > 1e13:
        raise FieldError("'{}' is out of range".format(name))
    return int(value) if value == int(value) else value


def choice_field(data: Data, name: str, choices: Collection[str], default: str) -> str:
    """One of ``choices`` (``default`` when absent)."""
    value = data.get(name) or default
    if value not in choices:
        raise FieldError("'{}' must be one of {}".format(name, ", ".join(choices)))
    return str(value)


def list_field(data: Data, name: str, required: bool = True) -> list[str] | None:
    """A field that may be one string or a list of strings (``notice_url``, ``merchant_uid``)."""
    value = data.get(name)
    if _absent(value) or value == []:
        if required:
            raise _required(name)
        return None
    if isinstance(value, str):
        value = [value]
    if (
        not isinstance(value, list)
        or not value
        or len(value) > MAX_LIST
        or not all(isinstance(item, str) and 0 < len(item) <= 500 for item in value)
    ):
        raise FieldError("'{}' must be a string or a list of strings".format(name))
    return value


def notice_urls(data: Data) -> list[str] | None:
    """``notice_url`` as a window sends it: one string, a list of strings, or absent."""
    notice = data.get("notice_url")
    if isinstance(notice, str):
        notice = [notice]
    if notice is not None and (
        not isinstance(notice, list) or not all(isinstance(url, str) for url in notice)
    ):
        raise FieldError("'notice_url' must be a string or a list of strings")
    return notice


def timestamp_field(data: Data, name: str, required: bool = True) -> int | None:
    """Unix seconds (a number, or its digits in a form body)."""
    value = data.get(name)
    if _absent(value):
        if required:
            raise _required(name)
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**37:
        raise FieldError("'{}' must be a UNIX timestamp in seconds".format(name))
    return value


def bool_field(data: Data, name: str, default: bool = False) -> bool:
    """``true``/``false`` (JSON, or their text in a form body)."""
    value = data.get(name, default)
    if value in ("true", "false"):
        value = value == "true"
    if not isinstance(value, bool):
        raise FieldError("'{}' must be true or false".format(name))
    return value


# -- money --------------------------------------------------------------------------------------


def currency_field(data: Data, default: str = "KRW") -> str:
    """An ISO 4217 code (three letters), upper-cased; ``default`` when absent."""
    currency = (text_field(data, "currency", required=False, max_length=3) or default).upper()
    if len(currency) != 3 or not all("A" <= char <= "Z" for char in currency):
        raise FieldError("'currency' must be a three-letter ISO 4217 code")
    return currency


def amount_field(
    data: Data, currency: str, billing_key: bool = False, allow_text: bool = False
) -> int | float:
    """``amount`` by the SDK's own rule (:mod:`iamport_py.amounts`)."""
    amount: Any = data.get("amount")
    if _absent(amount):
        raise _required("amount")
    if allow_text and isinstance(amount, str):
        try:
            amount = float(amount) if amount.strip() == amount else amount
        except ValueError:
            raise FieldError("'amount' must be a number") from None
    problem = amounts.amount_problem(amount, currency, billing_key)
    if problem is None and amount > 1e13:
        problem = "too large"
    if problem:
        raise FieldError("'amount' is not valid: " + problem)
    normalised: int | float = amounts.normalise_amount(amount, currency)
    return normalised


def quota_field(data: Data) -> int:
    """``card_quota``: a whole number of months, 0 (none) to 36."""
    quota = data.get("card_quota", 0)
    if isinstance(quota, str) and quota.isdigit():
        quota = int(quota)
    if isinstance(quota, bool) or not isinstance(quota, int) or not 0 <= quota <= 36:
        raise FieldError("'card_quota' must be a whole number of months (0 to 36)")
    return quota


# -- card data: checked, never echoed -----------------------------------------------------------


def digits_field(
    data: Data,
    name: str,
    lengths: Collection[int],
    required: bool = True,
    separators: str = "",
) -> str | None:
    """A field of digits (a string, or a number in JSON) of one of ``lengths``; the
    ``separators`` dropped first. Never echoed in an error."""
    value = data.get(name)
    if _absent(value):
        if required:
            raise _required(name)
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise FieldError("'{}' must be a string of digits".format(name))
    for separator in separators:
        value = value.replace(separator, "")
    if not value.isdigit() or not value.isascii() or len(value) not in lengths:
        shown = (
            "/".join(str(n) for n in lengths)
            if len(lengths) < 3
            else "{}-{}".format(min(lengths), max(lengths))
        )
        raise FieldError("'{}' must be {} digits".format(name, shown))
    return value


def expiry_field(data: Data) -> tuple[int, int]:
    """``expiry`` as (year, month): ``YYYY-MM``, ``YYYYMM`` or ``YYMM``."""
    digits = digits_field(data, "expiry", (4, 6), separators="-/")
    assert digits is not None  # required
    year, month = (
        (2000 + int(digits[:2]), int(digits[2:]))
        if len(digits) == 4
        else (int(digits[:4]), int(digits[4:]))
    )
    if not 1 <= month <= 12:
        raise FieldError("'expiry' must be YYYY-MM")
    return year, month


# -- the query string ---------------------------------------------------------------------------


def query_int(
    request: Request,
    name: str,
    default: int | None = None,
    minimum: int = 0,
    maximum: int = 2**53,
) -> int | None:
    """A whole number from the query string (``default`` when absent)."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise FieldError("'{}' must be a whole number".format(name)) from None
    if not minimum <= value <= maximum:
        raise FieldError("'{}' is out of range".format(name))
    return value


def query_list(request: Request, name: str, empty_ok: bool = False) -> list[str]:
    """Every value of ``name[]`` (or ``name``) in the query string: 1 to 100 of them (an
    empty one only with ``empty_ok``: a look-up of it finds nothing)."""
    values = request.query_params.getlist(name + "[]") + request.query_params.getlist(name)
    if not values or not (empty_ok or all(values)):
        raise FieldError("'{}[]' is required".format(name))
    if len(values) > MAX_LIST or any(len(value) > 80 for value in values):
        raise FieldError(
            "at most {} values of '{}[]', each at most 80 characters".format(MAX_LIST, name)
        )
    return list(dict.fromkeys(values))
