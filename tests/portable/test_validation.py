"""Parameter normalisation and the per-PG rules, one test per rule."""

from iamport_py import errors
from iamport_py.validation import (
    normalise_certification,
    normalise_payment,
    vbank_due_is_valid,
)
from tests.portable.helpers import error_code_of

INICIS = {"pg_provider": "html5_inicis", "pg_id": "MID-a", "type": "payment"}


def _setting(code, mid="M1"):
    return {"pg_provider": code, "pg_id": mid, "type": "payment"}


def _uid():
    return "mid_generated"


def _pay(param, setting=INICIS, language="ko"):
    return normalise_payment(param, setting, _uid, language)


def _normalised(param, pg_provider="html5_inicis", pg_id="MID-a", **defaults):
    """What normalise_payment should return for ``param``, written out: the SDK's
    defaults for an Inicis setting, then ``param``, then the setting's fields."""
    expected = {
        "pay_method": "card",
        "currency": "KRW",
        "language": "ko",
        "merchant_uid": "mid_generated",
    }
    expected.update(defaults)
    expected.update(param)
    expected.update({"pg": pg_provider, "pg_provider": pg_provider, "pg_id": pg_id})
    return expected


def _code(param, setting=INICIS):
    return error_code_of(_pay, param, setting)


def test_defaults_pay_method_card_and_generated_merchant_uid():
    assert _pay({"amount": 1000}) == {
        "amount": 1000,
        "pay_method": "card",
        "currency": "KRW",
        "language": "ko",
        "merchant_uid": "mid_generated",
        "pg": "html5_inicis",
        "pg_provider": "html5_inicis",
        "pg_id": "MID-a",
    }
    request = _pay({"amount": 1000})
    assert request["pay_method"] == "card"
    assert request["merchant_uid"] == "mid_generated"
    assert request["currency"] == "KRW"
    assert request["language"] == "ko"
    assert request["pg_provider"] == "html5_inicis" and request["pg_id"] == "MID-a"


def test_default_pay_method_is_the_pgs_own_when_it_has_no_card():
    assert _pay({"amount": 1000, "digital": True}, _setting("danal"))["pay_method"] == "phone"


def test_input_param_is_not_mutated():
    param = {"amount": 1000}
    _pay(param)
    assert param == {"amount": 1000}


def test_amount_is_required():
    assert _code({}) == errors.MISSING_AMOUNT
    assert _code({"amount": None}) == errors.MISSING_AMOUNT


def test_amount_must_be_a_positive_number_not_a_string_or_bool():
    for amount in ("1000", True, False, 0, -5, float("nan"), float("inf"), [1000]):
        assert _code({"amount": amount}) == errors.INVALID_AMOUNT, amount


def test_krw_amount_is_whole_won():
    assert _code({"amount": 1000.5}) == errors.INVALID_AMOUNT
    assert _pay({"amount": 1000.0})["amount"] == 1000


def test_negative_zero_and_fractions_of_a_won_are_refused():
    for amount in (-0.0, 0.5, 0.001):
        assert _code({"amount": amount}) == errors.INVALID_AMOUNT, amount
    assert _code({"amount": -0.0, "customer_uid": "c1"}) == errors.INVALID_AMOUNT


def test_amounts_follow_the_currency_minor_units():
    paypal = _setting("paypal")
    assert _code({"amount": 10.555, "currency": "USD"}, paypal) == errors.INVALID_AMOUNT
    assert _code({"amount": 100.5, "currency": "JPY"}, paypal) == errors.INVALID_AMOUNT
    assert _pay({"amount": 100, "currency": "JPY"}, paypal)["amount"] == 100


def test_usd_amount_may_have_cents():
    request = _pay({"amount": 10.5, "currency": "USD"}, _setting("paypal"))
    assert request["amount"] == 10.5


def test_amount_zero_is_allowed_only_to_issue_a_billing_key():
    assert _pay({"amount": 0, "customer_uid": "cust-1"})["amount"] == 0


def test_strings_are_expected_where_strings_are_documented():
    for field in ("name", "buyer_email", "merchant_uid", "m_redirect_url", "pay_method"):
        assert _code({"amount": 1000, field: 12}) == errors.INVALID_TYPE, field


def test_booleans_are_expected_where_booleans_are_documented():
    assert _code({"amount": 1000, "popup": "yes"}) == errors.INVALID_TYPE


def test_notice_url_is_a_string_or_a_list_of_strings():
    param = {"amount": 1000, "notice_url": ["https://a.test/n"]}
    assert _pay(param) == _normalised(param)
    assert (
        _pay({"amount": 1000, "notice_url": "https://a.test/n"})["notice_url"] == "https://a.test/n"
    )
    assert _code({"amount": 1000, "notice_url": [1]}) == errors.INVALID_TYPE


def test_custom_data_must_be_json_serialisable():
    param = {"amount": 1000, "custom_data": {"a": [1, "b"]}}
    assert _pay(param) == _normalised(param)
    for bad in ({"f": object()}, {1: "int key"}, [float("nan")], {"set": {1, 2}}):
        assert _code({"amount": 1000, "custom_data": bad}) == errors.INVALID_CUSTOM_DATA, bad


def test_merchant_uid_is_at_most_40_characters():
    assert _pay({"amount": 1000, "merchant_uid": "x" * 40})["merchant_uid"] == "x" * 40
    assert _code({"amount": 1000, "merchant_uid": "x" * 41}) == errors.MERCHANT_UID_TOO_LONG


def test_pay_method_must_be_supported_by_the_resolved_pg():
    assert (
        _code({"amount": 1000, "pay_method": "vbank"}, _setting("kakaopay"))
        == errors.UNSUPPORTED_PAY_METHOD
    )


