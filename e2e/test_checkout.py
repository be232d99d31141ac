"""The demo checkout, end to end on Pyodide and MicroPython: the seed's routing, every outcome
of a payment window, and the REST API agreeing with what the callback saw."""

import json

import pytest

from e2e.checkout import (
    TIMEOUT,
    callbacks,
    open_shop,
    payment_window,
    start_payment,
    wait_result,
    wait_verification,
    window_shows,
)
from e2e.conftest import EMPTY_MERCHANT, INTERPRETERS, Page, assert_local_only, last_rsp


@pytest.fixture(scope="module", params=INTERPRETERS)
def booted(request, browser, merchant_origin, service):
    """One ready shop page per interpreter, for the tests that start from a ready shop with
    no window open (a Pyodide boot is ~3 s of CPU). Each test counts its callbacks from
    where it starts (``shop.base``) and waits for its own; its page is the shop as a
    shopper who pays again has it."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = Page(context.new_page())
    page.interpreter = request.param
    assert open_shop(page, merchant_origin, service, request.param) == "ready"
    yield page
    assert_local_only(page)
    context.close()


@pytest.fixture
def shop(booted):
    # A test that failed half way may have left its window open: start afresh then.
    if booted.query_selector(".iamport-overlay"):
        booted.reload()
    # Ready, and done with the last payment (Pay is disabled until its verification ends).
    booted.wait_for_selector(
        "body[data-imp-state=ready] [data-testid=pay]:enabled", timeout=TIMEOUT
    )
    booted.base = callbacks(booted)
    return booted


def wait_own_result(shop, count=1):
    """The result of this test's ``count``-th request on the shared shop."""
    wait_result(shop, shop.base + count)


def _extra_note(frame):
    """The window's note for vbank / billing keys (with the order shown, should it be missing)."""
    try:
        frame.wait_for_selector("[data-testid=extra]:visible", timeout=5000)
    except Exception:
        return "no note; the window shows: " + frame.inner_text("main")
    return frame.inner_text("[data-testid=extra]")


SEED_ROUTES = [
    ("kakaopay", "kakaopay", "MID-c"),
    ("html5_inicis.MID-b", "html5_inicis", "MID-b"),
    ("html5_inicis.MID-a", "html5_inicis", "MID-a"),
    ("html5_inicis", "html5_inicis", "MID-a"),
    ("", "html5_inicis", "MID-a"),
]


@pytest.mark.parametrize("pg,code,mid", SEED_ROUTES)
def test_seed_routing_approve_and_verify(shop, rest, pg, code, mid):
    start_payment(shop, pg)
    frame = payment_window(shop)
    assert window_shows(frame) == (code, mid)
    assert frame.inner_text("[data-testid=order-amount]") == "29000"
    frame.click("[data-testid=approve]")
    wait_own_result(shop)
    rsp = last_rsp(shop)
    assert rsp["success"] is True and rsp["imp_uid"].startswith("imp_")
    assert (rsp["pg_provider"], rsp["pg_id"], rsp["paid_amount"]) == (code, mid, 29000)
    assert wait_verification(shop).startswith("검증 완료 · verified")
    payment = rest.get("/payments/" + rsp["imp_uid"]).json()["response"]
    assert payment["status"] == "paid" and payment["amount"] == rsp["paid_amount"]
    assert shop.query_selector("iframe.iamport-frame") is None
    assert callbacks(shop) == shop.base + 1


def test_unknown_pg_falls_back_to_default_with_a_console_warning(shop):
    start_payment(shop, "nice.MID-z")
    frame = payment_window(shop)
    assert window_shows(frame) == ("html5_inicis", "MID-a")
    warnings = shop.logged("warning", "nice.MID-z")
    assert warnings and "html5_inicis.MID-a" in warnings[0]
    frame.click("[data-testid=approve]")
    wait_own_result(shop)
    assert last_rsp(shop)["pg_id"] == "MID-a"


def test_decline_gives_the_chosen_code(shop, rest):
    start_payment(shop, "kakaopay")
    frame = payment_window(shop)
    frame.click("[data-testid=decline-open]")
    frame.select_option("[data-testid=decline-code]", "LIMIT_EXCEEDED")
    frame.fill("[data-testid=decline-msg]", "한도 초과 <b>test</b>")
    frame.click("[data-testid=decline]")
    wait_own_result(shop)
    rsp = last_rsp(shop)
    assert rsp["success"] is False and rsp["error_code"] == "LIMIT_EXCEEDED"
    assert rsp["error_msg"] == "한도 초과 <b>test</b>"
    assert rest.get("/payments/" + rsp["imp_uid"]).json()["response"]["status"] == "failed"


