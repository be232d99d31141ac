"""The SDK's own guarantees in a real browser, on Pyodide and MicroPython: the window deadline
(a window page that cannot load ends with WINDOW_FAILED, not the shopper's F0005), the windows
loaded ahead (hidden, then shown without a reload), the clock that request ids and default
merchant_uids encode, and the Promise form of the JS API."""

import time

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from e2e.checkout import (
    TIMEOUT,
    open_shop,
    payment_window,
    start_payment,
    wait_result,
    window_shows,
)
from e2e.conftest import last_rsp
from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO, ensure_demo_merchant
from tests.live import LiveServer, start_sandbox

BLANK_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>shop</title>
<link rel="icon" href="data:,"></head><body>
<script src="{service}/web/imp.js"{attributes}></script></body></html>"""


@pytest.fixture
def doomed_service(tmp_path):
    """A second sandbox with the demo merchant, for a test to stop once settings loaded."""
    server, app = start_sandbox(Config(db_path=str(tmp_path / "doomed.sqlite3")))
    ensure_demo_merchant(app.state.store)
    yield server
    server.stop()
    app.state.store.close()


# The windows the SDK loaded ahead, once each has loaded (3: the demo merchant's settings).
PRELOADED = "iframe[data-iamport-preload]"
ALL_PRELOADED = (
    "() => document.querySelectorAll('iframe[data-iamport-preload=loaded]').length === 3"
)


def test_window_page_unreachable_after_settings_loaded_is_WINDOW_FAILED(
    page, interpreter, blank_shop, doomed_service
):
    """A window not loaded ahead (here: preloading off) goes the way it always did: the
    probe finds the service gone and names the window."""
    page.goto("{}/blank-{}.html".format(blank_shop, interpreter))
    # A request that fails validation ends once the settings have loaded.
    invalid = page.evaluate(
        """([code, service]) => {
        IMP.init(code, {service, preload_windows: 0});
        return IMP.request_pay({amount: -1});
    }""",
        [DEMO["user_code"], doomed_service.url],
    )
    assert invalid["error_code"] == "INVALID_AMOUNT", invalid
    doomed_service.stop()
    rsp = page.evaluate("() => IMP.request_pay({pg: 'kakaopay', amount: 1000})")
    assert rsp["error_code"] == "WINDOW_FAILED", rsp
    window = "{}/payments/ready/{}/kakaopay/MID-c".format(doomed_service.url, DEMO["user_code"])
    assert window in rsp["error_msg"]
    assert page.query_selector(".iamport-overlay") is None
    assert page.query_selector(PRELOADED) is None


def test_service_gone_after_the_windows_loaded_ahead_is_the_windows_own_error_once(
    page, interpreter, merchant_origin, doomed_service
):
    """The window loaded ahead is shown and takes the request; it cannot record it, and
    answers so (its WINDOW_ERROR): one callback, the overlay gone."""
    assert open_shop(page, merchant_origin, doomed_service.url, interpreter) == "ready"
    page.wait_for_function(ALL_PRELOADED, timeout=TIMEOUT)
    doomed_service.stop()
    start_payment(page, "kakaopay")
    wait_result(page)
    rsp = last_rsp(page)
    assert rsp["success"] is False and rsp["error_code"] == "WINDOW_ERROR", rsp
    assert page.query_selector(".iamport-overlay") is None
    page.wait_for_timeout(500)
    assert int(page.get_attribute("body", "data-callbacks")) == 1


@pytest.fixture(scope="module")
def blank_shop(service):
    """A merchant page (its own origin) with nothing but the imp.js tag."""

    async def shop(request):
        pyodide = request.path_params["interpreter"] == "pyodide"
        return HTMLResponse(
            BLANK_PAGE.format(
                service=service, attributes=' data-interpreter="pyodide"' if pyodide else ""
            )
        )

    server = LiveServer(Starlette(routes=[Route("/blank-{interpreter}.html", shop)])).start()
    yield server.url
    server.stop()


def _base36(text):
    return int(text, 36)


def test_generated_ids_encode_the_real_time_and_the_promise_form_resolves(
    page, interpreter, blank_shop
):
    page.goto("{}/blank-{}.html".format(blank_shop, interpreter))
    before = int(time.time() * 1000)
    rsp = page.evaluate(
        """async code => {
        IMP.init(code);
        const pending = IMP.request_pay({pg: "kakaopay", amount: 1000});
        const withCallback = IMP.request_pay({amount: -1}, () => {});
        if (!(pending instanceof Promise) || withCallback !== undefined) return "bad returns";
        await new Promise(resolve => {
            const wait = () => document.querySelector("iframe.iamport-frame")
                ? resolve() : setTimeout(wait, 50);
            wait();
        });
        IMP.close();
        return await pending;
    }""",
        DEMO["user_code"],
    )
    after = int(time.time() * 1000)
    assert isinstance(rsp, dict), rsp
    assert rsp["error_code"] == "F0005" and rsp["merchant_uid"].startswith("mid_")
    stamp = _base36(rsp["merchant_uid"][4:].split("_")[0])
    assert before - 5000 <= stamp <= after, (stamp, before, after)


AGENCY_MERCHANT = "imp20000011"
MIDLESS_MERCHANT = "imp20000012"


@pytest.fixture(scope="module")
def url_shapes(sandbox):
    """An agency whose tier T01 has one setting, and a merchant whose second setting has no MID."""
    store = sandbox.app.state.store
    if store.merchant_by_code(AGENCY_MERCHANT) is None:
        agency = store.create_merchant("agency", "agency-password", AGENCY_MERCHANT)
        store.add_setting(
            agency["id"],
            {"pg_provider": "html5_inicis", "pg_id": "AG-0", "type": "payment", "sandbox": True},
        )
        store.add_setting(
            agency["id"],
            {
                "pg_provider": "kcp",
                "pg_id": "T-1",
                "type": "payment",
                "sandbox": True,
                "tier_code": "T01",
            },
        )
        midless = store.create_merchant("midless", "midless-password", MIDLESS_MERCHANT)
        store.add_setting(
            midless["id"],
            {"pg_provider": "html5_inicis", "pg_id": "M-0", "type": "payment", "sandbox": True},
        )
        store.add_setting(
            midless["id"],
            {"pg_provider": "kakaopay", "pg_id": None, "type": "payment", "sandbox": True},
        )


@pytest.mark.parametrize(
    "setup,path,provider",
    [
        (
            "IMP.agency('{}', 'T01')".format(AGENCY_MERCHANT),
            "/payments/ready/{}?tier=T01".format(AGENCY_MERCHANT),
            "kcp",
        ),
        (
            "IMP.init('{}')".format(MIDLESS_MERCHANT),
            "/payments/ready/{}/kakaopay".format(MIDLESS_MERCHANT),
            "kakaopay",
        ),
    ],
)
def test_agency_tier_and_MID_less_windows_pay(
    page, interpreter, blank_shop, service, url_shapes, setup, path, provider
):
    page.goto("{}/blank-{}.html".format(blank_shop, interpreter))
    pg = "" if "agency" in setup else "kakaopay"
    page.evaluate(
        "() => { " + setup + "; window.paid = IMP.request_pay({pg: '" + pg + "', amount: 1000}); }"
    )
    frame = payment_window(page)
    assert frame.url == service + path
    assert window_shows(frame)[0] == provider
    frame.click("[data-testid=approve]")
    rsp = page.evaluate("() => window.paid")
    assert rsp["success"] is True and rsp["pg_provider"] == provider, rsp


SPARE_STATE = """overlay => {
    overlay.dataset.test = "made as imp.js loaded";
    const frame = overlay.querySelector("iframe");
    return {inert: overlay.inert, ariaHidden: overlay.getAttribute("aria-hidden"),
            visible: frame.checkVisibility({visibilityProperty: true}),
            src: frame.getAttribute("src"), frames: document.querySelectorAll("iframe").length,
            closeButtons: document.querySelectorAll(".iamport-close").length};
}"""


def test_the_first_window_is_the_overlay_made_while_the_interpreter_was_loading(
    page, interpreter, blank_shop, service
):
    """The JS half builds one overlay as imp.js loads it, hidden, its frame empty; the first
    payment's window is that overlay, shown (no frame is made at request_pay), and the empty
    frame's own load (about:blank) is not taken for the window's: the window gets its
    request and pays."""
    page.goto("{}/blank-{}.html".format(blank_shop, interpreter))
    spare = page.wait_for_selector(".iamport-spare", state="attached", timeout=TIMEOUT)
    assert spare.evaluate(SPARE_STATE) == {
        "inert": True,
        "ariaHidden": "true",
        "visible": False,
        "src": None,
        "frames": 1,
        "closeButtons": 0,
    }
    page.evaluate(
        """code => {
        IMP.init(code, {preload_windows: 0});
        window.paid = IMP.request_pay({pg: "kakaopay", amount: 1000});
    }""",
        DEMO["user_code"],
    )
    frame = payment_window(page)
    assert frame.url == "{}/payments/ready/{}/kakaopay/MID-c".format(service, DEMO["user_code"])
    assert page.get_attribute(".iamport-overlay", "data-test") == "made as imp.js loaded"
    assert page.query_selector(".iamport-spare") is None
    assert len(page.query_selector_all("iframe")) == 1
    frame.click("[data-testid=approve]")
    rsp = page.evaluate("() => window.paid")
    assert rsp["success"] is True and rsp["pg_id"] == "MID-c", rsp


HIDDEN_STATE = """frames => frames.map(f => ({
    visible: f.checkVisibility({opacityProperty: true, visibilityProperty: true}),
    tabIndex: f.tabIndex,
    ariaHidden: !!f.closest("[aria-hidden=true]"),
    inert: !!f.closest(".iamport-preload").inert,
}))"""


def test_windows_are_loaded_ahead_hidden_and_a_payment_shows_one_without_reloading_it(
    page, interpreter, blank_shop, service
):
    page.goto("{}/blank-{}.html".format(blank_shop, interpreter))
    page.evaluate("code => IMP.init(code)", DEMO["user_code"])
    # One per setting, the default at its short URL; loaded although not displayed.
    page.wait_for_function(ALL_PRELOADED, timeout=TIMEOUT)
    windows = "{}/payments/ready/{}".format(service, DEMO["user_code"])
    assert page.eval_on_selector_all(PRELOADED, "fs => fs.map(f => f.src)") == [
        windows,
        windows + "/html5_inicis/MID-b",
        windows + "/kakaopay/MID-c",
    ]
    hidden = {"visible": False, "tabIndex": -1, "ariaHidden": True, "inert": True}
    assert page.eval_on_selector_all(PRELOADED, HIDDEN_STATE) == [hidden] * 3
    assert page.query_selector("iframe.iamport-frame") is None
    assert page.query_selector(".iamport-overlay") is None
    for frame in page.frames[1:]:
        assert frame.get_attribute("body", "data-window-state") == "waiting"

    requests = []
    page.on("request", lambda request: requests.append((request.method, request.url)))
    page.evaluate("() => { window.paid = IMP.request_pay({pg: 'kakaopay', amount: 1000}); }")
    frame = payment_window(page)
    assert frame.url == windows + "/kakaopay/MID-c"
    # Shown where it was loaded: no reload, no probe; the window's one request is its own.
    assert requests == [("POST", service + "/sandbox/windows/open")], requests
    assert len(page.query_selector_all("iframe[data-iamport-preload=loaded]")) == 2
    frame.click("[data-testid=approve]")
    rsp = page.evaluate("() => window.paid")
    assert rsp["success"] is True and rsp["pg_id"] == "MID-c", rsp
    # Used once: gone with its overlay, and a fresh window loads for the setting.
    assert page.query_selector(".iamport-overlay") is None
    page.wait_for_function(ALL_PRELOADED, timeout=TIMEOUT)
    assert page.eval_on_selector_all(PRELOADED, "fs => fs.map(f => f.src)") == [
        windows,
        windows + "/html5_inicis/MID-b",
        windows + "/kakaopay/MID-c",
    ]
    assert page.query_selector("iframe.iamport-frame") is None
