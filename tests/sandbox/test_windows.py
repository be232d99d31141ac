"""Sandbox payment windows: pages for every PG, and the recorded steps behind them.
(The postMessage protocol itself runs in a real browser: see e2e/.)"""

import pytest

from iamport_py.catalog import CODES, get_pg
from iamport_sandbox.demo import DEMO
from tests.sandbox.conftest import certify, complete, open_payment, token

PAYMENT_CODES = [code for code in CODES if get_pg(code)["payment"]]
CERT_CODES = [code for code in CODES if get_pg(code)["certification"]]


@pytest.mark.parametrize("code", PAYMENT_CODES)
def test_every_payment_pg_has_a_window(http, store, demo, code):
    store.add_setting(
        demo["id"], {"pg_provider": code, "pg_id": "W-" + code, "type": "payment", "sandbox": True}
    )
    page = http.get("/payments/ready/{}/{}/W-{}".format(DEMO["user_code"], code, code))
    assert page.status_code == 200
    assert get_pg(code)["name_ko"] in page.text and "W-" + code in page.text
    assert "SANDBOX" in page.text


@pytest.mark.parametrize("code", CERT_CODES)
def test_every_certification_pg_has_a_window(http, store, demo, code):
    store.add_setting(
        demo["id"],
        {"pg_provider": code, "pg_id": "C-" + code, "type": "certification", "sandbox": True},
    )
    page = http.get("/certificates/ready/{}/{}/C-{}".format(DEMO["user_code"], code, code))
    assert page.status_code == 200 and 'data-action="certification"' in page.text


def test_unknown_setting_window_is_404_but_still_answers_the_sdk(http):
    page = http.get("/payments/ready/{}/kcp/NOPE".format(DEMO["user_code"]))
    assert page.status_code == 404 and 'data-found="no"' in page.text


def test_path_values_are_escaped(http):
    page = http.get(
        "/payments/ready/{}/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E/x".format(DEMO["user_code"])
    )
    assert "<img src=x" not in page.text and "&lt;img src=x" in page.text


def test_open_gives_an_imp_uid_and_a_ready_record(http, store, demo):
    rsp = open_payment(http, {}).json()["response"]
    assert rsp["imp_uid"].startswith("imp_") and len(rsp["imp_uid"]) == 16
    assert store.payment(demo["id"], rsp["imp_uid"])["status"] == "ready"


def test_approve_is_recorded_before_it_is_answered(http):
    rsp = complete(http, open_payment(http, {"amount": 1000}).json()["response"]).json()["response"]
    assert rsp["success"] is True and rsp["status"] == "paid" and rsp["paid_amount"] == 1000
    rest = http.get("/api/payments/" + rsp["imp_uid"], headers={"Authorization": token(http)})
    assert rest.json()["response"]["status"] == "paid"
    assert rest.json()["response"]["amount"] == rsp["paid_amount"]


def test_decline_carries_the_chosen_code_and_message(http):
    opened = open_payment(http, {}).json()["response"]
    rsp = complete(
        http, opened, "decline", error_code="INSUFFICIENT_FUNDS", error_msg="잔액 부족"
    ).json()["response"]
    assert rsp["success"] is False and rsp["error_code"] == "INSUFFICIENT_FUNDS"
    assert rsp["error_msg"] == "잔액 부족" and rsp["status"] == "failed"


def test_cancel_is_F0005(http):
    rsp = complete(http, open_payment(http, {}).json()["response"], "cancel").json()["response"]
    assert rsp["error_code"] == "F0005" and rsp["success"] is False


def test_a_request_ends_once_and_a_second_completion_answers_the_first(http):
    opened = open_payment(http, {}).json()["response"]
    first = complete(http, opened)
    assert first.status_code == 200 and first.json()["response"]["status"] == "paid"
    for outcome in ("cancel", "approve", "decline"):
        again = complete(http, opened, outcome)
        assert again.status_code == 200 and again.json() == first.json()


def test_complete_needs_the_request_id_it_was_opened_with(http):
    opened = open_payment(http, {}).json()["response"]
    assert complete(http, opened, request_id="req_forged").status_code == 404


def test_already_paid_merchant_uid_is_F1002(http):
    complete(http, open_payment(http, {"merchant_uid": "dup-1"}).json()["response"])
    again = open_payment(http, {"merchant_uid": "dup-1", "request_id": "req_2"}).json()["response"]
    assert again["success"] is False and again["error_code"] == "F1002"


