"""The routes of the public files: the demo shop (the package's web/), the self-hosted
runtimes, and the SDK. Where they are found, and how they are compressed and versioned, is
:mod:`iamport_sandbox.assets`' business.

Everything a page needs comes from this one process; nothing from a CDN.

- ``/runtime/<name>@<version>/…`` (the pinned runtimes) and ``/runtime/iamport-py@<version>/…``
  (the SDK's modules and its JS half): a new version is a new URL, so they are cached for a
  year (``immutable``: a returning shopper neither downloads nor revalidates them);
- ``/web/…`` (imp.js, imp.esm.js, the configs; imp.esm.d.ts): the entry points, which name
  those versions: cached 5 minutes (``ENTRY_POINT``); ``/`` (the demo page): ``no-cache``
  (revalidated with its ETag);
- ``/runtime/<name>/…``, ``/sdk/iamport_py/…``, ``/sdk/iamport_py-py.bundle``,
  ``/sdk/iamport_py-mpy.bundle``, ``/sdk/iamport_py.zip``: the unversioned URLs of
  earlier configs and merchants' pages, kept working, ``no-cache``.

Text and wasm go out brotli- or gzip-compressed when the request's ``Accept-Encoding`` allows
(``Vary: Accept-Encoding``; an ETag per encoding): the runtimes' ``.br``/``.gz`` were written
beside them at build or install time; the small entry points and SDK files are compressed once
per process, on first use.
"""

import functools
import hashlib
import mimetypes
import os
from collections.abc import Collection

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import NotModifiedResponse, PathLike, StaticFiles
from starlette.types import Scope

from iamport_sandbox import assets
from iamport_sandbox.config import Config
from iamport_sandbox.wire import ApiError

# Browsers compile WebAssembly streaming only when it is served as application/wasm.
mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("text/plain", ".toml")
# imp.esm.d.ts: text a browser shows and Deno takes as TypeScript (Python's table says Qt Linguist).
mimetypes.add_type("text/typescript", ".ts")

# Nothing under /runtime, /sdk and /web is private and none of it needs a cookie: a merchant
# page on its own origin loads imp.js, the runtimes (ES modules, so CORS applies) and the SDK
# from the service's origin. Starlette's CORS middleware, on those mounts only.
PUBLIC = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD"])]
IMMUTABLE = "public, max-age=31536000, immutable"
# imp.js and the configs name the versions above: short-lived, so that a returning shopper
# within minutes asks for nothing (not even a revalidation) and a new version reaches pages
# within 5 minutes of a restart.
ENTRY_POINT = "public, max-age=300"
REVALIDATE = "no-cache"


def accepted(header: str | None) -> dict[str, float]:
    """``{content-coding: q}`` of an ``Accept-Encoding`` header (RFC 9110 12.5.3)."""
    codings: dict[str, float] = {}
    for part in (header or "").split(","):
        coding, *params = part.split(";")
        quality = 1.0
        for param in params:
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding.strip():
            codings[coding.strip().lower()] = quality
    return codings


def negotiate(header: str | None, available: Collection[str]) -> str | None:
    """The content coding to send among ``available`` (``"br"``, ``"gzip"``), or None for
    the file as it is: the one the client weighs highest, brotli on a tie; ``q=0`` refuses."""
    codings = accepted(header)
    best, best_quality = None, 0.0
    for coding, _ in assets.ENCODINGS:  # the server's preference: br, then gzip
        quality = codings.get(coding, codings.get("*", 0.0))
        if coding in available and quality > best_quality:
            best, best_quality = coding, quality
    return best


