"""The payment window lists the catalog's parameter rules for its PG (iamport_py.catalog's
COMMON_RULES and the entry's ``rules``), each with the error request_pay gives when it is
broken: one test per kind of rule, the expectations written out by hand. In-process."""

import html
import re

import pytest

from iamport_py.catalog import COMMON_RULES, PGS
from iamport_py.errors import INVALID_TYPE
from iamport_sandbox.windows.rules import pg_rules
from tests.sandbox import test_window_pages
from tests.sandbox.test_window_pages import CODE, get

app = test_window_pages.app  # the window pages' fixture: the demo merchant and its settings

SETTINGS = (
    {"pg_provider": "danal_tpay", "pg_id": "DT-1"},
    {"pg_provider": "kcp_billing", "pg_id": "KB-1"},
    {"pg_provider": "naverpay", "pg_id": "NP-1"},
    {"pg_provider": "danal", "pg_id": "DP-1"},
    {"pg_provider": "not_in_catalog", "pg_id": "X-1"},
    {"pg_provider": "danal", "pg_id": "DC-1", "type": "certification"},
)


@pytest.fixture
def rules_app(app):
    merchant = app.state.store.merchant_by_code(CODE)
    for values in SETTINGS:
        app.state.store.add_setting(
            merchant["id"], dict({"type": "payment", "sandbox": True}, **values)
        )
    return app


def listed(app, pg, mid, kind="payments"):
    """{field: the rule's text, tags stripped} as the window lists them, in order."""
    page = get(app, "/{}/ready/{}/{}/{}".format(kind, CODE, pg, mid))
    assert page.status_code == 200
    items = re.findall(
        r'<li data-testid="rule" data-field="([^"]+)" data-code="([^"]+)" '
        r'data-when="[^"]*">(.*?)</li>',
        page.text,
        re.S,
    )
    return {
        field: (code, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split()))
        for field, code, body in items
    }


def test_a_conditional_required_field_names_its_condition_and_error(rules_app):
    rules = listed(rules_app, "danal", "DP-1")
    code, text = rules["digital"]
    assert code == "PHONE_NEEDS_DIGITAL"
    # The condition, for the window's script to mark the rule when a request falls under it.
    page = get(rules_app, "/payments/ready/{}/danal/DP-1".format(CODE)).text
    assert 'data-when="{&#34;pay_method&#34;: &#34;phone&#34;}"' in page
    assert "필수 · required" in text and "when pay_method=phone" in text
    assert "pay_method 'phone' requires digital" in text


def test_a_format_rule_with_stripped_characters(rules_app):
    code, text = listed(rules_app, "danal_tpay", "DT-1")["biz_num"]
    assert code == "INVALID_BIZ_NUM"
    assert "when pay_method=vbank" in text and "10 digits" in text and "without -" in text
    assert "10자리 사업자등록번호" in text


def test_a_date_format_rule(rules_app):
    code, text = listed(rules_app, "danal_tpay", "DT-1")["vbank_due"]
    assert code == "INVALID_VBANK_DUE" and "a vbank_due date" in text
    assert "YYYY-MM-DD HH:mm:ss" in text


def test_a_field_every_request_must_carry(rules_app):
    code, text = listed(rules_app, "kcp_billing", "KB-1")["customer_uid"]
    assert code == "MISSING_CUSTOMER_UID"
    assert "필수 · required" in text and "when" not in text
    assert "kcp_billing requires customer_uid" in text


@pytest.mark.parametrize(
    "field,expected",
    [
        ("naverProducts", "list of objects"),
        ("naverPopupMode", "boolean"),
        ("naverCultureBenefit", "boolean"),
        ("naverPurchaserName", "string"),
        ("naverUseCfm", "a date as YYYYMMDD"),
        ("naverPurchaserBirthday", "a date as YYYYMMDD"),
    ],
)
def test_naver_pays_optional_typed_extras(rules_app, field, expected):
    code, text = listed(rules_app, "naverpay", "NP-1")[field]
    assert code == "INVALID_TYPE"
    assert "선택 · optional" in text and "; {}".format(expected) in text
    assert "'{}' has the wrong type; expected {}.".format(field, expected) in text


