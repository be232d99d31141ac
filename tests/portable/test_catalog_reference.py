"""PortOne's v1 reference, as a table: each row names the page (its path on
developers.portone.io, as in PortOne's docs bundle ``v1-docs-full.md``), the PG codes
it is about and the values it gives them; ``request_pay`` validation must accept each,
the catalog must cite that page for the fact, and every fact of the catalog must have
its row (or be one the catalog kept, :data:`KEPT`). A few values the reference refuses
are refused with their documented code. Plain loops: these also run on MicroPython."""

from iamport_py import errors
from iamport_py.catalog import PGS, pg_for_action
from iamport_py.testing import ready_imp
from iamport_py.validation import normalise_payment
from iamport_py.window_mode import window_mode
from tests.portable.helpers import error_code_of
from tests.portable.helpers import pay as _request_pay

PAYRQ = "sdk/ko/v1-sdk/javascript-sdk/payrq"
BILLING_KEYS = "opi/ko/support/code-info/pg"
INICIS = "opi/ko/integration/pg/v1/inicis"
KCP = "opi/ko/integration/pg/v1/nhn-kcp"
TOSS_OLD = "opi/ko/integration/pg/v1/toss"
NICE = "opi/ko/integration/pg/v1/nice"
KICC = "opi/ko/integration/pg/v1/kicc"
BLUEWALNUT = "opi/ko/integration/pg/v1/blue"
KAKAOPAY = "opi/ko/integration/pg/v1/kakaopay"
DANAL = "opi/ko/integration/pg/v1/danal"
MOBILIANS = "opi/ko/integration/pg/v1/kg"
PAYCO = "opi/ko/integration/pg/v1/payco"
PAYPAL = "opi/ko/integration/pg/v1/paypal"
EXIMBAY = "opi/ko/integration/pg/v1/eximbay"
TOSSPAYMENTS = "opi/ko/integration/pg/v1/newtoss/readme"
TOSSPAY = "opi/ko/integration/pg/v1/tosspay"
SETTLE = "opi/ko/integration/pg/v1/settle/readme"
SETTLE_ACC = "opi/ko/integration/pg/v1/settle/mybank"
SMARTRO = "opi/ko/integration/pg/v1/smartro"
SMARTRO_V2 = "opi/ko/integration/pg/v1/smartro-v2/readme"
SMARTRO_V2_CAUTION = "opi/ko/integration/pg/v1/smartro-v2/caution"
NICE_V2 = "opi/ko/integration/pg/v1/nice-v2/readme"
NICE_V2_CAUTION = "opi/ko/integration/pg/v1/nice-v2/payment-caution"
DAOU = "opi/ko/integration/pg/v1/daou/readme"
KSNET = "opi/ko/integration/pg/v1/ksnet/readme"
KSNET_WARNING = "opi/ko/integration/pg/v1/ksnet/warning"
WELCOME = "opi/ko/integration/pg/v1/welcome/readme"
SMILEPAY = "opi/ko/integration/pg/v1/smilepay"
PAYMENTWALL = "opi/ko/integration/pg/v1/paymentwall"
TOSSPAY_V2 = "opi/ko/integration/pg/v1/tosspay-v2/readme"
BRANDPAY = "opi/ko/integration/pg/v1/toss-brandpay/readme"
PAYPAL_SPB = "opi/ko/integration/pg/v1/spb/readme"
PAYPAL_SPB_WARNING = "opi/ko/integration/pg/v1/spb/warning"
PAYPAL_RT = "opi/ko/integration/pg/v1/rt/readme"
HYPHEN = "opi/ko/integration/pg/v1/hyphen"

# The ``pg`` codes PAYRQ lists, and those with a guide of their own that it does not.
PAYRQ_CODES = (
    "danal",
    "danal_tpay",
    "daou",
    "html5_inicis",
    "inicis_unified",
    "inicis",
    "kcp",
    "kcp_billing",
    "kicc",
    "ksnet",
    "mobilians",
    "nice",
    "nice_v2",
    "settle",
    "settle_acc",
    "smartro",
    "smartro_v2",
    "tosspayments",
    "toss_brandpay",
    "uplus",
    "welcome",
    "tosspay",
    "tosspay_v2",
    "payco",
    "kakaopay",
    "naverpay",
    "naverco",
    "smilepay",
    "paypal",
    "paypal_v2",
    "eximbay",
    "paymentwall",
)
GUIDE_CODES = (("hyphen", HYPHEN), ("bluewalnut", BLUEWALNUT), ("kcp_quick", KCP))

