"""PG parameter rules as catalog data (iamport_py.catalog: COMMON_RULES and each entry's
``rules``), as validation applies them: one test per rule, and one that every rule in the
catalog has its test here."""

from iamport_py import errors
from iamport_py.catalog import COMMON_RULES, PGS, RULE_FORMATS, RULE_TYPES
from iamport_py.errors import IamportError
from iamport_py.validation import apply_rule, normalise_payment
from tests.portable.helpers import error_code_of

# (PG code or "*" for COMMON_RULES, field): every rule the catalog holds, each tested below.
TESTED = {
    ("*", "digital"),
    ("*", "vbank_due"),
    ("danal_tpay", "biz_num"),
    ("kcp_billing", "customer_uid"),
    ("naverpay", "naverProducts"),
    ("naverpay", "naverPopupMode"),
    ("naverpay", "naverCultureBenefit"),
    ("naverpay", "naverUseCfm"),
    ("naverpay", "naverPurchaserName"),
    ("naverpay", "naverPurchaserBirthday"),
    ("naverco", "naverProducts"),
    ("naverco", "naverPopupMode"),
    ("naverco", "naverCultureBenefit"),
    ("naverco", "naverUseCfm"),
    ("naverco", "naverPurchaserName"),
    ("naverco", "naverPurchaserBirthday"),
}


def _pay(code, **param):
    param.setdefault("amount", 1000)
    setting = {"pg_provider": code, "pg_id": "M1", "type": "payment"}
    return normalise_payment(param, setting, lambda: "mid_generated")


def _error(code, **param):
    try:
        _pay(code, **param)
    except IamportError as error:
        return error
    raise AssertionError("no IamportError raised")


def test_every_catalog_rule_has_its_test_here():
    held = {("*", rule["field"]) for rule in COMMON_RULES}
    for code in PGS:
        held |= {(code, rule["field"]) for rule in PGS[code]["rules"]}
    assert held == TESTED


def test_every_rule_is_well_formed():
    keys = ("field", "when", "required", "type", "format", "length", "strip", "values", "code")
    rules = list(COMMON_RULES)
    for code in PGS:
        rules.extend(PGS[code]["rules"])
    for rule in rules:
        assert isinstance(rule["field"], str), rule
        assert all(key in keys for key in rule), rule
        assert rule.get("type", "string") in RULE_TYPES, rule
        assert rule.get("format", "date") in RULE_FORMATS, rule
        assert rule.get("format") != "digits" or isinstance(rule["length"], int), rule
        assert rule.get("code", errors.INVALID_TYPE) in errors.MESSAGES, rule


# -- COMMON_RULES --------------------------------------------------------------------------


def test_phone_needs_digital_on_every_pg():
    for code in ("html5_inicis", "danal", "mobilians", "brand_new_pg"):
        assert error_code_of(_pay, code, pay_method="phone") == errors.PHONE_NEEDS_DIGITAL, code
    assert _pay("danal", pay_method="phone", digital=False)["digital"] is False
    assert "digital" not in _pay("html5_inicis", pay_method="card")


def test_vbank_needs_a_valid_vbank_due_on_every_pg():
    for code in ("html5_inicis", "settle", "brand_new_pg"):
        assert error_code_of(_pay, code, pay_method="vbank") == errors.INVALID_VBANK_DUE, code
        assert (
            error_code_of(_pay, code, pay_method="vbank", vbank_due="2099-13-01")
            == errors.INVALID_VBANK_DUE
        ), code
    assert _pay("settle", pay_method="vbank", vbank_due="20991231")["vbank_due"] == "20991231"


# -- per-PG rules ----------------------------------------------------------------------------


def test_danal_tpay_vbank_needs_a_10_digit_biz_num_sent_without_dashes():
    base = {"pay_method": "vbank", "vbank_due": "20991231"}
    for biz_num in (None, "", "12345", "123456789a", "12345678901"):
        error = _error("danal_tpay", biz_num=biz_num, **base)
        assert error.code == errors.INVALID_BIZ_NUM, biz_num
    assert _pay("danal_tpay", biz_num="123-45-67890", **base)["biz_num"] == "1234567890"
    # Only Danal's virtual accounts: its card payments and other PGs' vbank need none.
    assert "biz_num" not in _pay("danal_tpay", pay_method="card")
    assert "biz_num" not in _pay("html5_inicis", **base)


