"""Outside a browser (CPython, or MicroPython under Node) the SDK goes headless: it
routes and validates, and reports instead of crashing where a browser is needed."""

from iamport_py import browser, errors
from iamport_py.host import HeadlessBridge, default_bridge
from iamport_py.imp import Iamport
from iamport_py.testing import Recorder


def test_outside_a_browser_the_host_is_headless():
    assert browser.IN_BROWSER is False
    assert isinstance(default_bridge(), HeadlessBridge)


def test_headless_IMP_reports_NOT_READY_through_the_callback():
    imp = Iamport()
    imp.init("imp10000001")
    callback = Recorder()
    imp.request_pay({"pg": "kakaopay", "amount": 1000}, callback)
    assert callback.rsp["error_code"] == errors.NOT_READY
    assert isinstance(imp._bridge, HeadlessBridge) and imp.state == "failed"


def test_headless_validation_still_answers_before_any_window():
    imp = Iamport()
    callback = Recorder()
    imp.request_pay("not a dict", callback)
    assert callback.rsp["error_code"] == errors.INVALID_PARAM


def test_the_headless_clock_is_milliseconds_since_1970():
    now = HeadlessBridge().now_ms()
    assert isinstance(now, int) and 1600000000000 < now < 4102444800000
