"""Sandbox payment windows and the sandbox PG page (docs/protocol.md).

- ``GET /{payments,certificates}/ready/{user_code}[/{pg_provider}[/{pg_id}]]``
  (``?tier=`` for agencies): the window (templates/window.html + static/window.js),
  which takes the request posted by its parent, records it through
  :mod:`window_api` and answers ``{"action": "done"}``.
- ``POST /sandbox/pg/{imp_uid}``: the page a popup PG's window sends into the
  merchant page's popup through ``<pg>.modal`` (templates/pg.html + static/pg.js).
  It is rendered from the posted form only; completing needs the request id.

Both pages carry their stylesheet and scripts inline (static/sandbox.css, actions.js and
their own script): the window is usable after its one page request and the recording
``POST``, with no stylesheet or script request in between (issue 14).
"""

import json
import os
import re
from urllib.parse import urlsplit

from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Route

from iamport_py import errors
from iamport_py.catalog import COMMON_RULES, POPUP, get_pg
from iamport_py.errors import IamportError
from iamport_py.validation import apply_rule
from iamport_sandbox.wire import ApiError, read_form, text_field

# The decline codes a tester may pick, with the message the window sends for each, in
# Korean and English (the request's `language` chooses; Iamport's default is Korean): the
# SDK's one code table (iamport_py.errors) holds both.
DECLINE_CODES = tuple((code,) + errors.MESSAGES[code] for code in errors.DECLINE_CODES)
KINDS = {"payments": "payment", "certificates": "certification"}
NO_STORE = {"Cache-Control": "no-store"}
# The PG page's form, field by field: (name, required, max length).
PG_FORM = (("imp_uid", True, 40), ("request_id", True, 80), ("user_code", True, 40),
           ("origin", True, 200), ("action", True, 20), ("name", False, 200),
           ("amount", False, 40), ("currency", False, 10), ("pay_method", False, 40),
           ("merchant_uid", False, 80), ("pg_provider", False, 40), ("pg_id", False, 80),
           ("buyer_name", False, 60), ("vbank_due", False, 40), ("language", False, 10))
ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")
STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
# What the window pages inline: {template name: (static file, the closing tag it may not hold)}.
INLINE = {"css": ("sandbox.css", "</style"), "actions": ("actions.js", "</script"),
          "window": ("window.js", "</script"), "pg": ("pg.js", "</script")}


_inlined = {}  # path -> ((mtime_ns, size), text), so a window page costs a stat, not a read


def _inlinable(filename, closing):
    path = os.path.join(STATIC, filename)
    stat = os.stat(path)
    key = (stat.st_mtime_ns, stat.st_size)
    if path not in _inlined or _inlined[path][0] != key:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        if closing in text.lower():
            raise ValueError("{} cannot be inlined: it contains {}".format(filename, closing))
        _inlined[path] = (key, text)
    return _inlined[path][1]


def inline_assets():
    """``{name: text}`` of the files the window pages inline (read again only when a file
    has changed, so an edited file shows at the next load)."""
    return {name: _inlinable(filename, closing)
            for name, (filename, closing) in INLINE.items()}


class _NotJson:
    """A value no rule's type, format or values admit."""


def _broken(rule, pg_code):
    """The SDK's own error for a request that breaks ``rule`` (missing, then a value of no
    admitted kind): the window shows what validation says, not a second wording of it."""
    for value in (None, _NotJson()):
        request = dict(rule.get("when") or {})
        request[rule["field"]] = value
        try:
            apply_rule(rule, request, pg_code)
        except IamportError as error:
            return error
    return None


def pg_rules(code, pg):
    """The parameter rules a ``request_pay`` to PG ``code`` follows, as the window lists
    them: the catalog's :data:`COMMON_RULES` and the entry's own ``rules`` (an unknown PG
    is held to the common ones only, as validation does). A rule for a ``pay_method`` the
    PG does not take is left out: validation refuses such a request before it."""
    rows = []
    methods = pg.get("pay_methods") or ()
    for rule in COMMON_RULES + tuple(pg.get("rules", ())):
        method = (rule.get("when") or {}).get("pay_method")
        if methods and method is not None and method not in methods:
            continue
        error = _broken(rule, code)
        rows.append({
            "field": rule["field"],
            "when": sorted((rule.get("when") or {}).items()),
            "when_json": json.dumps(rule.get("when") or {}, sort_keys=True),
            "required": bool(rule.get("required")),
            "expected": error.details.get("expected", "") if error else "",
            "strip": rule.get("strip", ""),
            "code": error.code if error else rule.get("code", errors.INVALID_TYPE),
            "message_ko": error.message("ko") if error else "",
            "message_en": error.message("en") if error else "",
        })
    return rows


