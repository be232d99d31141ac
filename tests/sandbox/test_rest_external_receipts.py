"""Cash receipts by order number (``/receipts/external/{merchant_uid}``) and sub-merchant
lines on a payment's receipt (``POST /partners/receipts/{imp_uid}``), issue 24."""

import json

import pytest

from tests.sandbox.rest_kit import bad, missing, ok, refused
from tests.sandbox.test_rest_pg_operations import pay_with

pytestmark = pytest.mark.anyio
RECEIPT = {"name": "Cash order", "amount": 11000, "identifier": "010-1234-5678"}
LINES = [
    {"business_registration_number": "123-45-67890", "company_name": "A", "amount": 600},
    {"business_registration_number": "2234567890", "company_name": "B", "amount": 400},
]


def refused_400(answer):
    body = answer.json()
    assert answer.status_code == 400 and body["code"] == 1 and body["message"], body


async def test_an_external_receipt_is_issued_read_and_cancelled(api):
    issued = ok(await api.call("POST", "/receipts/external/cash-1", json=RECEIPT))
    assert issued["merchant_uid"] == "cash-1" and issued["type"] == "person"
    assert issued["amount"] == 11000 and issued["vat"] == 1000
    assert issued["apply_num"] and issued["receipt_tid"] and issued["cancelled_at"] == 0
    assert await api.ok("GET", "/receipts/external/cash-1") == issued
    refused_400(await api.call("POST", "/receipts/external/cash-1", json=RECEIPT))
    cancelled = await api.ok("DELETE", "/receipts/external/cash-1")
    assert cancelled["cancelled_at"] > 0
    refused(await api.call("DELETE", "/receipts/external/cash-1"))
    again = ok(
        await api.call(
            "POST", "/receipts/external/cash-1", data=dict(RECEIPT, type="company", tax_free="1000")
        )
    )
    assert again["type"] == "company" and again["vat"] == 909 and again["cancelled_at"] == 0
    stored = api.store.external_receipt(1, "cash-1")
    assert stored["identifier"] == "010****5678"  # masked


async def test_external_receipts_are_the_merchants_own(api):
    ok(await api.call("POST", "/receipts/external/cash-o", json=RECEIPT))
    missing(await api.call("GET", "/receipts/external/cash-o", headers=api.other))
    missing(await api.call("DELETE", "/receipts/external/cash-o", headers=api.other))
    missing(await api.call("GET", "/receipts/external/none"))
    missing(await api.call("DELETE", "/receipts/external/none"))
    # The other merchant's PG (nice) issues its own receipt of the same order number.
    theirs = ok(
        await api.call("POST", "/receipts/external/cash-o", headers=api.other, json=RECEIPT)
    )
    assert theirs["apply_num"] != (await api.ok("GET", "/receipts/external/cash-o"))["apply_num"]


async def test_bad_receipts_are_a_400(api):
    for change in (
        {"amount": None},
        {"amount": 0},
        {"amount": 10.5},
        {"identifier": "12ab"},
        {"identifier_type": "passport"},
        {"type": "alien"},
        {"tax_free": 20000},
        {"vat_amount": 20000},
        {"name": None},
    ):
        bad(await api.call("POST", "/receipts/external/cash-b", json=dict(RECEIPT, **change)))
    bad(await api.call("POST", "/receipts/external/" + "m" * 41, json=RECEIPT))


async def test_partner_lines_on_a_paid_inicis_payment(api):
    paid = await api.pay("partner-1", amount=1000)
    answer = await api.ok("POST", "/partners/receipts/" + paid["imp_uid"], json={"data": LINES})
    assert answer["receipt_url"].endswith("/sandbox/receipts/" + paid["imp_uid"])
    assert [line["vat_amount"] for line in api.store.partner_lines(1, paid["imp_uid"])] == [55, 36]
    # A form body carries the lines as JSON text; registering again replaces them.
    one = [dict(LINES[0], amount=1000, vat_amount=90)]
    await api.ok("POST", "/partners/receipts/" + paid["imp_uid"], data={"data": json.dumps(one)})
    assert len(api.store.partner_lines(1, paid["imp_uid"])) == 1


async def test_partner_lines_refusals(api):
    paid = await api.pay("partner-2", amount=1000)
    path = "/partners/receipts/" + paid["imp_uid"]
    refused_400(await api.call("POST", path, json={"data": LINES[:1]}))  # 600 of 1000
    for data in (
        [],
        "not json",
        [dict(LINES[0], business_registration_number="12-34")],
        [dict(LINES[0], amount=-1)],
        [{"company_name": "x", "amount": 1000}],
        [5],
    ):
        bad(await api.call("POST", path, json={"data": data}))
    missing(await api.call("POST", "/partners/receipts/imp_000000000000", json={"data": LINES}))
    missing(await api.call("POST", path, headers=api.other, json={"data": LINES}))
    await api.ok("POST", "/payments/cancel", json={"imp_uid": paid["imp_uid"]})
    refused_400(await api.call("POST", path, json={"data": LINES}))  # no longer paid
    kakao = await pay_with(api, "partner-3", "kakaopay", "MID-c")
    refused(await api.call("POST", "/partners/receipts/" + kakao["imp_uid"], json={"data": LINES}))
