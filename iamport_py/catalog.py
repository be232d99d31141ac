"""The PG catalog: every payment-gateway service code Iamport v1 knows, as data.

This is the single source of truth that parameter validation, the sandbox's
payment windows, the console's PG list and the docs all read. Add a PG here and
everything else follows.

Each entry is a plain dict (no dataclasses: this module also runs on MicroPython):

- ``code``: the service code merchants pass as ``pg``.
- ``name_ko`` / ``name_en``: display names.
- ``pay_methods``: the ``pay_method`` values it accepts, the first is its default.
- ``currencies``: accepted currencies, the first is the default.
- ``languages``: window languages it offers, the first is the default.
- ``window``: how its window opens on a desktop, ``"iframe"`` (full-page overlay)
  or ``"popup"``; on mobile every PG redirects when ``m_redirect_url`` is given.
- ``billing``: whether it can issue billing keys (``customer_uid``).
- ``billing_only``: whether every request must carry ``customer_uid``.
- ``certification``: whether it serves identity verification.
- ``payment``: whether it takes payments at all.
- ``needs_mid``: whether a setting must carry a PG merchant ID.
- ``legacy``: kept for old integrations; new merchants should pick its successor.
- ``rules``: its own parameter rules (see below), after the :data:`COMMON_RULES`.

Parameter rules are data too (as PortOne's v2 SDK keeps per-PG parameters), read by
:mod:`iamport_py.validation`; a rule is a dict:

- ``field``: the ``request_pay`` parameter it is about;
- ``when``: ``{parameter: value}`` the request must have for the rule to apply
  (``{"pay_method": "vbank"}``); absent: always;
- ``required``: the field must be given (not ``None``, not ``""``);
- ``type``: one of :data:`RULE_TYPES` when given;
- ``format``: one of :data:`RULE_FORMATS` when given (``length``: the digit count of
  ``"digits"``);
- ``strip``: characters removed before checking; the request carries the result;
- ``values``: the values it may take;
- ``code``: the error code of a broken rule (default ``INVALID_TYPE``, naming the
  field and what was expected).
"""

from iamport_py import errors

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from iamport_py.bridge import JsonDict

IFRAME = "iframe"
POPUP = "popup"

KRW = ("KRW",)
KO = ("ko",)
KO_EN = ("ko", "en")

_BASIC = ("card", "trans", "vbank", "phone")
_EASY_PAY = ("samsung", "kpay", "kakaopay", "payco", "lpay", "ssgpay", "tosspay", "naverpay")
_GIFT = ("cultureland", "smartculture", "happymoney", "booknlife")

RULE_TYPES = ("string", "boolean", "objects")
"""``objects``: a list of JSON objects."""
RULE_FORMATS = ("vbank_due", "digits", "date")
"""``vbank_due``: the shapes :func:`iamport_py.validation.vbank_due_is_valid` accepts;
``digits``: ``length`` digits; ``date``: ``YYYYMMDD``."""

COMMON_RULES = (
    # Phone billing distinguishes digital goods (lower fees, other limits) from others.
    {
        "field": "digital",
        "when": {"pay_method": "phone"},
        "required": True,
        "code": errors.PHONE_NEEDS_DIGITAL,
    },
    {
        "field": "vbank_due",
        "when": {"pay_method": "vbank"},
        "required": True,
        "format": "vbank_due",
        "code": errors.INVALID_VBANK_DUE,
    },
)
"""The rules every PG's requests follow (an unknown PG's too)."""

# Billing-only PGs: every request issues (or pays with) a billing key.
_BILLING_KEY_RULE = {"field": "customer_uid", "required": True, "code": errors.MISSING_CUSTOMER_UID}

# Danal's virtual accounts are issued to a business: its registration number, 10 digits
# (written with or without dashes; sent without).
_DANAL_VBANK_RULES = (
    {
        "field": "biz_num",
        "when": {"pay_method": "vbank"},
        "required": True,
        "format": "digits",
        "length": 10,
        "strip": "-",
        "code": errors.INVALID_BIZ_NUM,
    },
)

