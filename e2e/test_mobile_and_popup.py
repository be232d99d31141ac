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
from e2e.conftest import INTERPRETERS, POPUP_MERCHANT, Page, assert_local_only, last_rsp

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def mobile_page(browser):
    from e2e.conftest import Page, assert_local_only

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, user_agent=IPHONE
    )
    page = Page(context.new_page())
    yield page
    assert_local_only(page)
    context.close()


def test_mobile_redirects_to_the_window_and_back_to_m_redirect_url(
    mobile_page, interpreter, merchant_origin, service, rest
):
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


def test_mobile_cancel_lands_with_the_failure(mobile_page, interpreter, merchant_origin, service):
    page = mobile_page
    open_shop(page, merchant_origin, service, interpreter)
    start_payment(page, "kakaopay")
    wait_window_ready(page)
    page.click("[data-testid=cancel]")
    page.wait_for_url("**imp_success=false**", timeout=TIMEOUT)
    wait_result(page)
    rsp = last_rsp(page)
    assert rsp["success"] is False and rsp["error_code"] == "F0005"


@pytest.fixture(scope="module", params=INTERPRETERS)
def popup_shop(request, browser, merchant_origin, service):
    """One ready shop of the popup PG's merchant per interpreter; each test starts with no
    popup open and counts its callbacks from where it starts (``base``)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = Page(context.new_page())
    assert (
        open_shop(page, merchant_origin, service, request.param, user_code=POPUP_MERCHANT)
        == "ready"
    )
    yield page
    assert_local_only(page)
    context.close()


@pytest.fixture
def popup_page(popup_shop):
    if len(popup_shop.context.pages) > 1:  # a popup left open by a failed test
        popup_shop.reload()
    popup_shop.wait_for_selector(
        "body[data-imp-state=ready] [data-testid=pay]:enabled", timeout=TIMEOUT
    )
    popup_shop.base = callbacks(popup_shop)
    return popup_shop


def _popup_payment(page):
    with page.context.expect_page(timeout=TIMEOUT) as opened:
        start_payment(page, "eximbay")
    popup = opened.value
    wait_window_ready(popup)
    return popup


def test_popup_pg_pays_in_a_popup(popup_page):
    page = popup_page
    popup = _popup_payment(page)
    assert popup.inner_text("[data-testid=pg-provider]") == "eximbay"
    assert popup.inner_text("[data-testid=order-currency]") == "USD"
    popup.click("[data-testid=approve]")
    wait_result(page, page.base + 1)
    rsp = last_rsp(page)
    assert rsp["success"] is True and rsp["currency"] == "USD"
    if not popup.is_closed():
        popup.wait_for_event("close", timeout=TIMEOUT)
    assert popup.is_closed()


def test_closing_the_popup_is_F0005_once(popup_page):
    page = popup_page
    _popup_payment(page).close()
    wait_result(page, page.base + 1)
    assert last_rsp(page)["error_code"] == "F0005"
    # Ended once: the SDK takes the next request (it refuses one while one is open) and
    # its popup opens and gets ready, still with one callback.
    second = _popup_payment(page)
    assert callbacks(page) == page.base + 1, last_rsp(page)
    second.click("[data-testid=cancel]")
    wait_result(page, page.base + 2)
    assert last_rsp(page)["error_code"] == "F0005"
