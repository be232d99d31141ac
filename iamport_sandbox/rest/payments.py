"""Payments: look one up, list them for reconciliation, its balance, amounts prepared
ahead, cancellations."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_py.amounts import minor_units
from iamport_sandbox import payment_views
from iamport_sandbox.domain import payments
from iamport_sandbox.fields import (
    Data,
    amount_field,
    currency_field,
    query_int,
    query_list,
    text_field,
)
from iamport_sandbox.rest.common import (
    NO_PAYMENT,
    body,
    collection,
    merchant,
    not_found,
    owned_payment,
    page_of,
    payment_or_404,
    show,
)
from iamport_sandbox.store import SORTINGS, Row, StoreError
from iamport_sandbox.wire import ApiError, envelope, refusal

STATUSES = ("ready", "paid", "failed", "cancelled")
# PortOne's document: a payments listing's ``limit`` is 1 to 1000 (20 by default).
DOCUMENTED_PAGE_SIZE = 1000


def _status(value: str | None) -> str | None:
    """A status of a path or query: one of STATUSES, ``all`` (None) or absent (None)."""
    if value not in (None, "all", *STATUSES):
        raise ApiError(400, "status must be ready, paid, failed, cancelled or all")
    return None if value == "all" else value


def _sorting(request: Request) -> str:
    sorting = request.query_params.get("sorting") or "-started"
    if sorting not in SORTINGS:
        raise ApiError(400, "sorting must be one of " + ", ".join(SORTINGS))
    return sorting


async def get_payment(request: Request) -> Response:
    return envelope(show(request, owned_payment(request, merchant(request))))


def _filter(request: Request) -> str | None:
    """The status a look-up filters by (path or query; ``all``: any). A status that no
    payment can have finds nothing: a 404, as any look-up of nothing (PortOne's document
    types it as any text)."""
    value = request.path_params.get("status", request.query_params.get("status"))
    if value not in (None, "", "all", *STATUSES):
        raise not_found(NO_PAYMENT)
    return None if value in (None, "", "all") else value


async def find_payment(request: Request) -> Response:
    """``/payments/find/{merchant_uid}`` with ``?status=`` or ``/{status}`` (``all``: any)."""
    found = merchant(request)
    status = _filter(request)
    payment = request.app.state.store.payment_by_merchant_uid(
        found["id"], request.path_params["merchant_uid"], status
    )
    return envelope(show(request, payment_or_404(payment)))


async def find_all(request: Request) -> Response:
    """``/payments/findAll/{merchant_uid}[/{status}]``: every attempt at one order, paged."""
    found = merchant(request)
    status = _filter(request)
    page, limit = page_of(request, DOCUMENTED_PAGE_SIZE)
    total, rows = request.app.state.store.payments_page(
        found["id"],
        page,
        limit,
        status=status,
        merchant_uid=request.path_params["merchant_uid"],
        sorting=_sorting(request),
    )
    if not total:
        raise not_found(NO_PAYMENT)
    return collection(total, rows, page, limit, lambda row: show(request, row))


async def by_status(request: Request) -> Response:
    """``/payments/status/{status}``: a page of payments, ``from``/``to`` bounding the time
    of that status (``started_at`` for ``all`` and ``ready``, else ``paid_at``, …)."""
    found = merchant(request)
    status = request.path_params["status"]
    if status not in ("all", *STATUSES):
        raise ApiError(400, "status must be ready, paid, failed, cancelled or all")
    page, limit = page_of(request, DOCUMENTED_PAGE_SIZE)
    total, rows = request.app.state.store.payments_page(
        found["id"],
        page,
        limit,
        status=_status(status),
        since=query_int(request, "from"),
        until=query_int(request, "to"),
        sorting=_sorting(request),
    )
    return collection(total, rows, page, limit, lambda row: show(request, row))


def _wanted(request: Request, name: str) -> list[str]:
    """The values of ``name[]`` in the query, none if it is not there."""
    params = request.query_params
    if not params.getlist(name + "[]") and not params.getlist(name):
        return []
    return query_list(request, name, empty_ok=True)


async def by_imp_uids(request: Request) -> Response:
    """``/payments?imp_uid[]=…&merchant_uid[]=…``: the payments of those ``imp_uid``s and
    the latest payment of each ``merchant_uid`` (HTTP 207 when some were not found, 404
    when none was or none was asked for, as Iamport)."""
    found = merchant(request)
    store = request.app.state.store
    imp_uids, merchant_uids = _wanted(request, "imp_uid"), _wanted(request, "merchant_uid")
    rows = store.payments_by_imp_uids(found["id"], imp_uids) if imp_uids else []
    by_order = (store.payment_by_merchant_uid(found["id"], uid) for uid in merchant_uids)
    seen = {row["imp_uid"] for row in rows}
    rows += [row for row in by_order if row is not None and row["imp_uid"] not in seen]
    if not rows:
        raise not_found(NO_PAYMENT)
    every = len(rows) == len(imp_uids) + len(merchant_uids)
    return envelope([show(request, row) for row in rows], status=200 if every else 207)


def _balance_part(amount: float, created: int | None = None) -> dict[str, Any]:
    """One means of payment's share: PortOne's ``tax_free``, ``supply``, ``vat``,
    ``service`` (all of it taxable here, VAT one eleventh) and its ``amount``."""
    vat = round(amount / 11) if amount else 0
    part = {
        "amount": payment_views.as_amount(amount),
        "tax_free": 0,
        "supply": payment_views.as_amount(amount - vat),
        "vat": payment_views.as_amount(vat),
        "service": 0,
    }
    if created is not None:
        part["created"] = created
    return part


async def balance(request: Request) -> Response:
    """``/payments/{imp_uid}/balance``: what is left of a payment, and how it came to be
    (the payment, then each refund). All of it is the primary means of payment here."""
    payment = owned_payment(request, merchant(request))
    store = request.app.state.store
    receipt = store.cash_receipt(payment["merchant_id"], payment["imp_uid"])
    zero = _balance_part(0)
    histories = []
    if payment["paid_at"]:
        histories.append((float(payment["amount"]), payment["paid_at"]))
    for entry in payment_views.cancel_history(payment, ""):
        histories.append((-float(entry["amount"]), entry["cancelled_at"]))
    # Rounded to the currency's minor units: 19.99 - 9.99 - 10.00 is 0, not -1.8e-15.
    left = round(sum(amount for amount, _ in histories), minor_units(payment["currency"]))
    cash = left if receipt and not receipt["cancelled_at"] else 0
    return envelope(
        {
            "amount": payment_views.as_amount(left),
            "cash_receipt": _balance_part(cash),
            "primary": _balance_part(left),
            "secondary": zero,
            "discount": zero,
            "histories": [
                {
                    "cash_receipt": _balance_part(amount if cash else 0),
                    "primary": _balance_part(amount),
                    "secondary": zero,
                    "discount": zero,
                    "created": created,
                }
                for amount, created in histories
            ],
        }
    )


def _prepared(row: Row) -> dict[str, Any]:
    return {"merchant_uid": row["merchant_uid"], "amount": payment_views.as_amount(row["amount"])}


async def _prepared_amount(request: Request) -> tuple[Row, str, int | float]:
    """The merchant, ``merchant_uid`` and amount of a prepare (new or changed)."""
    found = merchant(request)
    data = await body(request)
    merchant_uid = text_field(data, "merchant_uid", max_length=40)
    # Iamport's prepare takes no currency; ours may (default KRW) for the amount rule.
    amount = amount_field(data, currency_field(data), allow_text=True)
    return found, merchant_uid, amount


async def prepare(request: Request) -> Response:
    found, merchant_uid, amount = await _prepared_amount(request)
    try:
        prepared = request.app.state.store.prepare(found["id"], merchant_uid, amount)
    except StoreError as clash:
        raise refusal(str(clash)) from None
    return envelope(_prepared(prepared))


async def reprepare(request: Request) -> Response:
    """``PUT /payments/prepare``: a prepared amount changed (404 when none is prepared)."""
    found, merchant_uid, amount = await _prepared_amount(request)
    try:
        prepared = request.app.state.store.reprepare(found["id"], merchant_uid, amount)
    except StoreError as paid:
        raise refusal(str(paid)) from None
    if prepared is None:
        raise not_found("사전등록된 금액이 없습니다 (nothing prepared for this merchant_uid)")
    return envelope(_prepared(prepared))


async def get_prepared(request: Request) -> Response:
    found = merchant(request)
    row = request.app.state.store.prepared(found["id"], request.path_params["merchant_uid"])
    if row is None:
        raise not_found("사전등록된 금액이 없습니다 (nothing prepared for this merchant_uid)")
    return envelope(_prepared(row))


def _cancel_amount(data: Data, currency: str) -> int | float | None:
    """A cancel's ``amount``: absent or 0 refunds what is left (as Iamport does); any other
    value goes through the amount rule in the payment's currency."""
    value = data.get("amount")
    if value is None or value == "" or (not isinstance(value, bool) and value in (0, "0")):
        return None
    return amount_field(data, currency, allow_text=True)


