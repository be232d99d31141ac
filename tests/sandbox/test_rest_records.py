"""Virtual accounts from the server, cash receipts and escrow shipping as records, the code
tables, and erasing a certification (issue 11); each for its own merchant only."""

import json
import time

import pytest

from tests.sandbox.inprocess import complete_window, open_window
from tests.sandbox.rest_kit import bad, missing, refused

pytestmark = pytest.mark.anyio
PERSON = {"name": "홍길동", "phone": "01012345678", "birthday": "1990-01-31"}


def _vbank(merchant_uid, **extra):
    return dict(
        {
            "merchant_uid": merchant_uid,
            "amount": 30000,
            "vbank_code": "004",
            "vbank_due": int(time.time()) + 3 * 86400,
            "vbank_holder": "(주)상점",
            "name": "Order",
            "buyer_name": "Kim",
        },
        **extra,
    )


async def test_issue_change_and_revoke_a_virtual_account(api):
    issued = await api.ok(
        "POST", "/vbanks", json=_vbank("vb-1", notice_url="http://127.0.0.1:9/hook")
    )
    assert issued["status"] == "ready" and issued["pay_method"] == "vbank"
    assert (issued["vbank_code"], issued["vbank_name"]) == ("004", "KB국민은행")
    assert issued["vbank_holder"] == "(주)상점" and issued["vbank_num"]
    assert issued["vbank_issued_at"] > 0 and issued["channel"] == "api"
    due = int(time.time()) + 7 * 86400
    changed = await api.ok(
        "PUT", "/vbanks/" + issued["imp_uid"], json={"amount": 25000, "vbank_due": due}
    )
    assert changed["amount"] == 25000 and changed["vbank_date"] == due
    revoked = await api.ok("DELETE", "/vbanks/" + issued["imp_uid"])
    assert revoked["status"] == "cancelled" and revoked["cancelled_at"] > 0
    refused(await api.call("DELETE", "/vbanks/" + issued["imp_uid"]))
    refused(await api.call("PUT", "/vbanks/" + issued["imp_uid"], json={"amount": 1000}))
    # Each status change has its webhook row (issued: ready; revoked: cancelled).
    rows = api.store.webhooks(api.store.merchant_by_code("imp10000001")["id"])
    assert [
        json.loads(row["payload"])["status"] for row in rows if row["imp_uid"] == issued["imp_uid"]
    ] == ["cancelled", "ready"]


async def test_virtual_account_refusals_and_bad_input(api):
    card = await api.pay("vb-card")
    refused(await api.call("DELETE", "/vbanks/" + card["imp_uid"]))
    refused(await api.call("PUT", "/vbanks/" + card["imp_uid"], json={"amount": 100}))
    refused(await api.call("POST", "/vbanks", json=_vbank("vb-card")))
    refused(await api.call("POST", "/vbanks", json=_vbank("vb-2", vbank_due=1000)))
    missing(await api.call("DELETE", "/vbanks/imp_000000000000"))
    issued = await api.ok("POST", "/vbanks", json=_vbank("vb-3"))
    missing(
        await api.call("PUT", "/vbanks/" + issued["imp_uid"], headers=api.other, json={"amount": 1})
    )
    missing(await api.call("DELETE", "/vbanks/" + issued["imp_uid"], headers=api.other))
    bad(await api.call("PUT", "/vbanks/" + issued["imp_uid"], json={}))
    bad(await api.call("PUT", "/vbanks/" + issued["imp_uid"], json={"amount": -3}))
    for body in (
        _vbank("vb-4", vbank_code="999"),
        _vbank("vb-5", vbank_due="soon"),
        _vbank("vb-6", amount=0),
        _vbank("vb-7", vbank_holder=None),
    ):
        bad(await api.call("POST", "/vbanks", json=body))


async def test_the_vbank_holder_is_the_sandboxs(api):
    holder = await api.ok(
        "GET", "/vbanks/holder", params={"bank_code": "088", "bank_num": "110-123-456789"}
    )
    assert holder == {"bank_holder": "홍길동"}
    missing(
        await api.call(
            "GET", "/vbanks/holder", params={"bank_code": "088", "bank_num": "000000000"}
        )
    )
    bad(
        await api.call(
            "GET", "/vbanks/holder", params={"bank_code": "999", "bank_num": "123456789"}
        )
    )
    bad(await api.call("GET", "/vbanks/holder", params={"bank_code": "088"}))


