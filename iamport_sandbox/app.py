"""The sandbox as one Starlette app: routes by area, the store, templates, webhooks."""

import contextlib
import logging
import os

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount
from starlette.templating import Jinja2Templates

from iamport_sandbox import (
    console,
    demo,
    receipts,
    rest_api,
    settings_api,
    static,
    window_api,
    window_pages,
)
from iamport_sandbox.config import Config
from iamport_sandbox.store import Store
from iamport_sandbox.webhooks import WebhookSender
from iamport_sandbox.wire import ApiError, error_body

log = logging.getLogger("iamport_sandbox")
TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


def _money(value):
    if value is None:
        return ""
    value = float(value)
    return "{:,}".format(int(value)) if value == int(value) else "{:,.2f}".format(value)


def _templates():
    templates = Jinja2Templates(directory=TEMPLATES)
    templates.env.filters["money"] = _money
    return templates


async def _api_error(request, error):
    return error_body(error.status, error.message, error.code)


async def _http_error(request, error):
    return error_body(error.status_code, error.detail or "error")


async def _unexpected(request, error):
    # Last line of defence: the error is logged, the client still gets JSON.
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_body(500, "internal error")


def create_app(config=None):
    """Build the app; the store opens (and migrates) here, webhooks start with the server."""
    config = config or Config()
    store = Store(config.db_path)
    webhooks = WebhookSender(store, config)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await webhooks.start()
        try:
            yield
        finally:
            await webhooks.stop()
            server = getattr(app.state, "demo_server", None)
            if server is not None:
                await server.client.aclose()

    routes = (settings_api.routes + window_pages.routes + window_api.routes + receipts.routes
              + console.routes + demo.routes
              + [Mount("/api", routes=rest_api.routes)] + static.routes(config))
    app = Starlette(
        routes=routes,
        middleware=[Middleware(static.PublicAssetsCors),
                    Middleware(SessionMiddleware, secret_key=store.secret_key(),
                               session_cookie="iamport_console", same_site="lax",
                               https_only=config.secure_cookies, max_age=8 * 3600)],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error,
                            Exception: _unexpected},
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.store = store
    app.state.templates = _templates()
    app.state.webhooks = webhooks
    app.state.demo_server = None
    return app
