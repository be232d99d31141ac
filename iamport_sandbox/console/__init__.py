"""The merchant console (the seed's "Admin Dashboard"): login, PG settings, payments, webhooks,
billing keys and payment schedules.

Sessions live in the store (the cookie carries only a random id, whose digest the store
keeps): logout, a password change and expiry end them. Every form carries the session's
CSRF token (before login: a double-submit cookie). PG credentials are write-only here:
pages show them masked and never send them back. Every console response forbids framing.
"""

from starlette.responses import RedirectResponse
from starlette.routing import Route

from iamport_py.catalog import CODES, get_pg, pg_for_action
from iamport_sandbox import security
from iamport_sandbox.console import messages
from iamport_sandbox.store import StoreError
from iamport_sandbox.wire import ApiError, read_form, too_many

CREDENTIAL_FIELDS = (
    ("sign_key", "웹표준 signKey · web-standard signKey"),
    ("merchant_key", "빌링용 merchantKey · billing merchantKey"),
    ("api_secret", "PG API 시크릿 · PG API secret"),
)
# Which credentials each PG's console form asks for. The catalog (iamport_py/catalog.py)
# has no per-PG credential list, so the sandbox keeps one here, keyed by PG code; a code
# not listed asks for the PG API secret only. (Iamport's console asks Inicis for its
# signKey and billing merchantKey, KCP for its site key, NICE for its merchant key, ...)
PG_CREDENTIALS = {
    "html5_inicis": ("sign_key", "merchant_key", "api_secret"),
    "inicis": ("sign_key", "merchant_key", "api_secret"),
    "inicis_unified": ("sign_key", "api_secret"),
    "kcp": ("sign_key", "api_secret"),
    "kcp_billing": ("merchant_key", "api_secret"),
    "kcp_quick": ("api_secret",),
    "nice": ("merchant_key", "api_secret"),
    "nice_v2": ("merchant_key", "api_secret"),
    "uplus": ("merchant_key", "api_secret"),
    "kicc": ("merchant_key", "api_secret"),
    "jtnet": ("merchant_key",),
    "daou": ("merchant_key", "api_secret"),
    "ksnet": ("merchant_key", "api_secret"),
    "smartro": ("merchant_key",),
    "smartro_v2": ("merchant_key", "api_secret"),
    "welcome": ("sign_key", "merchant_key", "api_secret"),
    "danal": ("api_secret",),
    "danal_tpay": ("merchant_key", "api_secret"),
}
DEFAULT_CREDENTIALS = ("api_secret",)


def credentials_for(code):
    """The credential fields ``(name, label)`` the form shows for a PG code."""
    names = PG_CREDENTIALS.get(code, DEFAULT_CREDENTIALS)
    return tuple(field for field in CREDENTIAL_FIELDS if field[0] in names)
TYPES = ("payment", "certification")
SESSION_COOKIE = "iamport_console"
LOGIN_CSRF_COOKIE = "iamport_console_csrf"
COOKIE_PATH = "/console"
# Clickjacking: no console page may be framed, by any origin (payment windows may).
FRAME_HEADERS = ((b"x-frame-options", b"DENY"),
                 (b"content-security-policy", b"frame-ancestors 'none'"),
                 (b"x-content-type-options", b"nosniff"),
                 (b"referrer-policy", b"same-origin"))
PASSWORD_MIN, PASSWORD_MAX = 8, 200


class ConsoleHeaders:
    """Adds :data:`FRAME_HEADERS` to every response under ``/console`` (pages, redirects
    and JSON refusals alike)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not (scope["path"] == COOKIE_PATH
                                           or scope["path"].startswith(COOKIE_PATH + "/")):
            await self.app(scope, receive, send)
            return

        async def send_framed(message):
            if message["type"] == "http.response.start":
                message = dict(message, headers=list(message.get("headers", []))
                               + list(FRAME_HEADERS))
            await send(message)

        await self.app(scope, receive, send_framed)


def _session(request):
    """The live session of this request (``None`` when logged out or expired)."""
    if not hasattr(request.state, "console_session"):
        cookie = request.cookies.get(SESSION_COOKIE)
        request.state.console_session = request.app.state.store.session(cookie) \
            if cookie and len(cookie) <= 100 else None
    return request.state.console_session


def _csrf(request):
    """The token forms must carry: the session's, or before login the double-submit
    cookie's (made here when missing; :func:`_page` sets it)."""
    session = _session(request)
    if session:
        return session["csrf"]
    token = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not token or len(token) > 100:
        token = getattr(request.state, "new_login_csrf", None) or security.new_secret(24)
        request.state.new_login_csrf = token
    return token


