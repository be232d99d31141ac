"""The ES module form (issue 22): a merchant page on its own origin does
`import * as IMP from "<service>/web/imp.esm.js"`, as with Iamport's iamport.esm.js, and pays
through the callback and the Promise; the exports without an iamport_py equivalent end as
documented. The module boots the SDK with imp.js's own boot (imported, not copied)."""

import json
import mimetypes

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from e2e.checkout import TIMEOUT, payment_window, window_shows
from iamport_sandbox.assets import export_assets
from iamport_sandbox.testkit import approve
from tests.live import LiveServer
from tests.test_imp_js import ESM_EXPORTS

USER_CODE = "imp10000001"

# The module is imported at once, init and a first request made as the module runs (before
# Python is ready: queued, then replayed); the test drives the rest through window.shop.
PAGE = """<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<title>ES module checkout</title>
<pre id="result"></pre>
<script type="module">
import * as IMP from "{module}";
import IMPDefault, {{ slots }} from "{module}";

window.shop = {{ IMP, IMPDefault, slots, results: [] }};
IMP.init("{user_code}");
if (new URLSearchParams(location.search).has("early")) {{
  IMP.request_pay({{ pg: "kakaopay", amount: 1000, name: "Early order",
                    merchant_uid: "esm-early-" + Date.now() }},
                  (rsp) => window.shop.results.push(rsp));
}}
document.body.dataset.module = "loaded";
</script>"""


# imp.js's tag first (a classic script runs before a module), then the module.
BOTH = """<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="{service}/web/imp.js" data-user-code="{user_code}"></script>
<script type="module">
import * as IMP from "{service}/web/imp.esm.js";
window.same = IMP.request_pay({{ pg: "kakaopay", amount: -1 }});
document.body.dataset.module = "loaded";
</script>"""


@pytest.fixture(scope="module")
def shop(service):
    """The merchant's own server (another origin than the service's), serving PAGE and BOTH."""

    async def page(request):
        module = service + "/web/imp.esm.js"
        if request.path_params["interpreter"] == "pyodide":
            module += "?interpreter=pyodide"
        return HTMLResponse(PAGE.format(module=module, user_code=USER_CODE))

    async def both(request):
        return HTMLResponse(BOTH.format(service=service, user_code=USER_CODE))

    server = LiveServer(
        Starlette(routes=[Route("/both.html", both), Route("/{interpreter}.html", page)])
    ).start()
    yield server.url
    server.stop()


def _open(page, shop, interpreter, query=""):
    page.goto("{}/{}.html{}".format(shop, interpreter, query))
    page.wait_for_selector("body[data-module=loaded]", state="attached", timeout=TIMEOUT)


def _results(page, count):
    page.wait_for_function("n => window.shop.results.length >= n", arg=count, timeout=TIMEOUT)
    return page.evaluate("window.shop.results")


def test_a_callback_before_python_is_ready_gets_the_approval(page, shop, interpreter):
    _open(page, shop, interpreter, "?early=1")
    frame = payment_window(page)
    assert window_shows(frame) == ("kakaopay", "MID-c")
    frame.click("[data-testid=approve]")
    rsp = _results(page, 1)[0]
    assert rsp["success"] is True and rsp["imp_uid"] and rsp["error_code"] is None
    assert rsp["pg_provider"] == "kakaopay" and rsp["pg_id"] == "MID-c"
    assert rsp["merchant_uid"].startswith("esm-early-")
    # The module booted the SDK with imp.js's boot: window.IMP is the same SDK.
    assert page.evaluate("window.IMP.sdk") == "iamport-py"
    assert not [url for url in page.requests if "/runtime/pyscript" in url]


def test_the_promise_form_resolves_with_the_rsp(page, shop, service):
    _open(page, shop, "micropython")
    keys = httpx.get("{}/users/pg/{}".format(service, USER_CODE)).json()["data"]
    inicis_b = next(setting["channel_key"] for setting in keys if setting["pg_id"] == "MID-b")
    page.evaluate(
        """key => {
        window.shop.pending = window.shop.IMP.request_pay(
            {channelKey: key, amount: 1000, name: "Promise order"});
        window.shop.pending.then(rsp => window.shop.results.push(rsp));
        window.shop.returned = window.shop.pending instanceof Promise;
    }""",
        inicis_b,
    )
    frame = payment_window(page)
    assert window_shows(frame) == ("html5_inicis", "MID-b")
    frame.click("[data-testid=approve]")
    rsp = _results(page, 1)[0]
    assert rsp["success"] is True and rsp["pg_id"] == "MID-b"
    assert page.evaluate("window.shop.returned") is True


