"""Windows loaded ahead (issue 14): once the settings arrive, each setting's window is
loaded in a hidden frame, as Iamport's iamport.js does; a request shows its setting's
frame and posts to it at once; a frame serves one request and is then replaced."""

from iamport_py import errors
from iamport_py.imp import Iamport
from iamport_py.testing import (
    SERVICE,
    FakeBridge,
    Recorder,
    approve,
    ready_imp,
    request_id_of,
)
from tests.portable.helpers import PARAM
from tests.portable.helpers import pay as _pay

WINDOWS = SERVICE + "/payments/ready/imp12345678"
SEED_WINDOWS = [WINDOWS, WINDOWS + "/html5_inicis/MID-b", WINDOWS + "/kakaopay/MID-c"]


def _setting(pg_provider, pg_id, kind="payment"):
    return {"pg_provider": pg_provider, "pg_id": pg_id, "type": kind, "sandbox": True}


def test_each_settings_window_is_loaded_ahead_hidden_once_the_settings_arrive():
    _imp, bridge = ready_imp()
    assert [w.url for w in bridge.preloaded] == SEED_WINDOWS
    assert [w.mode for w in bridge.preloaded] == ["preload"] * 3
    # Nothing shown, no request posted: the frames load, and each window URL is probed
    # (the browser fires `load` on its own error page too).
    assert bridge.windows == [] and bridge.posted == []
    assert [url for url, _ in bridge.probes] == SEED_WINDOWS


def test_nothing_is_loaded_ahead_before_the_settings_arrive_or_when_they_fail():
    bridge = FakeBridge()
    imp = Iamport(bridge)
    imp.init("imp12345678", service=SERVICE)
    assert bridge.preloaded == []
    bridge.fail_fetch()
    assert bridge.preloaded == [] and imp.state == "failed"


def test_a_request_shows_its_loaded_frame_and_posts_the_request_at_once():
    imp, bridge = ready_imp()
    bridge.load_preloaded()
    callback = _pay(imp)
    kakaopay = bridge.preloaded[2]
    assert bridge.windows == [kakaopay] and kakaopay.mode == "iframe"
    [(request, target)] = kakaopay.messages()
    assert request["action"] == "payment" and request["data"]["merchant_uid"] == "order-1"
    assert target == SERVICE
    # Loaded and probed ahead: no probe, no load deadline on the request's way.
    assert len(bridge.probes) == 3 and bridge.active_timers() == []
    approve(bridge, paid_amount=1000)
    assert callback.rsp["success"] is True and callback.rsp["paid_amount"] == 1000


def test_a_frame_still_loading_is_shown_and_watched_like_a_new_one():
    imp, bridge = ready_imp()
    _pay(imp)
    kakaopay = bridge.preloaded[2]
    assert bridge.windows == [kakaopay] and kakaopay.mode == "iframe"
    assert kakaopay.messages() == [] and bridge.active_timers() == [15000]
    assert len(bridge.probes) == 3  # its probe is out already
    kakaopay.load()
    assert len(kakaopay.messages()) == 1 and bridge.active_timers() == []


def test_a_frame_still_loading_whose_probe_fails_ends_its_request_with_WINDOW_FAILED():
    imp, bridge = ready_imp()
    callback = _pay(imp)
    kakaopay = bridge.preloaded[2]
    kakaopay.load()  # the browser's error page
    bridge.probes[2][1](False, "Failed to fetch")
    assert callback.rsp["error_code"] == errors.WINDOW_FAILED
    assert kakaopay.url in callback.rsp["error_msg"] and kakaopay.closed


def test_a_window_whose_probe_failed_is_not_used_and_its_request_opens_a_frame():
    imp, bridge = ready_imp()
    bridge.load_preloaded()
    bridge.probes[2][1](False, "Failed to fetch")
    kakaopay = bridge.preloaded[2]
    assert kakaopay.closed and bridge.waiting() == bridge.preloaded[:2]
    callback = _pay(imp)
    [window] = bridge.windows
    assert window not in bridge.preloaded and window.url == kakaopay.url
    bridge.probes[-1][1](False, "Failed to fetch")
    assert callback.rsp["error_code"] == errors.WINDOW_FAILED


