"""Amounts: the sandbox applies the SDK's own rule (``iamport_py.amounts``) to windows and
to REST prepare, so it never records an amount the SDK would refuse."""

import json
import os
import shutil
import subprocess

import pytest

from iamport_py.amounts import amount_problem, minor_units, normalise_amount
from iamport_sandbox.assets import web_dir
from tests.sandbox.inprocess import auth, open_window, running, window_open

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MICROPYTHON = os.path.join(
    web_dir(),
    "node_modules",
    "@micropython",
    "micropython-webassembly-pyscript",
    "micropython.mjs",
)

# (amount, currency, has customer_uid) the rule refuses, and ones it accepts.
REFUSED = [
    (0, "KRW", False),
    (0.5, "KRW", False),
    (0.001, "KRW", False),
    (-0.0, "KRW", False),
    (-0.0, "KRW", True),
    (-1000, "KRW", False),
    (1000.5, "KRW", False),
    (float("inf"), "KRW", False),
    (float("nan"), "KRW", False),
    ("1000", "KRW", False),
    (True, "KRW", False),
    (None, "KRW", False),
    ([1000], "KRW", False),
    (0.001, "USD", False),
    (19.999, "EUR", False),
    (1.5, "JPY", False),
]
ACCEPTED = [
    (1000, "KRW", False, 1000),
    (1000.0, "KRW", False, 1000),
    (0, "KRW", True, 0),
    (19.99, "USD", False, 19.99),
    (0.01, "EUR", False, 0.01),
    (1500, "JPY", False, 1500),
    (12.345, "KWD", False, 12.345),
]


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.parametrize("amount,currency,billing_key", REFUSED)
def test_the_rule_refuses_what_the_sdk_refuses(amount, currency, billing_key):
    assert amount_problem(amount, currency, billing_key)


@pytest.mark.parametrize("amount,currency,billing_key,normal", ACCEPTED)
def test_the_rule_accepts_whole_minor_units(amount, currency, billing_key, normal):
    assert amount_problem(amount, currency, billing_key) is None
    assert normalise_amount(amount, currency) == normal
    assert type(normalise_amount(amount, currency)) is type(normal)


def test_minor_units_follow_iso_4217():
    assert [minor_units(c) for c in ("KRW", "JPY", "USD", "EUR", "KWD")] == [0, 0, 2, 2, 3]


@pytest.mark.anyio
@pytest.mark.parametrize(
    "amount,currency,billing_key", [case for case in REFUSED if case[0] is not None]
)
async def test_a_window_refuses_an_amount_the_sdk_refuses(tmp_path, amount, currency, billing_key):
    request = {"amount": amount, "currency": currency}
    if billing_key:
        request["customer_uid"] = "cust-1"
    body = json.dumps(window_open(request), allow_nan=True)  # NaN and Infinity, as sent
    async with running(tmp_path / "s.sqlite3") as (client, app):
        answer = await client.post(
            "/sandbox/windows/open", content=body, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 400 and answer.json()["code"] == -1
        assert "amount" in answer.json()["message"]
        merchant = app.state.store.merchant_by_code("imp10000001")
        assert app.state.store.payments(merchant["id"]) == []


@pytest.mark.anyio
async def test_a_window_records_valid_amounts_in_their_currency(tmp_path):
    async with running(tmp_path / "s.sqlite3") as (client, _):
        usd = await open_window(
            client,
            {"amount": 19.99, "currency": "usd", "merchant_uid": "usd-1"},
            pg_provider="html5_inicis",
        )
        won = await open_window(client, {"amount": 1000.0, "merchant_uid": "krw-1"})
        key = await open_window(
            client, {"amount": 0, "customer_uid": "c-1", "merchant_uid": "key-1"}, pg_id="MID-b"
        )
        headers = await auth(client)
        rest = (await client.get("/api/payments/" + usd["imp_uid"], headers=headers)).json()
    assert (rest["response"]["amount"], rest["response"]["currency"]) == (19.99, "USD")
    assert won["success"] and key["success"]


@pytest.mark.anyio
@pytest.mark.parametrize("amount", [0, 0.5, -0.0, "-0", "0.5", "NaN", "1e999", "abc", -5])
async def test_prepare_refuses_an_amount_the_sdk_refuses(tmp_path, amount):
    async with running(tmp_path / "s.sqlite3") as (client, _):
        headers = await auth(client)
        as_json = await client.post(
            "/api/payments/prepare", headers=headers, json={"merchant_uid": "p-1", "amount": amount}
        )
        as_form = await client.post(
            "/api/payments/prepare",
            headers=headers,
            data={"merchant_uid": "p-2", "amount": str(amount)},
        )
    for answer in (as_json, as_form):
        assert answer.status_code == 400 and answer.json()["code"] == -1


@pytest.mark.anyio
async def test_prepare_takes_whole_won_and_a_currency_of_its_own(tmp_path):
    async with running(tmp_path / "s.sqlite3") as (client, _):
        headers = await auth(client)
        won = await client.post(
            "/api/payments/prepare", headers=headers, data={"merchant_uid": "p-1", "amount": "1000"}
        )
        usd = await client.post(
            "/api/payments/prepare",
            headers=headers,
            json={"merchant_uid": "p-2", "amount": 19.99, "currency": "USD"},
        )
    assert won.json()["response"]["amount"] == 1000
    assert usd.json()["response"]["amount"] == 19.99


@pytest.mark.skipif(
    not (shutil.which("node") and os.path.exists(MICROPYTHON)),
    reason="node and the MicroPython WebAssembly build are needed",
)
def test_the_rule_runs_on_micropython():
    cases = [
        [a, c, b]
        for a, c, b in REFUSED
        if isinstance(a, (int, float)) and a == a and abs(a) != float("inf")
    ]
    script = """
import sys
sys.path.insert(0, "/lib")
from iamport_py.amounts import amount_problem
import json
print(json.dumps([amount_problem(a, c, b) for a, c, b in CASES] + [
    amount_problem(-0.0), amount_problem(19.99, "USD"), amount_problem(1.5, "JPY")]))
""".replace("CASES", repr(cases))
    runner = """
import { readFileSync } from "node:fs";
// Through the environment: the MicroPython module reads process.argv itself.
const { MP_RUNTIME: runtime, MP_SOURCE: source, MP_SCRIPT: script } = process.env;
const { loadMicroPython } = await import(runtime);
const mp = await loadMicroPython({ stdout: (line) => console.log(line) });
mp.FS.mkdirTree("/lib/iamport_py");
mp.FS.writeFile("/lib/iamport_py/__init__.py", "");
mp.FS.writeFile("/lib/iamport_py/amounts.py", readFileSync(source));
mp.runPython(script);
"""
    env = dict(
        os.environ,
        MP_RUNTIME=MICROPYTHON,
        MP_SCRIPT=script,
        MP_SOURCE=os.path.join(ROOT, "iamport_py", "amounts.py"),
    )
    done = subprocess.run(
        ["node", "--input-type=module", "-e", runner],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    problems = json.loads(done.stdout.strip().splitlines()[-1])
    assert all(problems[: len(cases)]), problems
    assert problems[len(cases) :] == [
        "negative zero is not an amount",
        None,
        "JPY amounts are whole numbers",
    ]
