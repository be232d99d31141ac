"""Money under concurrency (issue 24, item 5): refunds and approvals of one payment raced
from threads against a live sandbox (uvicorn on 127.0.0.1) never refund more than was paid
and never charge twice; a partial refund in a currency with cents comes out exact."""

import threading
import time

import httpx
import pytest

from tests.sandbox.conftest import Console, complete, open_payment, token
from tests.sandbox.rest_kit import CARD

THREADS = 8


def _race(count, act):
    """``act(i)`` in ``count`` threads let go at once; their results in order."""
    start = threading.Barrier(count)
    results = [None] * count

    def run(i):
        start.wait(timeout=10)
        try:
            results[i] = act(i)
        except Exception as error:  # a lost request is a result too, and fails the test
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    for result in results:
        assert isinstance(result, httpx.Response), result  # every request answered
        assert result.status_code < 500, result.text
    return results


@pytest.fixture
def live(live_sandbox):
    url, app = live_sandbox
    with httpx.Client(base_url=url, timeout=20) as http:
        yield http, {"Authorization": token(http)}, app


def _paid(http, merchant_uid, amount, **request):
    opened = open_payment(
        http,
        dict(request, merchant_uid=merchant_uid, amount=amount, request_id="r-" + merchant_uid),
    ).json()["response"]
    rsp = complete(http, opened, request_id="r-" + merchant_uid).json()["response"]
    assert rsp["status"] == "paid", rsp
    return rsp["imp_uid"]


def _cancel(url, auth, body):
    with httpx.Client(base_url=url, timeout=20) as http:  # one connection per thread
        return http.post("/api/payments/cancel", headers=auth, json=body)


def _payment(http, auth, imp_uid):
    return http.get("/api/payments/" + imp_uid, headers=auth).json()["response"]


def _balance(http, auth, imp_uid):
    return http.get("/api/payments/{}/balance".format(imp_uid), headers=auth).json()["response"]


def test_racing_partial_refunds_never_refund_more_than_was_paid(live):
    http, auth, _ = live
    imp_uid = _paid(http, "race-part", 10000)
    answers = _race(
        THREADS,
        lambda i: _cancel(http.base_url, auth, {"imp_uid": imp_uid, "amount": 3000}),
    )
    codes = sorted(answer.json()["code"] for answer in answers)
    assert codes == [0, 0, 0] + [1] * (THREADS - 3)  # 3 x 3000 fit in 10000, a 4th does not
    payment = _payment(http, auth, imp_uid)
    assert payment["cancel_amount"] == 9000 and payment["status"] == "paid"
    assert [entry["amount"] for entry in payment["cancel_history"]] == [3000, 3000, 3000]
    assert _balance(http, auth, imp_uid)["amount"] == 1000


def test_racing_full_refunds_refund_once(live):
    http, auth, _ = live
    imp_uid = _paid(http, "race-full", 5000)
    answers = _race(THREADS, lambda i: _cancel(http.base_url, auth, {"imp_uid": imp_uid}))
    assert sorted(answer.json()["code"] for answer in answers) == [0] + [1] * (THREADS - 1)
    payment = _payment(http, auth, imp_uid)
    assert payment["status"] == "cancelled" and payment["cancel_amount"] == 5000
    assert len(payment["cancel_history"]) == 1


