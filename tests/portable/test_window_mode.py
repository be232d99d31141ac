"""The window-mode policy (iamport_py.window_mode): redirect, popup or iframe."""

from iamport_py.window_mode import window_mode


def test_mobile_with_m_redirect_url_redirects():
    request = {"pg_provider": "kakaopay", "m_redirect_url": "https://shop.test/done"}
    assert window_mode(request, True) == "redirect"


def test_m_redirect_url_on_a_desktop_does_not_redirect():
    request = {"pg_provider": "kakaopay", "m_redirect_url": "https://shop.test/done"}
    assert window_mode(request, False) == "iframe"


def test_mobile_without_m_redirect_url_keeps_the_overlay():
    assert window_mode({"pg_provider": "kakaopay"}, True) == "iframe"


def test_a_popup_pg_of_the_catalog_opens_a_popup():
    for code in ("paypal", "eximbay", "naverpay", "naverco", "paymentwall"):
        assert window_mode({"pg_provider": code}, False) == "popup", code


def test_popup_true_asks_for_a_popup_for_any_pg():
    assert window_mode({"pg_provider": "kakaopay", "popup": True}, False) == "popup"
    assert window_mode({"pg_provider": "kakaopay", "popup": False}, False) == "iframe"


def test_an_unknown_pg_opens_in_the_overlay():
    assert window_mode({"pg_provider": "brand_new_pg"}, False) == "iframe"


def test_mobile_redirect_wins_over_a_popup_pg():
    request = {"pg_provider": "paypal", "m_redirect_url": "https://shop.test/done"}
    assert window_mode(request, True) == "redirect"
