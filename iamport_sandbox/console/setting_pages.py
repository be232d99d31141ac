"""The console's PG settings: the list in routing order, the form (add and edit), the
order (up, down, default) and the deletion, which asks first.

PG credentials are write-only here: pages show them masked and never send them back.
"""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from iamport_py.catalog import CODES, get_pg, pg_for_action
from iamport_sandbox.console import messages
from iamport_sandbox.console.guard import needs_login
from iamport_sandbox.console.render import page, see_other
from iamport_sandbox.console.session import checked_form, current_merchant
from iamport_sandbox.store import Row, StoreError
from iamport_sandbox.wire import ApiError

CREDENTIAL_FIELDS = tuple(
    (name, messages.t("credential." + name)) for name in ("sign_key", "merchant_key", "api_secret")
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
TYPES = ("payment", "certification")


def credentials_for(code: str) -> tuple[tuple[str, str], ...]:
    """The credential fields ``(name, label)`` the form shows for a PG code."""
    names = PG_CREDENTIALS.get(code, DEFAULT_CREDENTIALS)
    return tuple(field for field in CREDENTIAL_FIELDS if field[0] in names)


@needs_login
async def settings_page(request: Request) -> Response:
    """The merchant's PG settings, the default first."""
    merchant = current_merchant(request)
    settings = request.app.state.store.settings(merchant["id"])
    return page(
        request,
        "settings.html",
        settings=settings,
        catalog=get_pg,
        notice=messages.notice(request.query_params.get("notice")),
    )


def _blank_values() -> dict[str, Any]:
    return {
        "pg_provider": "html5_inicis",
        "pg_id": "",
        "label": "",
        "type": "payment",
        "sandbox": True,
        "masked": {},
    }


def _form_page(
    request: Request,
    values: dict[str, Any],
    error: str | None = None,
    setting_id: int | None = None,
    status: int = 200,
) -> Response:
    return page(
        request,
        "setting_form.html",
        status=status,
        values=values,
        error=error,
        setting_id=setting_id,
        codes=CODES,
        catalog=get_pg,
        types=TYPES,
        credential_fields=CREDENTIAL_FIELDS,
        credentials_for=credentials_for,
    )


@needs_login
async def new_setting_page(request: Request) -> Response:
    """The form for a new setting."""
    current_merchant(request)
    return _form_page(request, _blank_values())


def _setting_values(form: dict[str, str]) -> dict[str, Any]:
    """The setting in a posted form, or ``ValueError`` with a message for the merchant."""
    code = form.get("pg_provider", "")
    pg = get_pg(code)
    if pg is None:
        raise ValueError(messages.t("error.pg_unknown", code=code))
    kind = form.get("type", "payment")
    if kind not in TYPES:
        raise ValueError(messages.t("error.setting_type"))
    if not pg_for_action(code, kind):
        raise ValueError(
            messages.t("error.setting_serves", pg_ko=pg["name_ko"], pg_en=pg["name_en"], kind=kind)
        )
    mid = form.get("pg_id", "").strip()
    if not mid and pg["needs_mid"]:
        raise ValueError(messages.t("error.mid_needed", pg_ko=pg["name_ko"], pg_en=pg["name_en"]))
    if len(mid) > 100 or any(c in mid for c in " /?#%"):
        raise ValueError(messages.t("error.mid_characters"))
    label = form.get("label", "").strip()[:100]
    credentials = {name: form.get(name, "").strip()[:500] for name, _ in credentials_for(code)}
    return {
        "pg_provider": code,
        "pg_id": mid or None,
        "label": label,
        "type": kind,
        "sandbox": form.get("sandbox") == "on",
        "credentials": credentials,
    }


@needs_login
async def add_setting(request: Request) -> Response:
    """Add a setting from the form (or show the form again with why not)."""
    merchant = current_merchant(request)
    form = await checked_form(request)
    store = request.app.state.store
    try:
        values = _setting_values(form)
        # The new setting becomes the default when asked to (or when it is the first);
        # the former default then comes right after it: the others keep their order.
        store.add_setting(merchant["id"], values, make_default=form.get("default") == "on")
    except (ValueError, StoreError) as problem:
        shown = dict(form, sandbox=form.get("sandbox") == "on", masked={})
        return _form_page(request, shown, error=str(problem), status=400)
    return see_other("/console/pg?notice=added")


def _setting_id(request: Request) -> int:
    raw: str = request.path_params["setting_id"]
    # ASCII digits that fit SQLite's integer: "²" and 20 digits are unknown ids, not 500s.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 15):
        raise ApiError(404, "no such PG setting")
    return int(raw)


def _owned_setting(request: Request, merchant: Row) -> Row:
    try:
        setting: Row = request.app.state.store.setting(merchant["id"], _setting_id(request))
    except StoreError:
        raise ApiError(404, "no such PG setting") from None
    return setting


@needs_login
async def edit_setting_page(request: Request) -> Response:
    """The form for one of the merchant's settings (its credentials masked)."""
    merchant = current_merchant(request)
    setting = _owned_setting(request, merchant)
    return _form_page(
        request, dict(setting, pg_id=setting["pg_id"] or ""), setting_id=setting["id"]
    )


@needs_login
async def update_setting(request: Request) -> Response:
    """Save the form over a setting (or show it again with why not)."""
    merchant = current_merchant(request)
    setting = _owned_setting(request, merchant)
    form = await checked_form(request)
    try:
        request.app.state.store.update_setting(merchant["id"], setting["id"], _setting_values(form))
    except (ValueError, StoreError) as problem:
        shown = dict(
            form,
            sandbox=form.get("sandbox") == "on",
            masked=setting["masked"],
            channel_key=setting["channel_key"],
        )
        return _form_page(request, shown, error=str(problem), setting_id=setting["id"], status=400)
    return see_other("/console/pg?notice=saved")


@needs_login
async def delete_setting_page(request: Request) -> Response:
    """Deleting asks first, naming the setting and, for the default, its successor."""
    merchant = current_merchant(request)
    setting = _owned_setting(request, merchant)
    settings = request.app.state.store.settings(merchant["id"], setting["tier_code"])
    is_default = settings[0]["id"] == setting["id"]
    successor = settings[1] if is_default and len(settings) > 1 else None
    return page(
        request,
        "setting_delete.html",
        setting=setting,
        catalog=get_pg,
        is_default=is_default,
        successor=successor,
    )


@needs_login
async def delete_setting(request: Request) -> Response:
    """Delete a setting, once its page's box is ticked."""
    merchant = current_merchant(request)
    setting = _owned_setting(request, merchant)
    form = await checked_form(request)
    if form.get("confirm") != "yes":
        raise ApiError(400, "confirm the deletion on its page first")
    request.app.state.store.delete_setting(merchant["id"], setting["id"])
    return see_other("/console/pg?notice=delete")


async def _reorder(request: Request, action: str) -> Response:
    merchant = current_merchant(request)
    setting = _owned_setting(request, merchant)
    await checked_form(request)
    try:
        request.app.state.store.reorder_setting(merchant["id"], setting["id"], action)
    except StoreError as refused:
        raise ApiError(400, str(refused)) from None
    return see_other("/console/pg?notice=" + action)


@needs_login
async def move_up(request: Request) -> Response:
    """One place up in the routing order."""
    return await _reorder(request, "up")


@needs_login
async def move_down(request: Request) -> Response:
    """One place down in the routing order."""
    return await _reorder(request, "down")


@needs_login
async def make_default(request: Request) -> Response:
    """The setting becomes the default (the former default comes right after it)."""
    return await _reorder(request, "default")
