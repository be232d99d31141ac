"""The merchant console (the seed's "Admin Dashboard"): login, PG settings, payments, webhooks,
billing keys and payment schedules.

Sessions are signed cookies; every form carries the session's CSRF token. PG
credentials are write-only here: pages show them masked and never send them back.
"""

from starlette.responses import RedirectResponse
from starlette.routing import Route

from iamport_py.catalog import CODES, get_pg, pg_for_action
from iamport_sandbox import security
from iamport_sandbox.store import StoreError
from iamport_sandbox.wire import ApiError, read_form

CREDENTIAL_FIELDS = (
    ("sign_key", "웹표준 signKey · web-standard signKey"),
    ("merchant_key", "빌링용 merchantKey · billing merchantKey"),
    ("api_secret", "PG API 시크릿 · PG API secret"),
)
TYPES = ("payment", "certification")


def _csrf(request):
    token = request.session.get("csrf")
    if not token:
        token = security.new_secret(24)
        request.session["csrf"] = token
    return token


async def _form(request):
    """The posted form, after checking its CSRF token against the session's."""
    form = await read_form(request, request.app.state.config.max_body)
    if not security.same(form.get("csrf"), request.session.get("csrf")):
        raise ApiError(403, "CSRF token missing or wrong; reload the page and try again")
    return form


def _merchant(request):
    merchant_id = request.session.get("merchant_id")
    merchant = request.app.state.store.merchant_by_id(merchant_id) if merchant_id else None
    if merchant is None:
        raise _LoginNeeded()
    return merchant


class _LoginNeeded(Exception):
    pass


def _page(request, template, status=200, **context):
    context.setdefault("csrf", _csrf(request))
    merchant_id = request.session.get("merchant_id")
    context.setdefault("merchant", request.app.state.store.merchant_by_id(merchant_id)
                       if merchant_id else None)
    return request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status,
        headers={"Cache-Control": "no-store"})


def _see_other(url):
    return RedirectResponse(url, status_code=303)


def needs_login(handler):
    """Send visitors without a session to the login page (GET) or refuse (POST)."""

    async def guarded(request):
        try:
            return await handler(request)
        except _LoginNeeded:
            if request.method == "GET":
                return _see_other("/console/login")
            raise ApiError(401, "log in to the console first") from None

    return guarded


# -- login ---------------------------------------------------------------------------

async def login_page(request):
    return _page(request, "login.html")


async def login(request):
    form = await _form(request)
    merchant = request.app.state.store.check_login(form.get("login", ""),
                                                   form.get("password", ""))
    if merchant is None:
        return _page(request, "login.html", status=401, error="로그인 정보가 올바르지 않습니다 · "
                     "Wrong login or password", login=form.get("login", ""))
    request.session.clear()
    request.session["merchant_id"] = merchant["id"]
    request.session["csrf"] = security.new_secret(24)  # a new token for the new session
    return _see_other("/console/pg")


async def logout(request):
    await _form(request)
    request.session.clear()
    return _see_other("/console/login")


async def home(request):
    return _see_other("/console/pg")


# -- PG settings ---------------------------------------------------------------------

@needs_login
async def settings_page(request):
    merchant = _merchant(request)
    settings = request.app.state.store.settings(merchant["id"])
    return _page(request, "settings.html", settings=settings, catalog=get_pg,
                 notice=request.query_params.get("notice"))


def _blank_values():
    return {"pg_provider": "html5_inicis", "pg_id": "", "label": "", "type": "payment",
            "sandbox": True, "masked": {}}


def _form_page(request, values, error=None, setting_id=None, status=200):
    return _page(request, "setting_form.html", status=status, values=values, error=error,
                 setting_id=setting_id, codes=CODES, catalog=get_pg, types=TYPES,
                 credential_fields=CREDENTIAL_FIELDS)


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
    credentials = {name: form.get(name, "").strip()[:500] for name, _ in CREDENTIAL_FIELDS}
    return {"pg_provider": code, "pg_id": mid or None, "label": label, "type": kind,
            "sandbox": form.get("sandbox") == "on", "credentials": credentials}


