"""The PG catalog is complete and consistent."""

from iamport_py.catalog import CODES, FACTS, PGS, display_name, pg_for_action

SEED_CODES = (
    "html5_inicis",
    "kcp",
    "kcp_billing",
    "uplus",
    "nice",
    "jtnet",
    "kicc",
    "bluewalnut",
    "kakaopay",
    "danal",
    "danal_tpay",
    "mobilians",
    "chai",
    "payco",
    "syrup",
    "paypal",
    "eximbay",
    "naverco",
    "naverpay",
)
OTHER_CODES = (
    "inicis",
    "kakao",
    "tosspayments",
    "tosspay",
    "settle",
    "smartro",
    "smartro_v2",
    "nice_v2",
    "daou",
    "ksnet",
    "welcome",
    "kcp_quick",
    "smilepay",
    "paymentwall",
    "inicis_unified",
)
# The codes today's v1 reference added (tests/portable/test_catalog_reference.py).
NEW_CODES = ("tosspay_v2", "toss_brandpay", "paypal_v2", "settle_acc", "hyphen")


def test_every_code_of_the_seed_and_of_iamport_v1_is_in_the_catalog():
    for code in SEED_CODES + OTHER_CODES + NEW_CODES:
        assert code in PGS, code
    # Appended, so that the README's list of codes after the seed's only grows at its end.
    assert CODES[len(CODES) - len(NEW_CODES) :] == NEW_CODES


def test_codes_are_unique():
    assert len(CODES) == len(set(CODES))


def test_entries_are_consistent():
    for code in CODES:
        entry = PGS[code]
        assert entry["name_ko"] and entry["name_en"], code
        assert entry["window"] in ("iframe", "popup"), code
        assert entry["payment"] == bool(entry["pay_methods"]), code
        assert entry["currencies"] and entry["languages"], code
        assert not entry["billing_only"] or entry["billing"], code


def test_every_entry_names_its_reference_pages_as_data():
    # Machine-readable (the TypeScript types are generated from it): a page path or None,
    # and a tuple of page paths for every fact.
    for code in CODES:
        entry = PGS[code]
        assert entry["source"] is None or isinstance(entry["source"], str), code
        assert sorted(entry["sources"]) == sorted(FACTS), code
        for fact in FACTS:
            pages = entry["sources"][fact]
            assert isinstance(pages, tuple) and all(isinstance(p, str) for p in pages), code
            assert entry["source"] is not None or pages == (), (code, fact)


def test_paypal_has_no_krw_and_defaults_to_usd():
    assert "KRW" not in PGS["paypal"]["currencies"]
    assert PGS["paypal"]["currencies"][0] == "USD"
    assert PGS["eximbay"]["currencies"][0] == "USD"


def test_certification_pgs():
    assert pg_for_action("danal", "certification")
    assert pg_for_action("inicis_unified", "certification")
    assert not pg_for_action("inicis_unified", "payment")
    assert not pg_for_action("kakaopay", "certification")
    assert not pg_for_action("nope", "payment")


def test_display_names():
    assert display_name("kakaopay") == "카카오페이"
    assert display_name("kakaopay", "en") == "KakaoPay"
    assert display_name("nope") == "nope"