def test_a_used_frame_is_closed_and_a_fresh_one_loaded_for_its_setting():
    imp, bridge = ready_imp()
    bridge.load_preloaded()
    first = _pay(imp)
    used = bridge.windows[0]
    approve(bridge)
    assert first.rsp["success"] is True and used.closed
    assert len(bridge.preloaded) == 4 and bridge.preloaded[3].url == used.url
    assert [w.url for w in bridge.waiting()] == SEED_WINDOWS
    # The next request takes the fresh frame, never the used one.
    bridge.preloaded[3].load()
    second = _pay(imp, dict(PARAM, merchant_uid="order-2"))
    assert bridge.windows == [used, bridge.preloaded[3]]
    assert used.messages()[-1][0]["data"]["merchant_uid"] == "order-1"
    assert bridge.windows[1].messages()[0][0]["data"]["merchant_uid"] == "order-2"
    bridge.windows[1].user_closes()
    assert second.rsp["error_code"] == errors.USER_CANCEL


def test_closing_a_preloaded_window_ends_its_request_once_and_replaces_the_frame():
    imp, bridge = ready_imp()
    bridge.load_preloaded()
    callback = _pay(imp)
    bridge.windows[0].user_closes()
    bridge.windows[0].user_closes()
    assert callback.rsp["error_code"] == errors.USER_CANCEL
    assert len(bridge.waiting()) == 3


def test_a_request_made_while_the_settings_load_is_shown_before_any_window_is_loaded_ahead():
    bridge = FakeBridge()
    imp = Iamport(bridge)
    imp.init("imp12345678", service=SERVICE)
    callback = _pay(imp, {"pg": "html5_inicis.MID-b", "amount": 1000})
    bridge.answer(
        {"code": 0, "data": [_setting("html5_inicis", "MID-a"), _setting("html5_inicis", "MID-b")]}
    )
    # The shopper's window alone: hidden ones built now would come before it shows.
    [window] = bridge.windows
    assert window.url == WINDOWS + "/html5_inicis/MID-b" and bridge.preloaded == []
    window.load()
    # Loaded: the other setting's window is loaded ahead; this one's when its request ends.
    assert [w.url for w in bridge.preloaded] == [WINDOWS]
    approve(bridge)
    assert callback.rsp["success"] is True
    assert [w.url for w in bridge.waiting()] == [WINDOWS, WINDOWS + "/html5_inicis/MID-b"]


def test_a_window_past_the_cap_opens_its_own_frame_with_the_probe():
    settings = [_setting("kcp", "K-{}".format(n)) for n in range(6)]
    imp, bridge = ready_imp(settings=settings)
    assert len(bridge.preloaded) == 4  # the default cap
    bridge.load_preloaded()
    _pay(imp, {"pg": "kcp.K-5", "amount": 1000})
    [window] = bridge.windows
    assert window not in bridge.preloaded and window.url == WINDOWS + "/kcp/K-5"
    assert [url for url, _ in bridge.probes][4:] == [window.url]


def test_the_preload_windows_option_sets_the_cap():
    settings = [_setting("kcp", "K-{}".format(n)) for n in range(12)]
    for value, count in (
        (0, 0),
        (False, 0),
        (1, 1),
        (2.5, 2),
        (99, 10),
        (-3, 0),
        (True, 4),
        ("3", 4),
        (None, 4),
    ):
        _imp, bridge = ready_imp(settings=settings, preload_windows=value)
        assert len(bridge.preloaded) == count, (value, len(bridge.preloaded))
    _imp, bridge = ready_imp(preload_windows=1)
    assert [w.url for w in bridge.preloaded] == [WINDOWS]


def test_without_preloading_a_request_opens_its_frame_as_before():
    imp, bridge = ready_imp(preload_windows=0)
    callback = _pay(imp)
    [window] = bridge.windows
    assert window.mode == "iframe" and bridge.preloaded == []
    assert [url for url, _ in bridge.probes] == [window.url]
    approve(bridge)
    assert callback.rsp["success"] is True and bridge.preloaded == []


