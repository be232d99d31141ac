"""The REST API's own description, at hand: ``GET /openapi.json`` (PortOne's document as the
sandbox conforms to it, pointed at this sandbox: :func:`iamport_sandbox.openapi.served`) and
``GET /docs``, a reference page on the pinned Swagger UI of the ``swagger-ui-bundle``
package, served from its files (no CDN), whose "Try it out" calls this sandbox. Both under
``/api`` (at the root of ``--api-port``), no token needed: the document is public."""

import os

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]  # no py.typed

from iamport_sandbox import openapi

PAGE = os.path.join(openapi.HERE, "reference.html")
# The page's files: Swagger UI's own two, and the page's initializer.
FILES = {
    "swagger-ui.css": os.path.join(str(swagger_ui_path), "swagger-ui.css"),
    "swagger-ui-bundle.js": os.path.join(str(swagger_ui_path), "swagger-ui-bundle.js"),
    "reference.js": os.path.join(openapi.HERE, "reference.js"),
}
# The page and its files change with a release only; the document with the host asked.
CACHE = {"Cache-Control": "public, max-age=3600"}


def _base_path(request: Request) -> str:
    """``/api`` on the main port; ``/`` on the API port, where the API is at the root."""
    config = request.app.state.config
    server: tuple[str, int | None] | None = request.scope.get("server")
    on_api_port = (
        config.api_port is not None and server is not None and server[1] == config.api_port
    )
    return "/" if on_api_port else "/api"


async def document(request: Request) -> Response:
    host = request.headers.get("host") or "{}:{}".format(*request.scope.get("server", ("", 0)))
    return JSONResponse(
        openapi.served(host, _base_path(request), request.url.scheme),
        headers={"Cache-Control": "no-cache"},
    )


async def page(request: Request) -> Response:
    return FileResponse(PAGE, media_type="text/html; charset=utf-8", headers=CACHE)


async def page_file(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in FILES:
        return JSONResponse({"code": 1, "message": "not found", "response": None}, 404)
    return FileResponse(FILES[name], headers=CACHE)


routes = [
    Route("/openapi.json", document, methods=["GET"]),
    Route("/docs", page, methods=["GET"]),
    Route("/docs/{name}", page_file, methods=["GET"]),
]
