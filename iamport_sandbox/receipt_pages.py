"""Sandbox receipts: the page behind a payment's ``receipt_url``.

A payment with a PG transaction (paid, refunded, an issued virtual account) shows its
receipt. A payment that has none answers 200 with a page that says why — failed (its
reason and code) or not completed (the window is open or was abandoned) — because the
page is a true account of that payment, and it is what a tester opens from the console or
from a failed ``rsp``. An unknown ``imp_uid`` is a 404: an HTML page for a browser, the
JSON error for API clients (the receipts are reachable on the REST API's port too).
"""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox import payment_views
from iamport_sandbox.console import messages
from iamport_sandbox.console.payment_pages import console_status, kst
from iamport_sandbox.console.render import wants_html
from iamport_sandbox.wire import ApiError

HEADERS = {"Cache-Control": "no-store"}


async def receipt(request: Request) -> Response:
    """A payment's receipt page (or why it has none); a 404 for an unknown ``imp_uid``."""
    store = request.app.state.store
    imp_uid = request.path_params["imp_uid"]
    payment = store.payment_anywhere(imp_uid) if len(imp_uid) <= 100 else None
    templates = request.app.state.templates
    if payment is None:
        if not wants_html(request):
            raise ApiError(404, "no such receipt")
        missing: Response = templates.TemplateResponse(
            request,
            "receipt_missing.html",
            {"imp_uid": imp_uid, "t": messages.t},
            status_code=404,
            headers=HEADERS,
        )
        return missing
    page: Response = templates.TemplateResponse(
        request,
        "receipt.html",
        {
            "payment": payment,
            "pg_name": payment_views.pg_label(payment),
            "kst": kst,
            "t": messages.t,
            "state": console_status(payment),
            "issued": bool(payment["pg_tid"]),
        },
        headers=HEADERS,
    )
    return page


routes = [
    Route("/sandbox/receipts/{imp_uid}", receipt, methods=["GET"]),
]
