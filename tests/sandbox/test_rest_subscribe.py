"""Billing keys and charges with card data (issue 11): register, read, list, delete, pay
once, pay again; card data never stored or echoed beyond the masked number."""

import glob
import json

import pytest

from iamport_sandbox.domain import payments
from tests.sandbox.rest_kit import CARD, DECLINED_CARD, bad, missing, refused

pytestmark = pytest.mark.anyio
SECRETS = ("4111111111111111", "4111-1111-1111-1111", "2099-12", "900131")


async def test_register_read_and_delete_a_billing_key(api):
    key = await api.key("cust-1", customer_name="홍길동", customer_email="b@example.com")
    assert key["customer_uid"] == "cust-1" and key["card_number"] == "411111******1111"
    assert (key["card_code"], key["card_name"], key["card_type"]) == ("366", "신한카드", 0)
    assert (key["pg_provider"], key["pg_id"]) == ("html5_inicis", "MID-a")
    assert key["customer_name"] == "홍길동" and key["inserted"] > 0 and key["updated"] > 0
    assert await api.ok("GET", "/subscribe/customers/cust-1") == key
    deleted = await api.ok("DELETE", "/subscribe/customers/cust-1")
    assert deleted["customer_uid"] == "cust-1"
    missing(await api.call("GET", "/subscribe/customers/cust-1"))
    missing(await api.call("DELETE", "/subscribe/customers/cust-1"))


async def test_a_billing_key_takes_the_pg_named_by_pg(api):
    key = await api.key("cust-pg", pg="kakaopay")
    assert (key["pg_provider"], key["pg_id"]) == ("kakaopay", "MID-c")
    key = await api.key("cust-pg", pg="html5_inicis.MID-b")
    assert key["pg_id"] == "MID-b"


async def test_card_data_is_never_stored_or_echoed(api, tmp_path):
    answers = [
        await api.call("POST", "/subscribe/customers/c-secret", json=CARD),
        await api.call(
            "POST",
            "/subscribe/payments/onetime",
            json=dict(CARD, merchant_uid="o-secret", amount=1000, customer_uid="c-secret-2"),
        ),
        await api.call(
            "POST",
            "/subscribe/payments/schedule",
            json=dict(
                CARD,
                customer_uid="c-secret-3",
                schedules=[{"merchant_uid": "s-secret", "schedule_at": 4102444800, "amount": 1000}],
            ),
        ),
        await api.call("GET", "/subscribe/customers?customer_uid[]=c-secret"),
    ]
    await api.move_clock(0)
    for answer in answers:
        assert answer.json()["code"] == 0, answer.text
        assert not any(secret in answer.text for secret in SECRETS), answer.text
    api.store._db.execute("PRAGMA wal_checkpoint(FULL)")
    for path in glob.glob(str(tmp_path / "api.sqlite3*")):
        with open(path, "rb") as stored:
            data = stored.read()
        for secret in SECRETS:
            assert secret.encode() not in data, (path, secret)
    # A shape error names the field, never the value.
    message = bad(
        await api.call(
            "POST", "/subscribe/customers/c-bad", json=dict(CARD, card_number="4111-1111-1111-111X")
        )
    )
    assert "card_number" in message and "111X" not in message


@pytest.mark.parametrize(
    "field,value",
    [
        ("card_number", "4111"),
        ("card_number", "abcdabcdabcdabcd"),
        ("card_number", 12),
        ("card_number", None),
        ("expiry", "2099-13"),
        ("expiry", "20991"),
        ("expiry", None),
        ("birth", "9001"),
        ("birth", None),
        ("pwd_2digit", "123"),
        ("card_number", ["4111"]),
    ],
)
async def test_card_data_of_the_wrong_shape_is_400(api, field, value):
    bad(await api.call("POST", "/subscribe/customers/c-shape", json=dict(CARD, **{field: value})))


