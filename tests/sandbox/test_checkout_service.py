"""iamport.js 1.3's checkout server and PG drivers, as the sandbox stands in for them
(issue 26, docs/protocol.md §9): prepare routes the request and names the driver and the
window; the window records the payment as any window does; fail reports the stored
failure; the drivers are served for the six PGs only; refusals are {code, message}."""

from urllib.parse import parse_qs

import pytest

from iamport_sandbox.checkout_service import facts
from iamport_sandbox.demo import DEMO
from tests.sandbox.conftest import complete, open_payment

USER_CODE = DEMO["user_code"]
PREPARE = "/api/prepare/v1"
PAGE = "http://localhost:3000"


@pytest.fixture
def toss(store, demo):
    """The demo merchant with a Toss Payments and a NICE v2 setting (the default stays
    Inicis MID-a)."""
    for code, mid in (("tosspayments", "TOSS-1"), ("nice_v2", "NICE-1")):
        store.add_setting(
            demo["id"], {"pg_provider": code, "pg_id": mid, "type": "payment", "sandbox": True}
        )
    return demo


def prepare(http, pg="tosspayments", **param):
    data = dict(
        {"userCode": USER_CODE, "tierCode": "", "pg": pg, "merchant_uid": "co-1"},
        amount=1000,
        name="Order",
        actionType="REQUEST_PAY",
        **param,
    )
    body = {"data": data, "deviceInfo": {"platformType": "PLATFORM_TYPE_PC"}, "sdkVersion": "1"}
    return http.post(PREPARE, json=body, headers={"Origin": PAGE})


def test_the_six_codes_are_the_ones_iamport_js_sends_to_the_checkout_server():
    assert [facts.checkout_code(code + ".MID") for code in facts.CHECKOUT_PGS] == list(
        facts.CHECKOUT_PGS
    )
    assert facts.checkout_code("tosspayments", customer_uid="c-1") is None
    assert facts.checkout_code("ksnet", customer_uid="c-1") == "ksnet"
    assert facts.checkout_code("html5_inicis") is None and facts.checkout_code(None) is None
    assert facts.driver_id("nice_v2") == "pg/nice-v2/payment/iframe"
    assert facts.code_of_provider("PG_PROVIDER_SMARTRO_V2") == "smartro_v2"
    assert facts.code_of_provider("toss-brandpay") == "toss_brandpay"


def test_prepare_names_the_driver_and_the_window_of_the_routed_setting(http, toss):
    answer = prepare(http, "tosspayments.TOSS-1", buyer_email="a@example.com")
    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == "*"
    body = answer.json()
    assert (body["pgProvider"], body["transactionType"], body["windowType"]) == (
        "PG_PROVIDER_TOSSPAYMENTS",
        "PAYMENT",
        "IFRAME",
    )
    assert (body["storeId"], body["paymentId"]) == (USER_CODE, "co-1")
    assert body["sandbox"]["window"] == "/payments/ready/{}/tosspayments/TOSS-1".format(USER_CODE)
    request = body["sandbox"]["request"]
    assert request["buyer_email"] == "a@example.com" and request["pg"] == "tosspayments.TOSS-1"
    assert not {"userCode", "tierCode", "actionType"} & set(request)


