"""The console's webhooks: the notification URL (errors shown in its form), the deliveries
with their times, a resend of any delivery and a test call to the URL.

A resend (a replay: any delivery, whatever its state) or a test is a new outbox row: the
webhook sender delivers it like any other (same URL policy, same retries, the merchant's
webhook chaos rules if the test controls set some — the page lists them), and the row it
repeats stays as it was.
"""

from starlette.requests import Request
from starlette.responses import Response

from iamport_sandbox import webhooks
from iamport_sandbox.console import messages
from iamport_sandbox.console.guard import needs_login
from iamport_sandbox.console.payment_pages import kst
from iamport_sandbox.console.render import page, see_other
from iamport_sandbox.console.session import checked_form, current_merchant
from iamport_sandbox.store import Row
from iamport_sandbox.wire import ApiError

PAGE_SIZE = 50
# What "send test" posts: the shape of a real notification, with an imp_uid that no payment
# has (a merchant's server that looks it up gets "not found" and should answer 200 anyway).
TEST_PAYLOAD = {
    "imp_uid": "imp_sandbox_test",
    "merchant_uid": "sandbox_webhook_test",
    "status": "paid",
}


def _list(
    request: Request,
    merchant: Row,
    status: int = 200,
    error: str | None = None,
    url: str | None = None,
) -> Response:
    raw = request.query_params.get("page", "1")
    number = int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 6 else 1
    number = max(number, 1)
    total, rows = request.app.state.store.webhooks_page(merchant["id"], number, PAGE_SIZE)
    return page(
        request,
        "webhooks.html",
        status=status,
        webhooks=rows,
        error=error,
        url=merchant["webhook_url"] or "" if url is None else url,
        kst=kst,
        page=number,
        pages=max(1, -(-total // PAGE_SIZE)),
        notice=messages.notice(request.query_params.get("notice")),
        chaos=request.app.state.webhooks.chaos.rules(merchant["id"]),
    )


@needs_login
async def webhooks_page(request: Request) -> Response:
    """The webhook URL's form and the deliveries, newest first."""
    return _list(request, current_merchant(request))


@needs_login
async def set_webhook_url(request: Request) -> Response:
    """Save the webhook URL (empty: none), if the sender's policy accepts it."""
    merchant = current_merchant(request)
    form = await checked_form(request)
    url = form.get("webhook_url", "").strip()[:2000]
    if url:
        try:
            request.app.state.webhooks.policy.check_url(url)
        except webhooks.Refused as refused:
            return _list(
                request,
                merchant,
                status=400,
                url=url,
                error=messages.t("error.webhook_url", reason=refused),
            )
    request.app.state.store.set_webhook_url(merchant["id"], url)
    return see_other("/console/webhooks?notice=webhook_saved")


@needs_login
async def resend(request: Request) -> Response:
    """Queue a delivery again, as a new outbox row."""
    merchant = current_merchant(request)
    raw = request.path_params["webhook_id"]
    store = request.app.state.store
    ok = raw.isascii() and raw.isdigit() and len(raw) <= 15
    if not ok or store.webhook(merchant["id"], int(raw)) is None:
        raise ApiError(404, "no such webhook delivery")
    form = await checked_form(request)
    row = store.replay_webhook(merchant["id"], int(raw))
    assert row is not None  # the merchant's delivery, found above (deliveries stay)
    if form.get("back") == "payment" and store.payment(merchant["id"], row["imp_uid"]):
        return see_other("/console/payments/{}?notice=resent".format(row["imp_uid"]))
    return see_other("/console/webhooks?notice=resent")


@needs_login
async def send_test(request: Request) -> Response:
    """Queue a test notification to the saved URL."""
    merchant = current_merchant(request)
    await checked_form(request)
    if not merchant["webhook_url"]:
        return _list(
            request,
            merchant,
            status=400,
            error=messages.t("error.webhook_first"),
        )
    request.app.state.store.add_webhook(
        merchant["id"], TEST_PAYLOAD["imp_uid"], merchant["webhook_url"], TEST_PAYLOAD
    )
    return see_other("/console/webhooks?notice=test")