async def test_cash_receipts_are_records(api):
    paid = await api.pay("cr-1", amount=11000, pay_method="trans")
    path = "/receipts/" + paid["imp_uid"]
    missing(await api.call("GET", path))
    receipt = await api.ok(
        "POST",
        path,
        json={"identifier": "010-1234-5678", "identifier_type": "phone", "type": "person"},
    )
    assert receipt["imp_uid"] == paid["imp_uid"] and receipt["amount"] == 11000
    assert receipt["vat"] == 1000 and receipt["receipt_tid"] and receipt["applied_at"] > 0
    assert receipt["cancelled_at"] == 0 and receipt["type"] == "person"
    assert await api.ok("GET", path) == receipt
    assert (await api.ok("GET", "/payments/" + paid["imp_uid"]))["cash_receipt_issued"] is True
    refused(await api.call("POST", path, json={"identifier": "01012345678"}))
    stored = api.store.cash_receipt(
        api.store.merchant_by_code("imp10000001")["id"], paid["imp_uid"]
    )
    assert stored["identifier"] == "010****5678"
    missing(await api.call("GET", path, headers=api.other))
    missing(await api.call("DELETE", path, headers=api.other))
    cancelled = await api.ok("DELETE", path)
    assert cancelled["cancelled_at"] > 0
    refused(await api.call("DELETE", path))
    assert (await api.ok("GET", "/payments/" + paid["imp_uid"]))["cash_receipt_issued"] is False
    again = await api.ok(
        "POST",
        path,
        data={"identifier": "1234567890", "identifier_type": "business", "type": "company"},
    )
    assert again["cancelled_at"] == 0 and again["type"] == "company"
    card = await api.pay("cr-card")
    refused(
        await api.call("POST", "/receipts/" + card["imp_uid"], json={"identifier": "01012345678"})
    )
    for body in (
        {},
        {"identifier": "abc"},
        {"identifier": "01012345678", "type": "robot"},
        {"identifier": "01012345678", "identifier_type": "email"},
    ):
        bad(await api.call("POST", "/receipts/" + card["imp_uid"], json=body))
    missing(
        await api.call("POST", "/receipts/imp_000000000000", json={"identifier": "01012345678"})
    )


async def test_escrow_shipping_is_a_record(api):
    paid = await api.pay("esc-1", escrow=True)
    path = "/escrows/logis/" + paid["imp_uid"]
    body = {
        "sender": {"name": "상점", "tel": "0212345678", "addr": "서울", "postcode": "04524"},
        "receiver": {"name": "Kim", "tel": "01012345678", "addr": "부산", "postcode": "48058"},
        "logis": {"company": "CJGLS", "invoice": "123456789012", "sent_at": 1700000000},
    }
    logis = await api.ok("POST", path, json=body)
    assert logis["company"] == "CJGLS" and logis["invoice"] == "123456789012"
    assert logis["sent_at"] == 1700000000 and logis["applied_at"] > 0
    refused(await api.call("POST", path, json=body))
    changed = await api.ok("PUT", path, json=dict(body, logis=dict(body["logis"], invoice="999")))
    assert changed["invoice"] == "999" and changed["applied_at"] == logis["applied_at"]
    missing(await api.call("POST", path, json=body, headers=api.other))
    plain = await api.pay("esc-2")
    refused(await api.call("POST", "/escrows/logis/" + plain["imp_uid"], json=body))
    escrow = await api.pay("esc-3", escrow=True)
    refused(await api.call("PUT", "/escrows/logis/" + escrow["imp_uid"], json=body))
    for broken in (
        {},
        {"logis": "CJ"},
        {"logis": {"company": "CJGLS"}},
        dict(body, sender="me"),
        dict(body, logis=dict(body["logis"], sent_at="today")),
    ):
        bad(await api.call("POST", "/escrows/logis/" + escrow["imp_uid"], json=broken))


async def test_code_tables(api):
    banks = await api.ok("GET", "/banks")
    assert {"code": "088", "name": "신한은행"} in banks and len(banks) > 20
    assert await api.ok("GET", "/banks/004") == {"code": "004", "name": "KB국민은행"}
    missing(await api.call("GET", "/banks/999"))
    cards = await api.ok("GET", "/cards")
    assert {"code": "366", "name": "신한카드"} in cards
    assert await api.ok("GET", "/cards/381") == {"code": "381", "name": "KB국민카드"}
    missing(await api.call("GET", "/cards/ABC"))


