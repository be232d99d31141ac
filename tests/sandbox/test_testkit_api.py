"""The test kit's sandbox calls (``iamport_sandbox.testkit_api``), in-process: presets the
next window of an order answers with, and the deposit that pays an issued virtual account."""

import pytest

from tests.sandbox.inprocess import auth, complete_window, open_window, running

pytestmark = pytest.mark.anyio


async def test_preset_reaches_the_next_window_of_that_order_once(tmp_path):
    async with running(tmp_path / "s.sqlite3") as (client, _):
        headers = await auth(client)
        answer = await client.post(
            "/sandbox/testkit/presets",
            headers=headers,
            json={
                "merchant_uid": "order-1",
                "outcome": "decline",
                "error_code": "CARD_EXPIRED",
                "error_msg": "expired",
                "delay": 0.25,
            },
        )
        assert answer.json()["response"]["delay_ms"] == 250
        other = await open_window(client, {"merchant_uid": "order-2"})
        first = await open_window(client, {"merchant_uid": "order-1"})
        second = await open_window(client, {"merchant_uid": "order-1", "request_id": "req_test_2"})
    assert "sandbox_preset" not in other and "sandbox_preset" not in second
    assert first["sandbox_preset"] == {
        "outcome": "decline",
        "delay_ms": 250,
        "error_code": "CARD_EXPIRED",
        "error_msg": "expired",
    }


async def test_preset_needs_the_merchants_token_and_a_known_outcome(tmp_path):
    async with running(tmp_path / "s.sqlite3") as (client, _):
        anonymous = await client.post(
            "/sandbox/testkit/presets", json={"merchant_uid": "o", "outcome": "approve"}
        )
        headers = await auth(client)
        unknown = await client.post(
            "/sandbox/testkit/presets",
            headers=headers,
            json={"merchant_uid": "o", "outcome": "explode"},
        )
        slow = await client.post(
            "/sandbox/testkit/presets",
            headers=headers,
            json={"merchant_uid": "o", "outcome": "approve", "delay": 61},
        )
    assert (anonymous.status_code, unknown.status_code, slow.status_code) == (401, 400, 400)


async def test_deposit_pays_an_issued_virtual_account_once(tmp_path):
    async with running(tmp_path / "s.sqlite3") as (client, _):
        headers = await auth(client)
        rsp = await open_window(client, {"pay_method": "vbank", "vbank_due": "20991231"})
        issued = (await complete_window(client, rsp)).json()["response"]
        assert (issued["status"], bool(issued["vbank_num"])) == ("ready", True)
        url = "/sandbox/testkit/payments/{}/deposit".format(rsp["imp_uid"])
        paid = await client.post(url, headers=headers)
        again = await client.post(url, headers=headers)
        unknown = await client.post("/sandbox/testkit/payments/imp_nope/deposit", headers=headers)
    assert paid.json()["response"]["status"] == "paid"
    assert paid.json()["response"]["paid_at"] > 0
    assert (again.json()["code"], unknown.status_code) == (1, 404)


async def test_deposit_refuses_a_card_payment(tmp_path):
    async with running(tmp_path / "s.sqlite3") as (client, _):
        headers = await auth(client)
        rsp = await open_window(client)
        await complete_window(client, rsp)
        answer = await client.post(
            "/sandbox/testkit/payments/{}/deposit".format(rsp["imp_uid"]), headers=headers
        )
    assert answer.json()["code"] == 1
