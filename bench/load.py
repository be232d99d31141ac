"""Load figure for issue 8: 50 concurrent clients doing getToken -> open -> complete -> find
for 30 s, while 8 more clients send wrong secrets; prints p50/p99 of ``GET /users/pg/...``
(each client reads its settings at the start of every round, as ``IMP.init`` does, and
one more page reads them every 20 ms), the
errors, and checks that every payment a client saw succeed is ``paid`` in the REST API and
in the store file.

``python bench/load.py [--seconds 30] [--clients 50] [--attackers 8]``. Bounded, 127.0.0.1
only: it starts its own sandbox (a child process, ``--demo``, a temporary store; window
opens unlimited, since 50 clients far exceed a real user code's rate) and stops only that
process. The attackers connect from 127.0.0.2-9 (other loopback addresses: other hosts,
as far as the sandbox can tell), so the owner's own address is not the one backing off.
"""

import argparse
import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

import httpx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from iamport_sandbox.demo import DEMO  # noqa: E402

SETTINGS = "/users/pg/" + DEMO["user_code"]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(db, log):
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
            db,
            "--demo",
            "--window-opens-per-minute",
            "0",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )
    url = "http://127.0.0.1:{}".format(port)
    deadline = time.monotonic() + 20
    while True:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit("the sandbox did not start; see " + log.name)
        try:
            if httpx.get(url + SETTINGS, timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)


async def _client(http, number, deadline, stats):
    async with http:
        round_ = 0
        while time.monotonic() < deadline.value:
            round_ += 1
            try:
                started = time.perf_counter()
                answer = await http.get(SETTINGS)
                stats["settings"].append(time.perf_counter() - started)
                _expect(answer, 200)
                answer = await http.post(
                    "/api/users/getToken",
                    json={"imp_key": DEMO["imp_key"], "imp_secret": DEMO["imp_secret"]},
                )
                _expect(answer, 200)
                auth = {"Authorization": answer.json()["response"]["access_token"]}
                merchant_uid = "load-{}-{}".format(number, round_)
                request_id = "req_{}_{}".format(number, round_)
                answer = await http.post(
                    "/sandbox/windows/open",
                    json={
                        "action": "payment",
                        "user_code": DEMO["user_code"],
                        "pg_provider": "html5_inicis",
                        "pg_id": "MID-a",
                        "request": {
                            "merchant_uid": merchant_uid,
                            "amount": 1000,
                            "name": "load",
                            "pay_method": "card",
                            "request_id": request_id,
                        },
                    },
                )
                _expect(answer, 200)
                imp_uid = answer.json()["response"]["imp_uid"]
                answer = await http.post(
                    "/sandbox/windows/{}/complete".format(imp_uid),
                    json={
                        "user_code": DEMO["user_code"],
                        "request_id": request_id,
                        "outcome": "approve",
                    },
                )
                _expect(answer, 200)
                if answer.json()["response"]["status"] != "paid":
                    raise RuntimeError("approved but " + answer.json()["response"]["status"])
                stats["paid"].append(imp_uid)
                answer = await http.get("/api/payments/find/" + merchant_uid, headers=auth)
                _expect(answer, 200)
                if answer.json()["response"]["imp_uid"] != imp_uid:
                    raise RuntimeError("find returned another payment")
                stats["rounds"] += 1
            except (httpx.HTTPError, RuntimeError, ValueError, KeyError) as problem:
                stats["errors"].append("{}: {}".format(type(problem).__name__, problem)[:200])


async def _probe(http, deadline, stats):
    """A page calling IMP.init every 20 ms: many more samples of the settings read."""
    async with http:
        while time.monotonic() < deadline.value:
            started = time.perf_counter()
            answer = await http.get(SETTINGS)
            stats["settings"].append(time.perf_counter() - started)
            if answer.status_code != 200:
                stats["errors"].append("settings: HTTP {}".format(answer.status_code))
            await asyncio.sleep(0.02)


async def _attacker(http, number, deadline, stats):
    async with http:
        while time.monotonic() < deadline.value:
            try:
                answer = await http.post(
                    "/api/users/getToken",
                    json={"imp_key": DEMO["imp_key"], "imp_secret": "guess-{}".format(number)},
                )
                stats["attacks"][answer.status_code] = (
                    stats["attacks"].get(answer.status_code, 0) + 1
                )
                if answer.status_code == 200:
                    stats["errors"].append("a wrong secret got a token")
            except httpx.HTTPError as problem:
                stats["errors"].append("attacker: {}".format(type(problem).__name__))


