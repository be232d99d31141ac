"""The PG catalog: every payment-gateway service code Iamport v1 knows, as data.

This is the single source of truth that parameter validation, the sandbox's
payment windows, the console's PG list and the docs all read. Add a PG here and
everything else follows.

Its facts are PortOne's v1 reference as it stands today: the ``request_pay``
parameter reference (:data:`PAYRQ`), one integration guide per PG and the billing
key table (:data:`BILLING_KEYS`). A page is named by its path on
developers.portone.io, as it heads its section of PortOne's docs bundle
(``# https://developers.portone.io/<page>`` in ``v1-docs-full.md``). The browser SDK
schema of the same bundle (``browser-sdk.yml``) describes the v2 SDK (``CARD``,
``KO_KR``, ``INICIS_V2`` …) and is no source here.

Each entry is a plain dict (no dataclasses: this module also runs on MicroPython):

- ``code``: the service code merchants pass as ``pg``.
- ``name_ko`` / ``name_en``: display names.
- ``pay_methods``: the ``pay_method`` values it accepts, the first is its default.
- ``currencies``: accepted currencies, the first is the default.
- ``languages``: window languages it offers, the first is the default.
- ``window``: how its window opens on a desktop, ``"iframe"`` (full-page overlay)
  or ``"popup"``; on mobile every PG redirects when ``m_redirect_url`` is given.
- ``billing``: whether its window issues billing keys (``request_pay`` with
  ``customer_uid``; :data:`BILLING_KEYS`, "결제창 방식").
- ``billing_only``: whether every request must carry ``customer_uid``.
- ``certification``: whether it serves identity verification.
- ``payment``: whether it takes payments at all.
- ``needs_mid``: whether a setting must carry a PG merchant ID.
- ``legacy``: kept for old integrations; new merchants should pick its successor.
- ``rules``: its own parameter rules (see below), after the :data:`COMMON_RULES`.
- ``source``: the reference page about this PG (its integration guide, else
  :data:`PAYRQ`); ``None`` for a code today's reference no longer names (its facts are
  the catalog's earlier ones).
- ``sources``: ``{fact: pages}`` for each of :data:`FACTS`: the pages (a tuple) the
  fact comes from; an empty tuple where the reference is silent and the value is this
  project's choice (a comment beside the entry says why).

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

# -- Reference pages ---------------------------------------------------------------------

PAYRQ = "sdk/ko/v1-sdk/javascript-sdk/payrq"
"""The ``request_pay`` parameter reference: the PG codes, the pay methods, the
currencies (KRW by default, KRW/USD/EUR/JPY listed) and the languages (en/ko/zh, "some
PGs do not support it")."""
BILLING_KEYS = "opi/ko/support/code-info/pg"
"""The billing key table: which PG issues billing keys from its window, which by API."""
GUIDES = "opi/ko/integration/pg/v1/"
"""The per-PG integration guides: ``GUIDES + "inicis"`` and so on."""
PAGES = (PAYRQ, BILLING_KEYS)
"""Pages other than the guides that facts come from."""

FACTS = ("pay_methods", "currencies", "languages", "window", "billing", "certification", "legacy")
"""The facts an entry's ``sources`` names pages for."""

KRW = ("KRW",)
KO = ("ko",)
KO_EN = ("ko", "en")
LANGUAGES = ("ko", "en", "zh")
""":data:`PAYRQ`'s window languages. A PG whose guide is silent about languages takes
these: PAYRQ lists them for every ``request_pay`` and only warns that some PGs lack
them (their window shows its own language), so refusing one would fail a payment over
the language of a window. A PG whose guide names its languages takes exactly those."""

_BASIC = ("card", "trans", "vbank", "phone")
_GIFT = ("cultureland", "smartculture", "booknlife")

# Samsung Pay: PAYRQ spells it ``samsungpay``, the guides of Inicis, KCP, Toss Payments
# (both modules) and Kiwoom Pay spell it ``samsung``; a PG whose guide lists ``samsung``
# takes both. The NICE v2 guide spells it ``samsungpay`` only (``samsung`` is how
# responses record it, payrt), so NICE v2 takes ``samsungpay`` only.
_SAMSUNG = ("samsung", "samsungpay")

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

_PAYPAL_CURRENCIES = ("USD", "EUR", "JPY", "GBP", "AUD", "CAD", "HKD", "SGD")


def _pages(value: "str | tuple[str, ...]") -> "tuple[str, ...]":
    return (value,) if isinstance(value, str) else tuple(value)


def _pg(
    code: str,
    name_ko: str,
    name_en: str,
    pay_methods: "tuple[str, ...]",
    currencies: "tuple[str, ...]" = KRW,
    languages: "tuple[str, ...]" = LANGUAGES,
    window: str = IFRAME,
    billing: bool = False,
    billing_only: bool = False,
    certification: bool = False,
    payment: bool = True,
    needs_mid: bool = True,
    legacy: bool = False,
    rules: "tuple[JsonDict, ...]" = (),
    guide: "str | None" = None,
    sources: "dict[str, Any] | None" = None,
    unlisted: bool = False,
) -> "JsonDict":
    # By default the pay methods and whether it is legacy come from the PG's guide, the
    # currencies (KRW), the languages and certification from PAYRQ, billing from the
    # billing key table; the window mode is ours.
    # ``unlisted``: a code today's reference no longer names, every fact the catalog's own.
    source = None if unlisted else (GUIDES + guide if guide else PAYRQ)
    facts: dict[str, tuple[str, ...]] = {"window": ()}
    for fact, page in (
        ("pay_methods", source),
        ("currencies", PAYRQ),
        ("languages", PAYRQ),
        ("billing", BILLING_KEYS),
        ("certification", PAYRQ),
        ("legacy", source),
    ):
        facts[fact] = () if source is None else (str(page),)
    overrides = sources or {}
    for fact in overrides:
        facts[fact] = tuple(_guide_or_page(page) for page in _pages(overrides[fact]))
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
        "source": source,
        "sources": facts,
    }