async def test_an_expired_card_is_refused(api):
    refused(await api.call("POST", "/subscribe/customers/c-old", json=dict(CARD, expiry="2001-01")))


async def test_a_merchant_without_payment_settings_cannot_register(api):
    for setting in api.store.settings(api.store.merchant_by_code("imp20000002")["id"]):
        api.store.delete_setting(setting["merchant_id"], setting["id"])
    refused(await api.call("POST", "/subscribe/customers/c-1", json=CARD, headers=api.other))


async def test_billing_keys_by_customer_uids(api):
    await api.key("many-1")
    await api.key("many-2")
    keys = await api.ok(
        "GET", "/subscribe/customers", params={"customer_uid[]": ["many-1", "many-2", "many-x"]}
    )
    assert sorted(key["customer_uid"] for key in keys) == ["many-1", "many-2"]
    missing(await api.call("GET", "/subscribe/customers?customer_uid[]=nobody"))
    bad(await api.call("GET", "/subscribe/customers"))
    bad(await api.call("GET", "/subscribe/customers?customer_uid[]="))


async def test_billing_keys_are_the_merchants_own(api):
    await api.key("mine-1")
    missing(await api.call("GET", "/subscribe/customers/mine-1", headers=api.other))
    missing(await api.call("DELETE", "/subscribe/customers/mine-1", headers=api.other))
    missing(await api.call("GET", "/subscribe/customers?customer_uid[]=mine-1", headers=api.other))
    missing(await api.call("GET", "/subscribe/customers/mine-1/payments", headers=api.other))
    refused(
        await api.call(
            "POST",
            "/subscribe/payments/again",
            headers=api.other,
            json={"customer_uid": "mine-1", "merchant_uid": "steal-1", "amount": 1000},
        )
    )
    # The same customer_uid is another key at another merchant.
    theirs = await api.key("mine-1", headers=api.other)
    assert theirs["pg_provider"] == "nice"
    assert (await api.ok("GET", "/subscribe/customers/mine-1"))["pg_provider"] == "html5_inicis"


async def test_onetime_charges_the_card_and_saves_a_key_when_asked(api):
    paid = await api.ok(
        "POST",
        "/subscribe/payments/onetime",
        json=dict(CARD, merchant_uid="once-1", amount=3000, name="Once", customer_uid="once-key"),
    )
    assert paid["status"] == "paid" and paid["amount"] == 3000 and paid["paid_at"] > 0
    assert paid["card_number"] == "411111******1111" and paid["card_code"] == "366"
    assert paid["channel"] == "api" and paid["customer_uid"] == "once-key"
    assert paid["customer_uid_usage"] == "issue" and paid["pay_method"] == "card"
    assert (await api.ok("GET", "/subscribe/customers/once-key"))[
        "card_number"
    ] == "411111******1111"
    plain = await api.ok(
        "POST", "/subscribe/payments/onetime", data=dict(CARD, merchant_uid="once-2", amount="1500")
    )
    assert plain["status"] == "paid" and plain["customer_uid"] is None
    refused(
        await api.call(
            "POST",
            "/subscribe/payments/onetime",
            json=dict(CARD, merchant_uid="once-1", amount=3000),
        ),
        None,
    )
    bad(
        await api.call(
            "POST", "/subscribe/payments/onetime", json=dict(CARD, merchant_uid="once-3", amount=0)
        )
    )
    bad(
        await api.call(
            "POST", "/subscribe/payments/onetime", json={"merchant_uid": "once-4", "amount": 100}
        )
    )


async def test_a_refused_onetime_saves_no_key(api):
    await api.pay("paid-already")
    refused(
        await api.call(
            "POST",
            "/subscribe/payments/onetime",
            json=dict(CARD, merchant_uid="paid-already", amount=1000, customer_uid="never-saved"),
        )
    )
    missing(await api.call("GET", "/subscribe/customers/never-saved"))