def _expect(answer, status):
    if answer.status_code != status:
        raise RuntimeError(
            "{} {} -> {} {}".format(
                answer.request.method,
                answer.request.url.path,
                answer.status_code,
                answer.text[:120],
            )
        )


def _p(values, share):
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)] if ordered else float("nan")


class _Deadline:
    value = 0.0


async def _run(url, args):
    stats = {"settings": [], "paid": [], "errors": [], "rounds": 0, "attacks": {}}
    # Clients are built before the clock starts: each builds an SSL context (tens of ms of
    # the bench's own CPU), which would otherwise show up as server latency.
    clients = [httpx.AsyncClient(base_url=url, timeout=30) for _ in range(args.clients)]
    attackers = [
        httpx.AsyncClient(
            base_url=url,
            timeout=30,
            transport=httpx.AsyncHTTPTransport(local_address="127.0.0.{}".format(2 + n)),
        )
        for n in range(args.attackers)
    ]
    deadline = _Deadline()
    deadline.value = time.monotonic() + args.seconds
    await asyncio.gather(
        *[_client(http, n, deadline, stats) for n, http in enumerate(clients)],
        *[_attacker(http, n, deadline, stats) for n, http in enumerate(attackers)],
        _probe(httpx.AsyncClient(base_url=url, timeout=30), deadline, stats),
    )
    return stats


async def _verify(url, paid):
    """Every payment a client saw paid, as the REST API reads it."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        token = (
            await http.post(
                "/api/users/getToken",
                json={"imp_key": DEMO["imp_key"], "imp_secret": DEMO["imp_secret"]},
            )
        ).json()["response"]["access_token"]
        wrong = []
        for imp_uid in paid:
            answer = await http.get("/api/payments/" + imp_uid, headers={"Authorization": token})
            if answer.status_code != 200 or answer.json()["response"]["status"] != "paid":
                wrong.append(imp_uid)
        return wrong


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--attackers", type=int, default=8)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="iamport-load-")
    db = os.path.join(folder, "sandbox.sqlite3")
    with open(os.path.join(folder, "sandbox.log"), "w") as log:
        process, url = _start(db, log)
        try:
            stats = asyncio.run(_run(url, args))
            wrong_rest = asyncio.run(_verify(url, stats["paid"]))
        finally:
            process.terminate()  # only the process this script started
            process.wait(timeout=20)
    with sqlite3.connect("file:{}?mode=ro".format(db), uri=True) as stored:
        statuses = dict(stored.execute("SELECT imp_uid, status FROM payments").fetchall())
    wrong_file = [imp_uid for imp_uid in stats["paid"] if statuses.get(imp_uid) != "paid"]
    timings = stats["settings"]
    p50, p99 = _p(timings, 0.5) * 1000, _p(timings, 0.99) * 1000
    print(
        "load: {} clients x getToken -> open -> complete -> find for {:.0f} s, {} attackers "
        "with wrong secrets".format(args.clients, args.seconds, args.attackers)
    )
    print("  rounds completed:        {}".format(stats["rounds"]))
    print(
        "  GET /users/pg/...:       {} requests, p50 {:.1f} ms, p99 {:.1f} ms".format(
            len(timings), p50, p99
        )
    )
    print(
        "  wrong-secret answers:    {}".format(
            ", ".join("{}: {}".format(k, v) for k, v in sorted(stats["attacks"].items()))
        )
    )
    print("  errors:                  {}".format(len(stats["errors"])))
    for error in stats["errors"][:5]:
        print("    " + error)
    print(
        "  paid seen by clients:    {}; not paid in the REST API: {}; not paid in the "
        "file: {}".format(len(stats["paid"]), len(wrong_rest), len(wrong_file))
    )
    ok = p50 < 50 and p99 < 250 and not stats["errors"] and not wrong_rest and not wrong_file
    print(
        "  verdict:                 {}".format(
            "OK (p50 < 50 ms, p99 < 250 ms, 0 errors)" if ok else "FAILED"
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
