"""The IMP façade: settings loading, queueing, windows, messages, exactly-once callbacks."""

import json

from iamport_py import errors
from iamport_py.imp import Iamport
from iamport_py.testing import (
    PAGE,
    SEED_SETTINGS,
    SERVICE,
    FakeBridge,
    Recorder,
    done_message,
    ready_imp,
    request_id_of,
)
from tests.portable.helpers import PARAM
from tests.portable.helpers import pay as _pay


def test_init_fetches_settings_once_from_the_service():
    imp, bridge = ready_imp()
    assert [f[0] for f in bridge.fetches] == [SERVICE + "/users/pg/imp12345678"]
    _pay(imp)
    assert len(bridge.fetches) == 1


def test_agency_adds_the_tier():
    bridge = FakeBridge()
    Iamport(bridge).agency("imp12345678", "T01", service=SERVICE)
    assert bridge.fetches[0][0] == SERVICE + "/users/pg/imp12345678?tier=T01"


def test_request_opens_the_window_of_the_resolved_setting():
    imp, bridge = ready_imp()
    _pay(imp)
    window = bridge.windows[0]
    assert window.mode == "iframe"
    assert window.url == SERVICE + "/payments/ready/imp12345678/kakaopay/MID-c"


def test_window_gets_the_request_on_the_frames_first_load():
    imp, bridge = ready_imp()
    _pay(imp)
    assert bridge.posted == []
    bridge.frame().load()
    bridge.frame().load()
    assert len(bridge.posted) == 1
    handle, message, target = bridge.posted[0]
    assert handle is bridge.windows[0] and target == SERVICE
    assert message["action"] == "payment" and message["from"] == "iamport-sdk"
    assert message["origin"] == PAGE and message["version"] == "1.2.0"
    assert message["data"]["request_id"].startswith("req_")
    assert message["data"]["amount"] == 1000 and message["data"]["pg_id"] == "MID-c"
    assert "tier_code" not in message["data"]


def test_done_message_ends_the_request_once_and_closes_the_window():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    request_id = request_id_of(bridge)
    bridge.emit(done_message(request_id, paid_amount=1000, merchant_uid="order-1"))
    bridge.emit(done_message(request_id))
    bridge.windows[0].user_closes()
    assert callback.rsp["success"] is True and callback.rsp["paid_amount"] == 1000
    assert bridge.windows[0].closed


def test_closing_the_window_ends_with_F0005_once_even_if_done_arrives_late():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    request_id = request_id_of(bridge)
    bridge.windows[0].user_closes()
    bridge.emit(done_message(request_id))
    assert callback.rsp["error_code"] == errors.USER_CANCEL
    assert callback.rsp["merchant_uid"] == "order-1"


def test_close_ends_the_open_request_with_F0005():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    imp.close()
    imp.close()
    assert callback.rsp["error_code"] == errors.USER_CANCEL and bridge.windows[0].closed


def test_foreign_messages_are_ignored():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    request_id = request_id_of(bridge)
    bridge.emit(done_message(request_id), origin="https://evil.test")
    bridge.emit("not json")
    bridge.emit(json.dumps({"action": "done"}))
    bridge.emit(json.dumps(["done"]))
    bridge.emit(json.dumps({"action": "done", "data": {"request_id": 7}}))
    bridge.emit(done_message("req_someone_else"))
    bridge.emit({"action": "done"})
    bridge.emit(
        json.dumps({"action": "payment", "data": {"request_id": request_id}, "from": "iamport-sdk"})
    )
    assert callback.calls == [] and len(bridge.posted) == 1
    bridge.emit(done_message(request_id))
    assert callback.rsp["success"] is True


def test_second_request_while_a_window_is_open_is_refused():
    imp, bridge = ready_imp()
    first = _pay(imp)
    second = _pay(imp)
    assert second.rsp["error_code"] == errors.WINDOW_OPEN
    assert first.calls == [] and len(bridge.windows) == 1


def test_requests_before_settings_arrive_wait_and_are_served_in_order():
    bridge = FakeBridge()
    imp = Iamport(bridge)
    imp.init("imp12345678", service=SERVICE)
    first, second = Recorder(), Recorder()
    imp.request_pay({"amount": 1000, "pg": "kakaopay"}, first)
    imp.request_pay({"amount": "bad"}, second)
    assert bridge.windows == [] and first.calls == [] and second.calls == []
    bridge.answer(
        {
            "code": 0,
            "msg": None,
            "data": [
                {"pg_provider": "kcp", "pg_id": "K1", "type": "payment"},
                {"pg_provider": "kakaopay", "pg_id": "MID-c", "type": "payment"},
            ],
        }
    )
    assert bridge.windows[0].url.endswith("/kakaopay/MID-c")
    assert second.rsp["error_code"] == errors.WINDOW_OPEN


