"""Issue 24, item 4: the two unauthenticated endpoints that answered 500 to bad input answer
a JSON 400 now (the third fault, an ``HTTP://`` notice_url: tests/sandbox/test_webhook_chaos.py)."""

import pytest

from tests.sandbox.inprocess import window_open

PG_FORM = {
    "imp_uid": "imp_123456789012",
    "request_id": "req_1",
    "user_code": "imp10000001",
    "origin": "http://shop.test",
    "action": "payment",
}


def _json_400(answer):
    assert answer.status_code == 400, (answer.status_code, answer.text)
    assert answer.headers["content-type"].startswith("application/json")
    return answer.json()["message"]


@pytest.mark.parametrize("action", [["payment"], {"payment": 1}, [], {}, 1, None, True])
def test_a_window_open_with_an_action_that_is_no_text_is_a_400(http, action):
    message = _json_400(http.post("/sandbox/windows/open", json=window_open(action=action)))
    assert "'action' must be" in message


@pytest.mark.parametrize("outcome", [["approve"], {"approve": 1}, 3])
def test_a_window_complete_with_an_outcome_that_is_no_text_is_a_400(http, outcome):
    opened = http.post("/sandbox/windows/open", json=window_open()).json()["response"]
    answer = http.post(
        "/sandbox/windows/{}/complete".format(opened["imp_uid"]),
        json={"user_code": "imp10000001", "request_id": "req_test_1", "outcome": outcome},
    )
    assert "'outcome' must be" in _json_400(answer)


@pytest.mark.parametrize("origin", ["http://[::1", "https://[zz]", "http://[", "http://[::1:80"])
def test_the_pg_page_with_an_origin_urlsplit_refuses_is_a_400(http, origin):
    answer = http.post("/sandbox/pg/imp_123456789012", data=dict(PG_FORM, origin=origin))
    assert _json_400(answer) == "'origin' must be an http(s) origin"


def test_the_pg_page_still_takes_a_bracketed_ipv6_origin(http):
    answer = http.post(
        "/sandbox/pg/imp_123456789012", data=dict(PG_FORM, origin="http://[::1]:8000")
    )
    assert answer.status_code == 200, answer.text
