"""The console's merchant flows of issue 15 clicked through in Chromium: find a payment,
refund part of it, simulate a virtual-account deposit, a refused webhook URL answered in its
form, resend, and the API keys page."""

import httpx

from e2e.checkout import TIMEOUT
from e2e.test_console_a11y import _login, _open
from iamport_sandbox.demo import DEMO


def test_find_refund_and_deposit_from_the_detail_page(page, service):
    paid = _open(service, "flow-card-order", amount=5000)
    vbank = _open(service, "flow-vbank-order", pay_method="vbank", vbank_due="20991231")
    _login(page, service)
    page.goto(service + "/console/payments")
    page.fill("[data-testid=q]", "flow-card-order")
    page.click("[data-testid=apply]")
    page.wait_for_selector(
        "[data-testid=payment-row][data-imp-uid={}]".format(paid), timeout=TIMEOUT
    )
    assert len(page.query_selector_all("[data-testid=payment-row]")) == 1
    page.click("[data-testid=open-{}]".format(paid))
    page.wait_for_selector("[data-testid=refund]", timeout=TIMEOUT)
    page.fill("[data-testid=refund-amount]", "1200")
    page.fill("[data-testid=refund-reason]", "부분 환불 · one item back")
    page.click("[data-testid=refund]")
    page.wait_for_selector("[data-testid=notice]", timeout=TIMEOUT)
    assert "refunded 1,200" in page.inner_text("main")
    with httpx.Client(base_url=service + "/api", timeout=10) as rest:
        token = rest.post(
            "/users/getToken", json={"imp_key": DEMO["imp_key"], "imp_secret": DEMO["imp_secret"]}
        )
        headers = {"Authorization": token.json()["response"]["access_token"]}
        record = rest.get("/payments/" + paid, headers=headers).json()["response"]
        assert record["cancel_amount"] == 1200 and record["status"] == "paid"

        page.goto(service + "/console/payments?status=vbank")
        page.click("[data-testid=open-{}]".format(vbank))
        page.click("[data-testid=deposit]")
        page.wait_for_selector("[data-testid=notice]", timeout=TIMEOUT)
        assert page.get_attribute("[data-testid=status]", "class").endswith("status-paid")
        record = rest.get("/payments/" + vbank, headers=headers).json()["response"]
        assert record["status"] == "paid" and record["paid_at"]


def test_refused_webhook_url_is_answered_in_the_form_and_resend_queues_again(page, service):
    paid = _open(service, "flow-hook-order")
    _login(page, service)
    page.goto(service + "/console/webhooks")
    page.fill("[data-testid=webhook_url]", "javascript:alert(1)")
    page.click("[data-testid=save-webhook]")
    page.wait_for_selector("[data-testid=error]", timeout=TIMEOUT)
    assert page.input_value("[data-testid=webhook_url]") == "javascript:alert(1)"
    page.goto(service + "/console/payments/" + paid)
    before = len(page.query_selector_all("[data-testid=payment-webhooks] li"))
    assert before >= 1
    page.click("[data-testid=payment-webhooks] button")
    page.wait_for_selector("[data-testid=notice]", timeout=TIMEOUT)
    assert len(page.query_selector_all("[data-testid=payment-webhooks] li")) == before + 1


def test_keys_page_shows_the_key_and_never_the_secret(page, service):
    _login(page, service)
    page.goto(service + "/console/keys")
    assert page.inner_text("[data-testid=imp-key]") == DEMO["imp_key"]
    assert DEMO["imp_secret"] not in page.content()