def test_failed_settings_end_waiting_requests_with_NOT_READY():
    for failure in (
        {"code": -1, "msg": "unknown merchant"},
        "not an object",
        {"code": 0, "data": "nope"},
        None,
    ):
        bridge = FakeBridge()
        imp = Iamport(bridge)
        imp.init("imp12345678", service=SERVICE)
        callback = Recorder()
        imp.request_pay(dict(PARAM), callback)
        if failure is None:
            bridge.fail_fetch("timeout after 10000 ms")
        else:
            bridge.answer(failure)
        assert callback.rsp["error_code"] == errors.NOT_READY, failure
        assert imp.state == "failed"


def test_a_request_after_a_failed_load_fetches_again():
    bridge = FakeBridge()
    imp = Iamport(bridge)
    imp.init("imp12345678", service=SERVICE)
    bridge.fail_fetch()
    callback = _pay(imp)
    assert len(bridge.fetches) == 2 and callback.calls == []
    bridge.answer({"code": 0, "data": [{"pg_provider": "kakaopay", "pg_id": "MID-c"}]})
    assert len(bridge.windows) == 1


def test_request_before_init_is_NOT_INITIALIZED():
    callback = _pay(Iamport(FakeBridge()))
    assert callback.rsp["error_code"] == errors.NOT_INITIALIZED


def test_param_that_is_not_a_dict_is_INVALID_PARAM():
    imp, _ = ready_imp()
    callback = Recorder()
    imp.request_pay(["amount", 1000], callback)
    assert callback.rsp["error_code"] == errors.INVALID_PARAM


def test_no_payment_setting_is_F1001_and_no_window_opens():
    imp, bridge = ready_imp(settings=[])
    callback = _pay(imp)
    assert callback.rsp["error_code"] == errors.PG_NOT_REGISTERED and bridge.windows == []


def test_validation_error_reaches_the_callback_in_the_requested_language():
    imp, bridge = ready_imp()
    callback = _pay(imp, {"amount": -1, "language": "en"})
    assert callback.rsp["error_code"] == errors.INVALID_AMOUNT
    assert callback.rsp["error_msg"].startswith("amount is not valid")
    assert bridge.windows == []


def test_init_language_option_sets_message_language():
    imp, _ = ready_imp(language="en")
    assert _pay(imp, {"amount": "1"}).rsp["error_msg"].startswith("amount is not valid")


def test_fallback_warning_goes_to_the_console():
    imp, bridge = ready_imp()
    _pay(imp, {"pg": "nice", "amount": 1000})
    assert bridge.logs[0][0] == "warn" and "nice" in bridge.logs[0][1]
    assert bridge.windows[0].url == SERVICE + "/payments/ready/imp12345678"


def test_callback_exception_is_logged_and_does_not_break_the_sdk():
    imp, bridge = ready_imp()

    def broken(rsp):
        raise RuntimeError("merchant bug")

    imp.request_pay({"amount": 1000}, broken)
    bridge.windows[0].user_closes()
    assert bridge.logs[-1][0] == "error" and "merchant bug" in bridge.logs[-1][1]
    callback = _pay(imp)
    assert len(bridge.windows) == 2 and callback.calls == []


def test_missing_callback_is_allowed():
    imp, bridge = ready_imp()
    imp.request_pay({"amount": -1})
    assert bridge.logs[-1][0] == "info"


def test_popup_pg_opens_a_popup_and_a_blocked_popup_is_reported():
    imp, bridge = ready_imp(settings=[{"pg_provider": "paypal", "pg_id": "P1"}])
    _pay(imp, {"amount": 10})
    assert [w.mode for w in bridge.windows] == ["popup", "hidden"]
    assert bridge.windows[0].name == "iamport_popup"
    imp, bridge = ready_imp(settings=[{"pg_provider": "kcp", "pg_id": "K1"}], block_popups=True)
    callback = _pay(imp, {"amount": 10, "popup": True})
    assert callback.rsp["error_code"] == errors.POPUP_BLOCKED and bridge.windows == []


def test_mobile_with_m_redirect_url_navigates_with_the_request():
    imp, bridge = ready_imp(mobile=True)
    callback = _pay(imp, {"amount": 1000, "m_redirect_url": "https://shop.test/done"})
    assert bridge.windows == [] and callback.calls == []
    assert bridge.navigated[0].startswith(SERVICE + "/payments/ready/imp12345678?request=%7B")


def test_m_redirect_url_on_desktop_still_uses_the_overlay():
    imp, bridge = ready_imp()
    _pay(imp, {"amount": 1000, "m_redirect_url": "https://shop.test/done"})
    assert bridge.windows[0].mode == "iframe"


