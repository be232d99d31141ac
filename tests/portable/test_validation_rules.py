"""request_pay's parameter rules, each in the detail a merchant meets it: which field the
error names and what it expected, the bounds of a plausible vbank_due, how deep JSON data
may nest, the defaults filled in. Written out by hand, one test per rule
(test_validation.py has the codes)."""

from iamport_py import errors
from iamport_py.errors import IamportError
from iamport_py.validation import (
    apply_rule,
    message_language,
    normalise_certification,
    normalise_payment,
    vbank_due_is_valid,
)

INICIS = {"pg_provider": "html5_inicis", "pg_id": "MID-a", "type": "payment"}
PAYPAL = {"pg_provider": "paypal_v2", "pg_id": "P1", "type": "payment"}


def _uid():
    return "mid_generated"


def _error(function, *args):
    try:
        function(*args)
    except IamportError as error:
        return error
    raise AssertionError("no IamportError raised")


def _refusal(param, setting=INICIS):
    """``(code, details)`` of the error normalise_payment raises for ``param``."""
    error = _error(normalise_payment, param, setting, _uid)
    return error.code, error.details


def _nested(depth, inner):
    """``inner`` inside ``depth`` lists, then the same inside dicts."""
    lists, dicts = inner, inner
    for _ in range(depth):
        lists, dicts = [lists], {"k": dicts}
    return lists, dicts


# -- types ---------------------------------------------------------------------------------


def test_every_string_parameter_refuses_another_type_naming_itself():
    for field in (
        "pg",
        "pay_method",
        "merchant_uid",
        "name",
        "currency",
        "language",
        "buyer_name",
        "buyer_tel",
        "buyer_email",
        "buyer_addr",
        "buyer_postcode",
        "m_redirect_url",
        "app_scheme",
        "vbank_due",
        "biz_num",
        "customer_uid",
        "confirm_url",
        "carrier",
        "company",
        "phone",
    ):
        assert _refusal({"amount": 1000, field: 12}) == (
            errors.INVALID_TYPE,
            {"field": field, "expected": "string"},
        ), field


def test_every_boolean_parameter_refuses_another_type_naming_itself():
    for field in ("digital", "escrow", "popup"):
        assert _refusal({"amount": 1000, field: "yes"}) == (
            errors.INVALID_TYPE,
            {"field": field, "expected": "boolean"},
        ), field


def test_notice_url_is_a_string_or_a_list_of_strings():
    expected = (
        errors.INVALID_TYPE,
        {"field": "notice_url", "expected": "string or list of strings"},
    )
    assert _refusal({"amount": 1000, "notice_url": 12}) == expected
    assert _refusal({"amount": 1000, "notice_url": ["https://a.test/n", 12]}) == expected


def test_a_value_that_is_not_json_data_names_its_field():
    assert _refusal({"amount": 1000, "extra": float("nan")}) == (
        errors.INVALID_TYPE,
        {"field": "extra", "expected": "JSON data (string, number, boolean, list, object)"},
    )


def test_tax_free_and_vat_amount_have_their_own_codes_not_the_json_check():
    for value in (float("nan"), float("inf")):
        assert _refusal({"amount": 1000, "tax_free": value})[0] == errors.INVALID_TAX_FREE
        assert _refusal({"amount": 1000, "vat_amount": value})[0] == errors.INVALID_VAT_AMOUNT


def test_custom_data_with_an_infinite_number_is_refused():
    assert (
        _refusal({"amount": 1000, "custom_data": {"n": float("inf")}})[0]
        == errors.INVALID_CUSTOM_DATA
    )


def test_min_age_is_an_integer():
    setting = {"pg_provider": "danal", "pg_id": "D1", "type": "certification"}
    for value in ("19", 19.0, True):
        error = _error(normalise_certification, {"min_age": value}, setting, _uid)
        assert (error.code, error.details) == (
            errors.INVALID_TYPE,
            {"field": "min_age", "expected": "integer"},
        ), value


# -- JSON data: at most 32 levels deep ------------------------------------------------------


def test_json_data_nests_at_most_32_levels():
    for deepest in _nested(32, "x"):
        normalise_payment({"amount": 1000, "custom_data": deepest}, INICIS, _uid)
        normalise_payment({"amount": 1000, "extra": deepest}, INICIS, _uid)
    for too_deep in _nested(33, "x"):
        assert _refusal({"amount": 1000, "custom_data": too_deep})[0] == errors.INVALID_CUSTOM_DATA
        assert _refusal({"amount": 1000, "extra": too_deep})[0] == errors.INVALID_TYPE


# -- vbank_due: a plausible date and time ---------------------------------------------------


def test_vbank_due_dates_must_be_plausible():
    for due in (
        "20991210",
        "2099-12-10",
        "20990101",
        "209912102359",
        "20991210235959",
        "2099-12-10 23:59:59",
        "2099-12-10 00:00:00",
    ):
        assert vbank_due_is_valid(due), due
    for due in ("20991232", "20991300", "20990010", "20991200", "2099-12-32"):
        assert not vbank_due_is_valid(due), due


