"""channelKey through the façade: request_pay, certification, pay and certify choose the
setting by its key (the guide's current edition); an unknown key opens no window."""

from iamport_py import errors
from iamport_py.testing import (
    CURRENT_EDITION_SETTINGS,
    SEED_SETTINGS,
    SERVICE,
    Recorder,
    approve,
    ready_imp,
)

WINDOWS = SERVICE + "/payments/ready/imp12345678/"
KEY_A, KEY_B, KEY_C = (setting["channel_key"] for setting in CURRENT_EDITION_SETTINGS)
# The guide's example request: a channel key and no pg.
GUIDE = {
    "amount": 1000,
    "name": "테스트 주문",
    "buyer_name": "구매자",
    "buyer_email": "buyer@iamport.kr",
}


def _request(imp, key, **extra):
    callback = Recorder()
    param = dict(GUIDE, channelKey=key, **extra)
    imp.request_pay(param, callback)
    return callback


def test_each_key_of_the_guide_opens_its_settings_window():
    # The default's window is the plain one; the other two name code and MID.
    for key, path in ((KEY_C, "kakaopay/MID-c"), (KEY_A, ""), (KEY_B, "nice_v2/MID-b")):
        imp, bridge = ready_imp(settings=CURRENT_EDITION_SETTINGS, preload_windows=0)
        callback = _request(imp, key)
        assert bridge.frame().url == (WINDOWS + path).rstrip("/"), key
        assert bridge.load()["data"]["channelKey"] == key
        approve(bridge)
        assert callback.rsp["success"] is True and bridge.logs == []


def test_the_window_gets_the_keyed_settings_code_and_mid_whatever_pg_says():
    imp, bridge = ready_imp(settings=CURRENT_EDITION_SETTINGS, preload_windows=0)
    _request(imp, KEY_C, pg="nice_v2.MID-a")
    data = bridge.load()["data"]
    assert (data["pg_provider"], data["pg_id"]) == ("kakaopay", "MID-c")
    warnings = [message for level, message in bridge.logs if level == "warn"]
    assert len(warnings) == 1 and KEY_C in warnings[0] and "nice_v2.MID-a" in warnings[0]


def test_unknown_key_ends_the_request_with_its_code_and_opens_no_window():
    imp, bridge = ready_imp(settings=CURRENT_EDITION_SETTINGS, preload_windows=0)
    callback = _request(imp, "channel-key-typo", pg="kakaopay")
    rsp = callback.rsp
    assert rsp["success"] is False and rsp["error_code"] == errors.UNKNOWN_CHANNEL_KEY
    assert "channel-key-typo" in rsp["error_msg"] and bridge.windows == []
    assert len(callback.calls) == 1


def test_unknown_key_message_in_english_when_asked():
    imp, _ = ready_imp(settings=CURRENT_EDITION_SETTINGS, preload_windows=0)
    rsp = _request(imp, "channel-key-x", language="en").rsp
    assert rsp["error_msg"].startswith("No PG setting has the channel key 'channel-key-x'")


def test_certification_takes_a_channel_key_and_refuses_a_payment_key():
    settings = CURRENT_EDITION_SETTINGS + [
        {
            "pg_provider": "danal",
            "pg_id": "CPID",
            "type": "certification",
            "channel_key": "channel-key-cert",
        },
    ]
    imp, bridge = ready_imp(settings=settings, preload_windows=0)
    imp.certification({"channelKey": "channel-key-cert"}, Recorder())
    assert bridge.frame().url == SERVICE + "/certificates/ready/imp12345678/danal/CPID"
    imp.close()
    wrong = Recorder()
    imp.certification({"channelKey": KEY_C}, wrong)
    assert wrong.rsp["error_code"] == errors.CHANNEL_KEY_WRONG_TYPE
    paying = Recorder()
    imp.request_pay(dict(GUIDE, channelKey="channel-key-cert"), paying)
    assert paying.rsp["error_code"] == errors.CHANNEL_KEY_WRONG_TYPE


def test_pay_awaitable_takes_the_key_too():
    imp, bridge = ready_imp(settings=CURRENT_EDITION_SETTINGS, preload_windows=0)
    steps = imp.pay(dict(GUIDE, channelKey="channel-key-nope")).__await__()
    try:
        next(steps)
        raise AssertionError("the awaitable should have its rsp at once")
    except StopIteration as settled:
        assert settled.value["error_code"] == errors.UNKNOWN_CHANNEL_KEY
    assert bridge.windows == []


def test_a_service_without_keys_gets_the_key_in_the_default_window_request():
    imp, bridge = ready_imp(settings=SEED_SETTINGS, preload_windows=0)
    _request(imp, KEY_C)
    assert bridge.frame().url == SERVICE + "/payments/ready/imp12345678"
    assert bridge.load()["data"]["channelKey"] == KEY_C
