"""Sandbox payment windows: the pages at ``/payments/ready/...`` and
``/certificates/ready/...`` (templates/window.html + static/window.js), which speak
design §3's message protocol with the SDK and report to :mod:`window_api`.
"""

from starlette.routing import Route

from iamport_py.catalog import get_pg
from iamport_sandbox.window_api import lookup_setting

DECLINE_CODES = (
    ("CARD_DECLINED", "카드사 승인 거절 (card declined)"),
    ("INSUFFICIENT_FUNDS", "잔액 부족 (insufficient funds)"),
    ("CARD_EXPIRED", "유효기간 만료 (card expired)"),
    ("LIMIT_EXCEEDED", "한도 초과 (limit exceeded)"),
)


def _window(action):
    async def page(request):
        params = request.path_params
        merchant, setting = lookup_setting(request.app.state.store, params["user_code"],
                                           params["pg_provider"], params["pg_id"], action)
        pg = get_pg(params["pg_provider"]) or {}
        context = {
            "action": action, "setting": setting, "pg": pg,
            "pg_name": pg.get("name_ko", params["pg_provider"]),
            "pg_name_en": pg.get("name_en", params["pg_provider"]),
            "pg_provider": params["pg_provider"], "user_code": params["user_code"],
            "pg_id": setting["pg_id"] if setting else None,
            "decline_codes": DECLINE_CODES, "known_merchant": merchant is not None,
        }
        status = 200 if setting else 404
        return request.app.state.templates.TemplateResponse(
            request, "window.html", context, status_code=status,
            headers={"Cache-Control": "no-store"})

    return page


routes = [
    Route("/payments/ready/{user_code}/{pg_provider}/{pg_id}", _window("payment"),
          methods=["GET"]),
    Route("/certificates/ready/{user_code}/{pg_provider}/{pg_id}", _window("certification"),
          methods=["GET"]),
]
