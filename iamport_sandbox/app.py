"""The sandbox as one Starlette app: routes by area, the store, templates, webhooks."""

import contextlib
import logging
import os
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from iamport_sandbox import (
    asset_routes,
    checkout_service,
    console,
    demo,
    receipt_pages,
    settings_api,
    testkit_api,
)
from iamport_sandbox.config import Config
from iamport_sandbox.domain.errors import PaymentError
from iamport_sandbox.fields import FieldError
from iamport_sandbox.rest import naverpay as rest_naverpay
from iamport_sandbox.rest import routes as rest_routes
from iamport_sandbox.rest import scheduler
from iamport_sandbox.security import Guard
from iamport_sandbox.store import Store
from iamport_sandbox.webhooks import OwnAddress, WebhookSender
from iamport_sandbox.windows import pages as window_pages
from iamport_sandbox.windows import recording as window_recording
from iamport_sandbox.wire import ApiError, api_error_answer, domain_error_answer, error_body

log = logging.getLogger("iamport_sandbox")
TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


def _money(value: float | str | None) -> str:
    if value is None:
        return ""
    number = float(value)
    return "{:,}".format(int(number)) if number == int(number) else "{:,.2f}".format(number)


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=[TEMPLATES, window_pages.TEMPLATES])
    templates.env.filters["money"] = _money
    return templates


API_PREFIX = "/api"
# Pages the REST API's answers link to (a payment's receipt_url) stay reachable on the API port.
API_PORT_PASSTHROUGH = ("/sandbox/receipts/",)


class ApiPortRoot:
    """Requests that arrive on ``config.api_port`` are the REST API at the root, as
    api.iamport.kr serves it: ``/users/getToken`` there is ``/api/users/getToken`` here.

    One app behind both ports: one store, one webhook sender, one lifespan. The port is the
    one the request came in on (``scope["server"]``), so nothing else of the app is
    reachable there."""

    def __init__(self, app: ASGIApp, config: Config) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and self._on_api_port(scope)
            and not scope["path"].startswith(API_PORT_PASSTHROUGH)
        ):
            raw = scope.get("raw_path") or scope["path"].encode()
            scope = dict(scope, path=API_PREFIX + scope["path"], raw_path=API_PREFIX.encode() + raw)
        await self.app(scope, receive, send)

    def _on_api_port(self, scope: Scope) -> bool:
        server: tuple[str, int | None] | None = scope.get("server")
        if self.config.api_port is None or not server:
            return False
        return server[1] == self.config.api_port


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)  # registered for it alone
    return error_body(error.status_code, error.detail or "error")


async def _unexpected(request: Request, error: Exception) -> Response:
    # Last line of defence: the error is logged, the client still gets JSON.
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_body(500, "internal error")


def create_app(config: Config | None = None) -> Starlette:
    """Build the app; the store opens (and migrates) here, webhooks start with the server."""
    config = config or Config()
    store = Store(config.db_path)
    webhooks = WebhookSender(store, config)
    schedules = scheduler.Scheduler(store, config)
    guard = Guard(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:

        await webhooks.start()
        await schedules.start()
        try:
            yield
        finally:
            await schedules.stop()
            await webhooks.stop()
            guard.close()
            server = getattr(app.state, "demo_server", None)
            if server is not None:
                await server.client.aclose()

    routes = (
        settings_api.routes
        + window_pages.routes
        + window_recording.routes
        + receipt_pages.routes
        + console.routes
        + demo.routes
        + scheduler.routes
        + testkit_api.routes
        + rest_naverpay.testkit_routes
        # iamport.js 1.3's checkout server (its /api/… paths) before the REST API's mount.
        + checkout_service.routes
        + [Mount(API_PREFIX, routes=rest_routes.routes)]
        + asset_routes.routes(config)
    )
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(ApiPortRoot, config=config),
            Middleware(console.ConsoleHeaders),
            Middleware(OwnAddress, policy=webhooks.policy),
        ],
        # The one place errors become HTTP answers: the endpoints' own, the domain's and
        # unreadable fields' (wire.answer_of), Starlette's, and the unexpected.
        exception_handlers={
            ApiError: api_error_answer,
            PaymentError: domain_error_answer,
            FieldError: domain_error_answer,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.store = store
    app.state.templates = _templates()
    app.state.webhooks = webhooks
    app.state.guard = guard
    # Opens per user code (unauthenticated window endpoints; Config.window_opens_per_minute).
    app.state.window_opens = window_recording.open_limiter(config)
    app.state.demo_server = None
    app.state.presets = testkit_api.Presets()
    return app
