"""Receipt pages (issue 15): a paid payment's receipt; a failed payment's page says it
failed, with its reason and code (200: the page is a true account of that payment); an
unknown imp_uid is a 404 — an HTML page for a browser, the JSON error for an API client."""

import pytest

from tests.sandbox.inprocess import complete_window, open_window

pytestmark = pytest.mark.anyio
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


async def _window(api, merchant_uid, outcome, **extra):
    request_id = "req_" + merchant_uid
    opened = await open_window(
        api.client,
        {
            "merchant_uid": merchant_uid,
            "amount": 1000,
            "request_id": request_id,
            "buyer_name": "홍길동",
        },
    )
    if outcome is None:
        return opened
    answer = await complete_window(api.client, opened, outcome, request_id=request_id, **extra)
    return answer.json()["response"]


async def test_a_paid_payment_shows_its_receipt(api):
    rsp = await _window(api, "rcpt-paid", "approve")
    page = await api.client.get("/sandbox/receipts/" + rsp["imp_uid"], headers=BROWSER)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'data-testid="receipt"' in page.text and "결제완료 · Paid" in page.text
    assert rsp["apply_num"] in page.text and "홍길동" in page.text


async def test_a_failed_payment_page_says_it_failed_with_reason_and_code(api):
    rsp = await _window(
        api, "rcpt-failed", "decline", error_code="LIMIT_EXCEEDED", error_msg="한도 초과 <b>x</b>"
    )
    page = await api.client.get("/sandbox/receipts/" + rsp["imp_uid"], headers=BROWSER)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'data-testid="receipt-failed"' in page.text
    assert "결제 실패 · Payment failed" in page.text and "결제실패 · Failed" in page.text
    assert 'data-testid="error-code">LIMIT_EXCEEDED<' in page.text
    assert "한도 초과 &lt;b&gt;x&lt;/b&gt;" in page.text  # escaped, never markup
    assert 'data-testid="receipt"' not in page.text


async def test_an_open_window_has_no_receipt_yet(api):
    opened = await _window(api, "rcpt-open", None)
    page = await api.client.get("/sandbox/receipts/" + opened["imp_uid"], headers=BROWSER)
    assert page.status_code == 200 and 'data-testid="receipt-window"' in page.text
    assert "결제창 열림/이탈 · Window open / abandoned" in page.text


async def test_an_unknown_receipt_is_an_html_404_for_a_browser(api):
    page = await api.client.get("/sandbox/receipts/imp_000000000000", headers=BROWSER)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert 'data-testid="receipt-missing"' in page.text and "imp_000000000000" in page.text
    long = await api.client.get("/sandbox/receipts/" + "x" * 500, headers=BROWSER)
    assert long.status_code == 404


async def test_an_unknown_receipt_is_a_json_404_for_an_api_client(api):
    answer = await api.client.get(
        "/sandbox/receipts/imp_000000000000", headers={"Accept": "application/json"}
    )
    assert answer.status_code == 404 and answer.json()["message"] == "no such receipt"
