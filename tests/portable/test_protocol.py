"""The wire's pure functions: origins, window URLs, messages."""

import json

from iamport_py import protocol


def test_origins_are_normalised_as_browsers_write_event_origin():
    cases = {
        "https://service.iamport.kr:443": "https://service.iamport.kr",
        "https://service.iamport.kr:443/": "https://service.iamport.kr",
        "HTTPS://Service.IAMPORT.kr/payments?x=1#y": "https://service.iamport.kr",
        "http://127.0.0.1:80/": "http://127.0.0.1",
        "http://127.0.0.1:8000/a": "http://127.0.0.1:8000",
        "https://host.test:80": "https://host.test:80",
        "http://host.test:443": "http://host.test:443",
        "http://user:secret@Host.test:8080/": "http://host.test:8080",
        "http://[::1]:80/x": "http://[::1]",
        "http://[::1]:8000": "http://[::1]:8000",
        "http://[::1]": "http://[::1]",
        "service.iamport.kr": "",
        "https://": "",
        "": "",
    }
    for url, origin in cases.items():
        assert protocol.origin_of(url) == origin, url
    assert protocol.origin_of(None) == ""


def test_incoming_origin_is_compared_normalised():
    done = json.dumps({"action": "done", "data": {"request_id": "req_1"}})
    service = protocol.origin_of("https://service.test:443")
    for origin in ("https://service.test", "https://SERVICE.test", "https://service.test:443"):
        assert protocol.parse_incoming(origin, done, service) == (
            "done",
            {"request_id": "req_1"},
        ), origin
    for origin in (
        "http://service.test",
        "https://service.test:8443",
        "https://evil.test",
        "null",
        "",
    ):
        assert protocol.parse_incoming(origin, done, service) is None, origin


def test_window_urls_follow_iamport_shapes():
    default = {"pg_provider": "html5_inicis", "pg_id": "MID-a"}
    assert (
        protocol.window_url("https://s.test/", "payment", "imp1", default, True)
        == "https://s.test/payments/ready/imp1"
    )
    assert (
        protocol.window_url("https://s.test", "payment", "imp1", default, False)
        == "https://s.test/payments/ready/imp1/html5_inicis/MID-a"
    )
    assert (
        protocol.window_url(
            "https://s.test", "payment", "imp1", {"pg_provider": "kakaopay", "pg_id": ""}, False
        )
        == "https://s.test/payments/ready/imp1/kakaopay"
    )
    assert (
        protocol.window_url(
            "https://s.test",
            "certification",
            "imp1",
            {"pg_provider": "danal", "pg_id": "D/1 x"},
            False,
            "T 1",
        )
        == "https://s.test/certificates/ready/imp1/danal/D%2F1%20x?tier=T%201"
    )
    assert (
        protocol.window_url("https://s.test", "payment", "imp1", default, True, "T1")
        == "https://s.test/payments/ready/imp1?tier=T1"
    )


def test_redirect_url_adds_the_request_to_any_window_url():
    request = {"request_id": "req_1"}
    assert (
        protocol.redirect_url("https://s.test/payments/ready/imp1", request)
        == "https://s.test/payments/ready/imp1?request=%7B%22request_id%22%3A%20%22req_1%22%7D"
    )
    assert protocol.redirect_url("https://s.test/payments/ready/imp1?tier=T1", request).startswith(
        "https://s.test/payments/ready/imp1?tier=T1&request=%7B"
    )


def test_request_message_is_iamport_js_1_2_shape():
    sent = json.loads(
        protocol.request_message(
            "payment", {"amount": 1, "request_id": "req_1"}, "https://shop.test/x"
        )
    )
    assert sent == {
        "action": "payment",
        "data": {"amount": 1, "request_id": "req_1"},
        "origin": "https://shop.test/x",
        "from": "iamport-sdk",
        "version": "1.2.0",
    }


def test_communicate_message_says_the_popup_closed():
    sent = json.loads(protocol.communicate_message("req_1", "order-1", "imp_1"))
    assert sent == {
        "action": "communicate",
        "data": {
            "request_id": "req_1",
            "merchant_uid": "order-1",
            "imp_uid": "imp_1",
            "result": "proxy.closed",
        },
        "from": "iamport-sdk",
        "version": "1.2.0",
    }


def test_modal_actions_are_told_from_results_and_other_intercepts():
    for action in ("eximbay.modal", "payco.modal", "danal.modal", "kcp_quick.modal"):
        assert protocol.is_modal(action), action
    for action in (
        "done",
        ".modal",
        "naverpay.modal.v2",
        "payco.modal.error",
        "a b.modal",
        "modal",
        "Eximbay.modal",
    ):
        assert not protocol.is_modal(action), action
    for action in protocol.UNSUPPORTED_INTERCEPTS:
        assert protocol.is_unsupported_intercept(action) and not protocol.is_modal(action)


def test_modal_form_fields_are_strings():
    url, fields = protocol.modal_form(
        {
            "action": "https://pg.test/pay",
            "formData": {"a": "x", "n": 3, "b": True, "none": None, "obj": {"k": 1}},
        }
    )
    assert url == "https://pg.test/pay"
    assert fields == {"a": "x", "n": "3", "b": "true", "none": "", "obj": '{"k": 1}'}
    for bad in ({"action": "javascript:alert(1)"}, {"action": 7}, {}):
        try:
            protocol.modal_form(bad)
        except ValueError:
            continue
        raise AssertionError("accepted " + repr(bad))
