"""A plain JavaScript page: the seed's examples verbatim plus the one imp.js tag, served on the
merchant's own origin while imp.js, the runtimes and the SDK come from the service."""

import json
import os

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from e2e.checkout import TIMEOUT, payment_window, wait_window_ready, window_shows
from e2e.conftest import CERT_MERCHANT, INTERPRETERS, POPUP_MERCHANT, Page, assert_local_only
from iamport_sandbox.assets import web_dir
from tests.live import LiveServer

SEED_PAGE = os.path.join(web_dir(), "seed-example.html")


def _seed_page(service, interpreter):
    with open(SEED_PAGE, encoding="utf-8") as source:
        html = source.read()
    tag = '<script src="/web/imp.js" data-user-code="imp10000001"></script>'
    assert tag in html
    attributes = ' data-interpreter="pyodide"' if interpreter == "pyodide" else ""
    return html.replace(
        tag,
        '<script src="{}/web/imp.js" data-user-code="imp10000001"{}></script>'.format(
            service, attributes
        ),
    )


@pytest.fixture(scope="module")
def merchant_server(service):
    """The merchant's own web server (another port of 127.0.0.1, so another origin): it
    serves web/seed-example.html with the imp.js tag pointing at the service."""

    async def seed(request):
        return HTMLResponse(_seed_page(service, request.path_params["interpreter"]))

    server = LiveServer(Starlette(routes=[Route("/seed-{interpreter}.html", seed)])).start()
    yield server.url
    server.stop()


@pytest.fixture
def js_page(page, merchant_server, interpreter):
    page.url_of_seed = "{}/seed-{}.html".format(merchant_server, interpreter)
    return page


def _logged_rsp(page, act):
    """Do ``act`` (a click in the window); the rsp the SDK logs for a request without a
    callback, once the window is gone."""
    with page.expect_console_message(
        lambda message: (
            message.type == "info" and "request ended without a callback" in message.text
        ),
        timeout=TIMEOUT,
    ) as logged:
        act()
    page.wait_for_function("() => !document.querySelector('iframe.iamport-frame')", timeout=TIMEOUT)
    return logged.value.text


def test_window_IMP_exists_as_soon_as_the_tag_has_run(js_page):
    js_page.goto(js_page.url_of_seed)
    assert js_page.evaluate("typeof IMP.request_pay") == "function"
    assert (
        js_page.evaluate("Object.keys(IMP).sort().join(',')")
        == "agency,certification,close,init,request_pay,sdk"
    )


def test_a_call_made_before_python_is_ready_is_replayed(js_page):
    js_page.goto(js_page.url_of_seed + "?early=1")
    frame = payment_window(js_page)
    assert window_shows(frame) == ("kakaopay", "MID-c")
    logged = _logged_rsp(js_page, lambda: frame.click("[data-testid=approve]"))
    assert '"success": true' in logged and '"pg_id": "MID-c"' in logged


@pytest.fixture(scope="module", params=INTERPRETERS)
def seed_page(request, browser, merchant_server):
    """One seed page per interpreter for its three examples, which each end with no
    window open; the first is clicked before Python is ready (it is queued and replayed),
    the others on the page as a shopper who pays again has it."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = Page(context.new_page())
    page.goto("{}/seed-{}.html".format(merchant_server, request.param))
    yield page
    assert_local_only(page)
    context.close()


@pytest.mark.parametrize(
    "button,mid", [("#inicis-b", "MID-b"), ("#inicis-a", "MID-a"), ("#kakaopay", "MID-c")]
)
def test_the_seeds_examples_open_their_windows(seed_page, button, mid):
    js_page = seed_page
    if js_page.query_selector("iframe.iamport-frame"):  # left open by a failed example
        js_page.reload()
    # No waiting for Python: a click before it is ready is queued and replayed.
    js_page.click(button)
    frame = payment_window(js_page)
    assert window_shows(frame)[1] == mid
    assert '"error_code": "F0005"' in _logged_rsp(
        js_page, lambda: frame.click("[data-testid=cancel]")
    )


def test_callbacks_get_a_plain_js_object_in_call_order(js_page):
    js_page.goto(js_page.url_of_seed)
    js_page.evaluate("""() => {
        window.results = [];
        IMP.request_pay({pg: "kakaopay", amount: -1}, rsp => results.push(rsp));
        IMP.request_pay({pg: "html5_inicis", amount: "x", language: "en"},
                        rsp => results.push(rsp));
    }""")
    js_page.wait_for_function("() => window.results.length === 2", timeout=TIMEOUT)
    results = js_page.evaluate("window.results")
    assert [r["error_code"] for r in results] == ["INVALID_AMOUNT", "INVALID_AMOUNT"]
    assert results[1]["error_msg"].startswith("amount is not valid")


def test_certification_returns_a_verified_identity(js_page, rest):
    js_page.goto(js_page.url_of_seed)
    js_page.evaluate(
        """code => {
        IMP.init(code);
        IMP.certification({pg: "danal", merchant_uid: "cert-e2e-1"},
                          rsp => { window.certified = rsp; });
    }""",
        CERT_MERCHANT,
    )
    frame = js_page.wait_for_selector("iframe.iamport-frame", timeout=TIMEOUT).content_frame()
    wait_window_ready(frame)
    assert "/certificates/ready/{}/danal/D-1".format(CERT_MERCHANT) in frame.url
    frame.fill("[data-testid=person-name]", "김아임")
    frame.click("[data-testid=approve]")
    js_page.wait_for_function("() => window.certified", timeout=TIMEOUT)
    rsp = js_page.evaluate("window.certified")
    assert rsp["success"] is True and rsp["certified"] is True and rsp["unique_key"]
    assert rsp["merchant_uid"] == "cert-e2e-1" and rsp["pg_provider"] == "danal"


# Runs at the page's load, before anything of the test touches the page: Playwright's
# evaluate counts as a user gesture (Chromium keeps the activation 5 s), so the request is
# made and reported without one, and the test only listens (the console).
PAY_WITHOUT_ACTIVATION = """window.addEventListener("load", () => {
    IMP.init(%s);
    IMP.request_pay({pg: "eximbay", amount: 10},
                    (rsp) => console.log("blocked-rsp " + JSON.stringify(rsp)));
});"""


def test_a_popup_without_user_activation_is_blocked_and_reported(js_page, context):
    js_page.add_init_script(PAY_WITHOUT_ACTIVATION % json.dumps(POPUP_MERCHANT))
    with js_page.expect_console_message(
        lambda message: message.text.startswith("blocked-rsp "), timeout=TIMEOUT
    ) as logged:
        js_page.goto(js_page.url_of_seed)
    assert json.loads(logged.value.text[len("blocked-rsp ") :])["error_code"] == "POPUP_BLOCKED"
    assert len(context.pages) == 1