# Naver Pay's own parameters (its products, popup mode, date of use, culture benefit):
# optional, but of the right type when given, or Naver's window refuses them later.
_NAVER_RULES = (
    {"field": "naverProducts", "type": "objects"},
    {"field": "naverPopupMode", "type": "boolean"},
    {"field": "naverCultureBenefit", "type": "boolean"},
    {"field": "naverUseCfm", "format": "date"},
    {"field": "naverPurchaserName", "type": "string"},
    {"field": "naverPurchaserBirthday", "format": "date"},
)


def _pg(
    code: str,
    name_ko: str,
    name_en: str,
    pay_methods: "tuple[str, ...]",
    currencies: "tuple[str, ...]" = KRW,
    languages: "tuple[str, ...]" = KO,
    window: str = IFRAME,
    billing: bool = False,
    billing_only: bool = False,
    certification: bool = False,
    payment: bool = True,
    needs_mid: bool = True,
    legacy: bool = False,
    rules: "tuple[JsonDict, ...]" = (),
) -> "JsonDict":
    if billing_only:
        rules = (_BILLING_KEY_RULE,) + rules
    return {
        "code": code,
        "name_ko": name_ko,
        "name_en": name_en,
        "pay_methods": tuple(pay_methods),
        "currencies": tuple(currencies),
        "languages": tuple(languages),
        "window": window,
        "billing": billing,
        "billing_only": billing_only,
        "certification": certification,
        "payment": payment,
        "needs_mid": needs_mid,
        "legacy": legacy,
        "rules": rules,
    }