def _guide_or_page(page: str) -> str:
    # ``sources`` name a guide by its short name ("nhn-kcp") and other pages in full.
    return page if page in PAGES else GUIDES + page


_ENTRIES = (
    # The seed's service codes, in the seed's order.
    #
    # The guide lists no currency; USD stays, as the catalog had it and PAYRQ lists it.
    # kpay (KG's own KPay app) is in PAYRQ's list but no guide's: it stays on KG Inicis,
    # where the catalog had it. happymoney is in no page of today's reference: dropped.
    _pg(
        "html5_inicis",
        "KG이니시스 (웹표준)",
        "KG Inicis (web standard)",
        _BASIC
        + ("kakaopay", "naverpay")
        + _SAMSUNG
        + ("applepay", "ssgpay", "payco", "tosspay", "lpay", "kpay")
        + _GIFT,
        currencies=("KRW", "USD"),
        billing=True,
        guide="inicis",
        sources={"pay_methods": ("inicis", PAYRQ)},
    ),
    # The guide's example: ``language: "ko"``, "en" for an English window. It lists no
    # currency: USD stays, as for KG Inicis. Billing keys: kcp_billing's window, or the API.
    _pg(
        "kcp",
        "NHN KCP",
        "NHN KCP",
        _BASIC
        + _GIFT
        + ("payco", "lpay", "kakaopay", "naverpay")
        + _SAMSUNG
        + ("applepay", "point"),
        currencies=("KRW", "USD"),
        languages=KO_EN,
        guide="nhn-kcp",
        sources={"pay_methods": ("nhn-kcp", PAYRQ), "languages": "nhn-kcp"},
    ),
    _pg(
        "kcp_billing",
        "NHN KCP (정기결제)",
        "NHN KCP (recurring)",
        ("card",),
        languages=KO_EN,
        billing=True,
        billing_only=True,
        guide="nhn-kcp",
        sources={"languages": "nhn-kcp"},
    ),
    # Toss Payments' old module. Its guide lists ``transfer`` (quick account transfer)
    # where every other page says ``trans``: both are taken. No gift certificates there.
    _pg(
        "uplus",
        "LG유플러스",
        "LG U+",
        ("card", "trans", "transfer", "vbank", "phone", "applepay", "tosspay", "naverpay")
        + ("kakaopay", "lpay", "payco")
        + _SAMSUNG,
        legacy=True,
        guide="toss",
        sources={"pay_methods": ("toss", PAYRQ)},
    ),
    # NICE's old module: new merchants are sent to nice_v2. Billing by API only.
    _pg(
        "nice",
        "나이스페이",
        "NICE Payments",
        _BASIC + ("kakaopay",),
        currencies=("KRW", "USD"),
        languages=KO_EN,
        legacy=True,
        guide="nice",
        sources={"currencies": "nice", "languages": "nice"},
    ),
    _pg("jtnet", "JTNet", "JTNet", _BASIC, languages=KO, legacy=True, unlisted=True),
    _pg("kicc", "KICC (한국정보통신)", "KICC", _BASIC, billing=True, guide="kicc"),
    # Not in PAYRQ's code list, but it has its guide (no billing keys there).
    _pg("bluewalnut", "블루월넛", "BlueWalnut", _BASIC, guide="blue"),
    # The guide: the window ignores ``pay_method`` (the shopper picks card or KakaoMoney
    # in the app). The catalog takes card and point (the money) and refuses the rest, so
    # that a merchant asking KakaoPay for a virtual account learns it now.
    _pg("kakaopay", "카카오페이", "KakaoPay", ("card", "point"), billing=True, guide="kakaopay"),
    _pg(
        "danal",
        "다날 (휴대폰 소액결제·본인인증)",
        "Danal (mobile phone billing, identity)",
        ("phone",),
        billing=True,
        certification=True,
        guide="danal",
    ),
    _pg(
        "danal_tpay",
        "다날 (신용카드·계좌이체·가상계좌)",
        "Danal (card, transfer, virtual account)",
        ("card", "trans", "vbank", "cultureland", "booknlife"),
        billing=True,
        rules=_DANAL_VBANK_RULES,
        guide="danal",
    ),
    _pg("mobilians", "KG모빌리언스", "KG Mobilians", ("phone", "card"), billing=True, guide="kg"),
    _pg(
        "chai",
        "차이",
        "CHAI",
        ("trans",),
        languages=KO,
        billing=True,
        legacy=True,
        unlisted=True,
    ),
    _pg("payco", "페이코", "PAYCO", ("card", "trans", "vbank"), billing=True, guide="payco"),
    _pg("syrup", "시럽페이", "Syrup Pay", ("card",), languages=KO, legacy=True, unlisted=True),
    # Express Checkout: no new sign-ups (its guide sends merchants to paypal_v2), and its
    # guide lists card only (``paypal`` is the Smart Payment Buttons' method, paypal_v2).
    # Its currencies are PayPal's own list (linked, not given); its languages the
    # catalog's earlier ones with PAYRQ's.
    _pg(
        "paypal",
        "페이팔",
        "PayPal",
        ("card",),
        currencies=_PAYPAL_CURRENCIES,
        languages=("en", "ko", "ja", "zh"),
        window=POPUP,
        legacy=True,
        guide="paypal",
        sources={"currencies": ("paypal", PAYRQ)},
    ),
    # Eximbay's guide lists Japanese as ``jp`` (not ``ja``): that is the value it takes.
    # USD is its default (the guide's example); no billing keys.
    _pg(
        "eximbay",
        "엑심베이",
        "Eximbay",
        ("card", "alipay", "unionpay", "tenpay", "econtext", "wechat", "molpay"),
        currencies=("USD", "KRW", "EUR", "GBP", "JPY", "THB", "SGD", "RUB", "HKD", "CAD")
        + ("AUD", "CNY", "TWD", "MYR", "VND", "PHP", "MNT", "NZD", "AED", "MOP", "BRL")
        + ("KZT", "NOK", "SAR", "TRY"),
        languages=("en", "ko", "zh", "jp"),
        window=POPUP,
        guide="eximbay",
        sources={"currencies": "eximbay", "languages": "eximbay"},
    ),
    # PAYRQ still lists Naver Pay checkout (주문형), but no guide of today describes it:
    # it stays legacy, as the catalog had it.
    _pg(
        "naverco",
        "네이버페이 (주문형)",
        "Naver Pay (checkout)",
        ("card",),
        window=POPUP,
        legacy=True,
        rules=_NAVER_RULES,
        sources={"pay_methods": (), "legacy": ()},
    ),
    # The guide names no pay_method (the shopper picks in Naver's window); card and point
    # are the catalog's. naverpay_card / naverpay_point are NICE v2's way to Naver Pay.
    _pg(
        "naverpay",
        "네이버페이 (결제형)",
        "Naver Pay",
        ("card", "point"),
        window=POPUP,
        billing=True,
        rules=_NAVER_RULES,
        guide="naver",
        sources={"pay_methods": ()},
    ),
    # The other codes Iamport v1 knows.
    #
    # PAYRQ: KG Inicis by API (keyed-in, billing) and card identity verification; the
    # Inicis guide: ``inicis.{MID}`` for the ActiveX window. Its payment methods and its
    # legacy mark (html5_inicis is the web-standard window) are the catalog's earlier
    # ones: no page lists them.
    _pg(
        "inicis",
        "KG이니시스 (ActiveX)",
        "KG Inicis (ActiveX)",
        _BASIC,
        certification=True,
        legacy=True,
        sources={"pay_methods": (), "legacy": ()},
    ),
    _pg(
        "inicis_unified",
        "KG이니시스 통합인증",
        "KG Inicis unified identity",
        (),
        certification=True,
        payment=False,
        sources={"pay_methods": ()},
    ),
    _pg(
        "kakao",
        "카카오페이 (구버전)",
        "KakaoPay (old)",
        ("card",),
        languages=KO,
        legacy=True,
        unlisted=True,
    ),
    # The guide takes a ``locale`` in its example, no ``language``: PAYRQ's languages.
    _pg(
        "tosspayments",
        "토스페이먼츠",
        "Toss Payments",
        _BASIC
        + ("booknlife", "smartculture", "cultureland", "kakaopay", "naverpay", "lpay")
        + _SAMSUNG
        + ("ssgpay", "applepay", "payco", "tosspay"),
        billing=True,
        guide="newtoss/readme",
        sources={"pay_methods": ("newtoss/readme", PAYRQ)},
    ),
    # One-off payments only; new merchants are sent to tosspay_v2.
    _pg(
        "tosspay",
        "토스페이",
        "Toss Pay",
        ("card", "trans"),
        legacy=True,
        guide="tosspay",
    ),
    _pg(
        "settle",
        "헥토파이낸셜 (세틀뱅크)",
        "Hecto Financial (Settlebank)",
        ("card", "trans", "vbank", "phone"),
        guide="settle/readme",
    ),
    _pg(
        "smartro",
        "스마트로",
        "Smartro",
        ("card", "trans", "vbank"),
        legacy=True,
        guide="smartro",
    ),
    # Smartro v2 takes KRW only for now (its caution page: USD is unavailable until
    # further notice); Korean and English windows (billing key windows: Korean only).
    _pg(
        "smartro_v2",
        "스마트로 (v2)",
        "Smartro (v2)",
        _BASIC + ("lpay", "kakaopay", "naverpay", "payco", "pinpay"),
        languages=KO_EN,
        billing=True,
        guide="smartro-v2/readme",
        sources={
            "currencies": "smartro-v2/caution",
            "languages": "smartro-v2/caution",
            "window": "smartro-v2/readme",
        },
    ),
    # NICE v2 refuses plain ``naverpay`` (naverpay_card or naverpay_point instead) and of
    # the gift certificates takes Culture Land only (its payment caution page).
    _pg(
        "nice_v2",
        "나이스페이먼츠 (v2)",
        "NICE Payments (v2)",
        _BASIC
        + ("cultureland", "naverpay_card", "naverpay_point", "kakaopay", "payco")
        + ("samsungpay", "skpay", "ssgpay", "ssgpay_bank", "lpay", "applepay"),
        guide="nice-v2/readme",
        sources={
            "pay_methods": ("nice-v2/readme", "nice-v2/payment-caution"),
            "window": "nice-v2/readme",
        },
    ),
    # Kiwoom Pay's guide lists no phone billing.
    _pg(
        "daou",
        "키움페이 (다우데이타)",
        "Kiwoom Pay (Daou Data)",
        ("card", "trans", "vbank", "kakaopay", "naverpay", "payco") + _SAMSUNG + ("applepay",),
        guide="daou/readme",
        sources={"pay_methods": ("daou/readme", PAYRQ)},
    ),
    # KRW and USD (USD by foreign cards only, its caution page); billing keys by API only.
    _pg(
        "ksnet",
        "KSNET",
        "KSNET",
        ("card", "vbank", "trans", "phone", "lpay", "ssgpay", "kakaopay", "naverpay", "payco"),
        currencies=("KRW", "USD"),
        guide="ksnet/readme",
        sources={"currencies": "ksnet/warning"},
    ),
    _pg(
        "welcome",
        "웰컴페이먼츠",
        "Welcome Payments",
        _BASIC + ("culturegift", "lpay", "kakaopay", "payco", "tosspay"),
        billing=True,
        guide="welcome/readme",
        sources={"currencies": "welcome/readme", "languages": "welcome/readme"},
    ),
    _pg(
        "kcp_quick",
        "NHN KCP 퀵페이",
        "NHN KCP Quick Pay",
        ("card", "trans"),
        languages=KO_EN,
        guide="nhn-kcp",
        sources={"languages": "nhn-kcp"},
    ),
    # PAYRQ calls it one-off and recurring, but the billing key table has no Smile Pay
    # row: no billing keys until a page says how.
    _pg("smilepay", "스마일페이", "Smile Pay", ("card",), guide="smilepay"),
    # Paymentwall picks the methods by the buyer's country (its guide: ``pay_method`` may
    # be ignored; card is the example). KRW is its default; a foreign currency is asked
    # by its code: the ones PAYRQ lists.
    _pg(
        "paymentwall",
        "페이먼트월",
        "Paymentwall",
        ("card",),
        currencies=("KRW", "USD", "EUR", "JPY"),
        window=POPUP,
        billing=True,
        guide="paymentwall",
        sources={"currencies": ("paymentwall", PAYRQ)},
    ),
    # The codes PAYRQ and the guide index list since the catalog's first edition.
    #
    # Toss Pay v2: one-off and recurring; tosspay_card / tosspay_money narrow the app to
    # cards / the account, tosspay leaves the choice to the shopper.
    _pg(
        "tosspay_v2",
        "토스페이 (v2)",
        "Toss Pay (v2)",
        ("tosspay", "tosspay_card", "tosspay_money"),
        billing=True,
        guide="tosspay-v2/readme",
    ),
    _pg(
        "toss_brandpay",
        "토스페이먼츠 브랜드페이",
        "Toss Payments Brand Pay",
        ("toss_brandpay",),
        guide="toss-brandpay/readme",
        sources={"currencies": "toss-brandpay/readme"},
    ),
    # PayPal's Smart Payment Buttons (one-off) and Reference Transactions (billing keys).
    # PortOne renders them with IMP.loadUI on the same parameters; here request_pay opens
    # the window. Currencies: PayPal's (an image in the guide), as for paypal, and PLN,
    # which the guide names for BLIK and Przelewy24. The guide: PayPal ignores
    # ``language`` (the buyer's settings decide), so PAYRQ's are taken.
    _pg(
        "paypal_v2",
        "페이팔 (SPB/RT)",
        "PayPal (Smart Payment Buttons, Reference Transactions)",
        ("paypal",),
        currencies=_PAYPAL_CURRENCIES + ("PLN",),
        languages=("en", "ko", "zh"),
        window=POPUP,
        billing=True,
        guide="spb/readme",
        sources={
            "pay_methods": ("spb/readme", "spb/warning", "rt/readme"),
            "currencies": ("spb/readme", "spb/warning", PAYRQ),
            "languages": ("spb/warning", PAYRQ),
        },
    ),
    # Hecto Financial's account payment (내통장결제): transfers only, in a popup.
    _pg(
        "settle_acc",
        "헥토파이낸셜 내통장결제",
        "Hecto Financial account pay",
        ("trans",),
        window=POPUP,
        billing=True,
        guide="settle/mybank",
        sources={"window": "settle/mybank"},
    ),
    # Hyphen: registered-account payments only; in the guide index, not in PAYRQ's list.
    _pg("hyphen", "하이픈", "Hyphen", ("trans",), guide="hyphen"),
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