class CompressedFiles(StaticFiles):
    """StaticFiles that sends the ``.br`` or ``.gz`` written beside a file when the client
    accepts it, with a ``Cache-Control`` of its own."""

    def __init__(self, *, directory: str, cache_control: str, check_dir: bool = False) -> None:
        super().__init__(directory=directory, check_dir=check_dir)
        self.cache_control = cache_control

    def file_response(
        self,
        full_path: PathLike,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        """The file, or its ``.br``/``.gz`` when the request accepts it; 304 when unchanged."""
        headers = {"Cache-Control": self.cache_control}
        plain = os.fspath(full_path)
        path, coding = plain, None
        if assets.compressible(plain):
            headers["Vary"] = "Accept-Encoding"
            available = {
                name for name, suffix in assets.ENCODINGS if os.path.isfile(plain + suffix)
            }
            coding = negotiate(Headers(scope=scope).get("accept-encoding"), available)
        if coding is not None:
            path = plain + dict(assets.ENCODINGS)[coding]
            stat_result = os.stat(path)
            headers["Content-Encoding"] = coding
        # The ETag (mtime and size of the file sent) differs per encoding.
        response = FileResponse(
            path,
            status_code=status_code,
            stat_result=stat_result,
            headers=headers,
            media_type=_media_type(plain),
        )
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response


def _media_type(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return kind + "; charset=utf-8" if kind.startswith("text/") else kind


@functools.lru_cache(maxsize=256)
def _variants(data: bytes) -> dict[str, bytes]:
    return assets.compress(data)


def memory_response(request: Request, data: bytes, name: str, cache_control: str) -> Response:
    """``data`` (a file's bytes, served as ``name``), compressed as the request accepts,
    answering ``If-None-Match`` with 304."""
    headers = {"Cache-Control": cache_control}
    coding = None
    if assets.compressible(name):
        headers["Vary"] = "Accept-Encoding"
        variants = _variants(data)
        coding = negotiate(request.headers.get("accept-encoding"), variants)
        if coding is not None:
            data = variants[coding]
            headers["Content-Encoding"] = coding
    headers["ETag"] = '"{}{}"'.format(
        hashlib.sha256(data).hexdigest()[:20], "-" + coding if coding else ""
    )
    if headers["ETag"] in [
        tag.strip().removeprefix("W/")
        for tag in request.headers.get("if-none-match", "").split(",")
    ]:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=_media_type(name), headers=headers)


def routes(config: Config) -> list[BaseRoute]:
    """The routes of ``/``, ``/web``, ``/sdk``, ``/runtime`` and ``/sandbox/static``."""
    web_dir = config.web_dir
    archive = assets.sdk_archive()
    sdk = assets.sdk_files(web_dir)  # what the page gets is what the version was hashed from
    # Compressed now, not for the first shopper after a start (brotli at its best takes about
    # 50 ms for the bundle): the files every page's boot waits for.
    for name in (assets.SDK_MPY_BUNDLE, assets.SDK_PY_BUNDLE, assets.BRIDGE):
        _variants(sdk[name])
    named = assets.versions(web_dir, sdk)
    entries: dict[
        str, tuple[tuple[int, int], bytes]
    ] = {}  # web/ file name -> ((mtime, size), bytes as served)

    def entry_point(name: str) -> bytes:
        # web/'s files with their runtime and SDK URLs versioned; read again when changed.
        path = os.path.join(web_dir, name)
        if "/" in name or name.startswith(".") or not os.path.isfile(path):
            raise ApiError(404, "no such file")
        stat = os.stat(path)
        key = (stat.st_mtime_ns, stat.st_size)
        if name not in entries or entries[name][0] != key:
            with open(path, "rb") as handle:
                data = handle.read()
            if assets.compressible(name):
                data = assets.versioned(data.decode("utf-8"), named).encode("utf-8")
            entries[name] = (key, data)
        return entries[name][1]

    async def index(request: Request) -> Response:
        return memory_response(request, entry_point("index.html"), "index.html", REVALIDATE)

    async def web_file(request: Request) -> Response:
        # Only the files directly in web/: never node_modules or anything above it.
        name = request.path_params["name"]
        return memory_response(request, entry_point(name), name, ENTRY_POINT)

    async def sdk_zip(request: Request) -> Response:
        return Response(
            archive, media_type="application/zip", headers={"Cache-Control": REVALIDATE}
        )

    async def sdk_module(request: Request) -> Response:
        name = "iamport_py/" + request.path_params["name"]
        if name not in sdk:
            raise ApiError(404, "no such file")
        return memory_response(request, sdk[name], name, REVALIDATE)

    async def sdk_bundle(request: Request) -> Response:
        name = request.url.path.rsplit("/", 1)[1]
        return memory_response(request, sdk[name], name, REVALIDATE)

    async def sdk_versioned(request: Request) -> Response:
        name = request.path_params["path"]
        if name not in sdk:
            raise ApiError(404, "no such file")
        return memory_response(request, sdk[name], name, IMMUTABLE)

    runtime: list[BaseRoute] = [
        Route("/{}/{{path:path}}".format(named[assets.SDK_PACKAGE]), sdk_versioned, methods=["GET"])
    ]
    for name in assets.RUNTIMES:
        folder = os.path.join(config.runtime_dir, name)
        # check_dir=False: a sandbox without the npm runtimes still serves its API.
        runtime.append(
            Mount("/" + named[name], CompressedFiles(directory=folder, cache_control=IMMUTABLE))
        )
        runtime.append(
            Mount("/" + name, CompressedFiles(directory=folder, cache_control=REVALIDATE))
        )
    sdk_routes = [
        Route("/iamport_py.zip", sdk_zip, methods=["GET"]),
        Route("/iamport_py/{name}", sdk_module, methods=["GET"]),
        Route("/" + assets.SDK_PY_BUNDLE, sdk_bundle, methods=["GET"]),
        Route("/" + assets.SDK_MPY_BUNDLE, sdk_bundle, methods=["GET"]),
    ]
    mounts: list[BaseRoute] = [
        Route("/", index, methods=["GET"]),
        Mount("/web", routes=[Route("/{name}", web_file, methods=["GET"])], middleware=PUBLIC),
        Mount("/sdk", routes=sdk_routes, middleware=PUBLIC),
        Mount("/runtime", routes=runtime, middleware=PUBLIC),
        Mount(
            "/sandbox/static",
            StaticFiles(
                directory=os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
            ),
        ),
    ]
    return mounts
