"""Reading requests and writing answers the same way everywhere.

Bad input (oversize, malformed JSON, wrong types, missing fields) becomes an
:class:`ApiError`, which the app turns into a 4xx with a JSON body.
"""

import json
import math
from urllib.parse import parse_qsl

from starlette.responses import JSONResponse


class ApiError(Exception):
    """A refusal with an HTTP status and a message for the client."""

    def __init__(self, status, message, code=-1, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers


def too_many(retry_after, message="too many requests"):
    """A 429 that says when to come back."""
    return ApiError(429, "{}; retry in {} s".format(message, retry_after),
                    headers={"Retry-After": str(retry_after)})


def refusal(message):
    """A business refusal as api.iamport.kr answers it: HTTP 200 with ``code`` 1 and the
    message (the published REST clients read ``message`` only from a 200; any other status
    becomes a bare HTTP error there)."""
    return ApiError(200, message, code=1)


async def read_body(request, limit):
    """The body, refusing more than ``limit`` bytes (whatever Content-Length claims)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not (declared.isascii() and declared.isdigit())
                                     or int(declared) > limit):
        raise ApiError(413, "request body larger than {} bytes".format(limit))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "request body larger than {} bytes".format(limit))
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request, limit, max_depth=None):
    """A JSON object body (a form body is accepted too, as Iamport's API does).

    Refused with a 400: bytes that are not UTF-8, ``NaN``/``Infinity``, nesting deeper
    than ``max_depth`` (default: the app's ``json_max_depth``), and text SQLite cannot
    store (lone surrogates such as ``"\\ud800"``)."""
    body = await read_body(request, limit)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return _decode_form(body)
    if max_depth is None:
        max_depth = getattr(request.app.state.config, "json_max_depth", 32)
    try:
        text = body.decode("utf-8") or "{}"
    except UnicodeDecodeError:
        raise ApiError(400, "the body is not valid JSON") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise ApiError(400, "the JSON body is nested too deeply") from None
    except ValueError:
        raise ApiError(400, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "the body must be a JSON object")
    check_text(data, max_depth)
    return data


def _text_ok(value):
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(value, max_depth=32):
    """Refuse (400) any string, key or value, that is not valid Unicode text (a lone
    surrogate: SQLite and the browser could not take it), ``NaN`` and infinities (no JSON
    answer could carry them back), and nesting deeper than ``max_depth``. Iterative: no
    input can exhaust the stack here."""
    stack = [(value, 0, "body")]
    while stack:
        item, depth, name = stack.pop()
        if isinstance(item, str):
            if not _text_ok(item):
                raise ApiError(400, "text must be valid Unicode (no lone surrogates)")
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise ApiError(400, "'{}' must be a finite number".format(name))
        elif isinstance(item, (dict, list)):
            if depth >= max_depth:
                raise ApiError(400, "the JSON body is nested deeper than {} levels".format(
                    max_depth))
            if isinstance(item, dict):
                stack.extend((key, depth + 1, "key") for key in item)
                stack.extend((child, depth + 1, key) for key, child in item.items())
            else:
                stack.extend((child, depth + 1, name) for child in item)


async def read_form(request, limit):
    """An ``application/x-www-form-urlencoded`` body as a dict (first value wins)."""
    return _decode_form(await read_body(request, limit))


def _decode_form(body):
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "the form is not valid") from None
    form = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


def text_field(data, name, required=True, max_length=200):
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise ApiError(400, "'{}' is required".format(name))
        return None
    if not isinstance(value, str):
        raise ApiError(400, "'{}' must be a string".format(name))
    if len(value) > max_length:
        raise ApiError(400, "'{}' is longer than {} characters".format(name, max_length))
    return value


def number_field(data, name, required=True, minimum=0, allow_text=False):
    """A number; ``allow_text`` also takes ``"1000"`` (form bodies carry only text)."""
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise ApiError(400, "'{}' is required".format(name))
        return None
    if isinstance(value, str) and allow_text:
        try:
            value = float(value)
        except ValueError:
            raise ApiError(400, "'{}' must be a number".format(name)) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ApiError(400, "'{}' must be a number".format(name))
    if value < minimum or value > 1e13:
        raise ApiError(400, "'{}' is out of range".format(name))
    return int(value) if value == int(value) else value


def envelope(response, status=200):
    """Iamport's REST envelope: ``{"code": 0, "message": null, "response": ...}``."""
    return JSONResponse({"code": 0, "message": None, "response": response}, status_code=status)


def error_body(status, message, code=-1, headers=None):
    return JSONResponse({"code": code, "message": message, "response": None},
                        status_code=status, headers=headers)