async def test_erasing_a_certification(api):
    demo = api.store.merchant_by_code("imp10000001")
    api.store.add_setting(
        demo["id"],
        {"pg_provider": "danal", "pg_id": "D1", "type": "certification", "sandbox": True},
    )
    opened = await open_window(
        api.client,
        {"merchant_uid": "cert-1", "request_id": "req_c"},
        action="certification",
        pg_provider="danal",
        pg_id="D1",
    )
    await complete_window(api.client, opened, "certify", request_id="req_c", person=PERSON)
    path = "/certifications/" + opened["imp_uid"]
    missing(await api.call("DELETE", path, headers=api.other))
    erased = await api.ok("DELETE", path)
    assert erased["name"] == PERSON["name"] and erased["certified"] is True
    missing(await api.call("GET", path))
    missing(await api.call("DELETE", path))


NEW_ENDPOINTS = [
    ("GET", "/subscribe/customers?customer_uid[]=x"),
    ("GET", "/subscribe/customers/x"),
    ("POST", "/subscribe/customers/x"),
    ("DELETE", "/subscribe/customers/x"),
    ("GET", "/subscribe/customers/x/payments"),
    ("GET", "/subscribe/customers/x/schedules"),
    ("POST", "/subscribe/payments/onetime"),
    ("POST", "/subscribe/payments/foreign"),
    ("POST", "/subscribe/payments/schedule"),
    ("POST", "/subscribe/payments/unschedule"),
    ("GET", "/subscribe/payments/schedule/x"),
    ("GET", "/subscribe/payments/schedule"),
    ("GET", "/subscribe/payments/schedule/customers/x"),
    ("GET", "/payments/status/paid"),
    ("GET", "/payments/findAll/x"),
    ("GET", "/payments/findAll/x/paid"),
    ("GET", "/payments?imp_uid[]=x"),
    ("GET", "/payments/x/balance"),
    ("POST", "/vbanks"),
    ("PUT", "/vbanks/x"),
    ("DELETE", "/vbanks/x"),
    ("GET", "/vbanks/holder"),
    ("POST", "/receipts/x"),
    ("GET", "/receipts/x"),
    ("DELETE", "/receipts/x"),
    ("POST", "/escrows/logis/x"),
    ("PUT", "/escrows/logis/x"),
    ("GET", "/banks"),
    ("GET", "/banks/004"),
    ("GET", "/cards"),
    ("GET", "/cards/366"),
    ("DELETE", "/certifications/x"),
]
BAD_BODIES = [
    b"{not json",
    b"[1, 2]",
    b'"text"',
    b"\xff\xfe",
    b"null",
    b"{}",
    b'{"card_number": 1, "expiry": [], "merchant_uid": {}, "amount": "lots", '
    b'"customer_uid": true, "schedules": {"a": 1}, "vbank_due": "x", "logis": 3, '
    b'"identifier": 5, "schedule_at": null}',
]


@pytest.mark.parametrize("method,path", NEW_ENDPOINTS)
async def test_every_new_endpoint_needs_a_token(api, method, path):
    answer = await api.call(method, path, headers={})
    assert answer.status_code == 401 and answer.json()["code"] == -1


@pytest.mark.parametrize("method,path", [(m, p) for m, p in NEW_ENDPOINTS if m in ("POST", "PUT")])
async def test_bad_bodies_are_a_json_4xx_never_a_500(api, method, path):
    paid = await api.pay("body-1", pay_method="trans", escrow=True)
    await api.key("x")
    path = path.replace("/x", "/" + paid["imp_uid"]) if "customers" not in path else path
    for content in BAD_BODIES:
        answer = await api.call(
            method,
            path,
            content=content,
            headers=dict(api.headers, **{"Content-Type": "application/json"}),
        )
        bad(answer)
    assert (
        await api.call(
            method,
            path,
            content=b"x" * (70 * 1024),
            headers=dict(api.headers, **{"Content-Type": "application/json"}),
        )
    ).status_code == 413


async def test_huge_numbers_and_nan_are_a_400(api):
    await api.key("nan-1")
    for query in ({"from": 10**30}, {"to": -1}, {"page": 10**30}):
        bad(await api.call("GET", "/payments/status/all", params=query))
    bad(await api.call("GET", "/subscribe/payments/schedule", params={"schedule_to": 10**40}))
    for at in (b"NaN", b"Infinity", b"1e400", b"-5"):
        bad(
            await api.call(
                "POST",
                "/subscribe/payments/schedule",
                content=(
                    b'{"customer_uid": "nan-1", "schedules": [{"merchant_uid": "n", "amount": 100, '
                    b'"schedule_at": ' + at + b"}]}"
                ),
                headers=dict(api.headers, **{"Content-Type": "application/json"}),
            )
        )
