"""The headers every console response carries: no framing, no sniffing, no referrer abroad."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from iamport_sandbox.console.session import COOKIE_PATH

# Clickjacking: no console page may be framed, by any origin (payment windows may).
FRAME_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


class ConsoleHeaders:
    """Adds :data:`FRAME_HEADERS` to every response under ``/console`` (pages, redirects
    and JSON refusals alike)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (
            path == COOKIE_PATH or path.startswith(COOKIE_PATH + "/")
        ):
            await self.app(scope, receive, send)
            return

        async def send_framed(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(
                    message, headers=list(message.get("headers", [])) + list(FRAME_HEADERS)
                )
            await send(message)

        await self.app(scope, receive, send_framed)
