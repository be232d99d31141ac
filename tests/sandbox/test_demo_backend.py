"""The demo shop's backend: orders are prepared and payments verified through the REST API."""

import sqlite3

from tests.sandbox.conftest import complete, open_payment


def _tokens(store):
    with sqlite3.connect(store.path) as db:
        return db.execute("SELECT token FROM tokens").fetchall()


def test_order_then_verify_reuses_one_access_token(http, store):
    order = http.post("/demo/orders", json={"product": "tee", "quantity": 2}).json()["response"]
    assert order["amount"] == 58000
    opened = open_payment(
        http, {"merchant_uid": order["merchant_uid"], "amount": order["amount"]}
    ).json()["response"]
    rsp = complete(http, opened).json()["response"]
    verdict = http.post(
        "/demo/verify", json={"imp_uid": rsp["imp_uid"], "merchant_uid": order["merchant_uid"]}
    ).json()
    assert verdict["response"]["verified"] is True
    assert len(_tokens(store)) == 1


def test_verify_refuses_a_payment_of_another_amount(http):
    order = http.post("/demo/orders", json={"product": "mug"}).json()["response"]
    # The page could lie about the amount; the prepared amount makes the payment fail.
    opened = open_payment(http, {"merchant_uid": order["merchant_uid"], "amount": 100}).json()[
        "response"
    ]
    rsp = complete(http, opened).json()["response"]
    verdict = http.post(
        "/demo/verify", json={"imp_uid": rsp["imp_uid"], "merchant_uid": order["merchant_uid"]}
    ).json()
    assert verdict["response"]["verified"] is False
    assert "15000" in verdict["response"]["reason"]


def test_unknown_product_is_400(http):
    assert http.post("/demo/orders", json={"product": "car"}).status_code == 400


def _order_and_verify(http, pay_method="card", outcome="approve"):
    order = http.post("/demo/orders", json={"product": "tee"}).json()["response"]
    opened = open_payment(
        http,
        {
            "merchant_uid": order["merchant_uid"],
            "amount": order["amount"],
            "pay_method": pay_method,
            "vbank_due": "20991231",
        },
    ).json()["response"]
    if outcome:
        opened = complete(http, opened, outcome, vbank_due="20991231").json()["response"]
    return http.post(
        "/demo/verify", json={"imp_uid": opened["imp_uid"], "merchant_uid": order["merchant_uid"]}
    ).json()["response"]


def test_an_opened_but_unpaid_card_payment_is_not_verified(http):
    verdict = _order_and_verify(http, outcome=None)
    assert verdict["verified"] is False and verdict["awaiting_deposit"] is False
    assert verdict["status"] == "ready" and "not paid" in verdict["reason"]


def test_an_issued_virtual_account_awaits_its_deposit_and_is_not_verified(http):
    verdict = _order_and_verify(http, pay_method="vbank")
    assert verdict["verified"] is False and verdict["awaiting_deposit"] is True
    assert verdict["status"] == "ready" and verdict["vbank_num"]
    assert "awaiting deposit" in verdict["reason"]


def test_only_a_paid_payment_of_the_orders_amount_is_verified(http):
    verdict = _order_and_verify(http)
    assert verdict["verified"] is True and verdict["reason"] is None
    assert verdict["awaiting_deposit"] is False and verdict["status"] == "paid"


def test_verify_with_odd_ids_is_a_4xx(http):
    for imp_uid in ("imp_1\nx", "../users/getToken", "imp_?a=b"):
        answer = http.post("/demo/verify", json={"imp_uid": imp_uid, "merchant_uid": "m/1"})
        assert 400 <= answer.status_code < 500
