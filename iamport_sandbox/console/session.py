"""The console's session: the cookie, the CSRF token, the posted form, the merchant.

Sessions live in the store (the cookie carries only a random id, whose digest the store
keeps). Every form carries the session's CSRF token; before login, a double-submit cookie's.
"""

from starlette.requests import Request
from starlette.responses import Response

from iamport_sandbox import security
from iamport_sandbox.fields import read_form
from iamport_sandbox.store import Row
from iamport_sandbox.wire import ApiError

SESSION_COOKIE = "iamport_console"
LOGIN_CSRF_COOKIE = "iamport_console_csrf"
COOKIE_PATH = "/console"


class LoginNeeded(Exception):
    """The request has no live session: the guard sends a browser to the login page."""


def current_session(request: Request) -> Row | None:
    """The live session of this request (``None`` when logged out or expired)."""
    if not hasattr(request.state, "console_session"):
        cookie = request.cookies.get(SESSION_COOKIE)
        request.state.console_session = (
            request.app.state.store.session(cookie) if cookie and len(cookie) <= 100 else None
        )
    session: Row | None = request.state.console_session
    return session


def csrf_token(request: Request) -> str:
    """The token forms must carry: the session's, or before login the double-submit
    cookie's (made here when missing; :func:`render.page` sets it)."""
    session = current_session(request)
    if session:
        return str(session["csrf"])
    token = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not token or len(token) > 100:
        token = getattr(request.state, "new_login_csrf", None) or security.new_secret(24)
        request.state.new_login_csrf = token
    return token


async def checked_form(request: Request) -> dict[str, str]:
    """The posted form, after checking its CSRF token against the session's."""
    form: dict[str, str] = await read_form(request, request.app.state.config.max_body)
    session = current_session(request)
    expected = session["csrf"] if session else request.cookies.get(LOGIN_CSRF_COOKIE)
    if not security.same(form.get("csrf"), expected):
        raise ApiError(403, "CSRF token missing or wrong; reload the page and try again")
    return form


def current_merchant(request: Request) -> Row:
    """The merchant logged in; :class:`LoginNeeded` when none is."""
    session = current_session(request)
    merchant: Row | None = (
        request.app.state.store.merchant_by_id(session["merchant_id"]) if session else None
    )
    if merchant is None:
        raise LoginNeeded()
    return merchant


def set_cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None
) -> None:
    """A console cookie: HTTP-only, under ``/console``; the session's is ``lax`` (a link
    from elsewhere lands logged in), the login form's ``strict``."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=COOKIE_PATH,
        httponly=True,
        samesite="lax" if name == SESSION_COOKIE else "strict",
        secure=request.app.state.config.secure_cookies,
    )