async def test_foreign_charges_need_no_birth(api):
    card = {key: value for key, value in CARD.items() if key != "birth"}
    paid = await api.ok(
        "POST",
        "/subscribe/payments/foreign",
        json=dict(card, merchant_uid="foreign-1", amount=1000),
    )
    assert paid["status"] == "paid"
    bad(
        await api.call(
            "POST",
            "/subscribe/payments/onetime",
            json=dict(card, merchant_uid="foreign-2", amount=1000),
        )
    )


async def test_declines_follow_the_sandbox_rule(api):
    """A card number ending in 0002, or an amount ending in 44, is declined: code 0 and a
    failed payment, as Iamport answers a declined charge."""
    declined = await api.ok(
        "POST",
        "/subscribe/payments/onetime",
        json=dict(DECLINED_CARD, merchant_uid="dec-1", amount=1000),
    )
    assert declined["status"] == "failed" and "0002" in declined["fail_reason"]
    await api.key("cust-44")
    poor = await api.ok(
        "POST",
        "/subscribe/payments/again",
        json={"customer_uid": "cust-44", "merchant_uid": "dec-2", "amount": 1044},
    )
    assert poor["status"] == "failed" and "44" in poor["fail_reason"]
    fine = await api.ok(
        "POST",
        "/subscribe/payments/again",
        json={"customer_uid": "cust-44", "merchant_uid": "dec-2", "amount": 1045},
    )
    assert fine["status"] == "paid"


async def test_again_charges_with_the_keys_card(api):
    await api.key("again-1", pg="kakaopay")
    paid = await api.ok(
        "POST",
        "/subscribe/payments/again",
        json={
            "customer_uid": "again-1",
            "merchant_uid": "again-order-1",
            "amount": 2000,
            "name": "Monthly",
            "card_quota": 3,
            "custom_data": {"plan": "pro"},
        },
    )
    assert paid["card_number"] == "411111******1111" and paid["card_name"] == "신한카드"
    assert paid["pg_provider"] == "kakaopay" and paid["card_quota"] == 3
    assert paid["customer_uid_usage"] == "payment"
    assert json.loads(paid["custom_data"]) == {"plan": "pro"}
    # The key keeps its card: a charge does not overwrite it.
    assert (await api.ok("GET", "/subscribe/customers/again-1"))["card_name"] == "신한카드"
    bad(
        await api.call(
            "POST",
            "/subscribe/payments/again",
            json={
                "customer_uid": "again-1",
                "merchant_uid": "again-order-2",
                "amount": 1,
                "card_quota": "many",
            },
        )
    )


async def test_a_window_issued_key_shows_the_sandbox_card(api):
    await api.pay("win-key", amount=0, customer_uid="win-1")
    key = await api.ok("GET", "/subscribe/customers/win-1")
    assert key["card_name"] == payments.SANDBOX_CARD and key["card_number"].count("*") == 6


async def test_payments_of_a_billing_key(api):
    await api.key("pays-1")
    for number in range(3):
        await api.ok(
            "POST",
            "/subscribe/payments/again",
            json={
                "customer_uid": "pays-1",
                "merchant_uid": "pays-order-{}".format(number),
                "amount": 1000 + number,
            },
        )
    page = await api.ok("GET", "/subscribe/customers/pays-1/payments?page=1&limit=2")
    assert page["total"] == 3 and page["next"] == 2 and page["previous"] == 0
    assert [p["merchant_uid"] for p in page["list"]] == ["pays-order-2", "pays-order-1"]
    second = await api.ok("GET", "/subscribe/customers/pays-1/payments?page=2&limit=2")
    assert second["next"] == 0 and second["previous"] == 1 and len(second["list"]) == 1
    missing(await api.call("GET", "/subscribe/customers/nobody/payments"))
    bad(await api.call("GET", "/subscribe/customers/pays-1/payments?page=zero"))
    bad(await api.call("GET", "/subscribe/customers/pays-1/payments?limit=1000"))
