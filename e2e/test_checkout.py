"""The demo checkout, end to end on Pyodide and MicroPython: the seed's routing, every outcome
of a payment window, and the REST API agreeing with what the callback saw."""

import json

import pytest

from e2e.checkout import (
    callbacks,
    open_shop,
    payment_window,
    start_payment,
    wait_result,
    wait_verification,
    window_shows,
)
from e2e.conftest import EMPTY_MERCHANT, last_rsp


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
def test_seed_routing_approve_and_verify(page, interpreter, merchant_origin, service, rest,
                                         pg, code, mid):
    assert open_shop(page, merchant_origin, service, interpreter) == "ready"
    start_payment(page, pg)
    frame = payment_window(page)
    assert window_shows(frame) == (code, mid)
    assert frame.inner_text("[data-testid=order-amount]") == "29000"
    frame.click("[data-testid=approve]")
    wait_result(page)
    rsp = last_rsp(page)
    assert rsp["success"] is True and rsp["imp_uid"].startswith("imp_")
    assert (rsp["pg_provider"], rsp["pg_id"], rsp["paid_amount"]) == (code, mid, 29000)
    assert wait_verification(page).startswith("검증 완료 · verified")
    payment = rest.get("/payments/" + rsp["imp_uid"]).json()["response"]
    assert payment["status"] == "paid" and payment["amount"] == rsp["paid_amount"]
    assert page.query_selector("iframe.iamport-frame") is None
    assert callbacks(page) == 1


def test_unknown_pg_falls_back_to_default_with_a_console_warning(page, interpreter,
                                                                merchant_origin, service):
    open_shop(page, merchant_origin, service, interpreter)
    start_payment(page, "nice.MID-z")
    frame = payment_window(page)
    assert window_shows(frame) == ("html5_inicis", "MID-a")
    warnings = page.logged("warning", "nice.MID-z")
    assert warnings and "html5_inicis.MID-a" in warnings[0]
    frame.click("[data-testid=approve]")
    wait_result(page)
    assert last_rsp(page)["pg_id"] == "MID-a"


def test_decline_gives_the_chosen_code(page, interpreter, merchant_origin, service, rest):
    open_shop(page, merchant_origin, service, interpreter)
    start_payment(page, "kakaopay")
    frame = payment_window(page)
    frame.click("[data-testid=decline-open]")
    frame.select_option("[data-testid=decline-code]", "LIMIT_EXCEEDED")
    frame.fill("[data-testid=decline-msg]", "한도 초과 <b>test</b>")
    frame.click("[data-testid=decline]")
    wait_result(page)
    rsp = last_rsp(page)
    assert rsp["success"] is False and rsp["error_code"] == "LIMIT_EXCEEDED"
    assert rsp["error_msg"] == "한도 초과 <b>test</b>"
    assert rest.get("/payments/" + rsp["imp_uid"]).json()["response"]["status"] == "failed"


@pytest.mark.parametrize("how", ["cancel-button", "overlay-close", "escape"])
def test_cancel_close_and_escape_end_with_F0005_once(page, interpreter, merchant_origin, service,
                                                     how):
    open_shop(page, merchant_origin, service, interpreter)
    start_payment(page, "kakaopay")
    frame = payment_window(page)
    if how == "cancel-button":
        frame.click("[data-testid=cancel]")
    elif how == "overlay-close":
        page.click(".iamport-close")
    else:
        page.keyboard.press("Escape")
    wait_result(page)
    assert last_rsp(page)["error_code"] == "F0005"
    page.wait_for_timeout(700)
    assert callbacks(page) == 1
    assert page.query_selector(".iamport-overlay") is None


def test_merchant_without_settings_gets_F1001_and_no_window(page, interpreter, merchant_origin,
                                                            service):
    assert open_shop(page, merchant_origin, service, interpreter,
                     user_code=EMPTY_MERCHANT) == "ready"
    start_payment(page, "kakaopay")
    wait_result(page)
    assert last_rsp(page)["error_code"] == "F1001"
    assert page.query_selector("iframe.iamport-frame") is None


def test_settings_endpoint_down_gives_NOT_READY_and_the_page_stays_usable(
        page, interpreter, merchant_origin):
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


