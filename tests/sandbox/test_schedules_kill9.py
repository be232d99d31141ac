"""Exactly once: the sandbox killed with SIGKILL while due schedules run, restarted on the
same SQLite file, charges every schedule once, never twice and never not at all (each run
is one transaction: the schedule's state, its payment and its webhook row commit together,
and a run cut short leaves nothing, so the next process runs it whole)."""

import os
import signal
import sqlite3
import threading
import time

import httpx

from iamport_sandbox.demo import DEMO
from iamport_sandbox.domain import payments
from iamport_sandbox.rest import scheduler
from iamport_sandbox.store import Store
from tests.sandbox.rest_kit import CARD
from tests.sandbox.test_kill9 import _sandbox
from tests.seeded import seed_file

SCHEDULES = 600  # N: due at once, so the scheduler is mid-run for a while
KILL_AT = 150  # runs seen committed before the kill (mid-round: rounds take 100)
PER_REQUEST = 100  # the API's most per request
RACED = 200  # due schedules two stores on one file race for
NOTICE_URL = "http://127.0.0.1:9/hook"  # nothing listens: rows stay to be retried


def _executed(db):
    """How many schedules the file says have run (a reader beside the server: WAL)."""
    file = sqlite3.connect("file:{}?mode=ro".format(db), uri=True, timeout=5)
    try:
        return file.execute(
            "SELECT COUNT(*) FROM schedules WHERE schedule_status = 'executed'"
        ).fetchone()[0]
    finally:
        file.close()


def _token(http):
    answer = http.post(
        "/api/users/getToken",
        json={"imp_key": DEMO["imp_key"], "imp_secret": DEMO["imp_secret"]},
    )
    return {"Authorization": answer.json()["response"]["access_token"]}


def _schedule_all(http, headers, due):
    http.post("/api/subscribe/customers/kill9-plan", headers=headers, json=CARD).raise_for_status()
    for first in range(0, SCHEDULES, PER_REQUEST):
        items = [
            {
                "merchant_uid": "kill9-{:04d}".format(number),
                "schedule_at": due,
                "amount": 1000 + 10 * number,  # never ending in 44 (declined)
                "notice_url": NOTICE_URL,
            }
            for number in range(first, min(first + PER_REQUEST, SCHEDULES))
        ]
        answer = http.post(
            "/api/subscribe/payments/schedule",
            headers=headers,
            json={"customer_uid": "kill9-plan", "schedules": items},
        )
        assert answer.json()["code"] == 0, answer.text


def test_kill_9_while_schedules_run_charges_each_exactly_once(tmp_path):
    db = tmp_path / "sandbox.sqlite3"
    with open(tmp_path / "sandbox.log", "w") as log:
        with _sandbox(db, log) as (process, url), httpx.Client(base_url=url, timeout=10) as http:
            due = (
                int(time.time()) + 5
            )  # time to schedule them all; the scheduler looks every second
            _schedule_all(http, _token(http), due)
            assert time.time() < due, "scheduling took too long to be before the due time"
            deadline = time.monotonic() + 30
            while (before_kill := _executed(db)) < KILL_AT:
                assert time.monotonic() < deadline, "the schedules did not run"
            os.kill(process.pid, signal.SIGKILL)  # mid-run: some ran, the rest wait
            process.wait(timeout=10)
        ran_before = _executed(db)  # what the killed process committed
        assert 0 < ran_before < SCHEDULES, "the kill came after the run: {}".format(ran_before)

        started = time.monotonic()
        with _sandbox(db, log):
            deadline = time.monotonic() + 60
            while _executed(db) < SCHEDULES:
                assert time.monotonic() < deadline, "the restarted sandbox did not run them"
                time.sleep(0.05)
            rest_took = time.monotonic() - started

    with sqlite3.connect(str(db)) as file:
        schedules = file.execute(
            "SELECT merchant_uid, schedule_status, payment_status, imp_uid, amount FROM schedules"
        ).fetchall()
        charged = file.execute(
            "SELECT merchant_uid, COUNT(*), MIN(imp_uid), MIN(status), MIN(amount) "
            "FROM payments WHERE merchant_uid LIKE 'kill9-%' GROUP BY merchant_uid"
        ).fetchall()
        hooks = file.execute(
            "SELECT imp_uid, COUNT(*) FROM webhooks WHERE url = ? GROUP BY imp_uid",
            (NOTICE_URL,),
        ).fetchall()
    print(
        "\nN={} schedules due at once; {} had run when SIGKILL came ({} as the test last "
        "read before it); the restarted sandbox ran the other {} within {:.1f} s of its "
        "start; payments: {}".format(
            SCHEDULES, ran_before, before_kill, SCHEDULES - ran_before, rest_took, len(charged)
        )
    )
    assert len(schedules) == SCHEDULES
    assert {row[1:3] for row in schedules} == {("executed", "paid")}
    by_order = {
        uid: (count, imp_uid, status, amount) for uid, count, imp_uid, status, amount in charged
    }
    # Each schedule charged once: one payment per order, paid, the one the schedule names.
    assert {uid: entry[0] for uid, entry in by_order.items()} == {row[0]: 1 for row in schedules}
    for merchant_uid, _, _, imp_uid, amount in schedules:
        assert by_order[merchant_uid][1:] == (imp_uid, "paid", amount), merchant_uid
    # And each payment notified once (its webhook row written with it).
    assert dict(hooks) == {row[3]: 1 for row in schedules}


def test_two_processes_on_one_file_run_each_schedule_once(tmp_path):
    """Two stores on one file (two connections, as a restarted sandbox and one not yet gone
    would have) run the same due schedules at once: each runs once, in one or the other."""
    path = seed_file(tmp_path / "two.sqlite3")
    first = Store(path)
    merchant = first.merchant_by_code(DEMO["user_code"])
    first.register_billing_key(
        merchant["id"],
        "two-plan",
        dict(payments.card_details("4111111111111111"), pg_provider="html5_inicis", pg_id="MID-a"),
    )
    due = int(time.time()) - 1
    for number in range(RACED):
        first.add_schedule(
            merchant["id"],
            {"customer_uid": "two-plan", "merchant_uid": "two-{}".format(number),
             "schedule_at": due, "amount": 1000, "currency": "KRW"},
        )  # fmt: skip
    second = Store(path)
    ran = {}

    def run(name, store):
        ran[name] = scheduler.run_due(store, int(time.time()))

    threads = [threading.Thread(target=run, args=pair) for pair in (("a", first), ("b", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counted = first._all(
        "SELECT merchant_uid, COUNT(*) AS n FROM payments WHERE merchant_uid LIKE 'two-%' "
        "GROUP BY merchant_uid"
    )
    first.close()
    second.close()
    print("\nraced: {} runs by one store, {} by the other".format(len(ran["a"]), len(ran["b"])))
    assert len(ran["a"]) + len(ran["b"]) == RACED  # each run reported by one store only
    assert {row["merchant_uid"]: row["n"] for row in counted} == {
        "two-{}".format(number): 1 for number in range(RACED)
    }
