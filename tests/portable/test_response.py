"""The rsp builders, parse_redirect and the URL codec under it."""

from iamport_py import parse_redirect
from iamport_py.errors import IamportError
from iamport_py.response import failure_response, success_response
from iamport_py.urlcodec import encode_query, parse_query, quote, unquote


def test_failure_response_shape():
    rsp = failure_response(IamportError("F1001", action="payment"), "order-1", "en")
    assert rsp == {
        "success": False,
        "imp_uid": None,
        "merchant_uid": "order-1",
        "error_code": "F1001",
        "error_msg": "No PG setting of type 'payment' is registered.",
    }


def test_success_response_keeps_only_documented_fields():
    rsp = success_response(
        {
            "success": True,
            "imp_uid": "imp_1",
            "paid_amount": 1000,
            "request_id": "req_1",
            "evil": "<script>",
        }
    )
    assert rsp["success"] is True and rsp["paid_amount"] == 1000
    assert "evil" not in rsp and "request_id" not in rsp


def test_success_must_be_the_boolean_true():
    assert success_response({"success": "true"})["success"] is False


def test_parse_redirect_success():
    rsp = parse_redirect("https://shop.test/done?imp_uid=imp_123&merchant_uid=o-1&imp_success=true")
    assert rsp == {
        "success": True,
        "imp_uid": "imp_123",
        "merchant_uid": "o-1",
        "error_code": None,
        "error_msg": None,
    }


def test_parse_redirect_failure_with_decoded_message():
    rsp = parse_redirect(
        "?imp_uid=imp_1&merchant_uid=o-1&imp_success=false&error_code=F0005"
        "&error_msg=%EC%B7%A8%EC%86%8C+by%20user"
    )
    assert rsp["success"] is False and rsp["error_code"] == "F0005"
    assert rsp["error_msg"] == "취소 by user"


def test_parse_redirect_falls_back_to_success_key():
    assert parse_redirect("success=true&imp_uid=x")["success"] is True
    assert parse_redirect("imp_success=false&success=true")["success"] is False


def test_parse_redirect_repeated_key_takes_first_value():
    assert parse_redirect("imp_uid=first&imp_uid=second")["imp_uid"] == "first"


def test_parse_redirect_survives_a_stray_percent():
    assert parse_redirect("error_msg=100%&imp_success=false")["error_msg"] == "100%"
    assert parse_redirect("error_msg=%zz%4")["error_msg"] == "%zz%4"


def test_parse_redirect_of_nothing():
    assert parse_redirect("")["success"] is False
    assert parse_redirect(None)["imp_uid"] is None


def test_quote_round_trip():
    for text in ("a b&c=d", "한글 주문", "100%", "~-._", "/?#"):
        assert unquote(quote(text)) == text, text


def test_parse_query_ignores_fragment_and_empty_parts():
    assert parse_query("?a=1&&b=&c#frag") == {"a": "1", "b": "", "c": ""}


def test_encode_query_skips_none_and_spells_booleans():
    assert encode_query({"a": None, "b": True, "c": "x y"}) == "b=true&c=x%20y"
