"""Durability: the sandbox killed with SIGKILL under load loses no payment a client saw
approved, and leaves no paid payment without its webhook row (the outbox)."""

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import httpx

from iamport_sandbox.demo import DEMO

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLIENTS = 4
PER_CLIENT = 150  # the bound: at most 600 payments, though the kill comes much earlier
KILL_AFTER = 40  # approvals seen before the kill
NOTICE_URL = "http://127.0.0.1:9/hook"  # nothing listens: rows stay to be retried


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _sandbox(db, log):
    """``python -m iamport_sandbox`` on 127.0.0.1 as a child process; yields (process, url)."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "iamport_sandbox",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--db",
            str(db),
            "--demo",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )
    url = "http://127.0.0.1:{}".format(port)
    try:
        deadline = time.monotonic() + 15
        while True:
            assert process.poll() is None, "the sandbox exited; see " + log.name
            assert time.monotonic() < deadline, "the sandbox did not start"
            try:
                if httpx.get(url + "/users/pg/" + DEMO["user_code"], timeout=1).is_success:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()  # only the child this test started
        process.wait(timeout=10)


def _shopper(url, number, approved, stop):
    """Open and approve payments until told to stop or the server is gone."""
    with httpx.Client(base_url=url, timeout=5) as http:
        for index in range(PER_CLIENT):
            if stop.is_set():
                return
            request_id = "req_{}_{}".format(number, index)
            try:
                opened = http.post(
                    "/sandbox/windows/open",
                    json={
                        "action": "payment",
                        "user_code": DEMO["user_code"],
                        "pg_provider": "html5_inicis",
                        "pg_id": "MID-a",
                        "request": {
                            "merchant_uid": "kill-{}-{}".format(number, index),
                            "amount": 1000,
                            "request_id": request_id,
                            "notice_url": NOTICE_URL,
                        },
                    },
                ).json()["response"]
                answer = http.post(
                    "/sandbox/windows/{}/complete".format(opened["imp_uid"]),
                    json={
                        "user_code": DEMO["user_code"],
                        "request_id": request_id,
                        "outcome": "approve",
                    },
                )
            except (httpx.HTTPError, ValueError):
                return  # killed mid-request: the client saw no approval
            if answer.status_code == 200 and answer.json()["response"]["status"] == "paid":
                approved.append(opened["imp_uid"])


def test_kill_9_under_load_loses_no_approved_payment_and_no_webhook_row(tmp_path):
    db = tmp_path / "sandbox.sqlite3"
    approved, stop = [], threading.Event()
    with open(tmp_path / "sandbox.log", "w") as log:
        with _sandbox(db, log) as (process, url):
            shoppers = [
                threading.Thread(target=_shopper, args=(url, n, approved, stop))
                for n in range(CLIENTS)
            ]
            for shopper in shoppers:
                shopper.start()
            deadline = time.monotonic() + 10
            while len(approved) < KILL_AFTER and time.monotonic() < deadline:
                time.sleep(0.01)
            os.kill(process.pid, signal.SIGKILL)  # requests are in flight right now
            process.wait(timeout=10)
            stop.set()
            for shopper in shoppers:
                shopper.join(timeout=10)
        seen = list(approved)
        assert len(seen) >= KILL_AFTER, "too little load before the kill"

        with _sandbox(db, log) as (_, url), httpx.Client(base_url=url, timeout=5) as http:
            token = http.post(
                "/api/users/getToken",
                json={"imp_key": DEMO["imp_key"], "imp_secret": DEMO["imp_secret"]},
            ).json()
            headers = {"Authorization": token["response"]["access_token"]}
            for imp_uid in seen:
                payment = http.get("/api/payments/" + imp_uid, headers=headers).json()
                assert payment["response"]["status"] == "paid", imp_uid

    with sqlite3.connect(str(db)) as file:
        paid = {
            row[0] for row in file.execute("SELECT imp_uid FROM payments WHERE status = 'paid'")
        }
        rows = file.execute(
            "SELECT imp_uid, COUNT(*) FROM webhooks WHERE url = ? AND "
            "json_extract(payload, '$.status') = 'paid' GROUP BY imp_uid",
            (NOTICE_URL,),
        ).fetchall()
    assert set(seen) <= paid
    assert dict(rows) == dict.fromkeys(paid, 1)  # each paid payment: exactly one row