def test_init_again_resets_and_ends_the_open_window():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    imp.init("imp99999999", service=SERVICE)
    assert callback.rsp["error_code"] == errors.USER_CANCEL
    assert imp.state == "loading" and imp.settings == []
    waiting = _pay(imp)
    bridge.answer({"code": 0, "data": [{"pg_provider": "kcp", "pg_id": "K9"}]})
    assert bridge.windows[-1].url.endswith("/imp99999999") and waiting.calls == []


def test_a_late_answer_for_an_earlier_init_is_ignored():
    bridge = FakeBridge()
    imp = Iamport(bridge)
    imp.init("imp11111111", service=SERVICE)
    imp.init("imp22222222", service=SERVICE)
    bridge.answer({"code": 0, "data": [{"pg_provider": "kcp", "pg_id": "OLD"}]}, index=0)
    assert imp.state == "loading"


def test_request_ids_are_unique_within_one_millisecond():
    imp, bridge = ready_imp()
    seen = set()
    for _ in range(200):
        callback = _pay(imp)
        seen.add(request_id_of(bridge))
        imp.close()
        assert len(callback.calls) == 1
    assert len(seen) == 200


def test_generated_merchant_uids_are_unique_and_short():
    imp, _ = ready_imp()
    uids = set()
    for _ in range(50):
        callback = _pay(imp, {"amount": 1000})
        imp.close()
        uid = callback.rsp["merchant_uid"]
        assert uid.startswith("mid_") and len(uid) <= 40
        uids.add(uid)
    assert len(uids) == 50


def test_certification_opens_the_certificates_window():
    settings = [
        {"pg_provider": "html5_inicis", "pg_id": "MID-a", "type": "payment"},
        {"pg_provider": "danal", "pg_id": "D1", "type": "certification"},
    ]
    imp, bridge = ready_imp(settings=settings)
    callback = Recorder()
    imp.certification({"merchant_uid": "cert-1"}, callback)
    assert bridge.windows[0].url == SERVICE + "/certificates/ready/imp12345678/danal/D1"
    assert bridge.load()["action"] == "certification"


def test_a_setting_without_MID_has_no_MID_segment():
    settings = SEED_SETTINGS[:1] + [{"pg_provider": "kakaopay", "pg_id": None}]
    imp, bridge = ready_imp(settings=settings)
    _pay(imp)
    assert bridge.windows[0].url == SERVICE + "/payments/ready/imp12345678/kakaopay"


def test_when_ready_reports_the_end_of_the_settings_load():
    bridge = FakeBridge()
    imp = Iamport(bridge)
    imp.init("imp12345678", service=SERVICE)
    states = []
    imp.when_ready(states.append)
    assert states == []
    bridge.fail_fetch()
    imp.when_ready(states.append)
    assert states == ["failed", "failed"]
    imp.init("imp12345678", service=SERVICE)
    imp.when_ready(states.append)
    bridge.answer({"code": 0, "data": []})
    assert states[-1] == "ready"


def test_a_bad_service_option_ends_requests_with_NOT_READY():
    for service in ("not a url", 42, "ftp://files.test"):
        bridge = FakeBridge()
        imp = Iamport(bridge)
        imp.init("imp12345678", service=service)
        callback = _pay(imp)
        assert callback.rsp["error_code"] == errors.NOT_READY
        assert bridge.fetches == []


def test_a_bad_timeout_option_uses_the_default():
    bridge = FakeBridge()
    Iamport(bridge).init("imp12345678", service=SERVICE, timeout_ms="soon")
    assert bridge.fetches[0][1] == 10000


def test_an_unexpected_failure_still_calls_back_once_with_WINDOW_FAILED():
    imp, bridge = ready_imp()

    def broken(*args):
        raise RuntimeError("the browser API broke")

    # Whether the request opens its frame or takes one loaded ahead.
    bridge.open_frame = bridge.use_frame = broken
    callback = _pay(imp)
    assert callback.rsp["error_code"] == errors.WINDOW_FAILED
    assert "the browser API broke" in callback.rsp["error_msg"]
    assert bridge.logs[-1][0] == "error"


def test_a_when_ready_callback_that_raises_is_logged_and_requests_go_on():
    bridge = FakeBridge()
    imp = Iamport(bridge)
    imp.init("imp12345678", service=SERVICE)

    def broken(state):
        raise ValueError("page bug")

    imp.when_ready(broken)
    callback = _pay(imp)
    bridge.answer({"code": 0, "data": [{"pg_provider": "kakaopay", "pg_id": "MID-c"}]})
    imp.when_ready(broken)
    assert [level for level, _ in bridge.logs] == ["error", "error"]
    assert "page bug" in bridge.logs[0][1] and len(bridge.windows) == 1
    assert callback.calls == []
