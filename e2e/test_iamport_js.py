"""A merchant page on (a stand-in for) Iamport's own iamport.js 1.2.x against the sandbox,
with https://service.iamport.kr routed to it the way a merchant's Playwright test does, by the
test kit's route_to_sandbox (issue 10 §1, issue 22, docs/protocol.md). The stand-in,
e2e/iamport_like/iamport.js, reads the settings by JSONP, preloads a frame per setting without
request ids, and reloads every frame on any message it does not intercept: so a window that
posts anything but its answer shows up here as extra settings fetches."""

import pytest

from e2e.checkout import TIMEOUT, wait_window_ready
from e2e.conftest import LOCAL_PREFIXES, SERVICE, Page
from iamport_sandbox.testkit import offline_proxy, route_to_sandbox

USER_CODE = "imp30000001"
AGENCY = "imp30000002"
TIER = "AG-1"
SETTINGS = [
    (USER_CODE, {"pg_provider": "html5_inicis", "pg_id": "JS-A", "type": "payment"}),
    (USER_CODE, {"pg_provider": "html5_inicis", "pg_id": "JS-B", "type": "payment"}),
    (USER_CODE, {"pg_provider": "kakaopay", "pg_id": None, "type": "payment"}),
    (USER_CODE, {"pg_provider": "eximbay", "pg_id": "JS-EXI", "type": "payment"}),
    (USER_CODE, {"pg_provider": "danal", "pg_id": "JS-D", "type": "certification"}),
    (AGENCY, {"pg_provider": "html5_inicis", "pg_id": "AG-OWN", "type": "payment"}),
    (AGENCY, {"pg_provider": "kcp", "pg_id": "AG-KCP", "type": "payment", "tier_code": TIER}),
    (AGENCY, {"pg_provider": "nice", "pg_id": "AG-NICE", "type": "payment", "tier_code": TIER}),
]


@pytest.fixture(scope="module")
def merchants(sandbox):
    """This module's own merchants in the session's sandbox."""
    store = sandbox.app.state.store
    created = {
        code: store.create_merchant(code, code + "-password", code) for code in (USER_CODE, AGENCY)
    }
    for code, values in SETTINGS:
        store.add_setting(created[code]["id"], dict(values, sandbox=True))
    return store


@pytest.fixture
def context(browser):
    """A context made as the test kit says (``proxy=offline_proxy()``): it connects nowhere
    but loopback."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, proxy=offline_proxy())
    yield context
    context.unroute_all(behavior="ignoreErrors")
    context.close()


@pytest.fixture
def routed(context, sandbox, merchants):
    """The test kit's routing (the README's recipe in one call)."""
    return route_to_sandbox(context, sandbox.url)


def settings_fetches(page):
    """The settings fetches the sandbox answered, as paths (``/users/pg/…?callback=…``)."""
    return [
        url[len(SERVICE) :]
        for action, url in page.routes.log
        if action == "sandbox" and url.startswith(SERVICE + "/users/pg/")
    ]


@pytest.fixture
def shop(context, routed, iamport_like_site):
    page = Page(context.new_page())
    page.routes = routed

    def open_page(user_code=USER_CODE, tier=None):
        query = "?user_code=" + user_code + ("&tier=" + tier if tier else "")
        page.goto(iamport_like_site + "/checkout.html" + query)
        wait_frames(page)
        return page

    page.open = open_page
    yield page
    remote = [url for url in page.requests if not url.startswith(LOCAL_PREFIXES + (SERVICE + "/",))]
    assert not remote, remote[:5]
    assert not routed.blocked, routed.blocked[:5]


def wait_frames(page):
    page.wait_for_function("() => window.IMP_TEST.framesReady()", timeout=TIMEOUT)


def pay(page, param, kind="payment"):
    page.evaluate(
        "([param, kind]) => { window.nextParam = param; window.nextKind = kind; }", [param, kind]
    )
    page.click("[data-testid=pay]")


def overlay_window(page):
    frame = page.wait_for_selector("iframe.imp-frame.active", timeout=TIMEOUT).content_frame()
    return wait_window_ready(frame)


def results(page, count=1):
    """The callbacks' rsps, once ``count`` came and every frame has been reloaded."""
    page.wait_for_selector("body[data-callbacks='{}']".format(count), timeout=TIMEOUT)
    wait_frames(page)
    return page.evaluate("window.results")