def test_each_window_lists_exactly_its_pgs_rules_in_catalog_order(rules_app):
    assert list(listed(rules_app, "danal_tpay", "DT-1")) == ["vbank_due", "biz_num"]
    assert list(listed(rules_app, "kcp_billing", "KB-1")) == ["customer_uid"]
    assert list(listed(rules_app, "danal", "DP-1")) == ["digital"]
    assert list(listed(rules_app, "naverpay", "NP-1")) == [
        "naverProducts",
        "naverPopupMode",
        "naverCultureBenefit",
        "naverUseCfm",
        "naverPurchaserName",
        "naverPurchaserBirthday",
    ]


def test_a_pg_without_rules_has_no_list(rules_app):
    # kakaopay takes neither phone nor vbank, and has no rules of its own.
    page = get(rules_app, "/payments/ready/{}/kakaopay/MID-c".format(CODE)).text
    assert 'data-testid="rules"' not in page


def test_a_pg_the_catalog_does_not_know_is_held_to_the_common_rules(rules_app):
    assert list(listed(rules_app, "not_in_catalog", "X-1")) == ["digital", "vbank_due"]


def test_certification_and_404_windows_list_no_rules(rules_app):
    for path in ("/certificates/ready/{}/danal/DC-1", "/payments/ready/{}/danal_tpay/NOPE"):
        assert 'data-testid="rules"' not in get(rules_app, path.format(CODE)).text


def test_the_list_is_collapsed_and_its_text_escaped(rules_app):
    page = get(rules_app, "/payments/ready/{}/naverpay/NP-1".format(CODE)).text
    details = re.search(r'<details class="rules" data-testid="rules">', page)
    assert details, "a closed <details> (no open attribute)"
    # The SDK's messages quote the field: the quotes arrive escaped, as text.
    assert "&#39;naverProducts&#39; has the wrong type" in page


# Written out from the catalog's facts (which PGs take phone billing, which virtual
# accounts), not computed the way pg_rules computes them: a PG's pay methods changing, or a
# rule going missing from a window, shows here.
_PHONE = ("digital", "PHONE_NEEDS_DIGITAL")
_VBANK = ("vbank_due", "INVALID_VBANK_DUE")
_NAVER = [
    (field, INVALID_TYPE)
    for field in (
        "naverProducts",
        "naverPopupMode",
        "naverCultureBenefit",
        "naverUseCfm",
        "naverPurchaserName",
        "naverPurchaserBirthday",
    )
]
RULES_BY_PG = (
    # Card PGs that take phone billing and virtual accounts too.
    (
        (
            "html5_inicis",
            "kcp",
            "uplus",
            "nice",
            "jtnet",
            "kicc",
            "bluewalnut",
            "inicis",
            "inicis_unified",
            "tosspayments",
            "settle",
            "smartro_v2",
            "nice_v2",
            "ksnet",
            "welcome",
        ),
        [_PHONE, _VBANK],
    ),
    (("danal", "mobilians"), [_PHONE]),  # phone billing, no virtual account
    (("payco", "smartro", "daou"), [_VBANK]),  # virtual accounts, no phone billing
    (("danal_tpay",), [_VBANK, ("biz_num", "INVALID_BIZ_NUM")]),
    (("kcp_billing",), [("customer_uid", "MISSING_CUSTOMER_UID")]),
    (("naverco", "naverpay"), _NAVER),
    # Wallets and the like: neither phone billing nor virtual accounts, no rules of their own.
    (
        (
            "kakaopay",
            "chai",
            "syrup",
            "paypal",
            "eximbay",
            "kakao",
            "tosspay",
            "kcp_quick",
            "smilepay",
            "paymentwall",
            "tosspay_v2",
            "toss_brandpay",
            "paypal_v2",
            "settle_acc",
            "hyphen",
        ),
        [],
    ),
)


def test_every_rule_of_every_pg_is_listed_with_its_own_error_code():
    expected = {code: rules for codes, rules in RULES_BY_PG for code in codes}
    assert sorted(expected) == sorted(PGS), "a PG without a written-out expectation"
    for pg in PGS.values():
        listed_rules = [(row["field"], row["code"]) for row in pg_rules(pg["code"], pg)]
        assert listed_rules == expected[pg["code"]], pg["code"]


def test_a_pg_the_catalog_does_not_know_gets_exactly_the_common_rules():
    unknown = {"code": "not_in_catalog", "pay_methods": (), "rules": ()}
    assert (
        [(row["field"], row["code"]) for row in pg_rules("not_in_catalog", unknown)]
        == [(rule["field"], rule["code"]) for rule in COMMON_RULES]
        == [_PHONE, _VBANK]
    )