# (page, PG codes, pay_method values the page gives them)
PAY_METHODS = (
    (
        INICIS,
        ("html5_inicis",),
        (
            "card",
            "kakaopay",
            "naverpay",
            "samsung",
            "applepay",
            "ssgpay",
            "payco",
            "tosspay",
            "lpay",
            "trans",
            "vbank",
            "phone",
            "cultureland",
            "smartculture",
            "booknlife",
        ),
    ),
    (
        KCP,
        ("kcp",),
        (
            "card",
            "trans",
            "vbank",
            "phone",
            "cultureland",
            "smartculture",
            "booknlife",
            "payco",
            "lpay",
            "kakaopay",
            "naverpay",
            "samsung",
            "applepay",
            "point",
        ),
    ),
    (KCP, ("kcp_billing",), ("card",)),
    (KCP, ("kcp_quick",), ("card", "trans")),
    (
        TOSS_OLD,
        ("uplus",),
        (
            "card",
            "transfer",
            "vbank",
            "phone",
            "applepay",
            "tosspay",
            "naverpay",
            "kakaopay",
            "lpay",
            "payco",
            "samsung",
        ),
    ),
    (NICE, ("nice",), ("card", "trans", "vbank", "phone", "kakaopay")),
    (KICC, ("kicc",), ("card", "trans", "vbank", "phone")),
    (BLUEWALNUT, ("bluewalnut",), ("card", "trans", "vbank", "phone")),
    # The guide: KakaoPay's window ignores pay_method (the app picks card or money).
    (KAKAOPAY, ("kakaopay",), ("card", "point")),
    (DANAL, ("danal",), ("phone",)),
    (DANAL, ("danal_tpay",), ("card", "trans", "vbank", "cultureland", "booknlife")),
    (MOBILIANS, ("mobilians",), ("card", "phone")),
    (PAYCO, ("payco",), ("card", "trans", "vbank")),
    (PAYPAL, ("paypal",), ("card",)),
    (
        EXIMBAY,
        ("eximbay",),
        ("card", "alipay", "unionpay", "tenpay", "econtext", "wechat", "molpay"),
    ),
    (
        TOSSPAYMENTS,
        ("tosspayments",),
        (
            "card",
            "trans",
            "vbank",
            "phone",
            "booknlife",
            "smartculture",
            "cultureland",
            "kakaopay",
            "naverpay",
            "lpay",
            "samsung",
            "ssgpay",
            "applepay",
            "payco",
            "tosspay",
        ),
    ),
    (TOSSPAY, ("tosspay",), ("card", "trans")),
    (SETTLE, ("settle",), ("card", "trans", "vbank", "phone")),
    (SMARTRO, ("smartro",), ("card", "trans", "vbank")),
    (
        SMARTRO_V2,
        ("smartro_v2",),
        ("card", "trans", "vbank", "phone", "lpay", "kakaopay", "naverpay", "payco", "pinpay"),
    ),
    (
        NICE_V2,
        ("nice_v2",),
        (
            "card",
            "trans",
            "vbank",
            "phone",
            "cultureland",
            "naverpay_card",
            "naverpay_point",
            "kakaopay",
            "payco",
            "samsungpay",
            "skpay",
            "ssgpay",
            "ssgpay_bank",
            "lpay",
            "applepay",
        ),
    ),
    (
        DAOU,
        ("daou",),
        ("card", "trans", "vbank", "kakaopay", "naverpay", "payco", "samsung", "applepay"),
    ),
    (
        KSNET,
        ("ksnet",),
        ("card", "vbank", "trans", "phone", "lpay", "ssgpay", "kakaopay", "naverpay", "payco"),
    ),
    (
        WELCOME,
        ("welcome",),
        ("card", "trans", "vbank", "phone", "culturegift", "lpay", "kakaopay", "payco", "tosspay"),
    ),
    (SMILEPAY, ("smilepay",), ("card",)),
    (PAYMENTWALL, ("paymentwall",), ("card",)),
    (TOSSPAY_V2, ("tosspay_v2",), ("tosspay", "tosspay_card", "tosspay_money")),
    (BRANDPAY, ("toss_brandpay",), ("toss_brandpay",)),
    (PAYPAL_SPB, ("paypal_v2",), ("paypal",)),
    (SETTLE_ACC, ("settle_acc",), ("trans",)),
    (HYPHEN, ("hyphen",), ("trans",)),
    # PAYRQ's own spellings: samsungpay for Samsung Pay where a guide says samsung, trans
    # for Toss Payments' old module (whose guide says transfer), kpay (KG's KPay app).
    (PAYRQ, ("html5_inicis", "kcp", "uplus", "tosspayments", "daou"), ("samsungpay",)),
    (PAYRQ, ("uplus",), ("trans",)),
    (PAYRQ, ("html5_inicis",), ("kpay",)),
)