def test_currency_must_be_supported_by_the_resolved_pg():
    assert (
        _code({"amount": 1000, "currency": "KRW"}, _setting("paypal"))
        == errors.UNSUPPORTED_CURRENCY
    )
    assert _code({"amount": 1000, "currency": "EUR"}) == errors.UNSUPPORTED_CURRENCY


def test_paypal_and_eximbay_default_to_usd():
    assert _pay({"amount": 10}, _setting("paypal"))["currency"] == "USD"
    assert _pay({"amount": 10}, _setting("eximbay"))["currency"] == "USD"


def test_language_must_be_one_the_pg_offers():
    assert _code({"amount": 1000, "language": "ja"}, _setting("kcp")) == errors.UNSUPPORTED_LANGUAGE
    assert _pay({"amount": 10, "language": "ja"}, _setting("paypal"))["language"] == "ja"


def test_default_language_falls_back_to_the_pgs_first():
    assert _pay({"amount": 10}, _setting("kcp"), language="ja")["language"] == "ko"


def test_phone_needs_digital():
    assert _code({"amount": 1000, "pay_method": "phone"}) == errors.PHONE_NEEDS_DIGITAL
    param = {"amount": 1000, "pay_method": "phone", "digital": False}
    assert _pay(param) == _normalised(param)


def test_vbank_needs_vbank_due_in_an_accepted_format():
    assert _code({"amount": 1000, "pay_method": "vbank"}) == errors.INVALID_VBANK_DUE
    assert (
        _code({"amount": 1000, "pay_method": "vbank", "vbank_due": "tomorrow"})
        == errors.INVALID_VBANK_DUE
    )
    param = {"amount": 1000, "pay_method": "vbank", "vbank_due": "20991231"}
    assert _pay(param) == _normalised(param)


def test_vbank_due_formats():
    for due in ("20991231", "2099-12-31", "209912312359", "20991231235959", "2099-12-31 23:59:59"):
        assert vbank_due_is_valid(due), due
    for due in (
        "2099123",
        "2099/12/31",
        "20991331",
        "20991200",
        "209912312460",
        "2099-12-31T23:59:59",
        "2099-12-31 23:59",
        "",
        None,
        20991231,
    ):
        assert not vbank_due_is_valid(due), due


def test_danal_tpay_vbank_needs_a_10_digit_biz_num():
    param = {"amount": 1000, "pay_method": "vbank", "vbank_due": "20991231"}
    assert _code(param, _setting("danal_tpay")) == errors.INVALID_BIZ_NUM
    param["biz_num"] = "12345"
    assert _code(param, _setting("danal_tpay")) == errors.INVALID_BIZ_NUM
    param["biz_num"] = "123-45-67890"
    assert _pay(param, _setting("danal_tpay"))["biz_num"] == "1234567890"


def test_kcp_billing_needs_customer_uid():
    assert _code({"amount": 1000}, _setting("kcp_billing")) == errors.MISSING_CUSTOMER_UID
    param = {"amount": 1000, "customer_uid": "c1"}
    assert _pay(param, _setting("kcp_billing")) == _normalised(param, "kcp_billing", "M1")


def test_tax_free_and_vat_amount_within_amount():
    assert _code({"amount": 1000, "tax_free": 1001}) == errors.INVALID_TAX_FREE
    assert _code({"amount": 1000, "tax_free": -1}) == errors.INVALID_TAX_FREE
    assert _code({"amount": 1000, "tax_free": "1"}) == errors.INVALID_TAX_FREE
    assert _code({"amount": 1000, "vat_amount": 2000}) == errors.INVALID_VAT_AMOUNT
    param = {"amount": 1000, "tax_free": 1000, "vat_amount": 0}
    assert _pay(param) == _normalised(param)


def test_unknown_pg_of_a_setting_still_gets_shared_rules_only():
    param = {"amount": 1000, "pay_method": "anything"}
    assert _pay(param, _setting("brand_new_pg")) == _normalised(param, "brand_new_pg", "M1")
    assert (
        _code({"amount": 1000, "pay_method": "vbank"}, _setting("brand_new_pg"))
        == errors.INVALID_VBANK_DUE
    )


def test_certification_needs_no_amount_but_checks_types():
    request = normalise_certification({"pg": "danal"}, _setting("danal"), _uid)
    assert request["merchant_uid"] == "mid_generated"
    assert (
        error_code_of(normalise_certification, {"min_age": "19"}, _setting("danal"), _uid)
        == errors.INVALID_TYPE
    )


def test_messages_in_korean_and_english():
    from iamport_py.errors import IamportError

    error = IamportError(errors.MERCHANT_UID_TOO_LONG, limit=40)
    assert "40" in error.message("ko") and "주문번호" in error.message("ko")
    assert error.message("en") == "merchant_uid is at most 40 characters long."


def test_every_code_has_both_messages():
    tables = ("MESSAGES", "DECLINE_CODES")
    names = [name for name in dir(errors) if name.isupper() and name not in tables]
    for name in names:
        code = getattr(errors, name)
        pair = errors.MESSAGES[code]
        assert len(pair) == 2 and pair[0] and pair[1], code


def test_every_field_must_be_json_data():
    assert _code({"amount": 1000, "extra": object()}) == errors.INVALID_TYPE
    assert _code({"amount": 1000, "nested": {"x": [object()]}}) == errors.INVALID_TYPE
    assert _code({"amount": 1000, 3: "int key"}) == errors.INVALID_TYPE
    param = {"amount": 1000, "extra": {"fine": [1, "two", None, True]}}
    assert _pay(param) == _normalised(param)