@needs_login
async def add_setting(request):
    merchant = _merchant(request)
    form = await _form(request)
    store = request.app.state.store
    try:
        values = _setting_values(form)
        make_default = form.get("default") == "on"
        existing = store.settings(merchant["id"])
        if make_default and existing:
            raise ValueError("기본 PG가 이미 있습니다({}). 목록에서 '기본 PG로'를 누르세요 · "
                             "A default PG is already set; use 'Make default' in the list".format(
                                 existing[0]["pg_provider"]))
        store.add_setting(merchant["id"], values, make_default=make_default)
    except (ValueError, StoreError) as problem:
        shown = dict(form, sandbox=form.get("sandbox") == "on", masked={})
        return _form_page(request, shown, error=str(problem), status=400)
    return _see_other("/console/pg?notice=added")


def _setting_id(request):
    raw = request.path_params["setting_id"]
    if not raw.isdigit():
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
        shown = dict(form, sandbox=form.get("sandbox") == "on", masked=setting["masked"])
        return _form_page(request, shown, error=str(problem), setting_id=setting["id"],
                          status=400)
    return _see_other("/console/pg?notice=saved")


def _setting_action(action):
    @needs_login
    async def act(request):
        merchant = _merchant(request)
        setting = _owned_setting(request, merchant)
        await _form(request)
        store = request.app.state.store
        if action == "delete":
            store.delete_setting(merchant["id"], setting["id"])
        else:
            store.move_setting(merchant["id"], setting["id"], action)
        return _see_other("/console/pg?notice=" + action)

    return act


# -- payments and webhooks -----------------------------------------------------------

@needs_login
async def payments_page(request):
    merchant = _merchant(request)
    return _page(request, "payments.html", payments=request.app.state.store.payments(
        merchant["id"]))


@needs_login
async def webhooks_page(request):
    merchant = _merchant(request)
    return _page(request, "webhooks.html", webhooks=request.app.state.store.webhooks(
        merchant["id"]))


@needs_login
async def set_webhook_url(request):
    merchant = _merchant(request)
    form = await _form(request)
    url = form.get("webhook_url", "").strip()
    if url and (not url.startswith(("http://", "https://")) or len(url) > 500):
        raise ApiError(400, "the webhook URL must be an http(s) URL")
    request.app.state.store.set_webhook_url(merchant["id"], url)
    return _see_other("/console/webhooks")


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
    Route("/console/pg", settings_page, methods=["GET"]),
    Route("/console/pg", add_setting, methods=["POST"]),
    Route("/console/pg/new", new_setting_page, methods=["GET"]),
    Route("/console/pg/{setting_id}/edit", edit_setting_page, methods=["GET"]),
    Route("/console/pg/{setting_id}", update_setting, methods=["POST"]),
    Route("/console/pg/{setting_id}/delete", _setting_action("delete"), methods=["POST"]),
    Route("/console/pg/{setting_id}/up", _setting_action("up"), methods=["POST"]),
    Route("/console/pg/{setting_id}/down", _setting_action("down"), methods=["POST"]),
    Route("/console/pg/{setting_id}/default", _setting_action("default"), methods=["POST"]),
    Route("/console/payments", payments_page, methods=["GET"]),
    Route("/console/webhooks", webhooks_page, methods=["GET"]),
    Route("/console/webhook", set_webhook_url, methods=["POST"]),
    Route("/console/billing-keys", billing_keys_page, methods=["GET"]),
    Route("/console/billing-keys/{customer_uid:path}", billing_key_page, methods=["GET"]),
    Route("/console/schedules", schedules_page, methods=["GET"]),
    Route("/console/schedules/{merchant_uid:path}", schedule_page, methods=["GET"]),
]
