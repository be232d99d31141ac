"""The command line: create-merchant prints its secrets once; they work."""

import subprocess
import sys

from iamport_sandbox.store import Store


def _run(*args):
    return subprocess.run([sys.executable, "-m", "iamport_sandbox", *args], capture_output=True,
                          text=True, timeout=60)


def test_create_merchant_prints_credentials_that_work(tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    done = _run("create-merchant", "--login", "shop1", "--db", db)
    assert done.returncode == 0, done.stderr
    printed = dict(line.split(":", 1) for line in done.stdout.splitlines() if ": " in line)
    printed = {key.strip(): value.strip() for key, value in printed.items()}
    assert printed["user_code"].startswith("imp") and len(printed["user_code"]) == 11
    store = Store(db)
    assert store.check_login("shop1", printed["password"])
    assert store.check_api_key(printed["imp_key"], printed["imp_secret"])
    merchant = store.merchant_by_code(printed["user_code"])
    assert printed["imp_secret"] not in str(merchant)


def test_create_merchant_twice_is_a_clear_error(tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    assert _run("create-merchant", "--login", "shop1", "--db", db).returncode == 0
    again = _run("create-merchant", "--login", "shop1", "--db", db)
    assert again.returncode == 2 and "taken" in again.stderr