async def _form(request):
    """The posted form, after checking its CSRF token against the session's."""
    form = await read_form(request, request.app.state.config.max_body)
    session = _session(request)
    expected = session["csrf"] if session else request.cookies.get(LOGIN_CSRF_COOKIE)
    if not security.same(form.get("csrf"), expected):
        raise ApiError(403, "CSRF token missing or wrong; reload the page and try again")
    return form


def _merchant(request):
    session = _session(request)
    merchant = request.app.state.store.merchant_by_id(session["merchant_id"]) \
        if session else None
    if merchant is None:
        raise _LoginNeeded()
    return merchant


class _LoginNeeded(Exception):
    pass


def _cookie(request, response, name, value, max_age):
    response.set_cookie(name, value, max_age=max_age, path=COOKIE_PATH, httponly=True,
                        samesite="lax" if name == SESSION_COOKIE else "strict",
                        secure=request.app.state.config.secure_cookies)


def _page(request, template, status=200, headers=None, **context):
    context.setdefault("csrf", _csrf(request))
    context.setdefault("t", messages.t)
    session = _session(request)
    context.setdefault("merchant", request.app.state.store.merchant_by_id(
        session["merchant_id"]) if session else None)
    response = request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status,
        headers=dict({"Cache-Control": "no-store"}, **(headers or {})))
    fresh = getattr(request.state, "new_login_csrf", None)
    if fresh:
        _cookie(request, response, LOGIN_CSRF_COOKIE, fresh, None)
    return response


def _see_other(url):
    return RedirectResponse(url, status_code=303)


def wants_html(request):
    """A browser's navigation (``Accept: text/html``) rather than an API client."""
    return "text/html" in request.headers.get("accept", "")


def _missing_page(request, refused):
    # The list the unknown id was looked for in: /console/payments/imp_x -> /console/payments.
    back = "/".join(request.url.path.split("/")[:3])
    return _page(request, "console_missing.html", status=404, what=refused.message, back=back)


def needs_login(handler):
    """Send visitors without a session to the login page (GET) or refuse (POST). An
    unknown id is the console's 404 page for a browser, the JSON error for an API client."""

    async def guarded(request):
        try:
            return await handler(request)
        except _LoginNeeded:
            if request.method == "GET":
                return _see_other("/console/login")
            raise ApiError(401, "log in to the console first") from None
        except ApiError as refused:
            if refused.status == 404 and request.method == "GET" and wants_html(request):
                return _missing_page(request, refused)
            raise

    return guarded


def _start_session(request, merchant, url):
    """A new session (a new id and CSRF token: never the one from before login)."""
    store, config = request.app.state.store, request.app.state.config
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        store.end_session(old)
    session_id, _ = store.create_session(merchant["id"], config.session_ttl)
    response = _see_other(url)
    _cookie(request, response, SESSION_COOKIE, session_id, config.session_ttl)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=COOKIE_PATH)
    return response


async def _check_password(request, login, password, stored):
    """The guard's verdict on a console password (throttled, off the event loop)."""
    return await request.app.state.guard.verify(("login", login),
                                                security.client_address(request),
                                                password, stored)


# -- login ---------------------------------------------------------------------------

async def login_page(request):
    return _page(request, "login.html")


async def login(request):
    form = await _form(request)
    name = form.get("login", "")[:200]
    merchant = request.app.state.store.merchant_by_login(name)
    try:
        ok = await _check_password(request, name, form.get("password", ""),
                                   merchant["password_hash"] if merchant else None)
    except security.Throttled as wait:
        return _page(request, "login.html", status=429,
                     headers={"Retry-After": str(wait.retry_after)}, login=name,
                     error="시도가 너무 많습니다. {}초 후 다시 시도하세요 · Too many attempts; "
                           "try again in {} s".format(wait.retry_after, wait.retry_after))
    if not ok:
        return _page(request, "login.html", status=401, error="로그인 정보가 올바르지 않습니다 · "
                     "Wrong login or password", login=name)
    return _start_session(request, merchant, "/console/pg")


