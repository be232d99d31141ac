"""NOT_READY names the user code and the service it tried (issue 15): a wrong user code
or a service that is down is otherwise only the browser's 404 or network line."""

from iamport_py import errors
from iamport_py.imp import Iamport
from iamport_py.testing import SERVICE, FakeBridge, Recorder
from tests.portable.helpers import PARAM


def _failed_request(answer=None, language=None):
    bridge = FakeBridge()
    imp = Iamport(bridge)
    if language:
        imp.init("imp_wrong_code", service=SERVICE, language=language)
    else:
        imp.init("imp_wrong_code", service=SERVICE)
    callback = Recorder()
    imp.request_pay(dict(PARAM), callback)
    if answer is None:
        bridge.fail_fetch("TypeError: Failed to fetch")
    else:
        bridge.answer(answer)
    return bridge, callback.rsp


def test_not_ready_names_the_user_code_and_the_service():
    _, rsp = _failed_request({"code": -1, "msg": "unknown user code"}, language="en")
    assert rsp["error_code"] == errors.NOT_READY
    assert "imp_wrong_code" in rsp["error_msg"] and SERVICE in rsp["error_msg"]
    assert "unknown user code" in rsp["error_msg"]


def test_not_ready_in_korean_names_them_too():
    _, rsp = _failed_request()
    assert rsp["error_code"] == errors.NOT_READY
    assert "가맹점 식별코드 imp_wrong_code" in rsp["error_msg"]
    assert SERVICE in rsp["error_msg"] and "Failed to fetch" in rsp["error_msg"]


def test_a_failed_load_is_logged_at_init_naming_code_and_service():
    bridge = FakeBridge()
    imp = Iamport(bridge)
    imp.init("imp_wrong_code", service=SERVICE, language="en")
    bridge.answer({"code": -1, "msg": "unknown user code"})
    warnings = [entry for entry in bridge.logs if "imp_wrong_code" in str(entry)]
    assert warnings and SERVICE in str(warnings[0])