def test_racing_refunds_by_merchant_uid_and_by_imp_uid_refund_once(live):
    http, auth, _ = live
    imp_uid = _paid(http, "race-mixed", 7000)
    bodies = [{"imp_uid": imp_uid}, {"merchant_uid": "race-mixed"}] * (THREADS // 2)
    answers = _race(THREADS, lambda i: _cancel(http.base_url, auth, bodies[i]))
    assert sum(answer.json()["code"] == 0 for answer in answers) == 1
    assert _payment(http, auth, imp_uid)["cancel_amount"] == 7000


def test_racing_approvals_of_one_window_charge_once(live):
    http, _, app = live
    opened = open_payment(
        http, {"merchant_uid": "race-approve", "amount": 1000, "request_id": "r-1"}
    ).json()["response"]

    def approve(i):
        with httpx.Client(base_url=http.base_url, timeout=20) as own:
            return complete(own, opened, request_id="r-1")

    answers = _race(THREADS, approve)
    # A second completion answers the first (the window may retry): one answer, one charge.
    rsps = [answer.json()["response"] for answer in answers]
    assert all(answer.status_code == 200 for answer in answers)
    assert {(rsp["status"], rsp["pg_tid"], rsp["apply_num"]) for rsp in rsps} == {
        ("paid", rsps[0]["pg_tid"], rsps[0]["apply_num"])
    }
    store = app.state.store
    merchant = store.merchant_by_code("imp10000001")
    payment = store.payment(merchant["id"], opened["imp_uid"])
    assert payment["status"] == "paid" and payment["pg_tid"]
    paid_events = [
        event
        for event in store.payment_events(merchant["id"], opened["imp_uid"])
        if event["status"] == "paid"
    ]
    assert len(paid_events) == 1


def test_racing_windows_of_one_order_pay_it_once(live):
    http, auth, _ = live
    windows = [
        open_payment(
            http, {"merchant_uid": "race-order", "amount": 1000, "request_id": "r-{}".format(i)}
        ).json()["response"]
        for i in range(THREADS)
    ]

    def approve(i):
        with httpx.Client(base_url=http.base_url, timeout=20) as own:
            return complete(own, windows[i], request_id="r-{}".format(i))

    answers = _race(THREADS, approve)
    statuses = [answer.json()["response"]["status"] for answer in answers]
    assert statuses.count("paid") == 1, statuses
    paid = http.get("/api/payments/findAll/race-order/paid", headers=auth).json()["response"]
    assert paid["total"] == 1


def test_racing_billing_key_charges_of_one_order_charge_once(live):
    http, auth, _ = live
    assert (
        http.post("/api/subscribe/customers/race-key", headers=auth, json=CARD).json()["code"] == 0
    )

    def charge(i):
        with httpx.Client(base_url=http.base_url, timeout=20) as own:
            return own.post(
                "/api/subscribe/payments/again",
                headers=auth,
                json={
                    "customer_uid": "race-key",
                    "merchant_uid": "race-again",
                    "amount": 1000,
                    "name": "race",
                },
            )

    answers = _race(THREADS, charge)
    charged = [
        a for a in answers if a.json()["code"] == 0 and a.json()["response"]["status"] == "paid"
    ]
    assert len(charged) == 1, [a.text for a in answers]
    paid = http.get("/api/payments/findAll/race-again/paid", headers=auth).json()["response"]
    assert paid["total"] == 1


def _usd(http):
    return _paid(http, "usd-{}".format(threading.get_ident()), 19.99, currency="USD")


def test_a_usd_refund_of_9_99_then_10_00_leaves_exactly_zero(live):
    http, auth, _ = live
    imp_uid = _usd(http)
    first = _cancel(http.base_url, auth, {"imp_uid": imp_uid, "amount": 9.99}).json()
    assert first["code"] == 0 and first["response"]["cancel_amount"] == 9.99
    assert first["response"]["status"] == "paid"
    assert _balance(http, auth, imp_uid)["amount"] == 10.0
    second = _cancel(http.base_url, auth, {"imp_uid": imp_uid, "amount": "10.00"}).json()
    assert second["code"] == 0, second
    payment = second["response"]
    assert payment["status"] == "cancelled" and payment["cancel_amount"] == 19.99
    assert [entry["amount"] for entry in payment["cancel_history"]] == [9.99, 10.0]
    balance = _balance(http, auth, imp_uid)
    assert balance["amount"] == 0 and str(balance["amount"]) in ("0", "0.0")
    assert _cancel(http.base_url, auth, {"imp_uid": imp_uid, "amount": 0.01}).json()["code"] == 1


def test_racing_usd_refunds_of_9_99_and_10_00_leave_exactly_zero(live):
    http, auth, _ = live
    imp_uid = _usd(http)
    amounts = [9.99, 10.00]
    _race(2, lambda i: _cancel(http.base_url, auth, {"imp_uid": imp_uid, "amount": amounts[i]}))
    payment = _payment(http, auth, imp_uid)
    assert payment["status"] == "cancelled" and payment["cancel_amount"] == 19.99
    assert _balance(http, auth, imp_uid)["amount"] == 0


def test_usd_cents_one_at_a_time_add_up_exactly(live):
    http, auth, _ = live
    imp_uid = _paid(http, "usd-cents", 0.3, currency="USD")
    for _ in range(3):  # 0.1 + 0.1 + 0.1 is not 0.3 in binary floating point
        assert _cancel(http.base_url, auth, {"imp_uid": imp_uid, "amount": 0.1}).json()["code"] == 0
    payment = _payment(http, auth, imp_uid)
    assert payment["status"] == "cancelled" and payment["cancel_amount"] == 0.3
    assert _balance(http, auth, imp_uid)["amount"] == 0


def test_refunds_from_the_console_and_the_api_raced_refund_once(live):
    http, auth, _ = live
    imp_uid = _paid(http, "race-console", 4000)
    session = Console(http)
    assert session.login().status_code == 303
    csrf = session.csrf()

    def refund(i):
        if i % 2:
            return http.post(
                "/console/payments/{}/refund".format(imp_uid), data={"csrf": csrf, "amount": ""}
            )
        return _cancel(http.base_url, auth, {"imp_uid": imp_uid})

    _race(THREADS, refund)
    payment = _payment(http, auth, imp_uid)
    assert payment["status"] == "cancelled" and payment["cancel_amount"] == 4000
    assert len(payment["cancel_history"]) == 1


@pytest.mark.parametrize("amount", ["1e400", "-1e400", "inf", "0.0000001"])
def test_a_console_refund_of_no_finite_amount_is_refused_not_a_500(live, amount):
    http, auth, _ = live
    imp_uid = _paid(http, "console-inf", 1000)
    session = Console(http)
    assert session.login().status_code == 303
    answer = session.post("/console/payments/{}/refund".format(imp_uid), amount=amount)
    assert answer.status_code == 400
    assert _payment(http, auth, imp_uid)["cancel_amount"] == 0


def test_a_deposit_raced_with_a_revoke_of_one_virtual_account_ends_one_way(live):
    """The shopper's deposit (an approval) against the merchant's revoke, refunds after it:
    the account ends paid or revoked, never both, and a paid one refunds once."""
    http, auth, _ = live
    issued = http.post(
        "/api/vbanks",
        headers=auth,
        json={
            "merchant_uid": "race-vbank",
            "amount": 30000,
            "vbank_code": "004",
            "vbank_due": int(time.time()) + 3 * 86400,
            "name": "Order",
            "vbank_holder": "(주)상점",
            "buyer_name": "Kim",
        },
    ).json()
    assert issued["code"] == 0, issued
    imp_uid = issued["response"]["imp_uid"]

    def act(i):
        with httpx.Client(base_url=http.base_url, timeout=20) as own:
            if i % 3 == 0:
                return own.post(
                    "/sandbox/testkit/payments/{}/deposit".format(imp_uid), headers=auth
                )
            if i % 3 == 1:
                return own.delete("/api/vbanks/" + imp_uid, headers=auth)
            return own.post("/api/payments/cancel", headers=auth, json={"imp_uid": imp_uid})

    answers = _race(9, act)
    won = [answer for answer in answers if answer.json()["code"] == 0]
    payment = _payment(http, auth, imp_uid)
    if payment["paid_at"]:  # the deposit won: one deposit, at most one refund, in full
        assert payment["status"] in ("paid", "cancelled")
        assert payment["cancel_amount"] in (0, 30000)
        assert len(payment["cancel_history"]) == (1 if payment["cancel_amount"] else 0)
        assert len(won) == 1 + len(payment["cancel_history"])
    else:  # the revoke won: nothing was paid, nothing refunded
        assert payment["status"] == "cancelled" and payment["cancel_amount"] == 0
        assert payment["cancel_history"] == [] and len(won) == 1