@pytest.mark.parametrize("how", ["cancel-button", "overlay-close", "escape"])
def test_cancel_close_and_escape_end_with_F0005_once(shop, how):
    start_payment(shop, "kakaopay")
    frame = payment_window(shop)
    if how == "cancel-button":
        frame.click("[data-testid=cancel]")
    elif how == "overlay-close":
        shop.click(".iamport-close")
    else:
        shop.keyboard.press("Escape")
    wait_own_result(shop)
    assert last_rsp(shop)["error_code"] == "F0005"
    assert shop.query_selector(".iamport-overlay") is None
    # Ended once: the SDK takes the next request (it refuses one while one is open) and
    # opens its window, after a round trip to the sandbox and the window's own load, with
    # still one callback: a late second end of the first request had its chance.
    start_payment(shop, "kakaopay")
    payment_window(shop).click("[data-testid=cancel]")
    wait_own_result(shop, 2)
    assert callbacks(shop) == shop.base + 2 and last_rsp(shop)["error_code"] == "F0005"


def test_merchant_without_settings_gets_F1001_and_no_window(
    page, interpreter, merchant_origin, service
):
    assert (
        open_shop(page, merchant_origin, service, interpreter, user_code=EMPTY_MERCHANT) == "ready"
    )
    start_payment(page, "kakaopay")
    wait_result(page)
    assert last_rsp(page)["error_code"] == "F1001"
    assert page.query_selector("iframe.iamport-frame") is None


def test_settings_endpoint_down_gives_NOT_READY_and_the_page_stays_usable(
    page, interpreter, merchant_origin
):
    assert open_shop(page, merchant_origin, "http://127.0.0.1:9", interpreter) == "failed"
    start_payment(page, "kakaopay")
    wait_result(page)
    assert last_rsp(page)["error_code"] == "NOT_READY"
    page.fill("[data-testid=buyer_name]", "still typing")
    start_payment(page, "kakaopay")
    wait_result(page, callbacks=2)
    assert last_rsp(page)["error_code"] == "NOT_READY"


# Runs in every frame before its own scripts: the window frame keeps the request the SDK
# posted to it, so the test knows the request id (which no URL carries any more).
KEEP_REQUEST = """window.addEventListener("message", (event) => {
    try {
        const message = JSON.parse(event.data);
        if (message.from === "iamport-sdk" && !window.__iamportRequest) {
            window.__iamportRequest = message;
        }
    } catch (error) {}
});"""


def test_foreign_messages_are_ignored_and_the_payment_completes(
    page, interpreter, merchant_origin, service
):
    page.add_init_script(KEEP_REQUEST)
    open_shop(page, merchant_origin, service, interpreter)
    start_payment(page, "kakaopay")
    frame = payment_window(page)
    request_id = frame.evaluate("window.__iamportRequest.data.request_id")
    assert request_id.startswith("req_")
    forged = json.dumps(
        {
            "action": "done",
            "data": {"request_id": request_id, "success": True, "imp_uid": "imp_forged"},
        }
    )
    # Another origin (the merchant page itself) posting a perfect "done".
    page.evaluate("m => window.postMessage(m, '*')", forged)
    # The service's own frame posting what is not a valid answer.
    for bad in [
        "not json",
        json.dumps({"foo": 1}),
        json.dumps(["done"]),
        json.dumps({"action": "done", "data": {"request_id": "req_wrong"}}),
        json.dumps({"action": "done", "data": "x"}),
    ]:
        frame.evaluate("m => parent.postMessage(m, '*')", bad)
    frame.evaluate("() => parent.postMessage({action: 'done', data: {}}, '*')")
    # The SDK's listener was added before this one: once this one has the frame's last
    # message, the SDK has had every message above (one task each, in order).
    page.evaluate("""() => addEventListener("message", (event) => {
        if (event.data === "probe-last") document.body.dataset.probe = "seen";
    })""")
    frame.evaluate("() => parent.postMessage('probe-last', '*')")
    page.wait_for_selector("body[data-probe=seen]", state="attached", timeout=TIMEOUT)
    assert callbacks(page) == 0 and page.query_selector("iframe.iamport-frame") is not None
    frame.click("[data-testid=approve]")
    wait_result(page)
    rsp = last_rsp(page)
    assert rsp["success"] is True and rsp["imp_uid"] != "imp_forged"


def test_vbank_issues_a_virtual_account(shop, rest):
    start_payment(shop, "", pay_method="vbank")
    frame = payment_window(shop)
    assert "virtual account" in _extra_note(frame)
    frame.click("[data-testid=approve]")
    wait_own_result(shop)
    rsp = last_rsp(shop)
    assert rsp["success"] is True and rsp["status"] == "ready"
    assert rsp["vbank_num"] and rsp["vbank_name"] and rsp["vbank_date"] > 0
    assert (
        rest.get("/payments/" + rsp["imp_uid"]).json()["response"]["vbank_num"] == rsp["vbank_num"]
    )