def assert_quiet(page, received, results_so_far):
    """The windows posted nothing but their answers (and the intercepts), and the settings
    were read once at init plus once per reload after a result: no reload loop."""
    assert page.evaluate("window.IMP_TEST.state.received") == received
    fetches = settings_fetches(page)
    assert len(fetches) == 1 + results_so_far, fetches


def test_frames_are_preloaded_per_setting_without_request_ids(shop):
    page = shop.open()
    path = SERVICE + "/{}/ready/" + USER_CODE
    assert page.evaluate("window.IMP_TEST.frameUrls()") == [
        path.format("payments"),
        path.format("payments") + "/html5_inicis/JS-B",
        path.format("payments") + "/kakaopay",
        path.format("payments") + "/eximbay/JS-EXI",
        path.format("certificates") + "/danal/JS-D",
    ]
    assert settings_fetches(page)[0].startswith("/users/pg/{}?callback=".format(USER_CODE))
    for frame in page.frames[1:]:
        frame.wait_for_selector(
            "body[data-window-state=waiting]", state="attached", timeout=TIMEOUT
        )
    assert_quiet(page, [], 0)


@pytest.mark.parametrize("outcome", ["approve", "decline", "cancel"])
def test_an_overlay_pg_pays_declines_and_cancels(shop, merchants, outcome):
    page = shop.open()
    pay(
        page,
        {
            "pg": "html5_inicis.JS-B",
            "amount": 1200,
            "name": "Mug",
            "merchant_uid": "js-overlay-" + outcome,
        },
    )
    frame = overlay_window(page)
    assert frame.url == SERVICE + "/payments/ready/{}/html5_inicis/JS-B".format(USER_CODE)
    assert frame.inner_text("[data-testid=order-amount]") == "1200"
    if outcome == "decline":
        frame.click("[data-testid=decline-open]")
        frame.select_option("[data-testid=decline-code]", "CARD_EXPIRED")
    frame.click("[data-testid={}]".format(outcome))
    [rsp] = results(page)
    assert "request_id" not in rsp and rsp["merchant_uid"] == "js-overlay-" + outcome
    expected = {
        "approve": (True, None, "paid"),
        "decline": (False, "CARD_EXPIRED", "failed"),
        "cancel": (False, "F0005", "failed"),
    }[outcome]
    assert (rsp["success"], rsp["error_code"], rsp["status"]) == expected
    assert (rsp["pg_provider"], rsp["pg_id"]) == ("html5_inicis", "JS-B")
    stored = merchants.payment_anywhere(rsp["imp_uid"])
    assert stored["status"] == rsp["status"]
    assert_quiet(page, ["done"], 1)


def _popup(page, context, param):
    with context.expect_page(timeout=TIMEOUT) as opened:
        pay(page, dict({"pg": "eximbay", "amount": 25, "currency": "USD", "name": "Lamp"}, **param))
    popup = opened.value
    wait_window_ready(popup)
    return popup


@pytest.mark.parametrize("outcome", ["approve", "decline"])
def test_a_popup_pg_is_filled_through_its_frame(shop, context, merchants, outcome):
    page = shop.open()
    popup = _popup(page, context, {"merchant_uid": "js-popup-" + outcome})
    assert popup.url.startswith(SERVICE + "/sandbox/pg/imp_")
    assert popup.inner_text("[data-testid=pg-provider]") == "eximbay"
    assert popup.inner_text("[data-testid=order-currency]") == "USD"
    assert popup.inner_text("[data-testid=order-name]") == "Lamp"
    if outcome == "decline":
        popup.click("[data-testid=decline-open]")
    popup.click("[data-testid={}]".format(outcome))
    [rsp] = results(page)
    assert rsp["success"] is (outcome == "approve") and rsp["currency"] == "USD"
    assert rsp["error_code"] == (None if outcome == "approve" else "CARD_DECLINED")
    assert merchants.payment_anywhere(rsp["imp_uid"])["status"] == rsp["status"]
    # The page closes its popup once it has the result.
    page.wait_for_function("() => window.IMP_TEST.state.lastPopup.closed", timeout=TIMEOUT)
    assert_quiet(page, ["eximbay.modal", "done"], 1)