def test_vbank_due_times_must_be_plausible():
    for due in (
        "209912312400",
        "209912312360",
        "20991231240000",
        "20991231236000",
        "20991231235960",
        "2099-12-31 24:00:00",
        "2099-12-31 23:60:00",
        "2099-12-31 23:59:60",
    ):
        assert not vbank_due_is_valid(due), due


def test_a_vbank_due_rule_takes_every_vbank_due_shape():
    rule = {
        "field": "vbank_due",
        "required": True,
        "format": "vbank_due",
        "code": errors.INVALID_VBANK_DUE,
    }
    for due in ("2099-12-31 23:59:59", "209912312359"):
        request = {"vbank_due": due}
        apply_rule(rule, request)
        assert request == {"vbank_due": due}


# -- what a broken rule says it expected ----------------------------------------------------


def test_a_broken_rule_says_what_it_expected():
    for rule, expected in (
        ({"field": "biz_num", "format": "digits", "length": 10}, "10 digits"),
        ({"field": "vbank_due", "format": "vbank_due"}, "a vbank_due date"),
        ({"field": "naverUseCfm", "format": "date"}, "a date as YYYYMMDD"),
        ({"field": "naverProducts", "type": "objects"}, "list of objects"),
        ({"field": "naverPopupMode", "type": "boolean"}, "boolean"),
        ({"field": "mode", "values": ("a", "b")}, "one of a, b"),
        ({"field": "customer_uid", "required": True}, ""),
    ):
        error = _error(
            apply_rule, rule, {rule["field"]: None if "required" in rule else 12}, "some_pg"
        )
        assert error.details == {"field": rule["field"], "pg": "some_pg", "expected": expected}, (
            rule
        )


# -- the PG's lists in its refusals ---------------------------------------------------------


def test_an_unsupported_value_lists_what_the_pg_supports():
    kakaopay = {"pg_provider": "kakaopay", "pg_id": "MID-c", "type": "payment"}
    assert _refusal({"amount": 1000, "language": "ja"}, kakaopay) == (
        errors.UNSUPPORTED_LANGUAGE,
        {"pg": "kakaopay", "language": "ja", "supported": "ko, en, zh"},
    )
    assert _refusal({"amount": 1000, "pay_method": "vbank"}, kakaopay) == (
        errors.UNSUPPORTED_PAY_METHOD,
        {"pg": "kakaopay", "pay_method": "vbank", "supported": "card, point"},
    )
    assert _refusal({"amount": 1000, "currency": "USD"}, kakaopay) == (
        errors.UNSUPPORTED_CURRENCY,
        {"pg": "kakaopay", "currency": "USD", "supported": "KRW"},
    )


def test_an_unsupported_currency_lists_every_currency_the_pg_takes():
    assert _refusal({"amount": 1000, "currency": "JPY"}, INICIS) == (
        errors.UNSUPPORTED_CURRENCY,
        {"pg": "html5_inicis", "currency": "JPY", "supported": "KRW, USD"},
    )


def test_a_pg_the_catalog_does_not_know_is_named_in_its_refusals():
    unknown = {"pg_provider": "brand_new_pg", "pg_id": "M1", "type": "payment"}
    code, details = _refusal({"amount": 1000, "language": "ja"}, unknown)
    assert (code, details["pg"], details["language"]) == (
        errors.UNSUPPORTED_LANGUAGE,
        "brand_new_pg",
        "ja",
    )


# -- defaults ------------------------------------------------------------------------------


def test_the_default_language_is_korean_where_the_pg_speaks_it():
    # PayPal lists English first: Korean is still the default, as the page's IMP has it.
    assert normalise_payment({"amount": 10, "currency": "USD"}, PAYPAL, _uid)["language"] == "ko"
    assert (
        normalise_payment({"amount": 10, "currency": "USD"}, PAYPAL, _uid, "en")["language"] == "en"
    )


def test_a_certification_takes_the_default_language_unless_it_names_one():
    setting = {"pg_provider": "danal", "pg_id": "D1", "type": "certification"}
    assert normalise_certification({}, setting, _uid)["language"] == "ko"
    assert normalise_certification({}, setting, _uid, "en")["language"] == "en"
    assert normalise_certification({"language": "en"}, setting, _uid)["language"] == "en"


def test_the_request_keeps_the_pg_value_the_merchant_gave():
    request = normalise_payment({"amount": 1000, "pg": "html5_inicis.MID-a"}, INICIS, _uid)
    assert (request["pg"], request["pg_provider"], request["pg_id"]) == (
        "html5_inicis.MID-a",
        "html5_inicis",
        "MID-a",
    )


def test_messages_are_in_the_requests_language_else_the_default():
    assert message_language({"language": "en"}) == "en"
    assert message_language({}) == "ko"
    assert message_language({"language": 12}) == "ko"
    assert message_language("not a dict", "en") == "en"
    assert message_language(None) == "ko"
