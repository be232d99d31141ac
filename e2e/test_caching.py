"""A returning shopper (issue 13): the imp.js page opened again in the same browser loads no
runtime or SDK byte and revalidates none of those files (versioned URLs, cached a year), nor
imp.js (cached 5 minutes). And every request goes to the page's origin or the service's,
compressed where it is text or wasm."""

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from iamport_sandbox.demo import DEMO
from tests.live import LiveServer

TIMEOUT = 30000


@pytest.fixture(scope="module")
def shop(service):
    """A merchant page on another origin (localhost) with the one imp.js tag."""
    html = (
        '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">'
        '<script src="{}/web/imp.js" data-user-code="{}"></script>'
        '<script>IMP.request_pay({{pg: "html5_inicis.MID-b", amount: 1000, name: "x", '
        'buyer_email: "b@example.com"}}, () => {{}});</script>'
    ).format(service, DEMO["user_code"])

    async def page(request):
        return HTMLResponse(html, headers={"Cache-Control": "no-cache"})

    server = LiveServer(Starlette(routes=[Route("/shop.html", page)]), host="localhost").start()
    yield server.url + "/shop.html"
    server.stop()


def _visit(page, cdp, url):
    """The responses of one visit, each with the bytes that came over the network for it
    (``sent``: 0 when the browser's cache answered)."""
    seen, sent = {}, {}
    cdp.on(
        "Network.responseReceived",
        lambda event: seen.setdefault(event["requestId"], event["response"]),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda event: sent.setdefault(event["requestId"], event["encodedDataLength"]),
    )
    page.goto(url)
    page.wait_for_selector("iframe.iamport-frame", timeout=TIMEOUT)
    page.wait_for_load_state("load")
    return [dict(response, sent=sent.get(request_id, 0)) for request_id, response in seen.items()]


def test_a_returning_shopper_downloads_and_revalidates_no_runtime_file(
    page, context, shop, service
):
    cdp = context.new_cdp_session(page.page)
    cdp.send("Network.enable")
    first = _visit(page, cdp, shop)
    assets = [response for response in first if response["url"].startswith(service + "/runtime/")]
    # The interpreter's module and wasm, the SDK's modules (one file) and its JS half.
    assert sorted(response["url"].rsplit("/", 1)[1] for response in assets) == [
        "iamport-bridge.mjs",
        "iamport_py-mpy.bundle",
        "micropython.mjs",
        "micropython.wasm",
    ], [response["url"] for response in first]
    for response in assets:
        assert "@" in response["url"], response["url"]  # versioned
        headers = {key.lower(): value for key, value in response["headers"].items()}
        assert "immutable" in headers["cache-control"], response["url"]
        if response["url"].endswith((".js", ".mjs", ".wasm", ".json", ".bundle")):
            assert headers.get("content-encoding") in ("br", "gzip"), response["url"]
    stray = [
        url
        for url in page.requests
        if not url.startswith((service, shop.rsplit("/", 1)[0], "blob:", "data:"))
    ]
    assert not stray, stray

    again = _visit(page, cdp, shop)
    fetched = [
        (response["url"], response["sent"])
        for response in again
        if response["url"].startswith(service + "/runtime/") and response["sent"]
    ]
    assert not fetched, fetched
    revalidated = [response["url"] for response in again if response["status"] == 304]
    assert revalidated == [], revalidated
    imp_js = [response for response in again if response["url"] == service + "/web/imp.js"]
    assert imp_js and not imp_js[0]["sent"], imp_js  # from the cache, no request