def test_closing_the_popup_is_one_F0005(shop, context, merchants):
    page = shop.open()
    popup = _popup(page, context, {"merchant_uid": "js-popup-closed"})
    popup.close()
    [rsp] = results(page)
    assert rsp["success"] is False and rsp["error_code"] == "F0005"
    assert merchants.payment_anywhere(rsp["imp_uid"])["status"] == "failed"
    assert_quiet(page, ["eximbay.modal", "done"], 1)


def test_without_pg_the_default_frame_pays(shop):
    page = shop.open()
    pay(page, {"amount": 900, "name": "Tea"})
    frame = overlay_window(page)
    assert frame.url == SERVICE + "/payments/ready/" + USER_CODE
    frame.click("[data-testid=approve]")
    [rsp] = results(page)
    assert rsp["success"] is True and (rsp["pg_provider"], rsp["pg_id"]) == ("html5_inicis", "JS-A")
    assert_quiet(page, ["done"], 1)


def test_a_setting_without_a_mid_pays(shop):
    page = shop.open()
    pay(page, {"pg": "kakaopay", "amount": 700, "name": "Cookie"})
    frame = overlay_window(page)
    assert frame.url == SERVICE + "/payments/ready/{}/kakaopay".format(USER_CODE)
    frame.click("[data-testid=approve]")
    [rsp] = results(page)
    assert rsp["success"] is True and (rsp["pg_provider"], rsp["pg_id"]) == ("kakaopay", None)
    assert_quiet(page, ["done"], 1)


def test_an_agency_tier_pays_through_its_own_settings(shop, merchants):
    page = shop.open(AGENCY, TIER)
    assert settings_fetches(page)[0].startswith(
        "/users/pg/{}?tier={}&callback=".format(AGENCY, TIER)
    )
    assert page.evaluate("window.IMP_TEST.frameUrls()") == [
        "{}/payments/ready/{}?tier={}".format(SERVICE, AGENCY, TIER),
        "{}/payments/ready/{}/nice/AG-NICE?tier={}".format(SERVICE, AGENCY, TIER),
    ]
    pay(page, {"amount": 1500, "name": "Agency order"})
    frame = overlay_window(page)
    assert frame.inner_text("[data-testid=pg-mid]") == "AG-KCP"
    frame.click("[data-testid=approve]")
    [rsp] = results(page)
    assert rsp["success"] is True and (rsp["pg_provider"], rsp["pg_id"]) == ("kcp", "AG-KCP")
    assert_quiet(page, ["done"], 1)


def test_a_certification_frame_verifies(shop):
    page = shop.open()
    pay(page, {"pg": "danal", "merchant_uid": "js-cert-1"}, kind="certification")
    frame = overlay_window(page)
    assert frame.url == SERVICE + "/certificates/ready/{}/danal/JS-D".format(USER_CODE)
    frame.click("[data-testid=approve]")
    [rsp] = results(page)
    assert rsp["success"] is True and rsp["certified"] is True
    assert_quiet(page, ["done"], 1)


def test_settings_are_read_a_bounded_number_of_times(shop):
    page = shop.open()
    for count in (1, 2, 3):
        pay(page, {"pg": "html5_inicis.JS-B", "amount": 100 * count, "name": "Again"})
        overlay_window(page).click("[data-testid=approve]")
        assert results(page, count)[-1]["paid_amount"] == 100 * count
        assert_quiet(page, ["done"] * count, count)
