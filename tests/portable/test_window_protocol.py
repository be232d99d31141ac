"""The page's side of Iamport's window protocol (docs/protocol.md), played against
message sequences as a window posts them (tests/portable/window_messages.py, held to the
real sandbox window by tests/sandbox/test_window_message_samples.py)."""

import json

from iamport_py import errors, protocol
from iamport_py.imp import Iamport
from iamport_py.testing import (
    SEED_SETTINGS,
    SERVICE,
    FakeBridge,
    Recorder,
    done_message,
    message,
    ready_imp,
    request_id_of,
)
from tests.portable.helpers import PARAM
from tests.portable.window_messages import (
    APPROVED,
    DECLINED,
    EXIMBAY,
    EXIMBAY_MODAL,
    POPUP_APPROVED,
    POPUP_CANCELLED,
    POPUP_SETTINGS,
)


def _play(bridge, recorded, origin=SERVICE):
    bridge.emit(recorded.replace("{rid}", request_id_of(bridge)), origin)


def _pay(imp, param=PARAM, pay=None):
    callback = Recorder()
    (pay or imp.request_pay)(dict(param), callback)
    return callback


def test_an_approved_window_ends_the_request_without_its_request_id():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    _play(bridge, APPROVED)
    rsp = callback.rsp
    assert rsp["success"] is True and rsp["paid_amount"] == 1000 and rsp["status"] == "paid"
    assert "request_id" not in rsp
    assert bridge.frame().closed and bridge.active_timers() == []


def test_a_declined_window_gives_its_code():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    _play(bridge, DECLINED)
    assert callback.rsp["error_code"] == "LIMIT_EXCEEDED" and callback.rsp["success"] is False


def test_any_action_the_page_does_not_intercept_is_the_result():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    bridge.emit(message("close", request_id_of(bridge), success=False, error_code="F0005"))
    assert callback.rsp["error_code"] == "F0005" and bridge.frame().closed


def test_a_service_url_with_its_default_port_still_gets_its_messages():
    for service in ("https://service.test:443", "https://SERVICE.test/", "https://service.test"):
        imp, bridge = ready_imp(service=service)
        callback = _pay(imp)
        message_to_frame, target = bridge.load(), bridge.frame().messages()[0][1]
        assert target == "https://service.test" and message_to_frame["action"] == "payment"
        _play(bridge, APPROVED, origin="https://service.test")
        assert callback.rsp["success"] is True, service


def test_every_unsupported_intercept_ends_with_WINDOW_FAILED_naming_it():
    for action in protocol.UNSUPPORTED_INTERCEPTS:
        imp, bridge = ready_imp()
        callback = _pay(imp)
        bridge.emit(message(action, request_id_of(bridge), url="https://pg.test"))
        bridge.emit(done_message(request_id_of(bridge)))
        rsp = callback.rsp
        assert rsp["error_code"] == errors.WINDOW_FAILED, action
        assert "'" + action + "'" in rsp["error_msg"], rsp["error_msg"]
        assert bridge.frame().closed


def test_an_intercept_without_a_request_id_is_the_pending_requests():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    request_id_of(bridge)
    bridge.emit(message("kakao.dlp", url="kakaotalk://x"))
    assert callback.rsp["error_code"] == errors.WINDOW_FAILED


def test_an_intercept_for_another_request_is_ignored():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    request_id_of(bridge)
    bridge.emit(message("proxy.post", "req_someone_else"))
    bridge.emit(
        EXIMBAY_MODAL.replace("{rid}", "x").replace(
            '"impUid"', '"request_id": "req_other", "impUid"'
        )
    )
    assert callback.calls == [] and not bridge.frame().closed


def test_a_popup_pg_opens_the_popup_first_then_a_hidden_frame():
    imp, bridge = ready_imp(settings=POPUP_SETTINGS)
    _pay(imp, EXIMBAY)
    popup, frame = bridge.windows
    assert (popup.mode, popup.name, popup.url) == ("popup", "iamport_popup", "about:blank")
    assert frame.mode == "hidden" and frame.url == SERVICE + "/payments/ready/imp12345678"
    assert bridge.load()["data"]["currency"] == "USD"


def test_modal_fills_the_popup_and_the_popups_answer_ends_the_request():
    imp, bridge = ready_imp(settings=POPUP_SETTINGS)
    callback = _pay(imp, EXIMBAY)
    popup = bridge.windows[0]
    _play(bridge, EXIMBAY_MODAL)
    assert callback.calls == []
    url, fields = popup.forms[0]
    assert url == SERVICE + "/sandbox/pg/imp_100000000003"
    assert fields["imp_uid"] == "imp_100000000003"
    assert fields["request_id"] == request_id_of(bridge)
    _play(bridge, POPUP_APPROVED)
    assert callback.rsp["success"] is True and callback.rsp["currency"] == "USD"
    assert popup.closed and bridge.frame().closed


def test_closing_the_popup_asks_the_frame_which_answers_F0005_once():
    imp, bridge = ready_imp(settings=POPUP_SETTINGS)
    callback = _pay(imp, EXIMBAY)
    popup = bridge.windows[0]
    _play(bridge, EXIMBAY_MODAL)
    popup.user_closes()
    assert callback.calls == []
    sent, target = bridge.frame().messages()[-1]
    assert target == SERVICE
    assert sent == json.loads(
        protocol.communicate_message(request_id_of(bridge), "order-2", "imp_100000000003")
    )
    _play(bridge, POPUP_CANCELLED)
    bridge.run_timers()
    assert callback.rsp["error_code"] == "F0005" and callback.rsp["error_msg"] == "cancelled"
    assert bridge.frame().closed


