"""imp.js boots the interpreter itself (no PyScript), and when it cannot, every request still
gets its one callback: SDK_UNAVAILABLE, made before the failure (queued) or after it."""

import json

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from e2e.checkout import TIMEOUT
from iamport_py.errors import MESSAGES, SDK_UNAVAILABLE
from tests.live import LiveServer

# Two requests as the page loads (queued until Python is ready), their results kept in order.
PAGE = """<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="{service}/web/imp.js" data-user-code="imp10000001"{attributes}></script>
<script>
window.results = [];
IMP.request_pay({{pg: "kakaopay", amount: 1000, merchant_uid: "order-1"}},
                (rsp) => window.results.push(rsp));
IMP.request_pay({{pg: "kakaopay", amount: 1000, merchant_uid: "order-2", language: "en"}},
                (rsp) => window.results.push(rsp));
</script>"""


@pytest.fixture(scope="module")
def shop(service):
    async def page(request):
        attributes = (
            ' data-interpreter="pyodide"' if request.path_params["interpreter"] == "pyodide" else ""
        )
        return HTMLResponse(PAGE.format(service=service, attributes=attributes))

    server = LiveServer(Starlette(routes=[Route("/{interpreter}.html", page)])).start()
    yield server.url
    server.stop()


def test_imp_js_loads_no_pyscript(page, shop, interpreter):
    page.goto("{}/{}.html".format(shop, interpreter))
    page.wait_for_function(
        "() => window.results.length === 1 || document.querySelector('iframe.iamport-frame')",
        timeout=TIMEOUT,
    )
    assert page.query_selector("iframe.iamport-frame")
    assert not [url for url in page.requests if "/runtime/pyscript" in url], page.requests


@pytest.mark.parametrize(
    "missing", ["iamport_py-mpy.bundle", "iamport-bridge.mjs", "micropython.wasm"]
)
def test_an_sdk_that_cannot_start_answers_every_request_once(page, shop, missing):
    page.route("**/" + missing, lambda route: route.fulfill(status=404, body="gone"))
    page.goto(shop + "/micropython.html")
    page.wait_for_function("() => window.results.length === 2", timeout=TIMEOUT)
    # A request made after the failure ends at once too.
    page.evaluate("""() => IMP.request_pay({pg: "kakaopay", amount: 1000},
                                           (rsp) => window.results.push(rsp))""")
    page.wait_for_function("() => window.results.length === 3", timeout=TIMEOUT)
    results = page.evaluate("window.results")
    assert [rsp["merchant_uid"] for rsp in results] == ["order-1", "order-2", None]
    for rsp in results:
        assert rsp["success"] is False and rsp["imp_uid"] is None
        assert rsp["error_code"] == SDK_UNAVAILABLE
    korean, english = MESSAGES[SDK_UNAVAILABLE]
    assert results[0]["error_msg"].startswith(korean.split("{")[0])
    assert results[1]["error_msg"].startswith(english.split("{")[0])
    assert "MicroPython" in results[1]["error_msg"]
    assert page.logged("error", "the SDK could not start")
    # The promise form (no callback) resolves with the same rsp instead of hanging.
    rsp = page.evaluate("() => IMP.request_pay({pg: 'kakaopay', amount: 1000})")
    assert rsp["error_code"] == SDK_UNAVAILABLE, json.dumps(rsp)
    assert page.evaluate("window.results.length") == 3  # each callback exactly once
