"""The console's API keys: the user code, the REST API key (imp_key) and the last four
characters of its secret. The store keeps only the secret's hash (and those four
characters), so the whole secret is shown once: right after it is regenerated. The old
secret stops working at once and the access tokens issued with it end."""

from starlette.routing import Route

from iamport_sandbox.console import _form, _merchant, _page, needs_login


@needs_login
async def keys_page(request):
    _merchant(request)
    return _page(request, "keys.html", new_secret=None)


@needs_login
async def regenerate(request):
    merchant = _merchant(request)
    form = await _form(request)
    if form.get("confirm") != "yes":
        return _page(request, "keys.html", status=400, new_secret=None,
                     error="확인란을 선택하세요 · Tick the box to confirm")
    secret = request.app.state.store.regenerate_api_secret(merchant["id"])
    # Shown in this answer only (no-store); never in a URL, a cookie or a log line.
    return _page(request, "keys.html", new_secret=secret,
                 merchant=request.app.state.store.merchant_by_id(merchant["id"]))


routes = [
    Route("/console/keys", keys_page, methods=["GET"]),
    Route("/console/keys/regenerate", regenerate, methods=["POST"]),
]