def test_closing_the_popup_of_a_silent_frame_still_ends_with_F0005():
    imp, bridge = ready_imp(settings=POPUP_SETTINGS)
    callback = _pay(imp, EXIMBAY)
    _play(bridge, EXIMBAY_MODAL)
    bridge.windows[0].user_closes()
    assert bridge.active_timers() == [3000]
    bridge.run_timers()
    assert callback.rsp["error_code"] == errors.USER_CANCEL and bridge.frame().closed


def test_closing_the_popup_before_the_frame_loaded_is_F0005_at_once():
    imp, bridge = ready_imp(settings=POPUP_SETTINGS)
    callback = _pay(imp, EXIMBAY)
    bridge.windows[0].user_closes()
    assert callback.rsp["error_code"] == errors.USER_CANCEL
    assert bridge.posted == [] and bridge.frame().closed and bridge.active_timers() == []


def test_a_blocked_popup_is_POPUP_BLOCKED_and_opens_no_frame():
    imp, bridge = ready_imp(settings=POPUP_SETTINGS, block_popups=True)
    callback = _pay(imp, EXIMBAY)
    assert callback.rsp["error_code"] == errors.POPUP_BLOCKED and bridge.windows == []
    assert bridge.active_timers() == [] and bridge.probes == []


def test_modal_for_an_overlay_pg_opens_a_popup_then_or_reports_it_blocked():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    _play(bridge, EXIMBAY_MODAL)
    assert bridge.windows[-1].mode == "popup" and len(bridge.windows[-1].forms) == 1
    imp.close()
    imp, bridge = ready_imp(block_popups=True)
    callback = _pay(imp)
    _play(bridge, EXIMBAY_MODAL)
    assert callback.rsp["error_code"] == errors.POPUP_BLOCKED and bridge.frame().closed


def test_a_modal_without_an_http_url_is_WINDOW_FAILED():
    imp, bridge = ready_imp(settings=POPUP_SETTINGS)
    callback = _pay(imp, EXIMBAY)
    bridge.emit(message("payco.modal", request_id_of(bridge), action="javascript:alert(1)"))
    assert callback.rsp["error_code"] == errors.WINDOW_FAILED
    assert "payco.modal" in callback.rsp["error_msg"] and bridge.windows[0].forms == []


def test_agencies_send_the_tier_in_the_url_and_the_request():
    bridge = FakeBridge()
    imp = Iamport(bridge)
    imp.agency("imp12345678", "T01", service=SERVICE)
    bridge.answer({"code": 0, "data": SEED_SETTINGS})
    _pay(imp, {"amount": 1000})
    assert bridge.frame().url == SERVICE + "/payments/ready/imp12345678?tier=T01"
    assert bridge.load()["data"]["tier_code"] == "T01"


def test_the_request_id_is_not_in_the_url():
    imp, bridge = ready_imp()
    _pay(imp)
    assert "req_" not in bridge.frame().url and "?" not in bridge.frame().url


# -- the window deadline ---------------------------------------------------------------


def test_a_window_that_does_not_load_in_time_is_WINDOW_FAILED_naming_its_url():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    assert bridge.active_timers() == [15000]
    bridge.run_timers()
    rsp = callback.rsp
    assert rsp["error_code"] == errors.WINDOW_FAILED
    assert SERVICE + "/payments/ready/imp12345678/kakaopay/MID-c" in rsp["error_msg"]
    assert "15000 ms" in rsp["error_msg"] and bridge.frame().closed
    assert bridge.logs[-1][0] == "error"


def test_window_timeout_ms_sets_the_deadline_and_a_bad_one_falls_back():
    for value, expected in ((2500, 2500), ("soon", 15000), (-1, 15000), (True, 15000)):
        imp, bridge = ready_imp(window_timeout_ms=value)
        _pay(imp)
        assert bridge.active_timers() == [expected], value


def test_a_loaded_window_has_no_deadline():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    bridge.load()
    assert bridge.active_timers() == []
    bridge.run_timers()
    assert callback.calls == []


def _probe_of(bridge):
    """The probe of the request's window (run when it was loaded ahead, or opened)."""
    [probe] = [probe for probe in bridge.probes if probe[0] == bridge.frame().url]
    return probe


def test_an_unreachable_window_page_is_WINDOW_FAILED_even_after_its_frame_loaded():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    url, on_done = _probe_of(bridge)
    bridge.load()  # browsers fire load for their own error page too
    on_done(False, "Failed to fetch")
    rsp = callback.rsp
    assert rsp["error_code"] == errors.WINDOW_FAILED
    assert "Failed to fetch" in rsp["error_msg"] and url in rsp["error_msg"]


def test_a_reachable_window_page_changes_nothing():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    on_done = _probe_of(bridge)[1]
    on_done(True, "")
    assert callback.calls == [] and bridge.active_timers() == [15000]
    _play(bridge, APPROVED)
    on_done(False, "late")
    assert callback.rsp["success"] is True


def test_the_shopper_closing_a_window_that_never_loaded_is_still_F0005():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    bridge.frame().user_closes()
    bridge.run_timers()
    assert callback.rsp["error_code"] == errors.USER_CANCEL


# -- ids -----------------------------------------------------------------------------


def test_ids_encode_the_whole_clock():
    imp, bridge = ready_imp()
    bridge.clock = 1800000000123  # far past 2**30: a clock cut to 30 bits would differ
    callback = _pay(imp, {"pg": "kakaopay", "amount": 1000})
    request_id = request_id_of(bridge)
    imp.close()
    assert request_id.startswith("req_")
    for made in (request_id[4:], callback.rsp["merchant_uid"][4:]):
        assert int(made.split("_")[0], 36) == 1800000000123
