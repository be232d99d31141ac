"""The console's payments: a filtered, paged list with search and CSV export, a detail page
(every field, the request as sent, the status history with its ``confirm_url`` calls, the
webhooks sent for it), refunds (through ``payments.cancel``) and the virtual-account deposit
(``payments.deposit``).

Times are shown in Korea Standard Time (UTC+9), as Iamport's console shows them; the date
range filter reads its dates in KST too.
"""

import csv
import datetime
import io
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from iamport_py.catalog import display_name
from iamport_sandbox import confirm, payment_views
from iamport_sandbox.console import messages
from iamport_sandbox.console.guard import needs_login
from iamport_sandbox.console.render import page, see_other
from iamport_sandbox.console.session import checked_form, current_merchant
from iamport_sandbox.domain import payments
from iamport_sandbox.domain.errors import AlreadyEnded, PaymentError
from iamport_sandbox.store import Row
from iamport_sandbox.wire import ApiError

KST = datetime.timezone(datetime.timedelta(hours=9), "KST")
PAGE_SIZE = 20
CSV_LIMIT = 10000
# The console's statuses: Iamport's ``ready`` is split by what the payment waits for.
STATUSES = tuple(
    (code, messages.t("status." + code))
    for code in ("paid", "window", "vbank", "failed", "cancelled")
)
STATUS_LABELS = dict(STATUSES, ready=messages.t("status.ready"))
CSV_COLUMNS = (
    "imp_uid",
    "merchant_uid",
    "status",
    "console_status",
    "amount",
    "cancel_amount",
    "currency",
    "name",
    "pg_provider",
    "pg_id",
    "pg_tid",
    "pay_method",
    "buyer_name",
    "buyer_email",
    "buyer_tel",
    "apply_num",
    "card_name",
    "vbank_name",
    "vbank_num",
    "vbank_holder",
    "error_code",
    "fail_reason",
    "started_at",
    "paid_at",
    "failed_at",
    "cancelled_at",
)


def console_status(payment: Row) -> str:
    """``paid``, ``failed``, ``cancelled``, or for ``ready``: ``vbank`` (an issued virtual
    account awaiting its deposit) or ``window`` (the window is open or was abandoned)."""
    if payment["status"] == "ready":
        return "vbank" if payment["vbank_num"] else "window"
    return str(payment["status"])


def kst(timestamp: float | str | None) -> str:
    """``2026-11-29 22:57:05`` (KST) for a Unix time; empty for none."""
    if not timestamp:
        return ""
    return datetime.datetime.fromtimestamp(int(timestamp), KST).strftime("%Y-%m-%d %H:%M:%S")


def _day(text: str, name: str) -> int | None:
    """A ``YYYY-MM-DD`` filter as the Unix time of that KST midnight (``None`` if empty)."""
    if not text:
        return None
    try:
        day = datetime.date.fromisoformat(text[:10]) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(messages.t("error.date", name=name))
    return int(datetime.datetime(day.year, day.month, day.day, tzinfo=KST).timestamp())


def _filters(request: Request) -> dict[str, Any]:
    """The list's filters from the query, or ``ValueError`` naming the bad one."""
    query = request.query_params
    status = query.get("status", "")
    if status and status not in dict(STATUSES):
        raise ValueError(messages.t("error.status", status=status[:40]))
    since = _day(query.get("from", ""), "from")
    until = _day(query.get("to", ""), "to")
    if until is not None:
        until += 86400  # through the end of that day
    page = query.get("page", "1")
    if not (page.isascii() and page.isdigit() and 0 < len(page) <= 6 and int(page) > 0):
        raise ValueError(messages.t("error.page"))
    return {
        "status": status or None,
        "pg_provider": query.get("pg", "")[:60] or None,
        "pay_method": query.get("method", "")[:40] or None,
        "since": since,
        "until": until,
        "query": query.get("q", "").strip()[:100] or None,
        "page": int(page),
    }