_ENTRIES = (
    # The seed's service codes, in the seed's order.
    _pg(
        "html5_inicis",
        "KG이니시스 (웹표준)",
        "KG Inicis (web standard)",
        _BASIC + _EASY_PAY[:7] + _GIFT,
        currencies=("KRW", "USD"),
        languages=KO_EN,
        billing=True,
    ),
    _pg(
        "kcp",
        "NHN KCP",
        "NHN KCP",
        _BASIC + ("samsung", "naverpay", "kakaopay", "payco"),
        currencies=("KRW", "USD"),
        languages=KO_EN,
    ),
    _pg(
        "kcp_billing",
        "NHN KCP (정기결제)",
        "NHN KCP (recurring)",
        ("card",),
        billing=True,
        billing_only=True,
    ),
    _pg(
        "uplus",
        "LG유플러스",
        "LG U+",
        _BASIC + ("cultureland", "smartculture", "booknlife"),
        billing=True,
        legacy=True,
    ),
    _pg("nice", "나이스페이", "NICE Payments", _BASIC, billing=True),
    _pg("jtnet", "JTNet", "JTNet", _BASIC, legacy=True),
    _pg("kicc", "KICC (한국정보통신)", "KICC", _BASIC, billing=True),
    _pg("bluewalnut", "블루월넛", "BlueWalnut", _BASIC, billing=True),
    _pg("kakaopay", "카카오페이", "KakaoPay", ("card", "point"), billing=True),
    _pg(
        "danal",
        "다날 (휴대폰 소액결제·본인인증)",
        "Danal (mobile phone billing, identity)",
        ("phone",),
        billing=True,
        certification=True,
    ),
    _pg(
        "danal_tpay",
        "다날 (신용카드·계좌이체·가상계좌)",
        "Danal (card, transfer, virtual account)",
        ("card", "trans", "vbank"),
        rules=_DANAL_VBANK_RULES,
    ),
    _pg("mobilians", "KG모빌리언스", "KG Mobilians", ("phone", "card"), billing=True),
    _pg("chai", "차이", "CHAI", ("trans",), billing=True, legacy=True),
    _pg("payco", "페이코", "PAYCO", ("card",), billing=True),
    _pg("syrup", "시럽페이", "Syrup Pay", ("card",), legacy=True),
    _pg(
        "paypal",
        "페이팔",
        "PayPal",
        ("paypal", "card"),
        currencies=("USD", "EUR", "JPY", "GBP", "AUD", "CAD", "HKD", "SGD"),
        languages=("en", "ko", "ja", "zh"),
        window=POPUP,
    ),
    _pg(
        "eximbay",
        "엑심베이",
        "Eximbay",
        ("card", "unionpay", "alipay", "wechat", "tenpay"),
        currencies=("USD", "KRW", "EUR", "JPY", "CNY"),
        languages=("en", "ko", "zh", "ja"),
        window=POPUP,
    ),
    _pg(
        "naverco",
        "네이버페이 (주문형)",
        "Naver Pay (checkout)",
        ("card",),
        window=POPUP,
        legacy=True,
        rules=_NAVER_RULES,
    ),
    _pg(
        "naverpay",
        "네이버페이 (결제형)",
        "Naver Pay",
        ("card", "point"),
        window=POPUP,
        billing=True,
        rules=_NAVER_RULES,
    ),
    # The other codes Iamport v1 knows.
    _pg("inicis", "KG이니시스 (ActiveX)", "KG Inicis (ActiveX)", _BASIC, legacy=True),
    _pg(
        "inicis_unified",
        "KG이니시스 통합인증",
        "KG Inicis unified identity",
        (),
        certification=True,
        payment=False,
    ),
    _pg("kakao", "카카오페이 (구버전)", "KakaoPay (old)", ("card",), legacy=True),
    _pg(
        "tosspayments",
        "토스페이먼츠",
        "Toss Payments",
        _BASIC + ("cultureland", "smartculture", "booknlife"),
        languages=KO_EN,
        billing=True,
    ),
    _pg("tosspay", "토스페이", "Toss Pay", ("card", "trans"), billing=True),
    _pg(
        "settle",
        "헥토파이낸셜 (세틀뱅크)",
        "Hecto Financial (Settlebank)",
        ("trans", "vbank", "card"),
    ),
    _pg("smartro", "스마트로", "Smartro", ("card", "trans", "vbank"), billing=True, legacy=True),
    _pg("smartro_v2", "스마트로 (v2)", "Smartro (v2)", ("card", "trans", "vbank"), billing=True),
    _pg(
        "nice_v2",
        "나이스페이먼츠 (v2)",
        "NICE Payments (v2)",
        _BASIC + ("naverpay", "kakaopay", "payco", "samsung", "ssgpay"),
        billing=True,
    ),
    _pg("daou", "키움페이 (다우데이타)", "Kiwoom Pay (Daou Data)", _BASIC),
    _pg("ksnet", "KSNET", "KSNET", ("card", "trans", "vbank"), billing=True),
    _pg("welcome", "웰컴페이먼츠", "Welcome Payments", _BASIC, billing=True),
    _pg("kcp_quick", "NHN KCP 퀵페이", "NHN KCP Quick Pay", ("card",)),
    _pg("smilepay", "스마일페이", "Smile Pay", ("card",)),
    _pg(
        "paymentwall",
        "페이먼트월",
        "Paymentwall",
        ("card",),
        currencies=("USD", "EUR", "KRW"),
        languages=("en", "ko"),
        window=POPUP,
    ),
)

PGS: "dict[str, JsonDict]" = {}
for _entry in _ENTRIES:
    PGS[_entry["code"]] = _entry

CODES = tuple(entry["code"] for entry in _ENTRIES)


def get_pg(code: "Any") -> "JsonDict | None":
    """The catalog entry for a service code, or ``None`` for an unknown code."""
    return PGS.get(code)


def pg_for_action(code: str, action: str) -> bool:
    """Whether the PG ``code`` serves ``action`` (``"payment"`` or ``"certification"``)."""
    entry = PGS.get(code)
    if entry is None:
        return False
    return bool(entry["certification"] if action == "certification" else entry["payment"])


def display_name(code: str, language: str = "ko") -> str:
    """The PG's display name in ``language``; the raw code for an unknown PG."""
    entry = PGS.get(code)
    if entry is None:
        return code
    return str(entry["name_ko"] if language == "ko" else entry["name_en"])
