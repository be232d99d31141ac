"""The wire: settings URL and body, window URLs, and the window protocol.

The window protocol is Iamport's own, as its iamport.js 1.2.x speaks it
(``docs/protocol.md``): no handshake, one request posted to the window's frame
once it has loaded, then JSON-string messages back from the service origin.

- page -> frame: ``{"action": "payment"|"certification", "data": {...param,
  "request_id", "tier_code"?}, "origin": location.href, "from": "iamport-sdk",
  "version": "1.2.0"}``, target origin the service's.
- frame (or the PG page in the popup) -> page: intercept actions (``<pg>.modal``
  and the others of :data:`UNSUPPORTED_INTERCEPTS`), then the final answer
  ``{"action": "done", "data": {...rsp, "request_id"}}``. Any action that is not
  an intercept is the final answer.
"""

import json

from iamport_py.urlcodec import encode_query, quote

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from iamport_py.bridge import JsonDict

SDK_NAME = "iamport-sdk"
# The protocol version iamport.js 1.2.x announces; windows read it, not ours.
PROTOCOL_VERSION = "1.2.0"
# The name of the popup a popup PG's form is submitted into (iamport.js uses one fixed name).
POPUP_NAME = "iamport_popup"
# What the page posts to the frame when the shopper closed the popup ("check.closing" is
# the other spelling some PGs use; the window accepts both).
POPUP_CLOSED = "proxy.closed"

# Intercepts iamport.js knows and iamport_py does not implement: each ends the
# request with WINDOW_FAILED naming the action, never mistaken for a result.
UNSUPPORTED_INTERCEPTS = (
    "naverpay.modal.v2",
    "payco.modal.error",
    "tosspay.modal.close",
    "kcp_quick.modal.close",
    "daou.modal.close",
    "kakao.dlp",
    "inicis.mobile",
    "proxy.post",
    "danal.cert.layer",
)
_PG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"

_DEFAULT_PORTS = {"https": "443", "http": "80"}


def origin_of(url: object) -> str:
    """``https://Host:443/path`` -> ``https://host``: the URL's origin, normalised as
    browsers write ``event.origin`` (scheme and host lower-case, default port dropped)."""
    if not isinstance(url, str):
        return ""
    scheme_end = url.find("://")
    if scheme_end <= 0:
        return ""
    scheme = url[:scheme_end].lower()
    authority = url[scheme_end + 3 :]
    for stop in "/?#":
        at = authority.find(stop)
        if at >= 0:
            authority = authority[:at]
    authority = authority[authority.rfind("@") + 1 :].lower()
    host, port = authority, ""
    colon = authority.rfind(":")
    if colon > authority.rfind("]"):  # a port, not a colon of an IPv6 address
        host, port = authority[:colon], authority[colon + 1 :]
    if not host:
        return ""
    if port and port != _DEFAULT_PORTS.get(scheme):
        host = host + ":" + port
    return scheme + "://" + host


def settings_url(service: str, user_code: str, tier: "str | None" = None) -> str:
    """``GET {service}/users/pg/{user_code}`` (``?tier=`` for agencies)."""
    url = service.rstrip("/") + "/users/pg/" + quote(user_code)
    return url + "?" + encode_query({"tier": tier}) if tier else url


def parse_settings(body: "Any") -> "list[JsonDict]":
    """The settings list from the endpoint's body, or raise ``ValueError(reason)``."""
    if not isinstance(body, dict):
        raise ValueError("the settings response is not a JSON object")
    if body.get("code") != 0:
        raise ValueError(str(body.get("msg") or "code {}".format(body.get("code"))))
    data = body.get("data")
    if not isinstance(data, list):
        raise ValueError("the settings response has no data list")
    return [
        entry
        for entry in data
        if isinstance(entry, dict) and isinstance(entry.get("pg_provider"), str)
    ]


