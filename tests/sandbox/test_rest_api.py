"""The REST API subset a merchant backend uses, with Iamport's envelope."""

from iamport_py import errors
from iamport_sandbox.demo import DEMO
from iamport_sandbox.domain import payments
from tests.sandbox.conftest import complete, open_payment, pay, token


def _auth(http):
    return {"Authorization": token(http)}


def _refused(answer, message=None):
    """A business refusal as api.iamport.kr answers it: HTTP 200, code 1, a message."""
    body = answer.json()
    assert answer.status_code == 200 and body["code"] == 1 and body["response"] is None, body
    assert body["message"] == message if message else body["message"]
    return True


def test_get_token_with_wrong_secret_is_401(http):
    answer = http.post(
        "/api/users/getToken", json={"imp_key": DEMO["imp_key"], "imp_secret": "wrong"}
    )
    assert answer.status_code == 401 and answer.json()["code"] != 0


def test_get_token_accepts_a_form_body_too(http):
    answer = http.post(
        "/api/users/getToken", data={"imp_key": DEMO["imp_key"], "imp_secret": DEMO["imp_secret"]}
    )
    body = answer.json()["response"]
    assert body["access_token"] and body["expired_at"] > body["now"]


def test_requests_without_a_valid_token_are_401(http):
    assert http.get("/api/payments/imp_000000000000").status_code == 401
    assert (
        http.get(
            "/api/payments/imp_000000000000", headers={"Authorization": "Bearer nope"}
        ).status_code
        == 401
    )


def test_bearer_and_raw_token_both_work(http):
    rsp = pay(http)
    raw = token(http)
    for header in (raw, "Bearer " + raw):
        answer = http.get("/api/payments/" + rsp["imp_uid"], headers={"Authorization": header})
        assert answer.json()["response"]["imp_uid"] == rsp["imp_uid"]


def test_tokens_expire(sandbox, http):
    sandbox[1].state.config.token_ttl = -1
    expired = token(http)
    assert http.get("/api/payments/find/x", headers={"Authorization": expired}).status_code == 401


def test_get_payment_and_find_by_merchant_uid(http):
    rsp = pay(http, merchant_uid="find-1", buyer_email="b@example.com", custom_data={"coupon": "A"})
    auth = _auth(http)
    payment = http.get("/api/payments/" + rsp["imp_uid"], headers=auth).json()["response"]
    assert payment["status"] == "paid" and payment["amount"] == 1000
    assert payment["buyer_email"] == "b@example.com" and payment["paid_at"] > 0
    assert payment["custom_data"] == '{"coupon": "A"}'
    found = http.get("/api/payments/find/find-1", headers=auth).json()["response"]
    assert found["imp_uid"] == rsp["imp_uid"]
    assert http.get("/api/payments/find/find-1?status=failed", headers=auth).status_code == 404
    assert http.get("/api/payments/find/find-1?status=bogus", headers=auth).status_code == 404


def test_unknown_payment_is_404(http):
    answer = http.get("/api/payments/imp_999999999999", headers=_auth(http))
    assert answer.status_code == 404 and answer.json()["code"] != 0


def test_prepare_and_read_back(http):
    auth = _auth(http)
    created = http.post(
        "/api/payments/prepare", json={"merchant_uid": "p-1", "amount": 7000}, headers=auth
    )
    assert created.json()["response"] == {"merchant_uid": "p-1", "amount": 7000}
    again = http.post(
        "/api/payments/prepare", json={"merchant_uid": "p-1", "amount": 1}, headers=auth
    )
    assert _refused(again)
    assert http.get("/api/payments/prepare/p-1", headers=auth).json()["response"]["amount"] == 7000
    assert http.get("/api/payments/prepare/p-2", headers=auth).status_code == 404


def test_prepared_amount_that_matches_pays(http):
    auth = _auth(http)
    for merchant_uid in ("p-ok", "p-other"):
        prepared = http.post(
            "/api/payments/prepare",
            json={"merchant_uid": merchant_uid, "amount": 1000},
            headers=auth,
        )
        assert prepared.json() == {
            "code": 0,
            "message": None,
            "response": {"merchant_uid": merchant_uid, "amount": 1000},
        }
    assert pay(http, merchant_uid="p-ok", amount=1000)["status"] == "paid"
    # The preparation is what let it through: another amount for a prepared order fails.
    other = pay(http, merchant_uid="p-other", amount=1500, request_id="req_test_2")
    assert other["status"] == "failed" and other["error_code"] == errors.AMOUNT_MISMATCH


def test_partial_then_full_cancel(http):
    rsp = pay(http, amount=10000)
    auth = _auth(http)
    part = http.post(
        "/api/payments/cancel",
        json={"imp_uid": rsp["imp_uid"], "amount": 3000, "reason": "one item"},
        headers=auth,
    )
    assert part.json()["response"]["cancel_amount"] == 3000
    assert part.json()["response"]["status"] == "paid"
    too_much = http.post(
        "/api/payments/cancel", json={"imp_uid": rsp["imp_uid"], "amount": 9000}, headers=auth
    )
    assert _refused(too_much)
    rest = http.post(
        "/api/payments/cancel", json={"merchant_uid": rsp["merchant_uid"]}, headers=auth
    )
    assert rest.json()["response"]["status"] == "cancelled"
    assert rest.json()["response"]["cancel_amount"] == 10000
    again = http.post("/api/payments/cancel", json={"imp_uid": rsp["imp_uid"]}, headers=auth)
    assert _refused(again, payments.ALREADY_CANCELLED)


def test_subscribe_again_charges_a_billing_key(http):
    opened = open_payment(http, {"customer_uid": "sub-1", "amount": 0}, pg_id="MID-b").json()[
        "response"
    ]
    complete(http, opened)
    auth = _auth(http)
    charged = http.post(
        "/api/subscribe/payments/again",
        json={
            "customer_uid": "sub-1",
            "merchant_uid": "sub-order-1",
            "amount": 9900,
            "name": "Monthly",
        },
        headers=auth,
    )
    body = charged.json()["response"]
    assert body["status"] == "paid" and body["amount"] == 9900 and body["pg_id"] == "MID-b"
    unknown = http.post(
        "/api/subscribe/payments/again",
        json={"customer_uid": "nobody", "merchant_uid": "x", "amount": 1},
        headers=auth,
    )
    assert _refused(unknown)


def test_a_token_never_reads_another_merchants_payments(http, store):
    rsp = pay(http, merchant_uid="mine-1")
    other = store.create_merchant("other", "other-password")
    other_token = token(http, other["imp_key"], other["imp_secret"])
    auth = {"Authorization": other_token}
    assert http.get("/api/payments/" + rsp["imp_uid"], headers=auth).status_code == 404
    assert http.get("/api/payments/find/mine-1", headers=auth).status_code == 404
    assert _refused(
        http.post("/api/payments/cancel", json={"imp_uid": rsp["imp_uid"]}, headers=auth),
        payments.NOTHING_TO_CANCEL,
    )
