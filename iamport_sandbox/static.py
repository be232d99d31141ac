"""Static files: the demo shop (the package's web/), the self-hosted runtimes, and the SDK
archive. Where they are found is :mod:`iamport_sandbox.assets`' business.

Everything a page needs comes from this one process; nothing from a CDN.
"""

import mimetypes
import os

from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import iamport_py
from iamport_sandbox.assets import RUNTIMES, sdk_archive
from iamport_sandbox.wire import ApiError

# Browsers compile WebAssembly streaming only when it is served as application/wasm.
mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("text/plain", ".toml")

SDK_DIR = os.path.dirname(os.path.abspath(iamport_py.__file__))


PUBLIC_PREFIXES = ("/runtime/", "/sdk/", "/web/")


class PublicAssetsCors:
    """``Access-Control-Allow-Origin: *`` on the public static files: a merchant page on
    its own origin loads imp.js, the runtimes (ES modules, so CORS applies) and the SDK
    from the service's origin. Nothing there is private and no cookie is needed."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith(PUBLIC_PREFIXES):
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"access-control-allow-origin", b"*"))
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, send_with_cors)


def routes(config):
    archive = sdk_archive()
    web_dir = config.web_dir

    async def index(request):
        return FileResponse(os.path.join(web_dir, "index.html"))

    async def web_file(request):
        # Only the files directly in web/: never node_modules or anything above it.
        name = request.path_params["name"]
        path = os.path.join(web_dir, name)
        if "/" in name or name.startswith(".") or not os.path.isfile(path):
            raise ApiError(404, "no such file")
        return FileResponse(path, headers={"Cache-Control": "no-cache"})

    async def sdk_zip(request):
        return Response(archive, media_type="application/zip",
                        headers={"Cache-Control": "no-cache"})

    mounts = [Route("/", index, methods=["GET"]),
              Route("/web/{name}", web_file, methods=["GET"]),
              Route("/sdk/iamport_py.zip", sdk_zip, methods=["GET"]),
              Mount("/sdk/iamport_py", StaticFiles(directory=SDK_DIR)),
              Mount("/sandbox/static", StaticFiles(directory=os.path.join(
                  os.path.dirname(os.path.abspath(__file__)), "static")))]
    for name in RUNTIMES:
        folder = os.path.join(config.runtime_dir, name)
        # check_dir=False: a sandbox without the npm runtimes still serves its API.
        mounts.append(Mount("/runtime/" + name, StaticFiles(directory=folder, check_dir=False)))
    return mounts
