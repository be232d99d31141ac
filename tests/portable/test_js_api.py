"""window.IMP's calls (imp.js -> iamport_py.js_api), without a browser: each method, and
the calls it cannot carry out, which end with a documented code instead of vanishing."""

import json

from iamport_py import errors
from iamport_py.imp import Iamport
from iamport_py.js_api import METHODS, JsApi
from iamport_py.testing import SEED_SETTINGS, SERVICE, FakeBridge, done_message, request_id_of


def _api():
    bridge = FakeBridge()
    imp = Iamport(bridge)
    return JsApi(imp), imp, bridge


def _ready_api():
    api, imp, bridge = _api()
    api.call("init", json.dumps(["imp12345678", {"service": SERVICE}]))
    bridge.answer({"code": 0, "msg": None, "data": SEED_SETTINGS})
    return api, imp, bridge


def _responses():
    texts = []
    return texts, texts.append


def test_init_fetches_the_settings_with_the_options_given():
    api, imp, bridge = _api()
    api.call("init", json.dumps(["imp12345678", {"service": SERVICE, "timeout_ms": 2500}]))
    assert [(url, timeout) for url, timeout, _ in bridge.fetches] == [
        (SERVICE + "/users/pg/imp12345678", 2500)
    ]
    assert imp.state == "loading"


def test_agency_passes_the_tier_and_the_options():
    api, _, bridge = _api()
    api.call("agency", json.dumps(["imp12345678", "T01", {"service": SERVICE}]))
    assert bridge.fetches[0][0] == SERVICE + "/users/pg/imp12345678?tier=T01"


def test_request_pay_answers_through_respond_as_json_text():
    api, _, bridge = _ready_api()
    texts, respond = _responses()
    api.call("request_pay", json.dumps([{"pg": "kakaopay", "amount": 1000}]), respond)
    assert bridge.frame().url == SERVICE + "/payments/ready/imp12345678/kakaopay/MID-c"
    bridge.emit(done_message(request_id_of(bridge), paid_amount=1000))
    assert len(texts) == 1 and isinstance(texts[0], str)
    rsp = json.loads(texts[0])
    assert rsp["success"] is True and rsp["paid_amount"] == 1000
    assert rsp["imp_uid"] == "imp_000000000001"


def test_certification_answers_through_respond():
    api, _, _ = _ready_api()
    texts, respond = _responses()
    api.call("certification", json.dumps([{"pg": "danal"}]), respond)
    assert [json.loads(text)["error_code"] for text in texts] == [errors.PG_NOT_REGISTERED]


def test_request_pay_without_respond_logs_the_rsp():
    api, _, bridge = _ready_api()
    api.call("request_pay", json.dumps([{"pg": "kakaopay"}]))
    assert bridge.logs[-1][0] == "info"
    assert '"error_code": "MISSING_AMOUNT"' in bridge.logs[-1][1]


def test_request_pay_without_a_param_ends_with_INVALID_PARAM():
    api, _, _ = _ready_api()
    texts, respond = _responses()
    api.call("request_pay", "[]", respond)
    assert json.loads(texts[0])["error_code"] == errors.INVALID_PARAM


def test_close_ends_the_open_request_with_F0005():
    api, _, bridge = _ready_api()
    texts, respond = _responses()
    api.call("request_pay", json.dumps([{"pg": "kakaopay", "amount": 1000}]), respond)
    api.call("close", "[]")
    assert json.loads(texts[0])["error_code"] == errors.USER_CANCEL
    assert bridge.frame().closed


def test_an_unknown_method_answers_UNKNOWN_METHOD_through_respond():
    api, _, _ = _ready_api()
    texts, respond = _responses()
    api.call("refund", json.dumps([{"imp_uid": "imp_1"}]), respond)
    rsp = json.loads(texts[0])
    assert rsp["success"] is False and rsp["error_code"] == errors.UNKNOWN_METHOD
    assert "IMP.refund" in rsp["error_msg"]


def test_an_unknown_method_without_respond_is_logged_as_an_error():
    api, _, bridge = _ready_api()
    api.call("refund", "[]")
    assert bridge.logs == [
        (
            "error",
            "window.IMP: iamport_py has no IMP.refund: an iamport.js feature it does not "
            "implement, or imp.js and the SDK are not the same version.",
        )
    ]


def test_arguments_that_are_not_a_json_list_answer_INVALID_CALL():
    api, _, _ = _ready_api()
    for args_json in ("not json", '{"pg": "kakaopay"}', "null"):
        texts, respond = _responses()
        api.call("request_pay", args_json, respond)
        rsp = json.loads(texts[0])
        assert rsp["error_code"] == errors.INVALID_CALL, args_json
        assert rsp["error_msg"].startswith("The arguments of IMP.request_pay cannot be read")


def test_init_without_a_user_code_is_logged_and_fetches_nothing():
    api, imp, bridge = _api()
    api.call("init", "[]")
    assert bridge.fetches == [] and imp.state == "idle"
    assert bridge.logs == [
        ("error", "window.IMP: The arguments of IMP.init cannot be read: no user code")
    ]


def test_every_method_imp_js_sends_is_known():
    assert METHODS == ("init", "agency", "request_pay", "certification", "close")


class _Page:
    """The two things install_js_api touches in a page: ``js.window.__iamportInstall``
    (imp.js's) and ``ffi`` (create_proxy; is_none for JavaScript's null)."""

    NULL = object()

    def __init__(self):
        self.installed = []
        self.window = self
        setattr(self, "__iamportInstall", self.installed.append)

    def create_proxy(self, function):
        return function

    def is_none(self, value):
        return value is None or value is self.NULL


def _in_a_page(test):
    """Run ``test(dispatch, page)`` with install_js_api's page stood in for by a _Page:
    ``dispatch`` is what install_js_api handed imp.js."""
    from iamport_py import browser, js_api

    def run():
        page, saved = _Page(), (browser.js, browser.ffi)
        browser.js = browser.ffi = page
        try:
            bridge = FakeBridge()
            imp = Iamport(bridge)
            js_api.install_js_api(imp)
            assert len(page.installed) == 1
            test(page.installed[0], page, imp, bridge)
        finally:
            browser.js, browser.ffi = saved

    return run


@_in_a_page
def test_install_js_api_gives_imp_js_one_dispatcher_onto_the_page_IMP(dispatch, page, imp, bridge):
    dispatch("init", json.dumps(["imp12345678", {"service": SERVICE}]), page.NULL)
    bridge.answer({"code": 0, "msg": None, "data": SEED_SETTINGS})
    assert imp.state == "ready"
    texts = []
    dispatch("request_pay", json.dumps([{"pg": "kakaopay", "amount": 1000}]), texts.append)
    bridge.emit(done_message(request_id_of(bridge), paid_amount=1000))
    assert [json.loads(text)["paid_amount"] for text in texts] == [1000]


@_in_a_page
def test_a_call_with_a_null_callback_logs_its_refusal_instead(dispatch, page, imp, bridge):
    dispatch("loadUI", "[]", page.NULL)  # JavaScript's null: no callback to answer through
    message = errors.error_message(errors.UNKNOWN_METHOD, "en", {"method": "loadUI"})
    assert bridge.logs == [("error", "window.IMP: " + message)]