# PAYRQ's languages: every PG whose guide does not name its own.
GENERAL_LANGUAGE_PGS = (
    "html5_inicis",
    "uplus",
    "kicc",
    "bluewalnut",
    "kakaopay",
    "danal",
    "danal_tpay",
    "mobilians",
    "payco",
    "paypal",
    "naverco",
    "naverpay",
    "inicis",
    "inicis_unified",
    "tosspayments",
    "tosspay",
    "settle",
    "smartro",
    "nice_v2",
    "daou",
    "ksnet",
    "smilepay",
    "paymentwall",
    "tosspay_v2",
    "toss_brandpay",
    "paypal_v2",
    "settle_acc",
    "hyphen",
)
LANGUAGES = (
    (PAYRQ, GENERAL_LANGUAGE_PGS, ("ko", "en", "zh")),
    (KCP, ("kcp", "kcp_billing", "kcp_quick"), ("ko", "en")),
    (NICE, ("nice",), ("ko", "en")),
    (SMARTRO_V2_CAUTION, ("smartro_v2",), ("ko", "en")),
    (EXIMBAY, ("eximbay",), ("ko", "en", "zh", "jp")),
    (WELCOME, ("welcome",), ("ko", "en", "zh")),
    # The guide: PayPal's window takes the buyer's language, whatever is asked.
    (PAYPAL_SPB_WARNING, ("paypal_v2",), ("ko", "en", "zh")),
)

# PAYRQ: "KRW when not given" (PayPal aside); and the PGs whose pages say more.
KRW_PGS = (
    "html5_inicis",
    "kcp",
    "kcp_billing",
    "uplus",
    "kicc",
    "bluewalnut",
    "kakaopay",
    "danal",
    "danal_tpay",
    "mobilians",
    "payco",
    "naverco",
    "naverpay",
    "inicis",
    "inicis_unified",
    "tosspayments",
    "tosspay",
    "settle",
    "smartro",
    "nice_v2",
    "daou",
    "kcp_quick",
    "smilepay",
    "tosspay_v2",
    "settle_acc",
    "hyphen",
)
CURRENCIES = (
    (PAYRQ, KRW_PGS, ("KRW",)),
    (NICE, ("nice",), ("KRW", "USD")),
    (KSNET_WARNING, ("ksnet",), ("KRW", "USD")),
    (WELCOME, ("welcome",), ("KRW",)),
    (SMARTRO_V2_CAUTION, ("smartro_v2",), ("KRW",)),
    (BRANDPAY, ("toss_brandpay",), ("KRW",)),
    (
        EXIMBAY,
        ("eximbay",),
        (
            "KRW",
            "USD",
            "EUR",
            "GBP",
            "JPY",
            "THB",
            "SGD",
            "RUB",
            "HKD",
            "CAD",
            "AUD",
            "CNY",
            "TWD",
            "MYR",
            "VND",
            "PHP",
            "MNT",
            "NZD",
            "AED",
            "MOP",
            "BRL",
            "KZT",
            "NOK",
            "SAR",
            "TRY",
        ),
    ),
    (PAYMENTWALL, ("paymentwall",), ("KRW",)),
    (PAYRQ, ("paymentwall",), ("USD", "EUR", "JPY")),
    (PAYPAL, ("paypal",), ("USD",)),
    (PAYRQ, ("paypal",), ("USD", "EUR", "JPY")),
    (PAYPAL_SPB, ("paypal_v2",), ("USD", "EUR", "PLN", "GBP")),
    (PAYPAL_SPB_WARNING, ("paypal_v2",), ("USD", "AUD", "EUR", "GBP")),
    (PAYRQ, ("paypal_v2",), ("JPY",)),
)

# Facts the catalog kept from its earlier edition where today's reference is silent:
# (PG code, parameter, values). PayPal's currencies are PayPal's own list, which the
# reference links to without giving.
KEPT = (
    ("html5_inicis", "currency", ("USD",)),
    ("kcp", "currency", ("USD",)),
    ("paypal", "currency", ("GBP", "AUD", "CAD", "HKD", "SGD")),
    ("paypal_v2", "currency", ("CAD", "HKD", "SGD")),
    ("paypal", "language", ("ja",)),
)