async def logout(request):
    await _form(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        request.app.state.store.end_session(cookie)
    response = _see_other("/console/login")
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    return response


async def home(request):
    return _see_other("/console/pg")


@needs_login
async def password_page(request):
    _merchant(request)
    return _page(request, "password.html")


@needs_login
async def change_password(request):
    """A new password ends every session of the merchant (this browser gets a new one)."""
    merchant = _merchant(request)
    form = await _form(request)
    new = form.get("new_password", "")
    try:
        ok = await _check_password(request, merchant["login"], form.get("password", ""),
                                   merchant["password_hash"])
    except security.Throttled as wait:
        raise too_many(wait.retry_after, "too many wrong passwords") from None
    problem = None
    if not ok:
        problem = "현재 비밀번호가 올바르지 않습니다 · The current password is wrong"
    elif not PASSWORD_MIN <= len(new) <= PASSWORD_MAX:
        problem = "새 비밀번호는 {}~{}자 · The new password needs {} to {} characters".format(
            PASSWORD_MIN, PASSWORD_MAX, PASSWORD_MIN, PASSWORD_MAX)
    elif new != form.get("confirm", ""):
        problem = "새 비밀번호가 서로 다릅니다 · The new passwords differ"
    if problem:
        return _page(request, "password.html", status=400, error=problem)
    request.app.state.store.set_password(merchant["id"], new)
    return _start_session(request, merchant, "/console/pg?notice=password")


# -- PG settings ---------------------------------------------------------------------

@needs_login
async def settings_page(request):
    merchant = _merchant(request)
    settings = request.app.state.store.settings(merchant["id"])
    return _page(request, "settings.html", settings=settings, catalog=get_pg,
                 notice=messages.notice(request.query_params.get("notice")))


def _blank_values():
    return {"pg_provider": "html5_inicis", "pg_id": "", "label": "", "type": "payment",
            "sandbox": True, "masked": {}}


def _form_page(request, values, error=None, setting_id=None, status=200):
    return _page(request, "setting_form.html", status=status, values=values, error=error,
                 setting_id=setting_id, codes=CODES, catalog=get_pg, types=TYPES,
                 credential_fields=CREDENTIAL_FIELDS, credentials_for=credentials_for)


@needs_login
async def new_setting_page(request):
    _merchant(request)
    return _form_page(request, _blank_values())


def _setting_values(form):
    """The setting in a posted form, or ``ValueError`` with a message for the merchant."""
    code = form.get("pg_provider", "")
    pg = get_pg(code)
    if pg is None:
        raise ValueError("알 수 없는 PG입니다 · Unknown PG service '{}'".format(code))
    kind = form.get("type", "payment")
    if kind not in TYPES:
        raise ValueError("용도는 payment 또는 certification · "
                         "Type must be payment or certification")
    if not pg_for_action(code, kind):
        raise ValueError("{}은(는) {} 용도를 지원하지 않습니다 · {} does not serve {}".format(
            pg["name_ko"], kind, pg["name_en"], kind))
    mid = form.get("pg_id", "").strip()
    if not mid and pg["needs_mid"]:
        raise ValueError("{}에는 PG 상점아이디(MID)가 필요합니다 · "
                         "{} needs a PG merchant ID".format(pg["name_ko"], pg["name_en"]))
    if len(mid) > 100 or any(c in mid for c in " /?#%"):
        raise ValueError("MID에 공백이나 / ? # % 를 쓸 수 없습니다 · "
                         "A MID has no spaces or / ? # %")
    label = form.get("label", "").strip()[:100]
    credentials = {name: form.get(name, "").strip()[:500] for name, _ in credentials_for(code)}
    return {"pg_provider": code, "pg_id": mid or None, "label": label, "type": kind,
            "sandbox": form.get("sandbox") == "on", "credentials": credentials}


@needs_login
async def add_setting(request):
    merchant = _merchant(request)
    form = await _form(request)
    store = request.app.state.store
    try:
        values = _setting_values(form)
        # The new setting becomes the default when asked to (or when it is the first);
        # the former default then comes right after it: the others keep their order.
        store.add_setting(merchant["id"], values, make_default=form.get("default") == "on")
    except (ValueError, StoreError) as problem:
        shown = dict(form, sandbox=form.get("sandbox") == "on", masked={})
        return _form_page(request, shown, error=str(problem), status=400)
    return _see_other("/console/pg?notice=added")


def _setting_id(request):
    raw = request.path_params["setting_id"]
    # ASCII digits that fit SQLite's integer: "²" and 20 digits are unknown ids, not 500s.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 15):
        raise ApiError(404, "no such PG setting")
    return int(raw)


def _owned_setting(request, merchant):
    try:
        return request.app.state.store.setting(merchant["id"], _setting_id(request))
    except StoreError:
        raise ApiError(404, "no such PG setting") from None


@needs_login
async def edit_setting_page(request):
    merchant = _merchant(request)
    setting = _owned_setting(request, merchant)
    return _form_page(request, dict(setting, pg_id=setting["pg_id"] or ""),
                      setting_id=setting["id"])


@needs_login
async def update_setting(request):
    merchant = _merchant(request)
    setting = _owned_setting(request, merchant)
    form = await _form(request)
    try:
        request.app.state.store.update_setting(merchant["id"], setting["id"],
                                               _setting_values(form))
    except (ValueError, StoreError) as problem:
        shown = dict(form, sandbox=form.get("sandbox") == "on", masked=setting["masked"],
                     channel_key=setting["channel_key"])
        return _form_page(request, shown, error=str(problem), setting_id=setting["id"],
                          status=400)
    return _see_other("/console/pg?notice=saved")


def _setting_action(action):
    @needs_login
    async def act(request):
        merchant = _merchant(request)
        setting = _owned_setting(request, merchant)
        form = await _form(request)
        store = request.app.state.store
        if action == "delete":
            if form.get("confirm") != "yes":
                raise ApiError(400, "confirm the deletion on its page first")
            store.delete_setting(merchant["id"], setting["id"])
        else:
            try:
                store.reorder_setting(merchant["id"], setting["id"], action)
            except StoreError as refused:
                raise ApiError(400, str(refused)) from None
        return _see_other("/console/pg?notice=" + action)

    return act


@needs_login
async def delete_setting_page(request):
    """Deleting asks first, naming the setting and, for the default, its successor."""
    merchant = _merchant(request)
    setting = _owned_setting(request, merchant)
    settings = request.app.state.store.settings(merchant["id"], setting["tier_code"])
    successor = settings[1] if settings[0]["id"] == setting["id"] and len(settings) > 1 \
        else None
    return _page(request, "setting_delete.html", setting=setting, catalog=get_pg,
                 is_default=settings[0]["id"] == setting["id"], successor=successor)


# -- billing keys and schedules (issue 11) -------------------------------------------

@needs_login
async def billing_keys_page(request):
    merchant = _merchant(request)
    return _page(request, "billing_keys.html",
                 keys=request.app.state.store.billing_keys(merchant["id"]))


@needs_login
async def billing_key_page(request):
    merchant = _merchant(request)
    store = request.app.state.store
    customer_uid = request.path_params["customer_uid"]
    key = store.billing_key(merchant["id"], customer_uid)
    if key is None:
        raise ApiError(404, "no such billing key")
    _, charges = store.payments_page(merchant["id"], 1, 100, customer_uid=customer_uid)
    _, schedules = store.schedules_page(merchant["id"], 1, 100, customer_uid=customer_uid)
    return _page(request, "billing_key.html", key=key, payments=charges, schedules=schedules)


@needs_login
async def schedules_page(request):
    merchant = _merchant(request)
    _, schedules = request.app.state.store.schedules_page(merchant["id"], 1, 100)
    return _page(request, "schedules.html", schedules=schedules,
                 clock=request.app.state.config.clock.now())


@needs_login
async def schedule_page(request):
    merchant = _merchant(request)
    store = request.app.state.store
    schedule = store.schedule(merchant["id"], request.path_params["merchant_uid"])
    if schedule is None:
        raise ApiError(404, "no such schedule")
    payment = store.payment(merchant["id"], schedule["imp_uid"]) if schedule["imp_uid"] \
        else None
    return _page(request, "schedule.html", schedule=schedule, payment=payment)


routes = [
    Route("/console", home, methods=["GET"]),
    Route("/console/login", login_page, methods=["GET"]),
    Route("/console/login", login, methods=["POST"]),
    Route("/console/logout", logout, methods=["POST"]),
    Route("/console/password", password_page, methods=["GET"]),
    Route("/console/password", change_password, methods=["POST"]),
    Route("/console/pg", settings_page, methods=["GET"]),
    Route("/console/pg", add_setting, methods=["POST"]),
    Route("/console/pg/new", new_setting_page, methods=["GET"]),
    Route("/console/pg/{setting_id}/edit", edit_setting_page, methods=["GET"]),
    Route("/console/pg/{setting_id}", update_setting, methods=["POST"]),
    Route("/console/pg/{setting_id}/delete", delete_setting_page, methods=["GET"]),
    Route("/console/pg/{setting_id}/delete", _setting_action("delete"), methods=["POST"]),
    Route("/console/pg/{setting_id}/up", _setting_action("up"), methods=["POST"]),
    Route("/console/pg/{setting_id}/down", _setting_action("down"), methods=["POST"]),
    Route("/console/pg/{setting_id}/default", _setting_action("default"), methods=["POST"]),
    Route("/console/billing-keys", billing_keys_page, methods=["GET"]),
    Route("/console/billing-keys/{customer_uid:path}", billing_key_page, methods=["GET"]),
    Route("/console/schedules", schedules_page, methods=["GET"]),
    Route("/console/schedules/{merchant_uid:path}", schedule_page, methods=["GET"]),
]

# The page areas of issue 15, one module each (imported last: they use the helpers above).
from iamport_sandbox.console import key_pages, payment_pages, webhook_pages  # noqa: E402

routes += payment_pages.routes + webhook_pages.routes + key_pages.routes
