"""Reading requests and writing answers the same way everywhere.

Bad input (oversize, malformed JSON, wrong types, missing fields) becomes an
:class:`ApiError`, which the app turns into a 4xx with a JSON body.
"""

import json
from urllib.parse import parse_qsl

from starlette.responses import JSONResponse


class ApiError(Exception):
    """A refusal with an HTTP status and a message for the client."""

    def __init__(self, status, message, code=-1):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


def refusal(message):
    """A business refusal as api.iamport.kr answers it: HTTP 200 with ``code`` 1 and the
    message (the published REST clients read ``message`` only from a 200; any other status
    becomes a bare HTTP error there)."""
    return ApiError(200, message, code=1)


async def read_body(request, limit):
    """The body, refusing more than ``limit`` bytes (whatever Content-Length claims)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise ApiError(413, "request body larger than {} bytes".format(limit))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "request body larger than {} bytes".format(limit))
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request, limit):
    """A JSON object body (a form body is accepted too, as Iamport's API does)."""
    body = await read_body(request, limit)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return _decode_form(body)
    try:
        data = json.loads(body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "the body must be a JSON object")
    return data


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


def error_body(status, message, code=-1):
    return JSONResponse({"code": code, "message": message, "response": None},
                        status_code=status)