def test_two_windows_for_one_order_cannot_both_pay(http):
    first = open_payment(http, {"merchant_uid": "race-1"}).json()["response"]
    second = open_payment(http, {"merchant_uid": "race-1", "request_id": "req_2"}).json()[
        "response"
    ]
    assert complete(http, first).json()["response"]["success"] is True
    late = complete(http, second, request_id="req_2").json()["response"]
    assert late["error_code"] == "F1002"


def test_prepared_amount_mismatch_fails_the_payment(http):
    auth = {"Authorization": token(http)}
    http.post(
        "/api/payments/prepare", json={"merchant_uid": "prep-1", "amount": 5000}, headers=auth
    )
    opened = open_payment(http, {"merchant_uid": "prep-1", "amount": 100}).json()["response"]
    rsp = complete(http, opened).json()["response"]
    assert rsp["success"] is False and rsp["error_code"] == "AMOUNT_MISMATCH"
    assert (
        http.get("/api/payments/find/prep-1", headers=auth).json()["response"]["status"] == "failed"
    )


def test_vbank_issues_a_virtual_account(http):
    opened = open_payment(http, {"pay_method": "vbank", "vbank_due": "20991231"}).json()["response"]
    rsp = complete(http, opened, vbank_due="20991231").json()["response"]
    assert rsp["success"] is True and rsp["status"] == "ready"
    assert rsp["vbank_num"] and rsp["vbank_name"] and rsp["vbank_holder"]
    assert rsp["vbank_date"] == 4102412399  # 2099-12-31 23:59:59 KST


def test_customer_uid_issues_a_billing_key(http, store, demo):
    opened = open_payment(http, {"customer_uid": "cust-1", "amount": 0}, pg_id="MID-b").json()[
        "response"
    ]
    assert complete(http, opened).json()["response"]["customer_uid"] == "cust-1"
    assert store.billing_key(demo["id"], "cust-1")["pg_id"] == "MID-b"


def test_certification_returns_a_verified_identity(http, store, demo):
    rsp = certify(http, store, demo)
    assert rsp["success"] is True and rsp["certified"] is True and rsp["unique_key"]


def test_receipt_page(http):
    rsp = complete(http, open_payment(http, {}).json()["response"]).json()["response"]
    page = http.get(rsp["receipt_url"].replace(str(http.base_url).rstrip("/"), ""))
    assert page.status_code == 200 and rsp["imp_uid"] in page.text


def test_a_window_cannot_open_a_record_without_a_request_id(http, store, demo):
    for action, pg_provider, pg_id in (
        ("payment", "html5_inicis", "MID-a"),
        ("certification", "danal", "D1"),
    ):
        if action == "certification":
            store.add_setting(
                demo["id"],
                {"pg_provider": "danal", "pg_id": "D1", "type": "certification", "sandbox": True},
            )
        for request_id in (None, "", 7):
            answer = open_payment(
                http,
                {"request_id": request_id},
                pg_provider=pg_provider,
                pg_id=pg_id,
                action=action,
            )
            assert answer.status_code == 400 and answer.json()["code"] == -1
    assert store.payments(demo["id"]) == []


def test_completing_needs_a_request_id(http):
    opened = open_payment(http, {}).json()["response"]
    answer = http.post(
        "/sandbox/windows/{}/complete".format(opened["imp_uid"]),
        json={"user_code": DEMO["user_code"], "outcome": "approve"},
    )
    assert answer.status_code == 400
    assert complete(http, opened).json()["response"]["status"] == "paid"


def test_open_looks_the_setting_up_within_the_tier(http, store, demo):
    store.add_setting(
        demo["id"],
        {
            "pg_provider": "kcp",
            "pg_id": "T-1",
            "type": "payment",
            "sandbox": True,
            "tier_code": "T01",
        },
    )

    def open_in(tier_code, pg_id):
        return http.post(
            "/sandbox/windows/open",
            json={
                "action": "payment",
                "user_code": DEMO["user_code"],
                "pg_provider": "kcp",
                "pg_id": pg_id,
                "tier_code": tier_code,
                "request": {"merchant_uid": "tier-1", "amount": 1000, "request_id": "req_t"},
            },
        )

    opened = open_in("T01", "T-1")
    assert opened.status_code == 200 and opened.json()["response"]["pg_id"] == "T-1"
    assert open_in(None, "T-1").status_code == 404  # not one of the merchant's own
    assert open_in("T02", "T-1").status_code == 404
    assert (
        http.post(
            "/sandbox/windows/open",
            json={
                "action": "payment",
                "user_code": DEMO["user_code"],
                "pg_provider": "html5_inicis",
                "pg_id": "MID-a",
                "tier_code": "T01",
                "request": {"merchant_uid": "tier-2", "amount": 1000, "request_id": "req_u"},
            },
        ).status_code
        == 404
    )  # the merchant's own setting is not the tier's