def test_billing_key_issuance_then_charge_again(shop, rest):
    start_payment(shop, "html5_inicis.MID-b", billing=True)
    frame = payment_window(shop)
    assert "billing key" in _extra_note(frame)
    frame.click("[data-testid=approve]")
    wait_own_result(shop)
    rsp = last_rsp(shop)
    assert rsp["success"] is True and rsp["customer_uid"].startswith("cust_")
    again = rest.post(
        "/subscribe/payments/again",
        json={
            "customer_uid": rsp["customer_uid"],
            "merchant_uid": rsp["merchant_uid"] + "-m2",
            "amount": 29000,
            "name": "Month 2",
        },
    ).json()["response"]
    assert again["status"] == "paid" and again["pg_id"] == "MID-b"


# -- the overlay is a modal dialog (issue 15) -------------------------------------------------

IN_OVERLAY = "!!(document.activeElement && document.activeElement.closest('.iamport-overlay'))"
FOCUSED = (
    "document.activeElement ? (document.activeElement.dataset.testid || "
    "document.activeElement.className || document.activeElement.tagName) : null"
)


def _press_within_overlay(page, key, times):
    """Press ``key`` ``times`` times; every stop must be inside the overlay (the frame or
    its own controls). Returns the stops, as FOCUSED names them."""
    stops = []
    for _ in range(times):
        page.keyboard.press(key)
        # Focus moving into the (cross-origin, out-of-process) frame passes through the
        # body for a moment: wait for it to land, then it must be in the overlay.
        try:
            page.wait_for_function(IN_OVERLAY, timeout=3000)
        except Exception:
            raise AssertionError(
                "{} left the overlay for {} (after {})".format(key, page.evaluate(FOCUSED), stops)
            ) from None
        stops.append(page.evaluate(FOCUSED))
    return stops


@pytest.mark.parametrize("how", ["close-by-keyboard", "approve"])
def test_the_overlay_traps_focus_and_returns_it_to_the_pay_button(
    page, merchant_origin, service, how
):
    open_shop(page, merchant_origin, service, "micropython")
    page.click("[data-testid=route-kakaopay]")
    page.focus("[data-testid=pay]")
    page.keyboard.press("Enter")
    frame = payment_window(page)
    assert page.evaluate(FOCUSED) == "iamport-close"
    assert page.evaluate("document.querySelector('main.shop').inert") is True
    # Tab walks the close button, the window's controls and comes round to the close
    # button again: never into the shop behind the overlay.
    forward = _press_within_overlay(page, "Tab", 25)
    assert "iamport-frame" in forward and "iamport-close" in forward
    backward = _press_within_overlay(page, "Shift+Tab", 6)
    assert "iamport-frame" in backward and "iamport-close" in backward
    if how == "approve":
        frame.click("[data-testid=approve]")
    else:
        while page.evaluate(FOCUSED) != "iamport-close":
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    wait_result(page)
    assert last_rsp(page)["success"] is (how == "approve")
    assert page.query_selector(".iamport-overlay") is None
    page.wait_for_function(
        "document.activeElement && document.activeElement.dataset.testid === 'pay'", timeout=10000
    )
    assert page.evaluate("document.querySelector('main.shop').inert") is False


# -- failure messages that name their cause (issue 15) -------------------------------------


def test_a_wrong_user_code_is_named_with_the_service(page, merchant_origin, service):
    assert (
        open_shop(page, merchant_origin, service, "micropython", user_code="imp99999999")
        == "failed"
    )
    badge = page.inner_text("[data-testid=runtime]")
    assert "imp99999999" in badge and service in badge and "ready" not in badge
    warnings = page.logged("warning", "imp99999999")
    assert warnings and service in warnings[0] and "unknown user code" in warnings[0]
    start_payment(page, "kakaopay")
    wait_result(page)
    rsp = last_rsp(page)
    assert rsp["error_code"] == "NOT_READY"
    assert "imp99999999" in rsp["error_msg"] and service in rsp["error_msg"]


def test_with_the_sandbox_down_the_shop_reports_NOT_READY_and_the_badge_follows(
    page, merchant_origin, service
):
    assert open_shop(page, merchant_origin, service, "micropython") == "ready"
    assert "ready" in page.inner_text("[data-testid=runtime]")
    # The sandbox goes away: every request to it (the shop's server and the service) fails
    # as a stopped server's would, with a network error.
    page.context.route("**/*", lambda route: route.abort("connectionrefused"))
    start_payment(page, "kakaopay")
    wait_result(page)
    rsp = last_rsp(page)
    assert rsp["error_code"] == "NOT_READY", rsp
    assert "imp10000001" in rsp["error_msg"] and service in rsp["error_msg"]
    verdict = page.inner_text("[data-testid=verdict]")
    assert verdict.startswith("결제 실패 · Payment failed: NOT_READY") and "ORDER" not in verdict
    assert page.get_attribute("body", "data-imp-state") == "failed"
    assert "ready" not in page.inner_text("[data-testid=runtime]")
    assert page.is_enabled("[data-testid=pay]")
    assert callbacks(page) == 1