def test_foreign_messages_are_ignored_and_the_payment_completes(page, interpreter,
                                                                merchant_origin, service):
    page.add_init_script(KEEP_REQUEST)
    open_shop(page, merchant_origin, service, interpreter)
    start_payment(page, "kakaopay")
    frame = payment_window(page)
    request_id = frame.evaluate("window.__iamportRequest.data.request_id")
    assert request_id.startswith("req_")
    forged = json.dumps({"action": "done", "data": {"request_id": request_id, "success": True,
                                                    "imp_uid": "imp_forged"}})
    # Another origin (the merchant page itself) posting a perfect "done".
    page.evaluate("m => window.postMessage(m, '*')", forged)
    # The service's own frame posting what is not a valid answer.
    for bad in ["not json", json.dumps({"foo": 1}), json.dumps(["done"]),
                json.dumps({"action": "done", "data": {"request_id": "req_wrong"}}),
                json.dumps({"action": "done", "data": "x"})]:
        frame.evaluate("m => parent.postMessage(m, '*')", bad)
    frame.evaluate("() => parent.postMessage({action: 'done', data: {}}, '*')")
    page.wait_for_timeout(500)
    assert callbacks(page) == 0 and page.query_selector("iframe.iamport-frame") is not None
    frame.click("[data-testid=approve]")
    wait_result(page)
    rsp = last_rsp(page)
    assert rsp["success"] is True and rsp["imp_uid"] != "imp_forged"


def test_vbank_issues_a_virtual_account(page, interpreter, merchant_origin, service, rest):
    open_shop(page, merchant_origin, service, interpreter)
    start_payment(page, "", pay_method="vbank")
    frame = payment_window(page)
    assert "virtual account" in _extra_note(frame)
    frame.click("[data-testid=approve]")
    wait_result(page)
    rsp = last_rsp(page)
    assert rsp["success"] is True and rsp["status"] == "ready"
    assert rsp["vbank_num"] and rsp["vbank_name"] and rsp["vbank_date"] > 0
    assert rest.get("/payments/" + rsp["imp_uid"]).json()["response"]["vbank_num"] == \
        rsp["vbank_num"]


def test_billing_key_issuance_then_charge_again(page, interpreter, merchant_origin, service,
                                                rest):
    open_shop(page, merchant_origin, service, interpreter)
    start_payment(page, "html5_inicis.MID-b", billing=True)
    frame = payment_window(page)
    assert "billing key" in _extra_note(frame)
    frame.click("[data-testid=approve]")
    wait_result(page)
    rsp = last_rsp(page)
    assert rsp["success"] is True and rsp["customer_uid"].startswith("cust_")
    again = rest.post("/subscribe/payments/again", json={
        "customer_uid": rsp["customer_uid"], "merchant_uid": rsp["merchant_uid"] + "-m2",
        "amount": 29000, "name": "Month 2"}).json()["response"]
    assert again["status"] == "paid" and again["pg_id"] == "MID-b"


# -- the overlay is a modal dialog (issue 15) -------------------------------------------------

IN_OVERLAY = "!!(document.activeElement && document.activeElement.closest('.iamport-overlay'))"
FOCUSED = "document.activeElement ? (document.activeElement.dataset.testid || " \
          "document.activeElement.className || document.activeElement.tagName) : null"


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
            raise AssertionError("{} left the overlay for {} (after {})".format(
                key, page.evaluate(FOCUSED), stops)) from None
        stops.append(page.evaluate(FOCUSED))
    return stops


@pytest.mark.parametrize("how", ["close-by-keyboard", "approve"])
def test_the_overlay_traps_focus_and_returns_it_to_the_pay_button(page, merchant_origin,
                                                                  service, how):
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
    page.wait_for_function("document.activeElement && "
                           "document.activeElement.dataset.testid === 'pay'", timeout=10000)
    assert page.evaluate("document.querySelector('main.shop').inert") is False


# -- failure messages that name their cause (issue 15) -------------------------------------

def test_a_wrong_user_code_is_named_with_the_service(page, merchant_origin, service):
    assert open_shop(page, merchant_origin, service, "micropython",
                     user_code="imp99999999") == "failed"
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
        page, merchant_origin, service):
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
