"""Issue 7 point 1: a window takes no action it cannot complete. A second sandbox answers
POST /sandbox/windows/open 1.5 s late; the shopper clicks Approve from first paint on."""

import json

import pytest

from e2e.checkout import (
    TIMEOUT,
    callbacks,
    open_shop,
    start_payment,
    wait_result,
    wait_window_ready,
)
from e2e.conftest import last_rsp
from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO, ensure_demo_merchant
from iamport_sandbox.testkit import route_to_sandbox
from tests.live import start_sandbox

# Every message the merchant page receives (top frame only), in order.
RECORD_MESSAGES = """
if (window.top === window) {
  window.__messages = [];
  window.addEventListener("message", (event) => { window.__messages.push(String(event.data)); });
}
"""


@pytest.fixture(scope="module")
def slow_sandbox(tmp_path_factory):
    config = Config(
        db_path=str(tmp_path_factory.mktemp("slow") / "sandbox.sqlite3"),
        demo_backend=DEMO,
        window_open_delay=1.5,
    )
    server, app = start_sandbox(config)
    ensure_demo_merchant(app.state.store)
    yield server
    server.stop()
    app.state.store.close()


def _answers(page):
    """The window's answers the page got so far ("ready" of today's handshake aside)."""
    messages = [
        json.loads(text) for text in page.evaluate("window.__messages") if text.startswith("{")
    ]
    return [m for m in messages if m.get("action") != "ready"]


def test_approve_clicked_before_the_window_is_ready_is_not_lost(page, slow_sandbox):
    service = slow_sandbox.url
    page.add_init_script(RECORD_MESSAGES)
    open_shop(page, "http://localhost:{}".format(slow_sandbox.port), service, "micropython")
    start_payment(page, "kakaopay")
    frame = page.wait_for_selector("iframe.iamport-frame", timeout=TIMEOUT).content_frame()
    # Shown (loaded ahead by the SDK, or loading): the actions exist but are hidden and
    # disabled until the request is recorded, and a click does nothing.
    frame.wait_for_selector("[data-testid=approve]", state="attached", timeout=TIMEOUT)
    assert frame.is_hidden("[data-testid=approve]") and frame.is_disabled("[data-testid=approve]")
    frame.dispatch_event("[data-testid=approve]", "click")
    # The request is being recorded (1.5 s): still nothing usable, clicks still do nothing.
    frame.wait_for_selector("body[data-window-state=opening]", timeout=TIMEOUT)
    assert frame.is_hidden("[data-testid=approve]") and frame.is_disabled("[data-testid=approve]")
    for _ in range(3):
        frame.dispatch_event("[data-testid=approve]", "click")
    wait_window_ready(frame)
    assert frame.is_hidden("[data-testid=error]")
    assert _answers(page) == [] and callbacks(page) == 0
    frame.click("[data-testid=approve]")
    wait_result(page)
    rsp = last_rsp(page)
    assert rsp["success"] is True and rsp["status"] == "paid" and rsp["pg_id"] == "MID-c"
    answers = _answers(page)
    assert [m["action"] for m in answers] == ["done"]
    assert answers[0]["data"]["imp_uid"] == rsp["imp_uid"]
    assert callbacks(page) == 1


def test_on_iamport_js_a_click_before_ready_posts_nothing(context, slow_sandbox, iamport_like_site):
    """The same on Iamport's protocol: a preloaded frame, the request posted later."""
    store = slow_sandbox.app.state.store
    merchant = store.create_merchant("slowjs", "slowjs-password", "imp30000009")
    store.add_setting(
        merchant["id"],
        {"pg_provider": "kcp", "pg_id": "SLOW-1", "type": "payment", "sandbox": True},
    )
    # The test kit's routing: Iamport's hosts to the sandbox, nothing else leaves.
    route_to_sandbox(context, slow_sandbox.url)
    page = context.new_page()
    page.goto(iamport_like_site + "/checkout.html?user_code=imp30000009")
    page.wait_for_function("() => window.IMP_TEST.framesReady()", timeout=TIMEOUT)
    page.evaluate("() => { window.nextParam = {amount: 500, name: 'Slow'}; }")
    page.click("[data-testid=pay]")
    frame = page.wait_for_selector("iframe.imp-frame.active", timeout=TIMEOUT).content_frame()
    frame.wait_for_selector("body[data-window-state=opening]", timeout=TIMEOUT)
    assert frame.is_hidden("[data-testid=approve]") and frame.is_disabled("[data-testid=approve]")
    for _ in range(3):
        frame.dispatch_event("[data-testid=approve]", "click")
    wait_window_ready(frame)
    # Anything the window had posted would have reloaded every frame (and lost the request).
    assert page.evaluate("window.IMP_TEST.state.received") == []
    frame.click("[data-testid=approve]")
    page.wait_for_selector("body[data-callbacks='1']", timeout=TIMEOUT)
    [rsp] = page.evaluate("window.results")
    assert rsp["success"] is True and rsp["status"] == "paid" and rsp["pg_id"] == "SLOW-1"
    assert page.evaluate("window.IMP_TEST.state.received") == ["done"]