# The window URL's first path segment per kind of request (``action``), as Iamport's service
# spells them; the sandbox's window routes read them here (iamport_sandbox/windows/facts.py).
WINDOW_SEGMENTS = {"payment": "payments", "certification": "certificates"}


def window_url(
    service: str,
    action: str,
    user_code: str,
    setting: "JsonDict",
    is_default: bool,
    tier: "str | None" = None,
) -> str:
    """The window of ``setting``: ``{service}/{kind}/ready/{user_code}`` for the default
    (entry 0), else ``.../{pg_provider}[/{pg_id}]``; ``?tier=`` for agencies."""
    kind = WINDOW_SEGMENTS["certification" if action == "certification" else "payment"]
    parts = [kind, "ready", quote(user_code)]
    if not is_default:
        parts.append(quote(setting.get("pg_provider") or ""))
        if setting.get("pg_id"):
            parts.append(quote(setting["pg_id"]))
    url = service.rstrip("/") + "/" + "/".join(parts)
    return url + "?" + encode_query({"tier": tier}) if tier else url


def redirect_url(window: str, request: "JsonDict") -> str:
    """The window URL for mobile redirect mode: no frame exists to post the request
    to, so it travels in ``?request=`` (our one addition to the URL)."""
    joiner = "&" if "?" in window else "?"
    return window + joiner + encode_query({"request": json.dumps(request)})


def request_message(action: str, request: "JsonDict", page_url: str) -> str:
    """The page -> frame request (a JSON string)."""
    return json.dumps(
        {
            "action": action,
            "data": request,
            "origin": page_url,
            "from": SDK_NAME,
            "version": PROTOCOL_VERSION,
        }
    )


def communicate_message(
    request_id: str,
    merchant_uid: "str | None",
    imp_uid: "str | None",
    result: str = POPUP_CLOSED,
) -> str:
    """The page -> frame notice that the shopper closed the popup."""
    return json.dumps(
        {
            "action": "communicate",
            "data": {
                "request_id": request_id,
                "merchant_uid": merchant_uid,
                "imp_uid": imp_uid,
                "result": result,
            },
            "from": SDK_NAME,
            "version": PROTOCOL_VERSION,
        }
    )


def parse_incoming(
    origin: str, data: "str | None", service_origin: str
) -> "tuple[str, JsonDict] | None":
    """``(action, data)`` for a message from the service shaped as the protocol says,
    else ``None``.

    Foreign messages are everyday traffic (extensions, other frames), so every
    failed check answers ``None`` rather than raising. Messages in the page's own
    request shape (``"from": "iamport-sdk"``) are requests, never answers.
    """
    if origin_of(origin) != service_origin or not isinstance(data, str):
        return None
    try:
        message = json.loads(data)
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("from") == SDK_NAME:
        return None
    action, payload = message.get("action"), message.get("data")
    if not isinstance(action, str) or not action or not isinstance(payload, dict):
        return None
    return action, payload


def is_modal(action: str) -> bool:
    """``<pg>.modal``: the frame asks the page to fill the popup with a form."""
    if not action.endswith(".modal"):
        return False
    pg = action[: -len(".modal")]
    return bool(pg) and all(char in _PG_CHARS for char in pg)


def is_unsupported_intercept(action: str) -> bool:
    """An intercept of iamport.js that iamport_py does not implement."""
    return action in UNSUPPORTED_INTERCEPTS


def modal_form(payload: "JsonDict") -> "tuple[str, dict[str, str]]":
    """``(url, fields)`` of a ``<pg>.modal`` request, fields as strings; ``ValueError``
    when it names no http(s) URL."""
    url = payload.get("action")
    if not isinstance(url, str) or not origin_of(url).startswith("http"):
        raise ValueError("the modal request names no http(s) URL")
    form = payload.get("formData")
    fields = {}
    if isinstance(form, dict):
        for key in form:
            fields[str(key)] = _form_value(form[key])
    return url, fields


def _form_value(value: "Any") -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value)