async def cancel(request: Request) -> Response:
    found = merchant(request)
    store = request.app.state.store
    data = await body(request)
    imp_uid = text_field(data, "imp_uid", required=False, max_length=40)
    merchant_uid = text_field(data, "merchant_uid", required=False, max_length=40)
    if imp_uid:
        payment = store.payment(found["id"], imp_uid)
    elif merchant_uid:
        # The order's paid payment; else its latest, so that "already cancelled" is told.
        payment = store.payment_by_merchant_uid(
            found["id"], merchant_uid, "paid"
        ) or store.payment_by_merchant_uid(found["id"], merchant_uid)
    else:
        raise ApiError(400, "'imp_uid' or 'merchant_uid' is required")
    if payment is None:
        raise refusal(payments.NOTHING_TO_CANCEL)
    amount = _cancel_amount(data, payment["currency"])
    payment = payments.cancel(
        store, payment, amount, text_field(data, "reason", required=False, max_length=200)
    )
    return envelope(show(request, payment))


routes = [
    Route("/payments", by_imp_uids, methods=["GET"]),
    Route("/payments/status/{status}", by_status, methods=["GET"]),
    Route("/payments/find/{merchant_uid}", find_payment, methods=["GET"]),
    Route("/payments/find/{merchant_uid}/{status}", find_payment, methods=["GET"]),
    Route("/payments/findAll/{merchant_uid}", find_all, methods=["GET"]),
    Route("/payments/findAll/{merchant_uid}/{status}", find_all, methods=["GET"]),
    Route("/payments/prepare", prepare, methods=["POST"]),
    Route("/payments/prepare", reprepare, methods=["PUT"]),
    Route("/payments/prepare/{merchant_uid}", get_prepared, methods=["GET"]),
    Route("/payments/cancel", cancel, methods=["POST"]),
    Route("/payments/{imp_uid}/balance", balance, methods=["GET"]),
    Route("/payments/{imp_uid}", get_payment, methods=["GET"]),
]