# (page, PG code, parameter, value, the code validation refuses it with)
REFUSED = (
    # NICE v2 wants naverpay_card or naverpay_point, and of the gift cards Culture Land.
    (NICE_V2_CAUTION, "nice_v2", "pay_method", "naverpay", errors.UNSUPPORTED_PAY_METHOD),
    (NICE_V2_CAUTION, "nice_v2", "pay_method", "booknlife", errors.UNSUPPORTED_PAY_METHOD),
    (NICE_V2_CAUTION, "nice_v2", "pay_method", "smartculture", errors.UNSUPPORTED_PAY_METHOD),
    (PAYPAL_SPB_WARNING, "paypal_v2", "pay_method", "card", errors.UNSUPPORTED_PAY_METHOD),
    (SETTLE_ACC, "settle_acc", "pay_method", "card", errors.UNSUPPORTED_PAY_METHOD),
    (HYPHEN, "hyphen", "pay_method", "card", errors.UNSUPPORTED_PAY_METHOD),
    (SMARTRO_V2_CAUTION, "smartro_v2", "currency", "USD", errors.UNSUPPORTED_CURRENCY),
    (SMARTRO_V2_CAUTION, "smartro_v2", "language", "zh", errors.UNSUPPORTED_LANGUAGE),
    (WELCOME, "welcome", "currency", "USD", errors.UNSUPPORTED_CURRENCY),
    (BRANDPAY, "toss_brandpay", "currency", "USD", errors.UNSUPPORTED_CURRENCY),
    (PAYRQ, "paypal", "currency", "KRW", errors.UNSUPPORTED_CURRENCY),
    (PAYPAL_RT, "paypal_v2", "currency", "KRW", errors.UNSUPPORTED_CURRENCY),
    (EXIMBAY, "eximbay", "language", "ja", errors.UNSUPPORTED_LANGUAGE),
)

# (page, PG code, legacy): old modules whose guides send new merchants to a successor.
LEGACY = (
    (PAYPAL, "paypal", True),
    (PAYPAL_SPB, "paypal_v2", False),
    (NICE, "nice", True),
    (NICE_V2, "nice_v2", False),
    (SMARTRO, "smartro", True),
    (SMARTRO_V2, "smartro_v2", False),
    (TOSS_OLD, "uplus", True),
    (TOSSPAYMENTS, "tosspayments", False),
    (TOSSPAY, "tosspay", True),
    (TOSSPAY_V2, "tosspay_v2", False),
)

# The billing key table: its window ("결제창 방식") issues billing keys, or not.
WINDOW_BILLING = (
    "tosspayments",
    "kcp_billing",
    "html5_inicis",
    "danal_tpay",
    "danal",
    "kicc",
    "mobilians",
    "smartro_v2",
    "welcome",
    "kakaopay",
    "naverpay",
    "payco",
    "tosspay_v2",
    "settle_acc",
    "paymentwall",
    "paypal_v2",
)
API_BILLING = ("nice", "nice_v2", "kcp", "inicis", "settle", "daou", "ksnet")

# (page, PG code, window mode on a desktop)
WINDOWS = (
    (SETTLE_ACC, "settle_acc", "popup"),
    (NICE_V2, "nice_v2", "iframe"),
    (SMARTRO_V2, "smartro_v2", "iframe"),
)

FACT_OF = {"pay_method": "pay_methods", "language": "languages", "currency": "currencies"}
TABLES = (("pay_method", PAY_METHODS), ("language", LANGUAGES), ("currency", CURRENCIES))


def _normalise(code, **fields):
    """``normalise_payment`` for a request to ``code`` with ``fields``: 1000 (in any
    currency) and whatever the shared rules ask of phone and vbank requests."""
    param = {"amount": 1000, "digital": False, "vbank_due": "20991231", "biz_num": "1234567890"}
    if PGS[code]["billing_only"]:
        param["customer_uid"] = "customer-1"
    param.update(fields)
    setting = {"pg_provider": code, "pg_id": "MID-1", "type": "payment"}
    return normalise_payment(param, setting, lambda: "order-1")


def _accepted(parameter, table):
    for page, codes, values in table:
        for code in codes:
            for value in values:
                request = _normalise(code, **{parameter: value})
                assert request[parameter] == value, (page, code, value)


def test_every_pay_method_of_the_reference_is_accepted_by_its_pg():
    _accepted("pay_method", PAY_METHODS)


def test_every_language_of_the_reference_is_accepted_by_its_pg():
    _accepted("language", LANGUAGES)


def test_every_currency_of_the_reference_is_accepted_by_its_pg():
    _accepted("currency", CURRENCIES)


def test_the_catalog_cites_the_page_of_every_row():
    for parameter, table in TABLES:
        for page, codes, _values in table:
            for code in codes:
                assert page in PGS[code]["sources"][FACT_OF[parameter]], (page, code, parameter)


