"""The login guard every page behind the login wears (:func:`needs_login`)."""

import functools
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from iamport_sandbox.console.render import missing_page, see_other, wants_html
from iamport_sandbox.console.session import LoginNeeded
from iamport_sandbox.wire import ApiError

Endpoint = Callable[[Request], Awaitable[Response]]


def needs_login(handler: Endpoint) -> Endpoint:
    """Send visitors without a session to the login page (GET) or refuse (POST). An
    unknown id is the console's 404 page for a browser, the JSON error for an API client."""

    @functools.wraps(handler)
    async def guarded(request: Request) -> Response:
        try:
            return await handler(request)
        except LoginNeeded:
            if request.method == "GET":
                return see_other("/console/login")
            raise ApiError(401, "log in to the console first") from None
        except ApiError as refused:
            if refused.status == 404 and request.method == "GET" and wants_html(request):
                return missing_page(request, refused)
            raise

    return guarded
