"""The console's API keys: the user code, the REST API key (imp_key) and the last four
characters of its secret. The store keeps only the secret's hash (and those four
characters), so the whole secret is shown once: right after it is regenerated. The old
secret stops working at once and the access tokens issued with it end."""

from starlette.requests import Request
from starlette.responses import Response

from iamport_sandbox.console import messages
from iamport_sandbox.console.guard import needs_login
from iamport_sandbox.console.render import page
from iamport_sandbox.console.session import checked_form, current_merchant


@needs_login
async def keys_page(request: Request) -> Response:
    """The user code, the REST API key and the secret's last four characters."""
    current_merchant(request)
    return page(request, "keys.html", new_secret=None)


@needs_login
async def regenerate(request: Request) -> Response:
    """A new REST API secret, shown in this answer only; the old one and its tokens end."""
    merchant = current_merchant(request)
    form = await checked_form(request)
    if form.get("confirm") != "yes":
        return page(
            request,
            "keys.html",
            status=400,
            new_secret=None,
            error=messages.t("error.confirm_box"),
        )
    secret = request.app.state.store.regenerate_api_secret(merchant["id"])
    # Shown in this answer only (no-store); never in a URL, a cookie or a log line.
    return page(
        request,
        "keys.html",
        new_secret=secret,
        merchant=request.app.state.store.merchant_by_id(merchant["id"]),
    )
