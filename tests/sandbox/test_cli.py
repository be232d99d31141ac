"""The command line: create-merchant prints its secrets once; they work."""

import subprocess
import sys

from iamport_sandbox.app import create_app
from iamport_sandbox.config import Config
from iamport_sandbox.store import Store
from tests.sandbox.conftest import csrf_of
from tests.sandbox.inprocess import InProcess


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m", "iamport_sandbox", *args], capture_output=True, text=True, timeout=60
    )


def test_create_merchant_prints_credentials_that_work(tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    done = _run("create-merchant", "--login", "shop1", "--db", db)
    assert done.returncode == 0, done.stderr
    printed = dict(line.split(":", 1) for line in done.stdout.splitlines() if ": " in line)
    printed = {key.strip(): value.strip() for key, value in printed.items()}
    assert printed["user_code"].startswith("imp") and len(printed["user_code"]) == 11
    store = Store(db)
    merchant = store.merchant_by_code(printed["user_code"])
    store.close()
    assert printed["imp_secret"] not in str(merchant)
    # They work where they are used: the REST API's token and the console's login.
    server = InProcess(create_app(Config(db_path=db))).start()
    try:
        with server.client() as http:
            token = http.post(
                "/api/users/getToken",
                json={"imp_key": printed["imp_key"], "imp_secret": printed["imp_secret"]},
            ).json()
            assert token["code"] == 0 and token["response"]["access_token"]
            login = http.post(
                "/console/login",
                data={
                    "csrf": csrf_of(http.get("/console/login")),
                    "login": "shop1",
                    "password": printed["password"],
                },
            )
            assert login.status_code == 303 and login.headers["location"] == "/console/pg"
    finally:
        server.stop()
        server.app.state.store.close()


def test_create_merchant_twice_is_a_clear_error(tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    assert _run("create-merchant", "--login", "shop1", "--db", db).returncode == 0
    again = _run("create-merchant", "--login", "shop1", "--db", db)
    assert again.returncode == 2 and "taken" in again.stderr


def test_demo_with_the_login_demo_taken_is_a_clear_error(tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    assert _run("create-merchant", "--login", "demo", "--db", db).returncode == 0
    demo = _run("--demo", "--port", "0", "--db", db)
    assert demo.returncode == 2 and "the login 'demo' belongs to another merchant" in demo.stderr
    assert "Traceback" not in demo.stderr