def test_kcp_billing_needs_customer_uid():
    error = _error("kcp_billing")
    assert error.code == errors.MISSING_CUSTOMER_UID
    assert error.message("en") == "kcp_billing requires customer_uid (the billing key's id)."
    assert _error("kcp_billing", customer_uid="").code == errors.MISSING_CUSTOMER_UID
    assert _pay("kcp_billing", customer_uid="c1")["customer_uid"] == "c1"
    assert "customer_uid" not in _pay("kcp")


def _naver_pgs():
    return ("naverpay", "naverco")


def test_naver_products_is_a_list_of_objects():
    products = [{"categoryType": "BOOK", "categoryId": "GENERAL", "uid": "p1", "name": "Book"}]
    for code in _naver_pgs():
        assert _pay(code, naverProducts=products)["naverProducts"] == products
        for bad in ("p1", [1], [["p1"]], {"uid": "p1"}):
            error = _error(code, naverProducts=bad)
            assert (error.code, error.details["field"]) == (errors.INVALID_TYPE, "naverProducts")
            assert error.message("en") == (
                "'naverProducts' has the wrong type; expected list of objects."
            )
    # Another PG does not read it: no rule of Naver's applies there.
    assert _pay("kakaopay", naverProducts="anything")["naverProducts"] == "anything"


def test_naver_popup_mode_is_a_boolean():
    for code in _naver_pgs():
        assert _pay(code, naverPopupMode=True)["naverPopupMode"] is True
        assert _error(code, naverPopupMode="true").details["expected"] == "boolean"


def test_naver_culture_benefit_is_a_boolean():
    for code in _naver_pgs():
        assert _pay(code, naverCultureBenefit=False)["naverCultureBenefit"] is False
        assert _error(code, naverCultureBenefit=1).code == errors.INVALID_TYPE


def test_naver_use_cfm_is_a_date():
    for code in _naver_pgs():
        assert _pay(code, naverUseCfm="20991231")["naverUseCfm"] == "20991231"
        for bad in ("2099-12-31", "20991331", 20991231, "209912"):
            error = _error(code, naverUseCfm=bad)
            assert error.details["expected"] == "a date as YYYYMMDD", bad


def test_naver_purchaser_name_is_a_string():
    for code in _naver_pgs():
        assert _pay(code, naverPurchaserName="홍길동")["naverPurchaserName"] == "홍길동"
        assert _error(code, naverPurchaserName=["홍"]).details["field"] == "naverPurchaserName"


def test_naver_purchaser_birthday_is_a_date():
    for code in _naver_pgs():
        assert _pay(code, naverPurchaserBirthday="19900101")["naverPurchaserBirthday"] == (
            "19900101"
        )
        assert _error(code, naverPurchaserBirthday="1990-01-01").code == errors.INVALID_TYPE


# -- the rule engine (validation.apply_rule) ---------------------------------------------


def test_a_rule_with_values_accepts_only_those():
    rule = {"field": "carrier", "values": ("SKT", "KTF", "LGT", "MVNO")}
    request = {"carrier": "KTF"}
    apply_rule(rule, request)
    assert request == {"carrier": "KTF"}
    try:
        apply_rule(rule, {"carrier": "skt"}, "danal")
    except IamportError as error:
        assert error.details == {
            "field": "carrier",
            "pg": "danal",
            "expected": "one of SKT, KTF, LGT, MVNO",
        }
    else:
        raise AssertionError("no IamportError raised")


def test_a_rule_applies_only_when_its_condition_holds():
    rule = {"field": "biz_num", "when": {"pay_method": "vbank"}, "required": True}
    apply_rule(rule, {"pay_method": "card"})
    assert error_code_of(apply_rule, rule, {"pay_method": "vbank"}) == errors.INVALID_TYPE


def test_an_optional_rule_leaves_an_absent_field_absent():
    request = {"pay_method": "card"}
    apply_rule({"field": "naverUseCfm", "format": "date"}, request)
    assert request == {"pay_method": "card"}
