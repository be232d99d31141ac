"""Mobile redirect mode, and PGs whose window is a popup."""

import pytest

from e2e.checkout import (
    TIMEOUT,
    callbacks,
    open_shop,
    start_payment,
    wait_result,
    wait_verification,
    wait_window_ready,
)
from e2e.conftest import POPUP_MERCHANT, last_rsp

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")


@pytest.fixture
def mobile_page(browser):
    from e2e.conftest import Page, assert_local_only

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, user_agent=IPHONE)
    page = Page(context.new_page())
    yield page
    assert_local_only(page)
    context.close()


def test_mobile_redirects_to_the_window_and_back_to_m_redirect_url(
        mobile_page, interpreter, merchant_origin, service, rest):
    page = mobile_page
    open_shop(page, merchant_origin, service, interpreter)
    start_payment(page, "html5_inicis.MID-b")
    page.wait_for_url("**/payments/ready/imp10000001/html5_inicis/MID-b?**", timeout=TIMEOUT)
    wait_window_ready(page)
    assert page.inner_text("[data-testid=pg-mid]") == "MID-b"
    page.click("[data-testid=approve]")
    page.wait_for_url("**/?landing=1**imp_success=true**", timeout=TIMEOUT)
    assert page.url.startswith(merchant_origin)
    wait_result(page)
    rsp = last_rsp(page)
    assert rsp["success"] is True and rsp["imp_uid"].startswith("imp_")
    assert rsp["merchant_uid"].startswith("demo_") and rsp["error_code"] is None
    assert wait_verification(page).startswith("검증 완료 · verified")
    assert rest.get("/payments/" + rsp["imp_uid"]).json()["response"]["pg_id"] == "MID-b"


def test_mobile_cancel_lands_with_the_failure(mobile_page, interpreter, merchant_origin,
                                              service):
    page = mobile_page
    open_shop(page, merchant_origin, service, interpreter)
    start_payment(page, "kakaopay")
    wait_window_ready(page)
    page.click("[data-testid=cancel]")
    page.wait_for_url("**imp_success=false**", timeout=TIMEOUT)
    wait_result(page)
    rsp = last_rsp(page)
    assert rsp["success"] is False and rsp["error_code"] == "F0005"


def _popup_payment(page, context, merchant_origin, service, interpreter):
    open_shop(page, merchant_origin, service, interpreter, user_code=POPUP_MERCHANT)
    with context.expect_page(timeout=TIMEOUT) as opened:
        start_payment(page, "eximbay")
    popup = opened.value
    wait_window_ready(popup)
    return popup


def test_popup_pg_pays_in_a_popup(page, context, interpreter, merchant_origin, service):
    popup = _popup_payment(page, context, merchant_origin, service, interpreter)
    assert popup.inner_text("[data-testid=pg-provider]") == "eximbay"
    assert popup.inner_text("[data-testid=order-currency]") == "USD"
    popup.click("[data-testid=approve]")
    wait_result(page)
    rsp = last_rsp(page)
    assert rsp["success"] is True and rsp["currency"] == "USD"
    if not popup.is_closed():
        popup.wait_for_event("close", timeout=TIMEOUT)
    assert popup.is_closed()


def test_closing_the_popup_is_F0005_once(page, context, interpreter, merchant_origin, service):
    popup = _popup_payment(page, context, merchant_origin, service, interpreter)
    popup.close()
    wait_result(page)
    assert last_rsp(page)["error_code"] == "F0005"
    # Ended once: the SDK takes the next request (it refuses one while one is open) and
    # its popup opens and gets ready, still with one callback.
    with context.expect_page(timeout=TIMEOUT) as opened:
        start_payment(page, "eximbay")
    wait_window_ready(opened.value)
    assert callbacks(page) == 1, last_rsp(page)
