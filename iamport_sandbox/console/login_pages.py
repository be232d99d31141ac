"""The console's door: login, logout and the password change.

A login starts a new session (a new id and CSRF token, never the one from before login);
logout, a password change and expiry end it. Passwords go through the guard (throttled,
off the event loop).
"""

from starlette.requests import Request
from starlette.responses import Response

from iamport_sandbox import security
from iamport_sandbox.console import messages
from iamport_sandbox.console.guard import needs_login
from iamport_sandbox.console.render import page, see_other
from iamport_sandbox.console.session import (
    COOKIE_PATH,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    checked_form,
    current_merchant,
    set_cookie,
)
from iamport_sandbox.store import Row
from iamport_sandbox.wire import too_many

PASSWORD_MIN, PASSWORD_MAX = 8, 200


def _start_session(request: Request, merchant: Row, url: str) -> Response:
    """A new session (a new id and CSRF token: never the one from before login)."""
    store, config = request.app.state.store, request.app.state.config
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        store.end_session(old)
    session_id, _ = store.create_session(merchant["id"], config.session_ttl)
    response = see_other(url)
    set_cookie(request, response, SESSION_COOKIE, session_id, config.session_ttl)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=COOKIE_PATH)
    return response


async def _check_password(request: Request, login: str, password: str, stored: str | None) -> bool:
    """The guard's verdict on a console password (throttled, off the event loop)."""
    ok: bool = await request.app.state.guard.verify(
        ("login", login), security.client_address(request), password, stored
    )
    return ok


async def home(request: Request) -> Response:
    """``/console``: the PG settings are the console's first page."""
    return see_other("/console/pg")


async def login_page(request: Request) -> Response:
    """The login form."""
    return page(request, "login.html")


async def login(request: Request) -> Response:
    """Log in: a new session and on to the PG settings, or the form again with why not."""
    form = await checked_form(request)
    name = form.get("login", "")[:200]
    merchant = request.app.state.store.merchant_by_login(name)
    try:
        ok = await _check_password(
            request,
            name,
            form.get("password", ""),
            merchant["password_hash"] if merchant else None,
        )
    except security.Throttled as wait:
        return page(
            request,
            "login.html",
            status=429,
            headers={"Retry-After": str(wait.retry_after)},
            login=name,
            error=messages.t("error.throttled", seconds=wait.retry_after),
        )
    if not ok or merchant is None:
        return page(
            request,
            "login.html",
            status=401,
            error=messages.t("error.login"),
            login=name,
        )
    return _start_session(request, merchant, "/console/pg")


async def logout(request: Request) -> Response:
    """End this browser's session."""
    await checked_form(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        request.app.state.store.end_session(cookie)
    response = see_other("/console/login")
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    return response


@needs_login
async def password_page(request: Request) -> Response:
    """The password form."""
    current_merchant(request)
    return page(request, "password.html")


def _password_problem(ok: bool, new: str, confirm: str) -> str | None:
    """Why a password change is refused, or ``None``."""
    if not ok:
        return messages.t("error.password_current")
    if not PASSWORD_MIN <= len(new) <= PASSWORD_MAX:
        return messages.t("error.password_length", low=PASSWORD_MIN, high=PASSWORD_MAX)
    if new != confirm:
        return messages.t("error.password_differs")
    return None


@needs_login
async def change_password(request: Request) -> Response:
    """A new password ends every session of the merchant (this browser gets a new one)."""
    merchant = current_merchant(request)
    form = await checked_form(request)
    new = form.get("new_password", "")
    try:
        ok = await _check_password(
            request, merchant["login"], form.get("password", ""), merchant["password_hash"]
        )
    except security.Throttled as wait:
        raise too_many(wait.retry_after, "too many wrong passwords") from None
    problem = _password_problem(ok, new, form.get("confirm", ""))
    if problem:
        return page(request, "password.html", status=400, error=problem)
    request.app.state.store.set_password(merchant["id"], new)
    return _start_session(request, merchant, "/console/pg?notice=password")