def _resolve(store, kind, params, tier):
    """``(merchant, setting)`` for one of the window URL shapes of protocol.md §1."""
    merchant = store.merchant_by_code(params["user_code"])
    if merchant is None:
        return None, None
    if "pg_provider" not in params:
        # The default URL: entry 0 when it is of this kind, else the first of this kind.
        matches = [s for s in store.settings(merchant["id"], tier) if s["type"] == kind]
        return merchant, matches[0] if matches else None
    mid = params.get("pg_id") or None
    for setting in store.settings(merchant["id"], tier):
        if (setting["type"], setting["pg_provider"], setting["pg_id"] or None) == \
                (kind, params["pg_provider"], mid):
            return merchant, setting
    return merchant, None


async def window_page(request, kind):
    """A payment or certification window (every URL shape; a 404 page still answers F1001)."""
    params = request.path_params
    tier = request.query_params.get("tier") or None
    merchant, setting = _resolve(request.app.state.store, kind, params, tier)
    code = setting["pg_provider"] if setting else params.get("pg_provider", "")
    pg = get_pg(code) or {}
    context = {
        "action": kind, "setting": setting, "pg": pg,
        "pg_name": pg.get("name_ko", code), "pg_name_en": pg.get("name_en", code),
        "pg_provider": code, "user_code": params["user_code"],
        "pg_id": setting["pg_id"] if setting else None,
        "popup": pg.get("window") == POPUP, "tier": tier or "",
        "decline_codes": DECLINE_CODES, "known_merchant": merchant is not None,
        "window_error_code": errors.WINDOW_ERROR,
        "rules": pg_rules(code, pg) if kind == "payment" and setting else (),
        "inline": inline_assets(),
    }
    return request.app.state.templates.TemplateResponse(
        request, "window.html", context, status_code=200 if setting else 404, headers=NO_STORE)


def _pg_form(form, imp_uid):
    values = {name: text_field(form, name, required, length) for name, required, length
              in PG_FORM}
    if values["imp_uid"] != imp_uid:
        raise ApiError(400, "'imp_uid' does not match the URL")
    if values["action"] not in KINDS.values():
        raise ApiError(400, "'action' must be payment or certification")
    parts = urlsplit(values["origin"])
    # The final answer is posted to this origin: an http(s) origin, never "*" or a path.
    if not ORIGIN.match(values["origin"]) or parts.scheme not in ("http", "https") \
            or not parts.hostname:
        raise ApiError(400, "'origin' must be an http(s) origin")
    return values


async def pg_page(request):
    """The sandbox PG page a popup PG's window asks the merchant page to open."""
    app = request.app.state
    if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"):
        raise ApiError(415, "the PG page takes a form (application/x-www-form-urlencoded)")
    form = _pg_form(await read_form(request, app.config.max_body),
                    request.path_params["imp_uid"])
    pg = get_pg(form["pg_provider"] or "") or {}
    context = {"form": form, "decline_codes": DECLINE_CODES,
               "preset": app.presets.for_pg_page(form["imp_uid"]),
               "pg_name": pg.get("name_ko", form["pg_provider"] or "PG"),
               "pg_name_en": pg.get("name_en", form["pg_provider"] or ""),
               "inline": inline_assets()}
    return app.templates.TemplateResponse(request, "pg.html", context, headers=NO_STORE)


# The window pages carry their stylesheet and scripts inline (26 KB): gzip (Starlette's
# middleware) for browsers that accept it, about a quarter of that on a phone network.
COMPRESSED = [Middleware(GZipMiddleware, minimum_size=1000)]


def _window_routes():
    for segment, kind in KINDS.items():
        async def page(request, kind=kind):
            return await window_page(request, kind)

        for shape in ("", "/{pg_provider}", "/{pg_provider}/{pg_id}"):
            yield Route("/{}/ready/{{user_code}}{}".format(segment, shape), page,
                        methods=["GET"], middleware=COMPRESSED)


routes = list(_window_routes()) + [Route("/sandbox/pg/{imp_uid}", pg_page, methods=["POST"],
                                         middleware=COMPRESSED)]
