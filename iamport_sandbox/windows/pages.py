"""The window pages (docs/protocol.md).

- ``GET /{payments,certificates}/ready/{user_code}[/{pg_provider}[/{pg_id}]]``
  (``?tier=`` for agencies): the window (templates/window.html + static/window.js),
  which takes the request posted by its parent, records it through :mod:`.recording`
  and answers ``{"action": "done"}``.
- ``POST /sandbox/pg/{imp_uid}``: the page a popup PG's window sends into the merchant
  page's popup through ``<pg>.modal`` (templates/pg.html + static/pg.js). It is rendered
  from the posted form only; completing needs the request id.
- ``GET /sandbox/static/{actions,window,pg}.js``: the window's scripts as the pages
  carry them (:mod:`.inline`).

Both pages carry their stylesheet and scripts inline; gzip (Starlette's middleware) for
browsers that accept it.
"""

import os
import re
from collections.abc import Awaitable, Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from iamport_py.catalog import POPUP, get_pg
from iamport_sandbox.fields import read_form, text_field
from iamport_sandbox.windows import facts
from iamport_sandbox.windows.inline import INLINE, inline_assets, served
from iamport_sandbox.windows.lookup import Address, find_window
from iamport_sandbox.windows.rules import pg_rules
from iamport_sandbox.wire import ApiError

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
"""The window's templates (the app's Jinja loader searches them after the sandbox's)."""
NO_STORE = {"Cache-Control": "no-store"}
ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")
# The window pages carry their stylesheet and scripts inline (26 KB): gzip for browsers
# that accept it, about a quarter of that on a phone network.
COMPRESSED = [Middleware(GZipMiddleware, minimum_size=1000)]


def _common() -> dict[str, Any]:
    """What both pages show: the decline codes, the texts, the inline files."""
    return {
        "decline_codes": facts.DECLINE_CODES,
        "texts": facts.TEXTS,
        "labels": facts.LABELS,
        "around": facts.AROUND_A_VALUE,
        "sample_person": facts.SAMPLE_PERSON,
        "inline": inline_assets(),
    }


def _address(request: Request, kind: str) -> Address:
    params = request.path_params
    return Address(
        kind,
        params["user_code"],
        params.get("pg_provider"),
        params.get("pg_id"),
        request.query_params.get("tier") or None,
    )


async def window_page(request: Request, kind: str) -> Response:
    """A payment or certification window (every URL shape; a 404 page still answers
    F1001)."""
    address = _address(request, kind)
    window = find_window(request.app.state.store, address)
    setting = window.setting
    code = setting["pg_provider"] if setting else address.pg_provider or ""
    pg = get_pg(code) or {}
    context = dict(
        _common(),
        kind=facts.KINDS[kind],
        setting=setting,
        pg_name=pg.get("name_ko", code),
        pg_name_en=pg.get("name_en", code),
        pg_provider=code,
        user_code=address.user_code,
        pg_id=setting["pg_id"] if setting else None,
        popup=pg.get("window") == POPUP,
        tier=address.tier or "",
        rules=pg_rules(code, pg) if kind == "payment" and setting else (),
    )
    response: Response = request.app.state.templates.TemplateResponse(
        request, "window.html", context, status_code=200 if setting else 404, headers=NO_STORE
    )
    return response


def _pg_form(form: Any, imp_uid: str) -> dict[str, str | None]:
    values: dict[str, str | None] = {
        field.name: text_field(form, field.name, field.required, field.max_length)
        for field in facts.PG_FORM
    }
    if values["imp_uid"] != imp_uid:
        raise ApiError(400, "'imp_uid' does not match the URL")
    if values["action"] not in facts.KINDS:
        raise ApiError(400, "'action' must be {}".format(facts.one_of(list(facts.KINDS))))
    origin = values["origin"] or ""
    # The final answer is posted to this origin: an http(s) origin, never "*" or a path.
    # Checked before it is split: urlsplit raises on some (an unclosed "http://[::1").
    try:
        parts = urlsplit(origin) if ORIGIN.match(origin) else None
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ApiError(400, "'origin' must be an http(s) origin")
    return values


async def pg_page(request: Request) -> Response:
    """The sandbox PG page a popup PG's window asks the merchant page to open."""
    app = request.app.state
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise ApiError(415, "the PG page takes a form (application/x-www-form-urlencoded)")
    form = _pg_form(await read_form(request, app.config.max_body), request.path_params["imp_uid"])
    code = form["pg_provider"] or ""
    pg = get_pg(code) or {}
    context = dict(
        _common(),
        form=form,
        kind=facts.KINDS[form["action"] or ""],
        preset=app.presets.for_pg_page(form["imp_uid"]),
        pg_name=pg.get("name_ko", code or "PG"),
        pg_name_en=pg.get("name_en", code),
    )
    response: Response = app.templates.TemplateResponse(
        request, "pg.html", context, headers=NO_STORE
    )
    return response


def _script(filename: str, closing: str) -> Callable[[Request], Awaitable[Response]]:
    async def script(request: Request) -> Response:
        return Response(served(filename, closing), media_type="text/javascript; charset=utf-8")

    return script


def _routes() -> Iterator[BaseRoute]:
    for each in facts.KINDS.values():

        async def page(request: Request, kind: str = each.name) -> Response:
            return await window_page(request, kind)

        for shape in ("", "/{pg_provider}", "/{pg_provider}/{pg_id}"):
            path = "/{}/ready/{{user_code}}{}".format(each.segment, shape)
            yield Route(path, page, methods=["GET"], middleware=COMPRESSED)
    yield Route(facts.PG_PAGE_PATH, pg_page, methods=["POST"], middleware=COMPRESSED)
    for filename, closing in INLINE.values():
        if filename.endswith(".js"):
            path = "/sandbox/static/" + filename.rsplit("/", 1)[1]
            yield Route(path, _script(filename, closing), methods=["GET"])


routes = list(_routes())
"""The window pages' routes."""
