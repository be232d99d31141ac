"""iamport_py.testing, the fake bridge merchants test with: the outcomes its docstring
names, played as a merchant's test would (also on MicroPython)."""

from iamport_py import errors
from iamport_py.imp import Iamport
from iamport_py.testing import (
    SERVICE,
    FakeBridge,
    Recorder,
    approve,
    done_message,
    ready_imp,
    request_id_of,
)

ORDER = {"pg": "kakaopay", "amount": 1000, "name": "Test order"}


def test_approve_plays_a_window_that_pays():
    imp, bridge = ready_imp()
    callback = Recorder()
    imp.request_pay(dict(ORDER), callback)
    assert bridge.frame().url == SERVICE + "/payments/ready/imp12345678/kakaopay/MID-c"
    approve(bridge, paid_amount=1000)
    rsp = callback.rsp
    assert (rsp["success"], rsp["paid_amount"], rsp["imp_uid"]) == (True, 1000, "imp_000000000001")
    assert bridge.frame().closed


def test_the_shopper_closing_the_window_is_F0005():
    imp, bridge = ready_imp()
    callback = Recorder()
    imp.request_pay(dict(ORDER), callback)
    bridge.frame().user_closes()
    assert callback.rsp["error_code"] == errors.USER_CANCEL


def test_a_decline_is_the_windows_answer():
    imp, bridge = ready_imp()
    callback = Recorder()
    imp.request_pay(dict(ORDER), callback)
    bridge.emit(done_message(request_id_of(bridge), success=False, error_code="CARD_DECLINED"))
    assert (callback.rsp["success"], callback.rsp["error_code"]) == (False, "CARD_DECLINED")


def test_settings_that_cannot_load_are_NOT_READY():
    bridge = FakeBridge()
    imp = Iamport(bridge)
    imp.init("imp12345678", service=SERVICE)
    bridge.fail_fetch("offline")
    callback = Recorder()
    imp.request_pay(dict(ORDER), callback)
    bridge.fail_fetch("still offline")
    assert callback.rsp["error_code"] == errors.NOT_READY
    assert callback.rsp["error_msg"] == (
        "가맹점 식별코드 imp12345678의 PG 설정 정보를 "
        "https://service.test에서 불러오지 못했습니다: still offline"
    )


def test_mobile_with_m_redirect_url_navigates():
    imp, bridge = ready_imp(mobile=True)
    callback = Recorder()
    imp.request_pay(dict(ORDER, m_redirect_url="https://shop.test/done"), callback)
    assert len(bridge.navigated) == 1 and callback.calls == [] and bridge.windows == []
    assert bridge.navigated[0].startswith(SERVICE + "/payments/ready/imp12345678/kakaopay/MID-c?")


def test_your_own_settings():
    settings = [{"pg_provider": "nice", "pg_id": "N1", "type": "payment"}]
    imp, bridge = ready_imp(settings=settings)
    imp.request_pay(dict(ORDER), Recorder())
    assert imp.settings == settings
    assert bridge.frame().url == SERVICE + "/payments/ready/imp12345678"


def test_recorder_insists_on_exactly_one_call():
    callback = Recorder()
    try:
        assert callback.rsp is None
    except AssertionError as error:
        assert str(error) == "callback called 0 times"
    else:
        raise AssertionError("Recorder.rsp accepted no call")
