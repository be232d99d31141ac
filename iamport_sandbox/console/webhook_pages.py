"""The console's webhooks: the notification URL (errors shown in its form), the deliveries
with their times, a resend of any delivery and a test call to the URL.

A resend or a test is a new outbox row: the webhook sender delivers it like any other
(same URL policy, same retries), and the row it repeats stays as it was.
"""

import json

from starlette.routing import Route

from iamport_sandbox import webhooks
from iamport_sandbox.console import _form, _merchant, _page, _see_other, messages, needs_login
from iamport_sandbox.console.payment_pages import kst
from iamport_sandbox.wire import ApiError

PAGE_SIZE = 50
# What "send test" posts: the shape of a real notification, with an imp_uid that no payment
# has (a merchant's server that looks it up gets "not found" and should answer 200 anyway).
TEST_PAYLOAD = {"imp_uid": "imp_sandbox_test", "merchant_uid": "sandbox_webhook_test",
                "status": "paid"}

def _list(request, merchant, status=200, error=None, url=None):
    page = request.query_params.get("page", "1")
    page = int(page) if page.isascii() and page.isdigit() and 0 < len(page) <= 6 else 1
    page = max(page, 1)
    total, rows = request.app.state.store.webhooks_page(merchant["id"], page, PAGE_SIZE)
    return _page(request, "webhooks.html", status=status, webhooks=rows, error=error,
                 url=merchant["webhook_url"] or "" if url is None else url, kst=kst,
                 page=page, pages=max(1, -(-total // PAGE_SIZE)),
                 notice=messages.notice(request.query_params.get("notice")))


@needs_login
async def webhooks_page(request):
    return _list(request, _merchant(request))


@needs_login
async def set_webhook_url(request):
    merchant = _merchant(request)
    form = await _form(request)
    url = form.get("webhook_url", "").strip()[:2000]
    if url:
        try:
            request.app.state.webhooks.policy.check_url(url)
        except webhooks.Refused as refused:
            return _list(request, merchant, status=400, url=url,
                         error="웹훅 URL을 쓸 수 없습니다 · The webhook URL is refused: {}".format(
                             refused))
    request.app.state.store.set_webhook_url(merchant["id"], url)
    return _see_other("/console/webhooks?notice=webhook_saved")


@needs_login
async def resend(request):
    merchant = _merchant(request)
    raw = request.path_params["webhook_id"]
    store = request.app.state.store
    row = store.webhook(merchant["id"], int(raw)) \
        if raw.isascii() and raw.isdigit() and len(raw) <= 15 else None
    if row is None:
        raise ApiError(404, "no such webhook delivery")
    form = await _form(request)
    store.add_webhook(merchant["id"], row["imp_uid"], row["url"], json.loads(row["payload"]))
    if form.get("back") == "payment" and store.payment(merchant["id"], row["imp_uid"]):
        return _see_other("/console/payments/{}?notice=resent".format(row["imp_uid"]))
    return _see_other("/console/webhooks?notice=resent")


@needs_login
async def send_test(request):
    merchant = _merchant(request)
    await _form(request)
    if not merchant["webhook_url"]:
        return _list(request, merchant, status=400,
                     error="먼저 웹훅 URL을 저장하세요 · Save a webhook URL first")
    request.app.state.store.add_webhook(merchant["id"], TEST_PAYLOAD["imp_uid"],
                                        merchant["webhook_url"], TEST_PAYLOAD)
    return _see_other("/console/webhooks?notice=test")


routes = [
    Route("/console/webhooks", webhooks_page, methods=["GET"]),
    Route("/console/webhook", set_webhook_url, methods=["POST"]),
    Route("/console/webhooks/test", send_test, methods=["POST"]),
    Route("/console/webhooks/{webhook_id}/resend", resend, methods=["POST"]),
]