def test_exports_without_an_equivalent_end_as_documented(page, shop, service):
    _open(page, shop, "micropython")
    outcome = page.evaluate("""async () => {
        const {IMP, IMPDefault, slots} = window.shop;
        const thrown = (call) => { try { call(); return null; }
                                   catch (error) { return [error.code, error.message]; } };
        const viaCallback = await new Promise(resolve => {
            const returned = IMP.loadUI("paypal-spb", {amount: 10, merchant_uid: "ui-1"},
                                        resolve);
            if (returned !== undefined) resolve("returned " + returned);
        });
        let rejected = null;
        await IMP.loadModule("x").catch(error => { rejected = error.code; });
        return {
            exports: Object.keys(IMP).sort(),
            defaults: Object.keys(IMPDefault).sort(),
            viaCallback,
            viaPromise: await IMP.loadUI("paypal-rt", {amount: 10, language: "en"}),
            zzim: thrown(() => IMP.naver_zzim({})),
            communicate: thrown(() => IMP.communicate({})),
            update: thrown(() => IMP.updateLoadUIRequest("paypal-rt", {})),
            rejected,
            slots: {...slots, frozen: Object.isFrozen(slots)},
        };
    }""")
    assert outcome["exports"] == sorted(ESM_EXPORTS)
    assert outcome["defaults"] == sorted(set(outcome["exports"]) - {"default", "slots"})
    assert outcome["viaCallback"]["error_code"] == "UNKNOWN_METHOD"
    assert outcome["viaCallback"]["merchant_uid"] == "ui-1"
    assert "IMP.loadUI" in outcome["viaCallback"]["error_msg"]  # Korean: the default
    assert outcome["viaPromise"]["error_msg"].startswith(
        "iamport_py has no IMP.loadUI: an iamport.js feature it does not implement"
    )
    for name, key in (
        ("naver_zzim", "zzim"),
        ("communicate", "communicate"),
        ("updateLoadUIRequest", "update"),
    ):
        code, message = outcome[key]
        assert code == "UNKNOWN_METHOD" and "IMP." + name in message, outcome[key]
    assert outcome["rejected"] == "UNKNOWN_METHOD"
    assert outcome["slots"]["CORE_SERVER"] == service and outcome["slots"]["frozen"]
    assert outcome["slots"]["SDK_VERSION"].startswith("iamport-py@")


def test_deinit_closes_the_window_and_forgets_the_merchant(page, shop):
    _open(page, shop, "micropython")
    page.evaluate("""() => window.shop.IMP.request_pay({pg: "kakaopay", amount: 1000},
                                                     rsp => window.shop.results.push(rsp))""")
    payment_window(page)
    page.evaluate("""() => {
        window.shop.IMP.deinit();
        window.shop.IMP.request_pay({pg: "kakaopay", amount: 1000, merchant_uid: "after"},
                                    rsp => window.shop.results.push(rsp));
    }""")
    closed, refused = _results(page, 2)
    assert closed["error_code"] == "F0005"
    assert refused["error_code"] == "NOT_INITIALIZED" and refused["merchant_uid"] == "after"
    page.wait_for_function("() => !document.querySelector('iframe.iamport-frame')", timeout=TIMEOUT)
    # init again: requests go through again.
    page.evaluate(
        """code => {
        window.shop.IMP.init(code);
        window.shop.IMP.request_pay({pg: "kakaopay", amount: -1},
                                    rsp => window.shop.results.push(rsp));
    }""",
        USER_CODE,
    )
    assert _results(page, 3)[2]["error_code"] == "INVALID_AMOUNT"


def test_a_page_with_imp_js_and_the_module_has_one_sdk(page, shop):
    """The module calls the tag's window.IMP instead of booting a second interpreter."""
    page.goto(shop + "/both.html")
    page.wait_for_selector("body[data-module=loaded]", state="attached", timeout=TIMEOUT)
    rsp = page.evaluate("window.same")
    assert rsp["error_code"] == "INVALID_AMOUNT", json.dumps(rsp)
    bundles = [url for url in page.requests if url.endswith("iamport_py-mpy.bundle")]
    assert len(bundles) == 1, bundles  # one boot


def test_the_exported_module_page_pays(page, service, tmp_path):
    """Self-hosted: export-assets' esm-example.html and web/imp.esm.js, served by a plain
    static server under a prefix on another origin, pay against the sandbox."""
    export_assets(
        str(tmp_path), service=service, user_code=USER_CODE, interpreters=("micropython",)
    )
    mimetypes.add_type("application/wasm", ".wasm")
    server = LiveServer(
        Starlette(routes=[Mount("/static/iamport", StaticFiles(directory=str(tmp_path)))])
    ).start()
    try:
        site = server.url + "/static/iamport/"
        page.goto(site + "esm-example.html")
        page.click("#pay:not([disabled])", timeout=TIMEOUT)
        approve(page)
        page.wait_for_selector("body[data-result]", state="attached", timeout=TIMEOUT)
        assert page.get_attribute("body", "data-result") == "paid", page.inner_text("#result")
        loaded = [url for url in page.requests if "/runtime/" in url or "/web/" in url]
        assert loaded and all(url.startswith(site) for url in loaded), loaded
    finally:
        server.stop()
