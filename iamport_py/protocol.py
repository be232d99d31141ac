"""The wire: settings URL and body, window URLs, and the postMessage protocol.

Messages between the SDK and a payment window are JSON strings (design §3):

- SDK -> window: ``{"action": "payment"|"certification", "data": {..., "request_id"},
  "origin": location.href, "from": "iamport-sdk", "version": ...}``, posted with
  the window's exact origin as target.
- window -> SDK: ``{"action": "ready", "data": {"request_id"}}`` once the window
  has loaded (it carries nothing but the id it was opened with, so the window may
  post it before it knows the merchant's origin), then ``{"action": "done",
  "data": {...response, "request_id"}}`` posted to the merchant page's origin.
"""

import json

from iamport_py.urlcodec import encode_query, quote

SDK_NAME = "iamport-sdk"
# The window URL segment that stands for "no PG merchant ID".
NO_MID = "-"
INCOMING_ACTIONS = ("ready", "done")


def origin_of(url):
    """``https://host:port/path`` -> ``https://host:port`` (lower-case scheme and host)."""
    scheme_end = url.find("://")
    if scheme_end < 0:
        return ""
    rest = url[scheme_end + 3:]
    for stop in "/?#":
        at = rest.find(stop)
        if at >= 0:
            rest = rest[:at]
    return (url[:scheme_end] + "://" + rest).lower()


def settings_url(service, user_code, tier=None):
    """``GET {service}/users/pg/{user_code}`` (``?tier=`` for agencies)."""
    url = service.rstrip("/") + "/users/pg/" + quote(user_code)
    return url + "?" + encode_query({"tier": tier}) if tier else url


def parse_settings(body):
    """The settings list from the endpoint's body, or raise ``ValueError(reason)``."""
    if not isinstance(body, dict):
        raise ValueError("the settings response is not a JSON object")
    if body.get("code") != 0:
        raise ValueError(str(body.get("msg") or "code {}".format(body.get("code"))))
    data = body.get("data")
    if not isinstance(data, list):
        raise ValueError("the settings response has no data list")
    return [entry for entry in data
            if isinstance(entry, dict) and isinstance(entry.get("pg_provider"), str)]


def window_url(service, action, user_code, setting, request_id):
    """The payment (or certification) window of ``setting``."""
    kind = "certificates" if action == "certification" else "payments"
    mid = setting.get("pg_id")
    path = "/".join((kind, "ready", quote(user_code), quote(setting.get("pg_provider") or ""),
                     quote(mid) if mid else NO_MID))
    return service.rstrip("/") + "/" + path + "?" + encode_query({"request_id": request_id})


def redirect_url(window, request):
    """The window URL for mobile redirect mode: the request travels in the query."""
    return window + "&" + encode_query({"request": json.dumps(request)})


def request_message(action, request, page_url, version):
    """The SDK -> window message (a JSON string)."""
    return json.dumps({"action": action, "data": request, "origin": page_url,
                       "from": SDK_NAME, "version": version})


def parse_incoming(origin, data, service_origin):
    """``(action, data)`` for a well-formed window message, else ``None``.

    Foreign messages are everyday traffic (extensions, other frames), so every
    failed check answers ``None`` rather than raising.
    """
    if origin != service_origin or not isinstance(data, str):
        return None
    try:
        message = json.loads(data)
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("action") not in INCOMING_ACTIONS:
        return None
    payload = message.get("data")
    if not isinstance(payload, dict) or not isinstance(payload.get("request_id"), str):
        return None
    return message["action"], payload