def test_certification_settings_load_their_certificates_window():
    settings = [_setting("html5_inicis", "MID-a"), _setting("danal", "D1", "certification")]
    imp, bridge = ready_imp(settings=settings)
    assert [w.url for w in bridge.preloaded] == [
        WINDOWS,
        SERVICE + "/certificates/ready/imp12345678/danal/D1",
    ]
    bridge.load_preloaded()
    callback = Recorder()
    imp.certification({"pg": "danal", "merchant_uid": "cert-1"}, callback)
    assert bridge.windows == [bridge.preloaded[1]]
    assert bridge.windows[0].messages()[0][0]["action"] == "certification"


def test_an_agency_tier_loads_its_windows_with_the_tier():
    bridge = FakeBridge()
    imp = Iamport(bridge)
    imp.agency("imp12345678", "T01", service=SERVICE)
    bridge.answer({"code": 0, "data": [_setting("kcp", "T-1")]})
    assert [w.url for w in bridge.preloaded] == [WINDOWS + "?tier=T01"]


def test_a_mobile_page_loads_nothing_ahead():
    imp, bridge = ready_imp(mobile=True)
    assert bridge.preloaded == []
    callback = _pay(imp, dict(PARAM, m_redirect_url="https://shop.test/done"))
    assert len(bridge.navigated) == 1 and callback.calls == [] and bridge.preloaded == []


def test_popup_pg_settings_are_not_loaded_ahead_and_popup_requests_open_their_frame():
    imp, bridge = ready_imp(settings=[_setting("kakaopay", "MID-c"), _setting("eximbay", "EXI-1")])
    assert [w.url for w in bridge.preloaded] == [WINDOWS]
    bridge.load_preloaded()
    callback = _pay(imp, {"pg": "eximbay", "amount": 10, "currency": "USD"})
    popup, frame = bridge.windows
    assert popup.mode == "popup" and frame.mode == "hidden" and frame not in bridge.preloaded
    assert [url for url, _ in bridge.probes][1:] == [frame.url]
    popup.user_closes()
    assert callback.rsp["error_code"] == errors.USER_CANCEL
    # popup: true on an overlay PG: its own hidden frame too; the preloaded one waits.
    _pay(imp, dict(PARAM, popup=True))
    assert bridge.windows[-1] not in bridge.preloaded and bridge.waiting() == bridge.preloaded


def test_a_new_init_closes_the_frames_loaded_for_the_old_one():
    imp, bridge = ready_imp()
    bridge.load_preloaded()
    callback = _pay(imp)
    old = list(bridge.preloaded)
    imp.init("imp99999999", service=SERVICE)
    assert callback.rsp["error_code"] == errors.USER_CANCEL
    assert all(w.closed for w in old) and bridge.preloaded == old  # none loaded meanwhile
    bridge.answer({"code": 0, "data": [_setting("kcp", "K-1")]})
    assert [w.url for w in bridge.waiting()] == [SERVICE + "/payments/ready/imp99999999"]


def test_a_preload_the_browser_refuses_is_logged_and_requests_open_their_own_frame():
    bridge = FakeBridge()

    def broken(url, on_load, on_closed):
        raise RuntimeError("no iframes here")

    bridge.preload_frame = broken
    imp = Iamport(bridge)
    imp.init("imp12345678", service=SERVICE)
    bridge.answer({"code": 0, "data": [_setting("kakaopay", "MID-c")]})
    assert bridge.logs[-1][0] == "warn" and "no iframes here" in bridge.logs[-1][1]
    callback = _pay(imp)
    assert len(bridge.windows) == 1 and bridge.windows[0].mode == "iframe"
    approve(bridge)
    assert callback.rsp["success"] is True


def test_a_preloaded_frame_that_loads_again_gets_the_request_once():
    imp, bridge = ready_imp()
    bridge.load_preloaded()
    bridge.load_preloaded()
    _pay(imp)
    frame = bridge.windows[0]
    frame.load()  # a window that navigates: it already has its request
    assert len(frame.messages()) == 1
    assert request_id_of(bridge) == frame.messages()[0][0]["data"]["request_id"]
