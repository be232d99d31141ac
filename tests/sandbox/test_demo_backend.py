"""The demo shop's backend: orders are prepared and payments verified through the REST API."""

import sqlite3

from tests.sandbox.conftest import complete, open_payment


def _tokens(store):
    with sqlite3.connect(store.path) as db:
        return db.execute("SELECT token FROM tokens").fetchall()


def test_order_then_verify_reuses_one_access_token(http, store):
    order = http.post("/demo/orders", json={"product": "tee", "quantity": 2}).json()["response"]
    assert order["amount"] == 58000
    opened = open_payment(http, {"merchant_uid": order["merchant_uid"],
                                 "amount": order["amount"]}).json()["response"]
    rsp = complete(http, opened).json()["response"]
    verdict = http.post("/demo/verify", json={"imp_uid": rsp["imp_uid"],
                                              "merchant_uid": order["merchant_uid"]}).json()
    assert verdict["response"]["verified"] is True
    assert len(_tokens(store)) == 1


def test_verify_refuses_a_payment_of_another_amount(http):
    order = http.post("/demo/orders", json={"product": "mug"}).json()["response"]
    # The page could lie about the amount; the prepared amount makes the payment fail.
    opened = open_payment(http, {"merchant_uid": order["merchant_uid"], "amount": 100}).json()[
        "response"]
    rsp = complete(http, opened).json()["response"]
    verdict = http.post("/demo/verify", json={"imp_uid": rsp["imp_uid"],
                                              "merchant_uid": order["merchant_uid"]}).json()
    assert verdict["response"]["verified"] is False
    assert "15000" in verdict["response"]["reason"]


def test_unknown_product_is_400(http):
    assert http.post("/demo/orders", json={"product": "car"}).status_code == 400