def test_prepare_answers_the_preflight_of_the_merchants_page(http):
    answer = http.options(
        PREPARE,
        headers={
            "Origin": PAGE,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert answer.status_code == 200
    assert "POST" in answer.headers["access-control-allow-methods"]


def test_prepare_follows_the_routing_rule_channel_key_first(http, store, toss):
    key = next(s for s in store.settings(toss["id"]) if s["pg_provider"] == "nice_v2")
    body = prepare(http, "tosspayments", channelKey=key["channel_key"]).json()
    assert body["pgProvider"] == "PG_PROVIDER_NICE_V2"
    assert body["sandbox"]["window"].endswith("/nice_v2/NICE-1")
    assert prepare(http, "nice_v2").json()["sandbox"]["window"].endswith("/nice_v2/NICE-1")
    # An unknown MID falls back as the rule says, to the default: Inicis, which the
    # checkout server does not serve.
    assert prepare(http, "tosspayments.TOSS-9").json()["code"] == "F1001"


def test_a_code_the_merchant_has_no_checkout_setting_for_is_F1001(http, toss):
    answer = prepare(http, "welcome")  # the fallback, Inicis, is not the checkout server's
    assert answer.status_code == 404
    assert answer.json()["code"] == "F1001" and "welcome" in answer.json()["message"]


def test_an_unknown_user_code_or_channel_key_is_refused_with_a_code(http, toss):
    answer = prepare(http, "tosspayments", userCode="imp00000000")
    assert (answer.status_code, answer.json()["code"]) == (404, "F1001")
    answer = prepare(http, "tosspayments", channelKey="channel-key-nope")
    assert (answer.status_code, answer.json()["code"]) == (404, "UNKNOWN_CHANNEL_KEY")


@pytest.mark.parametrize(
    "change, code",
    [
        ({"pg": "html5_inicis"}, "INVALID_PG"),
        ({"pg": "tosspayments", "customer_uid": "c-1"}, "INVALID_PG"),
        ({"merchant_uid": None}, "INVALID_PARAM"),
        ({"merchant_uid": 7}, "INVALID_PARAM"),
        ({"userCode": ["x"]}, "INVALID_PARAM"),
        ({"actionType": "REQUEST_ISSUE_BILLING_KEY"}, "WINDOW_FAILED"),
    ],
)
def test_bad_requests_are_a_4xx_code_and_message(http, toss, change, code):
    base = {"userCode": USER_CODE, "merchant_uid": "co-2", "pg": "tosspayments"}
    body = {"data": dict(base, **change)}
    answer = http.post(PREPARE, json=body)
    assert 400 <= answer.status_code < 500
    assert answer.json()["code"] == code and answer.json()["message"]


@pytest.mark.parametrize("body", [b"not json", b"[1]", b'{"data": 1}', b"\xff"])
def test_an_unreadable_body_is_a_400_code_and_message(http, body):
    answer = http.post(PREPARE, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json()["code"] == "INVALID_PARAM"


def _window_payment(http, outcome, merchant_uid, **extra):
    """What the driver's window does: open on the Toss setting, then the tester's outcome."""
    opened = open_payment(
        http, {"merchant_uid": merchant_uid}, pg_provider="tosspayments", pg_id="TOSS-1"
    ).json()["response"]
    return complete(http, opened, outcome, **extra).json()["response"]


def fail(http, provider="PG_PROVIDER_TOSSPAYMENTS", **body):
    return http.post("/api/fail/{}/v1".format(provider), json=dict({"storeId": USER_CODE}, **body))


def test_fail_reports_the_stored_decline(http, toss):
    rsp = _window_payment(
        http, "decline", "co-3", error_code="CARD_EXPIRED", error_msg="expired card"
    )
    answer = fail(http, txId=rsp["imp_uid"], paymentId="co-3", pgCode="X", message="other")
    assert answer.status_code == 200, answer.text
    query = parse_qs(answer.json()["redirectUrl"].lstrip("?"))
    assert query == {
        "imp_uid": [rsp["imp_uid"]],
        "merchant_uid": ["co-3"],
        "error_code": ["CARD_EXPIRED"],
        "error_msg": ["expired card"],
        "imp_success": ["false"],
    }


def test_fail_reports_a_shopper_cancel_as_F0005(http, toss):
    rsp = _window_payment(http, "cancel", "co-4")
    query = parse_qs(fail(http, txId=rsp["imp_uid"]).json()["redirectUrl"].lstrip("?"))
    assert query["error_code"] == ["F0005"] and query["imp_uid"] == [rsp["imp_uid"]]


def test_fail_never_reports_a_paid_payment_as_failed(http, store, toss):
    rsp = _window_payment(http, "approve", "co-5")
    answer = fail(http, txId=rsp["imp_uid"], pgCode="F0005")
    assert (answer.status_code, answer.json()["code"]) == (409, "WINDOW_FAILED")
    assert store.payment_anywhere(rsp["imp_uid"])["status"] == "paid"


def test_fail_needs_a_payment_of_that_store_and_order(http, toss):
    rsp = _window_payment(http, "cancel", "co-6")
    assert fail(http, txId=rsp["imp_uid"], paymentId="another").status_code == 404
    assert fail(http, txId=rsp["imp_uid"], storeId="imp00000000").status_code == 404
    assert fail(http, provider="PG_PROVIDER_KCP", txId=rsp["imp_uid"]).status_code == 404


def test_fail_without_a_payment_reports_what_the_driver_said(http):
    # The window refused before an imp_uid was born (an order already paid: F1002).
    answer = fail(http, txId=None, paymentId="co-7", pgCode="F1002", pgMessage="paid already")
    query = parse_qs(answer.json()["redirectUrl"].lstrip("?"))
    assert query == {
        "merchant_uid": ["co-7"],
        "error_code": ["F1002"],
        "error_msg": ["paid already"],
        "imp_success": ["false"],
    }


@pytest.mark.parametrize(
    "path",
    ["/api/issue-prepare/v1", "/api/approve/PG_PROVIDER_KSNET/v1", "/api/initialize-payment/v1"],
)
def test_what_is_not_simulated_is_said_in_a_404(http, path):
    answer = http.post(path, json={})
    assert answer.status_code == 404 and answer.json()["code"] == "WINDOW_FAILED"
    assert "not simulate" in answer.json()["message"]


def test_the_rest_api_beside_it_is_unchanged(http):
    assert http.post("/api/payments/prepare", json={}).status_code == 401


@pytest.mark.parametrize("code", facts.CHECKOUT_PGS)
def test_each_checkout_pg_has_its_driver(http, code):
    driver_id = facts.driver_id(code)
    answer = http.get("/drivers/{}-Zm9vYmFy_-x=.js".format(driver_id))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert 'const DRIVER_ID = "{}";'.format(driver_id) in answer.text
    assert "registerDriver(DRIVER_ID" in answer.text
    assert http.get("/drivers/{}.js".format(driver_id)).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "pg/kakaopay/payment/iframe-abc=.js",
        "pg/tosspayments/payment/iframe-impl-abc=.html",
        "pg/tosspayments/issue-billing-key/iframe-abc=.js",
        "pg/nice_v2/payment/iframe-abc=.js",
        "pg/tosspayments/payment/popup-abc=.js",
        "../app.py",
    ],
)
def test_other_drivers_are_404(http, path):
    assert http.get("/drivers/" + path).status_code == 404
