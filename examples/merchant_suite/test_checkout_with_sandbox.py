"""A merchant's checkout tested against the Iamport sandbox — copy this file into your suite.

Needs: pip install 'iamport-py[sandbox]' pytest playwright   (the plugin loads by itself)
Runs:  pytest test_checkout_with_sandbox.py

Your checkout page stands here as CHECKOUT (served by a tiny server on another origin, as
your shop would be): it loads imp.js from the sandbox and pays with IMP.request_pay. Point
your own page at ``iamport_sandbox.url`` and ``iamport_sandbox.user_code`` instead.
"""

import functools
import http.server
import json
import shutil
import threading
import uuid

import pytest
from playwright.sync_api import sync_playwright

from iamport_sandbox.testkit import approve, decline, offline_proxy

CHECKOUT = """<!doctype html><html><head><meta charset="utf-8">
<script src="{service}/web/imp.js" data-user-code="{user_code}"></script></head>
<body><button id="pay">Pay</button><script>
  const order = new URLSearchParams(location.search);
  document.getElementById("pay").onclick = () => IMP.request_pay({{
    pg: order.get("pg") || "", pay_method: order.get("method") || "card",
    vbank_due: "20991231", merchant_uid: order.get("order"), amount: 15000,
    name: "Coffee beans", buyer_email: "buyer@example.com",
  }}, (rsp) => {{ document.body.dataset.rsp = JSON.stringify(rsp); }});
</script></body></html>"""


@pytest.fixture
def page():
    """A headless Chromium page (pytest-playwright's ``page`` fixture does the same)."""
    with sync_playwright() as playwright:
        # The system's Chromium when there is one, else Playwright's own browser.
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--no-sandbox"]
        )
        # Nothing but loopback: every other host goes to a proxy that is not there.
        yield browser.new_context(proxy=offline_proxy()).new_page()
        browser.close()


@pytest.fixture
def shop(iamport_sandbox, tmp_path):
    """The merchant's site on its own origin (localhost, another port than the sandbox)."""
    (tmp_path / "checkout.html").write_text(
        CHECKOUT.format(service=iamport_sandbox.url, user_code=iamport_sandbox.user_code),
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=tmp_path)
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("localhost", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield "http://localhost:{}/checkout.html".format(server.server_address[1])
    server.shutdown()


def pay(page, shop, order, **query):
    """Open the checkout for ``order``, press Pay; returns a function that waits for the rsp."""
    page.goto(
        "{}?{}".format(
            shop,
            "&".join(
                ["order=" + order] + ["{}={}".format(key, value) for key, value in query.items()]
            ),
        )
    )
    page.click("#pay")
    return lambda: json.loads(
        page.wait_for_selector("body[data-rsp]", timeout=30000).get_attribute("data-rsp")
    )


def new_order():
    return "order-" + uuid.uuid4().hex[:12]


def test_paid_when_the_shopper_approves(iamport_sandbox, page, shop):
    order = new_order()
    rsp = pay(page, shop, order)
    approve(page)  # clicks Approve in the payment window
    assert rsp()["success"] is True
    # What your server does next: read the payment back with the REST API and compare.
    payment = iamport_sandbox.payment(rsp()["imp_uid"])
    assert (payment["status"], payment["amount"], payment["merchant_uid"]) == ("paid", 15000, order)


def test_decline_shows_the_pg_code(page, shop):
    rsp = pay(page, shop, new_order())
    decline(page, "LIMIT_EXCEEDED", "한도 초과")
    assert (rsp()["success"], rsp()["error_code"]) == (False, "LIMIT_EXCEEDED")


def test_preset_outcome_needs_no_clicks(iamport_sandbox, page, shop):
    order = new_order()
    iamport_sandbox.preset(order, "decline", code="CARD_EXPIRED", msg="expired", delay=0.2)
    rsp = pay(page, shop, order)
    assert (rsp()["error_code"], rsp()["error_msg"]) == ("CARD_EXPIRED", "expired")


@pytest.mark.iamport_settings([{"pg_provider": "kakaopay", "pg_id": "MID-c"}])
def test_cancel_preset_on_another_pg(iamport_sandbox, page, shop):
    order = new_order()
    iamport_sandbox.preset(order, "cancel")
    rsp = pay(page, shop, order, pg="kakaopay")
    assert (rsp()["error_code"], rsp()["pg_provider"]) == ("F0005", "kakaopay")


def test_virtual_account_paid_on_deposit(iamport_sandbox, page, shop):
    order = new_order()
    iamport_sandbox.preset(order, "approve")  # issues the virtual account
    rsp = pay(page, shop, order, method="vbank")
    assert (rsp()["status"], bool(rsp()["vbank_num"])) == ("ready", True)
    assert iamport_sandbox.find(order)["status"] == "ready"
    paid = iamport_sandbox.deposit(rsp()["imp_uid"])  # the shopper's bank transfer arrives
    assert paid["status"] == "paid"
