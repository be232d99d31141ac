"""How the console answers: a page from its template, a redirect, the 404 page."""

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from iamport_sandbox.console import messages
from iamport_sandbox.console.session import (
    LOGIN_CSRF_COOKIE,
    csrf_token,
    current_session,
    set_cookie,
)
from iamport_sandbox.wire import ApiError


def page(
    request: Request,
    template: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    """A console page (never cached) with the CSRF token, the words and the merchant."""
    context.setdefault("csrf", csrf_token(request))
    context.setdefault("t", messages.t)
    session = current_session(request)
    context.setdefault(
        "merchant",
        request.app.state.store.merchant_by_id(session["merchant_id"]) if session else None,
    )
    response: Response = request.app.state.templates.TemplateResponse(
        request,
        template,
        context,
        status_code=status,
        headers=dict({"Cache-Control": "no-store"}, **(headers or {})),
    )
    fresh = getattr(request.state, "new_login_csrf", None)
    if fresh:
        set_cookie(request, response, LOGIN_CSRF_COOKIE, fresh, None)
    return response


def see_other(url: str) -> RedirectResponse:
    """The redirect after a form (303: the browser follows with a GET)."""
    return RedirectResponse(url, status_code=303)


def wants_html(request: Request) -> bool:
    """A browser's navigation (``Accept: text/html``) rather than an API client."""
    return "text/html" in request.headers.get("accept", "")


def missing_page(request: Request, refused: ApiError) -> Response:
    """The console's 404 page, with a link back to the list the unknown id was looked for in."""
    # /console/payments/imp_x -> /console/payments.
    back = "/".join(request.url.path.split("/")[:3])
    return page(request, "console_missing.html", status=404, what=refused.message, back=back)
