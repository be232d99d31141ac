"""The console's subscriptions (issue 11): billing keys with their charges and schedules,
and the payment schedules with the payment each one made."""

from starlette.requests import Request
from starlette.responses import Response

from iamport_sandbox.console.guard import needs_login
from iamport_sandbox.console.render import page
from iamport_sandbox.console.session import current_merchant
from iamport_sandbox.wire import ApiError


@needs_login
async def billing_keys_page(request: Request) -> Response:
    """The merchant's billing keys."""
    merchant = current_merchant(request)
    return page(
        request, "billing_keys.html", keys=request.app.state.store.billing_keys(merchant["id"])
    )


@needs_login
async def billing_key_page(request: Request) -> Response:
    """One billing key, its charges and its schedules."""
    merchant = current_merchant(request)
    store = request.app.state.store
    customer_uid = request.path_params["customer_uid"]
    key = store.billing_key(merchant["id"], customer_uid)
    if key is None:
        raise ApiError(404, "no such billing key")
    _, charges = store.payments_page(merchant["id"], 1, 100, customer_uid=customer_uid)
    _, schedules = store.schedules_page(merchant["id"], 1, 100, customer_uid=customer_uid)
    return page(request, "billing_key.html", key=key, payments=charges, schedules=schedules)


@needs_login
async def schedules_page(request: Request) -> Response:
    """The merchant's payment schedules, with the sandbox clock's time."""
    merchant = current_merchant(request)
    _, schedules = request.app.state.store.schedules_page(merchant["id"], 1, 100)
    return page(
        request,
        "schedules.html",
        schedules=schedules,
        clock=request.app.state.config.clock.now(),
    )


@needs_login
async def schedule_page(request: Request) -> Response:
    """One schedule and the payment it made (if it ran)."""
    merchant = current_merchant(request)
    store = request.app.state.store
    schedule = store.schedule(merchant["id"], request.path_params["merchant_uid"])
    if schedule is None:
        raise ApiError(404, "no such schedule")
    payment = store.payment(merchant["id"], schedule["imp_uid"]) if schedule["imp_uid"] else None
    return page(request, "schedule.html", schedule=schedule, payment=payment)