@needs_login
async def payments_page(request: Request) -> Response:
    """The payments, filtered and paged (a bad filter shows the first page and why)."""
    merchant = current_merchant(request)
    store = request.app.state.store
    error = None
    try:
        filters = _filters(request)
    except ValueError as problem:
        error, filters = str(problem), {"page": 1}
    total, rows = store.search_payments(merchant["id"], limit=PAGE_SIZE, **filters)
    pgs, methods = store.payment_methods(merchant["id"])
    pages = max(1, -(-total // PAGE_SIZE))
    query = {k: v for k, v in request.query_params.items() if k != "page" and v}
    return page(
        request,
        "payments.html",
        status=400 if error else 200,
        error=error,
        payments=rows,
        total=total,
        page=filters["page"],
        pages=pages,
        query=query,
        statuses=STATUSES,
        status_labels=STATUS_LABELS,
        console_status=console_status,
        kst=kst,
        pgs=pgs,
        methods=methods,
        values=request.query_params,
    )


@needs_login
async def payments_csv(request: Request) -> Response:
    """The filtered payments as CSV (up to :data:`CSV_LIMIT` rows, KST times)."""
    merchant = current_merchant(request)
    try:
        filters = _filters(request)
    except ValueError as problem:
        raise ApiError(400, str(problem)) from None
    filters.pop("page")
    _, rows = request.app.state.store.search_payments(merchant["id"], limit=CSV_LIMIT, **filters)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        row = dict(row, console_status=console_status(row))
        writer.writerow(
            [_csv_cell(kst(row[c]) if c.endswith("_at") else row[c]) for c in CSV_COLUMNS]
        )
    # A BOM so that spreadsheet programs read the Korean text as UTF-8.
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="payments.csv"',
            "Cache-Control": "no-store",
        },
    )


def _csv_cell(value: Any) -> str:
    # A cell starting with = + - @ would be a formula in a spreadsheet (CSV injection).
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _owned_payment(request: Request, merchant: Row) -> Row:
    imp_uid = request.path_params["imp_uid"]
    payment: Row | None = (
        request.app.state.store.payment(merchant["id"], imp_uid) if len(imp_uid) <= 100 else None
    )
    if payment is None:
        raise ApiError(404, "no such payment")
    return payment


def _detail(
    request: Request,
    merchant: Row,
    payment: Row,
    status: int = 200,
    error: str | None = None,
    notice: str | None = None,
) -> Response:
    store = request.app.state.store
    sent = json.loads(payment["request_json"]) if payment["request_json"] else None
    left = float(payment["amount"]) - float(payment["cancel_amount"])
    fields = [
        (name, payment[name])
        for name in payment
        if name not in ("merchant_id", "request_json", "cancel_history")
    ]
    return page(
        request,
        "payment.html",
        status=status,
        payment=payment,
        fields=fields,
        request_sent=json.dumps(sent, ensure_ascii=False, indent=2) if sent else None,
        events=store.payment_events(merchant["id"], payment["imp_uid"]),
        confirm_url=confirm.url_of(payment),
        refunds=json.loads(payment["cancel_history"] or "[]"),
        hooks=store.webhooks_of(merchant["id"], payment["imp_uid"]),
        console_status=console_status(payment),
        status_labels=STATUS_LABELS,
        kst=kst,
        refundable=payment["status"] == "paid" and left > 0,
        left=payment_views.as_amount(left),
        pg_name=display_name(payment["pg_provider"]),
        error=error,
        notice=messages.notice(notice),
    )


@needs_login
async def payment_page(request: Request) -> Response:
    """One payment: every field, the request, its history, refunds and webhooks."""
    merchant = current_merchant(request)
    payment = _owned_payment(request, merchant)
    return _detail(request, merchant, payment, notice=request.query_params.get("notice"))


@needs_login
async def refund(request: Request) -> Response:
    """A full refund (amount empty) or a partial one, through ``payments.cancel``."""
    merchant = current_merchant(request)
    payment = _owned_payment(request, merchant)
    form = await checked_form(request)
    raw = form.get("amount", "").strip().replace(",", "")
    reason = form.get("reason", "").strip()[:200] or messages.t("refund.reason")
    try:
        amount = None if raw == "" else float(raw)
        if amount is not None and not amount == amount:  # NaN
            raise ValueError
    except ValueError:
        return _detail(
            request,
            merchant,
            payment,
            status=400,
            error=messages.t("error.refund_amount"),
        )
    try:
        payments.cancel(request.app.state.store, payment, amount, reason)
    except PaymentError as refused:
        return _detail(request, merchant, payment, status=400, error=refused.message)
    return see_other("/console/payments/{}?notice=refunded".format(payment["imp_uid"]))


@needs_login
async def deposit(request: Request) -> Response:
    """Simulate the shopper's deposit into an issued virtual account (full amount)."""
    merchant = current_merchant(request)
    payment = _owned_payment(request, merchant)
    await checked_form(request)
    try:
        payments.deposit(request.app.state.store, payment)
    except AlreadyEnded:
        return _detail(
            request,
            merchant,
            payment,
            status=400,
            error=messages.t("error.vbank_not_waiting"),
        )
    return see_other("/console/payments/{}?notice=deposited".format(payment["imp_uid"]))