def test_every_fact_of_the_catalog_has_its_row_or_was_kept():
    for parameter, table in TABLES:
        fact = FACT_OF[parameter]
        for code in PGS:
            if not PGS[code]["sources"][fact]:
                continue  # the catalog's own choice: its comment says why
            rows = set()
            for _page, codes, values in table:
                if code in codes:
                    rows |= set(values)
            for kept_code, kept_parameter, values in KEPT:
                if (kept_code, kept_parameter) == (code, parameter):
                    rows |= set(values)
            assert rows == set(PGS[code][fact]), (code, parameter)


def test_values_the_reference_refuses_are_refused_with_their_code():
    for page, code, parameter, value, error_code in REFUSED:
        assert error_code_of(_normalise, code, **{parameter: value}) == error_code, (page, code)


def test_every_pg_code_of_the_reference_is_in_the_catalog():
    for code in PAYRQ_CODES:
        assert code in PGS and PGS[code]["source"] is not None, code
    for code, page in GUIDE_CODES:
        assert PGS[code]["source"] == page, code


def test_every_payment_code_takes_a_request_with_its_defaults():
    for code in PAYRQ_CODES + tuple(code for code, _page in GUIDE_CODES):
        methods = PGS[code]["pay_methods"]
        if PGS[code]["payment"]:
            request = _normalise(code)
            assert request["pay_method"] == ("card" if "card" in methods else methods[0]), code
            assert request["currency"] == PGS[code]["currencies"][0], code


def test_the_reference_certification_codes_serve_certification():
    # PAYRQ: Danal (phone), KG Inicis (card, through the inicis code), its unified one.
    for code in ("danal", "inicis", "inicis_unified"):
        assert pg_for_action(code, "certification"), code
        assert PAYRQ in PGS[code]["sources"]["certification"], code
    assert not pg_for_action("inicis_unified", "payment")


def test_old_modules_are_legacy_and_their_successors_are_not():
    for page, code, legacy in LEGACY:
        assert PGS[code]["legacy"] is legacy and page in PGS[code]["sources"]["legacy"], code


def test_billing_keys_from_the_window_as_the_billing_key_table_says():
    for code in WINDOW_BILLING:
        assert PGS[code]["billing"] is True, code
        assert BILLING_KEYS in PGS[code]["sources"]["billing"], code
    for code in API_BILLING:
        assert PGS[code]["billing"] is False, code


def test_window_modes_the_reference_names():
    for page, code, mode in WINDOWS:
        assert PGS[code]["window"] == mode and page in PGS[code]["sources"]["window"], code
        assert window_mode({"pg_provider": code}, False) == mode, code


def _settings(*codes):
    return [{"pg_provider": code, "pg_id": "MID-" + code, "type": "payment"} for code in codes]


def test_request_pay_opens_the_window_for_values_the_catalog_refused_before():
    cases = (
        ("html5_inicis", {"pay_method": "samsungpay"}, "iframe"),
        ("html5_inicis", {"pay_method": "applepay"}, "iframe"),
        ("html5_inicis", {"language": "zh"}, "iframe"),
        ("nice_v2", {"pay_method": "naverpay_card"}, "iframe"),
        ("nice_v2", {"pay_method": "ssgpay_bank"}, "iframe"),
        ("nice_v2", {"pay_method": "skpay"}, "iframe"),
        ("smartro_v2", {"pay_method": "pinpay"}, "iframe"),
        ("welcome", {"pay_method": "culturegift"}, "iframe"),
        ("tosspay_v2", {"pay_method": "tosspay_card"}, "iframe"),
        ("tosspay_v2", {"pay_method": "tosspay_money"}, "iframe"),
        ("toss_brandpay", {"pay_method": "toss_brandpay"}, "iframe"),
        ("paypal_v2", {"pay_method": "paypal", "currency": "USD"}, "popup"),
        ("settle_acc", {"pay_method": "trans"}, "popup"),
    )
    for code, fields, mode in cases:
        imp, bridge = ready_imp(settings=_settings(code))
        param = {"pg": code, "amount": 1000, "name": "Test order", "merchant_uid": "order-1"}
        param.update(fields)
        callback = _request_pay(imp, param)
        assert callback.calls == [], (code, fields, callback.calls)
        assert bridge.windows and bridge.windows[0].mode == mode, (code, fields)


def test_request_pay_refuses_naverpay_on_nice_v2_without_a_window():
    imp, bridge = ready_imp(settings=_settings("nice_v2"))
    callback = _request_pay(imp, {"pg": "nice_v2", "amount": 1000, "pay_method": "naverpay"})
    assert callback.rsp["error_code"] == errors.UNSUPPORTED_PAY_METHOD
    assert bridge.windows == []
